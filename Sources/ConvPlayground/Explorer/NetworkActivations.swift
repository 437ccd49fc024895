import ConvData
import ConvKit
import ConvPretrained
import Foundation

/// One input's trip through a trained model: every layer's output, weights and kind.
///
/// This is the ONLY file of the network explorer that touches the model classes
/// (`InferenceNetwork`, `DefaultModel`, `PretrainedModel`); the screens read the plain values
/// below. When the engine's models change (a graph of layers instead of a sequence), this file
/// is the one to change.
public struct NetworkActivations: Sendable {
  /// What a layer does, as far as the explorer explains it.
  public enum Role: Equatable, Sendable {
    /// Conv2D: `filters` filters of `kernelRows` x `kernelCols` over every input channel.
    case conv(filters: Int, kernelRows: Int, kernelCols: Int, geometry: WindowGeometry, activation: Activation)
    case pool(mode: PoolMode, geometry: WindowGeometry)
    case dense(units: Int, activation: Activation)
    case flatten
    case dropout
    /// Anything else (BatchNormalization, an Activation layer, global pooling): shown, not opened.
    case other
  }

  public struct Layer: Sendable {
    public var name: String
    public var kerasClass: String
    public var role: Role
    /// `[H, W, C]` or `[N]`.
    public var inputShape: FeatureShape
    public var outputShape: FeatureShape
    /// The layer's output for this input, NHWC order (after the activation).
    public var output: [Float]
    /// Conv2D `[KH, KW, Cin, F]`, Dense `[in, units]` (Keras's layouts), flattened.
    public var kernel: [Float]?
    public var bias: [Float]?
    /// Dense: z = x W + b before the activation (the logits of a softmax layer).
    public var preActivation: [Float]?
  }

  /// `[H, W, C]` and its values in the network's scale.
  public var inputShape: FeatureShape
  public var input: [Float]
  public var layers: [Layer]

  /// The output of layer `i`'s input: the network's input for layer 0.
  public func layerInput(_ i: Int) -> [Float] { i == 0 ? input : layers[i - 1].output }

  /// A trained model, ready to run one input at a time.
  public struct Model: @unchecked Sendable {
    // InferenceNetwork is a class that is only read after loading.
    let network: InferenceNetwork
    /// Class names from the file's metadata, when it has them.
    public let classNames: [String]?
    public let label: String
    /// How a picture is scaled for this model (Keras's 'caffe' for an imported VGG16, x/255 otherwise).
    public var preprocessing: Preprocessing = .unit
    public var inputShape: FeatureShape { network.inputShape }

    /// The digits model convplay ships (Keras's mnist_convnet, trained by this engine).
    public static func builtIn() throws -> Model {
      let (network, metadata) = try DefaultModel.load()
      return Model(network: try InferenceNetwork(network: network), classNames: names(metadata, 10), label: "digits")
    }

    /// "digits" (the built-in model) or a file saved by `train --save`, `finetune` or `import`.
    public static func load(_ nameOrPath: String) throws -> Model {
      if nameOrPath == "digits" || nameOrPath == "default" { return try builtIn() }
      let url = URL(fileURLWithPath: nameOrPath)
      let (network, metadata) = try PretrainedModel.load(url)
      let classes = network.outputShape.reduce(1, *)
      var model = Model(network: network, classNames: names(metadata, classes), label: url.lastPathComponent)
      model.preprocessing = metadata[PretrainedModel.preprocessingKey].flatMap { Preprocessing(rawValue: $0) } ?? .unit
      return model
    }

    private static func names(_ metadata: [String: String], _ classes: Int) -> [String]? {
      let n = PretrainedModel.classNames(metadata: metadata, classes: classes).map(\.name)
      return n.first == "class 0" ? nil : n
    }

    /// Every layer's output for one input `[H, W, C]` (inference mode: dropout passes through).
    public func run(_ pixels: [Float]) -> NetworkActivations {
      let rows = (try? network.sequential?.rows()) ?? []
      var layers: [Layer] = []
      var previous = pixels
      _ = network.forward(pixels, batch: 1) { report, values in
        guard report.index < rows.count, report.index < network.layers.count else { return }
        let row = rows[report.index]
        var layer = Layer(
          name: report.name, kerasClass: report.kerasClass, role: .other, inputShape: row.inputShape,
          outputShape: report.outputShape, output: values)
        let parameters = network.layers[report.index].parameters
        func weight(_ name: String) -> [Float]? { parameters.first { $0.name == name }?.value }
        let geometry = try? row.layer.window(on: row.inputShape)
        switch row.layer.layer {
        case let conv as Conv2D:
          layer.kernel = weight("kernel")
          layer.bias = weight("bias")
          if let g = geometry {
            layer.role = .conv(
              filters: conv.filters, kernelRows: conv.kernelSize.rows, kernelCols: conv.kernelSize.cols, geometry: g,
              activation: conv.activation)
          }
        case let dense as Dense:
          let kernel = weight("kernel") ?? []
          let bias = weight("bias")
          layer.kernel = kernel
          layer.bias = bias
          layer.role = .dense(units: dense.units, activation: dense.activation)
          // z = x W + b, in Double: the logits the softmax screen works from.
          let fanIn = previous.count
          let units = dense.units
          if kernel.count == fanIn * units {
            layer.preActivation = (0..<units).map { j in
              var z = Double(bias?[j] ?? 0)
              for i in 0..<fanIn { z += Double(previous[i]) * Double(kernel[i * units + j]) }
              return Float(z)
            }
          }
        case is MaxPooling2D:
          if let g = geometry { layer.role = .pool(mode: .max, geometry: g) }
        case is AveragePooling2D:
          if let g = geometry { layer.role = .pool(mode: .avg, geometry: g) }
        case is Flatten:
          layer.role = .flatten
        case is Dropout:
          layer.role = .dropout
        default:
          break
        }
        previous = values
        layers.append(layer)
      }
      return NetworkActivations(inputShape: network.inputShape, input: pixels, layers: layers)
    }
  }
}

/// MNIST's test digits, for the explorer's input: only the test files are read.
public struct TestDigits: Sendable {
  public let images: LabeledImages

  /// The MNIST test set where `convplay data fetch` and `$CONVPLAY_DATA` put it (nil when absent).
  public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> TestDigits? {
    let source = DatasetLocator(environment: environment)
    guard let dir = try? source.locate(.mnist),
      let imagesURL = DatasetLocator.path(of: Dataset.mnist.files[2], in: dir),
      let labelsURL = DatasetLocator.path(of: Dataset.mnist.files[3], in: dir),
      let images = try? IDXArray(contentsOf: imagesURL), let labels = try? IDXArray(contentsOf: labelsURL),
      let set = try? LabeledImages(images: images, labels: labels, name: "MNIST test set")
    else { return nil }
    return TestDigits(images: set)
  }

  public var count: Int { images.count }

  /// Image `i` as 784 values in [0, 1] and its label.
  public func digit(_ i: Int) -> (pixels: [Float], label: Int) {
    let size = 28 * 28
    return (Array(images.images.scalars[(i * size)..<((i + 1) * size)]), images.labels[i])
  }
}
