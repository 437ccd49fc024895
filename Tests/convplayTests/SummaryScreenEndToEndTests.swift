import Foundation
import XCTest

/// The model-summary screen in a real terminal (tmux, the helpers of PlaygroundEndToEndTests):
/// VGG16's total, a walk to block1_conv1 with its shapes and count, freezing it, and the same
/// screen at 80x24 in Spanish on ResNet50.
extension PlaygroundEndToEndTests {
  func testSummaryScreenWalksVGG16() throws {
    let t = try session(100, 30, "tui --screen summary --model vgg16")
    // ncurses may be caught half-way through a frame: wait for each text, bottom line last.
    t.waitFor("Total params: 138,357,544")
    t.waitFor("▸input_1 (InputLayer)")
    t.send("Down")
    t.waitFor("▸block1_conv1 (Conv2D)")
    t.waitFor("──► 224 x 224 x 64")
    t.waitFor("(224 + 2*1 - 3)/1 + 1 = 224")
    t.waitFor("64*3*3*3 + 64 = 1,792")
    t.send("t")
    t.waitFor("Trainable params: 138,355,752")
    t.waitFor("Non-trainable params: 1,792")
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
    t.waitFor("▸conv2_block1_add (Add)")
    t.waitFor("56 x 56 x 256 + 56 x 56 x 256 ──► Add ──► 56 x 56 x 256")
    t.waitFor("recibe de")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
    let bad = try runPlain(["tui", "--screen", "summary", "--model", "vgg17"])
    XCTAssertEqual(bad.status, 1)
    XCTAssertTrue(bad.err.hasPrefix("convplay: unknown model 'vgg17'"), bad.err)
    XCTAssertEqual(bad.err.split(separator: "\n").count, 1, bad.err)
  }
}
