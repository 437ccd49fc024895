import ConvTerminal
import Glibc

/// How a playground session ended.
public enum PlaygroundExit: Equatable, Sendable {
  case quit
  /// Interrupted by this signal (SIGINT, SIGTERM, SIGHUP): the terminal was restored first.
  case signal(Int32)
}

/// The only loop that touches the terminal: read a key (or time out for the play clock),
/// update the app, draw the frame. Resizes redraw at once; signals end curses before returning.
public enum PlaygroundRunner {
  /// Runs `app` until it finishes or a signal arrives. The terminal is restored on every path
  /// out, including a thrown error (`defer`).
  ///
  /// With CONVPLAY_REDRAW_LOG=FILE in the environment, every frame is a full repaint and the
  /// time of each (render + ncurses refresh) is appended to FILE on exit, in milliseconds.
  public static func run(_ app: PlaygroundApp, environment: [String: String] = currentEnvironment())
    throws -> PlaygroundExit
  {
    let terminal = try Terminal(environment: environment)
    defer { terminal.end() }
    var app = app
    app.env.theme = Theme(colored: terminal.capabilities.colors > 0)
    let unicode = terminal.capabilities.unicode
    let redrawLog = environment["CONVPLAY_REDRAW_LOG"]
    var redrawTimes: [Double] = []
    let clock = ContinuousClock()
    var lastTick = clock.now
    var needsDraw = true
    // CONVPLAY_DEBUG_TRAP=MS (CONTRIBUTING.md): a deliberate Swift trap MS milliseconds in, so a
    // test can check that a crash inside the playground still leaves a usable terminal.
    let trapAt = environment["CONVPLAY_DEBUG_TRAP"].flatMap { Int($0) }.map { clock.now + .milliseconds($0) }
    defer {
      if let redrawLog, !redrawTimes.isEmpty { writeTimes(redrawTimes, to: redrawLog) }
    }
    while !app.finished {
      if let sig = terminal.pendingSignal() { return .signal(sig) }
      if let trapAt, clock.now >= trapAt { debugTrap() }
      if needsDraw {
        let start = clock.now
        if redrawLog != nil { terminal.invalidate() }
        let (w, h) = terminal.size
        app.size = (w, h)
        terminal.draw(app.render(width: w, height: h, unicode: unicode))
        if redrawLog != nil { redrawTimes.append(milliseconds(clock.now - start)) }
        needsDraw = false
      }
      var timeout = 100
      if let interval = app.top.tickInterval {
        let left = interval - milliseconds(clock.now - lastTick) / 1000
        timeout = max(5, min(100, Int(left * 1000)))
      }
      if let key = terminal.readKey(timeoutMs: timeout) {
        // The size is read before the key is sent: a key pressed while the too-small message
        // is shown is not acted on (PlaygroundApp.send).
        app.size = terminal.size
        if key == .resize {
          terminal.invalidate()
        } else {
          app.send(.key(key))
        }
        needsDraw = true
      }
      if app.deliverWorkerMessages() { needsDraw = true }
      if let interval = app.top.tickInterval {
        if milliseconds(clock.now - lastTick) / 1000 >= interval {
          app.send(.tick)
          lastTick = clock.now
          needsDraw = true
        }
      } else {
        lastTick = clock.now
      }
    }
    return .quit
  }

  /// A runtime error on purpose (SIGILL on x86-64, SIGTRAP on arm64), as a bug would cause.
  private static func debugTrap() -> Never {
    fatalError("CONVPLAY_DEBUG_TRAP: a deliberate trap inside the playground")
  }

  private static func milliseconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
  }

  private static func writeTimes(_ times: [Double], to path: String) {
    guard let f = fopen(path, "a") else { return }
    defer { fclose(f) }
    for t in times { fputs(String(t) + "\n", f) }
  }
}
