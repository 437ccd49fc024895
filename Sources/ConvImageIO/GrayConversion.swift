import ConvKit

/// How three colour channels become one gray matrix (the course: "(R+G+B)/3, or the weights
/// the eye uses").
///
/// Computed in `Float` on 0...255 values and not rounded, so a filter sees the exact sums;
/// the operation order is `w_r*R + w_g*G + w_b*B` left to right, without fused multiply-add,
/// which is what NumPy computes for the same float32 arrays (the fixtures check equality).
public enum GrayMethod: String, CaseIterable, Sendable {
  /// (R + G + B) / 3.
  case average
  /// 0.3 R + 0.59 G + 0.11 B: the course's weights.
  case luminance
  /// 0.299 R + 0.587 G + 0.114 B: ITU-R BT.601, what most libraries call "luma".
  case bt601
  /// Keep the colour channels (filters then run on each one separately).
  case none

  /// Red, green and blue weights, nil for `none` and `average` (which divides instead, as the
  /// course writes it).
  public var weights: (r: Float, g: Float, b: Float)? {
    switch self {
    case .luminance: return (0.3, 0.59, 0.11)
    case .bt601: return (0.299, 0.587, 0.114)
    case .average, .none: return nil
    }
  }

  /// One gray channel from an RGB image; gray images and `none` are returned unchanged.
  public func convert(_ image: Image) -> Image {
    guard self != .none, image.channels == 3 else { return image }
    let n = image.pixelCount
    var out = [Float](repeating: 0, count: n)
    image.samples.withUnsafeBufferPointer { s in
      let r = s.baseAddress!
      let g = r + n
      let b = g + n
      if let w = weights {
        for p in 0..<n {
          let rg = w.r * r[p] + w.g * g[p]
          out[p] = rg + w.b * b[p]
        }
      } else {
        for p in 0..<n { out[p] = (r[p] + g[p] + b[p]) / 3 }
      }
    }
    return Image(width: image.width, height: image.height, channels: 1, samples: out)
  }
}
