import ConvKit
import ConvPlayground
import ConvTerminal
import XCTest

/// The backpropagation, network and transposed-convolution screens driven by keys.
final class ExplorerScreenTests: XCTestCase {
  func app(_ screen: any Screen, _ keys: String = "", lang: Lang = .en) -> PlaygroundApp {
    var a = PlaygroundApp(root: screen, env: Env(lang: lang, theme: Theme(colored: true)))
    a.send(keys: Key.script(keys))
    return a
  }

  func testExplorerCatalogHasBothLanguagesWithTheSamePlaceholders() {
    func placeholders(_ s: String) -> [String] { (0..<10).map { "{\($0)}" }.filter { s.contains($0) } }
    for entry in ExplorerText.allCases {
      let (en, es) = entry.pair
      XCTAssertFalse(en.isEmpty || es.isEmpty, "\(entry)")
      XCTAssertEqual(placeholders(en), placeholders(es), "\(entry)")
    }
  }

  func testBackpropStepsThroughKernelThenInputThenSGD() throws {
    var a = app(BackpropScreen())
    var text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("dK[0,0] = 60*1 + 113*1 + 56*1 + 73*1 + 121*1 + 54*1 + 131*1 + 99*1"), text)
    XCTAssertTrue(text.contains("= 777"), text)
    a.send(.key(.tab))
    text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("Step 10/35: dL/dX[0,0] = 0"), text)
    XCTAssertTrue(text.contains("dX[0,0] = 1*0 = 0"), text)
    a.send(keys: Key.script("End"))
    text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("one SGD step, learning rate 0.01"), text)
    XCTAssertTrue(text.contains("K'[0,0] = 0 - 0.01*777 = -7.77"), text)
    // The screen's trace is the engine-checked BackwardTrace.
    let screen = try XCTUnwrap(a.top as? BackpropScreen)
    XCTAssertEqual(screen.trace?.kernelGradient[0, 1, 1], 798)
  }

  func testBackpropWithTargetAndPaddingShowsTheLossAndDroppedCells() throws {
    let a = app(BackpropScreen(), "g z Tab", lang: .es)
    let text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("L = 0,5*suma((Y - T)^2)"), text)
    XCTAssertTrue(text.contains("la celda de padding [-1,-1] recibe"), text)
    XCTAssertFalse(text.contains("Step"), text)
  }

  func testBackpropHelpFitsEightyByTwentyFour() {
    let a = app(BackpropScreen(), "?")
    let text = a.render(width: 80, height: 24).text
    for key in ["Tab", "g", "< >", "Home/End"] { XCTAssertTrue(text.contains(key), key) }
    XCTAssertTrue(text.contains("Press any key to close this help."), text)
  }

  func testTransposedScreenStampsAndSizeRule() {
    let a = app(TransposedScreen(), "s End")
    let text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("(N-1)*S - 2P + K = (2-1)*2 - 2*0 + 3 = 5"), text)
    XCTAssertTrue(text.contains("Step 4/4"), text)
  }

  func testPaddingScreenDimsUnvisitedCellsAndShowsTheEffectiveKernel() {
    // 5x5, 3x3 kernel, stride 3: windows at 0 and 3 would need 6 columns; with stride 3 only
    // one window fits (floor), so the last two rows and columns are never visited.
    let a = app(ConvLabScreen(variant: .padding, stride: (3, 3), dilation: 1))
    let text = a.render(width: 100, height: 30).text
    XCTAssertTrue(text.contains("no window reads"), text)
    let b = app(ConvLabScreen(variant: .padding, dilation: 2))
    XCTAssertTrue(b.render(width: 100, height: 30).text.contains("(K-1)*D+1 = (3-1)*2+1 = 5"))
  }

  /// The built-in model on the drawn 7 (no data set needed): a conv cell's value is the
  /// neuron screen's sum after ReLU; the softmax adds up to 1.
  func testNetworkCellOpensItsNeuronWithTheSameValue() throws {
    let model = try NetworkActivations.Model.builtIn()
    var a = app(NetworkScreen(model: model, digits: nil))
    let net = try XCTUnwrap(a.top as? NetworkScreen)
    let value = try XCTUnwrap(net.value)
    XCTAssertGreaterThan(value, 0, "starts on the first channel's strongest cell")
    let text = a.render(width: 80, height: 24).text
    let shown = try XCTUnwrap(text.range(of: "value ").map { String(text[$0.upperBound...].prefix { !$0.isWhitespace && $0 != "│" }) }, text)
    XCTAssertEqual(try XCTUnwrap(Double(shown)), Double(value), accuracy: 1e-4)
    a.send(.key(.enter))
    XCTAssertTrue(a.top is NeuronScreen)
    a.send(keys: Key.script("End"))
    let neuron = a.render(width: 80, height: 24).text
    XCTAssertTrue(neuron.contains("after ReLU: max(0, \(shown)) = \(shown)"), neuron)
    a.send(.key(.char("q")))
    XCTAssertTrue(a.top is NetworkScreen)
    XCTAssertEqual((a.top as? NetworkScreen)?.value, value, "back at the same cell")
    // To the output, and its softmax.
    for _ in 0..<10 { a.send(.key(.right)) }
    a.send(.key(.enter))
    let softmax = a.render(width: 80, height: 24).text
    XCTAssertTrue(a.top is CellScreen, softmax)
    XCTAssertTrue(softmax.contains("probabilities add up to 1"), softmax)
  }

  /// A drawing on the digit screen opens in the network explorer (Enter), down to its softmax.
  func testDrawnDigitOpensTheNetworkExplorer() throws {
    var a = app(DigitScreen(), "d Down Down Down Down Down Down Down Down d")
    a.send(.key(.enter))
    XCTAssertTrue(a.top is NetworkScreen)
    let text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("your drawing"), text)
    a.send(.key(.char("q")))
    XCTAssertTrue(a.top is DigitScreen)
  }
}
