import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// Folder data sets as they are shipped: train/ and test/ used as given, classes from file
/// names with a label pattern (the fingers set's `..._3L.png`), and the one-line errors.
final class FolderLayoutTests: XCTestCase {
  func png(gray value: UInt8) throws -> Data {
    Data(try ImageCodec.encodePNG(width: 3, height: 2, channels: 3, interleaved: [UInt8](repeating: value, count: 18)))
  }

  func makeRoot() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("layout-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: root) }
    return root
  }

  /// Fingers-style: flat train/ and test/ folders, the class in the name (value = 40 * class).
  func writeFingers(_ root: URL, train: [String], test: [String]) throws {
    for (sub, names) in [("train", train), ("test", test)] {
      let dir = root.appendingPathComponent(sub)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      for name in names {
        let digit = name.first { $0.isNumber && name.hasSuffix(".png") && name.contains("_\($0)") }
        let value = UInt8(40 * (digit?.wholeNumberValue ?? 0))
        try png(gray: value).write(to: dir.appendingPathComponent(name))
      }
    }
  }

  func testLabelPatternWithGivenTrainAndTest() throws {
    let root = try makeRoot()
    try writeFingers(
      root, train: ["a1_0L.png", "b2_3R.png", "c3_3L.png", "d4_5R.png", "e5_0R.png"],
      test: ["f6_5L.png", "g7_0L.png"])
    let labels = try ImageFolderDataset.Labels(pattern: #"_([0-5])[LR]\.png$"#)
    XCTAssertEqual(try ImageFolderDataset.classNames(in: root.path, labels: labels), ["0", "3", "5"])
    let set = try ImageFolderDataset.load(
      root.path, height: 2, width: 3, gray: true, validationSplit: 0.5, seed: 1, labels: labels)
    XCTAssertTrue(set.givenSplit)
    // As given: 5 training and 2 test images, whatever the validation split says.
    XCTAssertEqual(set.training.count, 5)
    XCTAssertEqual(set.validation.count, 2)
    XCTAssertEqual(set.training.labels.sorted(), [0, 0, 1, 1, 2])
    XCTAssertEqual(set.validation.labels.sorted(), [0, 2])
    // Each image's pixels say its class (40 * class / 255), so labels and images stay paired.
    let classValue: [Float] = [0, 120, 200].map { $0 / 255 }
    for (i, label) in set.training.labels.enumerated() {
      XCTAssertEqual(set.training.images.scalars[i * 6], classValue[label], accuracy: 1e-6)
    }
  }

  func testSubfolderClassesWithGivenTrainAndTest() throws {
    let root = try makeRoot()
    let fm = FileManager.default
    for (sub, counts) in [("train", [("cat", 3), ("dog", 2)]), ("test", [("cat", 1), ("dog", 1)])] {
      for (c, n) in counts {
        let dir = root.appendingPathComponent("\(sub)/\(c)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        for i in 0..<n { try png(gray: c == "cat" ? 0 : 255).write(to: dir.appendingPathComponent("\(i).png")) }
      }
    }
    XCTAssertEqual(try ImageFolderDataset.classNames(in: root.path), ["cat", "dog"])
    let set = try ImageFolderDataset.load(root.path, height: 2, width: 3, gray: false, validationSplit: 0.2, seed: 4)
    XCTAssertEqual(set.training.labels.sorted(), [0, 0, 0, 1, 1])
    XCTAssertEqual(set.validation.labels.sorted(), [0, 1])
    // A test class the training folder lacks is an error naming it.
    try fm.createDirectory(at: root.appendingPathComponent("test/bird"), withIntermediateDirectories: true)
    try png(gray: 9).write(to: root.appendingPathComponent("test/bird/0.png"))
    XCTAssertThrowsError(try ImageFolderDataset.load(root.path, height: 2, width: 3, gray: false, validationSplit: 0.2, seed: 4)) {
      XCTAssertTrue("\($0)".contains("class bird is not in the training folder"), "\($0)")
    }
  }

  func testPatternErrorsAreOneLine() throws {
    XCTAssertThrowsError(try ImageFolderDataset.Labels(pattern: #"_[0-5][LR]\.png$"#)) {
      XCTAssertTrue("\($0)".contains("no capture group"), "\($0)")
    }
    XCTAssertThrowsError(try ImageFolderDataset.Labels(pattern: "_([0-5]")) {
      XCTAssertTrue("\($0)".contains("not a regular expression"), "\($0)")
    }
    let root = try makeRoot()
    try writeFingers(root, train: ["a_1L.png", "b_2R.png", "oops.png", "zz.png"], test: ["c_1L.png"])
    let labels = try ImageFolderDataset.Labels(pattern: #"_([0-5])[LR]\.png$"#)
    XCTAssertThrowsError(try ImageFolderDataset.load(root.path, height: 2, width: 3, gray: true, validationSplit: 0, seed: 0, labels: labels)) {
      let text = "\($0)"
      XCTAssertTrue(text.contains("2 of 4 files"), text)
      XCTAssertTrue(text.contains("(e.g. oops.png)"), text)
      XCTAssertFalse(text.contains("\n"))
    }
  }
}
