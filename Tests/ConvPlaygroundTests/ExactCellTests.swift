import ConvKit
import ConvTerminal
import ConvPlayground
import XCTest

/// The lessons' cells hold what was typed (ExactTensor), as `convplay step` does; the image
/// lab's Float32 photo kernel refuses what it would show otherwise.
final class ExactCellTests: XCTestCase {
  let env = Env(lang: .en, theme: Theme(colored: false))

  /// A cell reads a number as a --matrix file does (MatrixText.number): 2^53 is kept, one more
  /// gets the command line's refusal, a decimal is kept, garbage is refused.
  func testEditorReadsNumbersAsTheMatrixFilesAre() {
    func typed(_ number: String) -> (value: Double, text: String) {
      let keys = "e " + number.map(String.init).joined(separator: " ") + " Enter"
      var a = PlaygroundApp(root: ConvLabScreen(variant: .convolution), env: env)
      a.send(keys: Key.script(keys))
      return ((a.top as! ConvLabScreen).input[0, 0, 0], a.render(width: 120, height: 30).text)
    }
    XCTAssertEqual(typed("9007199254740992").value, 9_007_199_254_740_992)
    let refused = typed("9007199254740993")
    XCTAssertEqual(refused.value, 60)
    XCTAssertTrue(refused.text.contains(
      "9007199254740993 is too large to be kept exactly (whole numbers up to 9007199254740992)"), refused.text)
    XCTAssertEqual(typed("0.25").value, 0.25)
    XCTAssertEqual(typed("-123456789").value, -123_456_789)
    let garbage = typed("1.2.3")
    XCTAssertEqual(garbage.value, 60)
    XCTAssertTrue(garbage.text.contains("That is not a number"))
  }

  /// The conv lesson's sums are StepTrace's over the typed values: the same as the CLI's
  /// reading of the same matrix text (MatrixText.parseExact), and Python's ints.
  func testConvLessonSumsAreExact() throws {
    var s: any Screen = ConvLabScreen(variant: .convolution)
    for k in Key.script("e 1 6 7 7 7 2 1 7 Enter Right 1 2 3 4 5 6 7 8 9 Enter Tab Left 4 0 9 7 Enter Escape") {
      _ = s.update(.key(k), env: env)
    }
    let screen = s as! ConvLabScreen
    XCTAssertEqual(screen.input[0, 0, 0], 16_777_217)
    XCTAssertEqual(screen.input[0, 0, 1], 123_456_789)
    XCTAssertEqual(screen.kernel[0, 0, 0], 4097)
    let matrix = try MatrixText.parseExact(
      "16777217 123456789 56 139 85\n73 121 54 84 128\n131 99 70 129 127\n80 57 115 69 134\n104 126 123 95 130")
    let kernel = try MatrixText.parseExact("4097 -1 0\n-1 5 -1\n0 -1 0")
    let cli = StepTrace.convolution(
      input: matrix, kernel: kernel,
      geometry: try WindowGeometry(inputRows: 5, inputCols: 5, kernelRows: 3, kernelCols: 3, padding: .valid))
    let trace = try XCTUnwrap(screen.trace)
    XCTAssertEqual(trace.output, cli.output)
    XCTAssertEqual(trace.steps[0].equationLines(operation: trace.operation), cli.steps[0].equationLines(operation: cli.operation))
    // By Python ints (numpy float32 gives 68612796416 and 505802489856).
    XCTAssertEqual(trace.output.values[0], 68_612_801_639)
    XCTAssertEqual(trace.output.values[1], 505_802_464_472)
  }

  func testPoolingAndRGBCellsKeepWholeNumbers() {
    var pool: any Screen = PoolingScreen()
    for k in Key.script("e 1 2 3 4 5 6 7 8 9 Enter Escape") { _ = pool.update(.key(k), env: env) }
    XCTAssertEqual((pool as! PoolingScreen).currentStep?.value, 123_456_789)
    var rgb: any Screen = RGBScreen()
    for k in Key.script("e 1 6 7 7 7 2 1 7 Enter Escape") { _ = rgb.update(.key(k), env: env) }
    let r = rgb as! RGBScreen
    XCTAssertEqual(r.input[0, 0, 0], 16_777_217)
    // Filter 1's R kernel starts with 1: R's partial sum grows by exactly 16777217 - 1.
    XCTAssertEqual(r.current?.step.channelSums[0], 16_777_217 - 1 + (-2))
  }

  /// The photo kernel is Float32: 16777217 would be shown as 16777216, so it is refused and
  /// the cell keeps its value; 0.5 and 16777216 are held as typed.
  func testImageLabKernelRefusesWhatFloat32WouldRound() {
    var a = PlaygroundApp(root: ImageLabScreen(), env: env)
    a.send(keys: Key.script("e 1 6 7 7 7 2 1 7 Enter"))
    let before = (a.top as! ImageLabScreen).kernel
    XCTAssertNotEqual(before[0, 1, 1], 16_777_216)
    XCTAssertTrue(a.render(width: 120, height: 40).text.contains("16777217 would become 16777216"))
    a.send(keys: Key.script("1 6 7 7 7 2 1 6 Enter"))
    XCTAssertEqual((a.top as! ImageLabScreen).kernel[0, 1, 1], 16_777_216)
    a.send(keys: Key.script("0 . 5 Enter"))
    XCTAssertEqual((a.top as! ImageLabScreen).kernel[0, 1, 1], 0.5)
  }
}
