import ConvData
import ConvImageIO
import ConvKit
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

  /// `tui --screen train --base mobilenet --random-weights` on a small folder, in a real
  /// terminal at 80x24 (English) and 120x40 (Spanish): the form, a run of both phases with
  /// their counts and the marker where phase 2 starts, no cut word on the way.
  func testPretrainedBaseRunInATerminal() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-tui-base-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    var rng = RandomSource(seed: 9)
    for (part, count) in [("train", 40), ("test", 20)] {
      for i in 0..<count {
        let folder = dir.appendingPathComponent(part).appendingPathComponent("c\(i % 2)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let samples = (0..<(3 * 64)).map { k in (k / 64 == i % 2 ? 200 : 40) + 40 * rng.nextSymmetric(1) }
        try ImageFile.write(Image(width: 8, height: 8, channels: 3, samples: samples), to: folder.appendingPathComponent("\(i).png").path)
      }
    }
    for (w, h, lang) in [(80, 24, "en"), (120, 40, "es")] {
      let t = try session(
        w, h, "tui --lang \(lang) --screen train --base mobilenet --random-weights --dataset folder:\(dir.path) --image-size 8x8 "
          + "--freeze-epochs 1 --finetune-epochs 1")
      let form = t.waitFor(lang == "en" ? "Random weights (Glorot uniform, seed 0)" : "Pesos aleatorios (Glorot uniforme, semilla 0)")
      XCTAssertTrue(form.contains("3,228,864"), form)
      t.send("Enter")
      let done = t.waitFor(lang == "en" ? "finished  test accuracy" : "terminado  accuracy en prueba", timeout: 90)
      for text in lang == "en"
        ? ["Phase 1/2: base frozen (85 of 88 layers)", "Phase 2/2: all layers train", "┊ phase 2 starts"]
        : ["Fase 1/2: base congelada (85 de 88 capas)", "Fase 2/2: entrenan todas las capas", "┊ empieza la fase 2"]
      {
        XCTAssertTrue(done.contains(text), "\(text) not in:\n\(done)")
      }
      t.send("q")
      XCTAssertEqual(t.waitForExit(), 0)
    }
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
