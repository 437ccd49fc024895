import ConvTerminal
import Foundation

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
  /// Performs the screens' commands (`Effect.perform`) and reports back as messages.
  public let workers: Workers

  /// The minimum terminal the layouts are designed for.
  public static let minimumSize = (width: 80, height: 24)

  public init(root: any Screen, env: Env, lessons: [Lesson] = Lesson.standard, workers: Workers = Workers()) {
    stack = [root]
    self.workers = workers
    self.env = env
    self.lessons = lessons
  }

  /// The playground opened on Home.
  public static func home(env: Env, lessons: [Lesson] = Lesson.standard) -> PlaygroundApp {
    PlaygroundApp(root: HomeScreen(lessons: lessons), env: env, lessons: lessons)
  }

  public var top: any Screen { stack[stack.count - 1] }

  /// The terminal's size as last drawn (the runner sets it): while it is below `minimumSize`
  /// only the too-small message is on screen, so keys other than q are not acted on.
  public var size: (width: Int, height: Int)?
  /// First line of the help overlay shown (it scrolls when longer than the terminal).
  public private(set) var helpOffset = 0

  /// Whether a frame of this size shows only the too-small message.
  public static func isTooSmall(width: Int, height: Int) -> Bool {
    width < minimumSize.width || height < minimumSize.height
  }

  public mutating func send(_ msg: Msg) {
    deliverWorkerMessages()
    if let size, PlaygroundApp.isTooSmall(width: size.width, height: size.height) {
      // The message says "press q to quit": that key alone counts; the clock keeps ticking.
      if case .key(let key) = msg {
        if key == .char("q") || key == .char("Q") { finished = true }
        return
      }
    }
    if showingHelp {
      if case .key(let key) = msg { scrollHelp(key) }
      return
    }
    if case .key(.char("?")) = msg, !top.capturesAllKeys {
      showingHelp = true
      helpOffset = 0
      return
    }
    var screen = stack.removeLast()
    let capturing = screen.capturesAllKeys
    let effect = screen.update(msg, env: env)
    stack.append(screen)
    perform(effect, after: msg, from: screen.id, capturing: capturing)
    deliverWorkerMessages()
  }

  /// Hands what the workers reported to the screens that asked (help open or not). True when
  /// something arrived (the runner then redraws).
  @discardableResult
  public mutating func deliverWorkerMessages() -> Bool {
    let reports = workers.drain()
    for (id, msg) in reports {
      guard let i = stack.lastIndex(where: { $0.id == id }) else { continue }
      let effect = stack[i].update(msg, env: env)
      if i == stack.count - 1 { perform(effect, after: msg, from: id) } else if case .perform(let c) = effect {
        workers.perform(c, for: id)
      }
    }
    return !reports.isEmpty
  }

  /// `capturing`: the screen read text when it got `msg` (then q and Esc were its own).
  private mutating func perform(_ effect: Effect, after msg: Msg, from id: String, capturing: Bool = false) {
    switch effect {
    case .none:
      break
    case .ignored:
      // While a screen reads text, q and Esc are its own (typed or unused), never the app's.
      if case .key(let key) = msg, !capturing {
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
    case .perform(.keepTrainingSettings(let settings)):
      // A file that cannot be written keeps the settings in memory; not worth interrupting a lesson.
      env.trainingSettings.save(settings)
    case .perform(let command):
      workers.perform(command, for: id)
    case .batch(let effects):
      for e in effects { perform(e, after: msg, from: id, capturing: capturing) }
    }
  }

  /// Waits (at most `seconds`) for the Grad-CAM worker to answer, then hands its answer over:
  /// a scripted key (`--keys`, `--print`, tests) then sees the map, as a person who waits would.
  public mutating func waitForGradCAM(seconds: Double = 120) {
    let end = Date().addingTimeInterval(seconds)
    while workers.gradCAM.isBusy && Date() < end { usleep(5_000) }
    deliverWorkerMessages()
  }

  /// Sends each key of a script, as tests and the `--keys` option do.
  public mutating func send(keys: [Key]) {
    for k in keys { send(.key(k)) }
  }

  /// ↑↓ PgUp PgDn Home End scroll the help overlay; any other key closes it.
  private mutating func scrollHelp(_ key: Key) {
    let (w, h) = size ?? PlaygroundApp.minimumSize
    let last = helpOverlay.maxOffset(width: w, height: h, env: env)
    let page = max(1, helpOverlay.frame(width: w, height: h, env: env).height - 4)
    switch key {
    case .down: helpOffset = min(last, helpOffset + 1)
    case .up: helpOffset = max(0, helpOffset - 1)
    case .pageDown: helpOffset = min(last, helpOffset + page)
    case .pageUp: helpOffset = max(0, helpOffset - page)
    case .home: helpOffset = 0
    case .end: helpOffset = last
    default: showingHelp = false
    }
  }

  /// The top screen's help: its paragraphs and its whole key table, then the keys the app
  /// itself takes (?, q, Esc).
  public var helpOverlay: HelpOverlay {
    HelpOverlay(
      title: env.t(T.helpTitle, top.title(env)), paragraphs: top.helpText(env),
      keys: top.allHints(env) + fixedHints + escapeHint)
  }

  /// Esc goes back (or quits) like q, except on Home at the root and when the screen lists Esc
  /// itself.
  private var escapeHint: [KeyHint] {
    let own = top.hints(env).contains { $0.matches?.contains(.escape) ?? false }
    guard !own, !top.capturesAllKeys, stack.count > 1 || !(top is HomeScreen) else { return [] }
    return [KeyHint("Esc", env.t(stack.count == 1 ? T.keyQuit : T.keyBack))]
  }

  private mutating func back() {
    if stack.count > 1 { stack.removeLast() } else { finished = true }
  }

  /// A complete frame: title bar, the screen, the help bar (and help overlay when open).
  public func render(width: Int, height: Int, unicode: Bool = true) -> Canvas {
    var canvas = Canvas(width: width, height: height, unicode: unicode)
    let theme = env.theme
    if PlaygroundApp.isTooSmall(width: width, height: height) {
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
    // A screen that gives q its own meaning (the training run asks first) lists it itself.
    let ownQ = top.hints(env).contains { $0.keys == "q" }
    return [KeyHint("?", env.t(T.keyHelp))] + (ownQ ? [] : [KeyHint("q", env.t(quits ? T.keyQuit : T.keyBack))])
  }

  private func drawHelpBar(_ canvas: inout Canvas, y: Int, lines: Int) {
    let theme = env.theme
    canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: lines), style: theme.helpText)
    let fixed = fixedHints
    let width = canvas.width
    let lang = env.lang
    func itemWidth(_ h: KeyHint) -> Int { h.label(lang).count + 1 + h.action.count + 2 }
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
        x = canvas.put(h.label(lang), x: x, y: y + i, style: theme.helpKey)
        x = canvas.put(" " + h.action, x: x, y: y + i, style: theme.helpText) + 2
      }
    }
  }

  private func drawHelp(_ canvas: inout Canvas) {
    helpOverlay.draw(into: &canvas, offset: helpOffset, env: env)
  }
}
