import ConvKit
import XCTest

/// NHWC max pooling against `ReferenceKernels.pool` (one `[C, H, W]` image at a time), with
/// ties, padding and batches big enough to be spread over the cores.
final class PoolingTests: XCTestCase {
  func testMaxPoolMatchesReferenceWithFirstMaximumWinning() throws {
    let cases: [(n: Int, h: Int, w: Int, c: Int, k: Int, s: Int, pad: Padding)] = [
      (2, 27, 27, 1, 2, 2, .valid), (2, 26, 26, 32, 2, 2, .valid), (3, 11, 13, 33, 3, 2, .same),
      (1, 7, 5, 5, 3, 1, .same), (40, 24, 24, 64, 2, 2, .valid), (2, 9, 9, 17, 3, 3, .explicit(1)),
    ]
    for t in cases {
      let g = try WindowGeometry(
        inputRows: t.h, inputCols: t.w, kernelRows: t.k, kernelCols: t.k, strideRows: t.s,
        strideCols: t.s, padding: t.pad)
      var state: UInt64 = 42
      // Few distinct values (and negatives only, so padding zeros would win if counted): ties.
      let x = (0..<(t.n * t.h * t.w * t.c)).map { _ -> Float in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return -Float(Int(state >> 33) % 5) - 0.5
      }
      let outCount = t.n * g.outputRows * g.outputCols * t.c
      var out = [Float](repeating: .nan, count: outCount)
      var argmax = [Int32](repeating: -7, count: outCount)
      FastPool.maxForward(
        input: x, batch: t.n, height: t.h, width: t.w, channels: t.c, geometry: g, output: &out,
        argmax: &argmax)
      for b in 0..<t.n {
        var chw = [Float](repeating: 0, count: t.c * t.h * t.w)
        for r in 0..<t.h {
          for col in 0..<t.w {
            for ch in 0..<t.c {
              chw[(ch * t.h + r) * t.w + col] = x[((b * t.h + r) * t.w + col) * t.c + ch]
            }
          }
        }
        let expected = ReferenceKernels.pool(
          input: Tensor(shape: [t.c, t.h, t.w], scalars: chw), geometry: g, mode: .max)
        for orow in 0..<g.outputRows {
          for ocol in 0..<g.outputCols {
            for ch in 0..<t.c {
              let o = ((b * g.outputRows + orow) * g.outputCols + ocol) * t.c + ch
              XCTAssertEqual(out[o], expected[ch, orow, ocol], "\(t) value at \(o)")
              // The winner: the first cell of the window, in row then column order, that holds
              // the maximum.
              var first = -1
              for i in 0..<t.k where first < 0 {
                let r = g.rows.inputIndex(window: orow, tap: i)
                guard r >= 0 && r < t.h else { continue }
                for j in 0..<t.k {
                  let col = g.cols.inputIndex(window: ocol, tap: j)
                  guard col >= 0 && col < t.w else { continue }
                  let idx = ((b * t.h + r) * t.w + col) * t.c + ch
                  if x[idx] == out[o] {
                    first = idx
                    break
                  }
                }
              }
              XCTAssertEqual(Int(argmax[o]), first, "\(t) argmax at \(o)")
            }
          }
        }
      }

      // Backward: every output's gradient lands on its winner.
      let dOut = (0..<outCount).map { Float($0 % 7) + 1 }
      var dx = [Float](repeating: .nan, count: x.count)
      FastPool.maxBackward(
        dOut: dOut, argmax: argmax, batch: t.n, height: t.h, width: t.w, channels: t.c,
        geometry: g, dInput: &dx)
      var expectedDx = [Float](repeating: 0, count: x.count)
      for o in 0..<outCount { expectedDx[Int(argmax[o])] += dOut[o] }
      XCTAssertEqual(dx, expectedDx, "\(t) backward")
    }
  }
}
