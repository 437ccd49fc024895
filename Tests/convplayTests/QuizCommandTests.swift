import Foundation
import XCTest

final class QuizCommandTests: XCTestCase {
  var home: URL!

  override func setUpWithError() throws {
    home = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-quiz-\(UUID().uuidString)")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: home)
  }

  func quiz(_ args: [String], stdin: String = "") throws -> CommandResult {
    try CommandRunner.run(["quiz"] + args, stdin: stdin, environment: ["CONVPLAY_HOME": home.path])
  }

  func keyAnswers(_ key: String) -> [String] {
    key.split(separator: "\n").filter { $0.hasPrefix("answer: ") }.map { String($0.dropFirst(8)) }
  }

  func testAnswerKeyIsReproducibleAndHasNothingElse() throws {
    let a = try quiz(["--answer-key", "--seed", "5", "--count", "6", "--topic", "mixed", "--level", "2"])
    let b = try quiz(["--answer-key", "--seed", "5", "--count", "6", "--topic", "mixed", "--level", "2"])
    XCTAssertEqual(a.status, 0, a.stderr)
    XCTAssertEqual(a.stdout, b.stdout)
    XCTAssertEqual(a.stderr, "")
    XCTAssertEqual(keyAnswers(a.stdout).count, 6)
    XCTAssertFalse(a.stdout.contains("score"))
    XCTAssertFalse(a.stdout.contains("correct"))
    let other = try quiz(["--answer-key", "--seed", "6", "--count", "6", "--level", "2"])
    XCTAssertNotEqual(other.stdout, a.stdout)
    XCTAssertFalse(FileManager.default.fileExists(atPath: home.path))  // the key records no progress
  }

  /// `--topic blocks`: the answer key's answers graded right, in both languages, the Spanish
  /// with no English sentence; `mixed` never asks about blocks.
  func testBlocksTopic() throws {
    let key = try quiz(["--answer-key", "--seed", "3", "--count", "6", "--topic", "blocks", "--level", "3"])
    XCTAssertEqual(key.status, 0, key.stderr)
    XCTAssertTrue(key.stdout.contains(" = Input(shape=("), key.stdout)
    let answers = keyAnswers(key.stdout)
    XCTAssertEqual(answers.count, 6)
    for lang in ["en", "es"] {
      let run = try quiz(["--plain", "--seed", "3", "--count", "6", "--topic", "blocks", "--level", "3", "--lang", lang],
                         stdin: answers.joined(separator: "\n") + "\n")
      XCTAssertEqual(run.status, 0, run.stderr)
      XCTAssertTrue(run.stdout.hasSuffix(lang == "es" ? "aciertos: 6/6\n" : "score: 6/6\n"), run.stdout)
      if lang == "es" {
        for english in ["How many", "What is", "the shortcut", "add up", "keep the shape", "no parameters", "(blocks"] {
          XCTAssertFalse(run.stdout.contains(english), "'\(english)' in:\n\(run.stdout)")
        }
        XCTAssertTrue(run.stdout.contains("(bloques, nivel 3)"), run.stdout)
      }
    }
    let mixed = try quiz(["--answer-key", "--seed", "3", "--count", "40", "--topic", "mixed", "--level", "2"])
    XCTAssertFalse(mixed.stdout.contains("Input(shape="), mixed.stdout)
  }

  /// A plain session through stdin, as a student types: the key's answers written the other
  /// ways people write them, one wrong, one unreadable.
  func testPlainSessionThroughStdin() throws {
    let key = keyAnswers(try quiz(["--answer-key", "--seed", "9", "--count", "5", "--topic", "shapes"]).stdout)
    XCTAssertEqual(key.count, 5)
    var typed = key.map { answer -> String in
      // 26x26x64 -> (None, 26, 26, 64); 3,136 -> 3136
      if answer.contains("x") { return "(None, " + answer.replacingOccurrences(of: "x", with: ", ") + ")" }
      return answer.replacingOccurrences(of: ",", with: "")
    }
    typed[3] = "1x1x1"
    typed[4] = "no idea"
    let run = try quiz(["--plain", "--seed", "9", "--count", "5", "--topic", "shapes", "--lang", "en"], stdin: typed.joined(separator: "\n") + "\n")
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stdout.hasSuffix("\nscore: 3/5\n"), run.stdout)
    XCTAssertEqual(run.stdout.components(separatedBy: "\ncorrect\n").count - 1, 3)
    XCTAssertTrue(run.stdout.contains("wrong: the answer is \(key[3])"))
    XCTAssertTrue(run.stdout.contains("could not read 'no idea'"))
    XCTAssertTrue(run.stdout.contains("Question 1/5 (shapes, level 1)"))
    XCTAssertFalse(run.stdout.contains("\u{1B}["))  // plain: no colour codes
    // Progress was saved for the topic.
    let saved = try String(contentsOf: home.appendingPathComponent("quiz-progress.json"), encoding: .utf8)
    XCTAssertTrue(saved.contains("\"asked\" : 5"), saved)
    XCTAssertTrue(saved.contains("\"correct\" : 3"), saved)

    // Fewer answers than questions: the rest count as unanswered, the score still out of 5.
    let short = try quiz(["--plain", "--seed", "9", "--count", "5", "--topic", "shapes"], stdin: key[0] + "\n")
    XCTAssertTrue(short.stdout.hasSuffix("\nscore: 1/5\n"), short.stdout)
    XCTAssertTrue(short.stderr.contains("4 questions left unanswered"), short.stderr)
  }

  func testSpanish() throws {
    let run = try quiz(["--plain", "--seed", "2", "--count", "2", "--lang", "es", "--topic", "params"], stdin: "640\n1\n")
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stdout.contains("Pregunta 1/2 (parámetros, nivel 1)"), run.stdout)
    XCTAssertTrue(run.stdout.contains("respuesta dada: 640"))
    XCTAssertTrue(run.stdout.hasSuffix("aciertos: \(run.stdout.contains("\ncorrecto\n") ? 1 : 0)/2\n"), run.stdout)
  }

  func testGradingAnAnswersFileWithTheKeyItself() throws {
    let key = try quiz(["--answer-key", "--seed", "4", "--count", "8", "--level", "3"])
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    let file = home.appendingPathComponent("key.txt")
    // Only the answer lines, as a student's file; then the whole key, whose 'answer:' lines are read.
    try (keyAnswers(key.stdout).joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    let graded = try quiz(["--seed", "4", "--count", "8", "--level", "3", "--answers", file.path, "--plain"])
    XCTAssertEqual(graded.status, 0, graded.stderr)
    XCTAssertTrue(graded.stdout.hasSuffix("\nscore: 8/8\n"), graded.stdout)
    XCTAssertFalse(FileManager.default.fileExists(atPath: home.appendingPathComponent("quiz-progress.json").path))
    try key.stdout.write(to: file, atomically: true, encoding: .utf8)
    let wholeKey = try quiz(["--seed", "4", "--count", "8", "--level", "3", "--answers", file.path, "--plain"])
    XCTAssertTrue(wholeKey.stdout.hasSuffix("\nscore: 8/8\n"), wholeKey.stdout)
    // Another seed's questions: the same answers mostly fail.
    let otherSeed = try quiz(["--seed", "5", "--count", "8", "--level", "3", "--answers", file.path, "--plain"])
    XCTAssertFalse(otherSeed.stdout.hasSuffix("\nscore: 8/8\n"), otherSeed.stdout)
  }

  func testCorruptProgressIsSetAside() throws {
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    try "{broken".write(to: home.appendingPathComponent("quiz-progress.json"), atomically: true, encoding: .utf8)
    let run = try quiz(["--plain", "--seed", "1", "--count", "1"], stdin: "1\n")
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stderr.contains("could not be read: set it aside as"), run.stderr)
    XCTAssertTrue(FileManager.default.fileExists(atPath: home.appendingPathComponent("quiz-progress.json.corrupt-1").path))
    XCTAssertTrue(FileManager.default.fileExists(atPath: home.appendingPathComponent("quiz-progress.json").path))
  }

  func testBadOptionsAreOneLine() throws {
    let topic = try quiz(["--plain", "--seed", "1", "--topic", "nope"])
    XCTAssertEqual(topic.status, 64)
    XCTAssertEqual(topic.stderr.filter { $0 == "\n" }.count, 1, topic.stderr)
    for args in [["--lang", "fr"], ["--answers", "/nonexistent/file"], ["--level", "4"], ["--count", "0"], ["--answer-key", "--answers", "x"]] {
      let run = try quiz(["--plain", "--seed", "1"] + args)
      XCTAssertEqual(run.status, 1, "\(args)")
      XCTAssertTrue(run.stderr.hasPrefix("convplay: "), run.stderr)
      XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, run.stderr)
      XCTAssertEqual(run.stdout, "")
    }
  }
}
