import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// Bilinear resize against values worked by hand, and image_dataset_from_directory's reader.
final class ResizeAndFolderTests: XCTestCase {
  func testUpsampleTwoByTwoByHand() {
    // Half-pixel centres: output rows/cols sample input coordinates -0.25 (clamped to 0), 0.25,
    // 0.75, 1.25 (clamped to 1); the input 8y + 4x is linear, so each output is 8*sy + 4*sx.
    let image = Image(width: 2, height: 2, channels: 1, samples: [0, 4, 8, 12])
    let out = image.resizedBilinear(height: 4, width: 4)
    XCTAssertEqual(out.samples, [0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12])
  }

  /// PIL's NEAREST (Keras's load_img default): output o copies input floor((o + 0.5) * in / out).
  func testNearestPicksTheSourcePixelUnderEachCentre() {
    // 5 wide -> 2: centres 1.25 and 3.75 -> columns 1 and 3; 3 high -> 4: 0.375, 1.125, 1.875,
    // 2.625 -> rows 0, 1, 1, 2. The input is 10y + x, so each output names its source.
    let image = Image(width: 5, height: 3, channels: 1, samples: (0..<3).flatMap { y in (0..<5).map { Float(10 * y + $0) } })
    XCTAssertEqual(image.resizedNearest(height: 4, width: 2).samples, [1, 3, 11, 13, 11, 13, 21, 23])
    // Every channel alike; the same size is the same image.
    let rgb = Image(width: 2, height: 2, channels: 3, samples: (0..<12).map(Float.init))
    XCTAssertEqual(rgb.resizedNearest(height: 1, width: 1).samples, [3, 7, 11])
    XCTAssertEqual(rgb.resizedNearest(height: 2, width: 2), rgb)
  }

  /// The index maps PIL 13's NEAREST uses (Fixtures/make_pil_nearest_fixture.py): the course's
  /// photo widths 256 ... 1024 -> 224 and 60 random pairs, down and up. The exact centre rule
  /// floor((o + 0.5) * in / out) differs from PIL at 25 of 224 columns for 512 -> 224.
  func testNearestMatchesPIL() throws {
    struct Case: Decodable { var input: Int; var output: Int; var source: [Int] }
    struct File: Decodable { var cases: [Case] }
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/pil_nearest", withExtension: "json"))
    let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    XCTAssertEqual(cases.count, 67)
    for c in cases {
      XCTAssertEqual(Image.nearestSources(c.input, c.output), c.source, "\(c.input) -> \(c.output)")
    }
    let pil512 = try XCTUnwrap(cases.first { $0.input == 512 && $0.output == 224 })
    let exact = (0..<224).map { (2 * $0 + 1) * 512 / 448 }
    XCTAssertEqual(zip(exact, pil512.source).filter { $0 != $1 }.count, 25)
    // Through the image: a 512-wide, 3-high ramp to 224 x 2 copies the columns PIL picks.
    let ramp = Image(width: 512, height: 3, channels: 1, samples: (0..<3).flatMap { y in (0..<512).map { Float(1000 * y + $0) } })
    let rows = Image.nearestSources(3, 2)
    let resized = ramp.resizedNearest(height: 2, width: 224)
    XCTAssertEqual(resized.samples, rows.flatMap { y in pil512.source.map { Float(1000 * y + $0) } })
  }

  func testDownsampleAveragesBlocksOfARamp() {
    // 4x4 -> 2x2 samples at 0.5 and 2.5: the centre of each 2x2 block of 4y + x.
    let image = Image(width: 4, height: 4, channels: 1, samples: (0..<16).map(Float.init))
    XCTAssertEqual(image.resizedBilinear(height: 2, width: 2).samples, [2.5, 4.5, 10.5, 12.5])
    // Non-square and per channel: a constant channel stays constant.
    let rgb = Image(width: 3, height: 2, channels: 3, samples: [Float](repeating: 7, count: 6) + (0..<6).map(Float.init) + [Float](repeating: 1, count: 6))
    let r = rgb.resizedBilinear(height: 5, width: 4)
    XCTAssertEqual(r.channels, 3)
    XCTAssertEqual(r.height, 5)
    XCTAssertEqual(r.width, 4)
    XCTAssertEqual(Array(r.samples[0..<20]), [Float](repeating: 7, count: 20))
    XCTAssertEqual(Array(r.samples[40..<60]), [Float](repeating: 1, count: 20))
    XCTAssertEqual(image.resizedBilinear(height: 4, width: 4), image)
  }

  func png(_ w: Int, _ h: Int, rgb: (UInt8, UInt8, UInt8)) throws -> Data {
    let px = (0..<(w * h)).flatMap { _ in [rgb.0, rgb.1, rgb.2] }
    return Data(try ImageCodec.encodePNG(width: w, height: h, channels: 3, interleaved: px))
  }

  func testFolderDatasetSortsClassesSplitsAndSkipsCorruptFiles() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("folder-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: root) }
    let fm = FileManager.default
    for c in ["zebra", "apple"] { try fm.createDirectory(at: root.appendingPathComponent(c), withIntermediateDirectories: true) }
    for i in 0..<4 { try png(6, 3, rgb: (255, 0, 0)).write(to: root.appendingPathComponent("apple/\(i).png")) }
    for i in 0..<4 { try png(2, 2, rgb: (0, 0, 255)).write(to: root.appendingPathComponent("zebra/\(i).PNG")) }
    try Data("not a png".utf8).write(to: root.appendingPathComponent("zebra/bad.png"))
    try Data("ignored".utf8).write(to: root.appendingPathComponent("zebra/notes.txt"))

    let set = try ImageFolderDataset.load(root.path, height: 4, width: 5, gray: false, validationSplit: 0.25, seed: 1)
    XCTAssertEqual(set.classNames, ["apple", "zebra"])
    XCTAssertEqual(set.skipped.count, 1)
    XCTAssertTrue(set.skipped[0].contains("bad.png"), set.skipped[0])
    XCTAssertEqual(set.training.count, 6)
    XCTAssertEqual(set.validation.count, 2)
    XCTAssertEqual(set.training.images.shape, [6, 4, 5, 3])
    let labels = set.training.labels + set.validation.labels
    XCTAssertEqual(labels.sorted(), [0, 0, 0, 0, 1, 1, 1, 1])
    // Every apple is pure red, every zebra pure blue, in [0, 1].
    let all = set.training.images.scalars
    for (i, label) in set.training.labels.enumerated() {
      let px = Array(all[(i * 60)..<(i * 60 + 3)])
      XCTAssertEqual(px, label == 0 ? [1, 0, 0] : [0, 0, 1])
    }
    // The same seed gives the same order; gray uses BT.601 (red: 0.299).
    let again = try ImageFolderDataset.load(root.path, height: 4, width: 5, gray: true, validationSplit: 0.25, seed: 1)
    XCTAssertEqual(again.training.labels, set.training.labels)
    XCTAssertEqual(again.training.images.shape, [6, 4, 5, 1])
    let firstRed = try XCTUnwrap(again.training.labels.firstIndex(of: 0))
    XCTAssertEqual(again.training.images.scalars[firstRed * 20], 0.299, accuracy: 1e-5)
  }

  func testFolderErrors() {
    XCTAssertThrowsError(try ImageFolderDataset.load("/nonexistent/x", height: 2, width: 2, gray: true, validationSplit: 0, seed: 0)) { e in
      XCTAssertTrue("\(e)".contains("no such folder"), "\(e)")
    }
  }
}
