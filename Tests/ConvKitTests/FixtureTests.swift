import ConvKit
import Foundation
import XCTest

/// Random cases computed by an independent NumPy implementation (Fixtures/make_window_fixtures.py,
/// cross-checked there against scipy.signal), compared with the reference kernels and traces.
final class FixtureTests: XCTestCase {
  struct Case: Decodable {
    var kind: String
    var input: [[[Float]]]
    var kernel: [[[Float]]]?
    var stride: [Int]
    var dilation: Int?
    var padding: String
    var flip: Bool?
    var bias: Float?
    var size: [Int]?
    var mode: String?
    var output: [[[Double]]]
  }

  func loadCases() throws -> [Case] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/window_cases", withExtension: "json"))
    return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
  }

  func assertClose(_ t: Tensor, _ expected: [[[Double]]], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(t.shape, [expected.count, expected[0].count, expected[0][0].count], message, file: file, line: line)
    guard t.shape == [expected.count, expected[0].count, expected[0][0].count] else { return }
    for (i, e) in expected.flatMap({ $0.flatMap { $0 } }).enumerated() {
      let tol = 1e-4 * max(1, abs(e))
      XCTAssertEqual(Double(t.scalars[i]), e, accuracy: tol, "\(message) element \(i)", file: file, line: line)
    }
  }

  func testAgainstNumpy() throws {
    let cases = try loadCases()
    XCTAssertGreaterThan(cases.count, 50)
    for (n, c) in cases.enumerated() {
      let x = Tensor(channels: c.input)
      if c.kind == "conv" {
        let k = Tensor(channels: c.kernel!)
        let g = try WindowGeometry(
          inputRows: x.shape[1], inputCols: x.shape[2], kernelRows: k.shape[1], kernelCols: k.shape[2],
          strideRows: c.stride[0], strideCols: c.stride[1], dilation: c.dilation ?? 1,
          padding: Padding(parsing: c.padding)!)
        let out = ReferenceKernels.convolve(input: x, kernel: k, geometry: g, bias: c.bias ?? 0, flip: c.flip ?? false)
        assertClose(out, c.output, "conv case \(n)")
        let trace = StepTrace.convolution(input: x, kernel: k, geometry: g, bias: c.bias ?? 0, flip: c.flip ?? false)
        assertClose(trace.output.tensor, c.output, "conv trace case \(n)")
      } else {
        let g = try WindowGeometry(
          inputRows: x.shape[1], inputCols: x.shape[2], kernelRows: c.size![0], kernelCols: c.size![1],
          strideRows: c.stride[0], strideCols: c.stride[1], padding: Padding(parsing: c.padding)!)
        let mode = PoolMode(rawValue: c.mode!)!
        assertClose(ReferenceKernels.pool(input: x, geometry: g, mode: mode), c.output, "pool case \(n)")
        assertClose(StepTrace.pooling(input: x, geometry: g, mode: mode).output.tensor, c.output, "pool trace case \(n)")
      }
    }
  }
}
