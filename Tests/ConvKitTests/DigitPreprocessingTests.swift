import ConvKit
import XCTest

/// MNIST-style preparation of a user's digit photo.
final class DigitPreprocessingTests: XCTestCase {
  /// A dark 30x60 bar (an upright "1") on light paper, 100x80 pixels, off-centre.
  func photo() -> [Float] {
    var g = [Float](repeating: 230, count: 100 * 80)
    for y in 10..<70 { for x in 55..<85 { g[y * 100 + x] = 20 } }
    return g
  }

  func testDarkDigitOnPaperBecomesALightCentredDigit() throws {
    let out = try DigitPreprocessing.mnistStyle(gray: photo(), width: 100, height: 80)
    XCTAssertEqual(out.count, 784)
    XCTAssertEqual(out[0], 0, "background is dark")
    XCTAssertEqual(out.max()!, 1, accuracy: 1e-6, "the digit is at full brightness")
    // The 60x30 box becomes 20 rows x 10 columns, centred by mass: rows 4-23, columns 9-18.
    var rows = Set<Int>(), cols = Set<Int>()
    var mass: Float = 0, cx: Float = 0, cy: Float = 0
    for y in 0..<28 {
      for x in 0..<28 where out[y * 28 + x] > 0 {
        rows.insert(y)
        cols.insert(x)
        mass += out[y * 28 + x]
        cx += out[y * 28 + x] * (Float(x) + 0.5)
        cy += out[y * 28 + x] * (Float(y) + 0.5)
      }
    }
    XCTAssertEqual(rows.count, 20)
    XCTAssertEqual(cols.count, 10)
    XCTAssertEqual(cx / mass, 14, accuracy: 0.5)
    XCTAssertEqual(cy / mass, 14, accuracy: 0.5)
  }

  func testLightDigitOnDarkIsKeptAndBlankImagesAreRefused() throws {
    let inverted = photo().map { 255 - $0 }
    XCTAssertEqual(
      try DigitPreprocessing.mnistStyle(gray: inverted, width: 100, height: 80),
      try DigitPreprocessing.mnistStyle(gray: photo(), width: 100, height: 80))
    XCTAssertThrowsError(try DigitPreprocessing.mnistStyle(gray: [Float](repeating: 128, count: 100), width: 10, height: 10)) {
      XCTAssertTrue(String(describing: $0).contains("no digit"))
    }
  }

  func testTopK() {
    let top = DigitPreprocessing.top(3, of: [0.1, 0.05, 0.6, 0.2, 0.05])
    XCTAssertEqual(top.map(\.label), [2, 3, 0])
  }
}
