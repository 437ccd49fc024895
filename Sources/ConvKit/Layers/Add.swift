/// Keras's Add: the element-wise sum of inputs of one shape (ResNet's shortcut joins here).
/// Backward hands each input the whole gradient.
public struct Add: Layer {
  public init() {}
  public static let kerasClass = "Add"
  public static let nameStem = "add"
  public static let specWords = ["add"]
  public static let specHelp = "add(a, b, ...)"

  public static func parse(_ a: inout LayerArguments) throws -> Add {
    try a.bind(positional: [], named: [])
    return Add()
  }
  public static func fromKeras(config: [String: JSONValue]) throws -> Add { Add() }
  public var inputCount: ClosedRange<Int> { 2...Int.max }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    guard inputs.count >= 2 else { throw ModelSpecError("adds two or more inputs, got \(inputs.count)") }
    guard inputs.allSatisfy({ $0 == inputs[0] }) else {
      throw ModelSpecError("inputs of different shapes cannot be added: " + inputs.map(ShapeText.tuple).joined(separator: ", "))
    }
    return inputs[0]
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { AddRuntime(inputs: context.inputShapes.count) }
}

final class AddRuntime: LayerRuntime {
  let inputs: Int
  init(inputs: Int) { self.inputs = inputs }

  func forward(_ inputs: [Tensor], training: Bool) -> Tensor {
    var sum = inputs[0].scalars
    sum.withUnsafeMutableBufferPointer { s in
      for t in inputs.dropFirst() {
        t.scalars.withUnsafeBufferPointer { x in
          Im2col.addRun(x.baseAddress!, into: s.baseAddress!, count: s.count)
        }
      }
    }
    return Tensor(shape: inputs[0].shape, scalars: sum)
  }

  func backward(_ dOutput: Tensor) -> [Tensor] { Array(repeating: dOutput, count: inputs) }
}
