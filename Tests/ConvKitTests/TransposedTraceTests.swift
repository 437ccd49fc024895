import ConvKit
import Foundation
import XCTest

/// The transposed-convolution screen's stamps against PyTorch's conv_transpose2d
/// (Fixtures/make_backward_fixture.py) and against the convolution's own dL/dX: a transposed
/// convolution is the backward pass of a convolution with the same kernel, stride and padding.
final class TransposedTraceTests: XCTestCase {
  struct Case: Decodable {
    var name: String
    var input: [[Float]]
    var kernel: [[Float]]
    var stride: Int
    var padding: Int
    var output: [[Float]]
  }

  func testEqualsPyTorchAndTheConvolutionsInputGradient() throws {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/transposed_cases", withExtension: "json"))
    let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    XCTAssertEqual(cases.count, 4)
    for c in cases {
      let x = Tensor(rows: c.input)
      let k = Tensor(rows: c.kernel)
      let t = try TransposedTrace(input: x, kernel: k, strideRows: c.stride, strideCols: c.stride, padding: c.padding)
      XCTAssertEqual(t.output, Tensor(rows: c.output), c.name)
      XCTAssertEqual(t.output.shape[1], TransposedTrace.outputSize(input: x.shape[1], stride: c.stride, padding: c.padding, kernel: k.shape[1]))
      XCTAssertEqual(t.partial(stamps: t.stamps.count), t.uncropped, c.name)
      // dL/dX of Y = conv(X', K) with G = the transposed convolution's input.
      let g = try WindowGeometry(
        inputRows: t.output.shape[1], inputCols: t.output.shape[2], kernelRows: k.shape[1], kernelCols: k.shape[2],
        strideRows: c.stride, strideCols: c.stride, padding: c.padding == 0 ? .valid : .explicit(c.padding))
      if g.outputRows == x.shape[1] && g.outputCols == x.shape[2] {
        let b = try BackwardTrace(input: Tensor(zeros: t.output.shape), kernel: k, geometry: g, upstream: .given(x))
        XCTAssertEqual(b.inputGradient, t.output, "backward pass, \(c.name)")
      }
    }
  }

  func testHandWorkedStrideTwo() throws {
    // 2x2 input of ones-kernel stamps 3x3 apart by 2: the middle row and column overlap.
    let t = try TransposedTrace(input: Tensor(rows: [[1, 2], [3, 4]]), kernel: Tensor(rows: [[1, 1, 1], [1, 1, 1], [1, 1, 1]]),
                                strideRows: 2, strideCols: 2)
    XCTAssertEqual(t.output.shape, [1, 5, 5])
    XCTAssertEqual(t.output[0, 2, 2], 10)
    XCTAssertEqual(t.output[0, 0, 2], 3)
    XCTAssertEqual(t.stamps[1].cols, 2...4)
    XCTAssertThrowsError(try TransposedTrace(input: Tensor(rows: [[1]]), kernel: Tensor(rows: [[1]]), padding: 1))
  }
}
