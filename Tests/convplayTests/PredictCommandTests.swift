import ConvData
import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// `predict` with the built-in model on MNIST test digits drawn the way a user would photograph
/// them: dark ink on white paper, larger, off-centre.
final class PredictCommandTests: XCTestCase {
  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("predict-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func testBuiltInModelReadsPhotographedDigits() throws {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"],
      FileManager.default.fileExists(atPath: shared + "/data/mnist/t10k-images-idx3-ubyte.gz")
    else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    guard (try? DefaultModel.load()) != nil else { throw XCTSkip("no built-in model (scripts/make_default_model.sh)") }
    let test = try DatasetLocator(explicitDirectory: shared + "/data/mnist").load(.mnist).test
    let dir = try temporaryDirectory()
    var right = 0
    let count = 12
    for i in 0..<count {
      // 28x28 -> 84x84 by 3x3 blocks, inverted (ink on paper), placed in a 120x100 page.
      var page = [Float](repeating: 255, count: 120 * 100)
      for y in 0..<84 {
        for x in 0..<84 {
          page[(y + 10) * 120 + x + 30] = 255 - 255 * test.images.scalars[i * 784 + (y / 3) * 28 + x / 3]
        }
      }
      let path = dir.appendingPathComponent("digit\(i).png").path
      try ImageFile.write(Image(width: 120, height: 100, channels: 1, samples: page), to: path)
      let r = try CommandRunner.run(["predict", path])
      XCTAssertEqual(r.status, 0, r.stderr)
      let lines = r.stdout.split(separator: "\n")
      XCTAssertEqual(lines.count, 3, r.stdout)
      XCTAssertTrue(lines[0].hasPrefix("1. "), r.stdout)
      if lines[0].hasPrefix("1. \(test.labels[i]) ") { right += 1 }
    }
    XCTAssertGreaterThanOrEqual(right, count - 1, "\(right) of \(count) right")
  }

  func testUnreadableAndBlankImagesAreOneLine() throws {
    let dir = try temporaryDirectory()
    let blank = dir.appendingPathComponent("blank.png").path
    try ImageFile.write(Image(width: 20, height: 20, channels: 1, samples: [Float](repeating: 200, count: 400)), to: blank)
    var paths = [blank, dir.appendingPathComponent("missing.png").path]
    if let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] {
      paths.append(shared + "/images/bad/truncated.png")
    }
    for path in paths {
      let r = try CommandRunner.run(["predict", path])
      XCTAssertEqual(r.status, 1, path)
      XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
      XCTAssertTrue(r.stderr.hasPrefix("convplay: "), r.stderr)
    }
  }
}
