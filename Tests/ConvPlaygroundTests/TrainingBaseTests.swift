import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import ConvTerminal
import ConvUserData
import Foundation
import XCTest

/// The training dashboard's pretrained base (`convplay finetune --base` on the screen): the
/// Base, Weights and Unfreeze rows, the message and the offer when Keras's cache has no
/// weights, the phases with Keras's counts and the marker where phase 2 starts, a real run on
/// random weights; snapshots at 80x24 and 120x40 in English and Spanish.
final class TrainingBaseTests: XCTestCase {
  /// Keras's cache is a folder that does not exist: the weights are missing whatever this
  /// computer holds, and the message (with its path) is the same on every computer.
  override func setUp() { setenv("KERAS_HOME", "/nonexistent-keras-home-of-convplay", 1) }

  override func tearDown() { unsetenv("KERAS_HOME") }

  func env(_ lang: Lang = .en) -> Env { Env(lang: lang, theme: Theme(colored: true)) }

  func check(_ app: PlaygroundApp, _ name: String) throws {
    try TrainingScreenTests.checkSnapshots(app, name, sizes: [(80, 24), (120, 40)])
  }

  /// No text of the frame was cut, at both sizes.
  func assertNoCutWords(_ app: PlaygroundApp, file: StaticString = #filePath, line: UInt = #line) {
    for (w, h) in [(80, 24), (120, 40)] {
      XCTAssertEqual(app.render(width: w, height: h).truncations.map { "\($0)" }, [], "\(w)x\(h)", file: file, line: line)
    }
  }

  func mobilenet(random: Bool = false) -> TrainingConfig {
    TrainingConfig(
      modelName: "mobilenet", spec: ModelZoo.named("cnn")!.spec, dataset: .fashionMNIST,
      finetune: FineTuneSettings(
        plan: FineTuningPlan(freezeEpochs: 2, finetuneEpochs: 1),
        pretrained: PretrainedBaseChoice(base: "mobilenet", randomWeights: random)))
  }

  /// From the plain form, the Base row's previous choice (it wraps) is mobilenet: its summary
  /// on 32x32 images with the new head, the missing weights' message, r for random weights;
  /// the settings come back when the screen is reopened; the next choice returns to cnn.
  func testBaseRowOffersAPretrainedNetwork() throws {
    var app = PlaygroundApp(
      root: TrainingScreen(config: TrainingConfig(modelName: "cnn", spec: ModelZoo.named("cnn")!.spec, dataset: .fashionMNIST), dataAvailable: true),
      env: env())
    app.send(keys: Key.script("Up Left"))  // the Base row (the last), none -> (wraps) mobilenet
    var screen = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertEqual(screen.config.finetune?.pretrained?.base, "mobilenet")
    XCTAssertEqual(screen.config.limit, 1000)
    let text = app.render(width: 120, height: 40).text
    // Dense(256) on 1,024 pooled features, Dense(10): 264,970 train; the base's 3,228,864 do not.
    XCTAssertTrue(text.contains("Total params: 3,493,834 (trainable: 264,970)"), text)
    XCTAssertTrue(text.contains("non-trainable: 3,228,864"), text)
    XCTAssertTrue(text.contains("no weights for mobilenet on this computer"), text)
    XCTAssertTrue(text.contains("Press r to continue with random weights"), text)
    assertNoCutWords(app)
    try check(app, "training-base-missing")
    app.send(.key(.char("r")))
    screen = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertEqual(screen.config.finetune?.pretrained?.randomWeights, true)
    XCTAssertTrue(app.render(width: 80, height: 24).text.contains("Random weights (Glorot uniform, seed 0)"))
    app.send(keys: Key.script("Down Down Right"))  // Unfreeze: all -> last 3
    screen = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertEqual(screen.config.finetune?.pretrained?.unfreeze, .top(3))
    var spanish = PlaygroundApp(root: screen, env: env(.es))
    XCTAssertTrue(spanish.render(width: 80, height: 24).text.contains("Descongelar   ‹últimas 3›"))
    assertNoCutWords(spanish)
    try check(spanish, "training-base-random-es")
    // Reopened: the kept settings give the same base, weights and unfreeze.
    let reopened = TrainingScreen(settings: screen.settings, environment: [:])
    XCTAssertEqual(reopened.config.finetune?.pretrained, screen.config.finetune?.pretrained)
    // The Base row: mobilenet -> (wraps) none, the zoo model chosen before.
    spanish.send(keys: Key.script("Up Up Right"))
    screen = try XCTUnwrap(spanish.top as? TrainingScreen)
    XCTAssertNil(screen.config.finetune)
    XCTAssertEqual(screen.config.modelName, "cnn")
    XCTAssertNil(screen.config.testLimit)
  }

  /// A run as the worker reports it: each phase's line with its counts, the feature
  /// extraction, the test accuracy per step and the dotted line where phase 2 starts.
  func testRunShowsEachPhaseWithItsCounts() throws {
    var screen = TrainingScreen(config: mobilenet(random: true), dataAvailable: true)
    let graph = try XCTUnwrap(screen.config.finetune?.pretrained).model(imageShape: [28, 28, 1], classes: 10)
    let nodes = graph.nodes.filter { !$0.isInput }
    XCTAssertEqual(screen.update(.key(.enter), env: env()), .perform(.startTraining(screen.config)))
    screen.apply(.loading)
    screen.apply(.loaded(training: 900, validation: 100, test: 1000))
    screen.apply(.classes(Dataset.fashionMNIST.classNames))
    screen.apply(.phase(FineTuningPhase(
      number: 1, epochs: 2, learningRate: 0.001, counts: ParameterCount(total: 3_493_834, trainable: 264_970),
      trainable: nodes.map(\.trainable)), layers: nodes.map(\.name)))
    screen.apply(.extracting(done: 400, of: 1000))
    var app = PlaygroundApp(root: screen, env: env())
    XCTAssertTrue(app.render(width: 80, height: 24).text.contains("feature extraction: 400/1,000 images through the base"))
    screen.apply(.extracted(images: 1000, seconds: 1.5))
    for epoch in 1...2 {
      screen.apply(.training(.epochStarted(epoch: epoch, epochs: 2, batches: 8)))
      screen.apply(.training(.batchEnded(epoch: epoch, batch: 8, batches: 8, loss: 2.0 - 0.3 * Double(epoch), accuracy: 0.3, seconds: 0.1)))
      var m = try TrainingColorTests.metrics(
        loss: 2.0 - 0.3 * Double(epoch), accuracy: 0.3, validation: (1.9, 0.3), seconds: 0.1, images: 900)
      m.epoch = epoch
      screen.apply(.training(.epochEnded(m)))
    }
    screen.apply(.phaseEnded(number: 1, testAccuracy: 0.3125))
    screen.apply(.evaluated(EpochEvaluation(
      epoch: 1, testLoss: 1.9, testAccuracy: 0.3125, confusion: Array(repeating: Array(repeating: 0, count: 10), count: 10))))
    screen.apply(.phase(FineTuningPhase(
      number: 2, epochs: 1, learningRate: 0.0001, counts: ParameterCount(total: 3_493_834, trainable: 3_471_946),
      trainable: nodes.map { _ in true }), layers: nodes.map(\.name)))
    screen.apply(.training(.epochStarted(epoch: 1, epochs: 1, batches: 8)))
    screen.apply(.training(.batchEnded(epoch: 1, batch: 4, batches: 8, loss: 1.2, accuracy: 0.5, seconds: 2)))
    XCTAssertEqual(screen.testEpochs, [2])
    app = PlaygroundApp(root: screen, env: env())
    let text = app.render(width: 120, height: 40).text
    XCTAssertTrue(text.contains(
      "Phase 1/2: base frozen (85 of 88 layers) · trainable 264,970 · non-trainable 3,228,864 · test accuracy 0.3125"), text)
    XCTAssertTrue(text.contains("Phase 2/2: all layers train · trainable 3,471,946 · non-trainable 21,888"), text)
    XCTAssertTrue(text.contains("┊ phase 2 starts"), text)
    XCTAssertTrue(text.contains("Epoch 3/3"), text)
    assertNoCutWords(app)
    try check(app, "training-base-run")
    let spanish = PlaygroundApp(root: screen, env: env(.es))
    let es = spanish.render(width: 120, height: 40).text
    XCTAssertTrue(es.contains("Fase 1/2: base congelada (85 de 88 capas) · entrenables 264,970 · no entrenables 3,228,864"), es)
    XCTAssertTrue(es.contains("┊ empieza la fase 2"), es)
    assertNoCutWords(spanish)
    try check(spanish, "training-base-run-es")
    app.send(.key(.char("5")))
    XCTAssertTrue(app.render(width: 120, height: 40).text.contains("dense_1"))
    assertNoCutWords(app)
  }

  /// A real run on the worker: MobileNet with random weights on 32x32 images of a small folder,
  /// both phases, each evaluated once, the counts as Keras gives them.
  func testRealRunOnRandomWeights() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-base-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    var rng = RandomSource(seed: 3)
    for (part, count) in [("train", 40), ("test", 20)] {
      for i in 0..<count {
        let folder = dir.appendingPathComponent(part).appendingPathComponent("c\(i % 2)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let samples = (0..<(3 * 64)).map { k in (k / 64 == i % 2 ? 200 : 40) + 40 * rng.nextSymmetric(1) }
        try ImageFile.write(Image(width: 8, height: 8, channels: 3, samples: samples), to: folder.appendingPathComponent("\(i).png").path)
      }
    }
    var config = mobilenet(random: true)
    config.dataset = .folder(dir.path)
    config.folder = FolderSettings(height: 8, width: 8)
    config.finetune?.pretrained?.dense = 4
    config.batch = 8
    config.finetune?.plan.batch = 8
    var screen = TrainingScreen(config: config, dataAvailable: nil, environment: [:])
    let started = Date()
    _ = TrainingScreenTests.runToTheEnd(&screen, env: env(), timeout: 120)
    print("dashboard run, mobilenet (random weights) on 36+4 images at 32x32, 2+1 epochs: "
      + String(format: "%.1f s", Date().timeIntervalSince(started)))
    XCTAssertEqual(screen.phases.keys.sorted(), [1, 2])
    XCTAssertEqual(screen.phases[1]?.counts.trainable, 1024 * 4 + 4 + 4 * 2 + 2)
    XCTAssertEqual(screen.phases[1]?.counts.nonTrainable, 3_228_864)
    XCTAssertEqual(screen.phases[2]?.counts.nonTrainable, 21_888)
    XCTAssertEqual(screen.history.map(\.epoch), [1, 2, 3])
    XCTAssertEqual(screen.testEpochs, [2, 3])
    XCTAssertEqual(Set(screen.phaseAccuracies.keys), [1, 2])
    let e = try XCTUnwrap(screen.evaluation)
    XCTAssertEqual(e.confusion.flatMap { $0 }.reduce(0, +), 20)
    // The gallery shows the images as loaded (8x8, 0...1), not as MobileNet reads them.
    XCTAssertEqual(e.digits.first?.width, 8)
    XCTAssertTrue(e.digits.allSatisfy { $0.pixels.allSatisfy { (0...1).contains($0) } })
  }
}
