import ConvKit

/// Grad-CAM maps drawn: blended over the image (PNG) or in the terminal. One drawing for
/// every place that shows a map: `classify`/`predict --explain-out` and `--explain`, and the
/// image lab's Grad-CAM view, so the lab shows the very picture the PNG holds.
public enum GradCAMPicture {
  /// matplotlib's "jet" colour (blue -> cyan -> yellow -> red) of x in 0...1, 0...255.
  public static func jet(_ x: Float) -> (Float, Float, Float) {
    func c(_ v: Float) -> Float { min(max(v, 0), 1) * 255 }
    return (c(1.5 - abs(4 * x - 3)), c(1.5 - abs(4 * x - 2)), c(1.5 - abs(4 * x - 1)))
  }

  /// The map (scaled to 0...1 by its maximum) upsampled bilinearly to `size`.
  public static func upsampled(_ map: GradCAMMap, height: Int, width: Int) -> [Float] {
    let m = Image(width: map.width, height: map.height, channels: 1, samples: map.normalized)
    return m.resizedBilinear(height: height, width: width).samples
  }

  /// The map alone as a gray picture (0 black ... 255 white at the map's maximum), at `size`:
  /// what a terminal without colour shows.
  public static func heat(_ map: GradCAMMap, height: Int, width: Int) -> Image {
    Image(width: width, height: height, channels: 1, samples: upsampled(map, height: height, width: width).map { $0 * 255 })
  }

  /// Keras's Grad-CAM example: the jet-coloured map at 40 % over the image at 60 %. Small
  /// images (MNIST's 28x28) are enlarged (nearest neighbour) so the picture can be seen.
  public static func overlay(_ map: GradCAMMap, over image: Image) -> Image {
    var base = image
    let k = max(1, 224 / max(image.width, image.height))
    if k > 1 { base = base.resizedNearest(height: image.height * k, width: image.width * k) }
    let (h, w) = (base.height, base.width)
    let heat = upsampled(map, height: h, width: w)
    let n = h * w
    let s = base.samples
    var out = [Float](repeating: 0, count: 3 * n)
    for p in 0..<n {
      let (r, g, b) = jet(heat[p])
      let rgb = [r, g, b]
      for c in 0..<3 {
        let v = base.channels == 1 ? s[p] : s[c * n + p]
        out[c * n + p] = min(255, max(0, 0.6 * v + 0.4 * rgb[c]))
      }
    }
    return Image(width: w, height: h, channels: 3, samples: out)
  }

  /// Lines for the terminal: with colour, the overlay in half blocks (two pixel rows per line,
  /// at most 64 columns); without, the map alone in characters from " .:-=+*#%@".
  public static func terminal(_ map: GradCAMMap, over image: Image, color: Bool) -> [String] {
    let columns = min(64, max(map.width * 2, 16))
    let rows = max(1, Int((Double(columns) * Double(image.height) / Double(image.width) / 2).rounded()))
    if color {
      let picture = overlay(map, over: image).resizedBilinear(height: rows * 2, width: columns)
      let n = picture.pixelCount
      let s = picture.samples
      func rgb(_ p: Int) -> String { "\(Int(s[p]));\(Int(s[n + p]));\(Int(s[2 * n + p]))" }
      return (0..<rows).map { y in
        (0..<columns).map { x in
          "\u{1B}[38;2;\(rgb(2 * y * columns + x))m\u{1B}[48;2;\(rgb((2 * y + 1) * columns + x))m▀"
        }.joined() + "\u{1B}[0m"
      }
    }
    let ramp = Array(" .:-=+*#%@")
    let heat = upsampled(map, height: rows, width: columns)
    return (0..<rows).map { y in
      String((0..<columns).map { x in ramp[min(9, Int(heat[y * columns + x] * 9.99))] })
    }
  }
}
