import ConvData
import ConvKit
import ConvPretrained
import Foundation

/// One input's trip through a trained model: every layer's output, weights, kind and inputs.
///
/// This is the ONLY file of the network explorer that touches the model classes
/// (`InferenceNetwork`, `DefaultModel`, `PretrainedModel`); the screens read the plain values
/// below. Any graph is walked: the layers in the graph's order (each after the layers it
/// reads), each with the outputs it really reads (a shortcut's Add reads the block's input,
/// not the layer before it).
public struct NetworkActivations: Sendable {
  /// What a layer does, as far as the explorer explains it.
  public enum Role: Equatable, Sendable {
    /// Conv2D: `filters` filters of `kernelRows` x `kernelCols` over every input channel.
    case conv(filters: Int, kernelRows: Int, kernelCols: Int, geometry: WindowGeometry, activation: Activation)
    /// DepthwiseConv2D: each input channel its own `kernelRows` x `kernelCols` kernel
    /// (`multiplier` of them), no mixing across channels.
    case depthwise(multiplier: Int, kernelRows: Int, kernelCols: Int, geometry: WindowGeometry, activation: Activation)
    /// SeparableConv2D: a depthwise kernel per channel, then a 1x1 convolution to `filters`.
    case separable(filters: Int, kernelRows: Int, kernelCols: Int)
    case pool(mode: PoolMode, geometry: WindowGeometry)
    /// GlobalAveragePooling2D / GlobalMaxPooling2D: one number per channel.
    case globalPool(mode: PoolMode)
    case dense(units: Int, activation: Activation)
    case flatten
    case dropout
    /// Add: the inputs summed cell by cell.
    case add
    /// Concatenate: the inputs' channels side by side.
    case concatenate
    /// BatchNormalization with its moving statistics (inference).
    case batchNorm(epsilon: Float)
    case zeroPadding(top: Int, bottom: Int, left: Int, right: Int)
    /// An activation on its own (Activation, ReLU, LeakyReLU): `function` as Keras writes it.
    case activation(function: String)
    /// Anything else (Reshape...): shown, not opened.
    case other
  }

  public struct Layer: Sendable {
    public var name: String
    public var kerasClass: String
    public var role: Role
    /// `[H, W, C]` or `[N]` of the first input.
    public var inputShape: FeatureShape
    public var outputShape: FeatureShape
    /// The layer's output for this input, NHWC order (after the activation).
    public var output: [Float]
    /// Conv2D `[KH, KW, Cin, F]`, DepthwiseConv2D `[KH, KW, C, M]`, Dense `[in, units]`
    /// (Keras's layouts), flattened.
    public var kernel: [Float]?
    public var bias: [Float]?
    /// Dense: z = x W + b before the activation (the logits of a softmax layer); a softmax
    /// Activation layer: its input.
    public var preActivation: [Float]?
    /// What the layer reads: indices in `layers`, -1 for the network's input.
    public var inputs: [Int] = []
    /// Their names (the input layer's own name for -1) and shapes.
    public var inputNames: [String] = []
    public var inputShapes: [FeatureShape] = []
    /// Every weight by Keras's name (`gamma`, `moving_mean`...).
    public var weights: [String: [Float]] = [:]
    /// True for a softmax at the end (a Dense layer or an Activation layer): the class scores.
    public var isSoftmax = false

    /// True when the layer reads just the layer before it (a chain's link).
    public func readsPrevious(at index: Int) -> Bool { inputs == [index - 1] }
  }

  /// `[H, W, C]` and its values in the network's scale.
  public var inputShape: FeatureShape
  public var input: [Float]
  public var layers: [Layer]

  /// The output that layer `i` reads as its `k`-th input (the network's input for -1).
  public func layerInput(_ i: Int, _ k: Int = 0) -> [Float] {
    let layer = layers[i]
    guard k < layer.inputs.count else { return i == 0 ? input : layers[i - 1].output }
    let j = layer.inputs[k]
    return j < 0 ? input : layers[j].output
  }

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

    /// A network with the given weights (tests, and models built in memory).
    public init(network: InferenceNetwork, classNames: [String]? = nil, label: String) {
      self.network = network
      self.classNames = classNames
      self.label = label
    }

    private static func names(_ metadata: [String: String], _ classes: Int) -> [String]? {
      let n = PretrainedModel.classNames(metadata: metadata, classes: classes).map(\.name)
      return n.first == "class 0" ? nil : n
    }

    /// Every layer's output for one input `[H, W, C]` (inference mode: dropout passes through).
    public func run(_ pixels: [Float]) -> NetworkActivations {
      let built = network.layers
      var index: [String: Int] = [:]
      for (i, l) in built.enumerated() { index[l.name] = i }
      let inputName = network.graph.inputNode?.name ?? "input"
      var layers: [Layer] = []
      _ = network.forward(pixels, batch: 1) { report, values in
        guard report.index < built.count else { return }
        let l = built[report.index]
        let reads = l.node.inputs.map { index[$0] ?? -1 }
        var layer = Layer(
          name: report.name, kerasClass: report.kerasClass, role: .other, inputShape: l.inputShape,
          outputShape: report.outputShape, output: values, inputs: reads,
          inputNames: l.node.inputs.map { index[$0] == nil ? inputName : $0 }, inputShapes: l.inputShapes)
        for p in l.parameters { layer.weights[p.name] = p.value }
        layer.kernel = layer.weights["kernel"] ?? layer.weights["depthwise_kernel"]
        layer.bias = layer.weights["bias"]
        let firstInput = reads.first.map { $0 < 0 ? pixels : layers[$0].output } ?? pixels
        let geometry = try? l.node.window(on: l.inputShape)
        switch l.node.layer {
        case let conv as Conv2D:
          if let g = geometry {
            layer.role = .conv(
              filters: conv.filters, kernelRows: conv.kernelSize.rows, kernelCols: conv.kernelSize.cols, geometry: g,
              activation: conv.activation)
          }
        case let dw as DepthwiseConv2D:
          if let g = geometry {
            layer.role = .depthwise(
              multiplier: dw.depthMultiplier, kernelRows: dw.kernelSize.rows, kernelCols: dw.kernelSize.cols, geometry: g,
              activation: dw.activation)
          }
        case let sep as SeparableConv2D:
          layer.kernel = nil
          layer.role = .separable(filters: sep.filters, kernelRows: sep.kernelSize.rows, kernelCols: sep.kernelSize.cols)
        case let dense as Dense:
          let kernel = layer.kernel ?? []
          let bias = layer.bias
          layer.role = .dense(units: dense.units, activation: dense.activation)
          layer.isSoftmax = dense.activation == .softmax
          // z = x W + b, in Double: the logits the softmax screen works from.
          let fanIn = firstInput.count
          let units = dense.units
          if kernel.count == fanIn * units {
            layer.preActivation = (0..<units).map { j in
              var z = Double(bias?[j] ?? 0)
              for i in 0..<fanIn { z += Double(firstInput[i]) * Double(kernel[i * units + j]) }
              return Float(z)
            }
          }
        case is MaxPooling2D:
          if let g = geometry { layer.role = .pool(mode: .max, geometry: g) }
        case is AveragePooling2D:
          if let g = geometry { layer.role = .pool(mode: .avg, geometry: g) }
        case is GlobalAveragePooling2D:
          layer.role = .globalPool(mode: .avg)
        case is GlobalMaxPooling2D:
          layer.role = .globalPool(mode: .max)
        case is Flatten:
          layer.role = .flatten
        case is Dropout:
          layer.role = .dropout
        case is Add:
          layer.role = .add
        case is Concatenate:
          layer.role = .concatenate
        case let bn as BatchNormalization:
          layer.role = .batchNorm(epsilon: bn.epsilon)
        case let pad as ZeroPadding2D:
          layer.role = .zeroPadding(top: pad.top, bottom: pad.bottom, left: pad.left, right: pad.right)
        case let act as ActivationLayer:
          layer.role = .activation(function: act.activation.rawValue)
          if act.activation == .softmax {
            layer.isSoftmax = true
            layer.preActivation = firstInput
          }
        case is ReLU, is LeakyReLU:
          layer.role = .activation(function: l.node.layer.kerasCode)
        default:
          break
        }
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
