import ConvCourse
import Foundation
import XCTest

/// The quiz screen in a real terminal (tmux, the helpers of PlaygroundEndToEndTests): one answer
/// right and one wrong, the verdicts read off the screen, and the progress file written in a
/// private CONVPLAY_HOME so that the user's own progress is never touched.
extension PlaygroundEndToEndTests {
  func testQuizScreenAnswersOneRightAndOneWrong() throws {
    // The right answers come from the answer key of the same seed (the command line's path).
    let key = try runPlain(["quiz", "--answer-key", "--seed", "7", "--count", "2"])
    XCTAssertEqual(key.status, 0, key.err)
    let answers = key.out.split(separator: "\n").filter { $0.hasPrefix("answer: ") }.map { String($0.dropFirst(8)) }
    XCTAssertEqual(answers.count, 2, key.out)
    guard answers.count == 2 else { return }

    let home = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-quiz-e2e-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    let t = try session(100, 30, "tui --screen quiz --seed 7", env: "CONVPLAY_HOME=\(home.path)")
    t.waitFor("Question 1")
    t.send("-l", answers[0])
    t.waitFor("Your answer: \(answers[0])")
    t.send("Enter")
    var s = t.waitFor("✓ correct")
    XCTAssertTrue(s.contains("Score 1/1   Streak 1 (best 1)"), s)
    t.send("Enter")
    t.waitFor("Question 2")
    t.send("-l", answers[1] + "1")
    t.send("Enter")
    s = t.waitFor("✗ wrong: the answer is \(answers[1])")
    XCTAssertTrue(s.contains("Score 1/2   Streak 0 (best 1)"), s)
    XCTAssertFalse(s.contains("✓ correct"), s)
    // The explanation's link opens the screen that shows it; q comes back.
    t.send("g")
    t.waitFor("Quiz / ")
    t.send("q")
    t.waitFor("✗ wrong")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)

    let file = home.appendingPathComponent("quiz-progress.json")
    let data = try Data(contentsOf: file)
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    let topics = try XCTUnwrap(json["topics"] as? [String: [String: Int]])
    XCTAssertEqual(topics.values.reduce(0) { $0 + ($1["asked"] ?? 0) }, 2, "\(topics)")
    XCTAssertEqual(topics.values.reduce(0) { $0 + ($1["correct"] ?? 0) }, 1, "\(topics)")
  }

  /// Plain `convplay` takes the same path as `convplay tui`: an answer in its quiz is saved.
  func testPlainConvplayKeepsQuizProgress() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-plain-e2e-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    let t = try session(80, 24, "", env: "CONVPLAY_HOME=\(home.path)")
    t.waitFor("Lessons")
    t.send("7")
    t.waitFor("Question 1")
    t.send("-l", "12")
    t.send("Enter")
    t.waitFor("the answer is")
    t.send("q")
    t.waitFor("Lessons")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
    let saved = try String(contentsOf: home.appendingPathComponent("quiz-progress.json"), encoding: .utf8)
    XCTAssertTrue(saved.contains("\"asked\" : 1"), saved)
  }

  /// A block question in a real 80x24 terminal, in Spanish: the whole code listing is on the
  /// screen, a wrong answer gets the channel hint and the walk to Concatenate, the listing gives
  /// way to the explanation (and says so), and `g` opens the block's summary at `mixed`.
  func testBlockQuestionInSpanishAt80x24() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-quiz-e2e-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    let t = try session(80, 24, "tui --screen quiz --seed 3 --topic blocks --level 2 --lang es", env: "CONVPLAY_HOME=\(home.path)")
    var s = t.waitFor("Pregunta 1 · bloques · nivel 2")
    for line in ["x = Input(shape=(28, 28, 16))", "proj = Conv2D(32, 1)(x)", "add = Add()([bn2, bn_proj])", "out = ReLU()(add)"] {
      XCTAssertTrue(s.contains(line), s)
    }
    t.send("-l", "14.816")
    t.send("Enter")
    s = t.waitFor("✓ correcto")
    XCTAssertTrue(s.contains("capas ocultas para dejar lugar"), s)
    t.send("Enter")
    s = t.waitFor("mixed = Concatenate()([b1, b3, b5, bp])")
    t.send("-l", "16x16x60")
    t.send("Enter")
    s = t.waitFor("✗ incorrecto: la respuesta es 16x16x76")
    XCTAssertTrue(s.contains("filas y columnas bien; hay que revisar los canales"), s)
    XCTAssertTrue(s.contains("b5 (Conv2D): (16 + 2*2 - 5)/1 + 1 = 16 -> (None, 16, 16, 24)"), s)
    t.send("g")
    s = t.waitFor("inception_block")
    XCTAssertTrue(s.contains("mixed (Concatenate)"), s)
    t.send("q")
    t.waitFor("✗ incorrecto")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
    let saved = try String(contentsOf: home.appendingPathComponent("quiz-progress.json"), encoding: .utf8)
    XCTAssertTrue(saved.contains("\"blocks\""), saved)
  }

  func testQuizScreenInSpanishAt80x24() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-quiz-e2e-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    let t = try session(80, 24, "tui --screen quiz --seed 7 --lang es", env: "CONVPLAY_HOME=\(home.path)")
    t.waitFor("Pregunta 1")
    t.send("-l", "12")
    t.send("Enter")
    t.waitFor("✗ incorrecto: la respuesta es")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
    let bad = try runPlain(["tui", "--screen", "conv", "--seed", "3"])
    XCTAssertEqual(bad.status, 1)
    XCTAssertEqual(bad.err, "convplay: --seed, --topic and --level belong to --screen quiz\n")
  }
}
