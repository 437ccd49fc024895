/// A small seeded random generator (SplitMix64), so that the same seed gives the same weights,
/// the same shuffles and the same dropout masks on every machine. The standard library's
/// `SystemRandomNumberGenerator` cannot be seeded.
public struct RandomSource: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform Float in [0, 1) with 24 random bits.
  public mutating func nextUnitFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A uniform Float in [-limit, limit).
  public mutating func nextSymmetric(_ limit: Float) -> Float {
    (nextUnitFloat() * 2 - 1) * limit
  }

  /// An independent stream for another purpose (weights, shuffling, dropout), derived from this
  /// one so that one user-facing seed fixes them all.
  public mutating func split() -> RandomSource { RandomSource(seed: next()) }
}
