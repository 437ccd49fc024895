import ArgumentParser
import ConvData
import ConvKit
import ConvPlayground
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

  @Option(name: .long, help: ArgumentHelp(localized("train --finetune: the saved model (default: the built-in digits model)."), valueName: localized("FILE")))
  var base: String?

  @Option(name: .long, help: ArgumentHelp(localized("train --finetune: epochs with the base frozen."), valueName: localized("N")))
  var freezeEpochs = 2

  @Option(name: .long, help: ArgumentHelp(localized("train --finetune: epochs with every layer training."), valueName: localized("M")))
  var finetuneEpochs = 2

  /// True when no training option was given: the screen then opens on the kept settings.
  var isEmpty: Bool {
    model == nil && data.dataset == nil && data.limit == nil && epochs == nil && !finetune && base == nil
  }

  /// The training screen from the options, or from the settings kept from the last visit when
  /// none was given (`--data` and `--save` apply either way).
  func screen(kept: TrainingSettings?) throws -> TrainingScreen {
    if isEmpty, let kept { return TrainingScreen(settings: kept, dataDirectory: data.data, savePath: save) }
    return try screen()
  }

  func screen() throws -> TrainingScreen {
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
      if let path {
        // Read now, so a bad file is one line here rather than a message on the screen.
        do { _ = try ModelFile.load(URL(fileURLWithPath: path)) } catch { throw CLIFailure("--base: \(error)") }
      }
      finetuning = FineTuneSettings(
        basePath: path, plan: FineTuningPlan(freezeEpochs: freezeEpochs, finetuneEpochs: finetuneEpochs))
    }
    var config = TrainingConfig(
      modelName: name, spec: spec, dataset: dataset, epochs: epochs ?? 3, limit: data.limit, dataDirectory: data.data,
      folder: folder, finetune: finetuning)
    config.testLimit = data.testLimit
    return TrainingScreen(config: config, savePath: save)
  }
}
