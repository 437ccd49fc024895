import ConvData
import ConvKit
import Foundation
import XCTest

/// The network explorer and the backward pass in a real terminal and on the command line
/// (tmux, the helpers of PlaygroundEndToEndTests).
extension PlaygroundEndToEndTests {
  /// The shared MNIST folder, or a skip.
  func sharedData() throws -> String {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"],
      FileManager.default.fileExists(atPath: shared + "/data/mnist/t10k-images-idx3-ubyte.gz")
    else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    return shared + "/data"
  }

  /// Test digit 0 through the built-in model's first layer with the training engine's own
  /// layer (Network, not the explorer's InferenceNetwork): channel 0's largest value.
  func firstLayerLargest(data: String) throws -> Float {
    let test = try DatasetLocator(explicitDirectory: data + "/mnist").load(.mnist).test
    let network = try DefaultModel.load().network
    let x = Tensor(shape: [1, 28, 28, 1], scalars: Array(test.images.scalars[0..<784]))
    let y = network.layers[0].forward(x, training: false)
    let c = y.shape[3]
    return stride(from: 0, to: y.count, by: c).map { y.scalars[$0] }.max()!
  }

  /// "value 1.2345" / "valor 1.2345" read off the screen.
  func shownValue(_ screen: String, word: String) -> String? {
    guard let r = screen.range(of: word + " ") else { return nil }
    return String(screen[r.upperBound...].prefix { !$0.isWhitespace && $0 != "│" })
  }

  func checkNetworkScreen(width: Int, height: Int, lang: String) throws {
    let data = try sharedData()
    let es = lang == "es"
    let t = try session(width, height, "tui --screen network --digit 0 --lang \(lang)", env: "CONVPLAY_DATA=\(data)")
    t.waitFor(es ? "dígito de prueba 0 de MNIST (etiqueta 7)" : "MNIST test digit 0 (label 7)")
    t.waitFor(es ? "predicción: 7" : "prediction: 7")
    t.waitFor("28x28x1 → 26x26x32 → 13x13x32 → 11x11x64 → 5x5x64 → 1600 → 1600 → 10")
    // The digit's maps: the input column and the first convolution's thumbnails are drawn.
    t.waitFor(es ? "Entrada" : "Input")
    t.waitFor("Conv2D")
    var s = t.waitFor(es ? "canal 1/32" : "channel 1/32")
    let value = try XCTUnwrap(shownValue(s, word: es ? "valor" : "value"), s)
    let expected = Double(try firstLayerLargest(data: data))
    XCTAssertEqual(try XCTUnwrap(Double(value)), expected, accuracy: 1e-4, "the cell's value is the engine's")
    // Enter: the neuron, stepped to its sum; after ReLU the same value.
    t.send("Enter")
    t.waitFor(es ? "Neurona conv2d" : "Neuron conv2d")
    t.send("End")
    s = t.waitFor(es ? "después de ReLU: max(0, " : "after ReLU: max(0, ")
    XCTAssertTrue(s.contains(") = " + value), "neuron's value after ReLU is \(value):\n\(s)")
    t.send("q")
    s = t.waitFor(es ? "canal 1/32" : "channel 1/32")
    XCTAssertTrue(s.contains(value), "back at the same cell:\n\(s)")
    // The output: softmax from the logits, adding up to 1.
    for _ in 0..<7 { t.send("Right") }
    t.waitFor("/ 10")
    t.send("Enter")
    s = t.waitFor(es ? "las probabilidades suman 1" : "probabilities add up to 1")
    XCTAssertTrue(s.contains("Softmax"), s)
    let logitLines = s.split(separator: "\n").filter { $0.contains("z ") && $0.contains(" p ") }
    XCTAssertEqual(logitLines.count, 10, s)
    let probabilities = logitLines.compactMap { line -> Double? in
      guard let r = line.range(of: " p ") else { return nil }
      return Double(line[r.upperBound...].prefix { !$0.isWhitespace })
    }
    XCTAssertEqual(probabilities.count, 10, s)
    XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 2e-3, s)
    t.send("q")
    t.waitFor(es ? "(etiqueta 7)" : "(label 7)")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }

  func testNetworkScreenAt80x24() throws { try checkNetworkScreen(width: 80, height: 24, lang: "en") }
  func testNetworkScreenAt120x40InSpanish() throws { try checkNetworkScreen(width: 120, height: 40, lang: "es") }

  func testBackpropScreenAt80x24() throws {
    let t = try session(80, 24, "tui --screen backprop")
    t.waitFor("= 777")
    t.send("Tab")
    t.waitFor("dX[0,0] = 1*0 = 0")
    t.send("End")
    t.waitFor("K'[0,0] = 0 - 0.01*777 = -7.77")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }

  func testStepBackwardPrintsEveryProductOfTheCoursesExample() throws {
    let r = try runPlain(["step", "--backward", "--plain"])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertTrue(r.out.contains("dK[0,0] = 60*1 + 113*1 + 56*1 + 73*1 + 121*1 + 54*1 + 131*1 + 99*1 + 70*1 = 777"), r.out)
    XCTAssertTrue(r.out.contains("dK[2,2] = 70*1 + 129*1 + 127*1 + 115*1 + 69*1 + 134*1 + 123*1 + 95*1 + 130*1 = 992"), r.out)
    // Every kernel cell and every input cell has its line, with 9 products per kernel cell.
    let kernelLines = r.out.split(separator: "\n").filter { $0.hasPrefix("dK[") }
    XCTAssertEqual(kernelLines.count, 9)
    for l in kernelLines { XCTAssertEqual(l.components(separatedBy: "*").count - 1, 9, String(l)) }
    XCTAssertEqual(r.out.split(separator: "\n").filter { $0.hasPrefix("dX[") }.count, 25)
    XCTAssertTrue(r.out.contains("dX[2,2] = 1*0 + 1*(-1) + 1*0 + 1*(-1) + 1*5 + 1*(-1) + 1*0 + 1*(-1) + 1*0 = 1"), r.out)
    XCTAssertTrue(r.out.contains("K'[1,1] = 5 - 0.01*798 = -2.98"), r.out)
    let es = try runPlain(["step", "--backward", "--plain", "--lang", "es", "--lr", "0.001"])
    XCTAssertTrue(es.out.contains("Paso de SGD, tasa de aprendizaje 0.001"), es.out)
    XCTAssertTrue(es.out.contains("Tamaño de salida: (5 + 2*0 - 3)/1 + 1 = 3"), es.out)
    let grad = FileManager.default.temporaryDirectory.appendingPathComponent("grad-\(UUID().uuidString).txt")
    try "1 2\n3 4\n".write(to: grad, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: grad) }
    let bad = try runPlain(["step", "--backward", "--grad", grad.path])
    XCTAssertEqual(bad.status, 1)
    XCTAssertEqual(bad.err, "convplay: --grad: the gradient must be 3x3 like the output (got 2x2)\n")
  }
}
