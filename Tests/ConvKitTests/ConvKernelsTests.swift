import ConvKit
import XCTest

/// The batch NHWC kernels against the plain reference loops (ReferenceKernels, [C, H, W]).
final class ConvKernelsTests: XCTestCase {
  /// `[N, H, W, C]` values -> image `n` as `[C, H, W]`.
  func chw(_ x: [Float], n: Int, h: Int, w: Int, c: Int) -> Tensor {
    var t = Tensor(zeros: [c, h, w])
    for r in 0..<h { for col in 0..<w { for ch in 0..<c { t[ch, r, col] = x[((n * h + r) * w + col) * c + ch] } } }
    return t
  }

  func randoms(_ count: Int, seed: UInt64) -> [Float] {
    var rng = RandomSource(seed: seed)
    return (0..<count).map { _ in rng.nextSymmetric(1) }
  }

  func testConvMatchesReferenceForManyGeometries() throws {
    // (H, W, Cin, Cout, KH, KW, stride r, stride c, dilation, padding)
    let cases: [(Int, Int, Int, Int, Int, Int, Int, Int, Int, Padding)] = [
      (5, 5, 1, 1, 3, 3, 1, 1, 1, .valid),
      (6, 7, 2, 3, 3, 3, 2, 2, 1, .same),  // Keras's asymmetric same: extra zero bottom/right
      (8, 8, 3, 2, 3, 2, 1, 2, 1, .same),
      (7, 7, 2, 2, 3, 3, 1, 1, 2, .valid),  // dilation 2
      (6, 6, 1, 4, 3, 3, 2, 1, 1, .explicit(1)),
      (9, 5, 2, 2, 2, 2, 3, 1, 1, .same),
    ]
    for (i, c) in cases.enumerated() {
      let (h, w, cin, cout, kh, kw, sr, sc, d, p) = c
      let spec = LayerSpec(Conv2D(filters: cout, kernelSize: Size2(kh, kw), strides: Size2(sr, sc), padding: p, dilation: Size2(d), activation: .linear, useBias: true))
      let g = try XCTUnwrap(try spec.window(on: [h, w, cin]))
      let n = 2
      let x = randoms(n * h * w * cin, seed: UInt64(i))
      let kernel = randoms(kh * kw * cin * cout, seed: UInt64(100 + i))
      let bias = randoms(cout, seed: UInt64(200 + i))
      let out = ConvKernels.conv2DForward(
        input: x, batch: n, height: h, width: w, channels: cin, kernel: kernel, bias: bias, filters: cout, geometry: g)
      XCTAssertEqual(out.count, n * g.outputRows * g.outputCols * cout)
      for b in 0..<n {
        let image = chw(x, n: b, h: h, w: w, c: cin)
        for f in 0..<cout {
          // Filter f as [Cin, KH, KW] from the HWIO kernel.
          var k = Tensor(zeros: [cin, kh, kw])
          for r in 0..<kh { for col in 0..<kw { for ch in 0..<cin { k[ch, r, col] = kernel[((r * kw + col) * cin + ch) * cout + f] } } }
          let ref = ReferenceKernels.convolve(input: image, kernel: k, geometry: g, bias: bias[f])
          for r in 0..<g.outputRows {
            for col in 0..<g.outputCols {
              let got = out[((b * g.outputRows + r) * g.outputCols + col) * cout + f]
              XCTAssertEqual(got, ref[0, r, col], accuracy: 1e-4, "case \(i) image \(b) filter \(f) at (\(r), \(col))")
            }
          }
        }
      }
    }
  }

  func testPoolingMatchesReference() throws {
    for (i, (size, stride, padding)) in [(2, 2, Padding.valid), (3, 2, .same), (2, 1, .valid), (3, 3, .same)].enumerated() {
      let (h, w, c, n) = (7, 6, 3, 2)
      let spec = LayerSpec(MaxPooling2D(poolSize: Size2(size, size), strides: Size2(stride, stride), padding: padding))
      let g = try XCTUnwrap(try spec.window(on: [h, w, c]))
      let x = randoms(n * h * w * c, seed: UInt64(300 + i))
      let maxOut = ConvKernels.maxPoolForward(input: x, batch: n, height: h, width: w, channels: c, geometry: g).output
      let avgOut = ConvKernels.avgPoolForward(input: x, batch: n, height: h, width: w, channels: c, geometry: g)
      for b in 0..<n {
        let image = chw(x, n: b, h: h, w: w, c: c)
        let refMax = ReferenceKernels.pool(input: image, geometry: g, mode: .max)
        let refAvg = ReferenceKernels.pool(input: image, geometry: g, mode: .avg)
        for r in 0..<g.outputRows {
          for col in 0..<g.outputCols {
            for ch in 0..<c {
              let o = ((b * g.outputRows + r) * g.outputCols + col) * c + ch
              XCTAssertEqual(maxOut[o], refMax[ch, r, col], "max case \(i)")
              XCTAssertEqual(avgOut[o], refAvg[ch, r, col], accuracy: 1e-6, "avg case \(i)")
            }
          }
        }
      }
    }
  }
}
