import ConvCourse
import ConvKit
import ConvTerminal

/// The quiz as a screen: the question, an input line, the verdict with the explanation, score
/// and streak, and `g` to open the screen that shows the question with its numbers loaded.
///
/// Everything quiz-like is ConvKit's `QuizSession` (questions, grading, score, progress), the
/// same engine `convplay quiz` drives; this screen only reads keys and draws. The feedback is
/// graded again in `view` with `QuizSession.grade` so that it follows the playground's language.
public struct QuizScreen: Screen {
  /// What Tab cycles through: all topics, then each one.
  public static let selections: [QuizSelection] = [.mixed] + QuizTopic.allCases.map { .topic($0) }
  /// Longest answer the input line takes (the longest accepted form is about 25 characters).
  static let maxInput = 40

  public private(set) var session: QuizSession
  /// The seed of the current round: `convplay quiz --seed S --topic T --level L` asks the same.
  public private(set) var seed: UInt64
  public private(set) var selection: QuizSelection
  public private(set) var level: Int
  /// The answer being typed.
  public private(set) var typed = ""
  /// What was submitted for the current question; nil while it is being asked.
  public private(set) var submitted: String?
  /// The screen opened from the explanation (`g`), shown in place of the quiz until q or Esc.
  public private(set) var linked: (any Screen)?
  var linkNote: (Tr, [String])?
  /// The page of a long explanation shown (PgDn/PgUp turn whole pages: no line is skipped).
  var page = 0
  var notice: Tr?
  /// A problem with the progress file (damaged and set aside, or not saved), in its own words.
  var problem: String?
  let keeper: any QuizProgressKeeper

  public init(
    seed: UInt64, selection: QuizSelection = .mixed, level: Int = 1,
    keeper: any QuizProgressKeeper = MemoryProgressKeeper()
  ) {
    let (progress, notice) = keeper.load()
    self.seed = seed
    self.selection = selection
    self.level = min(max(level, 1), 3)
    self.keeper = keeper
    problem = notice
    session = QuizSession(seed: seed, selection: selection, level: self.level, progress: progress)
  }

  /// The quiz as Home opens it: a fresh seed, on the weakest topic once there is progress.
  public static func practice(env: Env) -> QuizScreen {
    let progress = env.quizProgress.load().progress
    let tried = progress.topics.values.contains { $0.asked > 0 }
    return QuizScreen(
      seed: UInt64.random(in: 1...999_999), selection: tried ? .topic(progress.weakestTopic) : .mixed,
      keeper: env.quizProgress)
  }

  public var id: String { "quiz" }
  public var answering: Bool { submitted == nil }
  public var tickInterval: Double? { linked?.tickInterval }
  /// Once an answer is being typed every key is text (q, ? and Esc included: Esc clears it);
  /// with an empty answer q leaves and ? opens help, as the help bar says.
  public var capturesAllKeys: Bool { linked?.capturesAllKeys ?? (answering && !typed.isEmpty) }

  // MARK: update

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    if var inner = linked {
      let effect = inner.update(msg, env: env)
      linked = inner
      switch effect {
      case .ignored:
        if case .key(let k) = msg, k == .char("q") || k == .char("Q") || k == .escape { closeLink() }
        return .none
      case .back:
        closeLink()
        return .none
      default:
        return effect
      }
    }
    notice = nil
    guard case .key(let key) = msg else { return .none }
    switch key {
    case .tab: choose(selectionStep: 1)
    case .backTab: choose(selectionStep: -1)
    case .up: choose(levelStep: 1)
    case .down: choose(levelStep: -1)
    case .pageDown where !answering:
      // At most one page per line of the explanation at the narrowest screen (the view shows
      // the last page for any page past the end).
      let lines = feedbackLines(submitted ?? "", env: env, width: PlaygroundApp.minimumSize.width - 2, unicode: true).rest.count
      page = min(page + 1, max(0, lines - 1))
    case .pageUp where !answering: page = max(page - 1, 0)
    case .char("q") where typed.isEmpty, .char("Q") where typed.isEmpty: return .ignored
    default:
      return answering ? ask(key, env: env) : afterAnswer(key)
    }
    return .none
  }

  private mutating func ask(_ key: Key, env: Env) -> Effect {
    switch key {
    case .enter:
      let text = typed.trimmedSpaces
      guard !text.isEmpty else {
        notice = T.quizTypeFirst
        return .none
      }
      session.language = env.lang.quiz
      session.submit(text)
      submitted = text
      page = 0
      problem = keeper.save(session.progress)
    case .backspace, .delete:
      if !typed.isEmpty { typed.removeLast() }
    case .escape:
      if typed.isEmpty { return .ignored }
      typed = ""
    case .char(let c) where !c.isNewline && (c == " " || !c.isWhitespace):
      if typed.count < QuizScreen.maxInput { typed.append(c) }
    default:
      return .ignored
    }
    return .none
  }

  private mutating func afterAnswer(_ key: Key) -> Effect {
    switch key {
    case .enter, .char(" "), .char("n"), .char("N"):
      session.next()
      typed = ""
      submitted = nil
      page = 0
    case .char("g"), .char("G"), .right:
      openLink()
    default:
      return .ignored
    }
    return .none
  }

  /// A new round on another topic or level; the progress carries over, score and streak
  /// start again (they belong to a topic and level). The seed moves on so the round differs.
  private mutating func choose(selectionStep: Int = 0, levelStep: Int = 0) {
    let all = QuizScreen.selections
    let i = all.firstIndex(of: selection) ?? 0
    let newSelection = all[(i + selectionStep + all.count) % all.count]
    let newLevel = min(max(level + levelStep, 1), 3)
    guard newSelection != selection || newLevel != level else { return }
    selection = newSelection
    level = newLevel
    seed &+= 1
    session = QuizSession(
      seed: seed, selection: selection, level: level, language: session.language, progress: session.progress)
    typed = ""
    submitted = nil
    page = 0
  }

  private mutating func closeLink() {
    linked = nil
    linkNote = nil
  }

  /// The screen that shows the current question: the padding screen with this input size,
  /// kernel, padding, stride and dilation; the pooling screen with this window; or the model's
  /// summary with the layer marked (a block's summary says which layers feed its Add or
  /// Concatenate). Images larger than a screen scroll with the window.
  private mutating func openLink() {
    switch session.current.link {
    case .window(let input, let layer):
      // Small whole numbers keep the cells narrow; the seed makes them the same every time.
      var rng = SplitMix64(seed: seed)
      let matrix = Tensor(zeros: [1, input[0], input[1]]).randomized(in: 0...9, using: &rng)
      let channels = input.count > 2 ? input[2] : 1
      switch layer.layer {
      case let conv as Conv2D:
        let (filters, k, s, p, d) = (conv.filters, conv.kernelSize, conv.strides, conv.padding, conv.dilation.rows)
        let square3 = k.rows == 3 && k.cols == 3
        linked = ConvLabScreen(
          variant: .padding, input: matrix,
          kernel: square3 ? nil : Tensor(shape: [1, k.rows, k.cols], scalars: Array(repeating: 1, count: k.rows * k.cols)),
          kernelName: square3 ? "sharpen" : nil, padding: p, stride: (s.rows, s.cols), dilation: d)
        linkNote = (T.quizOneChannel, [ShapeText.compact(input), String(filters)])
      case let pool as any PoolingLayer:
        let (k, s, p) = (pool.options.poolSize, pool.options.strides, pool.options.padding)
        let mode: PoolMode = pool is AveragePooling2D ? .avg : .max
        linked = PoolingScreen(
          input: ExactTensor(matrix), mode: mode, size: k.rows, stride: s.rows == k.rows ? nil : s.rows, padding: p)
        linkNote = channels > 1 ? (T.quizPoolChannels, [ShapeText.compact(input)]) : nil
      default:
        linked = session.current.model.map { SummaryScreen(spec: $0, layer: 0) }
      }
    case .summary(let model, let layer):
      linked = SummaryScreen(spec: model, layer: layer)
      linkNote = nil
    case .blockSummary(let block, let node):
      linked = SummaryScreen(graph: block, node: node)
      linkNote = nil
    }
  }

  // MARK: view

  public func title(_ env: Env) -> String {
    guard let linked else { return env.t(T.lessonQuiz) }
    return env.t(T.lessonQuiz) + " / " + linked.title(env)
  }

  public func status(_ env: Env) -> String {
    linked?.status(env) ?? env.t(T.quizSeed, seed)
  }

  public func hints(_ env: Env) -> [KeyHint] {
    if let linked { return [KeyHint("q", env.t(T.keyBackToQuiz))] + linked.hints(env) }
    let choose = [KeyHint("Tab", env.t(T.keyQuizTopic)), KeyHint("↑↓", env.t(T.keyQuizLevel))]
    if answering {
      return [KeyHint("Enter", env.t(T.keyQuizSubmit)), KeyHint("BSpace", env.t(T.keyQuizErase)), KeyHint("Esc", env.t(T.keyQuizClear))]
        + choose
    }
    return [KeyHint("Enter", env.t(T.keyQuizNext)), KeyHint("g", env.t(T.keyQuizShow))] + choose
      + [KeyHint("PgUp/PgDn", env.t(T.keyQuizScroll))]
  }

  public func helpText(_ env: Env) -> [String] {
    linked?.helpText(env) ?? [env.t(T.helpQuiz1), env.t(T.helpQuiz2)]
  }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    if let linked {
      var inner = area
      if let (entry, args) = linkNote {
        canvas.put(entry.text(env.lang, args), x: area.x + 1, y: area.y, style: env.theme.emphasis,
                   maxWidth: area.width - 2)
        inner = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
      }
      linked.view(into: &canvas, area: inner, env: env)
      return
    }
    let theme = env.theme
    let lang = env.lang.quiz
    let width = area.width - 2
    let x = area.x + 1
    var y = area.y

    // Settings on the left, score on the right.
    let topicName: String
    switch selection {
    case .mixed: topicName = env.t(T.quizMixed)
    case .topic(let t): topicName = QuizCatalog.text(.topicName(t), lang)
    }
    canvas.put(env.t(T.quizSettings, topicName, level), x: x, y: y, style: theme.text, maxWidth: width)
    let score = env.t(T.quizScore, session.correct, session.answered, session.streak, session.bestStreak)
    canvas.put(score, x: max(x, area.maxX - 1 - score.count), y: y, style: theme.emphasis)
    y += 2

    // The question.
    let q = session.current
    let number = session.answered + (answering ? 1 : 0)
    canvas.put(env.t(T.quizQuestion, number, QuizCatalog.text(.topicName(q.topic), lang), q.level),
               x: x, y: y, style: theme.panelTitle, maxWidth: width)
    y += 1
    var promptLines = q.prompt(lang).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var listingHidden = false
    if let submitted, promptLines.count > 1 {
      // After answering, a listing (a model's layers, a block's code) gives way to the
      // explanation when both do not fit: the explanation names every layer with its numbers.
      let listed = promptLines.reduce(0) { $0 + fitted($1, width: width).count }
      let (verdict, rest) = feedbackLines(submitted, env: env, width: width, unicode: canvas.unicode)
      let answerLines = 3 + (notice == nil ? 0 : 1) + (problem == nil ? 0 : 1)
      if y + listed + answerLines + verdict.count + rest.count > area.maxY {
        promptLines = [promptLines[0]]
        listingHidden = true
      }
    }
    for line in promptLines {
      for l in fitted(line, width: width) where y < area.maxY {
        canvas.put(l, x: x, y: y, style: theme.text, maxWidth: width)
        y += 1
      }
    }
    if listingHidden {
      for l in wrapText(env.t(T.quizListingHidden), width: width, indent: "") where y < area.maxY {
        canvas.put(l, x: x, y: y, style: theme.muted, maxWidth: width)
        y += 1
      }
    }
    y += 1

    // The input line.
    let label = env.t(T.quizAnswerLabel) + " "
    var ax = canvas.put(label, x: x, y: y, style: theme.muted)
    if let submitted {
      canvas.put(submitted, x: ax, y: y, style: theme.emphasis, maxWidth: area.maxX - ax - 1)
    } else {
      ax = canvas.put(typed, x: ax, y: y, style: theme.emphasis, maxWidth: area.maxX - ax - 2)
      canvas.put(" ", x: ax, y: y, style: theme.cursor)
    }
    y += 1
    if let notice {
      canvas.put(env.t(notice), x: x, y: y, style: theme.error, maxWidth: width)
      y += 1
    }
    y += 1

    // The feedback, scrolled when it does not fit.
    var bottom = area.maxY
    if let problem {
      bottom -= 1
      canvas.put(problem, x: x, y: bottom, style: theme.error, maxWidth: width)
    }
    guard let submitted else { return }
    // The verdict stays; the explanation below it scrolls when it does not fit.
    let (verdict, rest) = feedbackLines(submitted, env: env, width: width, unicode: canvas.unicode)
    let room = bottom - y
    guard room > 0 else { return }
    drawBlock(Array(verdict.prefix(room)), x: x, y: y, width: width, canvas: &canvas)
    y += min(room, verdict.count)
    let restRoom = bottom - y
    guard restRoom > 0 else { return }
    if rest.count <= restRoom {
      drawBlock(rest, x: x, y: y, width: width, canvas: &canvas)
    } else {
      let shown = max(1, restRoom - 1)
      let start = min(page * shown, rest.count - shown)
      drawBlock(Array(rest[start..<(start + shown)]), x: x, y: y, width: width, canvas: &canvas)
      let below = rest.count - start - shown
      if below > 0 {
        canvas.put(env.t(T.quizMore, below), x: x, y: y + shown, style: theme.muted, maxWidth: width)
      }
    }
  }

  private func drawBlock(_ lines: [(String, Style)], x: Int, y: Int, width: Int, canvas: inout Canvas) {
    for (i, (text, style)) in lines.enumerated() {
      canvas.put(text, x: x, y: y + i, style: style, maxWidth: width)
    }
  }

  /// The verdict, and the explanation with the link, wrapped to `width`.
  func feedbackLines(_ answer: String, env: Env, width: Int, unicode: Bool) -> (verdict: [(String, Style)], rest: [(String, Style)]) {
    let theme = env.theme
    let lang = env.lang.quiz
    let f = QuizSession.grade(answer, for: session.current, language: lang)
    let good = theme.colored ? Style(fg: Color(120), bold: true) : Style(bold: true)
    var lines: [(String, Style)] = []
    let verdict = f.verdict.split(separator: "\n").map(String.init)
    for (i, v) in verdict.enumerated() {
      let mark = i > 0 ? "  " : (f.correct ? (unicode ? "✓ " : "+ ") : (unicode ? "✗ " : "x "))
      for l in fitted(mark + v, width: width) {
        lines.append((l, i == 0 ? (f.correct ? good : theme.error) : theme.text))
      }
    }
    let verdictLines = lines
    lines = []
    for e in f.explanation {
      for piece in wrapEquation(e, width: width) {
        for l in fitted(piece, width: width) { lines.append((l, theme.text)) }
      }
    }
    let screenName: String
    switch session.current.link {
    case .window(_, let layer):
      switch layer.layer {
      case is Conv2D: screenName = env.t(T.lessonPadding)
      case is any PoolingLayer: screenName = env.t(T.lessonPooling)
      default: screenName = env.t(T.lessonSummary)
      }
    case .summary, .blockSummary: screenName = env.t(T.lessonSummary)
    }
    lines.append(("", theme.text))
    lines.append((env.t(T.quizShowOn, screenName), theme.muted))
    return (verdictLines, lines)
  }
}

/// A line as it is when it fits, else word-wrapped; its indentation is kept and continuation
/// lines go two columns further in (a model's layer list stays a list).
func fitted(_ line: String, width: Int) -> [String] {
  guard line.count > width else { return [line] }
  let lead = String(line.prefix { $0 == " " })
  return wrapText(String(line.dropFirst(lead.count)), width: width - lead.count, indent: "  ").map { lead + $0 }
}

extension String {
  /// Without leading and trailing spaces.
  var trimmedSpaces: String {
    String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
  }
}

extension Lang {
  /// The quiz catalog's language for this playground language.
  var quiz: QuizLanguage { self == .es ? .es : .en }
}
