import ConvData
import ConvKit
import ConvPretrained
import Foundation
import XCTest

/// The must-show fixture: a small CNN made and exported by PyTorch
/// (`Fixtures/make_pretrained_fixture.py`), imported the way `convplay import` does, gives
/// PyTorch's own outputs.
final class PretrainedImportTests: XCTestCase {
  static var fixtures: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }
  static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

  func spec() throws -> SequentialSpec {
    let text = try String(contentsOf: Self.fixture("spec.txt"), encoding: .utf8)
    return try ModelSpecParser.parse(text, inputShape: [16, 16, 3])
  }

  func cases() throws -> (inputs: [Float], probabilities: [Float], photo: [Float]) {
    let t = try NPZ.read(Self.fixture("cases.npz"))
    func named(_ n: String) throws -> SourceTensor { try XCTUnwrap(t.first { $0.name == n }, n) }
    let inputs = try named("inputs")
    XCTAssertEqual(inputs.shape, [3, 16, 16, 3])
    return (inputs.values, try named("probabilities").values, try named("photo_probabilities").values)
  }

  func imported(_ file: String, _ layout: WeightLayout) throws -> (InferenceNetwork, [WeightImport.Match]) {
    var tensors = try WeightImport.readTensors(Self.fixture(file))
    let s = try spec()
    let (weights, matches) = try WeightImport.convert(&tensors, spec: s, layout: layout)
    return (try InferenceNetwork(spec: s, weights: weights), matches)
  }

  func assertClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (i, (x, y)) in zip(a, b).enumerated() where abs(x - y) > tolerance {
      XCTFail("entry \(i): \(x) vs \(y)", file: file, line: line)
      return
    }
  }

  func testPyTorchNPZGivesPyTorchsOutputs() throws {
    let (network, matches) = try imported("torch_weights.npz", .pytorch)
    let c = try cases()
    assertClose(network.forward(c.inputs, batch: 3), c.probabilities)
    // Module order of the state_dict: features by position, num_batches_tracked ignored.
    XCTAssertEqual(matches.map(\.source), [
      "0.weight", "0.bias", "3.weight", "3.bias", "4.weight", "4.bias", "4.running_mean", "4.running_var",
      "7.weight", "7.bias", "10.weight", "10.bias",
    ])
    XCTAssertEqual(matches[8].target, "dense/kernel")
  }

  func testPyTorchSafetensorsSortedByNameStillMatchesInOrder() throws {
    // The file stores 0, 10, 3, 4, 7 (string order) and an I64 step counter.
    let (network, _) = try imported("torch_weights.safetensors", .pytorch)
    let c = try cases()
    assertClose(network.forward(c.inputs, batch: 3), c.probabilities)
  }

  func testKerasLayoutDeflatedNPZGivesTheSameOutputs() throws {
    let (network, matches) = try imported("keras_weights.npz", .keras)
    let c = try cases()
    assertClose(network.forward(c.inputs, batch: 3), c.probabilities)
    XCTAssertEqual(matches.first, WeightImport.Match(target: "conv2d/kernel", source: "conv2d/kernel:0"))
  }

  /// The PyTorch conversion (OIHW -> HWIO, (out, in) -> (in, out), channels-first flatten rows)
  /// equals NumPy's transposes in the fixture script exactly, tensor by tensor.
  func testPyTorchConversionEqualsNumPysKerasLayout() throws {
    let (fromTorch, _) = try imported("torch_weights.npz", .pytorch)
    let (fromKeras, _) = try imported("keras_weights.npz", .keras)
    XCTAssertEqual(fromTorch.slots, fromKeras.slots)
    for (slot, (a, b)) in zip(fromTorch.slots, zip(fromTorch.weights, fromKeras.weights)) {
      XCTAssertEqual(a, b, slot.name)
    }
  }

  func testWithoutTheFlattenReorderingTheOutputsDiffer() throws {
    // Guard against a test that cannot fail: the permutation changes the answer.
    var (network, _) = try imported("torch_weights.npz", .pytorch)
    let c = try cases()
    var weights = network.weights
    let k = network.slots.firstIndex { $0.name == "dense/kernel" }!
    var tensors = try WeightImport.readTensors(Self.fixture("torch_weights.npz"))
    let raw = tensors.first { $0.name == "7.weight" }!.values  // (16, 432), rows out
    weights[k] = (0..<432).flatMap { i in (0..<16).map { o in raw[o * 432 + i] } }  // plain transpose
    network = try InferenceNetwork(graph: network.graph, weights: weights)
    let wrong = network.forward(c.inputs, batch: 3)
    XCTAssertGreaterThan(zip(wrong, c.probabilities).map { abs($0 - $1) }.max()!, 1e-3)
    tensors.removeAll()
  }

  func testSavedModelLoadsBackAndAsATrainableNetwork() throws {
    let (network, _) = try imported("torch_weights.npz", .pytorch)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-pretrained-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("small.safetensors")
    try PretrainedModel.save(network, metadata: [PretrainedModel.preprocessingKey: "unit"], to: url)
    let (loaded, meta) = try PretrainedModel.load(url)
    XCTAssertEqual(meta[PretrainedModel.preprocessingKey], "unit")
    XCTAssertEqual(loaded.weights, network.weights)
    // The same file is a ModelFile: the training engine reads it and predicts the same.
    let (trainable, _) = try ModelFile.load(url)
    let c = try cases()
    assertClose(trainable.predict(Tensor(shape: [3, 16, 16, 3], scalars: c.inputs)).scalars, c.probabilities)
    // No temporary file is left beside it.
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["small.safetensors"])
  }

  func testShapeMismatchNamesTheFirstLayerThatDoesNotFit() throws {
    var tensors = try WeightImport.readTensors(Self.fixture("torch_weights.npz"))
    let wrong = try ModelSpecParser.parse(
      "conv2d(8, 3, padding=same, activation=relu) -> maxpool(2) -> conv2d(10, 3) -> batchnorm -> activation(relu) "
        + "-> flatten -> dense(16, relu) -> dropout(0.5) -> dense(5, softmax)", inputShape: [16, 16, 3])
    XCTAssertThrowsError(try WeightImport.convert(&tensors, spec: wrong, layout: .pytorch)) { error in
      XCTAssertEqual(
        "\(error)",
        "conv2d_1/kernel: expected shape (10, 8, 3, 3) (out, in, height, width: PyTorch's layout), got (12, 8, 3, 3) from tensor 3.weight")
    }
    // Keras file against a PyTorch reading: the first kernel already disagrees.
    var keras = try WeightImport.readTensors(Self.fixture("keras_weights.npz"))
    XCTAssertThrowsError(try WeightImport.convert(&keras, spec: try spec(), layout: .pytorch)) { error in
      XCTAssertTrue("\(error)".hasPrefix("conv2d/kernel: expected shape (8, 3, 3, 3)"), "\(error)")
    }
  }

  func testMissingAndExtraTensorsAreNamed() throws {
    var tensors = try WeightImport.readTensors(Self.fixture("torch_weights.npz"))
    tensors.removeAll { $0.name == "3.bias" }
    XCTAssertThrowsError(try WeightImport.convert(&tensors, spec: try spec(), layout: .pytorch)) { error in
      XCTAssertEqual("\(error)", "conv2d_1/bias: no tensor for it in the file (looked for 3.bias)")
    }
    var more = try WeightImport.readTensors(Self.fixture("torch_weights.npz"))
    more.append(SourceTensor(name: "11.weight", shape: [2], values: [1, 2]))
    XCTAssertThrowsError(try WeightImport.convert(&more, spec: try spec(), layout: .pytorch)) { error in
      XCTAssertTrue("\(error)".contains("the file holds weights for 6 layer(s)"), "\(error)")
    }
    var stray = try WeightImport.readTensors(Self.fixture("keras_weights.npz"))
    stray.append(SourceTensor(name: "dense/extra:0", shape: [2], values: [1, 2]))
    XCTAssertThrowsError(try WeightImport.convert(&stray, spec: try spec(), layout: .keras)) { error in
      XCTAssertEqual("\(error)", "tensor dense/extra:0 (extra) is not a weight of layer dense (Dense)")
    }
  }

  func testInferencePathEqualsTheTrainingEngine() throws {
    let s = try spec()
    let network = try Network(spec: s, seed: 3)
    let weights = network.namedParameters.map(\.parameter.value)
    XCTAssertEqual(try InferenceNetwork.slots(for: s).map(\.name), network.namedParameters.map(\.name))
    XCTAssertEqual(try InferenceNetwork.slots(for: s).map(\.shape), network.namedParameters.map(\.parameter.shape))
    let fast = try InferenceNetwork(network: network)
    XCTAssertEqual(fast.weights, weights)
    let c = try cases()
    assertClose(fast.forward(c.inputs, batch: 3), network.predict(Tensor(shape: [3, 16, 16, 3], scalars: c.inputs)).scalars, tolerance: 1e-6)
  }

  /// Big layers run in bands of output rows (a small patch matrix each); the result is the
  /// layer's, for 'same' padding with stride 1 and with stride 2 (asymmetric padding).
  func testBandedConvolutionEqualsTheLayer() throws {
    for (text, size) in [("conv2d(8, 3, padding=same)", 96), ("conv2d(8, 3, strides=2, padding=same)", 250)] {
      let s = try ModelSpecParser.parse(text + " -> flatten -> dense(2, softmax)", inputShape: [size, size, 64])
      let network = try Network(spec: s, seed: 1)
      let fast = try InferenceNetwork(spec: s, weights: network.namedParameters.map(\.parameter.value))
      var rng = RandomSource(seed: 9)
      let x = (0..<(size * size * 64)).map { _ in rng.nextSymmetric(1) }
      var banded: [Float] = []
      _ = fast.forward(x, batch: 1) { report, output in if report.index == 0 { banded = output } }
      let reference = network.layers[0].forward(Tensor(shape: [1, size, size, 64], scalars: x), training: false).scalars
      assertClose(banded, reference, tolerance: 1e-4)
    }
  }

  func testRandomWeightsAreGlorotUniformAndRepeatable() throws {
    let s = try spec()
    let a = try InferenceNetwork(spec: s, randomSeed: 5)
    let b = try InferenceNetwork(spec: s, randomSeed: 5)
    XCTAssertEqual(a.weights, b.weights)
    let kernel = a.weight("dense/kernel")!
    let limit = Float((6.0 / Double(432 + 16)).squareRoot())
    XCTAssertTrue(kernel.allSatisfy { abs($0) <= limit })
    XCTAssertGreaterThan(kernel.map(abs).max()!, limit * 0.95)
    XCTAssertEqual(a.weight("dense/bias")!, [Float](repeating: 0, count: 16))
    XCTAssertEqual(a.weight("batch_normalization/moving_variance")!, [Float](repeating: 1, count: 12))
  }

  func testNPZErrors() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-npz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let whole = try Data(contentsOf: Self.fixture("torch_weights.npz"))
    let cut = dir.appendingPathComponent("cut.npz")
    try whole.prefix(whole.count / 2).write(to: cut)
    XCTAssertThrowsError(try WeightImport.readTensors(cut)) { XCTAssertTrue("\($0)".hasPrefix("cut.npz: "), "\($0)") }
    let text = dir.appendingPathComponent("text.safetensors")
    try Data("hello".utf8).write(to: text)
    XCTAssertThrowsError(try WeightImport.readTensors(text)) { XCTAssertTrue("\($0)".contains("too short"), "\($0)") }
  }

  /// torchvision's VGG names: features.N counts the ReLU and MaxPool modules, classifier.0/3/6
  /// skip ReLU and Dropout. A small VGG-shaped stack, tensors given in the wrong order.
  func testTorchvisionVGGNames() throws {
    let s = try ModelSpecParser.parse(
      "conv2d(4, 3, padding=same, activation=relu) -> conv2d(4, 3, padding=same, activation=relu) -> maxpool(2) "
        + "-> conv2d(6, 3, padding=same, activation=relu) -> maxpool(2) -> flatten -> dense(5, relu) -> dense(5, relu) "
        + "-> dense(3, softmax)", inputShape: [8, 8, 3])
    var tensors: [SourceTensor] = []
    for (module, shape) in [("features.0", [4, 3, 3, 3]), ("features.2", [4, 4, 3, 3]), ("features.5", [6, 4, 3, 3]),
                            ("classifier.0", [5, 24]), ("classifier.3", [5, 5]), ("classifier.6", [3, 5])] {
      tensors.append(SourceTensor(name: module + ".weight", shape: shape, values: [Float](repeating: 1, count: shape.reduce(1, *))))
      tensors.append(SourceTensor(name: module + ".bias", shape: [shape[0]], values: [Float](repeating: 0, count: shape[0])))
    }
    tensors.reverse()
    let (_, matches) = try WeightImport.convert(&tensors, spec: s, layout: .pytorch, architecture: "vgg16")
    let pairs = Dictionary(uniqueKeysWithValues: matches.map { ($0.target, $0.source) })
    XCTAssertEqual(pairs["conv2d_1/kernel"], "features.2.weight")
    XCTAssertEqual(pairs["conv2d_2/kernel"], "features.5.weight")
    XCTAssertEqual(pairs["dense/kernel"], "classifier.0.weight")
    XCTAssertEqual(pairs["dense_1/bias"], "classifier.3.bias")
    XCTAssertEqual(pairs["dense_2/kernel"], "classifier.6.weight")
  }

  func testNaturalOrder() {
    let names = ["features.10.weight", "classifier.0.weight", "features.2.weight", "features.0.weight"]
    XCTAssertEqual(names.sorted(by: WeightImport.naturalLess),
                   ["classifier.0.weight", "features.0.weight", "features.2.weight", "features.10.weight"])
  }
}
