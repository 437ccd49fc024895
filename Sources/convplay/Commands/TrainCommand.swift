import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import Foundation

/// `convplay train`: Keras's `model.fit` on MNIST or Fashion-MNIST, then `model.evaluate` on
/// the test set.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: localized("Train a network on MNIST or Fashion-MNIST and report its test accuracy."),
    discussion: localized("""
      Examples:
        convplay train --model cnn --epochs 3 --save digits.safetensors --metrics history.json
        convplay train --model softmax --optimizer sgd --lr 0.1 --plain
        convplay train --model "conv2d(16,3,relu) -> maxpool(2) -> flatten -> dense(10,softmax)"
        convplay train --model cnn --limit 2000 --validation-split 0.2 --augment flip,rotate=10,shift=0.1,zoom=0.1
      Models: {0} (see `convplay summary --model NAME`),
      or a spec in `convplay summary --spec`'s language (text or a file); its input is the data set's
      image shape (28x28x1 for MNIST, 32x32x3 for CIFAR-10, --image-size for folders).
      The last validation_split of the training images is held out, as Keras's fit does.
      The last two lines are `test accuracy: ...` and `test loss: ...`.
      """, ModelZoo.all.map(\.name).joined(separator: ", ")))

  @Option(name: [.customLong("model"), .customLong("spec")], help: ArgumentHelp(localized("A model name, a model spec, or a file holding one (graphs too: examples/specs/)."), valueName: localized("NAME|SPEC|FILE")))
  var model = "cnn"

  @OptionGroup var data: DatasetOptions

  @Option(name: .long, help: helpText("Passes over the training images."))
  var epochs = 5

  @Option(name: .long, help: ArgumentHelp(localized("Images per optimizer step."), valueName: localized("N")))
  var batch = 128

  @Option(name: .long, help: helpText("The optimizer, with Keras's defaults."))
  var optimizer: OptimizerKind = .adam

  @Option(name: .long, help: ArgumentHelp(localized("Learning rate (default: adam/rmsprop 0.001, sgd 0.01)."), valueName: localized("X")), transform: finiteFloat)
  var lr: Float?

  @Option(name: .long, help: ArgumentHelp(localized("Momentum for sgd and rmsprop."), valueName: localized("X")), transform: finiteFloat)
  var momentum: Float = 0

  @Option(name: .long, help: helpText("Seed for the initial weights, shuffling and dropout: same seed, same result."))
  var seed: UInt64 = 0

  /// Keras's `fit` default: no validation set, so the whole training set is learned from.
  @Option(name: .long, help: ArgumentHelp(localized("Fraction of the training images held out for validation (the last ones, as Keras's validation_split); default 0."), valueName: localized("F")), transform: finiteDouble)
  var validationSplit: Double = 0

  @Option(name: .long, help: ArgumentHelp(localized("Save the trained weights (safetensors)."), valueName: localized("FILE")))
  var save: String?

  @Option(name: .long, help: ArgumentHelp(localized("Write the per-epoch history as JSON (loss, accuracy, val_loss, val_accuracy)."), valueName: localized("FILE")))
  var metrics: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      localized("Random transforms of the training images, as Keras's RandomFlip/RandomRotation/RandomTranslation/RandomZoom: flip, rotate=DEGREES, shift=FRACTION, zoom=FRACTION."),
      valueName: localized("LIST")))
  var augment: String?

  @Flag(name: .long, help: helpText("One line per epoch instead of a progress bar."))
  var plain = false

  func validate() throws {
    guard (1...maxEpochs).contains(epochs) else { throw ValidationError("--epochs must be between 1 and \(NumberText.grouped(maxEpochs)) (got \(epochs))") }
    _ = try CheckedSize.dimension(batch, field: "--batch")
    guard validationSplit >= 0 && validationSplit < 1 else {
      throw ValidationError("--validation-split must be in [0, 1)")
    }
    if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number") }
    guard momentum >= 0 && momentum < 1 else { throw ValidationError("--momentum must be in [0, 1)") }
  }

  func run() throws {
    try reportingErrors {
      try checkOutputs([("--save", save), ("--metrics", metrics)], createsFolders: true)
      let kind = optimizer
      var augmentation: Augmentation?
      if let augment {
        do { augmentation = try Augmentation(parsing: augment) } catch { throw CLIFailure("\(error)") }
      }
      let dataset = try data.resolveDataset()
      let spec = try resolveGraphModel(
        model, inputShape: try data.imageShape(dataset), classes: dataset.classNamesBeforeLoading?.count)
      let modelName = ModelZoo.named(model)?.name ?? spec.name
      let network = try Network(graph: spec, seed: seed)
      let loaded = try data.loadWithClasses(dataset)
      let splits = loaded.splits
      let (training, validation) = splits.training.split(validationFraction: validationSplit)
      let opt = kind.make(learningRate: lr, momentum: momentum)
      let params = try spec.parameterCount()
      print(
        "\(modelName) on \(dataset.displayName): \(training.count) training, \(validation?.count ?? 0) validation, "
          + "\(splits.test.count) test images; \(NumberText.grouped(params.total)) parameters; "
          + "\(kind.rawValue) lr \(NumberText.format(Double(opt.learningRate))), batch \(batch), seed \(seed)"
          + (augmentation.map { "; augment \($0)" } ?? ""))
      let progress = TrainingProgress(plain: plain)
      let history: [EpochMetrics]
      if let augmentation {
        history = try network.fit(
          training, validation: validation, epochs: epochs, batchSize: batch, optimizer: opt,
          augmentation: augmentation, seed: seed, onEvent: progress.handle)
      } else {
        history = try network.fit(
          training, validation: validation, epochs: epochs, batchSize: batch, optimizer: opt,
          onEvent: progress.handle)
      }
      let test = try network.evaluate(splits.test)
      let seconds = history.reduce(0) { $0 + $1.seconds }
      let images = history.reduce(0) { $0 + $1.images }
      let rate = seconds > 0 ? Double(images) / seconds : 0
      if let save {
        let meta: [String: String] = ModelFile.classesMetadata(loaded.classNames).merging([
          "dataset": dataset.rawValue, "model": modelName, "epochs": String(epochs),
          "optimizer": kind.rawValue, "learning_rate": "\(opt.learningRate)", "batch": String(batch),
          "seed": String(seed), "training_images": String(training.count),
          "test_images": String(splits.test.count), "test_accuracy": fixed(test.accuracy), "test_loss": fixed(test.loss),
        ].merging(data.limitsMetadata) { $1 }) { $1 }
        try ModelFile.save(network, metadata: meta, to: URL(fileURLWithPath: save))
      }
      if let metrics {
        let epochsJSON = history.map { m in
          "{\"epoch\": \(m.epoch), \"loss\": \(jsonNumber(m.loss)), \"accuracy\": \(jsonNumber(m.accuracy)), "
            + "\"val_loss\": \(jsonNumber(m.validationLoss)), \"val_accuracy\": \(jsonNumber(m.validationAccuracy)), "
            + "\"seconds\": \(jsonNumber(m.seconds))}"
        }
        let augmentJSON: String = augmentation.map { "\"\($0)\"" } ?? "null"
        let json: String = "{\"epochs\": [" + epochsJSON.joined(separator: ", ") + "], "
          + "\"augment\": " + augmentJSON + ", "
          + "\"limit\": \(data.limit.map(String.init) ?? "null"), \"test_limit\": \(data.testLimit.map(String.init) ?? "null"), "
          + "\"training_images\": \(training.count), \"validation_images\": \(validation?.count ?? 0), "
          + "\"test_images\": \(splits.test.count), "
          + "\"test_accuracy\": \(jsonNumber(test.accuracy)), \"test_loss\": \(jsonNumber(test.loss)), "
          + "\"images_per_second\": \(jsonNumber(rate))}\n"
        try AtomicFile.write(Data(json.utf8), to: URL(fileURLWithPath: metrics))
      }
      print("training: \(images) images in \(String(format: "%.1f", seconds))s (\(Int(rate.rounded())) images/s)")
      if data.testLimit != nil { print("note: evaluated on the first \(splits.test.count) test images only (--test-limit)") }
      print("test accuracy: \(fixed(test.accuracy))")
      print("test loss: \(fixed(test.loss))")
    }
  }
}
