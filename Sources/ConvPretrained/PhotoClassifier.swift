import ConvData
import ConvImageIO
import ConvKit
import Foundation

/// How a photo becomes a classifier's input: the one path `convplay predict`, `convplay
/// classify` and the image lab's Grad-CAM view share.
public enum ClassifierInput: Equatable, Sendable {
  /// `predict`'s: gray, light digit on dark, cropped, scaled into 20x20 and centred by mass in
  /// 28x28, values 0...1 (`DigitPreprocessing.mnistStyle`).
  case digit
  /// `classify`'s: resized to the network's input as the weights' tools do, then Keras's
  /// `preprocess_input` mode (`Preprocessing`).
  case photo(Preprocessing)

  /// Why a photo cannot be a network's input (one line, without the file's name).
  public struct Failure: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
  }

  /// A loaded model's own way: the preprocessing its file names (`convplay.preprocessing`:
  /// imports and fine-tuned bases); else, for a 28x28x1 network trained on MNIST (convplay's
  /// digit models), the digit preparation `predict` uses; else x/255, as `classify` does.
  public static func of(metadata: [String: String], inputShape: [Int]) -> ClassifierInput {
    if let p = metadata[PretrainedModel.preprocessingKey].flatMap(Preprocessing.init(rawValue:)) { return .photo(p) }
    if inputShape == [28, 28, 1] && (metadata["dataset"] ?? "mnist") == "mnist" { return .digit }
    return .photo(.unit)
  }

  /// The network's input `[H, W, C]` for `image` (0...255) and the picture it amounts to
  /// (0...255, at the input's size): what Grad-CAM's map is drawn over.
  public func prepare(_ image: Image, inputShape: [Int]) throws -> (values: [Float], seen: Image) {
    guard inputShape.count == 3, inputShape[2] == 1 || inputShape[2] == 3 else {
      throw Failure("the network takes \(ShapeText.compact(inputShape)) inputs, not an image")
    }
    switch self {
    case .digit:
      guard inputShape == [28, 28, 1] else {
        throw Failure("the model takes \(ShapeText.compact(inputShape)) inputs; predict prepares 28x28x1 digits")
      }
      let gray = GrayMethod.luminance.convert(image)
      guard gray.channels == 1 else {
        throw Failure("\(gray.channels) channels; the digits model needs a gray or RGB image")
      }
      do {
        let pixels = try DigitPreprocessing.mnistStyle(gray: gray.samples, width: gray.width, height: gray.height)
        return (pixels, Image(width: 28, height: 28, channels: 1, samples: pixels.map { $0 * 255 }))
      } catch let e as DigitPreprocessing.Failure {
        throw Failure(e.description)
      }
    case .photo(let preprocessing):
      let resized = preprocessing.resized(image, height: inputShape[0], width: inputShape[1])
      do {
        return (try preprocessing.apply(resized, channels: inputShape[2]), resized)
      } catch let e as ImportError {
        throw Failure(e.description)
      }
    }
  }
}

/// A classifier of photos with what it needs to explain itself: the network, its class names
/// and its input preparation. What the image lab's Grad-CAM view runs (off the screen's loop).
public final class PhotoClassifier {
  public let network: InferenceNetwork
  public let names: [String]
  public let input: ClassifierInput
  /// What the screen calls it: "built-in digits model" or the file's name.
  public let label: String

  /// Checks that `network` classifies images (an image input, one score per class).
  public init(network: InferenceNetwork, metadata: [String: String], label: String, input: ClassifierInput? = nil) throws {
    let shape = network.inputShape
    guard shape.count == 3, shape[2] == 1 || shape[2] == 3 else {
      throw ClassifierInput.Failure("\(label) takes \(ShapeText.compact(shape)) inputs, not images")
    }
    guard network.outputShape.count == 1, network.outputShape[0] >= 2 else {
      throw ClassifierInput.Failure("\(label) is not a classifier: its output is \(ShapeText.compact(network.outputShape)), not one score per class")
    }
    self.network = network
    self.label = label
    self.input = input ?? ClassifierInput.of(metadata: metadata, inputShape: shape)
    names = PhotoClassifier.classNames(metadata: metadata, classes: network.outputShape[0])
  }

  /// The digit classifier convplay ships, prepared as `convplay predict` prepares a digit.
  public static func builtInDigits() throws -> PhotoClassifier {
    let (network, metadata) = try DefaultModel.load()
    return try PhotoClassifier(
      network: InferenceNetwork(network: network), metadata: metadata, label: "built-in digits model", input: .digit)
  }

  /// A model file through the loader every `--weights` goes through (`WeightsLoader`: convplay
  /// files, Keras full models, published weights by name; other weights on `architecture`).
  public static func load(_ url: URL, architecture: WeightsArchitecture? = nil) throws -> PhotoClassifier {
    let loaded = try WeightsLoader.load(url, architecture: architecture)
    let network = try InferenceNetwork(graph: loaded.graph, weights: loaded.weights)
    return try PhotoClassifier(network: network, metadata: loaded.metadata, label: url.lastPathComponent)
  }

  /// Grad-CAM of `image` for `classIndex` (nil: the top class) at the last convolution, and
  /// the picture the network saw.
  public func explain(_ image: Image, classIndex: Int? = nil) throws -> (map: GradCAMMap, seen: Image) {
    let (values, seen) = try input.prepare(image, inputShape: network.inputShape)
    return (try network.gradCAM(image: values, classIndex: classIndex), seen)
  }

  /// Names for a model's outputs, as `classify` names them: ImageNet's, the file's own list,
  /// the named data set it was trained on (convplay's models), or "class N".
  public static func classNames(metadata: [String: String], classes: Int) -> [String] {
    var names = PretrainedModel.classNames(metadata: metadata, classes: classes).map(\.name)
    if metadata[PretrainedModel.classesKey] == nil, let data = metadata["dataset"].flatMap(Dataset.init(rawValue:)),
      data.classNames.count == classes
    {
      names = data.classNames
    }
    return names
  }
}
