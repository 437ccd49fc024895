import Foundation
import XCTest

/// The real `convplay` binary in a real terminal: tmux runs it on a private server, sends keys
/// and reads the screen back (capture-pane), as a student would use it.
final class PlaygroundEndToEndTests: XCTestCase {
  /// The built `convplay`, found beside this test bundle in the build directory (the test target
  /// depends on the executable, so `swift test` builds it first).
  static let binary: URL? = {
    var candidates: [URL] = []
    let arg0 = URL(fileURLWithPath: CommandLine.arguments[0])
    candidates.append(arg0.deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL)
    for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") {
      candidates.append(b.bundleURL.deletingLastPathComponent())
    }
    for dir in candidates {
      let url = dir.appendingPathComponent("convplay")
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue,
        FileManager.default.isExecutableFile(atPath: url.path)
      {
        return url
      }
    }
    return nil
  }()

  static let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  /// One private tmux server (-L) running one command; killed at the end of the test.
  final class Tmux {
    let socket = "convplay-test-\(getpid())-\(UUID().uuidString.prefix(8))"
    let tmux: String

    init(tmux: String, width: Int, height: Int, command: String, file: StaticString = #filePath, line: UInt = #line) throws {
      self.tmux = tmux
      // The server this starts keeps its inherited stdout open: no pipe here, or reading it
      // would never end.
      let r = run([
        "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", command, ";",
        "set-option", "remain-on-exit", "on",
      ], capture: false)
      XCTAssertEqual(r.status, 0, "tmux new-session failed", file: file, line: line)
    }

    deinit { _ = run(["kill-server"]) }

    /// Runs tmux with posix_spawn and waitpid. Foundation's Process is not used: the tmux server
    /// that new-session forks inherits Process's exit-watching descriptor, and waitUntilExit
    /// then never returns. Output goes to a temporary file, read after the client exits.
    @discardableResult
    func run(_ args: [String], capture: Bool = true) -> (status: Int32, output: String) {
      let outPath = FileManager.default.temporaryDirectory
        .appendingPathComponent("convplay-tmux-\(UUID().uuidString)").path
      defer { unlink(outPath) }
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      let target = capture ? outPath : "/dev/null"
      posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
      let argv = ([tmux, "-L", socket] + args).map { strdup($0) } + [nil]
      defer { argv.forEach { free($0) } }
      var pid: pid_t = 0
      guard posix_spawn(&pid, tmux, &actions, nil, argv, environ) == 0 else { return (-1, "spawn failed") }
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
      let output = capture ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
      let exited = (status & 0x7f) == 0
      return (exited ? (status >> 8) & 0xff : -1, output)
    }

    func send(_ keys: String...) { run(["send-keys"] + keys) }
    func screen() -> String { run(["capture-pane", "-p"]).output }
    func display(_ format: String) -> String {
      run(["display", "-p", format]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until the screen shows `text` (keys are handled asynchronously); returns the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line) -> String {
      let end = Date().addingTimeInterval(timeout)
      var s = screen()
      while !s.contains(text) && Date() < end {
        usleep(30_000)
        s = screen()
      }
      XCTAssertTrue(s.contains(text), "screen never showed '\(text)':\n\(s)", file: file, line: line)
      return s
    }

    /// Waits for the program to exit; returns its status, which the wrapping shell prints as
    /// `EXIT=n` and then keeps the pane alive (tmux 3.3 can lose a dead pane's text and its
    /// #{pane_dead_status}).
    func waitForExit(timeout: Double = 10) -> Int? {
      let end = Date().addingTimeInterval(timeout)
      while Date() < end {
        let s = screen()
        if let r = s.range(of: "EXIT=") {
          let digits = s[r.upperBound...].prefix { $0.isNumber }
          if let n = Int(digits) { return n }
        }
        usleep(30_000)
      }
      return nil
    }

    /// (The shell catches SIGINT with `trap : INT`, as an interactive shell would survive a
    /// Ctrl-C meant for its program; the program starts with the default disposition.)
    /// The pid of the program the pane's shell is running (Linux /proc).
    func programPID() -> pid_t? {
      guard let shell = Int32(display("#{pane_pid}")),
        let children = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
      else { return nil }
      return children.split(separator: " ").first.flatMap { Int32($0) }
    }
  }

  func session(_ width: Int, _ height: Int, _ args: String, env: String = "") throws -> Tmux {
    guard let tmux = PlaygroundEndToEndTests.tmuxPath else {
      throw XCTSkip("tmux is not installed (scripts/setup installs it)")
    }
    let binary = try XCTUnwrap(PlaygroundEndToEndTests.binary, "convplay binary not found beside the tests")
    return try Tmux(
      tmux: tmux, width: width, height: height,
      command: "sh -c 'trap : INT; env TERM=tmux-256color LANG=C.UTF-8 LC_ALL= \(env) \(binary.path) \(args); echo EXIT=$?; sleep 60'")
  }

  func testHomeConvolutionPaddingAndQuitAt100x30() throws {
    let t = try session(100, 30, "")
    t.waitFor("Lessons")
    XCTAssertEqual(t.display("#{alternate_on}"), "1", "the playground uses the alternate screen")
    t.send("Enter")
    var s = t.waitFor("= 266")
    XCTAssertTrue(s.contains("60*0 + 113*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 266"), s)
    t.send("End")
    s = t.waitFor("output[2,2] = -128")
    t.send("Escape")
    t.waitFor("Lessons")
    t.send("2")
    t.waitFor("Padding and stride")
    t.send("z")
    s = t.waitFor("->  5 x 5")
    XCTAssertTrue(s.contains("Output 5x5"), s)
    t.send("q")
    t.waitFor("Lessons")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
    XCTAssertEqual(t.display("#{alternate_on}"), "0", "the terminal left the alternate screen")
  }

  func testConvScreenAt80x24() throws {
    let t = try session(80, 24, "tui --screen conv")
    t.waitFor("= 266")
    t.send("Right")
    t.waitFor("step 2/9")
    t.send("Left")
    t.waitFor("step 1/9")
    t.send("End")
    t.waitFor("= -128")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
    XCTAssertEqual(t.display("#{alternate_on}"), "0")
  }

  func testPaddingSameAt80x24InSpanish() throws {
    let t = try session(80, 24, "tui --screen padding --lang es")
    t.waitFor("Entrada 5x5")
    t.send("z")
    let s = t.waitFor("5 x 5")
    XCTAssertTrue(s.contains("Salida 5x5"), s)
    XCTAssertTrue(s.contains("Parámetros"), s)
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }

  func testCtrlCAndSigtermRestoreTheTerminal() throws {
    let t = try session(100, 30, "tui --screen rgb")
    t.waitFor("Nf*K*K*Nc")
    t.send("C-c")
    XCTAssertEqual(t.waitForExit(), 130)
    XCTAssertEqual(t.display("#{alternate_on}"), "0")

    let u = try session(100, 30, "tui --screen pooling")
    u.waitFor("max(60, 113, 73, 121) = 121")
    let pid = try XCTUnwrap(u.programPID())
    kill(pid, SIGTERM)
    XCTAssertEqual(u.waitForExit(), 143)
    XCTAssertEqual(u.display("#{alternate_on}"), "0")
  }

  func testResizeRedrawsAtOnce() throws {
    let t = try session(100, 30, "tui --screen conv")
    t.waitFor("= 266")
    t.run(["resize-window", "-x", "70", "-y", "20"])
    t.waitFor("at least 80x24")
    t.run(["resize-window", "-x", "120", "-y", "40"])
    t.waitFor("= 266")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
  }

  /// A full repaint (render + ncurses refresh of every cell) must take under 10 ms.
  func testFullRedrawTime() throws {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-redraw-\(getpid()).txt")
    try? FileManager.default.removeItem(at: log)
    defer { try? FileManager.default.removeItem(at: log) }
    let t = try session(120, 40, "tui --screen padding", env: "CONVPLAY_REDRAW_LOG=\(log.path)")
    t.waitFor("step 1/9")
    for key in ["]", "]", "]", "z", "Right", "Right", "End", "Home", "k", "s", "Right"] {
      t.send(key)
      usleep(40_000)
    }
    t.waitFor("Padding")
    t.send("q")
    XCTAssertEqual(t.waitForExit(), 0)
    let times = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").compactMap { Double($0) }
    XCTAssertGreaterThan(times.count, 5)
    let sorted = times.sorted()
    let median = sorted[sorted.count / 2]
    print("full redraw at 120x40 under tmux: median \(median) ms, max \(sorted.last!) ms over \(times.count) frames")
    XCTAssertLessThan(median, 10)
  }

  func runPlain(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let binary = try XCTUnwrap(PlaygroundEndToEndTests.binary)
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  func testWithoutATerminalItSaysWhatToRun() throws {
    let r = try runPlain([])
    XCTAssertEqual(r.status, 0)
    XCTAssertTrue(r.out.contains("convplay step --plain"), r.out)
    let t = try runPlain(["tui", "--screen", "conv"])
    XCTAssertEqual(t.status, 1)
    XCTAssertEqual(t.err.split(separator: "\n").count, 1, t.err)
    XCTAssertTrue(t.err.hasPrefix("convplay: the playground needs a terminal"), t.err)
  }

  func testPrintFrameAndBadOptions() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let rgb = root.appendingPathComponent("examples/matrices/rgb-5x5.txt").path
    let r = try runPlain(["tui", "--screen", "conv", "--kernel", "edge", "--keys", "End", "--print", "80x24"])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertTrue(r.out.contains("Kernel 3x3"), r.out)
    XCTAssertTrue(r.out.contains("Parameters: Kernel edge 3x3"), r.out)
    let bad = try runPlain(["tui", "--screen", "conv", "--matrix", rgb])
    XCTAssertEqual(bad.status, 1)
    XCTAssertTrue(bad.err.contains("use --screen rgb"), bad.err)
    let ok = try runPlain(["tui", "--screen", "rgb", "--matrix", rgb, "--print", "80x24", "--lang", "es"])
    XCTAssertEqual(ok.status, 0, ok.err)
    XCTAssertTrue(ok.out.contains("Parámetros: Nf*K*K*Nc + Nf = 2*3*3*3 + 2 = 56"), ok.out)
    let lang = try runPlain(["tui", "--lang", "fr", "--print", "80x24"])
    XCTAssertEqual(lang.status, 1)
    XCTAssertEqual(lang.err, "convplay: --lang must be en or es (got 'fr')\n")
  }
}
