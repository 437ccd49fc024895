import CNcursesw
import Glibc

/// What the terminal can show, decided once at start.
public struct TerminalCapabilities: Equatable, Sendable {
  /// 0 (monochrome or NO_COLOR), 8, 16 or 256.
  public var colors: Int
  /// Unicode box drawing and symbols (the locale is UTF-8).
  public var unicode: Bool

  public init(colors: Int, unicode: Bool) {
    self.colors = colors
    self.unicode = unicode
  }

  /// The colour depth to use: NO_COLOR (any value, https://no-color.org) or TERM=dumb turn
  /// colour off; otherwise the terminal's own count, capped at 256 (the palette screens use).
  public static func colorDepth(terminalColors: Int, environment: [String: String]) -> Int {
    if environment["NO_COLOR"] != nil { return 0 }
    if environment["TERM"] == "dumb" { return 0 }
    if terminalColors >= 256 { return 256 }
    if terminalColors >= 16 { return 16 }
    if terminalColors >= 8 { return 8 }
    return 0
  }
}

public struct TerminalError: Error, CustomStringConvertible {
  public var description: String
}

/// The process's environment as a dictionary (Glibc's environ), without Foundation.
public func currentEnvironment() -> [String: String] {
  var env: [String: String] = [:]
  var p = environ
  while let entry = p.pointee {
    let s = String(cString: entry)
    if let eq = s.firstIndex(of: "=") {
      env[String(s[..<eq])] = String(s[s.index(after: eq)...])
    }
    p += 1
  }
  return env
}

/// True when the user's locale (LC_ALL, LC_CTYPE, LANG) uses UTF-8: Unicode box drawing is
/// safe; otherwise screens draw with ASCII.
public func localeIsUTF8() -> Bool {
  setlocale(LC_ALL, "")
  return cnc_locale_is_utf8() != 0
}

/// True when both stdin and stdout are terminals: the playground can run.
public func standardStreamsAreTerminals() -> Bool {
  isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
}

/// The only place convplay talks to ncurses.
///
/// `start()` enters curses mode (alternate screen, no echo, keypad keys, hidden cursor) and
/// records SIGINT/SIGTERM/SIGHUP in a flag instead of dying, so that `end()` always restores the
/// terminal; callers poll `pendingSignal()` between key reads. `end()` is idempotent and also
/// runs from `deinit`. A fatal signal (a Swift trap, abort, segfault) cannot wait for `end()`:
/// its handler (shim.h) restores the shell's terminal modes and leaves the alternate screen
/// itself before the crash report prints.
public final class Terminal {
  public let capabilities: TerminalCapabilities
  private var ended = false
  private var pairs: [PairKey: Int32] = [:]
  private var nextPair: Int32 = 1
  private var screen: OpaquePointer?

  private struct PairKey: Hashable {
    var fg: Int32
    var bg: Int32
  }

  public init(environment: [String: String] = currentEnvironment()) throws {
    let unicode = localeIsUTF8()
    cnc_save_shell_termios()
    // newterm, unlike initscr, returns NULL instead of exiting when TERM is unknown.
    guard let s = cnc_newterm() else {
      throw TerminalError(
        description: "cannot open the terminal (TERM=\(environment["TERM"] ?? "unset")): "
          + "try TERM=xterm-256color, or use 'convplay step --plain'")
    }
    screen = s
    set_term(s)
    cnc_install_signal_handlers()
    cnc_install_fatal_handlers()
    cbreak()
    noecho()
    nonl()
    keypad(cnc_stdscr(), true)
    set_escdelay(25)
    curs_set(0)
    var depth = TerminalCapabilities.colorDepth(terminalColors: 0, environment: environment)
    if environment["NO_COLOR"] == nil && has_colors() {
      start_color()
      use_default_colors()
      depth = TerminalCapabilities.colorDepth(
        terminalColors: Int(cnc_colors()), environment: environment)
    }
    capabilities = TerminalCapabilities(colors: depth, unicode: unicode)
  }

  deinit { end() }

  /// Leaves curses mode and puts the terminal back as it was. Safe to call more than once.
  public func end() {
    guard !ended else { return }
    ended = true
    curs_set(1)
    endwin()
    if let screen { delscreen(screen) }
    screen = nil
    cnc_restore_signal_handlers()
    cnc_restore_fatal_handlers()
  }

  /// Columns and rows.
  public var size: (width: Int, height: Int) {
    (Int(getmaxx(cnc_stdscr())), Int(getmaxy(cnc_stdscr())))
  }

  /// The signal (SIGINT, SIGTERM, SIGHUP) received since the last call, if any.
  public func pendingSignal() -> Int32? {
    let s = cnc_take_signal()
    return s == 0 ? nil : s
  }

  /// Waits up to `timeoutMs` milliseconds for a key (wget_wch); nil when none came.
  public func readKey(timeoutMs: Int) -> Key? {
    wtimeout(cnc_stdscr(), Int32(timeoutMs))
    var ch: Int32 = 0
    let rc = cnc_get_wch(&ch)
    if rc == ERR { return nil }
    if rc == cnc_key_code_yes() {
      switch ch {
      case cnc_key_up(): return .up
      case cnc_key_down(): return .down
      case cnc_key_left(): return .left
      case cnc_key_right(): return .right
      case cnc_key_home(): return .home
      case cnc_key_end(): return .end
      case cnc_key_npage(): return .pageDown
      case cnc_key_ppage(): return .pageUp
      case cnc_key_enter(): return .enter
      case cnc_key_backspace(): return .backspace
      case cnc_key_dc(): return .delete
      case cnc_key_btab(): return .backTab
      case cnc_key_resize(): return .resize
      default: return nil
      }
    }
    switch ch {
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 8, 127: return .backspace
    default:
      guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: ch)) else { return nil }
      return .char(Character(scalar))
    }
  }

  /// Copies the canvas to the screen: one attribute change per run of equal styles.
  public func draw(_ canvas: Canvas) {
    let (w, h) = size
    // Pictures (the image lab) use many colour pairs and ncurses has a fixed number: when this
    // frame might not fit in the pairs left, start the table again and repaint everything, so
    // no cell keeps a pair that is being redefined.
    if Int(nextPair) + w * h >= Int(min(cnc_color_pairs(), 32767)) && nextPair > 1 {
      pairs.removeAll()
      nextPair = 1
      clearok(cnc_stdscr(), true)
    }
    for y in 0..<min(h, canvas.height) {
      var x = 0
      let rowWidth = min(w, canvas.width)
      while x < rowWidth {
        let style = canvas[x, y].style
        var run = ""
        let start = x
        while x < rowWidth && canvas[x, y].style == style {
          run.append(canvas[x, y].char)
          x += 1
        }
        // The bottom-right cell makes addstr report an error after drawing (it cannot scroll);
        // the character is drawn all the same.
        let (attrs, pair) = attributes(for: style)
        _ = cnc_set_attr(attrs, pair)
        _ = mvaddstr(Int32(y), Int32(start), run)
      }
    }
    _ = cnc_set_attr(cnc_a_normal(), 0)
    refresh()
  }

  /// Forgets what ncurses thinks is on screen, so the next draw repaints everything (resize).
  public func invalidate() {
    clearok(cnc_stdscr(), true)
  }

  private func attributes(for style: Style) -> (attr_t, Int32) {
    var attrs = cnc_a_normal()
    if style.bold { attrs |= cnc_a_bold() }
    if style.dim { attrs |= cnc_a_dim() }
    if style.reverse { attrs |= cnc_a_reverse() }
    if style.underline { attrs |= cnc_a_underline() }
    let depth = capabilities.colors
    guard depth > 0, style.fg != nil || style.bg != nil else { return (attrs, 0) }
    func map(_ c: Color?) -> Int32 {
      guard let c else { return -1 }
      return depth >= 256 ? Int32(c.index) : Int32(c.nearestANSI(count: depth))
    }
    let key = PairKey(fg: map(style.fg), bg: map(style.bg))
    if let p = pairs[key] { return (attrs, p) }
    guard nextPair < min(cnc_color_pairs(), 32767) else { return (attrs, 0) }
    let p = nextPair
    nextPair += 1
    init_pair(Int16(p), Int16(key.fg), Int16(key.bg))
    pairs[key] = p
    return (attrs, p)
  }
}
