import Foundation
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

  /// Explicit padding floors as 'valid' does (PyTorch and Keras floor); the note names what the
  /// floor leaves out: column 5 of 0...5 for (6 - 3)/2.
  func testExplicitPaddingFloorsAndNamesWhatIsLeftOut() throws {
    let g = try OutputShape.axis(input: 6, kernel: 3, stride: 2, padding: .explicit(0))
    XCTAssertEqual(g.output, 2)
    XCTAssertEqual(g.unvisitedInputs, [5])
    XCTAssertEqual(g.visitNote(axis: "column"), "(6 + 2*0 - 3)/2 + 1 = floor(2.5) = 2: column 5 of the input is never visited")
    // Padding 1 on 6 with kernel 2, stride 3: windows at padded 0-1, 3-4, 6-7, that is input
    // rows -1...0, 2...3, 5...6: rows 1 and 4 fall between windows.
    let p = try OutputShape.axis(input: 6, kernel: 2, stride: 3, padding: .explicit(1))
    XCTAssertEqual(p.output, 3)
    XCTAssertEqual(p.unvisitedInputs, [1, 4])
    XCTAssertEqual(p.visitNote(axis: "row"), "(6 + 2*1 - 2)/3 + 1 = 3: rows 1, 4 of the input are never visited")
    // A floor that drops only a padding zero (padded 6, windows at 0-2 and 2-4) visits everything.
    let z = try OutputShape.axis(input: 4, kernel: 3, stride: 2, padding: .explicit(1))
    XCTAssertEqual(z.output, 2)
    XCTAssertEqual(z.unvisitedInputs, [])
    XCTAssertEqual(z.visitNote(axis: "row"), "(4 + 2*1 - 3)/2 + 1 = floor(2.5) = 2: the floor drops only padding zeros; every row is visited")
    XCTAssertNil(try OutputShape.axis(input: 5, kernel: 3, padding: .valid).visitNote(axis: "row"))
  }

  /// Output sizes and never-visited inputs against real convolutions in PyTorch (explicit
  /// padding 0-3) and Keras (same): Fixtures/make_output_size_fixture.py.
  func testAgainstPyTorchAndKeras() throws {
    struct Case: Decodable { var n, k, s, d, out: Int; var padding: String; var unvisited: [Int] }
    struct File: Decodable { var cases: [Case] }
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/output_sizes", withExtension: "json"))
    let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    XCTAssertGreaterThan(cases.count, 1800)
    XCTAssertGreaterThan(cases.filter { $0.padding == "same" }.count, 200)
    for c in cases {
      let g = try OutputShape.axis(
        input: c.n, kernel: c.k, stride: c.s, dilation: c.d, padding: try XCTUnwrap(Padding(parsing: c.padding)))
      let name = "n \(c.n) k \(c.k) s \(c.s) d \(c.d) padding \(c.padding)"
      XCTAssertEqual(g.output, c.out, name)
      XCTAssertEqual(g.unvisitedInputs, c.unvisited, name)
      XCTAssertEqual(g.visitNote(axis: "row") == nil, c.unvisited.isEmpty && g.divides, name)
    }
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
