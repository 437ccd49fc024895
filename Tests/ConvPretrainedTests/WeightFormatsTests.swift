import ConvData
import ConvKit
import ConvPretrained
import Foundation
import XCTest

/// Real weight files, made by Keras 3 and PyTorch themselves (Fixtures/make_weight_fixtures.py):
/// each format gives the same tensors as the framework saved, and the network built from them
/// gives the framework's own outputs. Damaged and hostile files are refused with one line.
final class WeightFormatsTests: XCTestCase {
  static func fixture(_ name: String) -> URL { PretrainedImportTests.fixture(name) }

  func spec() throws -> SequentialSpec {
    try ModelSpecParser.parse(try String(contentsOf: Self.fixture("spec.txt"), encoding: .utf8), inputShape: [16, 16, 3])
  }

  func inputs() throws -> [Float] {
    try XCTUnwrap(NPZ.read(Self.fixture("cases.npz")).first { $0.name == "inputs" }).values
  }

  /// Keras's model.predict (keras_cases.npz) or PyTorch's (cases.npz).
  func expected(_ file: String) throws -> [Float] {
    try XCTUnwrap(NPZ.read(Self.fixture(file)).first { $0.name == "probabilities" }).values
  }

  func assertClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (i, (x, y)) in zip(a, b).enumerated() where abs(x - y) > tolerance {
      XCTFail("entry \(i): \(x) vs \(y)", file: file, line: line)
      return
    }
  }

  func network(_ file: String) throws -> (InferenceNetwork, WeightFileContents, [WeightImport.Match]) {
    var contents = try WeightImport.readFile(Self.fixture(file))
    let kept = contents
    let s = try spec()
    let (weights, matches, _) = try WeightImport.convert(&contents, spec: s)
    return (try InferenceNetwork(spec: s, weights: weights), kept, matches)
  }

  func refusal(_ url: URL, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
      var contents = try WeightImport.readFile(url)
      _ = try WeightImport.convert(&contents, spec: try spec())
      XCTFail("\(url.lastPathComponent) was read", file: file, line: line)
      return ""
    } catch {
      let text = String(describing: error)
      XCTAssertFalse(text.contains("\n"), "more than one line: \(text)", file: file, line: line)
      XCTAssertFalse(text.isEmpty, file: file, line: line)
      return text
    }
  }

  func testEveryKerasFormatGivesKerassOutputs() throws {
    let expected = try expected("keras_cases.npz")
    let reference = try NPZ.read(Self.fixture("keras_weights.npz"))
    for (file, format) in [
      ("keras_legacy.weights.h5", WeightFileFormat.kerasH5), ("keras_model.h5", .kerasH5),
      ("keras3.weights.h5", .kerasH5), ("keras3.keras", .keras),
    ] {
      let (net, contents, matches) = try network(file)
      XCTAssertEqual(contents.format, format, file)
      assertClose(net.forward(try inputs(), batch: 3), expected)
      // The tensors themselves are the ones Keras saved, exactly.
      let layers = try XCTUnwrap(contents.layers)
      let conv = try XCTUnwrap(layers.first { $0.layer == "conv2d_1" })
      XCTAssertEqual(conv.tensors.map(\.shape), [[3, 3, 8, 12], [12]], file)
      XCTAssertEqual(conv.tensors[0].values, reference.first { $0.name == "conv2d_1/kernel:0" }?.values, file)
      XCTAssertEqual(matches.count, 12, file)
      XCTAssertEqual(matches.first?.target, "conv2d/kernel", file)
    }
  }

  func testLegacyLayoutFollowsWeightNamesAndLayerNames() throws {
    let c = try KerasH5.read(Self.fixture("keras_legacy.weights.h5"))
    XCTAssertEqual(c.layers.map(\.layer), [
      "conv2d", "max_pooling2d", "conv2d_1", "batch_normalization", "activation", "flatten", "dense", "dropout", "dense_1",
    ])
    XCTAssertEqual(c.layers[3].tensors.map(\.name), [
      "batch_normalization/gamma", "batch_normalization/beta", "batch_normalization/moving_mean",
      "batch_normalization/moving_variance",
    ])
    XCTAssertNil(c.config)
  }

  func testFullModelH5AndKerasZipCarryTheArchitecture() throws {
    for file in ["keras_model.h5", "keras3.keras"] {
      let config = try XCTUnwrap(WeightImport.readFile(Self.fixture(file)).config, file)
      XCTAssertEqual(config.modelClass, .sequential)
      XCTAssertEqual(config.name, "small_cnn")
      XCTAssertEqual(config.inputShape, [16, 16, 3])
      XCTAssertEqual(config.layers.map(\.className), [
        "Conv2D", "MaxPooling2D", "Conv2D", "BatchNormalization", "Activation", "Flatten", "Dense", "Dropout", "Dense",
      ])
      XCTAssertEqual(config.layers[2].inbound, ["max_pooling2d"])
      XCTAssertEqual(config.layers[0].config["filters"]?.int, 8)
      XCTAssertEqual(config.layers[0].config["padding"]?.string, "same")
      XCTAssertEqual(config.layers[0].config["kernel_size"]?.shape, [3, 3])
      XCTAssertEqual(config.layers[3].config["epsilon"]?.number, 0.001)
      XCTAssertEqual(config.layers[0].config["use_bias"]?.bool, true)
    }
  }

  func testFunctionalConfigNamesWhatFeedsEachLayer() throws {
    let config = try KerasModelConfig.parse(json: Data(contentsOf: Self.fixture("functional_config.json")))
    XCTAssertEqual(config.modelClass, .functional)
    XCTAssertEqual(config.inputShape, [8, 8, 3])
    let inbound = Dictionary(uniqueKeysWithValues: config.layers.map { ($0.name, $0.inbound) })
    XCTAssertEqual(inbound["image"], [])
    XCTAssertEqual(inbound["stem"], ["image"])
    XCTAssertEqual(inbound["shortcut"], ["stem", "branch_a"])
    XCTAssertEqual(inbound["merge"], ["shortcut", "branch_b"])
    XCTAssertEqual(inbound["head"], ["gap"])
    XCTAssertEqual(config.outputs, ["head"])
  }

  func testMobileNetConfig() throws {
    let config = try KerasModelConfig.parse(json: Data(contentsOf: Self.fixture("mobilenet_config.json")))
    XCTAssertEqual(config.modelClass, .functional)
    XCTAssertEqual(config.inputShape, [32, 32, 3])
    XCTAssertEqual(config.layers.count, 91)
    XCTAssertEqual(config.layers.filter { $0.className == "DepthwiseConv2D" }.count, 13)
    let dw = try XCTUnwrap(config.layers.first { $0.name == "conv_dw_1" })
    XCTAssertEqual(dw.inbound, ["conv1_relu"])
    XCTAssertEqual(config.layers.first { $0.name == "conv1_relu" }?.config["max_value"]?.number, 6)
    XCTAssertEqual(config.outputs, ["predictions"])
  }

  func testBothPyTorchFormatsGivePyTorchsOutputs() throws {
    let expected = try expected("cases.npz")
    let reference = try NPZ.read(Self.fixture("torch_weights.npz"))
    for file in ["torch_zip.pth", "torch_legacy.pth"] {
      let (net, contents, _) = try network(file)
      XCTAssertEqual(contents.format, .pytorch, file)
      XCTAssertEqual(contents.tensors.map(\.name), reference.map(\.name), file)
      for (a, b) in zip(contents.tensors, reference) {
        XCTAssertEqual(a.shape, b.shape, a.name)
        XCTAssertEqual(try a.materialized(), b.values, a.name)
      }
      assertClose(net.forward(try inputs(), batch: 3), expected)
    }
  }

  /// Deferred storages are read straight into the layout the network needs: the same numbers
  /// as reading them and then permuting, for every placement the importer uses.
  func testDeferredStoragesArePlacedAsReadThenPermuted() throws {
    for file in ["torch_zip.pth", "torch_legacy.pth"] {
      let deferred = try PyTorchCheckpoint.readDeferred(Self.fixture(file))
      let kernel = try XCTUnwrap(deferred.first { $0.name == "3.weight" }, file)  // (12, 8, 3, 3)
      XCTAssertNotNil(kernel.deferred, file)
      let plain = SourceTensor(name: kernel.name, shape: kernel.shape, values: try kernel.materialized())
      let hwio = ElementPlacement.oihwToHWIO(out: 12, in: 8, height: 3, width: 3)
      let placed = try kernel.placed(hwio)
      XCTAssertEqual(placed, try plain.placed(hwio), file)
      // By hand: element (o=5, c=2, y=1, x=2) of OIHW lands at ((1*3 + 2)*8 + 2)*12 + 5 of HWIO.
      let hwioIndex: Int = ((1 * 3 + 2) * 8 + 2) * 12 + 5
      let oihwIndex: Int = ((5 * 8 + 2) * 3 + 1) * 3 + 2
      XCTAssertEqual(placed[hwioIndex], plain.values[oihwIndex], file)
      let dense = try XCTUnwrap(deferred.first { $0.name == "7.weight" }, file)  // (16, 432)
      let rowOf = (0..<432).map { ($0 * 7) % 432 }  // a permutation (7 and 432 are coprime)
      let t = ElementPlacement.transposed(rows: 16, cols: 432, rowOf: rowOf)
      let values = try dense.materialized()
      let moved = try dense.placed(t)
      for (r, c) in [(0, 0), (3, 17), (15, 431)] as [(Int, Int)] {
        let at: Int = rowOf[c] * 16 + r
        XCTAssertEqual(moved[at], values[r * 432 + c], file)
      }
      XCTAssertEqual(moved, try SourceTensor(name: "", shape: [16, 432], values: values).placed(t), file)
    }
  }

  func testHostilePicklesAreRefusedNeverRun() throws {
    XCTAssertTrue(refusal(Self.fixture("torch_forbidden.pth")).contains("os.system"))
    XCTAssertTrue(refusal(Self.fixture("torch_class.pth")).contains("mymodule.MyModel"))
    XCTAssertTrue(refusal(Self.fixture("torch_legacy_lying.pth")).contains("more than the file holds"))
  }

  func testZipBombIsRefused() throws {
    XCTAssertTrue(refusal(Self.fixture("bomb.npz")).contains("inflates past"))
    let zip = try ZipArchive(Self.fixture("keras3.keras"))
    XCTAssertThrowsError(try zip.data("model.weights.h5", maxBytes: 1000)) {
      XCTAssertTrue("\($0)".contains("over the limit"), "\($0)")
    }
  }

  func testCutFilesOfEveryFormatAreRefusedInOneLine() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-cut-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for file in ["keras_legacy.weights.h5", "keras_model.h5", "keras3.weights.h5", "keras3.keras", "torch_zip.pth", "torch_legacy.pth"] {
      let data = try Data(contentsOf: Self.fixture(file))
      for fraction in [0.1, 0.5, 0.9, 0.999] {
        let cut = dir.appendingPathComponent(file)
        try data.prefix(Int(Double(data.count) * fraction)).write(to: cut)
        _ = refusal(cut)
      }
    }
  }

  func testWrongShapesAreNamed() throws {
    var contents = try WeightImport.readFile(Self.fixture("keras3.keras"))
    let other = try ModelSpecParser.parse(
      "conv2d(8, 5, padding=same, activation=relu) -> maxpool(2) -> conv2d(12, 3) -> batchnorm -> activation(relu) -> flatten -> dense(16, relu) -> dropout(0.5) -> dense(5, softmax)",
      inputShape: [16, 16, 3])
    XCTAssertThrowsError(try WeightImport.convert(&contents, spec: other)) {
      XCTAssertTrue("\($0)".contains("conv2d/kernel: expected shape (5, 5, 3, 8)"), "\($0)")
    }
  }

  func testHalfPrecisionConversion() {
    XCTAssertEqual(PyTorchCheckpoint.halfToFloat(0x3C00), 1)
    XCTAssertEqual(PyTorchCheckpoint.halfToFloat(0xC000), -2)
    XCTAssertEqual(PyTorchCheckpoint.halfToFloat(0x0001), Float(sign: .plus, exponent: -24, significand: 1))
    XCTAssertEqual(PyTorchCheckpoint.halfToFloat(0x7C00), .infinity)
    XCTAssertEqual(PyTorchCheckpoint.halfToFloat(0x3555), 0.333251953125)
  }

  /// The Functional config becomes convplay's graph: same layers, same wiring.
  func testFunctionalConfigBuildsAGraph() throws {
    let config = try KerasModelConfig.parse(json: Data(contentsOf: Self.fixture("functional_config.json")))
    let graph = try config.graph()
    XCTAssertEqual(graph.nodes.map(\.name), config.layers.map(\.name))
    XCTAssertEqual(graph.nodes.first { $0.name == "shortcut" }?.inputs, ["stem", "branch_a"])
    // Keras's own parameter count for this model: 112 + 148 + 40 + 27.
    XCTAssertEqual(try InferenceNetwork.slots(for: graph).map(\.count).reduce(0, +), 327)
  }

  func testFullModelFileBuildsItsOwnNetwork() throws {
    let c = try WeightImport.readFile(Self.fixture("keras3.keras"))
    let graph = try XCTUnwrap(c.config).graph()
    let net = try InferenceNetwork(graph: graph, weights: try WeightImport.graphWeights(XCTUnwrap(c.layers), graph: graph))
    assertClose(net.forward(try inputs(), batch: 3), try expected("keras_cases.npz"))
  }
}
