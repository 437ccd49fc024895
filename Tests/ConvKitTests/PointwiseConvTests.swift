import ConvKit
import XCTest

/// `PointwiseConv` (1x1 convolution as one matrix product) against `NHWCReference.pointwise*`,
/// for shapes below and above Gemm's parallel threshold and with ragged channel counts.
final class PointwiseConvTests: XCTestCase {
  func testForwardAndGradientsMatchReference() {
    let shapes: [(p: Int, cin: Int, cout: Int)] = [
      (1, 1, 1), (7, 3, 5), (50, 32, 64), (97, 17, 33), (2 * 14 * 14, 128, 96), (16 * 7 * 7, 256, 40),
    ]
    for (index, s) in shapes.enumerated() {
      var random = SeededFloats(seed: UInt64(100 + index))
      let x = random.array(s.p * s.cin)
      let k = random.array(s.cin * s.cout)
      let b = random.array(s.cout)
      let dOut = random.array(s.p * s.cout)
      let label = "case \(index) \(s)"
      var out = [Float](repeating: .nan, count: s.p * s.cout)
      PointwiseConv.forward(
        input: x, pixels: s.p, channels: s.cin, kernel: k, bias: b, filters: s.cout, output: &out)
      assertAllClose(
        out,
        NHWCReference.pointwise(input: x, pixels: s.p, channels: s.cin, kernel: k, filters: s.cout, bias: b),
        "\(label) forward")
      let reference = NHWCReference.pointwiseGradients(
        input: x, dOut: dOut, pixels: s.p, channels: s.cin, kernel: k, filters: s.cout)
      var dx = [Float](repeating: .nan, count: x.count)
      PointwiseConv.inputGradient(
        dOut: dOut, kernel: k, pixels: s.p, channels: s.cin, filters: s.cout, dInput: &dx)
      assertAllClose(dx, reference.dInput, "\(label) dInput")
      var dk = [Float](repeating: 1, count: k.count)
      var db = [Float](repeating: 2, count: s.cout)
      PointwiseConv.kernelGradient(
        input: x, dOut: dOut, pixels: s.p, channels: s.cin, filters: s.cout, dKernel: &dk, dBias: &db)
      assertAllClose(dk, reference.dKernel.map { $0 + 1 }, "\(label) dKernel")
      assertAllClose(db, reference.dBias.map { $0 + 2 }, "\(label) dBias")
    }
  }

  /// Hand-worked: 2 pixels, 2 channels in, 1 filter: out = x . w + b.
  func testTwoPixelsByHand() {
    var out = [Float](repeating: 0, count: 2)
    PointwiseConv.forward(
      input: [1, 2, 3, 4], pixels: 2, channels: 2, kernel: [10, 100], bias: [0.5], filters: 1,
      output: &out)
    XCTAssertEqual(out, [210.5, 430.5])
  }
}
