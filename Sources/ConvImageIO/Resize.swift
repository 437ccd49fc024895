import ConvKit

extension Image {
  /// Nearest-neighbour resize, as PIL's `Image.resize(..., NEAREST)` (what Keras's
  /// `load_img(path, target_size=...)` does by default, so what the course's VGG16 example fed
  /// its network): output pixel (y, x) copies input pixel (`nearestSources(inH, outH)[y]`,
  /// `nearestSources(inW, outW)[x]`). The same size returns the image unchanged.
  public func resizedNearest(height outH: Int, width outW: Int) -> Image {
    precondition(outH > 0 && outW > 0, "a resized image needs at least one row and one column")
    if outH == height && outW == width { return self }
    let ys = Image.nearestSources(height, outH)
    let xs = Image.nearestSources(width, outW)
    var out = [Float](repeating: 0, count: channels * outH * outW)
    for c in 0..<channels {
      let src = c * height * width
      let dst = c * outH * outW
      for (oy, y) in ys.enumerated() {
        for (ox, x) in xs.enumerated() { out[dst + oy * outW + ox] = samples[src + y * width + x] }
      }
    }
    return Image(width: outW, height: outH, channels: channels, samples: out)
  }

  /// The input index PIL's NEAREST copies into each of `outN` outputs: PIL (libImaging's
  /// ImagingScaleAffine) starts at scale / 2 and adds the scale in doubles once per output,
  /// truncating each sum. The rounding of that running sum decides the ties (at 512 -> 224 the
  /// exact centre (o + 0.5) * 16/7 is a whole number for every 7th output, and PIL's sum falls
  /// just below it), so the sum is kept as PIL keeps it rather than computed exactly.
  /// Tested against Pillow: Tests/ConvImageIOTests/Fixtures/make_pil_nearest_fixture.py.
  public static func nearestSources(_ inN: Int, _ outN: Int) -> [Int] {
    let scale = Double(inN) / Double(outN)
    var position = scale * 0.5
    var sources = [Int](repeating: 0, count: outN)
    for o in 0..<outN {
      sources[o] = min(inN - 1, max(0, Int(position)))
      position += scale
    }
    return sources
  }

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
