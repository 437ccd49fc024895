import ConvData
import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// `predict --explain` and `classify --explain`: the map the command writes is the engine's
/// Grad-CAM (itself checked against PyTorch in ConvKitTests/GradCAMTests), on the input the
/// network saw; the files are written whole; bad requests are one line.
final class ExplainCommandTests: XCTestCase {
  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("explain-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  /// A 7 drawn in white on black, 40x40.
  func seven(in dir: URL) throws -> (path: String, gray: [Float]) {
    var page = [Float](repeating: 0, count: 40 * 40)
    for x in 8..<32 { for y in 6..<10 { page[y * 40 + x] = 255 } }
    for y in 10..<34 { let x = 30 - (y - 10) / 2; for dx in 0..<4 { page[y * 40 + x + dx - 2] = 255 } }
    let path = dir.appendingPathComponent("seven.png").path
    try ImageFile.write(Image(width: 40, height: 40, channels: 1, samples: page), to: path)
    return (path, page)
  }

  func testPredictExplainWritesTheEnginesMap() throws {
    guard let model = try? DefaultModel.load() else { throw XCTSkip("no built-in model") }
    let dir = try temporaryDirectory()
    let (path, page) = try seven(in: dir)
    let npy = dir.appendingPathComponent("cam.npy").path
    let png = dir.appendingPathComponent("cam.png").path
    let r = try CommandRunner.run(["predict", path, "--explain", "--explain-npy", npy, "--explain-out", png])
    XCTAssertEqual(r.status, 0, r.stderr)
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    XCTAssertTrue(lines[3].hasPrefix("Grad-CAM for '"), r.stdout)
    XCTAssertTrue(lines[3].contains("at layer conv2d_1 (11x11): where the network looked"), r.stdout)
    // Without colour: 22 columns of " .:-=+*#%@", 11 rows (the 28x28 input is square).
    let picture = Array(lines[4..<15])
    XCTAssertTrue(picture.allSatisfy { $0.count == 22 && $0.allSatisfy { " .:-=+*#%@".contains($0) } }, r.stdout)
    XCTAssertTrue(picture.joined().contains { "#%@".contains($0) }, "the strongest places are drawn dark")
    XCTAssertTrue(r.stdout.contains("saved the raw map (11x11, float32): \(npy)"), r.stdout)

    let pixels = try DigitPreprocessing.mnistStyle(gray: page, width: 40, height: 40)
    let expected = try model.network.gradCAM(image: pixels)
    let saved = try ImageFile.read(npy).image
    XCTAssertEqual([saved.height, saved.width], [11, 11])
    for (a, b) in zip(saved.samples, expected.values) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    let overlay = try ImageFile.read(png).image
    XCTAssertEqual([overlay.channels, overlay.height, overlay.width], [3, 224, 224])
    XCTAssertFalse(FileManager.default.fileExists(atPath: png + ".tmp"))

    let es = try CommandRunner.run(["predict", path, "--explain", "--class", "1", "--lang", "es"])
    XCTAssertEqual(es.status, 0, es.stderr)
    XCTAssertTrue(es.stdout.contains("Grad-CAM de '1' ("), es.stdout)
    XCTAssertTrue(es.stdout.contains("dónde miró la red"), es.stdout)
  }

  func testClassifyExplainOnASpec() throws {
    let dir = try temporaryDirectory()
    let (path, _) = try seven(in: dir)
    let npy = dir.appendingPathComponent("cam.npy").path
    let r = try CommandRunner.run([
      "classify", path, "--arch", "conv2d(4,3,relu) -> conv2d(6,3) -> bn -> ReLU -> gap -> dense(3,softmax)",
      "--input", "20x20x3", "--random-weights", "--explain-npy", npy,
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("at layer re_lu (16x16)"), r.stdout)
    XCTAssertEqual(try ImageFile.read(npy).image.pixelCount, 256)
  }

  func testBadExplainRequestsAreOneLine() throws {
    let dir = try temporaryDirectory()
    let (path, _) = try seven(in: dir)
    for (args, expected) in [
      (["--explain", "--class", "12"], "--class 12 is not a class of this model (0-9)"),
      (["--explain", "--explain-layer", "nope"], "--explain-layer: the model has no layer 'nope'"),
      (["--explain-out", "cam.jpg"], "--explain-out must name a .png file"),
      (["--class", "3"], "--class and --explain-layer go with"),
      (["--explain-npy", path + "/cam.npy"], "convplay: "),
    ] {
      let r = try CommandRunner.run(["predict", path] + args)
      XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
      XCTAssertTrue(r.stderr.contains(expected), r.stderr)
      if !expected.hasPrefix("--explain-out") && !expected.hasPrefix("--class and") {
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("convplay: "), r.stderr)
      }
    }
  }
}
