import ConvKit
import XCTest

/// Output sizes against hand-worked values and Keras's documented rules.
final class OutputShapeTests: XCTestCase {
  func testCourseValidFiveByFive() throws {
    let g = try OutputShape.axis(input: 5, kernel: 3, padding: .valid)
    XCTAssertEqual(g.output, 3)
    XCTAssertEqual(g.formula, "(5 + 2*0 - 3)/1 + 1 = 3")
  }

  func testCourseMnistTwentySix() throws {
    // "¿Por qué la salida es de 26x26?": (28 + 0 - 3)/1 + 1 = 26
    let g = try OutputShape.axis(input: 28, kernel: 3, padding: .valid)
    XCTAssertEqual(g.output, 26)
    XCTAssertEqual(g.formula, "(28 + 2*0 - 3)/1 + 1 = 26")
  }

  func testCoursePoolingThirteen() throws {
    XCTAssertEqual(try OutputShape.axis(input: 26, kernel: 2, stride: 2, padding: .valid).output, 13)
  }

  func testExplicitPaddingKeepsSize() throws {
    let g = try OutputShape.axis(input: 5, kernel: 3, padding: .explicit(1))
    XCTAssertEqual(g.output, 5)
    XCTAssertEqual(g.formula, "(5 + 2*1 - 3)/1 + 1 = 5")
  }

  func testKerasSameStrideTwoPutsExtraZeroBottomRight() throws {
    // 28x28, k=3, s=2 -> 14; total pad = (14-1)*2 + 3 - 28 = 1: 0 above, 1 below.
    let g = try OutputShape.axis(input: 28, kernel: 3, stride: 2, padding: .same)
    XCTAssertEqual(g.output, 14)
    XCTAssertEqual(g.padBefore, 0)
    XCTAssertEqual(g.padAfter, 1)
    XCTAssertEqual(g.formula, "(28 + 0 + 1 - 3)/2 + 1 = 14")
  }

  func testSameIsCeilOfNOverS() throws {
    for n in 1...20 {
      for k in 1...5 {
        for s in 1...3 {
          let g = try OutputShape.axis(input: n, kernel: k, stride: s, padding: .same)
          XCTAssertEqual(g.output, (n + s - 1) / s, "n=\(n) k=\(k) s=\(s)")
          XCTAssertLessThanOrEqual(g.padBefore, g.padAfter)
        }
      }
    }
  }

  func testSameWithLargeStrideNeedsNoPadding() throws {
    // n=5, k=2, s=3 -> out 2, total = max(3 + 2 - 5, 0) = 0
    let g = try OutputShape.axis(input: 5, kernel: 2, stride: 3, padding: .same)
    XCTAssertEqual(g.output, 2)
    XCTAssertEqual(g.padBefore + g.padAfter, 0)
  }

  func testDilationWidensTheKernel() throws {
    // d=2, k=3 spans 5: (7 - 5)/1 + 1 = 3
    let g = try OutputShape.axis(input: 7, kernel: 3, dilation: 2, padding: .valid)
    XCTAssertEqual(g.effectiveKernel, 5)
    XCTAssertEqual(g.output, 3)
  }

  func testValidFloorsAndExplains() throws {
    let g = try OutputShape.axis(input: 6, kernel: 3, stride: 2, padding: .valid)
    XCTAssertEqual(g.output, 2)
    XCTAssertFalse(g.divides)
    XCTAssertEqual(g.formula, "(6 + 2*0 - 3)/2 + 1 = floor(2.5) = 2")
    XCTAssertNotNil(g.floorExplanation)
  }

  func testExplicitPaddingThatDoesNotDivideIsRefusedWhenAsked() {
    XCTAssertThrowsError(
      try OutputShape.axis(input: 6, kernel: 3, stride: 2, padding: .explicit(0), requireWhole: true)
    ) { error in
      XCTAssertTrue(String(describing: error).contains("not a whole number"))
    }
    XCTAssertEqual(
      try OutputShape.axis(input: 6, kernel: 3, stride: 2, padding: .explicit(0)).output, 2)
  }

  func testBadGeometryIsAnError() {
    XCTAssertThrowsError(try OutputShape.axis(input: 5, kernel: 3, stride: 0, padding: .valid))
    XCTAssertThrowsError(try OutputShape.axis(input: 2, kernel: 3, padding: .valid))
    XCTAssertThrowsError(try OutputShape.axis(input: 5, kernel: 0, padding: .valid))
    XCTAssertThrowsError(try OutputShape.axis(input: 5, kernel: 3, dilation: 0, padding: .valid))
  }

  func testPaddingParsing() {
    XCTAssertEqual(Padding(parsing: "valid"), .valid)
    XCTAssertEqual(Padding(parsing: "SAME"), .same)
    XCTAssertEqual(Padding(parsing: "2"), .explicit(2))
    XCTAssertNil(Padding(parsing: "-1"))
    XCTAssertNil(Padding(parsing: "full"))
  }

  func testFormulaLineForBothAxes() throws {
    let g = try WindowGeometry(inputRows: 5, inputCols: 5, kernelRows: 3, kernelCols: 3, padding: .valid)
    XCTAssertEqual(g.formulaLine, "output size: (5 + 2*0 - 3)/1 + 1 = 3  ->  3 x 3")
  }
}
