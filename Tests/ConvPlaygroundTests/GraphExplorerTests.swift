import ConvKit
import ConvPlayground
import ConvTerminal
import XCTest

/// The network explorer on a graph: a residual join (Add), an Inception-style join
/// (Concatenate), DepthwiseConv2D, BatchNormalization, ZeroPadding2D, an activation layer and
/// global pooling, with random weights. Every value the explorer explains is recomputed from
/// the layer's real inputs and compared with the engine's output.
final class GraphExplorerTests: XCTestCase {
  /// input 8x8x3 -> stem conv -> pad -> depthwise(3) -> bn -> relu; add(stem, relu);
  /// concatenate(add, branch 1x1); global average pooling; dense softmax.
  static func model() throws -> NetworkActivations.Model {
    var b = GraphBuilder(name: "graph")
    let input = b.input([8, 8, 3])
    let stem = b.add(Conv2D(filters: 4, kernelSize: Size2(3), padding: .same, activation: .relu), input, name: "stem")
    b.add(ZeroPadding2D(1), stem, name: "pad")
    b.add(DepthwiseConv2D(kernelSize: Size2(3), depthMultiplier: 1), "pad", name: "dw")
    b.add(BatchNormalization(), "dw", name: "bn")
    b.add(ActivationLayer(.relu), "bn", name: "act")
    b.add(Add(), stem, "act", name: "sum")
    b.add(Conv2D(filters: 2, kernelSize: Size2(1)), stem, name: "branch")
    b.add(Concatenate(), "sum", "branch", name: "mixed")
    b.add(GlobalAveragePooling2D(), "mixed", name: "gap")
    b.add(Dense(units: 3, activation: .softmax), "gap", name: "predictions")
    let network = try InferenceNetwork(graph: b.spec, randomSeed: 7)
    return NetworkActivations.Model(network: network, label: "graph")
  }

  static let pixels: [Float] = (0..<(8 * 8 * 3)).map { Float(($0 * 37) % 101) / 100 }

  func testEveryLayerReadsItsRealInputs() throws {
    let a = try Self.model().run(Self.pixels)
    XCTAssertEqual(a.layers.map(\.name), ["stem", "pad", "dw", "bn", "act", "sum", "branch", "mixed", "gap", "predictions"])
    let sum = try XCTUnwrap(a.layers.firstIndex { $0.name == "sum" })
    XCTAssertEqual(a.layers[sum].inputNames, ["stem", "act"])
    XCTAssertEqual(a.layers[sum].role, .add)
    for k in a.layers[sum].output.indices {
      XCTAssertEqual(a.layers[sum].output[k], a.layers[0].output[k] + a.layers[4].output[k], accuracy: 1e-5)
    }
    // "branch" reads the stem, not the Add before it.
    let branch = try XCTUnwrap(a.layers.firstIndex { $0.name == "branch" })
    XCTAssertEqual(a.layerInput(branch), a.layers[0].output)
    XCTAssertFalse(a.layers[branch].readsPrevious(at: branch))
    // Concatenate: channels 1-4 from sum, 5-6 from branch.
    let mixed = try XCTUnwrap(a.layers.firstIndex { $0.name == "mixed" })
    let out = a.layers[mixed].output
    XCTAssertEqual(out[5 * 6 + 4], a.layers[branch].output[5 * 2])
    XCTAssertEqual(out[5 * 6 + 1], a.layers[sum].output[5 * 4 + 1])
  }

  func testDepthwiseNeuronAndBatchNormAreTheEnginesValues() throws {
    let a = try Self.model().run(Self.pixels)
    // The depthwise cell [2,3] of channel 2: its own channel's window under its own kernel.
    var screen = NetworkScreen(model: try Self.model(), digits: nil, pixels: Self.pixels, inputNote: "test")
    var app = PlaygroundApp(root: screen, env: Env(lang: .en, theme: Theme(colored: true)))
    app.send(keys: Key.script("Right Right"))  // stem -> pad -> dw
    screen = try XCTUnwrap(app.top as? NetworkScreen)
    XCTAssertEqual(screen.selected, 3)
    app.send(keys: Key.script("Down s s d d d"))
    screen = try XCTUnwrap(app.top as? NetworkScreen)
    let (r, c, ch) = (screen.cursor.row, screen.cursor.col, screen.channel)
    let dw = a.layers[2]
    let engine = dw.output[(r * 8 + c) * 4 + ch]
    XCTAssertEqual(try XCTUnwrap(screen.value), engine)
    app.send(.key(.enter))
    XCTAssertTrue(app.top is NeuronScreen)
    app.send(keys: Key.script("End"))
    let neuron = app.render(width: 80, height: 24).text
    XCTAssertTrue(neuron.contains("channel \(ch + 1)'s own kernel"), neuron)
    XCTAssertTrue(neuron.contains("nothing summed across channels"), neuron)
    XCTAssertTrue(neuron.contains("= " + NumberText.format((Double(engine) * 10_000).rounded() / 10_000)), neuron)
    app.send(.key(.char("q")))
    // BatchNormalization: (x - mean)/sqrt(var + eps)*gamma + beta, the engine's value.
    app.send(.key(.right))
    let bn = app.render(width: 120, height: 40).text
    XCTAssertTrue(bn.contains("mean)/sqrt(var") && bn.contains("eps)*gamma"), bn)
  }

  func testAddAndConcatenateNameTheirInputsAndOpen() throws {
    for lang in [Lang.en, .es] {
      var app = PlaygroundApp(
        root: NetworkScreen(model: try Self.model(), digits: nil, pixels: Self.pixels, inputNote: "test"),
        env: Env(lang: lang, theme: Theme(colored: true)))
      app.send(keys: Key.script("Right Right Right Right Right"))  // to sum
      let add = app.render(width: 80, height: 24).text
      XCTAssertTrue(add.contains("sum (Add)"), add)
      XCTAssertTrue(add.contains("stem") && add.contains("act"), add)
      app.send(.key(.enter))
      let opened = app.render(width: 80, height: 24).text
      XCTAssertTrue(app.top is CellScreen)
      XCTAssertTrue(opened.contains(lang == .en ? "A residual block adds its input" : "Un bloque residual suma su entrada"), opened)
      app.send(.key(.char("q")))
      app.send(keys: Key.script("Right"))  // branch reads stem
      XCTAssertTrue(app.render(width: 80, height: 24).text.contains(lang == .en ? "reads stem" : "lee stem"))
      app.send(keys: Key.script("Right Down Down Down Down"))  // mixed, channel 5: branch's channel 1
      app.send(.key(.enter))
      let concat = app.render(width: 80, height: 24).text
      XCTAssertTrue(concat.contains(lang == .en ? "channel 5 = branch's channel 1" : "canal 5 = canal 1 de branch"), concat)
      XCTAssertTrue(concat.contains(lang == .en ? "channels 5-6 (2)" : "canales 5-6 (2)"), concat)
      XCTAssertTrue(concat.contains("4 + 2 = 6"), concat)
      app.send(.key(.char("q")))
      // Through global pooling to the softmax, which opens worked out.
      app.send(keys: Key.script("Right Right Enter"))
      XCTAssertTrue(app.render(width: 80, height: 24).text.contains(lang == .en ? "probabilities add up to 1" : "las probabilidades suman 1"))
    }
  }
}
