import ConvTerminal

/// The playground as a value: a stack of screens, the language and whether help is open.
/// `send` is pure (no terminal), `render` draws a whole frame into a canvas: tests drive the
/// app exactly as the terminal loop does.
public struct PlaygroundApp: Sendable {
  public private(set) var stack: [any Screen]
  public var env: Env
  public private(set) var showingHelp = false
  /// Set when the root screen was closed (q): the loop ends.
  public private(set) var finished = false
  let lessons: [Lesson]

  /// The minimum terminal the layouts are designed for.
  public static let minimumSize = (width: 80, height: 24)

  public init(root: any Screen, env: Env, lessons: [Lesson] = Lesson.standard) {
    stack = [root]
    self.env = env
    self.lessons = lessons
  }

  /// The playground opened on Home.
  public static func home(env: Env, lessons: [Lesson] = Lesson.standard) -> PlaygroundApp {
    PlaygroundApp(root: HomeScreen(lessons: lessons), env: env, lessons: lessons)
  }

  public var top: any Screen { stack[stack.count - 1] }

  public mutating func send(_ msg: Msg) {
    if showingHelp {
      if case .key = msg { showingHelp = false }
      return
    }
    if case .key(.char("?")) = msg, !top.capturesAllKeys {
      showingHelp = true
      return
    }
    var screen = stack.removeLast()
    let effect = screen.update(msg, env: env)
    stack.append(screen)
    switch effect {
    case .none:
      break
    case .ignored:
      if case .key(let key) = msg {
        if key == .char("q") || key == .char("Q") { back() }
        if key == .escape, stack.count > 1 || !(top is HomeScreen) { back() }
      }
    case .back:
      back()
    case .open(let id):
      if let make = lessons.first(where: { $0.id == id })?.make {
        stack.append(make(env))
      }
    case .setLanguage(let lang):
      env.lang = lang
    case .push(let pushed):
      stack.append(pushed.screen)
    }
  }

  /// Sends each key of a script, as tests and the `--keys` option do.
  public mutating func send(keys: [Key]) {
    for k in keys { send(.key(k)) }
  }

  private mutating func back() {
    if stack.count > 1 { stack.removeLast() } else { finished = true }
  }

  /// A complete frame: title bar, the screen, the help bar (and help overlay when open).
  public func render(width: Int, height: Int, unicode: Bool = true) -> Canvas {
    var canvas = Canvas(width: width, height: height, unicode: unicode)
    let theme = env.theme
    if width < PlaygroundApp.minimumSize.width || height < PlaygroundApp.minimumSize.height {
      let text = env.t(T.tooSmall, PlaygroundApp.minimumSize.width, PlaygroundApp.minimumSize.height, width, height)
      let lines = wrapText(text, width: max(10, width - 2))
      let y0 = max(0, (height - lines.count) / 2)
      for (i, l) in lines.enumerated() {
        canvas.put(l, x: max(0, (width - l.count) / 2), y: y0 + i, style: theme.emphasis)
      }
      return canvas
    }
    // Title bar.
    canvas.fill(Rect(x: 0, y: 0, width: width, height: 1), style: theme.title)
    let arrow = unicode ? "›" : ">"
    canvas.put(" convplay \(arrow) " + top.title(env), x: 0, y: 0, style: theme.title)
    let right = [top.status(env), env.lang.code.uppercased()].filter { !$0.isEmpty }
      .joined(separator: "  ") + " "
    canvas.put(right, x: width - right.count, y: 0, style: theme.title)

    // Help bar: the screen's keys, then help and back/quit, which are always shown.
    let helpBarHeight = 2
    let area = Rect(x: 0, y: 1, width: width, height: height - 1 - helpBarHeight)
    top.view(into: &canvas, area: area, env: env)
    drawHelpBar(&canvas, y: height - helpBarHeight, lines: helpBarHeight)

    if showingHelp { drawHelp(&canvas) }
    return canvas
  }

  private var fixedHints: [KeyHint] {
    if top.capturesAllKeys { return [] }
    let quits = stack.count == 1
    return [KeyHint("?", env.t(T.keyHelp)), KeyHint("q", env.t(quits ? T.keyQuit : T.keyBack))]
  }

  private func drawHelpBar(_ canvas: inout Canvas, y: Int, lines: Int) {
    let theme = env.theme
    canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: lines), style: theme.helpText)
    let fixed = fixedHints
    let width = canvas.width
    func itemWidth(_ h: KeyHint) -> Int { h.keys.count + 1 + h.action.count + 2 }
    let fixedWidth = fixed.reduce(0) { $0 + itemWidth($1) }
    // Fill the lines greedily; the last line keeps room for the fixed hints.
    var rows: [[KeyHint]] = [[]]
    var used = 0
    for h in top.hints(env) {
      let limit = rows.count == lines ? width - fixedWidth : width
      if used + itemWidth(h) > limit {
        if rows.count == lines { break }
        rows.append([])
        used = 0
      }
      rows[rows.count - 1].append(h)
      used += itemWidth(h)
    }
    while rows.count < lines { rows.append([]) }
    rows[lines - 1] += fixed
    for (i, row) in rows.enumerated() {
      var x = 1
      for h in row {
        x = canvas.put(h.keys, x: x, y: y + i, style: theme.helpKey)
        x = canvas.put(" " + h.action, x: x, y: y + i, style: theme.helpText) + 2
      }
    }
  }

  private func drawHelp(_ canvas: inout Canvas) {
    let theme = env.theme
    let w = min(canvas.width - 4, 100)
    var lines: [(String, Style)] = []
    for p in top.helpText(env) {
      for l in wrapText(p, width: w - 4) { lines.append((l, theme.text)) }
      lines.append(("", theme.text))
    }
    lines.append((env.t(T.keysHeading), theme.panelTitle))
    let all = top.hints(env) + fixedHints + [KeyHint("Esc", env.t(T.keyBack))]
    let keyWidth = all.map(\.keys.count).max() ?? 1
    let entries = all.map { "  " + $0.keys.padding(to: keyWidth) + "  " + $0.action }
    // Two columns when the list would not fit the terminal's height otherwise.
    let columnWidth = (w - 4) / 2
    let twoColumns = lines.count + entries.count + 4 > canvas.height - 2
      && entries.allSatisfy { $0.count < columnWidth }
    if twoColumns {
      let half = (entries.count + 1) / 2
      for i in 0..<half {
        let right = i + half < entries.count ? entries[i + half] : ""
        lines.append((entries[i].padding(to: columnWidth) + right, theme.text))
      }
    } else {
      for e in entries { lines.append((e, theme.text)) }
    }
    lines.append(("", theme.text))
    lines.append((env.t(T.closeHelp), theme.muted))
    let h = min(canvas.height - 2, lines.count + 2)
    let rect = Rect(x: (canvas.width - w) / 2, y: (canvas.height - h) / 2, width: w, height: h)
    canvas.fill(rect)
    canvas.box(rect, title: env.t(T.helpTitle, top.title(env)), style: theme.border, titleStyle: theme.panelTitle)
    for (i, (text, style)) in lines.prefix(h - 2).enumerated() {
      canvas.put(text, x: rect.x + 2, y: rect.y + 1 + i, style: style, maxWidth: w - 4)
    }
  }
}
