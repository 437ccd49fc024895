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
    help: ArgumentHelp(localized("Weights: a model saved by `convplay train --save`, Keras .h5/.keras, PyTorch .pth, safetensors or .npz (default: the built-in model)."),
      valueName: localized("FILE")))
  var weights: String?

  @Option(name: .long, help: ArgumentHelp(localized("The architecture of a --weights file that does not state one (a model spec or spec file)."), valueName: localized("SPEC")))
  var arch: String?

  @OptionGroup var data: DatasetOptions

  func validate() throws {
    if arch != nil && weights == nil { throw ValidationError("--arch describes a --weights file: give --weights FILE too") }
  }

  func run() throws {
    try reportingErrors {
      let network: Network
      let meta: [String: String]
      let dataset: DataSource
      let splits: DatasetSplits
      if let weights, let arch {
        // A spec given with --arch is built on the data set's images.
        dataset = try data.resolveDataset(default: "mnist")
        splits = try data.load(dataset, evaluating: true)
        (network, meta) = try loadTrainableWeights(weights, arch: arch, input: ShapeText.compact(splits.test.imageShape))
      } else {
        (network, meta) = try weights.map { try loadTrainableWeights($0, arch: nil) } ?? DefaultModel.load()
        dataset = try data.resolveDataset(default: meta["dataset"] ?? "mnist")
        splits = try data.load(dataset, evaluating: true)
      }
      let test = try network.evaluate(splits.test)
      print("\(meta["model"] ?? "model")\(weights == nil ? " (built-in)" : "") on \(dataset.displayName): \(splits.test.count) test images")
      print("test accuracy: \(fixed(test.accuracy))")
      print("test loss: \(fixed(test.loss))")
    }
  }
}
