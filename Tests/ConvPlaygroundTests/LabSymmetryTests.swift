import ConvImageIO
import ConvKit
import ConvPlayground
import ConvTerminal
import XCTest

/// The image lab on a constant picture: zero padding makes a border that every kernel sees
/// alike on all four sides, so the filtered image and the picture drawn of it must be
/// symmetric (the class of "a bright stripe on the right edge only").
final class LabSymmetryTests: XCTestCase {
  func constant(width: Int, height: Int, value: Float = 100) -> Image {
    Image(width: width, height: height, channels: 1, samples: [Float](repeating: value, count: width * height))
  }

  func testFilteredConstantImageIsSymmetricForEveryKernel() {
    // Widths around the SIMD blocks (16, 32) and odd sizes.
    for (w, h) in [(97, 61), (33, 17), (64, 40), (31, 5), (200, 120)] {
      var s = ImageLabScreen(image: constant(width: w, height: h), fileName: "flat.png")
      for _ in KernelPreset.all {
        _ = s.update(.key(.char("k")), env: Env(lang: .en, theme: Theme(colored: true)))
        let name = KernelPreset.all[s.presetIndex!].name
        let k = s.kernel
        // Symmetric kernels only: a kernel that is its own mirror gives a mirrored result.
        let mirrorsLR = (0..<k.shape[1]).allSatisfy { r in
          (0..<k.shape[2]).allSatisfy { c in k[0, r, c] == k[0, r, k.shape[2] - 1 - c] } }
        let f = s.filtered.planes
        for y in 0..<h {
          for x in 0..<w where mirrorsLR && k.shape[2] % 2 == 1 {
            XCTAssertEqual(f[0, y, x], f[0, y, w - 1 - x], accuracy: 1e-3, "\(name) \(w)x\(h) at [\(y),\(x)]")
          }
        }
      }
    }
  }

  /// The picture drawn of what a filter makes of a constant image (a bright one-pixel frame
  /// around a flat inside): each row of cells reads the same from the left and from the right.
  func testDrawnFrameIsSymmetric() throws {
    for (w, h) in [(97, 61), (200, 120), (45, 30), (150, 64)] {
      var samples = [Float](repeating: 100, count: w * h)
      for y in 0..<h { for x in 0..<w where x == 0 || y == 0 || x == w - 1 || y == h - 1 { samples[y * w + x] = 255 } }
      let a = PlaygroundApp(
        root: ImageLabScreen(image: Image(width: w, height: h, channels: 1, samples: samples), fileName: "frame.png"),
        env: Env(lang: .en, theme: Theme(colored: true)))
      for (cw, ch) in [(80, 24), (100, 30), (140, 45)] {
        let canvas = a.render(width: cw, height: ch)
        var cells: [(x: Int, y: Int)] = []
        for y in 0..<ch { for x in 0..<cw where canvas[x, y].char == "▀" { cells.append((x, y)) } }
        guard let x0 = cells.map(\.x).min(), let x1 = cells.map(\.x).max() else { return XCTFail("no picture drawn") }
        for c in cells where canvas[x0 + x1 - c.x, c.y].char == "▀" {
          XCTAssertEqual(canvas[c.x, c.y].style, canvas[x0 + x1 - c.x, c.y].style,
                         "\(w)x\(h) on \(cw)x\(ch): row \(c.y) differs at columns \(c.x) and \(x0 + x1 - c.x)")
        }
      }
    }
  }
}
