import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// The image commands end to end: the real binary, real photos, exit codes and stderr.
final class ImageCommandsTests: XCTestCase {
  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The convplay binary built beside this test bundle.
  func binary() throws -> URL {
    let dir = Bundle.main.bundleURL.deletingLastPathComponent()
    for candidate in [
      dir.appendingPathComponent("convplay"),
      Bundle.main.bundleURL.appendingPathComponent("convplay"),
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("convplay"),
    ] where FileManager.default.isExecutableFile(atPath: candidate.path) {
      return candidate
    }
    throw XCTSkip("the convplay binary is not beside the tests (build it with swift build)")
  }

  func run(_ arguments: [String]) throws -> Run {
    let process = Process()
    process.executableURL = try binary()
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  func shared() throws -> String {
    guard let s = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"],
      FileManager.default.fileExists(atPath: s + "/images")
    else { throw XCTSkip("CONVPLAY_SHARED is not set: the shared photos are not available") }
    return s + "/images"
  }

  func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convplay-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.path
  }

  func assertRefused(_ r: Run, mentioning: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNotEqual(r.status, 0, file: file, line: line)
    let lines = r.stderr.split(separator: "\n")
    XCTAssertEqual(lines.count, 1, "one line on stderr, got: \(r.stderr)", file: file, line: line)
    XCTAssertTrue(r.stderr.hasPrefix("convplay: "), r.stderr, file: file, line: line)
    XCTAssertTrue(r.stderr.contains(mentioning), r.stderr, file: file, line: line)
  }

  /// Every bad file, through every command that reads images: one line, non-zero exit, and no
  /// output file (not even a temporary one).
  func testBadFilesAreRefusedWithoutOutput() throws {
    let bad = try shared() + "/bad"
    let dir = try temporaryDirectory()
    for name in try FileManager.default.contentsOfDirectory(atPath: bad).sorted() {
      let path = bad + "/" + name
      assertRefused(try run(["filter", path, "--kernel", "edge", "--out", dir + "/f.png"]), mentioning: name)
      assertRefused(try run(["gray", path, "--out", dir + "/g.npy"]), mentioning: name)
      assertRefused(try run(["channels", path, "--out-dir", dir + "/ch"]), mentioning: name)
      assertRefused(try run(["info", path]), mentioning: name)
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
  }

  /// The same without ../shared: bad files made here (empty, random bytes, a PNG and a JPEG cut
  /// in half, a header only).
  func testGeneratedBadFilesAreRefused() throws {
    let dir = try temporaryDirectory()
    let out = try temporaryDirectory()
    var state: UInt64 = 1
    let pixels = (0..<(64 * 48 * 3)).map { _ -> UInt8 in
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return UInt8(state >> 56)
    }
    let png = try ImageCodec.encodePNG(width: 64, height: 48, channels: 3, interleaved: pixels)
    let jpeg = try ImageCodec.encodeJPEG(width: 64, height: 48, channels: 3, interleaved: pixels)
    let files: [String: [UInt8]] = [
      "empty.png": [], "random.jpg": Array(pixels.prefix(4096)),
      "cut.png": Array(png.prefix(png.count / 2)), "cut.jpg": Array(jpeg.prefix(jpeg.count / 2)),
      "header.png": Array(png.prefix(8)),
    ]
    for (name, bytes) in files {
      let path = dir + "/" + name
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      assertRefused(try run(["filter", path, "--out", out + "/f.png"]), mentioning: name)
      assertRefused(try run(["info", path]), mentioning: name)
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), [])
  }

  func testPixelLimitAndBadOptions() throws {
    let photo = try shared() + "/chelsea.png"
    let dir = try temporaryDirectory()
    assertRefused(
      try run(["filter", photo, "--max-pixels", "1000", "--out", dir + "/x.png"]),
      mentioning: "over the limit of 1000")
    assertRefused(try run(["filter", photo, "--out", dir + "/x.bmp"]), mentioning: ".png")
    assertRefused(try run(["filter", photo, "--out", dir + "/no/x.png"]), mentioning: "does not exist")
    assertRefused(try run(["filter", photo, "--normalize", "loud", "--out", dir + "/x.png"]), mentioning: "--normalize")
    assertRefused(try run(["filter", photo, "--gray", "green", "--out", dir + "/x.png"]), mentioning: "--gray")
    assertRefused(try run(["filter", photo, "--kernel", "nope", "--out", dir + "/x.png"]), mentioning: "unknown kernel")
    assertRefused(try run(["gray", photo, "--method", "none", "--out", dir + "/x.png"]), mentioning: "--method")
    assertRefused(try run(["channels", try shared() + "/camera.png", "--out-dir", dir]), mentioning: "gray image")
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
  }

  /// `filter --out X.npy` is exactly the engine's result on the luminance gray image.
  func testFilterWritesTheEngineResult() throws {
    let photo = try shared() + "/chelsea.png"
    let dir = try temporaryDirectory()
    let r = try run([
      "filter", photo, "--kernel", "sobel-x", "--stride", "2", "--out", dir + "/sobel.npy",
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("226x150 gray"), r.stdout)
    let got = try ImageFile.read(dir + "/sobel.npy").image
    let gray = GrayMethod.luminance.convert(try ImageFile.read(photo).image)
    let geometry = try WindowGeometry(
      inputRows: 300, inputCols: 451, kernelRows: 3, kernelCols: 3, strideRows: 2, strideCols: 2,
      padding: .same)
    let expected = ReferenceKernels.convolve(
      input: gray.planes, kernel: KernelPreset.named("sobel-x")!.tensor, geometry: geometry)
    XCTAssertEqual(got.planes.shape, expected.shape)
    for (a, b) in zip(got.samples, expected.scalars) {
      XCTAssertEqual(a, b, accuracy: 1e-3)
    }
    // The PNG is the same numbers through abs (the edge default), rounded.
    XCTAssertEqual(try run(["filter", photo, "--kernel", "sobel-x", "--stride", "2", "--out", dir + "/sobel.png"]).status, 0)
    let png = try ImageFile.read(dir + "/sobel.png").image
    XCTAssertEqual(png.samples, Normalization.abs.pixels(of: got).map(Float.init))
  }

  func testGrayChannelsAndInfo() throws {
    let photo = try shared() + "/chelsea.png"
    let dir = try temporaryDirectory()
    XCTAssertEqual(try run(["gray", photo, "--method", "average", "--out", dir + "/g.npy"]).status, 0)
    XCTAssertEqual(
      try ImageFile.read(dir + "/g.npy").image,
      GrayMethod.average.convert(try ImageFile.read(photo).image))

    let r = try run(["channels", photo, "--out-dir", dir + "/ch"])
    XCTAssertEqual(r.status, 0, r.stderr)
    let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/ch").sorted()
    XCTAssertEqual(names, ["blue-gray.png", "blue.png", "green-gray.png", "green.png", "red-gray.png", "red.png"])
    let red = try ImageFile.read(photo).image.channel(0)
    XCTAssertEqual(try ImageFile.read(dir + "/ch/red-gray.png").image, red)
    XCTAssertEqual(try ImageFile.read(dir + "/ch/red.png").image, Colormap.reds.tint(red))

    let info = try run(["info", photo, try shared() + "/camera_16bit.png"])
    XCTAssertEqual(info.status, 0, info.stderr)
    XCTAssertTrue(info.stdout.contains("451 x 300"), info.stdout)
    XCTAssertTrue(info.stdout.contains("PNG, 16-bit gray"), info.stdout)
  }
}
