import ArgumentParser
import ConvData
import ConvKit
import Foundation

/// `convplay evaluate`: Keras's `model.evaluate` of saved weights on a test set.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: localized("Measure saved weights' accuracy and loss on a data set's test images."),
    discussion: localized("""
      Example:
        convplay train --model cnn --epochs 3 --save digits.safetensors
        convplay evaluate --weights digits.safetensors
      Without --weights, the built-in digit model (Keras's mnist_convnet trained by convplay).
      The data set defaults to the one the weights were trained on.
      """))

  @Option(
    name: .long,
    help: ArgumentHelp(localized("A weights file written by `convplay train --save` (default: the built-in model)."), valueName: localized("FILE")))
  var weights: String?

  @OptionGroup var data: DatasetOptions

  func run() throws {
    try reportingErrors {
      let (network, meta) = try weights.map { try ModelFile.load(URL(fileURLWithPath: $0)) } ?? DefaultModel.load()
      let dataset = try data.resolveDataset(default: meta["dataset"] ?? "mnist")
      let splits = try data.load(dataset, evaluating: true)
      let test = try network.evaluate(splits.test)
      print("\(meta["model"] ?? "model")\(weights == nil ? " (built-in)" : "") on \(dataset.displayName): \(splits.test.count) test images")
      print("test accuracy: \(fixed(test.accuracy))")
      print("test loss: \(fixed(test.loss))")
    }
  }
}
