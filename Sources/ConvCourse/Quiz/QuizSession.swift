import ConvKit
/// A quiz in progress, driven the same way by the command line and by a screen:
/// read `current`, call `submit(_:)` with what the learner typed, show the feedback, then
/// `next()`. Keeps the score, the streak and the per-topic progress.
public struct QuizSession: Sendable {
  public var language: QuizLanguage
  public private(set) var generator: QuizGenerator
  public private(set) var current: QuizQuestion
  /// Questions answered so far, and how many of them right.
  public private(set) var answered = 0
  public private(set) var correct = 0
  public private(set) var streak = 0
  public private(set) var bestStreak = 0
  public var progress: QuizProgress
  /// The feedback for `current`, once it has been answered.
  public private(set) var feedback: QuizFeedback?

  public init(
    seed: UInt64, selection: QuizSelection = .mixed, level: Int = 1, language: QuizLanguage = .en,
    progress: QuizProgress = QuizProgress()
  ) {
    var g = QuizGenerator(seed: seed, selection: selection, level: level)
    current = g.next()
    generator = g
    self.language = language
    self.progress = progress
  }

  /// Grades `text` against the current question. Answering the same question again returns the
  /// first feedback without counting twice.
  @discardableResult
  public mutating func submit(_ text: String) -> QuizFeedback {
    if let feedback { return feedback }
    let f = QuizSession.grade(text, for: current, language: language)
    answered += 1
    if f.correct {
      correct += 1
      streak += 1
      bestStreak = max(bestStreak, streak)
    } else {
      streak = 0
    }
    progress.record(current.topic, correct: f.correct)
    feedback = f
    return f
  }

  /// Moves to a new question (never one alike the last).
  public mutating func next() {
    current = generator.next()
    feedback = nil
  }

  /// Grading without keeping score: for answer files and the answer key.
  public static func grade(_ text: String, for q: QuizQuestion, language: QuizLanguage) -> QuizFeedback {
    let given = QuizAnswerParser.parse(text, expecting: q.answer)
    let ok = given == q.answer
    var verdict = ok
      ? QuizCatalog.text(.correct, language)
      : QuizCatalog.text(.wrong(q.answer.text), language)
    let trimmed = String(Substring(text).trimmingWhitespace())
    if !ok {
      if given == nil && !trimmed.isEmpty {
        verdict += "\n" + QuizCatalog.text(.unreadable(trimmed, q.answer), language)
      } else if case .shape(let g)? = given, case .shape(let e) = q.answer {
        if g.count != e.count {
          verdict += "\n" + QuizCatalog.text(.shapeRank(given: g.count, expected: e.count), language)
        } else if e.count == 3, g.prefix(2) == e.prefix(2) {
          verdict += "\n" + QuizCatalog.text(.channelsWrong, language)
        }
      }
    }
    return QuizFeedback(
      correct: ok, given: given, expected: q.answer, verdict: verdict, explanation: q.explanation(language))
  }
}

/// Answers and right answers per topic, kept across sessions (saved as JSON by the CLI and the
/// playground in the user's data directory).
public struct QuizProgress: Codable, Equatable, Sendable {
  public struct Stats: Codable, Equatable, Sendable {
    public var asked: Int
    public var correct: Int
    public init(asked: Int = 0, correct: Int = 0) {
      self.asked = asked
      self.correct = correct
    }
  }

  public var version = 1
  /// Keyed by `QuizTopic.rawValue`.
  public var topics: [String: Stats] = [:]

  public init() {}

  public mutating func record(_ topic: QuizTopic, correct: Bool) {
    var s = topics[topic.rawValue, default: Stats()]
    s.asked += 1
    if correct { s.correct += 1 }
    topics[topic.rawValue] = s
  }

  public func stats(_ topic: QuizTopic) -> Stats { topics[topic.rawValue, default: Stats()] }

  /// The topic to practise next: the lowest share of right answers, counting one imagined
  /// right and one wrong answer per topic so that an untried topic (1/2) comes before one
  /// answered well and after one answered badly. Ties go to the course's order of topics.
  public var weakestTopic: QuizTopic {
    var best = QuizTopic.allCases[0]
    var bestScore = 2.0
    for t in QuizTopic.allCases {
      let s = stats(t)
      let score = Double(s.correct + 1) / Double(s.asked + 2)
      if score < bestScore {
        best = t
        bestScore = score
      }
    }
    return best
  }

  /// Checks numbers read from a file: no negatives, no more right answers than questions,
  /// known topics only.
  public var isConsistent: Bool {
    version == 1
      && topics.allSatisfy { QuizTopic(rawValue: $0.key) != nil && $0.value.asked >= 0 && $0.value.correct >= 0 && $0.value.correct <= $0.value.asked }
  }
}
