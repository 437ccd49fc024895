import ConvKit

/// How filter results (any real numbers) become 8-bit pixels for PNG/JPEG output.
///
/// - clip: clamp to 0...255 (blur, sharpen, identity: results already look like an image).
/// - abs: |x|, then clamp (edges: a dark-to-bright and a bright-to-dark edge both show bright).
/// - minmax: rescale the result's own min...max to 0...255 (a flat result becomes all 0).
/// - offset: 128 + x, clamped (zero is mid-gray, so negative responses stay visible as dark).
///
/// Values are rounded half to even (like `numpy.rint`); NaN becomes 0.
public enum Normalization: String, CaseIterable, Sendable {
  case clip, abs, minmax, offset

  /// abs for edge detectors (their results are signed, centred on zero), clip for the rest.
  public static func `default`(for family: KernelPreset.Family) -> Normalization {
    family == .edge ? .abs : .clip
  }

  /// For a kernel read from a file: weights that sum to zero respond only to change (an edge
  /// detector) and get abs; others keep the image's brightness and get clip.
  public static func `default`(forWeights weights: [Float]) -> Normalization {
    let sum = weights.reduce(0, +)
    let scale = weights.reduce(0) { $0 + Swift.abs($1) }
    return Swift.abs(sum) <= 1e-6 * max(scale, 1) ? .abs : .clip
  }

  /// 0...255 before rounding, for one value; `low`/`high` are the data's range (minmax only).
  @inline(__always)
  public func map(_ x: Float, low: Float = 0, high: Float = 255) -> Float {
    let v: Float
    switch self {
    case .clip: v = x
    case .abs: v = Swift.abs(x)
    case .offset: v = 128 + x
    case .minmax: v = high > low ? (x - low) * (255 / (high - low)) : 0
    }
    if v.isNaN { return 0 }
    return Swift.min(Swift.max(v, 0), 255)
  }

  /// The image's samples as 8-bit pixels, interleaved `[height][width][channels]` as the
  /// encoders take them. minmax uses one range over all channels so their balance is kept.
  public func pixels(of image: Image) -> [UInt8] {
    let n = image.pixelCount
    let c = image.channels
    let s = image.samples
    var low: Float = 0
    var high: Float = 255
    if self == .minmax {
      low = .infinity
      high = -.infinity
      for v in s where !v.isNaN {
        low = Swift.min(low, v)
        high = Swift.max(high, v)
      }
    }
    var out = [UInt8](repeating: 0, count: n * c)
    s.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for ch in 0..<c {
          for p in 0..<n {
            dst[p * c + ch] = UInt8(map(src[ch * n + p], low: low, high: high).rounded(.toNearestOrEven))
          }
        }
      }
    }
    return out
  }
}
