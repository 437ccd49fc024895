import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import ConvPretrained
import ConvUserData
import Foundation

/// `tui --screen train`'s starting choices (all but the folder and the base can be changed on
/// the screen). The data set options are `train`'s own (`DatasetOptions`).
struct TuiTrainingOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp(localized("train: a model name, a model spec, or a file holding one; summary: also vgg16, resnet50, ... or a saved model file; lab: the classifier Grad-CAM explains (a model file; default: the built-in digits model)."), valueName: localized("NAME|SPEC|FILE")))
  var model: String?

  @OptionGroup var data: DatasetOptions

  @Option(name: .long, help: ArgumentHelp(localized("train: passes over the training images."), valueName: localized("N")))
  var epochs: Int?

  @Option(name: .long, help: ArgumentHelp(localized("train: where w saves the trained weights."), valueName: localized("FILE")))
  var save: String?

  @Flag(name: .long, help: helpText("train: fine-tune a saved model (as `convplay finetune`) instead of training --model."))
  var finetune = false

  @Option(name: .long, help: ArgumentHelp(localized("train --finetune: the saved model (default: the built-in digits model), or a pretrained base: vgg16, resnet50, inceptionv3, xception, mobilenet or a Keras model file."), valueName: localized("NAME|FILE")))
  var base: String?

  @Flag(name: .long, help: helpText("train --base NAME: Glorot-uniform weights from --seed instead of Keras's cache (as finetune --random-weights)."))
  var randomWeights = false

  @Option(name: .long, help: ArgumentHelp(localized("train --base NAME: step 2 trains all of the base, or its last N layers."), valueName: localized("all|N")))
  var unfreeze: String?

  @Option(name: .long, help: ArgumentHelp(localized("train --base NAME: the size images are resized to (default: the base's minimum, 32 for most)."), valueName: localized("HxW")))
  var baseInput: String?

  @Option(name: .customLong("pooling"), help: ArgumentHelp(localized("train --base NAME: the new head's first layer, global average pooling or flatten (as finetune --pooling)."), valueName: localized("avg|flatten")))
  var headPooling: PretrainedBase.Pooling?

  @Option(name: .long, help: ArgumentHelp(localized("train --base NAME: units of the new head's hidden Dense layer, 0 for none (as finetune --dense)."), valueName: localized("N")))
  var dense: Int?

  @Option(name: .long, help: ArgumentHelp(localized("train: random transforms of the training images each epoch, from scratch or on a pretrained base (as train --augment); also the form's Augmentation row."), valueName: localized("LIST")))
  var augment: String?

  @Option(name: .long, help: ArgumentHelp(localized("train --finetune: epochs with the base frozen."), valueName: localized("N")))
  var freezeEpochs = 2

  @Option(name: .long, help: ArgumentHelp(localized("train --finetune: epochs with every layer training."), valueName: localized("M")))
  var finetuneEpochs = 2

  /// True when no training option was given: the screen then opens on the kept settings.
  var isEmpty: Bool {
    model == nil && data.dataset == nil && data.limit == nil && epochs == nil && !finetune && base == nil && !randomWeights
      && unfreeze == nil && baseInput == nil && headPooling == nil && dense == nil && augment == nil
  }

  /// The training screen from the options, or from the settings kept from the last visit when
  /// none was given (`--data` and `--save` apply either way).
  /// `weights` and `seed` are tui's own `--weights` and `--seed`, which a pretrained base takes.
  func screen(kept: TrainingSettings?, weights: String? = nil, seed: UInt64? = nil) throws -> TrainingScreen {
    if isEmpty, let kept { return TrainingScreen(settings: kept, dataDirectory: data.data, savePath: save) }
    return try screen(weights: weights, seed: seed)
  }

  /// A pretrained base as `finetune --base` takes it, checked here so that a bad option is one
  /// line before the screen opens.
  func pretrainedChoice(_ base: String, weights: String?) throws -> PretrainedBaseChoice {
    if randomWeights && weights != nil { throw CLIFailure("give either --weights FILE or --random-weights, not both") }
    let named = PretrainedBase.application(base) != nil
    if randomWeights && !named {
      throw CLIFailure("--random-weights needs a named base: --base \(FineTuningBaseLoader.names.joined(separator: "|"))")
    }
    guard let unfreezeChoice = PretrainedBase.Unfreeze(unfreeze ?? "all") else {
      throw CLIFailure("--unfreeze must be all or a number of layers (got '\(unfreeze ?? "")')")
    }
    var size: [Int]?
    if let baseInput {
      guard let s = ShapeText.parse(baseInput), s.count >= 2, s[0] >= 1, s[1] >= 1, s[0] <= 1024, s[1] <= 1024 else {
        throw CLIFailure("--base-input must be a size such as 128x128 (got '\(baseInput)')")
      }
      size = [s[0], s[1]]
    }
    if !named {
      do { _ = try WeightsLoader.load(URL(fileURLWithPath: base), architecture: nil) } catch { throw CLIFailure("--base: \(error)") }
    }
    if let dense, !(0...65536).contains(dense) { throw CLIFailure("--dense must be between 0 and 65536 (got \(dense))") }
    return PretrainedBaseChoice(
      base: base, weights: weights, randomWeights: randomWeights, unfreeze: unfreezeChoice, inputSize: size,
      pooling: headPooling ?? .avg, dense: dense ?? 256)
  }

  func screen(weights: String? = nil, seed: UInt64? = nil) throws -> TrainingScreen {
    let dataset = try data.resolveDataset()
    let folder = try data.folderSettings()
    let (name, spec) = try resolveModel(
      model ?? "cnn", inputShape: dataset.imageShape(folder: folder), classes: dataset.classNamesBeforeLoading?.count)
    if let limit = data.limit, limit < 1 { throw CLIFailure("--limit must be at least 1 (got \(limit))") }
    if let epochs, !(1...50).contains(epochs) { throw CLIFailure("--epochs must be between 1 and 50 (got \(epochs))") }
    var finetuning: FineTuneSettings?
    if finetune || base != nil {
      guard (0...50).contains(freezeEpochs), (0...50).contains(finetuneEpochs), freezeEpochs + finetuneEpochs >= 1 else {
        throw CLIFailure("--freeze-epochs and --finetune-epochs must be 0-50, and not both 0")
      }
      let path = base == "default" ? nil : base
      if let path, FineTuningBaseLoader.isPretrained(path) {
        finetuning = FineTuneSettings(
          plan: FineTuningPlan(freezeEpochs: freezeEpochs, finetuneEpochs: finetuneEpochs),
          pretrained: try pretrainedChoice(path, weights: weights))
      } else if let path {
        // Read now, so a bad file is one line here rather than a message on the screen.
        do { _ = try ModelFile.load(URL(fileURLWithPath: path)) } catch { throw CLIFailure("--base: \(error)") }
      }
      if finetuning == nil {
        finetuning = FineTuneSettings(
          basePath: path, plan: FineTuningPlan(freezeEpochs: freezeEpochs, finetuneEpochs: finetuneEpochs))
      }
    } else if randomWeights || unfreeze != nil || baseInput != nil {
      throw CLIFailure("--random-weights, --unfreeze and --base-input belong to a pretrained base (--base vgg16, mobilenet, ...)")
    }
    var augmentation: Augmentation?
    if let augment {
      if finetuning != nil && finetuning?.pretrained == nil {
        throw CLIFailure("--augment trains from scratch or on a pretrained base (--base vgg16, mobilenet, ...), not a saved model's two phases")
      }
      do { augmentation = try Augmentation(parsing: augment) } catch { throw CLIFailure("\(error)") }
    }
    if finetuning?.pretrained == nil && (headPooling != nil || dense != nil) {
      throw CLIFailure("--pooling and --dense shape the head on a pretrained base (--base vgg16, mobilenet, ...)")
    }
    var config = TrainingConfig(
      modelName: name, spec: spec, dataset: dataset, epochs: epochs ?? 3, limit: data.limit, dataDirectory: data.data,
      folder: folder, finetune: finetuning)
    config.augmentation = augmentation
    config.testLimit = data.testLimit
    config.seed = seed ?? 0
    return TrainingScreen(config: config, savePath: save)
  }
}
