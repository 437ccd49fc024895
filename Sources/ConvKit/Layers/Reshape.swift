/// Keras's Reshape: the same values in a new shape of the same size (MobileNet's classifier
/// reshapes `(1024,)` to `(1, 1, 1024)` and back).
public struct Reshape: Layer {
  public var targetShape: FeatureShape
  public init(targetShape: FeatureShape) { self.targetShape = targetShape }

  public static let kerasClass = "Reshape"
  public static let nameStem = "reshape"
  public static let specWords = ["reshape"]
  public static let specHelp = "Reshape(target_shape)"

  public static func parse(_ a: inout LayerArguments) throws -> Reshape {
    try a.bind(positional: ["target_shape"], named: ["target_shape"])
    guard let s = try a.shape("target_shape") else { throw a.fail("reshape needs a shape, for example reshape((1, 1, 1024))") }
    return Reshape(targetShape: s)
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> Reshape {
    guard let a = c["target_shape"]?.array else { throw c.missing("target_shape") }
    let s = a.compactMap(\.int)
    guard s.count == a.count, s.allSatisfy({ $0 >= 1 }) else { throw c.missing("target_shape") }
    return Reshape(targetShape: s)
  }

  public var kerasConfig: [String: JSONValue] { ["target_shape": .ints(targetShape)] }
  public var specArguments: [String] { [ShapeText.tuple(targetShape)] }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    let s = try single(inputs)
    guard try CheckedSize.elements(targetShape, field: "target_shape") == CheckedSize.elements(s, field: "input") else {
      throw ModelSpecError("cannot reshape \(ShapeText.tuple(s)) to \(ShapeText.tuple(targetShape)): the sizes differ")
    }
    return targetShape
  }

  public func shapeFormula(for inputs: [FeatureShape]) -> String? {
    guard let s = inputs.first else { return nil }
    return s.map(String.init).joined(separator: "*") + " = " + targetShape.map(String.init).joined(separator: "*")
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { ReshapeRuntime(context) }
}
