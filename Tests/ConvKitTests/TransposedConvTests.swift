import ConvKit
import XCTest

/// `TransposedConv` against `NHWCReference.transposed*` on random shapes, and its output sizes
/// against Keras's (values printed by Keras 3's Conv2DTranspose.compute_output_shape).
final class TransposedConvTests: XCTestCase {
  func testOutputSizesMatchKeras() throws {
    // (input, kernel, stride, dilation, padding, output_padding) -> Keras's output length.
    let cases: [(Int, Int, Int, Int, Padding, Int?, Int)] = [
      (4, 3, 2, 1, .valid, nil, 9), (4, 3, 2, 1, .same, nil, 8), (5, 3, 1, 1, .same, nil, 5),
      (5, 3, 1, 1, .valid, nil, 7), (3, 2, 3, 1, .valid, nil, 9), (3, 4, 2, 1, .same, nil, 6),
      (4, 3, 2, 1, .valid, 1, 10), (4, 3, 2, 1, .same, 1, 8), (4, 3, 3, 1, .same, 2, 12),
      (5, 3, 1, 2, .same, nil, 5), (5, 3, 1, 2, .valid, nil, 9), (7, 1, 2, 1, .same, nil, 14),
    ]
    for c in cases {
      let axis = try TransposedConv.axis(
        input: c.0, kernel: c.1, stride: c.2, dilation: c.3, padding: c.4, outputPadding: c.5)
      XCTAssertEqual(axis.input, c.6, "\(c)")
      XCTAssertEqual(axis.output, c.0, "\(c)")
    }
    XCTAssertThrowsError(try TransposedConv.axis(input: 4, kernel: 3, stride: 2, padding: .same, outputPadding: 2)) {
      XCTAssertEqual("\($0)", "output_padding (2) must be smaller than the stride (2)")
    }
  }

  func testForwardAndGradientsMatchReference() throws {
    let shapes: [(n: Int, h: Int, w: Int, cin: Int, f: Int, k: Int, s: Int, d: Int, pad: Padding, op: (Int, Int)?)] = [
      (2, 4, 5, 3, 2, 3, 2, 1, .valid, nil), (1, 5, 5, 8, 16, 3, 1, 1, .same, nil),
      (3, 6, 6, 16, 8, 4, 2, 1, .same, nil), (2, 5, 4, 7, 5, 3, 2, 1, .same, nil),
      (1, 4, 4, 3, 3, 3, 2, 1, .valid, (1, 1)), (1, 5, 6, 4, 6, 3, 1, 2, .same, nil),
      (2, 3, 3, 5, 4, 2, 3, 1, .valid, nil), (8, 14, 14, 32, 16, 3, 2, 1, .same, nil),
    ]
    for (index, s) in shapes.enumerated() {
      let g = try TransposedConv.geometry(
        inputRows: s.h, inputCols: s.w, kernelRows: s.k, kernelCols: s.k, strideRows: s.s,
        strideCols: s.s, dilation: s.d, padding: s.pad, outputPadding: s.op)
      var random = SeededFloats(seed: UInt64(200 + index))
      let x = random.array(s.n * s.h * s.w * s.cin)
      let k = random.array(s.k * s.k * s.f * s.cin)
      let b = random.array(s.f)
      let outCount = s.n * g.rows.input * g.cols.input * s.f
      let dOut = random.array(outCount)
      let label = "case \(index)"
      var out = [Float](repeating: .nan, count: outCount)
      TransposedConv.forward(
        input: x, batch: s.n, channels: s.cin, kernel: k, bias: b, filters: s.f, geometry: g, output: &out)
      assertAllClose(
        out,
        NHWCReference.transposed(input: x, batch: s.n, channels: s.cin, kernel: k, filters: s.f, bias: b, geometry: g),
        "\(label) forward")
      let reference = NHWCReference.transposedGradients(
        input: x, dOut: dOut, batch: s.n, channels: s.cin, kernel: k, filters: s.f, geometry: g)
      var dx = [Float](repeating: .nan, count: x.count)
      TransposedConv.inputGradient(
        dOut: dOut, kernel: k, batch: s.n, channels: s.cin, filters: s.f, geometry: g, dInput: &dx)
      assertAllClose(dx, reference.dInput, "\(label) dInput")
      var dk = [Float](repeating: 0, count: k.count)
      var db = [Float](repeating: 0, count: s.f)
      TransposedConv.kernelGradient(
        input: x, dOut: dOut, batch: s.n, channels: s.cin, filters: s.f, geometry: g, dKernel: &dk,
        dBias: &db)
      assertAllClose(dk, reference.dKernel, "\(label) dKernel")
      assertAllClose(db, reference.dBias, "\(label) dBias")
    }
  }
}
