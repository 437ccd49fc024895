import ConvKit
import XCTest

final class TextTests: XCTestCase {
  func testNumberFormatting() {
    XCTAssertEqual(NumberText.format(Float(266)), "266")
    XCTAssertEqual(NumberText.format(Float(-128)), "-128")
    XCTAssertEqual(NumberText.format(-0.0 as Double), "0")
    XCTAssertEqual(NumberText.format(91.75 as Double), "91.75")
    XCTAssertEqual(NumberText.format(1.0 / 3.0), "0.333333")
    XCTAssertEqual(NumberText.format(2.0 / 3.0), "0.666667")
    XCTAssertEqual(NumberText.format(1234.5678), "1234.57")
    XCTAssertEqual(NumberText.format(0.000012345), "0.000012345")
    XCTAssertEqual(NumberText.format(0.00000012345), "1.2345e-7")
    XCTAssertEqual(NumberText.format(1e20), "1e+20")
    XCTAssertEqual(NumberText.factor(-1), "(-1)")
    XCTAssertEqual(NumberText.grouped(138_357_544), "138,357,544")
    XCTAssertEqual(NumberText.grouped(640), "640")
    XCTAssertEqual(NumberText.grouped(-43264), "-43,264")
  }

  /// Probabilities never print in exponent form: four decimals, or "<0.0001".
  func testProbabilitiesPrintWithFixedDecimals() {
    XCTAssertEqual(NumberText.probability(7.98e-10), "<0.0001")
    XCTAssertEqual(NumberText.probability(0.00004999), "<0.0001")
    XCTAssertEqual(NumberText.probability(0.00005), "0.0001")
    XCTAssertEqual(NumberText.probability(0.0), "0.0000")
    XCTAssertEqual(NumberText.probability(0.9202), "0.9202")
    XCTAssertEqual(NumberText.probability(0.99996), "1.0000")
    XCTAssertEqual(NumberText.probability(Float(0.25)), "0.2500")
  }

  func testMatrixParsingSeparatorsCommentsAndChannels() throws {
    let t = try MatrixText.parse("""
      # a comment
      1, 2\t3
      4 5 6   # trailing comment

      7 8 9
      10 11 12
      """)
    XCTAssertEqual(t.shape, [2, 2, 3])
    XCTAssertEqual(t.scalars, (1...12).map(Float.init))
  }

  func testMatrixErrorsNameTheLine() {
    XCTAssertThrowsError(try MatrixText.parse("1 2 3\n4 5\n", source: "m.txt")) { e in
      XCTAssertEqual(String(describing: e), "m.txt:2: ragged rows: this row has 2 numbers, the first row of its block has 3")
    }
    XCTAssertThrowsError(try MatrixText.parse("1 x 3\n", source: "m.txt")) { e in
      XCTAssertEqual(String(describing: e), "m.txt:1: 'x' is not a number")
    }
    XCTAssertThrowsError(try MatrixText.parse("# nothing\n\n", source: "m.txt")) { e in
      XCTAssertEqual(String(describing: e), "m.txt: no numbers found")
    }
    XCTAssertThrowsError(try MatrixText.parse("1 2\n3 4\n\n1 2 3\n", source: "m.txt")) { e in
      XCTAssertTrue(String(describing: e).hasPrefix("m.txt:4: channel 2 is 1x3 but channel 1 is 2x2"))
    }
    XCTAssertThrowsError(try MatrixText.parse("1 nan\n", source: "m.txt"))
    XCTAssertThrowsError(try MatrixText.parse("1 inf\n", source: "m.txt"))
  }

  func testFormatRoundTrips() throws {
    let t = Tensor(shape: [2, 1, 2], scalars: [1.5, -2, 3, 4])
    XCTAssertEqual(MatrixText.format(t), "1.5 -2\n\n3 4")
    XCTAssertEqual(try MatrixText.parse(MatrixText.format(t)), t)
  }

  func testPresetsFromTheCourse() {
    XCTAssertEqual(KernelPreset.named("sharpen")?.rows, [[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    XCTAssertEqual(KernelPreset.named("laplacian8"), KernelPreset.named("edge"))
    XCTAssertEqual(KernelPreset.named("edge-horizontal")?.rows, [[1, 1, 1], [0, 0, 0], [-1, -1, -1]])
    XCTAssertEqual(KernelPreset.named("roberts-diagonal")?.rows, [[-1, 0], [0, 1]])
    XCTAssertEqual(KernelPreset.named("roberts-antidiagonal")?.rows, [[0, -1], [1, 0]])
    for name in ["identity", "edge-vertical", "sobel-x", "sobel-y", "prewitt-x", "prewitt-y", "box-blur", "gaussian-3x3", "gaussian-5x5", "emboss"] {
      XCTAssertNotNil(KernelPreset.named(name), name)
    }
    // Smoothing kernels keep brightness: weights sum to 1.
    for p in KernelPreset.all where p.family == .smoothing {
      XCTAssertEqual(p.rows.flatMap { $0 }.reduce(0, +), 1, accuracy: 1e-6, p.name)
    }
  }
}

/// Line breaks of every system, and the check that weights are numbers.
final class TextLinesAndFiniteWeightsTests: XCTestCase {
  func testLinesSplitAtLFCRLFAndCR() {
    for text in ["a b\nc\n\nd\n", "a b\r\nc\r\n\r\nd\r\n", "a b\rc\r\rd\r", "a b\r\nc\n\rd"] {
      XCTAssertEqual(TextLines.split(text), ["a b", "c", "", "d"], text.debugDescription)
    }
    XCTAssertEqual(TextLines.split("one"), ["one"])
    XCTAssertEqual(TextLines.split(""), [""])
  }

  func testMatrixTextReadsWindowsAndOldMacFiles() throws {
    let lf = "1 2\n3 4\n\n5 6\n7 8\n"
    for ending in ["\r\n", "\r"] {
      XCTAssertEqual(try MatrixText.parse(lf.replacingOccurrences(of: "\n", with: ending)), try MatrixText.parse(lf))
    }
  }

  func testFirstNonFiniteIsFoundAnywhere() {
    var values = [Float](repeating: 0.5, count: 5000)
    XCTAssertNil(FiniteWeights.firstNonFinite(values))
    XCTAssertNil(FiniteWeights.firstNonFinite([]))
    for (i, bad) in [(0, Float.nan), (15, .infinity), (1023, -.infinity), (1024, .nan), (4999, .nan), (3001, .greatestFiniteMagnitude * 2)] {
      values[i] = bad
      XCTAssertEqual(FiniteWeights.firstNonFinite(values), i)
      values[i] = -0.0
    }
    XCTAssertNil(FiniteWeights.firstNonFinite(values), "negative zero is finite")
    XCTAssertThrowsError(try FiniteWeights.check([1, .nan], tensor: "dense/kernel")) {
      XCTAssertEqual("\($0)", "weight tensor dense/kernel holds nan (value 2 of 2): not a usable model (damaged file, or a training run that diverged)")
    }
  }
}
