/// Activation functions by their Keras names.
public enum Activation: String, Sendable, CaseIterable, Equatable, Hashable {
  case linear, relu, tanh, sigmoid, softmax
}

/// A shape without the batch dimension, in Keras's order: `[H, W, C]` for images, `[N]` after
/// Flatten or Dense. Summaries print it as `(None, 26, 26, 64)`.
public typealias FeatureShape = [Int]

/// Errors in a model description, phrased for the person who wrote it.
public struct ModelSpecError: Error, Equatable, CustomStringConvertible {
  public var layerIndex: Int?
  public var message: String
  public init(layerIndex: Int? = nil, _ message: String) {
    self.layerIndex = layerIndex
    self.message = message
  }
  public var description: String {
    if let i = layerIndex { return "layer \(i + 1): \(message)" }
    return message
  }
}

/// What one layer is, independent of its weights: enough for shapes, parameter counts and
/// summaries (Keras's `model.summary()`), and for the network engine to build it.
public enum LayerKind: Equatable, Hashable, Sendable {
  case conv2D(
    filters: Int, kernel: (rows: Int, cols: Int), strides: (rows: Int, cols: Int),
    padding: Padding, dilation: Int, activation: Activation, useBias: Bool)
  case maxPool2D(size: (rows: Int, cols: Int), strides: (rows: Int, cols: Int), padding: Padding)
  case averagePool2D(size: (rows: Int, cols: Int), strides: (rows: Int, cols: Int), padding: Padding)
  case globalAveragePool2D
  case flatten
  case dense(units: Int, activation: Activation, useBias: Bool)
  case dropout(rate: Float)
  case batchNormalization(epsilon: Float, momentum: Float)
  case activation(Activation)

  public static func == (a: LayerKind, b: LayerKind) -> Bool { a.key == b.key }
  public func hash(into h: inout Hasher) { h.combine(key) }

  /// A canonical text of the case and its arguments (tuples are not Equatable).
  private var key: String { String(describing: self) }

  /// Keras's class name, shown in summaries: `Conv2D`, `MaxPooling2D`, ...
  public var kerasClass: String {
    switch self {
    case .conv2D: return "Conv2D"
    case .maxPool2D: return "MaxPooling2D"
    case .averagePool2D: return "AveragePooling2D"
    case .globalAveragePool2D: return "GlobalAveragePooling2D"
    case .flatten: return "Flatten"
    case .dense: return "Dense"
    case .dropout: return "Dropout"
    case .batchNormalization: return "BatchNormalization"
    case .activation: return "Activation"
    }
  }

  /// Keras's default layer-name stem: `conv2d`, `max_pooling2d`, ...
  public var kerasNameStem: String {
    switch self {
    case .conv2D: return "conv2d"
    case .maxPool2D: return "max_pooling2d"
    case .averagePool2D: return "average_pooling2d"
    case .globalAveragePool2D: return "global_average_pooling2d"
    case .flatten: return "flatten"
    case .dense: return "dense"
    case .dropout: return "dropout"
    case .batchNormalization: return "batch_normalization"
    case .activation: return "activation"
    }
  }
}

/// One layer of a model: what it is, its name, and whether training may change it.
public struct LayerSpec: Equatable, Hashable, Sendable {
  public var kind: LayerKind
  /// Keras-style name (`conv2d`, `dense_1`); `Sequential` assigns unique ones when empty.
  public var name: String
  /// Frozen layers (`trainable = false`) keep their weights; summaries count them as
  /// non-trainable, as the course's fine-tuning steps need.
  public var trainable: Bool

  public init(_ kind: LayerKind, name: String = "", trainable: Bool = true) {
    self.kind = kind
    self.name = name
    self.trainable = trainable
  }

  /// The window geometry of a conv or pooling layer on an `[H, W, C]` input.
  public func window(on input: FeatureShape) throws -> WindowGeometry? {
    switch kind {
    case .conv2D(_, let k, let s, let p, let d, _, _):
      return try WindowGeometry(
        inputRows: input[0], inputCols: input[1], kernelRows: k.rows, kernelCols: k.cols,
        strideRows: s.rows, strideCols: s.cols, dilation: d, padding: p)
    case .maxPool2D(let k, let s, let p), .averagePool2D(let k, let s, let p):
      return try WindowGeometry(
        inputRows: input[0], inputCols: input[1], kernelRows: k.rows, kernelCols: k.cols,
        strideRows: s.rows, strideCols: s.cols, padding: p)
    default:
      return nil
    }
  }

  /// Output shape for an input shape (both without the batch dimension).
  /// Conv and pooling sizes come from `OutputShape`, the same arithmetic as `conv` and `step`.
  public func outputShape(for input: FeatureShape) throws -> FeatureShape {
    func needImage() throws {
      guard input.count == 3 else {
        throw ModelSpecError(
          "\(kind.kerasClass) needs an image input (height, width, channels), got "
            + ShapeText.tuple(input))
      }
    }
    switch kind {
    case .conv2D(let filters, _, _, _, _, _, _):
      try needImage()
      let g = try window(on: input)!
      return [g.outputRows, g.outputCols, filters]
    case .maxPool2D, .averagePool2D:
      try needImage()
      let g = try window(on: input)!
      return [g.outputRows, g.outputCols, input[2]]
    case .globalAveragePool2D:
      try needImage()
      return [input[2]]
    case .flatten:
      return [input.reduce(1, *)]
    case .dense(let units, _, _):
      // Keras applies Dense to the last axis.
      return Array(input.dropLast()) + [units]
    case .dropout, .batchNormalization, .activation:
      return input
    }
  }

  /// Number of weights and how many of them training updates (Keras's counting exactly).
  ///
  /// - Conv2D: kh*kw*cin*filters + filters (the course: 64*3*3*1 + 64 = 640)
  /// - Dense: in*units + units (43,264*10 + 10 = 432,650)
  /// - BatchNormalization: 4*C, of which the moving mean and variance (2*C) never train.
  public func parameters(for input: FeatureShape) -> ParameterCount {
    let count: Int
    var alwaysFrozen = 0
    switch kind {
    case .conv2D(let filters, let k, _, _, _, _, let useBias):
      count = k.rows * k.cols * (input.last ?? 1) * filters + (useBias ? filters : 0)
    case .dense(let units, _, let useBias):
      count = (input.last ?? 1) * units + (useBias ? units : 0)
    case .batchNormalization:
      let c = input.last ?? 1
      count = 4 * c
      alwaysFrozen = 2 * c
    default:
      count = 0
    }
    let trainableCount = trainable ? count - alwaysFrozen : 0
    return ParameterCount(total: count, trainable: trainableCount)
  }
}

/// Total, trainable and non-trainable weights, as the last lines of `model.summary()`.
public struct ParameterCount: Equatable, Hashable, Sendable {
  public var total: Int
  public var trainable: Int
  public var nonTrainable: Int { total - trainable }

  public init(total: Int, trainable: Int) {
    self.total = total
    self.trainable = trainable
  }

  public static let zero = ParameterCount(total: 0, trainable: 0)

  public static func + (a: ParameterCount, b: ParameterCount) -> ParameterCount {
    ParameterCount(total: a.total + b.total, trainable: a.trainable + b.trainable)
  }
}

/// Shapes written as Keras prints them.
public enum ShapeText {
  /// `(None, 26, 26, 64)`.
  public static func batched(_ s: FeatureShape) -> String {
    "(None, " + s.map(String.init).joined(separator: ", ") + ")"
  }
  /// `(26, 26, 64)`.
  public static func tuple(_ s: FeatureShape) -> String {
    "(" + s.map(String.init).joined(separator: ", ") + (s.count == 1 ? ",)" : ")")
  }
  /// `26x26x64`.
  public static func compact(_ s: FeatureShape) -> String {
    s.map(String.init).joined(separator: "x")
  }
}
