/// Turns a photo or scan of one handwritten digit into what an MNIST network expects, following
/// how MNIST itself was made: a light digit on a dark background, the digit's bounding box
/// scaled (keeping its aspect ratio) to fit a 20x20 box, then placed in a 28x28 image so that
/// its centre of mass is at the centre.
public enum DigitPreprocessing {
  public struct Failure: Error, CustomStringConvertible, Equatable {
    public var description: String
  }

  /// `gray` is one plane, row-major `[height, width]`, values 0...255 (dark or light paper).
  /// Returns 784 values in [0, 1], row-major 28x28.
  public static func mnistStyle(gray: [Float], width: Int, height: Int) throws -> [Float] {
    precondition(gray.count == width * height, "a gray plane of \(width)x\(height) needs \(width * height) values")
    guard width >= 1, height >= 1 else { throw Failure(description: "the image is empty") }
    // 1. Polarity: the border is background. A light border (paper) means a dark digit: invert.
    var border: [Float] = []
    for x in 0..<width { border.append(gray[x]); border.append(gray[(height - 1) * width + x]) }
    for y in 0..<height { border.append(gray[y * width]); border.append(gray[y * width + width - 1]) }
    border.sort()
    let background = border[border.count / 2]
    let invert = background > 127.5
    var v = gray.map { invert ? 255 - $0 : $0 }
    let bg = invert ? 255 - background : background
    // 2. Remove the background level and stretch the digit to full brightness.
    for i in v.indices { v[i] = max(0, v[i] - bg) }
    let peak = v.max() ?? 0
    guard peak > 8 else {
      throw Failure(description: "no digit found: the image has no contrast between digit and background")
    }
    for i in v.indices { v[i] *= 255 / peak }
    // 3. Bounding box of the ink (pixels above a fifth of full brightness).
    var top = height, bottom = -1, left = width, right = -1
    for y in 0..<height {
      for x in 0..<width where v[y * width + x] > 51 {
        top = min(top, y)
        bottom = max(bottom, y)
        left = min(left, x)
        right = max(right, x)
      }
    }
    let boxW = right - left + 1, boxH = bottom - top + 1
    // 4. Scale the box so its longer side is 20 pixels (area averaging: each output pixel is the
    //    mean of the source area it covers, which also anti-aliases).
    let scale = 20 / Float(max(boxW, boxH))
    let outW = max(1, min(20, Int((Float(boxW) * scale).rounded())))
    let outH = max(1, min(20, Int((Float(boxH) * scale).rounded())))
    var small = [Float](repeating: 0, count: outW * outH)
    let sx = Float(boxW) / Float(outW), sy = Float(boxH) / Float(outH)
    for oy in 0..<outH {
      let y0 = Float(oy) * sy, y1 = y0 + sy
      for ox in 0..<outW {
        let x0 = Float(ox) * sx, x1 = x0 + sx
        var sum: Float = 0, area: Float = 0
        var y = Int(y0)
        while Float(y) < y1 && y < boxH {
          let wy = min(Float(y + 1), y1) - max(Float(y), y0)
          var x = Int(x0)
          while Float(x) < x1 && x < boxW {
            let wx = min(Float(x + 1), x1) - max(Float(x), x0)
            sum += v[(top + y) * width + left + x] * wx * wy
            area += wx * wy
            x += 1
          }
          y += 1
        }
        small[oy * outW + ox] = area > 0 ? sum / area : 0
      }
    }
    // 5. Centre of mass to the centre of the 28x28 image.
    var mass: Float = 0, cx: Float = 0, cy: Float = 0
    for y in 0..<outH {
      for x in 0..<outW {
        let m = small[y * outW + x]
        mass += m
        cx += m * (Float(x) + 0.5)
        cy += m * (Float(y) + 0.5)
      }
    }
    let offsetX = Int((14 - cx / mass).rounded()), offsetY = Int((14 - cy / mass).rounded())
    var out = [Float](repeating: 0, count: 28 * 28)
    for y in 0..<outH {
      for x in 0..<outW {
        let ty = y + offsetY, tx = x + offsetX
        if ty >= 0 && ty < 28 && tx >= 0 && tx < 28 { out[ty * 28 + tx] = min(1, small[y * outW + x] / 255) }
      }
    }
    return out
  }

  /// The `k` most probable classes, best first.
  public static func top(_ k: Int, of probabilities: [Float]) -> [(label: Int, probability: Float)] {
    Array(probabilities.enumerated().sorted { $0.element > $1.element }.prefix(k).map { ($0.offset, $0.element) })
  }
}
