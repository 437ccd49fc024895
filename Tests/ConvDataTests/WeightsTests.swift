import ConvData
import ConvKit
import Foundation
import XCTest

/// safetensors files and the model file built on them.
final class WeightsTests: XCTestCase {
  func testSafetensorsRoundTripAndLayout() throws {
    let file = SafeTensors(
      tensors: [
        .init(name: "a", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
        .init(name: "b", shape: [1], values: [-0.5]),
      ], metadata: ["note": "hello"])
    let data = try file.encoded()
    // 8-byte little-endian header length, JSON padded to a multiple of 8, then 7 floats.
    let n = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    XCTAssertEqual(n % 8, 0)
    XCTAssertEqual(data.count, 8 + n + 28)
    let header = String(decoding: data[8..<(8 + n)], as: UTF8.self)
    XCTAssertTrue(header.contains("\"data_offsets\":[0,24]"), header)
    XCTAssertTrue(header.contains("\"dtype\":\"F32\""), header)
    XCTAssertEqual(try SafeTensors(data: data), file)
  }

  func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch { return String(describing: error) }
  }

  func testTruncatedAndMalformedFilesAreRefused() throws {
    let data = try SafeTensors(tensors: [.init(name: "w", shape: [4], values: [1, 2, 3, 4])]).encoded()
    XCTAssertTrue(message { _ = try SafeTensors(data: data.prefix(data.count - 3), name: "m.safetensors") }.contains("truncated"))
    XCTAssertTrue(message { _ = try SafeTensors(data: data.prefix(20)) }.contains("truncated"))
    XCTAssertTrue(message { _ = try SafeTensors(data: Data([1, 2])) }.contains("too short"))
    var f16 = data
    let range = f16.range(of: Data("F32".utf8))!
    f16.replaceSubrange(range, with: Data("F16".utf8))
    XCTAssertTrue(message { _ = try SafeTensors(data: f16) }.contains("dtype F16"))
    var badShape = data
    badShape.replaceSubrange(badShape.range(of: Data("[4]".utf8))!, with: Data("[5]".utf8))
    XCTAssertTrue(message { _ = try SafeTensors(data: badShape) }.contains("needs 20 bytes"))
  }

  func testEveryZooArchitectureRoundTrips() throws {
    for entry in ModelZoo.all {
      let json = try ArchitectureJSON.encode(entry.spec)
      XCTAssertEqual(try ArchitectureJSON.decode(json).sequential, entry.spec, entry.name)
    }
    let odd = SequentialSpec(inputShape: [9, 9, 3], layers: [
      LayerSpec(Conv2D(filters: 2, kernelSize: Size2(3, 2), strides: Size2(2, 1), padding: .explicit(1), dilation: Size2(2), activation: .sigmoid, useBias: false), trainable: false),
      LayerSpec(BatchNormalization(epsilon: 1e-3, momentum: 0.99)),
      LayerSpec(AveragePooling2D(poolSize: Size2(2, 2), strides: Size2(1, 1), padding: .same)),
      LayerSpec(GlobalAveragePooling2D()),
      LayerSpec(ActivationLayer(.tanh)),
      LayerSpec(Dense(units: 3, activation: .softmax, useBias: true)),
    ])
    XCTAssertEqual(try ArchitectureJSON.decode(try ArchitectureJSON.encode(odd)).sequential, odd)
    // A graph with every new layer round-trips too.
    var g = GraphBuilder(name: "branches")
    let x = g.input([12, 12, 3])
    let a = g.add(DepthwiseConv2D(kernelSize: Size2(3), padding: .same, depthMultiplier: 2), x)
    let b = g.add(SeparableConv2D(filters: 6, kernelSize: Size2(3), padding: .same, activation: .gelu), x)
    let c = g.add(Concatenate(), a, b)
    let d = g.add(Conv2DTranspose(filters: 4, kernelSize: Size2(3), strides: Size2(2), padding: .same), c)
    let e = g.add(ZeroPadding2D(top: 0, bottom: 1, left: 2, right: 3), d)
    let f = g.add(ReLU(maxValue: 6), e)
    let h = g.add(LeakyReLU(negativeSlope: 0.2), f)
    let i = g.add(BatchNormalization(scale: false), h)
    let j = g.add(Add(), i, i)
    let k = g.add(Concatenate(), g.add(GlobalAveragePooling2D(), j), g.add(GlobalMaxPooling2D(), i))
    let r = g.add(Reshape(targetShape: [1, 2, 4]), k)
    g.add(Flatten(), r)
    XCTAssertEqual(try ArchitectureJSON.decode(try ArchitectureJSON.encode(g.spec)), g.spec)
  }

  /// Model files written before graphs (a Sequential stack, options beside the class name) load.
  func testArchitectureOfEarlierFilesStillLoads() throws {
    let old = #"{"input_shape": [28, 28, 1], "layers": [{"activation": "relu", "class_name": "Conv2D", "dilation_rate": 1, "filters": 8, "kernel_size": [3, 3], "name": "conv2d", "padding": "valid", "strides": [1, 1], "trainable": true, "use_bias": true}, {"class_name": "MaxPooling2D", "name": "max_pooling2d", "padding": "valid", "pool_size": [2, 2], "strides": [2, 2], "trainable": true}, {"class_name": "BatchNormalization", "epsilon": 0.001, "momentum": 0.99, "name": "batch_normalization", "trainable": false}, {"class_name": "Flatten", "name": "flatten", "trainable": true}, {"class_name": "Dropout", "name": "dropout", "rate": 0.5, "trainable": true}, {"activation": "softmax", "class_name": "Dense", "name": "dense", "trainable": true, "units": 10, "use_bias": true}]}"#
    let spec = try XCTUnwrap(try ArchitectureJSON.decode(old).sequential)
    XCTAssertEqual(spec, try ModelSpecParser.parse(
      "conv2d(8, 3, relu) -> maxpool(2) -> batchnorm(trainable=false) -> flatten -> dropout(0.5) -> dense(10, softmax)",
      inputShape: [28, 28, 1]))
  }

  func testModelFileRoundTripKeepsPredictions() throws {
    let spec = ModelZoo.named("convnet")!.spec
    let net = try Network(spec: spec, seed: 3)
    let data = try ModelFile.encode(net, metadata: ["dataset": "mnist"])
    let (loaded, meta) = try ModelFile.decode(data)
    XCTAssertEqual(meta["dataset"], "mnist")
    XCTAssertEqual(loaded.sequential, spec)
    var rng = RandomSource(seed: 1)
    let x = Tensor(shape: [2, 28, 28, 1], scalars: (0..<(2 * 784)).map { _ in rng.nextUnitFloat() })
    XCTAssertEqual(loaded.predict(x), net.predict(x))
    XCTAssertTrue(message { _ = try ModelFile.decode(data.prefix(data.count / 2), name: "cut.safetensors") }.contains("cut.safetensors: the file is truncated"))
    // A file whose tensor does not fit the described model.
    let plain = try SafeTensors(tensors: [.init(name: "dense/kernel", shape: [3], values: [1, 2, 3])], metadata: [
      ModelFile.architectureKey: try ArchitectureJSON.encode(ModelZoo.named("softmax")!.spec),
    ]).encoded()
    XCTAssertTrue(message { _ = try ModelFile.decode(plain) }.contains("dense/kernel has shape [3], the model needs [784, 10]"))
    XCTAssertTrue(message { _ = try ModelFile.decode(try SafeTensors(tensors: []).encoded()) }.contains("no convplay model description"))
  }

  func testSaveIsAtomicAndLoads() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("m.safetensors")
    let net = try Network(spec: ModelZoo.named("softmax")!.spec, seed: 1)
    try ModelFile.save(net, to: url)
    try ModelFile.save(net, to: url)  // replacing works too
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["m.safetensors"], "no temporary files left")
    XCTAssertEqual(try ModelFile.load(url).network.namedParameters[0].parameter.value, net.namedParameters[0].parameter.value)
  }
}
