/// Keras's Dropout(rate).
public struct Dropout: Layer {
  public var rate: Float
  public init(rate: Float) { self.rate = rate }

  public static let kerasClass = "Dropout"
  public static let nameStem = "dropout"
  public static let specWords = ["dropout"]
  public static let specHelp = "Dropout(rate)"

  public static func parse(_ a: inout LayerArguments) throws -> Dropout {
    try a.bind(positional: ["rate"], named: ["rate"])
    guard let rate = try a.double("rate") else { throw a.fail("dropout needs a rate, for example dropout(0.5)") }
    guard rate >= 0, rate < 1 else {
      throw a.fail(at: "rate", "rate must be at least 0 and below 1 (got \(a.raw("rate") ?? ""))")
    }
    return Dropout(rate: Float(rate))
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> Dropout {
    let r = try c.double("rate", default: .nan)
    guard r >= 0, r < 1 else { throw ModelSpecError("Dropout rate must be in [0, 1), got \(r)") }
    return Dropout(rate: Float(r))
  }

  public var drawsRandomNumbers: Bool { true }
  public var kerasConfig: [String: JSONValue] { ["rate": .number(Double(rate))] }
  public var specArguments: [String] { [NumberText.format(rate)] }
  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape { try single(inputs) }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime {
    guard rate >= 0 && rate < 1 else { throw ModelSpecError("Dropout rate must be in [0, 1), got \(rate)") }
    return DropoutRuntime(rate: rate, context)
  }
}

/// Dropout: in training, zeroes each value with probability `rate` and scales the rest by
/// 1/(1-rate) (inverted dropout, as Keras), so inference needs no rescaling.
public final class DropoutRuntime: UnaryRuntime {
  public let rate: Float
  private var mask: [Float] = []
  private var rng: RandomSource

  init(rate: Float, _ context: RuntimeContext) {
    self.rate = rate
    rng = context.rng
  }

  public func releaseCaches() { mask = [] }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    guard training && rate > 0 else {
      mask = []
      return x
    }
    let keep = 1 / (1 - rate)
    // A local copy of the generator: a stored property would be checked for exclusive access
    // on every draw.
    var local = rng
    let r = rate
    mask = uninitializedFloats(x.count) { m in
      for i in 0..<x.count { m[i] = local.nextUnitFloat() < r ? 0 : keep }
    }
    rng = local
    return Tensor(shape: x.shape, scalars: multiplied(x.scalars, mask))
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    guard !mask.isEmpty else { return dOutput }
    return Tensor(shape: dOutput.shape, scalars: multiplied(dOutput.scalars, mask))
  }

  /// a * b elementwise, a vector at a time.
  private func multiplied(_ a: [Float], _ b: [Float]) -> [Float] {
    uninitializedFloats(a.count) { out in
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          let (x, y) = (ap.baseAddress!, bp.baseAddress!)
          let lw = Gemm.Lane.scalarCount
          var i = 0
          while i + lw <= a.count {
            Gemm.storeLane(out + i, Gemm.loadLane(x + i) * Gemm.loadLane(y + i))
            i += lw
          }
          while i < a.count {
            out[i] = x[i] * y[i]
            i += 1
          }
        }
      }
    }
  }
}
