import Foundation
import XCTest

/// The model-summary screen in a real terminal (tmux, the helpers of PlaygroundEndToEndTests):
/// VGG16's total, a walk to block1_conv1 with its shapes and count, freezing it, and the same
/// screen at 80x24 in Spanish on ResNet50.
extension PlaygroundEndToEndTests {
  func testSummaryScreenWalksVGG16() throws {
    let t = try session(100, 30, "tui --screen summary --model vgg16")
    var s = t.waitFor("Total params: 138,357,544")
    XCTAssertTrue(s.contains("▸input_1 (InputLayer)"), s)
    t.send("Down")
    s = t.waitFor("▸block1_conv1 (Conv2D)")
    XCTAssertTrue(s.contains("──► 224 x 224 x 64"), s)
    XCTAssertTrue(s.contains("64*3*3*3 + 64 = 1,792"), s)
    XCTAssertTrue(s.contains("(224 + 2*1 - 3)/1 + 1 = 224"), s)
    t.send("t")
    s = t.waitFor("Trainable params: 138,355,752")
    XCTAssertTrue(s.contains("Non-trainable params: 1,792"), s)
    t.send("End")
    t.waitFor("▸predictions (Dense)")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }

  func testSummaryScreenAt80x24InSpanish() throws {
    let t = try session(80, 24, "tui --screen summary --model resnet50 --lang es")
    t.waitFor("Total params: 25,636,712")
    t.send("PageDown")
    for _ in 0..<7 { t.send("Down") }
    // conv2_block1_add: the Add joins the shortcut and the block.
    let s = t.waitFor("▸conv2_block1_add (Add)")
    XCTAssertTrue(s.contains("56 x 56 x 256 + 56 x 56 x 256 ──► Add ──► 56 x 56 x 256"), s)
    XCTAssertTrue(s.contains("recibe de"), s)
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
    let bad = try runPlain(["tui", "--screen", "summary", "--model", "vgg17"])
    XCTAssertEqual(bad.status, 1)
    XCTAssertTrue(bad.err.hasPrefix("convplay: unknown model 'vgg17'"), bad.err)
    XCTAssertEqual(bad.err.split(separator: "\n").count, 1, bad.err)
  }
}
