import ConvData
import ConvKit
import ConvPlayground
import ConvTerminal
import Foundation
import XCTest

/// The training dashboard and the digit canvas: text snapshots before and after synthetic
/// training events, the worker's per-epoch evaluation against `Network.evaluate`, and a real
/// background run on a tiny IDX data set written to a temporary folder.
final class TrainingScreenTests: XCTestCase {
  static let conv = "conv2d(4, 3, relu) -> maxpool(2) -> flatten -> dense(10, softmax)"

  /// Ten classes of 28x28 images: class c lights rows 2c...2c+3 (plus a little noise).
  static func bars(_ n: Int, seed: UInt64 = 1) -> LabeledImages {
    var state = seed
    func noise() -> Float {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(state >> 40) / Float(1 << 24) * 0.1
    }
    var values: [Float] = []
    var labels: [Int] = []
    for i in 0..<n {
      let c = i % 10
      labels.append(c)
      for y in 0..<28 { for _ in 0..<28 { values.append((y >= 2 * c + 4 && y < 2 * c + 8) ? 1 : noise()) } }
    }
    return LabeledImages(images: Tensor(shape: [n, 28, 28, 1], scalars: values), labels: labels)
  }

  func config() throws -> TrainingConfig {
    TrainingConfig(modelName: "cnn", spec: ModelZoo.named("cnn")!.spec, epochs: 3, batch: 128)
  }

  /// A screen fed the events of epoch 1 and part of epoch 2, with fixed numbers.
  func liveScreen() throws -> TrainingScreen { try Self.liveScreen() }

  static func liveScreen() throws -> TrainingScreen {
    let config = TrainingConfig(modelName: "cnn", spec: ModelZoo.named("cnn")!.spec, epochs: 3, batch: 128)
    var screen = TrainingScreen(config: config, dataAvailable: true)
    // One real epoch gives an EpochMetrics value; its numbers are then fixed for the snapshot.
    let net = try Network(spec: ModelSpecParser.parse(conv, inputShape: [28, 28, 1]), seed: 0)
    var metrics = try XCTUnwrap(net.fit(bars(20), epochs: 1, batchSize: 10, optimizer: Adam()).first)
    metrics.loss = 0.6
    metrics.accuracy = 0.8
    metrics.validationLoss = 0.5
    metrics.validationAccuracy = 0.85
    metrics.seconds = 4
    metrics.images = 900
    screen.apply(.loading)
    screen.apply(.loaded(training: 900, validation: 100, test: 1000))
    screen.apply(.training(.epochStarted(epoch: 1, epochs: 3, batches: 8)))
    for b in 1...8 {
      screen.apply(.training(.batchEnded(
        epoch: 1, batch: b, batches: 8, loss: 2.3 - 0.2 * Double(b), accuracy: 0.1 * Double(b), seconds: 0.5 * Double(b))))
    }
    screen.apply(.training(.epochEnded(metrics)))
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
    for i in 0..<10 { confusion[i][i] = 90 + i }
    confusion[4][9] = 7
    confusion[7][1] = 3
    let seven = (0..<784).map { i -> Float in (i / 28 == 6 && i % 28 > 6 && i % 28 < 22) || (i % 28 == 20 - i / 28 / 2 && i / 28 > 6) ? 1 : 0 }
    let filters = (0..<4).map { f in GrayPlane(width: 3, height: 3, values: (0..<9).map { Float(($0 + f) % 3) - 1 }) }
    let maps = (0..<4).map { f in GrayPlane(width: 26, height: 26, values: (0..<676).map { Float(($0 / 26 + f) % 5) }) }
    let digits = (0..<10).map { DigitSample(pixels: seven, width: 28, height: 28, truth: $0, predicted: $0) }
    screen.apply(.evaluated(EpochEvaluation(
      epoch: 1, testLoss: 0.4, testAccuracy: 0.9123, confusion: confusion,
      misclassified: [DigitSample(pixels: seven, width: 28, height: 28, truth: 7, predicted: 1)],
      filters: filters, digits: digits, featureMaps: Array(repeating: maps, count: 10))))
    screen.apply(.training(.epochStarted(epoch: 2, epochs: 3, batches: 8)))
    screen.apply(.training(.batchEnded(epoch: 2, batch: 4, batches: 8, loss: 0.45, accuracy: 0.88, seconds: 2)))
    return screen
  }

  func check(_ app: PlaygroundApp, _ name: String, sizes: [(Int, Int)] = [(80, 24), (100, 30)]) throws {
    try Self.checkSnapshots(app, name, sizes: sizes)
  }

  /// Compares the app's text frames with the stored snapshots (CONVPLAY_RECORD_SNAPSHOTS=1
  /// writes them instead).
  static func checkSnapshots(_ app: PlaygroundApp, _ name: String, sizes: [(Int, Int)]) throws {
    let record = ProcessInfo.processInfo.environment["CONVPLAY_RECORD_SNAPSHOTS"] == "1"
    for (w, h) in sizes {
      let text = app.render(width: w, height: h).text + "\n"
      let file = SnapshotTests.directory.appendingPathComponent("\(name)-\(w)x\(h).txt")
      if record {
        try text.write(to: file, atomically: true, encoding: .utf8)
        continue
      }
      let expected = try? String(contentsOf: file, encoding: .utf8)
      XCTAssertEqual(expected, text, "\(file.lastPathComponent) differs (re-record with CONVPLAY_RECORD_SNAPSHOTS=1)")
    }
  }

  func env(_ lang: Lang = .en) -> Env { Env(lang: lang, theme: Theme(colored: true)) }

  func testSetupShowsSummaryAndParameterCount() throws {
    let app = PlaygroundApp(root: TrainingScreen(config: try config(), dataAvailable: true), env: env())
    let text = app.render(width: 100, height: 30).text
    // cnn: conv 320 + conv 18,496 + dense 401,536 + dense 1,290 = 421,642 (as Keras's summary).
    XCTAssertTrue(text.contains("421,642"), text)
    XCTAssertTrue(text.contains("conv2d (Conv2D)"), text)
    try check(app, "training-setup")
  }

  func testSettingsChangeWithArrowsAndATypedSpec() throws {
    var app = PlaygroundApp(root: TrainingScreen(config: try config(), dataAvailable: true), env: env())
    app.send(keys: Key.script("Left Down Down Right Right"))
    var screen = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertEqual(screen.config.modelName, "mlp")
    XCTAssertEqual(screen.config.epochs, 5)
    app.send(keys: [.char("t")] + "flatten -> dense(10, softmax)".map { Key.char($0) } + [.enter])
    screen = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertEqual(screen.config.modelName, "spec")
    XCTAssertEqual(try screen.config.spec.parameterCount().total, 7850)
    // A bad spec keeps the screen in the text field with the parser's message.
    app.send(keys: [.char("t")] + "dense(".map { Key.char($0) } + [.enter])
    XCTAssertTrue(app.top.capturesAllKeys)
    app.send(.key(.escape))
    XCTAssertFalse(app.top.capturesAllKeys)
  }

  func testMissingDataSaysHowToGetIt() throws {
    let app = PlaygroundApp(root: TrainingScreen(config: try config(), dataAvailable: false), env: env())
    let text = app.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("convplay data fetch mnist"), text)
    XCTAssertTrue(text.contains("Press f"), text)
    let es = PlaygroundApp(root: TrainingScreen(config: try config(), dataAvailable: false), env: env(.es))
    XCTAssertTrue(es.render(width: 80, height: 24).text.contains("convplay data fetch mnist"))
  }

  func testDashboardAfterSyntheticEvents() throws {
    var app = PlaygroundApp(root: try liveScreen(), env: env())
    let text = app.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("Epoch 2/3"), text)
    XCTAssertTrue(text.contains("Batch 4/8"), text)
    // 4 batches in 2 s: 0.5 s a batch, 4 + 8 batches left: 6 s; 4 x 128 images in 2 s.
    XCTAssertTrue(text.contains("ETA 6s"), text)
    XCTAssertTrue(text.contains("256 images/s"), text)
    XCTAssertTrue(text.contains("1: 0.9123"), text)
    try check(app, "training-curves")
    app.send(.key(.char("2")))
    let confusion = app.render(width: 80, height: 24).text
    XCTAssertTrue(confusion.contains("   99"), confusion)
    try check(app, "training-confusion")
    app.send(.key(.char("3")))
    XCTAssertTrue(app.render(width: 80, height: 24).text.contains("7→1"))
    app.send(.key(.char("4")))
    try check(app, "training-filters")
  }

  func testDigitCanvasPredictsWithTheBuiltInModel() throws {
    var app = PlaygroundApp(root: DigitScreen(), env: env())
    try check(app, "digit-empty", sizes: [(80, 24)])
    // A vertical stroke from row 6 to row 22 in column 14: a 1.
    app.send(keys: Key.script("d"))
    for _ in 0..<8 { app.send(.key(.up)) }
    app.send(keys: Key.script("d"))
    for _ in 0..<8 { app.send(.key(.down)) }
    app.send(keys: [.char("d")])
    for _ in 0..<8 { app.send(.key(.down)) }
    let screen = try XCTUnwrap(app.top as? DigitScreen)
    XCTAssertEqual(screen.top.count, 3)
    XCTAssertEqual(screen.top.first?.label, 1, "\(screen.top)")
    try check(app, "digit-one", sizes: [(80, 24)])
    app.send(.key(.char("c")))
    XCTAssertTrue((app.top as? DigitScreen)?.top.isEmpty == true)
  }

  /// The per-epoch evaluation agrees with `Network.evaluate` and its confusion matrix adds up.
  func testEpochEvaluationMatchesNetworkEvaluate() throws {
    let net = try Network(spec: ModelSpecParser.parse(Self.conv, inputShape: [28, 28, 1]), seed: 3)
    try net.fit(Self.bars(100), epochs: 1, batchSize: 20, optimizer: Adam())
    let test = Self.bars(60, seed: 9)
    let e = TrainingSession.evaluate(net, on: test, epoch: 1, digitIndices: Array(0..<10))
    let reference = try net.evaluate(test)
    XCTAssertEqual(e.testAccuracy, reference.accuracy, accuracy: 1e-12)
    XCTAssertEqual(e.testLoss, reference.loss, accuracy: 1e-4)
    XCTAssertEqual(e.confusion.flatMap { $0 }.reduce(0, +), 60)
    XCTAssertEqual((0..<10).map { e.confusion[$0][$0] }.reduce(0, +), Int((reference.accuracy * 60).rounded()))
    XCTAssertEqual(e.misclassified.count, min(24, 60 - Int((reference.accuracy * 60).rounded())))
    XCTAssertEqual(e.filters.count, 4)
    XCTAssertEqual(e.filters[0].width, 3)
    XCTAssertEqual(e.featureMaps.count, 10)
    XCTAssertEqual(e.featureMaps[0].count, 4)
    XCTAssertEqual(e.featureMaps[0][0].width, 26)
  }

  /// MNIST-format files (IDX, not gzipped) of `bars` in `dir`.
  static func writeBarsIDX(in dir: URL, training: Int, test: Int) throws {
    for (prefix, n) in [("train", training), ("t10k", test)] {
      let d = bars(n, seed: UInt64(n))
      let bytes = d.images.scalars.map { UInt8(min(255, max(0, $0 * 255))) }
      try IDXArray(dimensions: [n, 28, 28], bytes: bytes).encoded()
        .write(to: dir.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
      try IDXArray(dimensions: [n], bytes: d.labels.map { UInt8($0) }).encoded()
        .write(to: dir.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
    }
  }

  /// Starts the screen's run (Enter) in an app, whose workers perform the start command, and
  /// delivers the worker's messages as the app loop does, until the run finishes (a failure
  /// fails the test). Returns the app (its workers hold the trained network).
  @discardableResult
  static func runToTheEnd(
    _ screen: inout TrainingScreen, env e: Env, timeout: Double, file: StaticString = #filePath, line: UInt = #line
  ) -> PlaygroundApp {
    var probe = screen
    guard case .perform(.startTraining) = probe.update(.key(.enter), env: e) else {
      XCTFail("Enter did not start a run", file: file, line: line)
      return PlaygroundApp(root: screen, env: e)
    }
    var app = PlaygroundApp(root: screen, env: e)
    app.send(.key(.enter))
    let deadline = Date().addingTimeInterval(timeout)
    while (app.top as? TrainingScreen)?.phase != .finished && Date() < deadline {
      usleep(20_000)
      app.deliverWorkerMessages()
      if case .failed(let why) = (app.top as? TrainingScreen)?.phase { XCTFail(why, file: file, line: line); break }
    }
    screen = app.top as! TrainingScreen
    XCTAssertEqual(screen.phase, .finished, file: file, line: line)
    return app
  }

  /// A real run on the worker thread: tiny IDX files in a temporary folder, events drained as
  /// the app loop does, then the model saved and loaded back.
  func testBackgroundRunFinishesAndSaves() throws {
    // Synthetic files in MNIST's format: not the published ones, on purpose.
    setenv("CONVPLAY_TRUST_DATA", "1", 1)
    defer { unsetenv("CONVPLAY_TRUST_DATA") }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-dash-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.writeBarsIDX(in: dir, training: 200, test: 50)
    let spec = try ModelSpecParser.parse(Self.conv, inputShape: [28, 28, 1])
    var config = TrainingConfig(modelName: "spec", spec: spec, epochs: 2, batch: 20, dataDirectory: dir.path)
    config.seed = 1
    let file = dir.appendingPathComponent("model.safetensors").path
    var screen = TrainingScreen(config: config, dataAvailable: nil, savePath: file, environment: [:])
    var app = Self.runToTheEnd(&screen, env: env(), timeout: 60)
    XCTAssertEqual(screen.history.count, 2)
    XCTAssertEqual(screen.testAccuracies.count, 2)
    XCTAssertGreaterThan(screen.testAccuracies.last ?? 0, 0.5, "bars are easy to learn")
    // w saves through the runner's worker; the result comes back as a message.
    app.send(.key(.char("w")))
    XCTAssertTrue(app.render(width: 100, height: 30).text.contains("Saved"), app.render(width: 100, height: 30).text)
    let loaded = try ModelFile.load(URL(fileURLWithPath: file))
    XCTAssertEqual(loaded.network.sequential!, spec)
  }
}
