/// A small, fast, seedable random generator (SplitMix64, Steele, Lea and Flood 2014): the one
/// generator of convplay, so that a seed gives the same quiz, the same weights, shuffles and
/// dropout masks, and the same "random input" on every machine and Swift version. The system
/// generator cannot be seeded, and the standard library's algorithms for random choices may change.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A whole number in `range`, by rejection so every value is equally likely (no modulo bias),
  /// with our own arithmetic rather than the standard library's `random(in:)`.
  public mutating func int(in range: ClosedRange<Int>) -> Int {
    let span = UInt64(range.upperBound - range.lowerBound) &+ 1
    if span == 0 { return Int(truncatingIfNeeded: next()) }  // the full 64-bit range
    let limit = UInt64.max - (UInt64.max % span)
    var x = next()
    while x >= limit { x = next() }
    return range.lowerBound + Int(x % span)
  }

  /// One element of a non-empty array.
  public mutating func pick<T>(_ items: [T]) -> T {
    precondition(!items.isEmpty, "pick needs at least one item to choose from")
    return items[int(in: 0...(items.count - 1))]
  }

  /// True with probability `numerator/denominator`.
  public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
    int(in: 1...denominator) <= numerator
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
  public mutating func split() -> SplitMix64 { SplitMix64(seed: next()) }
}
