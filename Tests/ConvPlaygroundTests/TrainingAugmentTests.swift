import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import ConvTerminal
import ConvUserData
import Foundation
import XCTest

/// The dashboard's Augmentation row (`tui --screen train --augment`, as `train --augment`): its
/// choices, the line with the whole transform list, the run's header, the kept settings, and a
/// real run whose training images change every epoch while the test images do not.
final class TrainingAugmentTests: XCTestCase {
  func env(_ lang: Lang = .en) -> Env { Env(lang: lang, theme: Theme(colored: true)) }

  func cnn() -> TrainingConfig {
    TrainingConfig(modelName: "cnn", spec: ModelZoo.named("cnn")!.spec, dataset: .fashionMNIST)
  }

  func assertNoCutWords(_ app: PlaygroundApp, file: StaticString = #filePath, line: UInt = #line) {
    for (w, h) in [(80, 24), (120, 40)] {
      XCTAssertEqual(app.render(width: w, height: h).truncations.map { "\($0)" }, [], "\(w)x\(h)", file: file, line: line)
    }
  }

  /// The row below Images: none -> digits (rotate, shift, zoom) -> photos (and flip) -> none.
  func testRowCyclesThePresetsAndShowsTheTransforms() throws {
    for lang in [Lang.en, .es] {
      var app = PlaygroundApp(root: TrainingScreen(config: cnn(), dataAvailable: true), env: env(lang))
      app.send(keys: Key.script("Down Down Down Down Down Down Down Right"))
      var screen = try XCTUnwrap(app.top as? TrainingScreen)
      XCTAssertEqual(screen.config.augmentation?.description, "rotate=10,shift=0.1,zoom=0.1")
      XCTAssertEqual(screen.settings.augment, "rotate=10,shift=0.1,zoom=0.1")
      let text = app.render(width: 80, height: 24).text
      if lang == .en {
        XCTAssertTrue(text.contains("Augmentation") && text.contains("‹digits›"), text)
        XCTAssertTrue(text.contains("Augmentation, new in every epoch: rotate=10,shift=0.1,zoom=0.1"), text)
      } else {
        XCTAssertTrue(text.contains("Aumento de datos") && text.contains("‹dígitos›"), text)
        XCTAssertTrue(text.contains("Aumento de datos, nuevo en cada época: rotate=10,shift=0.1,zoom=0.1"), text)
      }
      assertNoCutWords(app)
      try TrainingScreenTests.checkSnapshots(app, "training-augment-\(lang.rawValue)", sizes: [(80, 24)])
      app.send(keys: Key.script("Right"))
      screen = try XCTUnwrap(app.top as? TrainingScreen)
      XCTAssertEqual(screen.config.augmentation?.description, "flip,rotate=10,shift=0.1,zoom=0.1")
      app.send(keys: Key.script("Right"))
      screen = try XCTUnwrap(app.top as? TrainingScreen)
      XCTAssertNil(screen.config.augmentation)
      XCTAssertFalse(app.render(width: 80, height: 24).text.contains("rotate="))
    }
  }

  /// Fine-tuning a pretrained base in Spanish at 80x24 has more rows than the box holds: the
  /// box shows whole rows around the selected one, with an arrow where more are, and never
  /// draws a row on its border.
  func testRowsScrollWhenTheyDoNotFit() throws {
    let config = TrainingConfig(
      modelName: "mobilenet", spec: ModelZoo.named("cnn")!.spec, dataset: .fashionMNIST,
      finetune: FineTuneSettings(
        plan: FineTuningPlan(freezeEpochs: 2, finetuneEpochs: 1), pretrained: PretrainedBaseChoice(base: "mobilenet", randomWeights: true)))
    var app = PlaygroundApp(root: TrainingScreen(config: config, dataAvailable: true), env: env(.es))
    var lines = app.render(width: 80, height: 24).text.split(separator: "\n", omittingEmptySubsequences: false)
    let bottom = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("└") })
    XCTAssertTrue(lines[bottom].contains("▼"), String(lines[bottom]))
    XCTAssertFalse(lines[bottom].contains("Aumento"))
    app.send(keys: Key.script("Up Right"))  // the last row: Augmentation
    XCTAssertNotNil((app.top as? TrainingScreen)?.config.augmentation)
    lines = app.render(width: 80, height: 24).text.split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertTrue(lines[1].contains("▲"), String(lines[1]))
    XCTAssertTrue(lines.contains { $0.hasPrefix("│ Aumento de datos") })
    XCTAssertTrue(lines.contains { $0.contains("‹dígitos›") })
    assertNoCutWords(app)
    try TrainingScreenTests.checkSnapshots(app, "training-augment-base-es", sizes: [(80, 24)])
  }

  /// A list given on the command line stays among the choices, and comes back with the settings.
  func testGivenListIsKeptAndRestored() throws {
    var config = cnn()
    config.augmentation = try Augmentation(parsing: "zoom=0.2")
    let screen = TrainingScreen(config: config, dataAvailable: true)
    XCTAssertEqual(screen.settings.augment, "zoom=0.2")
    let reopened = TrainingScreen(settings: screen.settings)
    XCTAssertEqual(reopened.config.augmentation, config.augmentation)
    var app = PlaygroundApp(root: screen, env: env())
    XCTAssertTrue(app.render(width: 80, height: 24).text.contains("--augment"))
    app.send(keys: Key.script("Down Down Down Down Down Down Down Right Right Right Right"))
    XCTAssertEqual((app.top as? TrainingScreen)?.config.augmentation, config.augmentation)
    // A settings file with a list that no longer parses opens without augmentation.
    var broken = screen.settings
    broken.augment = "spin=3"
    XCTAssertNil(TrainingScreen(settings: broken).config.augmentation)
  }

  /// A real run on a small folder: two epochs with augmentation; the header names it, the
  /// history has both epochs with validation, and the test set is evaluated after each.
  func testRealRunWithAugmentation() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-augment-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    var rng = RandomSource(seed: 5)
    for (part, count) in [("train", 40), ("test", 10)] {
      for i in 0..<count {
        let folder = dir.appendingPathComponent(part).appendingPathComponent("c\(i % 2)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let samples = (0..<64).map { k in (k % 8 < 4) == (i % 2 == 0) ? 220 + 20 * rng.nextSymmetric(1) : 30 }
        try ImageFile.write(Image(width: 8, height: 8, channels: 1, samples: samples), to: folder.appendingPathComponent("\(i).png").path)
      }
    }
    var config = TrainingConfig(
      modelName: "spec", spec: try ModelSpecParser.parse("conv2d(4,3,relu) -> flatten -> dense(2,softmax)", inputShape: [8, 8, 1]),
      dataset: .folder(dir.path), epochs: 2, batch: 8)
    config.folder = FolderSettings(height: 8, width: 8, gray: true)
    config.augmentation = try Augmentation(parsing: "flip,shift=0.2")
    var screen = TrainingScreen(config: config, dataAvailable: nil, environment: [:])
    let app = TrainingScreenTests.runToTheEnd(&screen, env: env(), timeout: 60)
    XCTAssertEqual(screen.history.map(\.epoch), [1, 2])
    XCTAssertTrue(screen.history.allSatisfy { $0.validationLoss != nil })
    XCTAssertEqual(screen.testEpochs, [1, 2])
    XCTAssertTrue(app.render(width: 120, height: 40).text.contains("augment flip,shift=0.2"))
  }
}
