import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import ConvPretrained
import ConvTerminal
import Foundation
import XCTest

/// The model-summary screen: walking, freezing, the picker, feature maps of a model with
/// weights, and snapshots of its text (Snapshots/summary-*.txt, recorded like SnapshotTests with
/// CONVPLAY_RECORD_SNAPSHOTS=1).
final class SummaryScreenTests: XCTestCase {
  let env = Env(lang: .en, theme: Theme(colored: true))

  func screen(_ name: String) throws -> SummaryScreen {
    SummaryScreen(model: try XCTUnwrap(SummaryModels.named(name)).load())
  }

  func app(_ s: SummaryScreen, lang: Lang = .en, keys: String = "", colored: Bool = true) -> PlaygroundApp {
    var a = PlaygroundApp(root: s, env: Env(lang: lang, theme: Theme(colored: colored)))
    if !keys.isEmpty { a.send(keys: Key.script(keys)) }
    return a
  }

  func testWalksVGG16AndFreezes() throws {
    var a = app(try screen("vgg16"))
    var text = a.render(width: 100, height: 30).text
    XCTAssertTrue(text.contains("Total params: 138,357,544"), text)
    XCTAssertTrue(text.contains("▸input_1 (InputLayer)"), text)
    a.send(keys: [.down])
    text = a.render(width: 100, height: 30).text
    XCTAssertTrue(text.contains("▸block1_conv1 (Conv2D)"), text)
    XCTAssertTrue(text.contains("224 x 224 x 3 RGB ──► Conv2D 3x3, 64 filters, same, relu ──► 224 x 224 x 64"), text)
    XCTAssertTrue(text.contains("(224 + 2*1 - 3)/1 + 1 = 224"), text)
    XCTAssertTrue(text.contains("64*3*3*3 + 64 = 1,792"), text)
    XCTAssertTrue(text.contains("fed by       input_1 (224 x 224 x 3)"), text)
    a.send(keys: [.char("t")])
    text = a.render(width: 100, height: 30).text
    XCTAssertTrue(text.contains("Trainable params: 138,355,752"), text)
    XCTAssertTrue(text.contains("Non-trainable params: 1,792"), text)
    XCTAssertTrue(text.contains("no, frozen"), text)
    a.send(keys: [.char("t")])
    XCTAssertTrue(a.render(width: 100, height: 30).text.contains("Non-trainable params: 0"))
    a.send(keys: [.end])
    text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("▸predictions (Dense)"), text)
    XCTAssertTrue(text.contains("4,096*1,000 + 1,000 = 4,097,000"), text)
    a.send(keys: [.home])
    XCTAssertEqual((a.top as? SummaryScreen)?.row, 0)
  }

  func testPickerOpensAnotherModel() throws {
    var a = app(try screen("course3"))
    a.send(keys: [.char("m")])
    XCTAssertTrue(a.top.capturesAllKeys, "q and Esc close the picker, not the screen")
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("Choose a model"))
    let target = try XCTUnwrap(SummaryModels.all.firstIndex { $0.name == "resnet50" })
    let start = try XCTUnwrap((a.top as? SummaryScreen)?.picker)
    a.send(keys: Array(repeating: target > start ? Key.down : Key.up, count: abs(target - start)) + [.enter])
    let s = try XCTUnwrap(a.top as? SummaryScreen)
    XCTAssertNil(s.picker)
    XCTAssertEqual(s.model.label, "resnet50")
    XCTAssertEqual(s.model.walk.totals.total, 25_636_712)
    a.send(keys: [.char("m"), .escape])
    XCTAssertFalse(a.finished)
    XCTAssertEqual((a.top as? SummaryScreen)?.model.label, "resnet50")
    // The Add row names both branches.
    let add = try XCTUnwrap(s.model.walk.rows.firstIndex { $0.name == "conv2_block1_add" })
    a.send(keys: Array(repeating: .down, count: add))
    let text = a.render(width: 100, height: 30).text
    XCTAssertTrue(text.contains("56 x 56 x 256 + 56 x 56 x 256 ──► Add ──► 56 x 56 x 256"), text)
    XCTAssertTrue(text.contains("conv2_block1_0_bn (56 x 56 x 256), conv2_block1_3_bn (56 x 56 x 256)"), text)
  }

  /// The picker speaks Spanish too: every model's description has its own Spanish line (cnn's is
  /// a layer list, the same in both languages).
  func testPickerDescriptionsInSpanish() {
    for c in SummaryModels.all where c.name != "cnn" {
      XCTAssertNotEqual(c.summary(in: .es), c.summary(in: .en), "\(c.name) has no Spanish description")
    }
    XCTAssertEqual(
      SummaryModels.all.first { $0.name == "vgg16" }?.summary(in: .es),
      "keras.applications.VGG16: 13 convoluciones en 5 bloques, 3 capas densas")
  }

  func testColourInputIsMarked() throws {
    let a = app(try screen("cnn-cifar10"))
    let text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("Model: \"cnn\"  32 x 32 x 3 RGB"), text)
    XCTAssertTrue(text.contains("32 x 32 x 3 RGB ──► Conv2D 3x3, 32 filters, same, relu ──► 32 x 32 x 32"), text)
    XCTAssertTrue(text.contains("32*3*3*3 + 32 = 896"), text)
  }

  /// The built-in digits model on a picture: each layer's recorded output is what the network
  /// computes. The first map is checked against a convolution written out here from the
  /// weights; the last layer against `predict`.
  func testFeatureMapsOfTheDigitsModel() throws {
    // A light 1 on a dark background, as a photo of a digit would be after conversion.
    var px = [Float](repeating: 10, count: 40 * 40)
    for y in 6..<34 { for x in 18..<23 { px[y * 40 + x] = 240 } }
    let image = Image(width: 40, height: 40, channels: 1, samples: px)
    let model = try SummaryModels.digitsModel(image: image, imageName: "one.png")
    XCTAssertTrue(model.hasActivations)
    XCTAssertEqual(model.activations.count, 7)
    let (network, _) = try DefaultModel.load()
    let input = try DigitPreprocessing.mnistStyle(gray: px, width: 40, height: 40)
    guard case .maps(let planes, let channels, let h, let w) = model.activations[0] else { return XCTFail("conv maps") }
    XCTAssertEqual([h, w, channels, planes.count], [26, 26, 32, 32])
    let params = Dictionary(uniqueKeysWithValues: network.namedParameters.map { ($0.name, $0.parameter.value) })
    let kernel = try XCTUnwrap(params["conv2d/kernel"])  // [3, 3, 1, 32]
    let bias = try XCTUnwrap(params["conv2d/bias"])
    for f in [0, 5, 31] {
      for (y, x) in [(0, 0), (7, 12), (13, 9), (25, 25)] {
        var sum = Double(bias[f])
        for i in 0..<3 { for j in 0..<3 { sum += Double(input[(y + i) * 28 + x + j]) * Double(kernel[(i * 3 + j) * 32 + f]) } }
        XCTAssertEqual(Double(planes[f].values[y * 26 + x]), max(0, sum), accuracy: 1e-4, "filter \(f) at \(y),\(x)")
      }
    }
    guard case .values(let last) = model.activations[6] else { return XCTFail("dense values") }
    let predicted = network.predict(Tensor(shape: [1, 28, 28, 1], scalars: input)).scalars
    for (a, b) in zip(last, predicted) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    XCTAssertEqual(last.indices.max { last[$0] < last[$1] }, 1, "the built-in model reads the 1")

    var a = app(SummaryScreen(model: model, image: image, imageName: "one.png"), keys: "v")
    var text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("Input: one.png"), text)
    XCTAssertTrue(text.contains("Feature maps: 8 of 32 channels, 26 x 26"), "the title counts the maps drawn: " + text)
    a.send(keys: [.end])
    text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("top classes:"), text)
  }

  func testModelsFromTheCommandLine() throws {
    let cifar = try SummaryModels.resolve(
      "conv2d(32, 3, padding=same, activation=relu) -> maxpool(2) -> flatten -> dense(10, softmax)",
      inputShape: [32, 32, 3], image: nil, imageName: nil)
    XCTAssertEqual(cifar.walk.totals.total, 896 + 16 * 16 * 32 * 10 + 10)
    XCTAssertEqual(try SummaryModels.resolve("VGG16", inputShape: nil, image: nil, imageName: nil).walk.totals.total, 138_357_544)
    XCTAssertThrowsError(try SummaryModels.resolve("nosuch", inputShape: nil, image: nil, imageName: nil)) { e in
      XCTAssertTrue(String(describing: e).hasPrefix("unknown model 'nosuch'"), "\(e)")
    }
    XCTAssertThrowsError(try SummaryModels.resolve("conv2d(0, 3)", inputShape: nil, image: nil, imageName: nil))
    // A saved model with frozen layers (as `convplay finetune` writes them) shows them frozen.
    let spec = try ModelSpecParser.parse(
      "conv2d(4, 3, activation=relu, trainable=false) -> flatten -> dense(10, softmax)", inputShape: [28, 28, 1])
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: file) }
    try ModelFile.save(try Network(spec: spec, seed: 3), to: file)
    let saved = try SummaryModels.resolve(file.path, inputShape: nil, image: nil, imageName: nil)
    XCTAssertEqual(saved.walk.totals.nonTrainable, 4 * 9 + 4)
    XCTAssertEqual(saved.walk.totals.trainable, 26 * 26 * 4 * 10 + 10)
    XCTAssertTrue(saved.hasActivations, "a model with weights shows the drawn 7's maps")
    let text = app(SummaryScreen(model: saved)).render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("Non-trainable params: 40"), text)
    XCTAssertTrue(text.contains("no, frozen: trainable=False"), text)
  }

  /// A colour model with weights: the photo is resized to the input and scaled to 0-1 (as the
  /// data sets are), and the first layer's maps are that input convolved.
  func testColourModelWithWeightsShowsThePhoto() throws {
    let spec = try ModelSpecParser.parse("conv2d(3, 1, use_bias=false) -> flatten -> dense(2, softmax)", inputShape: [8, 8, 3])
    let network = try Network(spec: spec, seed: 5)
    // A 16x16 photo: red left half, blue right half; halving it keeps the halves.
    var planes = [Float](repeating: 0, count: 3 * 256)
    for y in 0..<16 { for x in 0..<16 { planes[(x < 8 ? 0 : 2) * 256 + y * 16 + x] = 255 } }
    let photo = Image(width: 16, height: 16, channels: 3, samples: planes)
    let model = try SummaryModels.withWeights(network, label: "rgb", image: photo, imageName: "photo.png")
    guard case .maps(let maps, let channels, _, _) = model.activations[0] else { return XCTFail("conv maps") }
    XCTAssertEqual(channels, 3)
    let kernel = try XCTUnwrap(network.namedParameters.first { $0.name == "conv2d/kernel" }).parameter.value  // [1,1,3,3]
    // A 1x1 convolution: at a red pixel (left) output f = kernel[R][f]; at a blue one kernel[B][f].
    for f in 0..<3 {
      XCTAssertEqual(maps[f].values[3 * 8 + 1], kernel[0 * 3 + f], accuracy: 1e-6)
      XCTAssertEqual(maps[f].values[3 * 8 + 6], kernel[2 * 3 + f], accuracy: 1e-6)
    }
    let text = app(SummaryScreen(model: model), keys: "v").render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("Input: photo.png"), text)
    XCTAssertTrue(text.contains("8 x 8 x 3 RGB ──► Conv2D 1x1, 3 filters ──► 8 x 8 x 3"), text)
  }

  /// A file as `convplay import` writes it: the preprocessing and the class names in its
  /// metadata. 'caffe' is worked out here by hand (BGR, minus the ImageNet means) for a photo
  /// of one colour, and the network's own `predict` gives the probabilities to compare.
  func testImportedModelUsesItsPreprocessingAndClassNames() throws {
    let spec = try ModelSpecParser.parse("conv2d(4, 3, activation=relu) -> flatten -> dense(3, softmax)", inputShape: [6, 6, 3])
    let network = try Network(spec: spec, seed: 11)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: file) }
    try ModelFile.save(network, metadata: [
      PretrainedModel.preprocessingKey: "caffe", PretrainedModel.classesKey: "tiger\ntiger_cat\njaguar",
    ], to: file)
    let (r, g, b): (Float, Float, Float) = (200, 100, 50)
    let photo = Image(width: 12, height: 12, channels: 3,
                      samples: [Float](repeating: r, count: 144) + [Float](repeating: g, count: 144) + [Float](repeating: b, count: 144))
    let model = try SummaryModels.resolve(file.path, inputShape: nil, image: photo, imageName: "tiger.png")
    XCTAssertEqual(model.classNames, ["tiger", "tiger_cat", "jaguar"])
    let pixel: [Float] = [b - 103.939, g - 116.779, r - 123.68]
    let input = Tensor(shape: [1, 6, 6, 3], scalars: (0..<36).flatMap { _ in pixel })
    let expected = network.predict(input).scalars
    guard case .values(let last) = try XCTUnwrap(model.activations.last) else { return XCTFail("dense values") }
    for (a, e) in zip(last, expected) { XCTAssertEqual(a, e, accuracy: 1e-5) }
    let best = try XCTUnwrap(last.indices.max { last[$0] < last[$1] })
    let text = app(SummaryScreen(model: model), keys: "End v").render(width: 80, height: 24).text
    XCTAssertTrue(text.contains(["tiger", "tiger_cat", "jaguar"][best]), text)
    XCTAssertTrue(text.contains("top classes:"), text)
  }

  func testHomeOpensTheScreen() throws {
    var a = PlaygroundApp.home(env: env)
    let i = try XCTUnwrap(Lesson.standard.firstIndex { $0.id == "summary" })
    a.send(keys: [.char(Character(String(i + 1)))])
    XCTAssertTrue(a.top is SummaryScreen)
    XCTAssertFalse(a.render(width: 80, height: 24).text.contains("(coming)"))
  }

  /// Feature maps are snapshotted without colour (shade characters), as `--print` draws them.
  static let snapshots: [(name: String, model: String, keys: String, lang: Lang, size: (Int, Int))] = [
    ("summary-vgg16", "vgg16", "Down", .en, (80, 24)),
    ("summary-vgg16", "vgg16", "Down", .en, (120, 40)),
    ("summary-resnet50-add", "resnet50", "PageDown Down Down Down Down Down Down Down", .en, (100, 30)),
    ("summary-cifar-frozen-es", "cnn-cifar10", "t Down Down Down", .es, (80, 24)),
    ("summary-digits", "digits", "Down Down", .en, (120, 40)),
    ("summary-digits-maps", "digits", "Down v", .en, (80, 24)),
    ("summary-picker", "course3", "m", .en, (80, 24)),
  ]

  func testSnapshots() throws {
    let record = ProcessInfo.processInfo.environment["CONVPLAY_RECORD_SNAPSHOTS"] == "1"
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    var failures: [String] = []
    for c in SummaryScreenTests.snapshots {
      let a = app(try screen(c.model), lang: c.lang, keys: c.keys, colored: !c.name.hasPrefix("summary-digits"))
      let text = a.render(width: c.size.0, height: c.size.1).text + "\n"
      let file = directory.appendingPathComponent("\(c.name)-\(c.size.0)x\(c.size.1).txt")
      if record {
        try text.write(to: file, atomically: true, encoding: .utf8)
        continue
      }
      guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        failures.append("\(file.lastPathComponent) missing (record with CONVPLAY_RECORD_SNAPSHOTS=1)")
        continue
      }
      if expected != text { failures.append("\(file.lastPathComponent) differs:\n\(text)") }
    }
    XCTAssert(failures.isEmpty, failures.joined(separator: "\n"))
  }
}

/// Every layer's explanation describes its real shape change: "keeps its input's shape" only
/// when it does (a Dense layer on 43,264 values says 43264 -> 10, one value per unit).
final class SummaryShapeChangeTests: XCTestCase {
  func testNoLayerThatChangesTheShapeIsSaidToKeepIt() throws {
    var checkedDense = 0
    for entry in ModelZoo.all {
      let walk = try SummaryWalk(entry.spec, name: entry.name)
      for (i, row) in walk.rows.enumerated() where !row.isInput {
        guard let index = row.index else { continue }
        for lang in Lang.allCases {
          let app = PlaygroundApp(root: SummaryScreen(spec: entry.spec, layer: index), env: Env(lang: lang, theme: Theme(colored: false)))
          let text = app.render(width: 100, height: 30).text
          let keeps = T.sumKeepsShape.text(lang)
          let changes = row.inputShapes.first != row.outputShape
          if changes && row.shapeFormula == nil {
            XCTAssertFalse(text.contains(keeps), "\(entry.name) layer \(i) \(row.name): \(text)")
            XCTAssertTrue(text.contains(ShapeText.compact(row.inputShapes[0]) + " -> " + ShapeText.compact(row.outputShape)), text)
          }
          if !changes { XCTAssertTrue(text.contains(keeps), "\(entry.name) layer \(i) \(row.name)") }
          if let units = (row.layer as? Dense)?.units, changes {
            XCTAssertTrue(text.contains(T.sumDenseShape.text(lang, ["", String(units)]).dropFirst(0).split(separator: ":").last!.trimmingCharacters(in: .whitespaces)), text)
            checkedDense += 1
          }
        }
      }
    }
    XCTAssertGreaterThan(checkedDense, 4)
  }
}
