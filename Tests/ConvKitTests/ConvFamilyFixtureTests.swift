import ConvKit
import Foundation
import XCTest

/// Depthwise and transposed convolutions, forward and gradients, against PyTorch autograd
/// (`conv2d(groups=C)`, `conv_transpose2d`), with Keras's layers checked to agree when the
/// fixture was made: Fixtures/make_conv_family_fixtures.py wrote Fixtures/conv_family.json.
/// Both the fast kernels and the plain references are compared, to 1e-4 relative.
final class ConvFamilyFixtureTests: XCTestCase {
  struct Case: Decodable {
    var kind: String
    var batch, height, width, channels: Int
    var multiplier: Int?
    var filters: Int?
    var kernel_size: [Int]
    var strides: [Int]
    var dilation: Int
    var padding: String
    var output_padding: [Int]?
    var input, kernel, bias: [Float]
    var output_shape: [Int]
    var output, d_output, d_input, d_kernel, d_bias: [Float]
  }

  func loadCases() throws -> [Case] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/conv_family", withExtension: "json"))
    return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
  }

  func testDepthwiseAndTransposedMatchPyTorch() throws {
    let cases = try loadCases()
    XCTAssertEqual(cases.filter { $0.kind == "depthwise" }.count, 5)
    XCTAssertEqual(cases.filter { $0.kind == "transposed" }.count, 7)
    for (index, c) in cases.enumerated() {
      let padding = try XCTUnwrap(Padding(parsing: c.padding))
      let label = "\(c.kind) case \(index)"
      if c.kind == "depthwise" {
        try checkDepthwise(c, padding: padding, label: label)
      } else {
        try checkTransposed(c, padding: padding, label: label)
      }
    }
  }

  func checkDepthwise(_ c: Case, padding: Padding, label: String) throws {
    let m = try XCTUnwrap(c.multiplier)
    let g = WindowGeometry(
      rows: try OutputShape.axis(
        input: c.height, kernel: c.kernel_size[0], stride: c.strides[0], dilation: c.dilation, padding: padding),
      cols: try OutputShape.axis(
        input: c.width, kernel: c.kernel_size[1], stride: c.strides[1], dilation: c.dilation, padding: padding))
    XCTAssertEqual([c.batch, g.outputRows, g.outputCols, c.channels * m], c.output_shape, label)
    var out = [Float](repeating: .nan, count: c.output.count)
    DepthwiseConv.forward(
      input: c.input, batch: c.batch, height: c.height, width: c.width, channels: c.channels,
      kernel: c.kernel, depthMultiplier: m, bias: c.bias, geometry: g, output: &out)
    assertAllClose(out, c.output, "\(label) forward")
    assertAllClose(
      NHWCReference.depthwise(
        input: c.input, batch: c.batch, height: c.height, width: c.width, channels: c.channels,
        kernel: c.kernel, depthMultiplier: m, bias: c.bias, geometry: g),
      c.output, "\(label) reference forward")
    var dx = [Float](repeating: .nan, count: c.input.count)
    DepthwiseConv.inputGradient(
      dOut: c.d_output, kernel: c.kernel, batch: c.batch, height: c.height, width: c.width,
      channels: c.channels, depthMultiplier: m, geometry: g, dInput: &dx)
    assertAllClose(dx, c.d_input, "\(label) dInput")
    var dk = [Float](repeating: 0, count: c.kernel.count)
    var db = [Float](repeating: 0, count: c.bias.count)
    DepthwiseConv.kernelGradient(
      input: c.input, dOut: c.d_output, batch: c.batch, height: c.height, width: c.width,
      channels: c.channels, depthMultiplier: m, geometry: g, dKernel: &dk, dBias: &db)
    assertAllClose(dk, c.d_kernel, "\(label) dKernel")
    assertAllClose(db, c.d_bias, "\(label) dBias")
    let reference = NHWCReference.depthwiseGradients(
      input: c.input, dOut: c.d_output, batch: c.batch, height: c.height, width: c.width,
      channels: c.channels, kernel: c.kernel, depthMultiplier: m, geometry: g)
    assertAllClose(reference.dInput, c.d_input, "\(label) reference dInput")
    assertAllClose(reference.dKernel, c.d_kernel, "\(label) reference dKernel")
  }

  func checkTransposed(_ c: Case, padding: Padding, label: String) throws {
    let f = try XCTUnwrap(c.filters)
    let g = try TransposedConv.geometry(
      inputRows: c.height, inputCols: c.width, kernelRows: c.kernel_size[0], kernelCols: c.kernel_size[1],
      strideRows: c.strides[0], strideCols: c.strides[1], dilation: c.dilation, padding: padding,
      outputPadding: c.output_padding.map { ($0[0], $0[1]) })
    XCTAssertEqual([c.batch, g.rows.input, g.cols.input, f], c.output_shape, label)
    guard [c.batch, g.rows.input, g.cols.input, f] == c.output_shape else { return }
    var out = [Float](repeating: .nan, count: c.output.count)
    TransposedConv.forward(
      input: c.input, batch: c.batch, channels: c.channels, kernel: c.kernel, bias: c.bias,
      filters: f, geometry: g, output: &out)
    assertAllClose(out, c.output, "\(label) forward")
    assertAllClose(
      NHWCReference.transposed(
        input: c.input, batch: c.batch, channels: c.channels, kernel: c.kernel, filters: f,
        bias: c.bias, geometry: g),
      c.output, "\(label) reference forward")
    var dx = [Float](repeating: .nan, count: c.input.count)
    TransposedConv.inputGradient(
      dOut: c.d_output, kernel: c.kernel, batch: c.batch, channels: c.channels, filters: f,
      geometry: g, dInput: &dx)
    assertAllClose(dx, c.d_input, "\(label) dInput")
    var dk = [Float](repeating: 0, count: c.kernel.count)
    var db = [Float](repeating: 0, count: f)
    TransposedConv.kernelGradient(
      input: c.input, dOut: c.d_output, batch: c.batch, channels: c.channels, filters: f,
      geometry: g, dKernel: &dk, dBias: &db)
    assertAllClose(dk, c.d_kernel, "\(label) dKernel")
    assertAllClose(db, c.d_bias, "\(label) dBias")
  }
}
