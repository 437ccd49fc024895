import ConvImageIO
import ConvKit
import ConvPretrained
import XCTest

/// The batch preprocessing fine-tuning uses gives the numbers `Preprocessing.apply` (the one
/// classify uses, checked against Keras) gives each image.
final class BaseInputTests: XCTestCase {
  func testBatchNormalizeEqualsPerImageApply() throws {
    var rng = RandomSource(seed: 4)
    let (n, h, w) = (3, 5, 4)
    let unit = (0..<(n * h * w * 3)).map { _ in (rng.nextSymmetric(1) + 1) / 2 }
    let pixels = BaseInput.resized(Tensor(shape: [n, h, w, 3], scalars: unit), height: h, width: w)
    XCTAssertEqual(pixels.scalars, unit.map { $0 * 255 })
    for mode in Preprocessing.allCases {
      let batch = mode.normalize(pixels).scalars
      for i in 0..<n {
        var planes = [Float](repeating: 0, count: 3 * h * w)
        for p in 0..<(h * w) { for c in 0..<3 { planes[c * h * w + p] = pixels.scalars[(i * h * w + p) * 3 + c] } }
        let one = try mode.apply(Image(width: w, height: h, channels: 3, samples: planes), channels: 3)
        XCTAssertEqual(Array(batch[(i * h * w * 3)..<((i + 1) * h * w * 3)]), one, "\(mode)")
      }
    }
  }

  func testGrayImagesBecomeThreeEqualChannelsAtTheBaseSize() {
    let gray = Tensor(shape: [1, 2, 2, 1], scalars: [0, 0.5, 1, 0.25])
    let out = BaseInput.resized(gray, height: 4, width: 4)
    XCTAssertEqual(out.shape, [1, 4, 4, 3])
    for p in 0..<16 {
      XCTAssertEqual(out.scalars[p * 3], out.scalars[p * 3 + 1])
      XCTAssertEqual(out.scalars[p * 3], out.scalars[p * 3 + 2])
    }
  }
}
