import ConvKit
import XCTest

/// The engine facts the playground's screens display, checked against the course's worked
/// numbers (worked by hand in the course notes), so a screen test failing points at the view.
final class PlaygroundFactsTests: XCTestCase {
  func testCourseStepOneAndLastStep() throws {
    let g = try WindowGeometry(
      inputRows: 5, inputCols: 5, kernelRows: 3, kernelCols: 3, padding: .valid)
    let trace = StepTrace.convolution(
      input: CourseExample.matrix, kernel: CourseExample.kernel, geometry: g)
    XCTAssertEqual(trace.steps.count, 9)
    XCTAssertEqual(
      trace.steps[0].equationLines(operation: trace.operation),
      ["60*0 + 113*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 266"])
    XCTAssertEqual(trace.steps[8].value, -128)
  }

  func testSamePaddingKeepsFiveByFive() throws {
    let g = try WindowGeometry(
      inputRows: 5, inputCols: 5, kernelRows: 3, kernelCols: 3, padding: .same)
    XCTAssertEqual(g.outputRows, 5)
    XCTAssertEqual(g.rows.formula, "(5 + 2*1 - 3)/1 + 1 = 5")
  }

  func testCourseThreePoolingShrink() throws {
    let rows = try ModelZoo.named("course3")!.spec.rows()
    let pool = try XCTUnwrap(rows.first { $0.layer.kerasClass == "MaxPooling2D" })
    XCTAssertEqual(pool.inputShape.reduce(1, *), 43_264)
    XCTAssertEqual(pool.outputShape.reduce(1, *), 10_816)
    XCTAssertEqual(pool.parameters.total, 0)
  }
}
