import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import ConvTerminal
import Foundation
import XCTest

/// The training dashboard on colour data sets (CIFAR-10, a folder) and fine-tuning runs:
/// snapshots at 80x24 and 120x40 from synthetic events, and real runs on the worker thread
/// over data sets written here (CIFAR-10's binary format, a folder of PNGs, IDX files).
final class TrainingColorTests: XCTestCase {
  func env(_ lang: Lang = .en) -> Env { Env(lang: lang, theme: Theme(colored: true)) }

  func check(_ app: PlaygroundApp, _ name: String, sizes: [(Int, Int)] = [(80, 24), (120, 40)]) throws {
    try TrainingScreenTests.checkSnapshots(app, name, sizes: sizes)
  }

  /// Ten colour classes of `side` x `side` images: class c is a square of hue c on a dark
  /// background, at a place that moves with the image index (plus a little texture).
  static func colorSquares(_ n: Int, side: Int = 32, offset: Int = 0) -> LabeledImages {
    let palette: [(Float, Float, Float)] = [
      (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 0.5, 0), (0.5, 0, 1), (1, 1, 1), (0.5, 0.5, 0.5),
    ]
    var values: [Float] = []
    var labels: [Int] = []
    for i in 0..<n {
      let c = (i + offset) % 10
      labels.append(c)
      let x0 = (i * 5) % (side / 2)
      let y0 = (i * 3) % (side / 2)
      for y in 0..<side {
        for x in 0..<side {
          let inside = x >= x0 && x < x0 + side / 2 && y >= y0 && y < y0 + side / 2
          let t = Float((x * 7 + y * 13 + i) % 9) * 0.02
          let (r, g, b) = palette[c]
          values += inside ? [r * 0.9 + t, g * 0.9 + t, b * 0.9 + t] : [0.1 + t, 0.1 + t, 0.15 + t]
        }
      }
    }
    return LabeledImages(images: Tensor(shape: [n, side, side, 3], scalars: values), labels: labels)
  }

  /// Writes `set` as CIFAR-10 binary records (label byte, then the R, G and B planes).
  static func cifarBytes(_ set: LabeledImages) -> Data {
    let plane = 32 * 32
    var bytes: [UInt8] = []
    for i in 0..<set.count {
      bytes.append(UInt8(set.labels[i]))
      for c in 0..<3 {
        for p in 0..<plane { bytes.append(UInt8(min(255, max(0, (set.images.scalars[(i * plane + p) * 3 + c] * 255).rounded())))) }
      }
    }
    return Data(bytes)
  }

  /// A CIFAR-10 folder: `perFile` records in each of the six batch files.
  static func writeCIFAR(in dir: URL, perFile: Int) throws {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (k, f) in CIFAR10.files.enumerated() {
      try cifarBytes(colorSquares(perFile, offset: k)).write(to: dir.appendingPathComponent(f))
    }
  }

  /// An epoch's metrics with fixed numbers (the type is made by `fit`: one tiny real epoch).
  static func metrics(
    loss: Double, accuracy: Double, validation: (Double, Double)?, seconds: Double, images: Int
  ) throws -> EpochMetrics {
    let net = try Network(spec: ModelSpecParser.parse("flatten -> dense(10, softmax)", inputShape: [32, 32, 3]), seed: 0)
    var m = try XCTUnwrap(net.fit(colorSquares(10), epochs: 1, batchSize: 10, optimizer: Adam()).first)
    m.loss = loss
    m.accuracy = accuracy
    m.validationLoss = validation?.0
    m.validationAccuracy = validation?.1
    m.seconds = seconds
    m.images = images
    return m
  }

  func cifarConfig() -> TrainingConfig {
    let cnn = ModelZoo.named("cnn")!.spec
    return TrainingConfig(
      modelName: "cnn", spec: SequentialSpec(inputShape: [32, 32, 3], layers: cnn.layers), dataset: .cifar10, epochs: 2)
  }

  /// One epoch of synthetic events with colour samples and 3-channel filters.
  func liveColorScreen(lang: Lang = .en) throws -> TrainingScreen {
    var screen = TrainingScreen(config: cifarConfig(), dataAvailable: true)
    screen.apply(.loading)
    screen.apply(.loaded(training: 450, validation: 50, test: 500))
    screen.apply(.classes(CIFAR10.classNames))
    screen.apply(.training(.epochStarted(epoch: 1, epochs: 2, batches: 4)))
    for b in 1...4 {
      screen.apply(.training(.batchEnded(
        epoch: 1, batch: b, batches: 4, loss: 2.3 - 0.3 * Double(b), accuracy: 0.15 * Double(b), seconds: Double(b))))
    }
    screen.apply(.training(.epochEnded(try Self.metrics(loss: 1.5, accuracy: 0.55, validation: (1.4, 0.6), seconds: 4, images: 450))))
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
    for i in 0..<10 { confusion[i][i] = 40 + i }
    confusion[3][5] = 6
    confusion[1][9] = 4
    let images = Self.colorSquares(10)
    let size = 32 * 32 * 3
    func sample(_ i: Int, _ predicted: Int) -> DigitSample {
      DigitSample(
        pixels: Array(images.images.scalars[(i * size)..<((i + 1) * size)]), width: 32, height: 32, channels: 3,
        truth: images.labels[i], predicted: predicted)
    }
    // 4 filters x 3 channels: filter f is red-positive, green-negative, blue-zero in turn.
    var filters: [GrayPlane] = []
    for f in 0..<4 {
      for c in 0..<3 { filters.append(GrayPlane(width: 3, height: 3, values: (0..<9).map { Float((($0 + f + c) % 3) - 1) })) }
    }
    let maps = (0..<4).map { f in GrayPlane(width: 30, height: 30, values: (0..<900).map { Float(($0 / 30 + f) % 6) }) }
    screen.apply(.evaluated(EpochEvaluation(
      epoch: 1, testLoss: 1.3, testAccuracy: 0.6543, confusion: confusion,
      misclassified: [sample(3, 5), sample(1, 9), sample(8, 0)], filters: filters, filterChannels: 3,
      digits: (0..<10).map { sample($0, $0) }, featureMaps: Array(repeating: maps, count: 10))))
    return screen
  }

  func testCIFARSetupShowsColourShapeAndClassCount() throws {
    let app = PlaygroundApp(root: TrainingScreen(config: cifarConfig(), dataAvailable: true), env: env())
    let text = app.render(width: 120, height: 40).text
    // Conv2D(32, 3, padding same) on 3 channels: 3*3*3*32 + 32 = 896 weights, 32x32 maps;
    // flatten 8*8*64 = 4,096 inputs to dense(128): 524,416.
    XCTAssertTrue(text.contains("(None, 32, 32, 32) 896"), text)
    XCTAssertTrue(text.contains("524,416"), text)
    XCTAssertTrue(text.contains("CIFAR-10"), text)
    try check(app, "training-cifar-setup")
    let missing = PlaygroundApp(root: TrainingScreen(config: cifarConfig(), dataAvailable: false), env: env())
    XCTAssertTrue(missing.render(width: 80, height: 24).text.contains("convplay data fetch cifar10"))
  }

  func testColourDashboardNamesClassesAndDrawsColour() throws {
    var app = PlaygroundApp(root: try liveColorScreen(), env: env())
    app.send(.key(.char("2")))
    let confusion = app.render(width: 80, height: 24).text
    XCTAssertTrue(confusion.contains("3 cat"), confusion)
    XCTAssertTrue(confusion.contains("1 automobi"), confusion)
    try check(app, "training-cifar-confusion")
    var es = PlaygroundApp(root: try liveColorScreen(), env: env(.es))
    es.send(.key(.char("2")))
    let spanish = es.render(width: 120, height: 40).text
    XCTAssertTrue(spanish.contains("3 gato"), spanish)
    XCTAssertTrue(spanish.contains("gato→perro"), spanish)
    try check(es, "training-cifar-confusion-es", sizes: [(120, 40)])
    app.send(.key(.char("3")))
    let gallery = app.render(width: 120, height: 40)
    XCTAssertTrue(gallery.text.contains("cat→dog"), gallery.text)
    // A colour picture: half blocks in a colour of the palette's cube that is not a gray.
    func hue(_ c: Color?) -> Bool {
      guard let i = c.map({ Int($0.index) - 16 }), i >= 0, i < 216 else { return false }
      return !(i / 36 == (i / 6) % 6 && i % 6 == i / 36)
    }
    let colored = gallery.cells.contains { $0.char == "▀" && hue($0.style.fg) }
    XCTAssertTrue(colored, "the misclassified images are drawn with colour half blocks")
    try check(app, "training-cifar-errors")
    app.send(.key(.char("4")))
    XCTAssertTrue(app.render(width: 80, height: 24).text.contains("4 of 4, 3x3x3"))
    try check(app, "training-cifar-filters")
    app.send(.key(.char("c")))
    XCTAssertEqual((app.top as? TrainingScreen)?.filterMode, .channels)
    XCTAssertTrue(app.render(width: 80, height: 24).text.contains("R G B channels apart"))
    try check(app, "training-cifar-channels")
  }

  func finetuneConfig() -> TrainingConfig {
    TrainingConfig(
      modelName: "cnn", spec: ModelZoo.named("cnn")!.spec, dataset: .fashionMNIST, epochs: 3,
      finetune: FineTuneSettings(plan: FineTuningPlan(freezeEpochs: 1, finetuneEpochs: 1)))
  }

  /// The built-in model with a new 10-unit head: 18,816 base weights frozen, 16,010 train.
  func testFinetuneSetupAndPhasesShowFrozenLayers() throws {
    var app = PlaygroundApp(root: TrainingScreen(config: finetuneConfig(), dataAvailable: true), env: env())
    let setup = app.render(width: 120, height: 40).text
    XCTAssertTrue(setup.contains("dense_new (Dense)              (None, 10)         16,010   Y"), setup)
    XCTAssertTrue(setup.contains("conv2d (Conv2D)                (None, 26, 26, 32) 320      N"), setup)
    XCTAssertTrue(setup.contains("non-trainable: 18,816"), setup)
    XCTAssertTrue(setup.contains("Frozen epochs"), setup)
    try check(app, "training-finetune-setup")
    let narrow = app.render(width: 80, height: 24).text
    XCTAssertTrue(narrow.contains("*conv2d "), narrow)
    XCTAssertTrue(narrow.contains(" dense_new "), narrow)
    XCTAssertTrue(narrow.contains("non-trainable: 18,816 (* frozen)"), narrow)
    var screen = try XCTUnwrap(app.top as? TrainingScreen)
    let layers = screen.config.spec.layers.map(\.name)
    screen.apply(.loading)
    screen.apply(.loaded(training: 900, validation: 100, test: 1000))
    screen.apply(.classes(Dataset.fashionMNIST.classNames))
    let counts1 = ParameterCount(total: 34826, trainable: 16010)
    screen.apply(.phase(FineTuningPhase(
      number: 1, epochs: 1, learningRate: 0.001, counts: counts1, trainable: layers.indices.map { $0 == layers.count - 1 }),
      layers: layers))
    screen.apply(.training(.epochStarted(epoch: 1, epochs: 1, batches: 8)))
    screen.apply(.training(.epochEnded(try Self.metrics(loss: 0.9, accuracy: 0.7, validation: nil, seconds: 2, images: 900))))
    screen.apply(.phaseEnded(number: 1, testAccuracy: 0.7421))
    screen.apply(.phase(FineTuningPhase(
      number: 2, epochs: 1, learningRate: 0.0001, counts: ParameterCount(total: 34826, trainable: 34826),
      trainable: layers.map { _ in true }), layers: layers))
    screen.apply(.training(.epochStarted(epoch: 1, epochs: 1, batches: 8)))
    screen.apply(.training(.batchEnded(epoch: 1, batch: 2, batches: 8, loss: 0.7, accuracy: 0.75, seconds: 0.5)))
    app = PlaygroundApp(root: screen, env: env())
    let live = app.render(width: 120, height: 40).text
    XCTAssertTrue(live.contains("Epoch 2/2"), live)
    XCTAssertTrue(live.contains("· trainable 16,010 · non-trainable 18,816 · test accuracy 0.7421"), live)
    XCTAssertTrue(live.contains("Phase 2/2: all layers train · trainable 34,826 · non-trainable 0"), live)
    XCTAssertTrue(live.contains("┊ phase 2 starts"), live)
    try check(app, "training-finetune-phase2")
    app.send(.key(.char("5")))
    let table = app.render(width: 80, height: 24).text
    XCTAssertTrue(table.contains("Trainable"), table)
    try check(app, "training-finetune-layers")
  }

  /// The Base row's second choice fine-tunes the built-in model; its first trains the model again.
  func testBaseRowSwitchesToFinetuningAndBack() throws {
    var app = PlaygroundApp(
      root: TrainingScreen(config: TrainingConfig(modelName: "softmax", spec: ModelZoo.named("softmax")!.spec), dataAvailable: true),
      env: env())
    app.send(keys: Key.script("Up Right"))  // the Base row (the last): none -> digits
    var screen = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertNotNil(screen.config.finetune)
    XCTAssertNil(screen.config.finetune?.pretrained)
    XCTAssertEqual(try screen.config.spec.parameterCount(), ParameterCount(total: 34826, trainable: 16010))
    XCTAssertTrue(app.render(width: 80, height: 24).text.contains("Frozen epochs"))
    app.send(keys: Key.script("Left"))
    screen = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertNil(screen.config.finetune)
    XCTAssertEqual(screen.config.modelName, "softmax")
    XCTAssertEqual(try screen.config.spec.parameterCount().total, 7850)
  }

  func run(_ screen: inout TrainingScreen, file: StaticString = #filePath, line: UInt = #line) {
    TrainingScreenTests.runToTheEnd(&screen, env: env(), timeout: 90, file: file, line: line)
  }

  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-color-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  /// A real run on CIFAR-10 binary files: colour samples, 3-channel filters, class names.
  func testBackgroundRunOnCIFARFormatFiles() throws {
    let dir = try temporaryDirectory()
    try Self.writeCIFAR(in: dir, perFile: 40)
    var config = cifarConfig()
    config.spec = try ModelSpecParser.parse("conv2d(4, 3, relu) -> maxpool(4) -> flatten -> dense(10, softmax)", inputShape: [32, 32, 3])
    config.modelName = "spec"
    config.dataDirectory = dir.path
    config.batch = 20
    config.epochs = 3
    config.learningRate = 0.01
    config.limit = 200
    var screen = TrainingScreen(config: config, dataAvailable: nil, environment: [:])
    XCTAssertEqual(screen.classNames, CIFAR10.classNames)
    run(&screen)
    XCTAssertEqual(screen.history.count, 3)
    let e = try XCTUnwrap(screen.evaluation)
    XCTAssertEqual(e.filterChannels, 3)
    XCTAssertEqual(e.filters.count, 12)
    XCTAssertEqual(e.digits.count, 10)
    XCTAssertEqual(e.digits[0].channels, 3)
    XCTAssertEqual(e.featureMaps[0][0].width, 30)
    XCTAssertGreaterThan(screen.testAccuracies.last ?? 0, 0.3, "coloured squares are easy to tell apart")
  }

  /// A folder of PNGs (two classes, gray files read as colour): class names from the folders,
  /// the zoo model's head resized to two classes.
  func testBackgroundRunOnAFolder() throws {
    let dir = try temporaryDirectory()
    // Named like two CIFAR-10 classes: a folder's names are shown as written, never translated.
    for (c, name) in ["cat", "dog"].enumerated() {
      let sub = dir.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
      for i in 0..<12 {
        let v = Float(c == 0 ? 20 + i : 200 + i)
        let samples = (0..<(3 * 16 * 16)).map { p -> Float in p / 256 == 2 ? v / 2 : v }
        try ImageFile.write(Image(width: 16, height: 16, channels: 3, samples: samples), to: sub.appendingPathComponent("\(i).png").path)
      }
    }
    var config = TrainingConfig(
      modelName: "softmax", spec: ModelZoo.named("softmax")!.spec, dataset: .folder(dir.path), epochs: 2, batch: 8,
      folder: FolderSettings(height: 8, width: 8, gray: false, validationSplit: 0.25))
    config.validationSplit = 0
    var screen = TrainingScreen(config: config, dataAvailable: nil, environment: [:])
    XCTAssertEqual(screen.classNames, ["cat", "dog"])
    XCTAssertEqual(screen.config.spec.inputShape, [8, 8, 3])
    XCTAssertEqual(try screen.config.spec.rows().last?.outputShape, [2])
    run(&screen)
    let e = try XCTUnwrap(screen.evaluation)
    XCTAssertEqual(e.confusion.count, 2)
    XCTAssertEqual(e.confusion.flatMap { $0 }.reduce(0, +), 6)
    var app = PlaygroundApp(root: screen, env: env(.es))
    app.send(.key(.char("2")))
    let text = app.render(width: 100, height: 30).text
    XCTAssertTrue(text.contains("0 cat") && text.contains("1 dog"), text)
    XCTAssertFalse(text.contains("gato"), text)
  }

  /// Fine-tuning the built-in digits model on tiny IDX files: both phases run and report.
  func testBackgroundFinetuneRunsBothPhases() throws {
    // Synthetic files in MNIST's format: not the published ones, on purpose.
    setenv("CONVPLAY_TRUST_DATA", "1", 1)
    defer { unsetenv("CONVPLAY_TRUST_DATA") }
    let dir = try temporaryDirectory()
    try TrainingScreenTests.writeBarsIDX(in: dir, training: 120, test: 40)
    var config = finetuneConfig()
    config.dataset = .mnist
    config.dataDirectory = dir.path
    config.batch = 40
    config.finetune?.plan.batch = 40
    var screen = TrainingScreen(config: config, dataAvailable: nil, environment: [:])
    run(&screen)
    XCTAssertEqual(screen.history.map(\.epoch), [1, 2])
    XCTAssertEqual(Set(screen.phaseAccuracies.keys), [1, 2])
    XCTAssertEqual(screen.phaseInfo?.phase.number, 2)
    XCTAssertEqual(screen.phaseInfo?.phase.counts.nonTrainable, 0)
  }
}
