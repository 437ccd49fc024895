import ConvData
import Foundation
import XCTest

/// The training dashboard on a colour data set in a real terminal (tmux): a CIFAR-10 set in the
/// binary format, written by the test into a temporary folder that $CONVPLAY_DATA points to.
final class ColorTrainingEndToEndTests: XCTestCase {
  /// Ten classes of 32x32 colour images: a square of class c's colour on a dark background.
  static func record(label c: Int, index i: Int) -> [UInt8] {
    let palette: [(UInt8, UInt8, UInt8)] = [
      (230, 30, 30), (30, 230, 30), (30, 30, 230), (230, 230, 30), (230, 30, 230), (30, 230, 230), (230, 130, 30),
      (130, 30, 230), (240, 240, 240), (130, 130, 130),
    ]
    let x0 = (i * 5) % 16
    let y0 = (i * 3) % 16
    var planes = [[UInt8]](repeating: [UInt8](repeating: 20, count: 1024), count: 3)
    for y in y0..<(y0 + 16) {
      for x in x0..<(x0 + 16) {
        planes[0][y * 32 + x] = palette[c].0
        planes[1][y * 32 + x] = palette[c].1
        planes[2][y * 32 + x] = palette[c].2
      }
    }
    return [UInt8(c)] + planes[0] + planes[1] + planes[2]
  }

  func testCIFARRunShowsClassNamesAt100x30() throws {
    guard let tmux = PlaygroundEndToEndTests.tmuxPath else { throw XCTSkip("tmux is not installed (scripts/setup installs it)") }
    let binary = try XCTUnwrap(PlaygroundEndToEndTests.binary, "convplay binary not found beside the tests")
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-cifar-e2e-\(UUID().uuidString)")
    let dir = root.appendingPathComponent("cifar10")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    for (k, f) in CIFAR10.files.enumerated() {
      var bytes: [UInt8] = []
      for i in 0..<60 { bytes += Self.record(label: (i + k) % 10, index: i + 7 * k) }
      try Data(bytes).write(to: dir.appendingPathComponent(f))
    }
    let t = try PlaygroundEndToEndTests.Tmux(
      tmux: tmux, width: 100, height: 30,
      command: "sh -c 'trap : INT; env TERM=tmux-256color LANG=C.UTF-8 LC_ALL= CONVPLAY_DATA=\(root.path) HOME=\(root.path) "
        + "\(binary.path) tui --screen train --dataset cifar10 --model \"conv2d(8,3,relu) -> maxpool(4) -> flatten -> dense(10,softmax)\" "
        + "--limit 300 --epochs 3; echo EXIT=$?; sleep 60'")
    // Conv2D(8, 3) on 3 channels: 3*3*3*8 + 8 = 224 weights.
    let setup = t.waitFor("CIFAR-10: found on this computer")
    XCTAssertTrue(setup.contains("224"), setup)
    t.send("Enter")
    let s = t.waitFor("finished  test accuracy", timeout: 90)
    // 300 training images (5 files of 60), 10 % held out; the test batch has 60.
    XCTAssertTrue(s.contains("270 train / 30 val / 60 test"), s)
    XCTAssertTrue(s.contains("3: 0."), s)
    t.send("2")
    let confusion = t.waitFor("0 airplane")
    XCTAssertTrue(confusion.contains("9 truck"), confusion)
    t.send("4")
    t.waitFor("First-layer filters: 8 of 8, 3x3x3")
    t.send("c")
    t.waitFor("R G B channels apart")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }
}
