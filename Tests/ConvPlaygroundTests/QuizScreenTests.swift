import ConvCourse
import ConvKit
import ConvPlayground
import ConvTerminal
import ConvUserData
import Foundation
import XCTest

/// The quiz screen driven by keys: answers graded by ConvKit's quiz engine, score and streak,
/// progress kept after each answer, the link to the screen that shows the question, and Home's
/// suggestion of the weakest topic.
final class QuizScreenTests: XCTestCase {
  func app(_ screen: any Screen, lang: Lang = .en, keeper: any QuizProgressKeeper = MemoryProgressKeeper()) -> PlaygroundApp {
    PlaygroundApp(root: screen, env: Env(lang: lang, theme: Theme(colored: true), quizProgress: keeper))
  }

  /// Keys that type `text` (a space is the Space key).
  func typing(_ text: String) -> [Key] { text.map { Key.char($0) } }

  /// The first seed whose first question of `selection` is of `kind`.
  func seed(for kind: QuizKind, in selection: QuizSelection, level: Int = 1) throws -> UInt64 {
    for s in UInt64(1)...500 where QuizSession(seed: s, selection: selection, level: level).current.kind == kind {
      return s
    }
    throw XCTSkip("no seed in 1...500 starts with \(kind)")
  }

  func testRightThenWrongAnswerIsGradedScoredAndSaved() throws {
    let keeper = MemoryProgressKeeper()
    var a = app(QuizScreen(seed: 7, keeper: keeper), keeper: keeper)
    // The answers come from the generator with the same seed, not from the screen.
    var generator = QuizGenerator(seed: 7, selection: .mixed, level: 1)
    let first = generator.next()
    let second = generator.next()

    a.send(keys: typing(first.answer.text) + [.enter])
    var text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("✓ correct"), text)
    XCTAssertTrue(text.contains("Score 1/1   Streak 1 (best 1)"), text)
    XCTAssertEqual(keeper.load().progress.stats(first.topic), QuizProgress.Stats(asked: 1, correct: 1))

    a.send(keys: [.enter] + typing(second.answer.text + "1") + [.enter])
    text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("✗ wrong: the answer is \(second.answer.text)"), text)
    XCTAssertTrue(text.contains("Score 1/2   Streak 0 (best 1)"), text)
    let asked = keeper.load().progress.topics.values.reduce(0) { $0 + $1.asked }
    XCTAssertEqual(asked, 2)
    // The explanation is the engine's, with the numbers filled in.
    for line in second.explanation(.en).prefix(2) {
      XCTAssertTrue(text.contains(String(line.prefix(40))), "missing '\(line)' in\n\(text)")
    }
  }

  func testShapeFormsPeopleWriteAreAcceptedAndBackspaceEdits() throws {
    let s = try seed(for: .convOutput, in: .topic(.shapes))
    let screen = QuizScreen(seed: s, selection: .topic(.shapes))
    guard case .shape(let shape) = screen.session.current.answer else { return XCTFail("not a shape") }
    var a = app(screen)
    let keras = "(None, " + shape.map(String.init).joined(separator: ", ") + ")"
    a.send(keys: typing("99") + [.backspace, .backspace] + typing(keras) + [.enter])
    let text = a.render(width: 120, height: 40).text
    XCTAssertTrue(text.contains("Your answer: \(keras)"), text)
    XCTAssertTrue(text.contains("✓ correct"), text)
  }

  func testEnterWithoutAnAnswerAsksForOneAndCountsNothing() {
    var a = app(QuizScreen(seed: 7))
    a.send(keys: [.char(" "), .enter])
    let text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("Type an answer first"), text)
    XCTAssertTrue(text.contains("Score 0/0"), text)
  }

  func testQuitWhileTypingGoesBackAndEscapeFirstClears() {
    var a = PlaygroundApp.home(env: Env(lang: .en, theme: Theme(colored: true)))
    a.send(keys: [.char("7")])
    XCTAssertTrue(a.top is QuizScreen)
    a.send(keys: typing("26") + [.escape])
    XCTAssertEqual((a.top as? QuizScreen)?.typed, "")
    a.send(keys: [.escape])
    XCTAssertTrue(a.top is HomeScreen)
    // Once an answer is being typed, q and ? are text; Esc clears, then q leaves.
    a.send(keys: [.char("7"), .char("2"), .char("q"), .char("?")])
    XCTAssertTrue(a.top is QuizScreen)
    XCTAssertFalse(a.showingHelp)
    XCTAssertEqual((a.top as? QuizScreen)?.typed, "2q?")
    a.send(keys: [.escape, .char("q")])
    XCTAssertTrue(a.top is HomeScreen)
  }

  /// PgDn turns whole pages of a long explanation: every line is shown once, in order, none skipped.
  func testPagingShowsEveryLineOfALongExplanation() throws {
    for level in 1...3 {
      for seed in UInt64(1)...30 {
        var tall = app(QuizScreen(seed: seed, selection: .mixed, level: level))
        tall.send(keys: typing("1") + [.enter])
        let full = Self.explanation(tall.render(width: 80, height: 200).text)
        var short = app(QuizScreen(seed: seed, selection: .mixed, level: level))
        short.send(keys: typing("1") + [.enter])
        guard short.render(width: 80, height: 24).text.contains("more lines: PgDn") else { continue }
        var seen: [String] = []
        for _ in 0..<40 {
          for line in Self.explanation(short.render(width: 80, height: 24).text) where !seen.contains(line) || line.isEmpty {
            seen.append(line)
          }
          short.send(.key(.pageDown))
        }
        var expected: [String] = []
        for line in full where !line.isEmpty && !expected.contains(line) { expected.append(line) }
        XCTAssertEqual(seen.filter { !$0.isEmpty }, expected, "seed \(seed) level \(level)")
        return
      }
    }
    XCTFail("no question with a long explanation found")
  }

  /// The lines between the question's verdict and the help bar, without the "more lines" note.
  static func explanation(_ text: String) -> [String] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard let verdict = lines.firstIndex(where: { $0.hasPrefix("✗") || $0.hasPrefix("✓") || $0.lowercased().hasPrefix("not quite") || $0.lowercased().hasPrefix("wrong") }) else { return [] }
    return Array(lines[(verdict + 1)..<(lines.count - 2)]).filter { !$0.contains("more lines: PgDn") }
  }

  func testLinkOpensThePaddingScreenWithTheQuestionsNumbers() throws {
    // Level 2 brings padding and strides into the question.
    let s = try seed(for: .convOutput, in: .topic(.shapes), level: 2)
    var a = app(QuizScreen(seed: s, selection: .topic(.shapes), level: 2))
    let q = try XCTUnwrap(a.top as? QuizScreen).session.current
    guard case .window(let input, let layer) = q.link,
      let conv = layer.layer as? Conv2D,
      case .shape(let expected) = q.answer
    else { return XCTFail("not a conv window link: \(q.link)") }
    let (k, st, p, d) = (conv.kernelSize, conv.strides, conv.padding, conv.dilation.rows)
    a.send(keys: typing("1") + [.enter, .char("g")])
    let quiz = try XCTUnwrap(a.top as? QuizScreen)
    let lab = try XCTUnwrap(quiz.linked as? ConvLabScreen, "g opens the padding screen")
    XCTAssertEqual(lab.input.shape, [1, input[0], input[1]])
    XCTAssertEqual(lab.kernel.shape, [1, k.rows, k.cols])
    XCTAssertEqual(lab.padding, p)
    XCTAssertEqual(lab.strideRows, st.rows)
    XCTAssertEqual(lab.strideCols, st.cols)
    XCTAssertEqual(lab.dilation, d)
    // The screen's own geometry gives the quiz's answer.
    let trace = try XCTUnwrap(lab.trace)
    XCTAssertEqual([trace.geometry.outputRows, trace.geometry.outputCols], Array(expected.prefix(2)))
    let text = a.render(width: 100, height: 30).text
    XCTAssertTrue(text.contains("Quiz / Padding and stride"), text)
    // Keys go to the linked screen; q comes back to the feedback.
    a.send(keys: [.right])
    XCTAssertEqual((try XCTUnwrap(a.top as? QuizScreen).linked as? ConvLabScreen)?.stepIndex, 1)
    a.send(keys: [.char("q")])
    let back = try XCTUnwrap(a.top as? QuizScreen)
    XCTAssertNil(back.linked)
    XCTAssertFalse(back.answering)
  }

  func testPoolingLinkOpensThePoolingScreen() throws {
    let s = try seed(for: .poolOutput, in: .topic(.pooling))
    var a = app(QuizScreen(seed: s, selection: .topic(.pooling)))
    a.send(keys: typing("1") + [.enter, .char("g")])
    let pool = try XCTUnwrap(try XCTUnwrap(a.top as? QuizScreen).linked as? PoolingScreen)
    guard case .window(let input, _) = try XCTUnwrap(a.top as? QuizScreen).session.current.link else {
      return XCTFail("not a window link")
    }
    XCTAssertEqual(pool.input.shape, [1, input[0], input[1]])
  }

  func testSummaryLinkMarksTheLayer() throws {
    let s = try seed(for: .denseParams, in: .topic(.params))
    var a = app(QuizScreen(seed: s, selection: .topic(.params)))
    a.send(keys: typing("1") + [.enter, .char("g")])
    let quiz = try XCTUnwrap(a.top as? QuizScreen)
    XCTAssertTrue(quiz.linked is SummaryScreen)
    let text = a.render(width: 80, height: 24).text
    let total = quiz.session.current.answer.text
    XCTAssertTrue(text.contains("Total params: \(total)"), text)
    // The walking summary screen, on the question's layer, with the count's formula.
    XCTAssertTrue(text.contains("▸dense (Dense)"), text)
    XCTAssertTrue(text.contains("= \(total)"), text)
  }

  func testConvParamsLinkShowsTheFormula() throws {
    let s = try seed(for: .convParams, in: .topic(.params))
    var a = app(QuizScreen(seed: s, selection: .topic(.params)))
    a.send(keys: typing("1") + [.enter, .char("g")])
    let quiz = try XCTUnwrap(a.top as? QuizScreen)
    let summary = try XCTUnwrap(quiz.linked as? SummaryScreen)
    guard case .summary(let model, _) = quiz.session.current.link else { return XCTFail("not a summary link") }
    let row = try XCTUnwrap(summary.model.walk.rows.first)
    XCTAssertEqual(row.parameters, try model.parameterCount())
    let text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("Quiz / Model summary"), text)
    XCTAssertTrue(text.contains(row.parameterFormula), text)
    XCTAssertTrue(row.parameterFormula.hasSuffix("= " + quiz.session.current.answer.text), row.parameterFormula)
  }

  func testTopicAndLevelKeysStartANewRound() throws {
    var a = app(QuizScreen(seed: 7))
    a.send(keys: [.tab, .tab, .up, .up, .up])
    let quiz = try XCTUnwrap(a.top as? QuizScreen)
    XCTAssertEqual(quiz.selection, .topic(.params))
    XCTAssertEqual(quiz.level, 3)
    XCTAssertEqual(quiz.session.current.topic, .params)
    XCTAssertEqual(quiz.session.current.level, 3)
    // The round is reproducible from the seed shown in the title bar.
    let replay = QuizSession(seed: quiz.seed, selection: .topic(.params), level: 3)
    XCTAssertEqual(replay.current, quiz.session.current)
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("seed \(quiz.seed)"))
  }

  func testHomeSuggestsTheWeakestTopicInBothLanguagesAndOpensTheQuizOnIt() throws {
    var p = QuizProgress()
    for _ in 0..<3 { p.record(.shapes, correct: true) }
    for _ in 0..<3 { p.record(.pooling, correct: true) }
    for _ in 0..<3 { p.record(.models, correct: true) }
    p.record(.params, correct: true)
    for _ in 0..<3 { p.record(.params, correct: false) }
    let keeper = MemoryProgressKeeper(p)
    XCTAssertEqual(p.weakestTopic, .params)
    for (lang, line) in [(Lang.en, "Quiz: practise params next (1 of 4 right so far)."),
                         (.es, "Cuestionario: practicar parámetros ahora (1 de 4 aciertos hasta ahora).")] {
      let home = PlaygroundApp.home(env: Env(lang: lang, theme: Theme(colored: false), quizProgress: keeper))
      let text = home.render(width: 80, height: 24).text
      XCTAssertTrue(text.contains(line), text)
    }
    var home = PlaygroundApp.home(env: Env(lang: .en, theme: Theme(colored: false), quizProgress: keeper))
    home.send(keys: [.char("7")])
    XCTAssertEqual((home.top as? QuizScreen)?.selection, .topic(.params))
    // Answering updates the suggestion on the way back.
    let fresh = MemoryProgressKeeper()
    var b = PlaygroundApp.home(env: Env(lang: .en, theme: Theme(colored: false), quizProgress: fresh))
    XCTAssertTrue(b.render(width: 80, height: 24).text.contains("Quiz: start with shapes"))
    b.send(keys: [.char("7")])
    let topic = try XCTUnwrap(b.top as? QuizScreen).session.current.topic
    b.send(keys: typing("1") + [.enter, .char("q")])
    let text = b.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("Quiz: practise \(topic.rawValue) next (0 of 1 right so far)."), text)
  }

  func testProgressFileIsWrittenAndADamagedOneIsSetAsideWithANotice() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-quizscreen-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = QuizProgressStore(directory: dir)
    var a = app(QuizScreen(seed: 7, keeper: FileProgressKeeper(store: store)))
    let q = QuizSession(seed: 7).current
    a.send(keys: typing(q.answer.text) + [.enter])
    XCTAssertEqual(store.load().progress.stats(q.topic), QuizProgress.Stats(asked: 1, correct: 1))

    try Data("{ not json".utf8).write(to: store.file)
    let keeper = FileProgressKeeper(store: store)
    let text = app(QuizScreen(seed: 7, keeper: keeper), keeper: keeper).render(width: 120, height: 40).text
    XCTAssertTrue(text.contains("could not be read: set it aside as"), text)
    XCTAssertTrue(FileManager.default.fileExists(atPath: store.file.path + ".corrupt-1"))
  }

  func testEveryQuizStateRendersAtManySizes() {
    for level in 1...3 {
      for sel in QuizScreen.selections {
        var a = app(QuizScreen(seed: 11, selection: sel, level: level))
        for keys in [typing("12") + [.enter], [.pageDown, .pageDown, .char("g")], [.char("q"), .enter]] {
          a.send(keys: keys)
          for (w, h) in [(80, 24), (100, 30), (120, 40), (200, 60)] {
            let c = a.render(width: w, height: h)
            XCTAssertEqual(c.text.split(separator: "\n", omittingEmptySubsequences: false).count, h)
          }
        }
      }
    }
  }

  /// Block questions at 80x24, both languages, every level: the whole code listing is on the
  /// screen, untouched, before answering; after answering the verdict and the explanation's
  /// first line are there (the listing gives way when both do not fit, and says so), and `g`
  /// opens the block's summary on its Add or Concatenate with the layers that feed it.
  func testBlockQuestionsFitAt80x24() throws {
    for lang in Lang.allCases {
      for level in 1...3 {
        for seed in UInt64(1)...6 {
          let screen = QuizScreen(seed: seed, selection: .topic(.blocks), level: level)
          let q = screen.session.current
          let block = try XCTUnwrap(q.block)
          var a = app(screen, lang: lang)
          let before = a.render(width: 80, height: 24).text
          for line in QuizBlocks.kerasLines(block) {
            XCTAssertTrue(before.contains(line), "\(lang) seed \(seed) level \(level): \(line)\n\(before)")
          }
          a.send(keys: typing("1") + [.enter])
          let after = a.render(width: 80, height: 24).text
          let feedback = QuizSession.grade("1", for: q, language: lang == .es ? .es : .en)
          let verdict = String(feedback.verdict.split(separator: "\n")[0])
          XCTAssertTrue(after.contains(verdict), after)
          XCTAssertTrue(after.contains(feedback.explanation[0]), after)
          let hidden = lang == .es ? "capas ocultas para dejar lugar" : "layers hidden to make room"
          let everyLine = QuizBlocks.kerasLines(block).allSatisfy { after.contains($0) }
          XCTAssertTrue(everyLine != after.contains(hidden), "listing shown or said to be hidden:\n\(after)")
          // The taller screen keeps the listing with the explanation.
          XCTAssertTrue(QuizBlocks.kerasLines(block).allSatisfy { a.render(width: 120, height: 40).text.contains($0) })
          a.send(.key(.char("g")))
          let linked = a.render(width: 80, height: 24).text
          XCTAssertTrue(linked.contains(block.name), linked)
          if case .blockJoinShape(_, let join) = q.ask {
            let feeds = try XCTUnwrap(block.nodes.first { $0.name == join }).inputs
            XCTAssertTrue(linked.contains(join), linked)
            for input in feeds { XCTAssertTrue(linked.contains(input + " ("), "\(input) not named:\n\(linked)") }
          }
        }
      }
    }
  }
}
