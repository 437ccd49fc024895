import ConvCourse
import ConvKit
import ConvTerminal

/// The lessons as a menu: arrows or numbers choose, Enter opens, l switches language.
public struct HomeScreen: Screen {
  public let lessons: [Lesson]
  public private(set) var selected = 0

  public init(lessons: [Lesson] = Lesson.standard) {
    self.lessons = lessons
  }

  public var id: String { "home" }
  public func title(_ env: Env) -> String { env.t(T.homeTitle) }

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    guard case .key(let key) = msg else { return .none }
    switch key {
    case .up: selected = (selected + lessons.count - 1) % lessons.count
    case .down: selected = (selected + 1) % lessons.count
    case .home: selected = 0
    case .end: selected = lessons.count - 1
    case .enter, .right:
      return open(selected)
    case .char(let c) where c.isNumber:
      guard let n = c.wholeNumberValue, (1...lessons.count).contains(n) else { return .ignored }
      selected = n - 1
      return open(selected)
    case .char("l"):
      return .setLanguage(env.lang == .en ? .es : .en)
    default:
      return .ignored
    }
    return .none
  }

  private func open(_ i: Int) -> Effect {
    .open(lessons[i].id)
  }

  public func hints(_ env: Env) -> [KeyHint] {
    [
      KeyHint("↑↓", env.t(T.keyChoose)), KeyHint("Enter/→", env.t(T.keyOpen)),
      KeyHint("1-\(min(9, lessons.count))", env.t(T.keyOpenNumber)), KeyHint("Home/End", env.t(T.keyFirstLast)),
      KeyHint("l", env.t(T.keyLanguage)),
    ]
  }

  public func helpText(_ env: Env) -> [String] { [env.t(T.helpHome)] }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let listWidth = min(40, area.width / 2)
    canvas.put(env.t(T.homeIntro), x: area.x + 2, y: area.y + 1, style: theme.emphasis, maxWidth: area.width - 4)
    let listRect = Rect(x: area.x + 1, y: area.y + 3, width: listWidth, height: lessons.count + 2)
    canvas.box(listRect, title: env.t(T.lessonsHeading), style: theme.border, titleStyle: theme.panelTitle)
    let marker = canvas.unicode ? "▸" : ">"
    for (i, lesson) in lessons.enumerated() {
      let y = listRect.y + 1 + i
      let mine = i == selected
      let number = lessons.count > 9 && i < 9 ? " \(i + 1)" : "\(i + 1)"
      let label = "\(mine ? marker : " ") \(number)  \(env.t(lesson.title))"
      let style = mine ? theme.selected : theme.text
      canvas.put(label.padding(to: listRect.width - 2), x: listRect.x + 1, y: y, style: style,
                 maxWidth: listRect.width - 2)
    }
    // The chosen lesson, explained.
    let dx = listRect.maxX + 2
    let dw = area.maxX - dx - 1
    let lesson = lessons[selected]
    var y = listRect.y
    canvas.put(env.t(lesson.title), x: dx, y: y, style: theme.panelTitle, maxWidth: dw)
    y += 2
    for l in wrapText(env.t(lesson.blurb), width: dw) where y < area.maxY {
      canvas.put(l, x: dx, y: y, style: theme.text, maxWidth: dw)
      y += 1
    }
    y += 1
    for l in wrapText(env.t(T.pressEnter), width: dw) where y < area.maxY {
      canvas.put(l, x: dx, y: y, style: theme.emphasis, maxWidth: dw)
      y += 1
    }
    if let command = lesson.command, y + 2 < area.maxY {
      y += 1
      canvas.put(env.t(T.onCommandLine), x: dx, y: y, style: theme.muted, maxWidth: dw)
      for l in wrapText(command, width: dw - 2) where y + 1 < area.maxY {
        y += 1
        canvas.put("  " + l, x: dx, y: y, style: theme.text, maxWidth: dw)
      }
    }
    let by = listRect.maxY + 1
    let other: Lang = env.lang == .en ? .es : .en
    canvas.put(env.t(T.languageLine, env.lang.name, other.name), x: area.x + 2, y: by + 1,
               style: theme.muted, maxWidth: area.width - 4)
    // The quiz's suggestion: the topic with the lowest share of right answers (ConvKit decides).
    let progress = env.quizProgress.load().progress
    let weakest = progress.weakestTopic
    let stats = progress.stats(weakest)
    let topic = QuizCatalog.text(.topicName(weakest), env.lang.quiz)
    let suggestion = stats.asked == 0
      ? env.t(T.homeSuggestNew, topic) : env.t(T.homeSuggest, topic, stats.correct, stats.asked)
    for (i, l) in wrapText(suggestion, width: area.width - 4, indent: "  ").enumerated() {
      canvas.put(l, x: area.x + 2, y: by + 2 + i, style: theme.muted, maxWidth: area.width - 4)
    }
  }
}

extension String {
  /// The string padded with spaces to `width` characters (never cut).
  func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
