import ConvKit
import XCTest

/// `DepthwiseConv` against `NHWCReference` on random shapes: strides 1-2, valid/same/explicit
/// padding, dilation, depth multiplier 1-3, channel counts that fill and miss whole vectors,
/// batches big enough to be spread over the cores.
final class DepthwiseConvTests: XCTestCase {
  struct Shape {
    var n, h, w, c, m, kh, kw, sr, sc, d: Int
    var padding: Padding
  }

  static let shapes: [Shape] = [
    Shape(n: 2, h: 7, w: 6, c: 3, m: 1, kh: 3, kw: 3, sr: 1, sc: 1, d: 1, padding: .same),
    Shape(n: 3, h: 12, w: 11, c: 32, m: 1, kh: 3, kw: 3, sr: 1, sc: 1, d: 1, padding: .same),
    Shape(n: 2, h: 13, w: 12, c: 48, m: 1, kh: 3, kw: 3, sr: 2, sc: 2, d: 1, padding: .same),
    Shape(n: 4, h: 9, w: 10, c: 67, m: 1, kh: 3, kw: 3, sr: 2, sc: 1, d: 1, padding: .valid),
    Shape(n: 1, h: 11, w: 9, c: 17, m: 2, kh: 3, kw: 3, sr: 1, sc: 2, d: 1, padding: .same),
    Shape(n: 2, h: 10, w: 10, c: 8, m: 3, kh: 5, kw: 3, sr: 2, sc: 2, d: 1, padding: .valid),
    Shape(n: 2, h: 12, w: 12, c: 24, m: 1, kh: 3, kw: 3, sr: 1, sc: 1, d: 2, padding: .same),
    Shape(n: 1, h: 9, w: 11, c: 5, m: 2, kh: 3, kw: 2, sr: 1, sc: 1, d: 2, padding: .valid),
    Shape(n: 2, h: 6, w: 6, c: 16, m: 1, kh: 3, kw: 3, sr: 2, sc: 2, d: 1, padding: .explicit(1)),
    Shape(n: 1, h: 4, w: 5, c: 7, m: 1, kh: 7, kw: 7, sr: 1, sc: 1, d: 1, padding: .same),
    Shape(n: 16, h: 28, w: 28, c: 64, m: 1, kh: 3, kw: 3, sr: 1, sc: 1, d: 1, padding: .same),
  ]

  func testForwardAndGradientsMatchReference() throws {
    for (index, s) in Self.shapes.enumerated() {
      let rows = try OutputShape.axis(
        input: s.h, kernel: s.kh, stride: s.sr, dilation: s.d, padding: s.padding)
      let cols = try OutputShape.axis(
        input: s.w, kernel: s.kw, stride: s.sc, dilation: s.d, padding: s.padding)
      let g = WindowGeometry(rows: rows, cols: cols)
      var random = SeededFloats(seed: UInt64(index + 1))
      let cm = s.c * s.m
      let x = random.array(s.n * s.h * s.w * s.c)
      let k = random.array(s.kh * s.kw * cm)
      let b = random.array(cm)
      let outCount = s.n * g.outputRows * g.outputCols * cm
      let dOut = random.array(outCount)
      let label = "case \(index) \(s)"

      var out = [Float](repeating: .nan, count: outCount)
      DepthwiseConv.forward(
        input: x, batch: s.n, height: s.h, width: s.w, channels: s.c, kernel: k,
        depthMultiplier: s.m, bias: b, geometry: g, output: &out)
      let expected = NHWCReference.depthwise(
        input: x, batch: s.n, height: s.h, width: s.w, channels: s.c, kernel: k,
        depthMultiplier: s.m, bias: b, geometry: g)
      assertAllClose(out, expected, "\(label) forward")

      let reference = NHWCReference.depthwiseGradients(
        input: x, dOut: dOut, batch: s.n, height: s.h, width: s.w, channels: s.c, kernel: k,
        depthMultiplier: s.m, geometry: g)
      var dx = [Float](repeating: .nan, count: x.count)
      DepthwiseConv.inputGradient(
        dOut: dOut, kernel: k, batch: s.n, height: s.h, width: s.w, channels: s.c,
        depthMultiplier: s.m, geometry: g, dInput: &dx)
      assertAllClose(dx, reference.dInput, "\(label) dInput")
      // The kernel and bias gradients are added onto what is there.
      var dk = [Float](repeating: 0.5, count: k.count)
      var db = [Float](repeating: -0.25, count: cm)
      DepthwiseConv.kernelGradient(
        input: x, dOut: dOut, batch: s.n, height: s.h, width: s.w, channels: s.c,
        depthMultiplier: s.m, geometry: g, dKernel: &dk, dBias: &db)
      assertAllClose(dk, reference.dKernel.map { $0 + 0.5 }, "\(label) dKernel")
      assertAllClose(db, reference.dBias.map { $0 - 0.25 }, "\(label) dBias")
    }
  }

  /// The clamp an inference network fuses into the depthwise layer (ReLU(max_value)): the
  /// reference's output clamped by hand.
  func testForwardClampsLikeReference() throws {
    for (index, s) in Self.shapes.enumerated() {
      let rows = try OutputShape.axis(input: s.h, kernel: s.kh, stride: s.sr, dilation: s.d, padding: s.padding)
      let cols = try OutputShape.axis(input: s.w, kernel: s.kw, stride: s.sc, dilation: s.d, padding: s.padding)
      let g = WindowGeometry(rows: rows, cols: cols)
      var random = SeededFloats(seed: UInt64(index + 50))
      let cm = s.c * s.m
      let x = random.array(s.n * s.h * s.w * s.c)
      let k = random.array(s.kh * s.kw * cm)
      let b = random.array(cm)
      let expected = NHWCReference.depthwise(
        input: x, batch: s.n, height: s.h, width: s.w, channels: s.c, kernel: k,
        depthMultiplier: s.m, bias: b, geometry: g)
      var out = [Float](repeating: .nan, count: expected.count)
      DepthwiseConv.forward(
        input: x, batch: s.n, height: s.h, width: s.w, channels: s.c, kernel: k,
        depthMultiplier: s.m, bias: b, geometry: g, output: &out, lower: 0, upper: 0.75)
      assertAllClose(out, expected.map { min(max($0, 0), 0.75) }, "case \(index) \(s) clamped")
    }
  }

  /// A hand-worked case: one 3x3 channel, all-ones kernel, 'same': each output is the sum of
  /// its in-image neighbours (corner 4 cells, edge 6, centre 9), plus the bias.
  func testAllOnesKernelSumsNeighbours() throws {
    let g = try WindowGeometry(inputRows: 3, inputCols: 3, kernelRows: 3, kernelCols: 3, padding: .same)
    let x = [Float](repeating: 1, count: 9)
    var out = [Float](repeating: 0, count: 9)
    DepthwiseConv.forward(
      input: x, batch: 1, height: 3, width: 3, channels: 1, kernel: [Float](repeating: 1, count: 9),
      bias: [0.5], geometry: g, output: &out)
    XCTAssertEqual(out, [4.5, 6.5, 4.5, 6.5, 9.5, 6.5, 4.5, 6.5, 4.5])
  }
}
