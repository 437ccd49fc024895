import ConvKit
import XCTest

/// The step trace is what the screens animate: its steps must be the course's own.
final class StepTraceTests: XCTestCase {
  func courseTrace(padding: Padding = .valid) throws -> StepTrace {
    let g = try WindowGeometry(inputRows: 5, inputCols: 5, kernelRows: 3, kernelCols: 3, padding: padding)
    return StepTrace.convolution(input: CourseExample.matrix, kernel: CourseExample.kernel, geometry: g)
  }

  func testCourseStepsAndEquations() throws {
    let t = try courseTrace()
    XCTAssertEqual(t.steps.count, 9)
    XCTAssertEqual(t.steps.map(\.value), [266, -61, -30, 116, -47, 295, -135, 256, -128])
    XCTAssertEqual(
      t.steps[0].equationLines(operation: t.operation),
      ["60*0 + 113*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 266"])
    XCTAssertEqual(
      t.steps[8].equationLines(operation: t.operation),
      ["70*0 + 129*(-1) + 127*0 + 115*(-1) + 69*5 + 134*(-1) + 123*0 + 95*(-1) + 130*0 = -128"])
    XCTAssertEqual(t.steps[4].paddedRows, 1...3)
    XCTAssertEqual(t.steps[4].paddedCols, 1...3)
    XCTAssertEqual(t.steps[3].terms.map(\.product).reduce(0, +), 116)
  }

  func testTraceEqualsReference() throws {
    for padding in [Padding.valid, .same, .explicit(2)] {
      let t = try courseTrace(padding: padding)
      XCTAssertEqual(t.output.tensor, ReferenceKernels.convolve(input: CourseExample.matrix, kernel: CourseExample.kernel, geometry: t.geometry))
    }
  }

  func testPaddedCornerUsesZeros() throws {
    // First cell of the padded table: 114 = -0*... only 60*5 - 113 - 73 = 114.
    let t = try courseTrace(padding: .same)
    let first = t.steps[0]
    XCTAssertEqual(first.value, 114)
    XCTAssertEqual(first.terms.filter(\.isPadding).count, 5)
    XCTAssertEqual(first.paddedRows, 0...2)
  }

  func testMaxPoolingWinner() throws {
    let g = try WindowGeometry(inputRows: 5, inputCols: 5, kernelRows: 2, kernelCols: 2, strideRows: 2, strideCols: 2, padding: .valid)
    let t = StepTrace.pooling(input: CourseExample.matrix, geometry: g, mode: .max)
    XCTAssertEqual(t.steps.count, 4)
    let s = t.steps[0]
    XCTAssertEqual(s.terms[s.winner!].value, 121)
    XCTAssertEqual(s.equationLines(operation: t.operation), ["max(60, 113, 73, 121) = 121"])
    let avg = StepTrace.pooling(input: CourseExample.matrix, geometry: g, mode: .avg)
    XCTAssertEqual(avg.steps[0].equationLines(operation: avg.operation), ["(60 + 113 + 73 + 121)/4 = 91.75"])
  }

  func testRGBEquationShowsChannelSumsAndBias() throws {
    let x = Tensor(shape: [3, 1, 1], scalars: [1, 2, 3])
    let k = Tensor(shape: [3, 1, 1], scalars: [2, -1, 1])
    let g = try WindowGeometry(inputRows: 1, inputCols: 1, kernelRows: 1, kernelCols: 1, padding: .valid)
    let t = StepTrace.convolution(input: x, kernel: k, geometry: g, bias: 1)
    XCTAssertEqual(
      t.steps[0].equationLines(operation: t.operation, channelNames: ["R", "G", "B"]),
      ["R: 1*2 = 2", "G: 2*(-1) = -2", "B: 3*1 = 3", "2 + (-2) + 3 + 1 (bias) = 4"])
  }
}

/// Whole numbers typed by a student stay exact through the step arithmetic: Float32 would turn
/// 16777217 into 16777216 and round every product past 2^24.
final class ExactStepArithmeticTests: XCTestCase {
  func testTypedIntegersAndLargeProductsAreExact() throws {
    let input = try MatrixText.parseExact("16777217 3\n4097 123456789\n")
    XCTAssertEqual(input[0, 0, 0], 16_777_217)
    XCTAssertEqual(input[0, 1, 1], 123_456_789)
    XCTAssertEqual(MatrixText.format(input), "16777217 3\n4097 123456789")
    let g = try WindowGeometry(
      inputRows: 2, inputCols: 2, kernelRows: 2, kernelCols: 2, strideRows: 1, strideCols: 1, padding: .valid)
    let sum = StepTrace.convolution(input: input, kernel: ExactTensor(rows: [[1, 1], [1, 1]]), geometry: g)
    // 16777217 + 3 + 4097 + 123456789, by hand.
    XCTAssertEqual(sum.steps[0].value, 140_238_106)
    XCTAssertEqual(sum.steps[0].equationLines(operation: sum.operation), ["16777217*1 + 3*1 + 4097*1 + 123456789*1 = 140238106"])
    let one = try WindowGeometry(
      inputRows: 2, inputCols: 2, kernelRows: 1, kernelCols: 1, strideRows: 1, strideCols: 1, padding: .valid)
    let products = StepTrace.convolution(input: input, kernel: ExactTensor(rows: [[4097]]), geometry: one)
    // 16777217 * 4097 = 68736258049 and 4097 * 4097 = 16785409 (Float32: 68736253952, 16785408).
    XCTAssertEqual(MatrixText.format(products.output), "68736258049 12291\n16785409 505802464533")
    XCTAssertEqual(products.steps[2].terms[0].product, 16_785_409)
    // The engine's Float32 would not have kept them: the test can fail.
    XCTAssertNotEqual(Double(Float(16_777_217)), 16_777_217)
  }

  func testIntegersPastTwoToThe53AreRefused() {
    XCTAssertThrowsError(try MatrixText.parseExact("9007199254740993\n"))
    XCTAssertNoThrow(try MatrixText.parseExact("9007199254740992 0.5\n"))
  }
}
