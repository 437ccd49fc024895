/// Activation functions by their Keras names.
public enum Activation: String, Sendable, CaseIterable, Equatable, Hashable {
  case linear, relu, tanh, sigmoid, softmax
  case gelu, elu, selu, softplus, softsign, silu, relu6, exponential
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

/// One layer of a Sequential model: what it is, its name, and whether training may change it.
public struct LayerSpec: Hashable, Sendable {
  public var layer: any Layer
  /// Keras-style name (`conv2d`, `dense_1`); `SequentialSpec` assigns unique ones when empty.
  public var name: String
  /// Frozen layers (`trainable = false`) keep their weights; summaries count them as
  /// non-trainable, as the course's fine-tuning steps need.
  public var trainable: Bool

  public init(_ layer: any Layer, name: String = "", trainable: Bool = true) {
    self.layer = layer
    self.name = name
    self.trainable = trainable
  }

  public static func == (a: LayerSpec, b: LayerSpec) -> Bool {
    a.name == b.name && a.trainable == b.trainable && a.layer.isSame(as: b.layer)
  }

  public func hash(into h: inout Hasher) {
    h.combine(name)
    h.combine(trainable)
    h.combine(AnyHashable(layer))
  }

  /// Keras's class name (`Conv2D`).
  public var kerasClass: String { layer.kerasClass }

  /// The window geometry of a conv or pooling layer on an `[H, W, C]` input.
  public func window(on input: FeatureShape) throws -> WindowGeometry? { try layer.window(on: input) }

  /// Output shape for an input shape (both without the batch dimension).
  public func outputShape(for input: FeatureShape) throws -> FeatureShape { try layer.outputShape(for: [input]) }

  /// Number of weights and how many of them training updates (Keras's counting exactly).
  public func parameters(for input: FeatureShape) -> ParameterCount {
    ParameterCount(layer, inputs: [input], trainable: trainable)
  }

  /// The layer as Keras code, which `ModelSpecParser` also reads back:
  /// `Conv2D(64, kernel_size=(3, 3), activation='relu')`, `MaxPooling2D(pool_size=(2, 2))`.
  public var kerasCode: String {
    var args = layer.specArguments
    if !trainable { args.append("trainable=False") }
    return layer.kerasClass + "(" + args.joined(separator: ", ") + ")"
  }

  /// Keras's parameter count with its formula filled in: `64*3*3*1 + 64 = 640`.
  public func parameterFormula(for input: FeatureShape) -> String {
    layer.parameterFormula(for: [input], total: parameters(for: input).total)
  }

  /// How the layer's output size is made, with the numbers; nil when it keeps or sets it.
  public func shapeFormula(for input: FeatureShape) -> String? { layer.shapeFormula(for: [input]) }
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

  /// The weights of `layer` on `inputs`: all of them, and those an optimizer changes (none when
  /// the layer is frozen; BatchNormalization's moving statistics never).
  public init(_ layer: any Layer, inputs: [FeatureShape], trainable: Bool) {
    let w = layer.weights(for: inputs)
    total = w.reduce(0) { $0 + $1.count }
    self.trainable = trainable ? w.filter(\.learnable).reduce(0) { $0 + $1.count } : 0
  }

  /// The same count, with every weight shape's product and the sums checked, and the output
  /// shape's size too: what the shape walks (`GraphSpec.rows()`, `SequentialSpec.rows()`) use,
  /// so that later code may multiply a checked model's sizes freely.
  public static func checked(
    _ layer: any Layer, inputs: [FeatureShape], output: FeatureShape, trainable: Bool
  ) throws -> ParameterCount {
    _ = try CheckedSize.elements(output, field: "the output shape " + ShapeText.tuple(output))
    var total = 0
    var learnable = 0
    for w in layer.weights(for: inputs) {
      let n = try CheckedSize.elements(w.shape, field: "the weight \(w.name) " + ShapeText.tuple(w.shape))
      total = try CheckedSize.add(total, n, field: "the parameter count")
      if w.learnable { learnable += n }
    }
    return ParameterCount(total: total, trainable: trainable ? learnable : 0)
  }

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
