/// One kind of layer, as Keras describes it: its options, what it does to shapes, which weights
/// it has and how it runs. Each layer type lives in its own file under `Layers/` and is listed
/// once in `LayerRegistry.all`; nothing else in convplay switches over layer kinds.
///
/// A value of a `Layer` type is the layer's configuration only (`Conv2D(filters: 64, ...)`);
/// the weights live in `Parameter`s and the running state in the `LayerRuntime` it makes.
public protocol Layer: Sendable, Hashable {
  /// Keras's class name, as summaries print it: `Conv2D`, `MaxPooling2D`, ...
  static var kerasClass: String { get }
  /// Keras's default name stem: `conv2d`, `max_pooling2d`, `re_lu`, ...
  static var nameStem: String { get }
  /// How the layer is written in a spec, lower-cased and without `_`: the first is the
  /// word shown in help (`conv2d`), the others are accepted too (`conv2d`, `convolution2d`).
  static var specWords: [String] { get }
  /// One line of help: `Conv2D(filters, kernel_size, strides=1, ...)`.
  static var specHelp: String { get }
  /// Reads the layer from a spec's arguments (`conv2d(32, 3, padding=same)`).
  static func parse(_ arguments: inout LayerArguments) throws -> Self
  /// Builds the layer from a Keras layer config (`model.get_config()["layers"][i]["config"]`).
  static func fromKeras(config: [String: JSONValue]) throws -> Self

  /// The options as a Keras config dictionary (what `fromKeras` reads back).
  var kerasConfig: [String: JSONValue] { get }
  /// The arguments as Keras code writes them, defaults left out (`64, kernel_size=(3, 3)`).
  var specArguments: [String] { get }
  /// How many inputs the layer reads (1 for all but Add and Concatenate; 0 for InputLayer).
  var inputCount: ClosedRange<Int> { get }

  /// The output shape (no batch dimension) for these input shapes; throws a `ModelSpecError`
  /// phrased for the person who wrote the model when the inputs do not fit.
  func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape
  /// The weight tensors, in Keras's order, with their shapes and initial values.
  func weights(for inputs: [FeatureShape]) -> [WeightSpec]
  /// The running layer: forward and backward passes with `context`'s weights.
  func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime

  /// The window of a convolution or pooling layer on an `[H, W, C]` input.
  func window(on input: FeatureShape) throws -> WindowGeometry?
  /// How the output size is made, with the numbers (`(28 + 2*0 - 3)/1 + 1 = 26`); nil when
  /// the layer keeps or simply sets it.
  func shapeFormula(for inputs: [FeatureShape]) -> String?
  /// The parameter count with its formula (`64*3*3*1 + 64 = 640`); `total` is the count.
  func parameterFormula(for inputs: [FeatureShape], total: Int) -> String
  /// Multiply-adds counted as two, for the inference report.
  func flops(for inputs: [FeatureShape], output: FeatureShape) -> Double
  /// True for layers that draw random numbers while they train (Dropout): only they get a
  /// generator, so the weights of the others draw as they always did.
  var drawsRandomNumbers: Bool { get }
}

extension Layer {
  public var kerasClass: String { Self.kerasClass }
  public var nameStem: String { Self.nameStem }
  public var inputCount: ClosedRange<Int> { 1...1 }
  public var kerasConfig: [String: JSONValue] { [:] }
  public var specArguments: [String] { [] }
  public func weights(for inputs: [FeatureShape]) -> [WeightSpec] { [] }
  public func window(on input: FeatureShape) throws -> WindowGeometry? { nil }
  public func shapeFormula(for inputs: [FeatureShape]) -> String? {
    guard let input = inputs.first, let g = try? window(on: input) else { return nil }
    return g.rows.formula == g.cols.formula ? g.rows.formula : g.rows.formula + ", " + g.cols.formula
  }
  public func parameterFormula(for inputs: [FeatureShape], total: Int) -> String { NumberText.grouped(total) }
  public func flops(for inputs: [FeatureShape], output: FeatureShape) -> Double { 0 }
  public var drawsRandomNumbers: Bool { false }

  /// The layer as Keras code, which the spec parser reads back: `Conv2D(64, kernel_size=(3, 3))`.
  public var kerasCode: String { Self.kerasClass + "(" + specArguments.joined(separator: ", ") + ")" }

  /// True when `other` is the same kind of layer with the same options.
  public func isSame(as other: any Layer) -> Bool {
    guard let o = other as? Self else { return false }
    return o == self
  }

  /// The one input of a layer that reads one (checked by `GraphSpec.rows()` before).
  func single(_ inputs: [FeatureShape]) throws -> FeatureShape {
    guard inputs.count == 1 else { throw ModelSpecError("takes one input, got \(inputs.count)") }
    return inputs[0]
  }

  /// The one input, which must be an image `[H, W, C]`.
  func image(_ inputs: [FeatureShape]) throws -> FeatureShape {
    let s = try single(inputs)
    guard s.count == 3 else {
      throw ModelSpecError(
        "\(Self.kerasClass) needs an image input (height, width, channels), got " + ShapeText.tuple(s))
    }
    return s
  }
}

/// One weight tensor a layer needs: Keras's name, shape, whether an optimizer may change it
/// (BatchNormalization's moving statistics never), and its initial values.
public struct WeightSpec: Equatable, Sendable {
  public enum Initializer: Equatable, Sendable {
    /// Keras's default kernel initializer: U(-l, l), l = sqrt(6 / (fanIn + fanOut)).
    case glorotUniform(fanIn: Int, fanOut: Int)
    case constant(Float)
  }
  public var name: String
  public var shape: [Int]
  public var learnable: Bool
  public var initializer: Initializer

  public init(_ name: String, _ shape: [Int], learnable: Bool = true, initializer: Initializer = .constant(0)) {
    self.name = name
    self.shape = shape
    self.learnable = learnable
    self.initializer = initializer
  }

  public var count: Int { shape.reduce(1, *) }

  /// Initial values drawn from `rng` (glorot) or constant.
  func initialValues(rng: inout RandomSource) -> [Float] {
    switch initializer {
    case .glorotUniform(let fanIn, let fanOut):
      return glorotUniform(count: count, fanIn: fanIn, fanOut: fanOut, rng: &rng)
    case .constant(let v):
      return [Float](repeating: v, count: count)
    }
  }
}

/// What a layer's runtime is built with.
public struct RuntimeContext {
  public var inputShapes: [FeatureShape]
  public var outputShape: FeatureShape
  /// Parallel to the layer's `weights(for:)`.
  public var parameters: [Parameter]
  /// Frozen layers (`trainable = false`) pass gradients through but add none to their weights;
  /// BatchNormalization then also uses its moving statistics, as Keras does.
  public var trainable: Bool
  /// For layers that draw random numbers while they run (Dropout).
  public var rng: RandomSource

  public var inputShape: FeatureShape { inputShapes.first ?? [] }
}

/// A layer with its weights, running: `forward` keeps what `backward` needs; `backward` takes
/// dL/doutput, adds the weight gradients into `Parameter.gradient` (when the layer trains) and
/// returns dL/dinput for each input. Tensors carry the batch first (`[N, H, W, C]`).
public protocol LayerRuntime: AnyObject {
  var parameters: [Parameter] { get }
  func forward(_ inputs: [Tensor], training: Bool) -> Tensor
  func backward(_ dOutput: Tensor) -> [Tensor]
  /// False when no layer below needs dL/dinput (the first layer with weights): layers that
  /// can, skip computing it and return zeros.
  var needsInputGradient: Bool { get set }
  /// Lets go of what the last forward pass kept for backward (inference keeps nothing).
  func releaseCaches()
}

extension LayerRuntime {
  public var needsInputGradient: Bool {
    get { true }
    set {}
  }
  public func releaseCaches() {}
  public var parameters: [Parameter] { [] }
}

/// A runtime of a layer that reads one input.
public protocol UnaryRuntime: LayerRuntime {
  func forward(_ x: Tensor, training: Bool) -> Tensor
  func backward(_ dOutput: Tensor) -> Tensor
}

extension UnaryRuntime {
  public func forward(_ inputs: [Tensor], training: Bool) -> Tensor { forward(inputs[0], training: training) }
  public func backward(_ dOutput: Tensor) -> [Tensor] { [backward(dOutput) as Tensor] }
}

/// A runtime ending in an activation. The network uses the pre-activation (logits) of its last
/// layer for a stable softmax cross-entropy and starts backpropagation from
/// dL/dlogits = (p - y) / N.
public protocol ActivatedRuntime: UnaryRuntime {
  var activation: Activation { get }
  /// The last forward pass's pre-activation values.
  var preActivation: Tensor { get }
  /// Backward from dL/dpre-activation, skipping the activation's own derivative.
  func backward(preActivationGradient dZ: Tensor) -> Tensor
}

/// One weight tensor of a layer and its gradient.
///
/// Names are Keras's (`kernel`, `bias`, `gamma`, `beta`, `moving_mean`, `moving_variance`,
/// `depthwise_kernel`, `pointwise_kernel`), so a saved file reads like a Keras model's weights.
public final class Parameter {
  public let name: String
  public let shape: [Int]
  public var value: [Float]
  /// dL/dvalue of the last backward pass (summed over the batch; the loss is a batch mean).
  /// Empty until the first `zeroGradient()` when made for inference only.
  public var gradient: [Float]
  /// False for statistics that no optimizer touches (BatchNormalization's moving mean/variance).
  public let learnable: Bool

  public init(name: String, shape: [Int], value: [Float], learnable: Bool = true, withGradient: Bool = true) {
    precondition(shape.reduce(1, *) == value.count, "parameter \(name): shape \(shape) needs \(shape.reduce(1, *)) values")
    self.name = name
    self.shape = shape
    self.value = value
    self.gradient = withGradient ? [Float](repeating: 0, count: value.count) : []
    self.learnable = learnable
  }

  func zeroGradient() {
    if gradient.count != value.count {
      gradient = [Float](repeating: 0, count: value.count)
    } else {
      gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
  }
}

/// Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out)), Keras's default.
func glorotUniform(count: Int, fanIn: Int, fanOut: Int, rng: inout RandomSource) -> [Float] {
  let limit = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
  return (0..<count).map { _ in rng.nextSymmetric(limit) }
}
