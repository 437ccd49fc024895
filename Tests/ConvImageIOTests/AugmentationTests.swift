import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// `--augment`'s transforms against Keras 3's RandomRotation, RandomTranslation, RandomZoom and
/// RandomFlip with fixed draws (Fixtures/make_augmentation_fixtures.py made augmentation.json).
final class AugmentationTests: XCTestCase {
  struct Fixture: Decodable {
    struct Case: Decodable {
      var name: String
      var degrees: Double?
      var dx: Double?
      var dy: Double?
      var zoom_x: Double?
      var zoom_y: Double?
      var flip: Bool?
      var output: [Float]
    }
    var height, width, channels: Int
    var image: [Float]
    var cases: [Case]
  }

  func testEachTransformMatchesKeras() throws {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/augmentation", withExtension: "json"))
    let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    XCTAssertEqual(f.cases.count, 8)
    for c in f.cases {
      let draw = Augmentation.Draw(
        flip: c.flip ?? false, degrees: c.degrees ?? 0, dx: c.dx ?? 0, dy: c.dy ?? 0,
        zoomX: c.zoom_x ?? 1, zoomY: c.zoom_y ?? 1)
      var out = [Float](repeating: .nan, count: f.image.count)
      Augmentation.affine(
        f.image, height: f.height, width: f.width, channels: f.channels,
        matrix: draw.matrix(height: f.height, width: f.width), into: &out)
      for i in 0..<out.count {
        XCTAssertEqual(out[i], c.output[i], accuracy: 1e-4, "\(c.name) element \(i)")
      }
    }
  }

  func testParsingAndErrors() throws {
    let a = try Augmentation(parsing: "flip, rotate=10,shift=0.1,zoom=0.2")
    XCTAssertEqual(a, Augmentation(flip: true, rotateDegrees: 10, shift: 0.1, zoom: 0.2))
    XCTAssertEqual(a.description, "flip,rotate=10,shift=0.1,zoom=0.2")
    for bad in ["", "spin=3", "rotate", "rotate=x", "shift=2", "zoom=-0.1", "rotate=400"] {
      XCTAssertThrowsError(try Augmentation(parsing: bad), bad) { e in
        XCTAssertTrue("\(e)".contains("--augment"), "\(e)")
        XCTAssertFalse("\(e)".contains("\n"))
      }
    }
  }

  /// Seeded: the same seed gives the same images; draws stay in their ranges; no draw at all
  /// (rotate=0 ...) is impossible to ask for, and a zero draw is the identity.
  func testSeededDrawsInRangeAndIdentity() throws {
    let a = Augmentation(flip: true, rotateDegrees: 10, shift: 0.1, zoom: 0.1)
    var rng = RandomSource(seed: 3)
    var flips = 0
    for _ in 0..<1000 {
      let d = a.draw(height: 28, width: 20, using: &rng)
      XCTAssertLessThanOrEqual(abs(d.degrees), 10)
      XCTAssertLessThanOrEqual(abs(d.dx), 2.0 + 1e-9)
      XCTAssertLessThanOrEqual(abs(d.dy), 2.8 + 1e-9)
      XCTAssertTrue((0.9...1.1).contains(d.zoomX) && (0.9...1.1).contains(d.zoomY))
      if d.flip { flips += 1 }
    }
    XCTAssertTrue((420...580).contains(flips), "\(flips) flips in 1000")
    var source = SeededImages(seed: 5)
    let images = Tensor(shape: [3, 6, 5, 2], scalars: source.values(180))
    var r1 = RandomSource(seed: 9)
    var r2 = RandomSource(seed: 9)
    XCTAssertEqual(a.apply(to: images, using: &r1), a.apply(to: images, using: &r2))
    var identity = [Float](repeating: 0, count: 60)
    let first = Array(images.scalars[0..<60])
    Augmentation.affine(first, height: 6, width: 5, channels: 2, matrix: Augmentation.Draw().matrix(height: 6, width: 5), into: &identity)
    XCTAssertEqual(identity, first)
  }

  struct SeededImages {
    var rng: RandomSource
    init(seed: UInt64) { rng = RandomSource(seed: seed) }
    mutating func values(_ n: Int) -> [Float] { (0..<n).map { _ in rng.nextUnitFloat() } }
  }
}
