import ConvData
import Foundation
import XCTest

/// The training dashboard and the digit canvas in a real terminal (tmux), with the helpers of
/// `PlaygroundEndToEndTests`.
final class TrainingEndToEndTests: XCTestCase {
  func session(_ width: Int, _ height: Int, _ args: String) throws -> PlaygroundEndToEndTests.Tmux {
    guard let tmux = PlaygroundEndToEndTests.tmuxPath else {
      throw XCTSkip("tmux is not installed (scripts/setup installs it)")
    }
    let binary = try XCTUnwrap(PlaygroundEndToEndTests.binary, "convplay binary not found beside the tests")
    return try PlaygroundEndToEndTests.Tmux(
      tmux: tmux, width: width, height: height,
      command: "sh -c 'trap : INT; env TERM=tmux-256color LANG=C.UTF-8 LC_ALL= \(binary.path) \(args); echo EXIT=$?; sleep 60'")
  }

  func mnist() throws -> String {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] else {
      throw XCTSkip("CONVPLAY_SHARED is not set (scripts/test sets it to ../shared)")
    }
    let dir = shared + "/data/mnist"
    guard FileManager.default.fileExists(atPath: dir + "/train-images-idx3-ubyte.gz") else {
      throw XCTSkip("no MNIST in \(dir)")
    }
    return dir
  }

  /// 300 training images (270 training, 30 validation; --limit leaves the 10,000 test images
  /// whole), 2 epochs of cnn: the bars fill, both
  /// test accuracies appear, w saves weights that load back, q quits cleanly.
  func testShortTrainingRunAt100x30() throws {
    let data = try mnist()
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-dash-\(getpid()).safetensors")
    defer { try? FileManager.default.removeItem(at: out) }
    let t = try session(100, 30, "tui --screen train --model cnn --limit 300 --epochs 2 --data \(data) --save \(out.path)")
    t.waitFor("421,642")
    t.send("Enter")
    t.waitFor("Epoch ", timeout: 30)
    let s = t.waitFor("finished  test accuracy", timeout: 60)
    XCTAssertTrue(s.contains("270 train / 30 val / 10,000 test"), s)
    XCTAssertTrue(s.contains("Batch 3/3"), s)
    XCTAssertTrue(s.contains("████████████████████████████████████████ 100%"), s)
    let accuracy = try XCTUnwrap(s.range(of: #"2: 0\.\d{4}"#, options: .regularExpression), s)
    let value = Double(s[accuracy].dropFirst(3))!
    XCTAssertGreaterThan(value, 0.3, "two epochs on 270 digits beat chance: \(s)")
    t.send("w")
    t.waitFor("Saved ")
    let saved = try ModelFile.load(out)
    XCTAssertEqual(saved.metadata["epochs"], "2")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }

  func testDigitCanvasAt80x24() throws {
    let t = try session(80, 24, "tui --screen digit")
    t.waitFor("Draw something")
    t.send("d")
    for _ in 0..<8 { t.send("Up") }
    t.send("d")
    for _ in 0..<8 { t.send("Down") }
    t.send("d")
    for _ in 0..<8 { t.send("Down") }
    // The pen position shows that every key was handled; only then is the prediction final.
    t.waitFor("pixel [22,14]")
    let s = t.waitFor("1. 1  0.9")
    XCTAssertTrue(s.contains("pixel [22,14]"), s)
    t.send("c")
    t.waitFor("Draw something")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }
}
