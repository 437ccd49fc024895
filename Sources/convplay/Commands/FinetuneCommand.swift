import ArgumentParser
import ConvData
import ConvKit
import Foundation

/// `convplay finetune`: the course's transfer learning. A saved model's convolutional base gets
/// a new classifier head; phase 1 trains the head with the base frozen, phase 2 unfreezes
/// everything and trains jointly at a lower rate (Keras: `base.trainable = False`, fit,
/// `base.trainable = True`, compile with a small rate, fit). `--scratch` trains the same
/// architecture from random weights for the same training time, to compare.
struct FinetuneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "finetune",
    abstract: localized("Reuse a trained model on a new data set: new head, frozen base, then joint training."),
    discussion: localized("""
      Examples:
        convplay finetune --dataset fashion-mnist --freeze-epochs 1 --finetune-epochs 1 --limit 6000
        convplay finetune --base digits.safetensors --dataset folder:fingers --image-size 28x28 --color gray --scratch
        convplay finetune --base mobilenet --dataset folder:fingers --label-pattern '_([0-5])[LR]\\.png$' --unfreeze 10
      --base default (or no --base) is the built-in digit model. The new head is a Dense layer with
      one unit per class of the new data set; the base's input shape must fit the new images.
      --base vgg16|vgg19|resnet50|inceptionv3|xception|mobilenet (or a Keras .h5/.keras model file) is
      the ImageNet network without its top (include_top=False), weights from --weights or Keras's
      cache (~/.keras/models), with a new head (pooling, --dense units, one softmax unit per class):
      step 1 trains the head with the base frozen (each image goes through the base once: the
      features are cached), step 2 unfreezes the base (--unfreeze) at --finetune-lr, step 3
      evaluates on the test images. --augment turns the feature cache off.
      """))

  @Option(
    name: .long,
    help: ArgumentHelp(localized("A model saved by `train --save`, `default` for the built-in one, a keras.applications name (vgg16, vgg19, resnet50, inceptionv3, xception, mobilenet) or a Keras model file."),
      valueName: localized("NAME|FILE")))
  var base = "default"

  @Option(name: .long, help: ArgumentHelp(localized("The base's weights (.h5, .keras; .pth for VGG); default: Keras's cache."), valueName: localized("FILE")))
  var weights: String?

  @Flag(name: .long, help: helpText("A named base with Glorot-uniform weights from --seed instead of ImageNet's: the same steps, offline (the numbers mean nothing)."))
  var randomWeights = false

  @Option(name: .long, help: ArgumentHelp(localized("Step 2 trains all of the pretrained base, or its last N layers (base_model.layers[-N:])."), valueName: localized("all|N")))
  var unfreeze = "all"

  @Option(name: .customLong("pooling"), help: ArgumentHelp(localized("The new head's first layer on a pretrained base: global average pooling or flatten."), valueName: localized("avg|flatten")))
  var headPooling: PretrainedBase.Pooling = .avg

  @Option(name: .long, help: ArgumentHelp(localized("Units of the new head's hidden Dense layer (relu) on a pretrained base; 0 for none."), valueName: localized("N")))
  var dense = 256

  @Option(name: .long, help: ArgumentHelp(localized("Size the images are resized to for a pretrained base (default: theirs, at least the base's minimum)."), valueName: localized("HxW")))
  var baseInput: String?

  @Option(name: .long, help: ArgumentHelp(localized("Fraction of the training images held out for validation (the last ones, as Keras's validation_split)."), valueName: localized("F")))
  var validationSplit: Double = 0

  @Option(name: .long, help: ArgumentHelp(localized("Random transforms of the training images each epoch (pretrained base only; turns the feature cache off)."), valueName: localized("LIST")))
  var augment: String?

  @Flag(name: .long, help: helpText("Step 1 on a pretrained base runs the frozen base on every batch instead of once per image."))
  var noFeatureCache = false


  @OptionGroup var data: DatasetOptions

  @Option(name: .long, help: ArgumentHelp(localized("Epochs of phase 1 (base frozen, only the new head trains)."), valueName: localized("N")))
  var freezeEpochs = 2

  @Option(name: .long, help: ArgumentHelp(localized("Epochs of phase 2 (everything trains, at --finetune-lr)."), valueName: localized("M")))
  var finetuneEpochs = 2

  @Option(name: .long, help: ArgumentHelp(localized("Adam's learning rate in phase 1."), valueName: localized("X")), transform: finiteFloat)
  var lr: Float = 0.001

  @Option(name: .long, help: ArgumentHelp(localized("Adam's learning rate in phase 2 (default: --lr / 10)."), valueName: localized("X")), transform: finiteFloat)
  var finetuneLr: Float?

  @Option(name: .long, help: ArgumentHelp(localized("Images per optimizer step."), valueName: localized("N")))
  var batch = 128

  @Option(name: .long, help: helpText("Seed for the new head, shuffling and dropout."))
  var seed: UInt64 = 0

  @Option(name: .long, help: ArgumentHelp(localized("Save the fine-tuned model (safetensors)."), valueName: localized("FILE")))
  var save: String?

  @Flag(name: .long, help: helpText("Also train the same architecture from scratch for the same training time."))
  var scratch = false

  @Flag(name: .long, help: helpText("One line per epoch instead of a progress bar."))
  var plain = false

  func validate() throws {
    guard freezeEpochs >= 0, finetuneEpochs >= 0, freezeEpochs + finetuneEpochs >= 1 else {
      throw ValidationError("--freeze-epochs and --finetune-epochs must be 0 or more, and not both 0")
    }
    guard freezeEpochs <= maxEpochs, finetuneEpochs <= maxEpochs else {
      throw ValidationError("--freeze-epochs and --finetune-epochs must be at most \(NumberText.grouped(maxEpochs))")
    }
    _ = try CheckedSize.dimension(batch, field: "--batch")
    guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be a positive number") }
    if let finetuneLr, !(finetuneLr > 0 && finetuneLr.isFinite) {
      throw ValidationError("--finetune-lr must be a positive number")
    }
    guard validationSplit >= 0 && validationSplit < 1 else { throw ValidationError("--validation-split must be in [0, 1)") }
    if randomWeights && weights != nil { throw ValidationError("give either --weights FILE or --random-weights, not both") }
    if randomWeights && PretrainedBase.application(base) == nil {
      throw ValidationError("--random-weights needs a named base: --base \(Self.baseNames.joined(separator: "|"))")
    }
    guard dense >= 0 && dense <= 65536 else { throw ValidationError("--dense must be between 0 and 65536") }
  }

  func run() throws {
    if usesPretrainedBase || weights != nil {
      try reportingErrors {
        try withPrintableErrors { try runOnPretrainedBase() }
      }
      return
    }
    try reportingErrors {
      try checkOutputs([("--save", save)], createsFolders: true)
      if augment != nil || baseInput != nil || unfreeze != "all" {
        throw CLIFailure("--augment, --base-input and --unfreeze belong to a pretrained base (--base vgg16, mobilenet, ...)")
      }
      let loaded = base == "default" ? try DefaultModel.load() : try loadTrainableWeights(base, arch: nil)
      let baseName = base == "default" ? "built-in model" : URL(fileURLWithPath: base).lastPathComponent
      let dataset = try data.resolveDataset()
      let loadedData = try data.loadWithClasses(dataset)
      let splits = loadedData.splits
      let classes = (splits.training.labels + splits.test.labels).max()! + 1
      let shape = splits.training.imageShape
      guard shape.count == 3, shape[2] == loaded.network.inputShape[2] else {
        throw CLIFailure(
          "\(baseName) takes \(ShapeText.tuple(loaded.network.inputShape)) images but \(dataset.displayName) has "
            + "\(ShapeText.tuple(shape)): the channels must match"
            + (dataset.rawValue.hasPrefix("folder:") ? " (use --color gray or rgb)" : " (use a base trained on such images)"))
      }
      let start: Network
      do {
        start = try FineTuning.prepare(base: loaded.network, classes: classes, inputShape: shape, seed: seed)
      } catch let e as ModelSpecError {
        throw CLIFailure("\(baseName) on \(ShapeText.tuple(shape)) images: \(e.description)")
      }
      let startSpec = try FineTuning.sequential(start)
      let head = FineTuning.headIndex(of: startSpec)!
      print(
        "\(baseName) on \(dataset.displayName): \(splits.training.count) training, \(splits.test.count) test images, "
          + "\(classes) classes; new head \(startSpec.layers[head].name) (Dense \(classes)), batch \(batch), seed \(seed)")
      let progress = TrainingProgress(plain: plain)
      let plan = FineTuningPlan(
        freezeEpochs: freezeEpochs, finetuneEpochs: finetuneEpochs, learningRate: lr, finetuneLearningRate: finetuneLr,
        batch: batch)
      let phase2LR = plan.phase2LearningRate
      var total = 0.0
      // Phase 1: everything but the head is frozen; phase 2: all layers train, at the lower rate.
      let network = try FineTuning.run(
        start, plan: plan, training: splits.training,
        phaseStarted: { phase, _ in
          let what = phase.baseFrozen ? "base frozen" : "all layers"
          print("phase \(phase.number) (\(what)): adam lr \(NumberText.format(Double(phase.learningRate))), \(phase.epochs) epoch\(phase.epochs == 1 ? "" : "s")")
          print(SummaryText.totals(phase.counts).joined(separator: "\n"))
        },
        onEvent: progress.handle,
        phaseEnded: { phase, network, history in
          let seconds = history.reduce(0) { $0 + $1.seconds }
          total += seconds
          let r = try network.evaluate(splits.test)
          print("phase \(phase.number): test accuracy \(fixed(r.accuracy)) - test loss \(fixed(r.loss)) - \(String(format: "%.1f", seconds))s")
        })
      let tuned = try network.evaluate(splits.test)
      if let save {
        let meta: [String: String] = ModelFile.classesMetadata(loadedData.classNames).merging([
          "dataset": dataset.rawValue, "model": "finetuned from \(baseName)", "base": baseName,
          "freeze_epochs": String(freezeEpochs), "finetune_epochs": String(finetuneEpochs),
          "learning_rate": "\(lr)", "finetune_learning_rate": "\(phase2LR)", "batch": String(batch),
          "seed": String(seed), "training_images": String(splits.training.count),
          "test_images": String(splits.test.count), "test_accuracy": fixed(tuned.accuracy),
        ].merging(data.limitsMetadata) { $1 }) { $1 }
        try ModelFile.save(network, metadata: meta, to: URL(fileURLWithPath: save))
      }
      print("fine-tuned: test accuracy \(fixed(tuned.accuracy)) after \(String(format: "%.1f", total))s of training")

      if scratch {
        let fresh = try Network(spec: SequentialSpec(inputShape: shape, layers: try FineTuning.sequential(network).layers), seed: seed)
        let counts = try fresh.graph.parameterCount()
        print("from scratch: same architecture, random weights, adam lr \(NumberText.format(Double(lr))), \(String(format: "%.1f", total))s budget")
        print(SummaryText.totals(counts).joined(separator: "\n"))
        // The budget is training time (as the phases measure it), not wall time, so that data
        // shuffling and test evaluation do not count against either side.
        var finishedEpochs = 0.0
        var used = 0.0
        let history = try fresh.fit(
          splits.training, epochs: 1000, batchSize: batch, optimizer: OptimizerKind.adam.make(learningRate: lr),
          shouldStop: { used >= total },
          onEvent: { event in
            if case .batchEnded(_, _, _, _, _, let seconds) = event { used = finishedEpochs + seconds }
            if case .epochEnded(let m) = event { finishedEpochs += m.seconds }
            progress.handle(event)
          })
        let r = try fresh.evaluate(splits.test)
        // fit returns only whole epochs; the budget usually ends inside one, which still trained.
        let partial = used > history.reduce(0) { $0 + $1.seconds } + 1e-9
        print(
          "from scratch: test accuracy \(fixed(r.accuracy)) after \(String(format: "%.1f", used))s of training "
            + "(\(history.count) epoch\(history.count == 1 ? "" : "s")\(partial ? " and part of the next" : ""))")
      }
    }
  }
}
