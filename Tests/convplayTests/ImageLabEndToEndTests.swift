import ConvKit
import ConvPretrained
import ConvImageIO
import Foundation
import XCTest

/// The image lab in a real terminal (tmux): a photo from ../shared/images, the edge filter,
/// `s`, and the PNG it wrote read back.
final class ImageLabEndToEndTests: XCTestCase {
  func sharedImage(_ name: String) throws -> String {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] else {
      throw XCTSkip("CONVPLAY_SHARED is not set (scripts/test sets it to ../shared)")
    }
    let path = shared + "/images/" + name
    guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(path) is absent") }
    return path
  }

  /// tmux running convplay in `directory` (where `s` saves), as PlaygroundEndToEndTests does.
  func session(_ width: Int, _ height: Int, _ args: String, in directory: String, env: String = "") throws
    -> PlaygroundEndToEndTests.Tmux
  {
    guard let tmux = PlaygroundEndToEndTests.tmuxPath else {
      throw XCTSkip("tmux is not installed (scripts/setup installs it)")
    }
    let binary = try XCTUnwrap(PlaygroundEndToEndTests.binary, "convplay binary not found beside the tests")
    return try PlaygroundEndToEndTests.Tmux(
      tmux: tmux, width: width, height: height,
      command: "sh -c 'trap : INT; cd \(directory) && env TERM=tmux-256color LANG=C.UTF-8 LC_ALL= \(env) \(binary.path) \(args); echo EXIT=$?; sleep 60'")
  }

  func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-lab-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.path
  }

  func testEdgeFilterOnAPhotoSavedAsPNGAt120x40() throws {
    let photo = try sharedImage("chelsea.png")
    let dir = try temporaryDirectory()
    let log = dir + "/redraw.txt"
    let t = try session(120, 40, "tui --screen lab --image \(photo)", in: dir, env: "CONVPLAY_REDRAW_LOG=\(log)")
    t.waitFor("chelsea.png  451x300 RGB")
    t.send("4")
    t.send("k")
    t.waitFor("Filtered: laplacian4, abs")
    t.send("K")
    t.waitFor("Filtered: edge, abs")
    // A few more frames for the redraw log: views, cursor, zoom.
    for key in ["1", "2", "3", "4", "Right", "Down", "+", "+", "0"] {
      t.send(key)
      usleep(60_000)
    }
    t.send("s")
    let s = t.waitFor("Saved lab-filter.png (451x300)")
    XCTAssertTrue(s.contains("Kernel 3x3 edge"), s)
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
    XCTAssertEqual(t.display("#{alternate_on}"), "0")

    let saved = try ImageFile.read(dir + "/lab-filter.png")
    XCTAssertEqual(saved.info.format, .png)
    XCTAssertEqual(saved.image.summary, "451x300 gray")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    XCTAssertEqual(files, ["lab-filter.png", "redraw.txt"], "no temporary file is left")

    let times = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap { Double($0) }
    XCTAssertGreaterThan(times.count, 5)
    let sorted = times.sorted()
    print("image lab full redraw at 120x40 under tmux: median \(sorted[sorted.count / 2]) ms, max \(sorted.last!) ms over \(times.count) frames")
    XCTAssertLessThan(sorted[sorted.count / 2], 10, "a full repaint of the lab must stay under 10 ms")
  }

  func testUnreadableImageIsReportedOnScreenAt80x24() throws {
    let bad = try sharedImage("bad/truncated.png")
    let dir = try temporaryDirectory()
    let t = try session(80, 24, "tui --screen lab --image \(bad)", in: dir)
    t.waitFor("Cannot open")
    t.waitFor("built-in sample picture")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }

  func testPrintedFrameAndImageOptionOnAnotherScreen() throws {
    let binary = try XCTUnwrap(PlaygroundEndToEndTests.binary)
    func run(_ args: [String]) throws -> (Int32, String, String) {
      let p = Process()
      p.executableURL = binary
      p.arguments = args
      let out = Pipe()
      let err = Pipe()
      p.standardOutput = out
      p.standardError = err
      try p.run()
      let o = out.fileHandleForReading.readDataToEndOfFile()
      let e = err.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
    let (status, out, _) = try run(["tui", "--screen", "lab", "--keys", "4 n", "--print", "80x24"])
    XCTAssertEqual(status, 0)
    XCTAssertTrue(out.contains("Filtered: edge, minmax"), out)
    XCTAssertTrue(out.contains("built-in sample picture  96x64 RGB"), out)
    let bad = try run(["tui", "--screen", "conv", "--image", "x.png"])
    XCTAssertEqual(bad.0, 1)
    XCTAssertEqual(bad.2, "convplay: --image belongs to --screen lab, summary or network\n")
  }
}

/// The lab's Grad-CAM view from the command line: the top class is `convplay predict`'s on the
/// same file, a loaded classifier runs on a real photo under tmux, a bad model is one line.
extension ImageLabEndToEndTests {
  /// A 3 in dark ink on light paper, 50x50.
  func three(in dir: String) throws -> String {
    var page = [Float](repeating: 240, count: 50 * 50)
    func dot(_ x: Int, _ y: Int) { for dy in -2...2 { for dx in -2...2 { page[(y + dy) * 50 + x + dx] = 15 } } }
    for i in 0..<20 { dot(15 + i, 10); dot(18 + i, 25); dot(15 + i, 40) }
    for y in 10...40 { dot(35, y) }
    let path = dir + "/three.png"
    try ImageFile.write(Image(width: 50, height: 50, channels: 1, samples: page), to: path)
    return path
  }

  func testTopClassIsPredictsInBothLanguages() throws {
    let dir = try temporaryDirectory()
    let path = try three(in: dir)
    let predict = try CommandRunner.run(["predict", path])
    XCTAssertEqual(predict.status, 0, predict.stderr)
    let first = try XCTUnwrap(predict.stdout.split(separator: "\n").first)
    let parts = first.split(separator: " ")
    let top = String(parts[1])
    let probability = String(parts[2])
    for (lang, expected) in [("en", "Class: \(top) (1 of 10)"), ("es", "Clase: \(top) (1 de 10)")] {
      let frame = try CommandRunner.run(["tui", "--screen", "lab", "--image", path, "--keys", "g", "--print", "80x24", "--lang", lang])
      XCTAssertEqual(frame.status, 0, frame.stderr)
      XCTAssertTrue(frame.stdout.contains(expected), frame.stdout)
      XCTAssertTrue(frame.stdout.contains(probability), "predict's probability \(probability)\n" + frame.stdout)
    }
    let bad = try CommandRunner.run(["tui", "--screen", "conv", "--weights", path])
    XCTAssertNotEqual(bad.status, 0)
    XCTAssertTrue(bad.stderr.contains("--weights belongs to --screen summary or lab"), bad.stderr)
  }

  /// A small classifier of colour images (random weights, Keras's 'tf' preprocessing) saved as
  /// a convplay model, on a real photo, at 80x24 under tmux, in English and Spanish.
  func testALoadedClassifierOnAPhotoUnderTmux() throws {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"],
      FileManager.default.fileExists(atPath: shared + "/images/chelsea.png")
    else { throw XCTSkip("CONVPLAY_SHARED/images/chelsea.png is absent") }
    let dir = try temporaryDirectory()
    let model = dir + "/small.safetensors"
    let spec = try ModelSpecParser.parse("conv2d(8,3,relu) -> maxpool(2) -> conv2d(8,3,relu) -> gap -> dense(3,softmax)", inputShape: [32, 32, 3])
    try PretrainedModel.save(
      InferenceNetwork(spec: spec, randomSeed: 5),
      metadata: [PretrainedModel.preprocessingKey: "tf", PretrainedModel.classesKey: "cat\ndog\nfrog"],
      to: URL(fileURLWithPath: model))
    for (lang, classWord, layer) in [("en", "Class: ", "Layer: conv2d_1 (map 13x13)"), ("es", "Clase: ", "Capa: conv2d_1 (mapa de 13x13)")] {
      let t = try session(80, 24, "tui --screen lab --lang \(lang) --image \(shared)/images/chelsea.png --model \(model)", in: dir)
      t.waitFor("chelsea.png")
      t.send("g")
      let shown = t.waitFor(layer)
      XCTAssertTrue(shown.contains(classWord), shown)
      XCTAssertTrue(shown.contains(lang == "en" ? "small.safetensors" : "small.safetensors"), shown)
      t.send("]")
      t.waitFor(lang == "en" ? "(2 of 3)" : "(2 de 3)")
      t.send("g")
      t.waitFor(lang == "en" ? "Kernel 3x3" : "Kernel 3x3")
      t.send("q")
      XCTAssertEqual(t.waitForExit(), 0)
    }
    // Not a model: one line on the lab, and the lab goes on.
    let notes = dir + "/notes.h5"
    try Data("not a model".utf8).write(to: URL(fileURLWithPath: notes))
    let t = try session(80, 24, "tui --screen lab --image \(shared)/images/chelsea.png --model \(notes)", in: dir)
    t.waitFor("chelsea.png")
    t.send("g")
    let s = t.waitFor("Grad-CAM: ")
    XCTAssertEqual(s.split(separator: "\n").filter { $0.contains("Grad-CAM: ") }.count, 1, s)
    t.send("g")
    t.waitFor("Kernel 3x3")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }
}
