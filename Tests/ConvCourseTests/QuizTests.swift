import ConvCourse
import ConvKit
import XCTest

final class QuizTests: XCTestCase {
  /// The rows of a summary as printed: (name and type, output shape, parameters), cut at Keras's
  /// column positions. Answers are checked against this text, not against the engine's numbers.
  func printedRows(_ summary: String) -> [(String, String, Int)] {
    summary.split(separator: "\n").compactMap { line -> (String, String, Int)? in
      let chars = Array(line)
      guard chars.count == 65, line.contains("("), !line.hasPrefix("Layer (type)"), !line.hasPrefix("Model:") else { return nil }
      let f0 = String(chars[0..<29]).trimmingCharacters()
      let f1 = String(chars[29..<55]).trimmingCharacters()
      guard let f2 = Int(String(chars[55..<65]).trimmingCharacters()) else { return nil }
      return (f0, f1, f2)
    }
  }

  func printedTotal(_ summary: String, _ label: String) -> Int? {
    for line in summary.split(separator: "\n") where line.hasPrefix(label + ": ") {
      return Int(line.dropFirst(label.count + 2).filter { $0 != "," })
    }
    return nil
  }

  func questions(_ selection: QuizSelection, level: Int, seed: UInt64, count: Int) -> [QuizQuestion] {
    var g = QuizGenerator(seed: seed, selection: selection, level: level)
    return (0..<count).map { _ in g.next() }
  }

  func testEveryAnswerMatchesTheEnginesSummary() throws {
    var seen = Set<QuizKind>()
    for level in 1...3 {
      for seed in UInt64(0)..<6 {
        for q in questions(.mixed, level: level, seed: seed, count: 40) {
          seen.insert(q.kind)
          let model = try XCTUnwrap(q.model)
          let summary = try SummaryText.render(model)
          let rows = printedRows(summary)
          XCTAssertEqual(rows.count, model.layers.count, summary)
          switch (q.ask, q.answer) {
          case (.convOutput, .shape(let s)), (.poolOutput, .shape(let s)):
            XCTAssertEqual(rows[0].1, ShapeText.batched(s), summary)
          case (.flattenSize, .shape(let s)):
            XCTAssertEqual(rows.last!.1, ShapeText.batched(s), summary)
            XCTAssertTrue(rows.last!.0.hasSuffix("(Flatten)"))
          case (.modelLayerShape(_, let i, _), .shape(let s)):
            XCTAssertEqual(rows[i].1, ShapeText.batched(s), summary)
          case (.convParams, .count(let n)), (.denseParams, .count(let n)):
            XCTAssertEqual(rows[0].2, n, summary)
          case (.batchNorm(_, _, let part), .count(let n)):
            let label = part == .total ? "Total params" : part == .trainable ? "Trainable params" : "Non-trainable params"
            XCTAssertEqual(printedTotal(summary, label), n, summary)
          case (.modelTotal, .count(let n)):
            XCTAssertEqual(printedTotal(summary, "Total params"), n, summary)
          case (.poolingShrink(let model, let pooling, let after), .count(let n)):
            // Two summaries: the Dense row after Flatten loses n parameters.
            let pooled = printedRows(try SummaryText.render(model.inserting(pooling, after: after)))
            let d = try XCTUnwrap(model.denseAfterFlatten)
            XCTAssertEqual(rows[d].2 - pooled[d + 1].2, n)
            XCTAssertTrue(pooled[after + 1].0.contains("pooling2d"), pooled[after + 1].0)
          default:
            XCTFail("answer of the wrong kind for \(q.kind): \(q.answer)")
          }
        }
      }
    }
    XCTAssertEqual(seen, Set(QuizSelection.mixed.kinds))
  }

  func testExplanationsEndWithTheAnswer() throws {
    for level in 1...3 {
      for q in questions(.mixed, level: level, seed: 42, count: 120) {
        for language in QuizLanguage.allCases {
          let lines = q.explanation(language)
          XCTAssertFalse(lines.isEmpty, "\(q.ask)")
          let joined = lines.joined(separator: "\n")
          switch q.answer {
          case .shape(let s):
            XCTAssertTrue(lines.last!.hasSuffix(ShapeText.batched(s)), joined)
          case .count(let n):
            XCTAssertTrue(joined.contains("= " + NumberText.grouped(n)) || joined.contains(": " + NumberText.grouped(n)), joined)
          }
        }
      }
    }
  }

  /// The size rule is written as the lines below it fill it in: (N + 2P - K)/S + 1 next to
  /// (32 + 2*1 - 3), and both sides apart next to (28 + 0 + 1 - 3), in both languages.
  func testTheSizeRuleMatchesTheNumbersFilledIn() throws {
    var checked = 0
    for level in 1...3 {
      for q in questions(.mixed, level: level, seed: 7, count: 200) {
        switch q.ask {
        case .convOutput, .poolOutput: break
        default: continue
        }
        for language in QuizLanguage.allCases {
          let lines = q.explanation(language)
          let rule = lines[0]
          XCTAssertFalse(rule.contains("N + P - K"), rule)
          let symmetric = lines.dropFirst().contains { $0.contains(" + 2*") }
          let asymmetric = lines.dropFirst().contains { $0.range(of: #"\(\d+ \+ \d+ \+ \d+ - \d+\)"#, options: .regularExpression) != nil }
          if symmetric && !asymmetric { XCTAssertTrue(rule.contains("(N + 2P - K)/S + 1"), lines.joined(separator: "\n")) }
          if asymmetric { XCTAssertTrue(rule.contains("P_before + P_after"), lines.joined(separator: "\n")) }
          checked += 1
        }
      }
    }
    XCTAssertGreaterThan(checked, 20)
  }

  func testTheCoursesNumbersExplained() throws {
    let conv = QuizGenerator.courseConv
    let shape = try QuizQuestion(kind: .convOutput, level: 1, ask: .convOutput(input: [28, 28, 1], layer: conv))
    XCTAssertEqual(shape.answer, .shape([26, 26, 64]))
    XCTAssertTrue(shape.explanation(.en).contains("rows and columns: (28 + 2*0 - 3)/1 + 1 = 26"))
    XCTAssertTrue(shape.explanation(.es).contains("filas y columnas: (28 + 2*0 - 3)/1 + 1 = 26"))
    let params = try QuizQuestion(kind: .convParams, level: 1, ask: .convParams(input: [28, 28, 1], layer: conv))
    XCTAssertEqual(params.answer, .count(640))
    XCTAssertTrue(params.explanation(.en).contains("64*3*3*1 + 64 = 640"))
    let dense = try QuizQuestion(
      kind: .denseParams, level: 1, ask: .denseParams(input: [43_264], layer: LayerSpec(Dense(units: 10, activation: .softmax, useBias: true))))
    XCTAssertEqual(dense.answer, .count(432_650))
    XCTAssertTrue(dense.explanation(.en).contains("43,264*10 + 10 = 432,650"))
    let total = try QuizQuestion(kind: .modelTotal, level: 1, ask: .modelTotal(model: ModelZoo.named("course2")!.spec, name: "course2"))
    XCTAssertEqual(total.answer, .count(649_775))
    XCTAssertEqual(total.explanation(.en).last, "Total params: 640 + 0 + 648,975 + 160 = 649,775")
    let pooled = try QuizQuestion(kind: .modelLayerShape, level: 1, ask: .modelLayerShape(model: ModelZoo.named("course3")!.spec, layer: 2, name: "course3"))
    XCTAssertEqual(pooled.answer, .shape([10_816]))
    XCTAssertTrue(pooled.explanation(.en).contains("max_pooling2d (MaxPooling2D): (26 + 2*0 - 2)/2 + 1 = 13 -> (None, 13, 13, 64)"))
    XCTAssertTrue(pooled.explanation(.en).contains("flatten (Flatten): 13*13*64 = 10,816 -> (None, 10816)"))
    // Level 1's pooling-shrink question is the course's: 648,975 - 162,255.
    var g = QuizGenerator(seed: 1, selection: .topic(.pooling), level: 1)
    let shrink = try XCTUnwrap((0..<20).lazy.map { _ in g.next() }.first { $0.kind == .poolingShrink })
    XCTAssertEqual(shrink.answer, .count(486_720))
    XCTAssertEqual(shrink.explanation(.en).last, "shrink: 648,975 - 162,255 = 486,720")
    // BatchNormalization on 64 channels: 256 weights, 128 of them trainable; frozen: none.
    let bn = LayerSpec(BatchNormalization(epsilon: 0.001, momentum: 0.99))
    XCTAssertEqual(try QuizQuestion(kind: .batchNorm, level: 2, ask: .batchNorm(input: [26, 26, 64], layer: bn, part: .nonTrainable)).answer, .count(128))
    var frozen = bn
    frozen.trainable = false
    XCTAssertEqual(try QuizQuestion(kind: .batchNorm, level: 3, ask: .batchNorm(input: [26, 26, 64], layer: frozen, part: .nonTrainable)).answer, .count(256))
  }

  func testSameSeedSameQuestionsAndNoTwoAlikeInARow() {
    for selection in [QuizSelection.mixed] + QuizTopic.allCases.map(QuizSelection.topic) {
      for level in 1...3 {
        let a = questions(selection, level: level, seed: 7, count: 60)
        let b = questions(selection, level: level, seed: 7, count: 60)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.map { $0.prompt(.en) }, b.map { $0.prompt(.en) })
        XCTAssertNotEqual(a.map { $0.prompt(.en) }, questions(selection, level: level, seed: 8, count: 60).map { $0.prompt(.en) })
        XCTAssertEqual(Set(a.map(\.kind)), Set(selection.kinds), "\(selection) level \(level)")
        for (p, q) in zip(a, a.dropFirst()) {
          XCTAssertNotEqual(p.prompt(.en), q.prompt(.en))
          if selection.kinds.count >= 3 {
            XCTAssertNotEqual(p.kind, q.kind)
          } else if p.kind == q.kind {
            XCTAssertNotEqual(p.answer, q.answer)
          }
          XCTAssertEqual(q.level, level)
        }
      }
    }
  }

  func testSplitMix64KnownValues() {
    // Reference values of SplitMix64 for seed 0 (Vigna's splitmix64.c).
    var r = SplitMix64(seed: 0)
    XCTAssertEqual(r.next(), 0xE220_A839_7B1D_CDAF)
    XCTAssertEqual(r.next(), 0x6E78_9E6A_A1B9_65F4)
    var s = SplitMix64(seed: 99)
    for _ in 0..<1000 { XCTAssertTrue((3...5).contains(s.int(in: 3...5))) }
  }

  func testAnswerParsing() {
    let shape = QuizAnswer.shape([26, 26, 64])
    for text in ["26x26x64", "26, 26, 64", "(None, 26, 26, 64)", "(26, 26, 64)", " 26 x 26 x 64 ", "26X26X64", "26 26 64", "answer: 26x26x64", "[26, 26, 64]", "26×26×64"] {
      XCTAssertEqual(QuizAnswerParser.parse(text, expecting: shape), shape, text)
    }
    for text in ["", "26x26", "26x26x64x", "26,26,,64", "(None, 26, 26, 64", "twenty-six", "26x26x-64", "26.5x26x64", "None", "26x26x64 maybe"] {
      let parsed = QuizAnswerParser.parse(text, expecting: shape)
      XCTAssertTrue(parsed == nil || parsed != shape, text)
    }
    XCTAssertNil(QuizAnswerParser.parse("26x26x64 maybe", expecting: shape))
    XCTAssertEqual(QuizAnswerParser.parse("26x26", expecting: shape), .shape([26, 26]))  // read, and wrong

    let count = QuizAnswer.count(649_775)
    for text in ["649775", "649,775", "649.775", "649 775", "649_775", "answer: 649,775"] {
      XCTAssertEqual(QuizAnswerParser.parse(text, expecting: count), count, text)
    }
    for text in ["", "649,77", "6497,75", "64,9775", "649,775.0", "-649775", "649,775 params", "abc", "1e5", "649,775,", "649.775,000"] {
      XCTAssertNil(QuizAnswerParser.parse(text, expecting: count), text)
    }
    XCTAssertEqual(QuizAnswerParser.parse("640", expecting: .count(640)), .count(640))

    let flat = QuizAnswer.shape([43_264])
    for text in ["43264", "43,264", "(None, 43264)", "(43264,)"] {
      XCTAssertEqual(QuizAnswerParser.parse(text, expecting: flat), flat, text)
    }
  }

  func testSessionKeepsScoreStreakAndProgress() {
    var s = QuizSession(seed: 3, selection: .mixed, level: 1, language: .en)
    let first = s.current
    let f = s.submit(first.answer.text)
    XCTAssertTrue(f.correct)
    XCTAssertEqual(f.verdict, "correct")
    XCTAssertEqual(s.submit("garbage"), f)  // answered already: not counted twice
    XCTAssertEqual(s.answered, 1)
    s.next()
    XCTAssertNotEqual(s.current, first)
    let wrong = s.submit("xyz")
    XCTAssertFalse(wrong.correct)
    XCTAssertTrue(wrong.verdict.hasPrefix("wrong: the answer is " + s.current.answer.text), wrong.verdict)
    XCTAssertTrue(wrong.verdict.contains("could not read 'xyz'"))
    XCTAssertEqual(s.correct, 1)
    XCTAssertEqual(s.streak, 0)
    XCTAssertEqual(s.bestStreak, 1)
    XCTAssertEqual(s.progress.topics.values.reduce(0) { $0 + $1.asked }, 2)
    XCTAssertEqual(s.progress.stats(first.topic).correct, 1)

    var es = QuizSession(seed: 3, language: .es)
    XCTAssertEqual(es.current, first)  // the language changes the words, not the questions
    XCTAssertTrue(es.current.prompt(.es).contains("¿"))
    XCTAssertTrue(es.submit("1").verdict.hasPrefix("incorrecto: la respuesta es "))
  }

  func testWrongShapeHints() {
    let q = try! QuizQuestion(kind: .convOutput, level: 1, ask: .convOutput(input: [28, 28, 1], layer: QuizGenerator.courseConv))
    XCTAssertTrue(QuizSession.grade("26x26x1", for: q, language: .en).verdict.hasSuffix("rows and columns are right; check the channels"))
    XCTAssertTrue(QuizSession.grade("26x26", for: q, language: .en).verdict.hasSuffix("you gave 2 sizes; the answer has 3 (rows, columns, channels)"))
  }

  /// Every layer a question shows is Keras code that the spec parser reads back to the same layer.
  func testQuestionLayersReadBackThroughTheSpecParser() throws {
    for level in 1...3 {
      for q in questions(.mixed, level: level, seed: 11, count: 80) {
        let model = try XCTUnwrap(q.model)
        let text = model.layers.map(\.kerasCode).joined(separator: " -> ")
        let parsed = try ModelSpecParser.parse(text, inputShape: model.inputShape)
        XCTAssertEqual(parsed.layers.map(\.kerasCode), model.layers.map(\.kerasCode), text)
        XCTAssertEqual(parsed.layers.map(\.trainable), model.layers.map(\.trainable), text)
      }
    }
  }
}

extension String {
  fileprivate func trimmingCharacters() -> String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
