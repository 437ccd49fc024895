/// Keras's `layers.ReLU(max_value=None, negative_slope=0, threshold=0)`: MobileNet's ReLU(6.).
/// y = min(max(x, 0), max_value) for x >= threshold, negative_slope * (x - threshold) below it.
public struct ReLU: Layer {
  public var maxValue: Float?
  public var negativeSlope: Float
  public var threshold: Float

  public init(maxValue: Float? = nil, negativeSlope: Float = 0, threshold: Float = 0) {
    self.maxValue = maxValue
    self.negativeSlope = negativeSlope
    self.threshold = threshold
  }

  public static let kerasClass = "ReLU"
  public static let nameStem = "re_lu"
  /// Written `ReLU(6)`, as Keras names the class (a bare `relu` is an Activation).
  public static let specWords = ["ReLU"]
  public static let specHelp = "ReLU(max_value=None, negative_slope=0, threshold=0)"

  public static func parse(_ a: inout LayerArguments) throws -> ReLU {
    try a.bind(positional: ["max_value"], named: ["max_value", "negative_slope", "threshold"])
    let m = try a.double("max_value")
    if let m, m <= 0 { throw a.fail(at: "max_value", "max_value must be above 0") }
    return ReLU(
      maxValue: m.map(Float.init), negativeSlope: Float(try a.double("negative_slope") ?? 0),
      threshold: Float(try a.double("threshold") ?? 0))
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> ReLU {
    let m = c["max_value"]?.double
    return ReLU(
      maxValue: m.map(Float.init), negativeSlope: Float(try c.double("negative_slope", default: 0)),
      threshold: Float(try c.double("threshold", default: 0)))
  }

  public var kerasConfig: [String: JSONValue] {
    [
      "max_value": maxValue.map { .number(Double($0)) } ?? .null, "negative_slope": .number(Double(negativeSlope)),
      "threshold": .number(Double(threshold)),
    ]
  }

  public var specArguments: [String] {
    var args: [String] = []
    if let maxValue { args.append("max_value=" + NumberText.format(maxValue)) }
    if negativeSlope != 0 { args.append("negative_slope=" + NumberText.format(negativeSlope)) }
    if threshold != 0 { args.append("threshold=" + NumberText.format(threshold)) }
    return args
  }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape { try single(inputs) }
  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime {
    PiecewiseLinearRuntime(slope: negativeSlope, threshold: threshold, maxValue: maxValue)
  }
}

/// ReLU and LeakyReLU: y = x between threshold and maxValue, clipped at maxValue above,
/// slope * (x - threshold) below threshold.
final class PiecewiseLinearRuntime: UnaryRuntime {
  let slope: Float
  let threshold: Float
  let maxValue: Float?
  private var input = Tensor(zeros: [0])

  init(slope: Float, threshold: Float, maxValue: Float?) {
    self.slope = slope
    self.threshold = threshold
    self.maxValue = maxValue
  }

  func releaseCaches() { input = Tensor(zeros: [0]) }

  func forward(_ x: Tensor, training: Bool) -> Tensor {
    input = x
    return Tensor(
      shape: x.shape,
      scalars: ChannelKernels.piecewiseLinear(x.scalars, slope: slope, threshold: threshold, maxValue: maxValue ?? .infinity))
  }

  func backward(_ dOutput: Tensor) -> Tensor {
    Tensor(
      shape: dOutput.shape,
      scalars: ChannelKernels.piecewiseLinearGradient(
        dOutput.scalars, input: input.scalars, slope: slope, threshold: threshold, maxValue: maxValue ?? .infinity))
  }
}
