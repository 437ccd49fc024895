/// Keras's Concatenate on the channel axis: Inception's branches side by side.
/// Backward hands each input its own channels of the gradient.
public struct Concatenate: Layer {
  public init() {}
  public static let kerasClass = "Concatenate"
  public static let nameStem = "concatenate"
  public static let specWords = ["concatenate", "concat"]
  public static let specHelp = "concatenate(a, b, ...)"

  public static func parse(_ a: inout LayerArguments) throws -> Concatenate {
    try a.bind(positional: [], named: ["axis"])
    if let axis = a.raw("axis"), axis != "-1", axis != "3" {
      throw a.fail(at: "axis", "only the channel axis (-1) can be concatenated here (got \(axis))")
    }
    return Concatenate()
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> Concatenate {
    let axis = c["axis"]?.int ?? -1
    guard axis == -1 || axis == 3 else {
      throw ModelSpecError("Concatenate on axis \(axis) is not supported (only the channels, axis -1)")
    }
    return Concatenate()
  }

  public var kerasConfig: [String: JSONValue] { ["axis": .int(-1)] }
  public var inputCount: ClosedRange<Int> { 2...Int.max }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    guard inputs.count >= 2 else { throw ModelSpecError("joins two or more inputs, got \(inputs.count)") }
    guard inputs.allSatisfy({ $0.count == inputs[0].count && $0.dropLast() == inputs[0].dropLast() }) else {
      throw ModelSpecError("inputs must match in all but the channel axis: " + inputs.map(ShapeText.tuple).joined(separator: ", "))
    }
    return Array(inputs[0].dropLast()) + [try CheckedSize.sum(inputs.map { $0.last ?? 0 }, field: "channels")]
  }

  /// `64 + 64 + 96 + 32 = 256`.
  public func shapeFormula(for inputs: [FeatureShape]) -> String? {
    let channels = inputs.compactMap(\.last)
    guard channels.count == inputs.count, channels.count > 1 else { return nil }
    return channels.map(String.init).joined(separator: " + ") + " = " + String(channels.reduce(0, +))
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime {
    ConcatenateRuntime(widths: context.inputShapes.map { $0.last ?? 1 })
  }
}

final class ConcatenateRuntime: LayerRuntime {
  let widths: [Int]
  var total: Int { widths.reduce(0, +) }
  init(widths: [Int]) { self.widths = widths }

  func forward(_ inputs: [Tensor], training: Bool) -> Tensor {
    let positions = inputs[0].count / widths[0]
    let total = self.total
    let out = uninitializedFloats(positions * total) { o in
      var offset = 0
      for (t, w) in zip(inputs, widths) {
        t.scalars.withUnsafeBufferPointer { x in
          for p in 0..<positions { (o + p * total + offset).update(from: x.baseAddress! + p * w, count: w) }
        }
        offset += w
      }
    }
    return Tensor(shape: Array(inputs[0].shape.dropLast()) + [total], scalars: out)
  }

  func backward(_ dOutput: Tensor) -> [Tensor] {
    let total = self.total
    let positions = dOutput.count / total
    var offset = 0
    return widths.map { w in
      defer { offset += w }
      let part = uninitializedFloats(positions * w) { o in
        dOutput.scalars.withUnsafeBufferPointer { d in
          for p in 0..<positions { (o + p * w).update(from: d.baseAddress! + p * total + offset, count: w) }
        }
      }
      return Tensor(shape: Array(dOutput.shape.dropLast()) + [w], scalars: part)
    }
  }
}
