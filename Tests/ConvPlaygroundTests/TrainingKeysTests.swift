import ConvData
import ConvKit
import ConvPlayground
import ConvTerminal
import ConvUserData
import Foundation
import XCTest

/// The training screen's keys act only on what is shown, the spec field captures every key,
/// leaving a run asks first, settings survive a visit (memory and the user-data file), and the
/// dashboard's pictures say what they draw (epoch axis, confusion scales, counts drawn).
final class TrainingKeysTests: XCTestCase {
  func env(_ lang: Lang = .en, settings: TrainingSettingsKeeper = TrainingSettingsKeeper()) -> Env {
    Env(lang: lang, theme: Theme(colored: true), trainingSettings: settings)
  }

  func config() -> TrainingConfig {
    TrainingConfig(modelName: "cnn", spec: ModelZoo.named("cnn")!.spec, epochs: 3, batch: 128)
  }

  /// A screen whose run on MNIST finished (synthetic events).
  func finishedScreen() throws -> TrainingScreen {
    var screen = try TrainingScreenTests.liveScreen()
    screen.apply(.finished)
    return screen
  }

  func testAfterARunArrowsChangeNoHiddenSettingAndTheHeaderNamesTheRunsDataSet() throws {
    var app = PlaygroundApp(root: try finishedScreen(), env: env())
    let before = try XCTUnwrap(app.top as? TrainingScreen).config
    app.send(keys: Key.script("Down Right Right Left Up Right"))
    let screen = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertEqual(screen.config, before, "arrows behind the dashboard changed a setting")
    XCTAssertTrue(app.render(width: 80, height: 24).text.contains("cnn · MNIST"))
    // e goes back to the form; there the data set changes, and the form says so.
    app.send(.key(.char("e")))
    XCTAssertEqual((app.top as? TrainingScreen)?.phase, .setup)
    app.send(keys: Key.script("Down Right"))
    XCTAssertEqual((app.top as? TrainingScreen)?.config.dataset, .fashionMNIST)
    let form = app.render(width: 80, height: 24).text
    XCTAssertTrue(form.contains("‹Fashion-MNIST›"), form)
  }

  func testTheSpecFieldTakesEveryKeyAsTextAndNoUndocumentedKeyStartsARun() throws {
    var screen = TrainingScreen(config: config(), dataAvailable: true)
    // s is no key of the form: it neither starts a run nor does anything else.
    XCTAssertEqual(screen.update(.key(.char("s")), env: env()), .ignored)
    XCTAssertEqual(screen.phase, .setup)
    var app = PlaygroundApp(root: screen, env: env())
    let spec = "conv2d(8, 3, relu) -> maxpool(2) -> flatten -> dense(10, softmax)"
    app.send(.key(.char("t")))
    // Every character, including s, x, p, q, ?, e, w, 1-5 and Tab-free text, goes into the field.
    app.send(keys: (spec + " qx?ew12").map { Key.char($0) })
    XCTAssertTrue(app.top.capturesAllKeys)
    XCTAssertFalse(app.showingHelp)
    XCTAssertEqual((app.top as? TrainingScreen)?.phase, .setup)
    for _ in 0..<8 { app.send(.key(.backspace)) }
    app.send(.key(.enter))
    let typed = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertEqual(typed.config.modelName, "spec")
    XCTAssertEqual(typed.phase, .setup)
    XCTAssertEqual(try typed.config.spec.parameterCount().total, 8 * 9 + 8 + 13 * 13 * 8 * 10 + 10)
    XCTAssertFalse(app.finished)
  }

  func testQuittingDuringARunAsksAndOnlyYLeaves() throws {
    var app = PlaygroundApp(root: try TrainingScreenTests.liveScreen(), env: env())
    app.send(.key(.char("q")))
    XCTAssertFalse(app.finished)
    XCTAssertTrue(app.render(width: 80, height: 24).text.contains("Leave? y: yes"), app.render(width: 80, height: 24).text)
    XCTAssertTrue(app.top.capturesAllKeys, "q and ? answer the question, not the app")
    app.send(.key(.char("n")))
    XCTAssertFalse(app.finished)
    XCTAssertEqual((app.top as? TrainingScreen)?.phase, .training)
    app.send(.key(.escape))
    app.send(.key(.char("q")))
    XCTAssertFalse(app.finished, "q answers the question with no")
    app.send(.key(.escape))
    let es = PlaygroundApp(root: app.top, env: env(.es)).render(width: 80, height: 24).text
    XCTAssertTrue(es.contains("¿Salir? y: sí"), es)
    app.send(.key(.char("y")))
    XCTAssertTrue(app.finished)
    // After a run, q leaves at once.
    var over = PlaygroundApp(root: try finishedScreen(), env: env())
    over.send(.key(.char("q")))
    XCTAssertTrue(over.finished)
  }

  func testSettingsAreKeptForTheNextVisitInMemoryAndInTheUserDataDirectory() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-settings-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = TrainingSettingsStore(directory: dir)
    var app = PlaygroundApp.home(env: env(settings: TrainingSettingsKeeper(store: store)))
    app.send(.key(.char("6")))
    XCTAssertEqual(app.top.id, "training")
    // Model: cnn -> convnet; data set: MNIST -> Fashion-MNIST; epochs 3 -> 5; a typed spec is kept too.
    app.send(keys: Key.script("Right Down Right Down Right Right"))
    app.send(.key(.escape))
    app.send(.key(.char("6")))
    var screen = try XCTUnwrap(app.top as? TrainingScreen)
    XCTAssertEqual(screen.config.modelName, "convnet")
    XCTAssertEqual(screen.config.dataset, .fashionMNIST)
    XCTAssertEqual(screen.config.epochs, 5)
    // A new process reads the file beside quiz progress.
    let saved = try XCTUnwrap(store.load())
    XCTAssertEqual(saved.model, "convnet")
    XCTAssertEqual(saved.dataset, "fashion-mnist")
    XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("training-settings.json").path))
    app.send(.key(.char("t")))
    app.send(keys: "flatten -> dense(10, softmax)".map { Key.char($0) } + [.enter])
    var fresh = PlaygroundApp.home(env: env(settings: TrainingSettingsKeeper(store: store)))
    fresh.send(.key(.char("6")))
    screen = try XCTUnwrap(fresh.top as? TrainingScreen)
    XCTAssertEqual(screen.config.modelName, "spec")
    XCTAssertEqual(try screen.config.spec.parameterCount().total, 7850)
    XCTAssertEqual(screen.config.epochs, 5)
    // A damaged file is ignored: the defaults.
    try Data("{".utf8).write(to: store.file)
    XCTAssertNil(store.load())
    XCTAssertEqual(TrainingScreen(settings: store.load()).config.modelName, "cnn")
  }

  func testCurvesHaveAnEpochAxis() throws {
    let app = PlaygroundApp(root: try TrainingScreenTests.liveScreen(), env: env())
    for (w, h) in [(80, 24), (100, 30)] {
      let text = app.render(width: w, height: h).text
      let axis = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("epoch ") }, text)
      XCTAssertTrue(axis.contains(" 0 ") && axis.contains(" 1 ") && axis.contains(" 2 ") && axis.contains("3"), String(axis))
    }
    let es = PlaygroundApp(root: try TrainingScreenTests.liveScreen(), env: env(.es)).render(width: 80, height: 24).text
    XCTAssertTrue(es.contains("época "), es)
  }

  /// 81 errors and a diagonal cell never share a colour; errors grow redder per power of ten.
  func testConfusionColoursSeparateErrorsFromRightAnswersWithALegend() throws {
    var screen = try TrainingScreenTests.liveScreen()
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
    for i in 0..<10 { confusion[i][i] = 81 + 10 * i }
    confusion[3][5] = 81
    confusion[4][9] = 8
    confusion[7][1] = 800
    screen.apply(.evaluated(EpochEvaluation(epoch: 2, testLoss: 0.4, testAccuracy: 0.9, confusion: confusion)))
    var app = PlaygroundApp(root: screen, env: env())
    app.send(.key(.char("2")))
    let canvas = app.render(width: 80, height: 24)
    let lines = canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    func style(row: Int, col: Int) -> Style {
      let line = lines.firstIndex { $0.hasPrefix("   \(row) │") }!
      // Columns of 5 cells after "   r │": the last cell of a count is its last digit.
      return canvas[11 + col * 5, line].style
    }
    let diagonal81 = style(row: 0, col: 0)
    let error81 = style(row: 3, col: 5)
    XCTAssertNotEqual(diagonal81.bg, error81.bg)
    XCTAssertNotEqual(style(row: 4, col: 9).bg, error81.bg, "8 and 81 errors look alike")
    XCTAssertNotEqual(style(row: 7, col: 1).bg, error81.bg, "800 and 81 errors look alike")
    XCTAssertNotEqual(style(row: 4, col: 4).bg, error81.bg)
    XCTAssertTrue(canvas.text.contains("Right, % of row:"), canvas.text)
    XCTAssertTrue(canvas.text.contains("Errors, count:") && canvas.text.contains("1000"), canvas.text)
    // Without colour the two still differ (bold right answers, error style for errors).
    var mono = app
    mono.env.theme = Theme(colored: false)
    let m = mono.render(width: 80, height: 24)
    let line = lines.firstIndex { $0.hasPrefix("   3 │") }!
    XCTAssertNotEqual(m[11 + 3 * 5, line].style, m[11 + 5 * 5, line].style)
  }

  func testFilterAndMapTitlesCountWhatIsDrawn() throws {
    var screen = try TrainingScreenTests.liveScreen()
    let filters = (0..<32).map { f in GrayPlane(width: 3, height: 3, values: (0..<9).map { Float(($0 + f) % 3) - 1 }) }
    let maps = (0..<32).map { f in GrayPlane(width: 26, height: 26, values: (0..<676).map { Float(($0 / 26 + f) % 5) }) }
    let seven = [Float](repeating: 0.5, count: 784)
    let digits = (0..<10).map { DigitSample(pixels: seven, width: 28, height: 28, truth: $0, predicted: $0) }
    screen.apply(.evaluated(EpochEvaluation(
      epoch: 2, testLoss: 0.4, testAccuracy: 0.9, confusion: [[1]], filters: filters, digits: digits,
      featureMaps: Array(repeating: maps, count: 10))))
    var app = PlaygroundApp(root: screen, env: env())
    app.send(.key(.char("4")))
    for (w, h) in [(80, 24), (100, 30)] {
      let text = app.render(width: w, height: h).text
      let filterLine = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("First-layer filters:") })
      let mapLine = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("Feature maps") })
      XCTAssertFalse(filterLine.contains("32 of 32"), String(filterLine))
      XCTAssertTrue(mapLine.contains(" of 32 maps"), String(mapLine))
      // The drawn count is the number of map pictures on the rows below the title.
      let drawn = Int(mapLine.split(separator: "·").last!.split(separator: " ").first!)!
      XCTAssertLessThan(drawn, 32)
      XCTAssertGreaterThan(drawn, 0)
    }
  }

  /// The help overlay lists every key of every state (form, spec field, run, after a run),
  /// fits 80x24 by scrolling, in both languages.
  func testHelpListsTheKeysOfEveryStateAndFits80x24() throws {
    for lang in Lang.allCases {
      var app = PlaygroundApp(root: TrainingScreen(config: config(), dataAvailable: true), env: env(lang))
      app.send(.key(.char("?")))
      var seen = ""
      for _ in 0..<10 {
        let frame = app.render(width: 80, height: 24).text
        seen += frame
        app.send(.key(.pageDown))
      }
      for entry in [T.trKeyStart, T.trHelpSpecEnter, T.trHelpSpecEsc, T.trHelpPause, T.trHelpStop, T.trHelpConfirm,
                    T.trHelpSave, T.trHelpEdit, T.trHelpView, T.trHelpDigit, T.trHelpColor] {
        XCTAssertTrue(seen.contains(entry.text(lang)), "\(lang) help lacks \(entry)")
      }
      // The same list while a run is going.
      var running = PlaygroundApp(root: try TrainingScreenTests.liveScreen(), env: env(lang))
      running.send(.key(.char("?")))
      XCTAssertTrue(running.showingHelp)
      var runSeen = ""
      for _ in 0..<10 {
        runSeen += running.render(width: 80, height: 24).text
        running.send(.key(.pageDown))
      }
      XCTAssertTrue(runSeen.contains(T.trHelpSave.text(lang)) && runSeen.contains(T.trKeyStart.text(lang)), runSeen)
    }
  }
}
