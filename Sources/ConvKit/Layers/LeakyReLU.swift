/// Keras's LeakyReLU: y = x for x >= 0, negative_slope * x below (Keras 3's default 0.3;
/// Keras 2 called it `alpha`).
public struct LeakyReLU: Layer {
  public var negativeSlope: Float
  public init(negativeSlope: Float = 0.3) { self.negativeSlope = negativeSlope }

  public static let kerasClass = "LeakyReLU"
  public static let nameStem = "leaky_re_lu"
  public static let specWords = ["leakyrelu"]
  public static let specHelp = "LeakyReLU(negative_slope=0.3)"

  public static func parse(_ a: inout LayerArguments) throws -> LeakyReLU {
    try a.bind(positional: ["negative_slope"], named: ["negative_slope", "alpha"])
    return LeakyReLU(negativeSlope: Float(try a.double("negative_slope") ?? a.double("alpha") ?? 0.3))
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> LeakyReLU {
    LeakyReLU(negativeSlope: Float(try c.double("negative_slope", default: c.double("alpha", default: 0.3))))
  }

  public var kerasConfig: [String: JSONValue] { ["negative_slope": .number(Double(negativeSlope))] }
  public var specArguments: [String] { negativeSlope == 0.3 ? [] : ["negative_slope=" + NumberText.format(negativeSlope)] }
  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape { try single(inputs) }
  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime {
    PiecewiseLinearRuntime(slope: negativeSlope, threshold: 0, maxValue: nil)
  }
}
