/// The network engine's random numbers (Glorot initialization, shuffles, dropout masks) come
/// from convplay's one seeded generator, so that the same seed gives the same run everywhere.
public typealias RandomSource = SplitMix64
