/// Keras's InputLayer: where a functional model's images come in (`input_1`, `[(None, 224, 224, 3)]`).
public struct InputLayer: Layer {
  public var shape: FeatureShape
  public init(shape: FeatureShape) { self.shape = shape }

  public static let kerasClass = "InputLayer"
  public static let nameStem = "input"
  public static let specWords = ["input", "inputlayer"]
  public static let specHelp = "Input(shape)"

  public static func parse(_ a: inout LayerArguments) throws -> InputLayer {
    try a.bind(positional: ["shape"], named: ["shape"])
    guard let s = try a.shape("shape") else { throw a.fail("input needs a shape such as input(28, 28, 1) or input(28x28x1)") }
    return InputLayer(shape: s)
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> InputLayer {
    guard let a = (c["batch_shape"] ?? c["batch_input_shape"])?.array, a.count >= 2 else { throw c.missing("batch_shape") }
    let s = a.dropFirst().compactMap(\.int)
    guard s.count == a.count - 1, s.allSatisfy({ $0 >= 1 }) else {
      throw ModelSpecError("the input shape must be fixed, got \(a.count - 1) axes with some unknown")
    }
    return InputLayer(shape: s)
  }

  public var kerasConfig: [String: JSONValue] { ["batch_shape": .array([.null] + shape.map { .int($0) })] }
  public var specArguments: [String] { [ShapeText.tuple(shape)] }
  public var inputCount: ClosedRange<Int> { 0...0 }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    guard inputs.isEmpty else { throw ModelSpecError("an input layer reads nothing") }
    return shape
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { InputRuntime() }
}

/// The graph feeds the images to an input node itself; the node passes them on.
final class InputRuntime: LayerRuntime {
  func forward(_ inputs: [Tensor], training: Bool) -> Tensor { inputs.first ?? Tensor(zeros: [0]) }
  func backward(_ dOutput: Tensor) -> [Tensor] { [] }
}
