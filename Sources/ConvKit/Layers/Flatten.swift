/// Flatten: NHWC values in their memory order (rows, then columns, then channels, as Keras).
public struct Flatten: Layer {
  public init() {}
  public static let kerasClass = "Flatten"
  public static let nameStem = "flatten"
  public static let specWords = ["flatten"]
  public static let specHelp = "Flatten()"

  public static func parse(_ a: inout LayerArguments) throws -> Flatten {
    try a.bind(positional: [], named: [])
    return Flatten()
  }
  public static func fromKeras(config: [String: JSONValue]) throws -> Flatten { Flatten() }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape { [try CheckedSize.elements(try single(inputs), field: "flatten")] }

  /// `26*26*64 = 43,264`.
  public func shapeFormula(for inputs: [FeatureShape]) -> String? {
    guard let input = inputs.first else { return nil }
    return input.map(String.init).joined(separator: "*") + " = " + NumberText.grouped(input.reduce(1, *))
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { ReshapeRuntime(context) }
}

/// Flatten and Reshape: the same values in the same memory order, another shape.
final class ReshapeRuntime: UnaryRuntime {
  let inputShape: FeatureShape
  let outputShape: FeatureShape
  init(_ context: RuntimeContext) {
    inputShape = context.inputShape
    outputShape = context.outputShape
  }
  func forward(_ x: Tensor, training: Bool) -> Tensor { x.reshaped([x.shape[0]] + outputShape) }
  func backward(_ dOutput: Tensor) -> Tensor { dOutput.reshaped([dOutput.shape[0]] + inputShape) }
}
