import ConvKit

extension Image {
  /// Bilinear resize, as `tf.image.resize(..., "bilinear")` (what Keras's
  /// image_dataset_from_directory uses): output pixel (y, x) samples the input at
  /// ((y + 0.5) * inH / outH - 0.5, (x + 0.5) * inW / outW - 0.5), half-pixel centres, clamped to
  /// the border, mixing the four neighbours by distance; no antialiasing. The same size returns
  /// the image unchanged.
  public func resizedBilinear(height outH: Int, width outW: Int) -> Image {
    precondition(outH > 0 && outW > 0, "a resized image needs at least one row and one column")
    if outH == height && outW == width { return self }
    // Per output coordinate: the two input indices and the weight of the second.
    func taps(_ outN: Int, _ inN: Int) -> [(Int, Int, Float)] {
      let scale = Float(inN) / Float(outN)
      return (0..<outN).map { o in
        let s = min(max((Float(o) + 0.5) * scale - 0.5, 0), Float(inN - 1))
        let i0 = Int(s)
        return (i0, min(i0 + 1, inN - 1), s - Float(i0))
      }
    }
    let ys = taps(outH, height)
    let xs = taps(outW, width)
    let inPlane = height * width
    var out = [Float](repeating: 0, count: channels * outH * outW)
    samples.withUnsafeBufferPointer { s in
      out.withUnsafeMutableBufferPointer { o in
        for c in 0..<channels {
          let src = s.baseAddress! + c * inPlane
          let dst = o.baseAddress! + c * outH * outW
          for (oy, (y0, y1, wy)) in ys.enumerated() {
            for (ox, (x0, x1, wx)) in xs.enumerated() {
              let top = src[y0 * width + x0] + (src[y0 * width + x1] - src[y0 * width + x0]) * wx
              let bottom = src[y1 * width + x0] + (src[y1 * width + x1] - src[y1 * width + x0]) * wx
              dst[oy * outW + ox] = top + (bottom - top) * wy
            }
          }
        }
      }
    }
    return Image(width: outW, height: outH, channels: channels, samples: out)
  }
}
