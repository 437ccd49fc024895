import Foundation
import XCTest

/// A crash inside the playground (a Swift trap, an abort, a segfault) leaves the terminal as
/// the shell had it: cooked modes (stty), the normal screen, the cursor shown, so the crash
/// report is readable and the shell usable. Before, it stayed raw in the alternate screen.
final class TerminalRestoreEndToEndTests: XCTestCase {
  typealias Tmux = PlaygroundEndToEndTests.Tmux

  /// The playground under a shell that prints its exit status and then the terminal's modes.
  func session(_ args: String, env: String) throws -> Tmux {
    guard let tmux = PlaygroundEndToEndTests.tmuxPath else { throw XCTSkip("tmux is not installed (scripts/setup installs it)") }
    let binary = try XCTUnwrap(PlaygroundEndToEndTests.binary, "convplay binary not found beside the tests")
    return try Tmux(
      tmux: tmux, width: 100, height: 40,
      command: "sh -c 'env TERM=tmux-256color LANG=C.UTF-8 LC_ALL= \(env) \(binary.path) \(args); echo EXIT=$?; stty -a; sleep 60'")
  }

  /// What `stty -a` printed: the modes turned on and off.
  func sttyModes(_ screen: String) -> Set<String> {
    Set(screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
  }

  func assertRestored(_ t: Tmux, file: StaticString = #filePath, line: UInt = #line) {
    let s = t.waitFor("icanon", file: file, line: line)
    let modes = sttyModes(s)
    for on in ["icanon", "echo", "icrnl", "opost"] {
      XCTAssertTrue(modes.contains(on), "\(on) is off: the terminal was left raw\n\(s)", file: file, line: line)
    }
    XCTAssertEqual(t.display("#{alternate_on}"), "0", "still in the alternate screen", file: file, line: line)
    XCTAssertEqual(t.display("#{cursor_flag}"), "1", "the cursor is hidden", file: file, line: line)
  }

  /// CONVPLAY_DEBUG_TRAP=MS traps (fatalError) inside the running playground.
  func testTrapRestoresTheTerminal() throws {
    let t = try session("tui --screen conv", env: "CONVPLAY_DEBUG_TRAP=600 SWIFT_BACKTRACE=enable=no")
    t.waitFor("= 266")
    let status = try XCTUnwrap(t.waitForExit(timeout: 20), t.screen())
    // SIGILL (x86-64's ud2) or SIGTRAP (arm64's brk): 128 + the signal.
    XCTAssertTrue([128 + Int(SIGILL), 128 + Int(SIGTRAP)].contains(status), "exit \(status)")
    assertRestored(t)
  }

  /// With Swift's crash reporter on, its report prints on the normal screen.
  func testCrashReportPrintsOnTheNormalScreen() throws {
    let t = try session("tui --screen conv", env: "CONVPLAY_DEBUG_TRAP=600 SWIFT_BACKTRACE=enable=yes,interactive=no")
    t.waitFor("= 266")
    XCTAssertNotNil(t.waitForExit(timeout: 60), t.screen())
    assertRestored(t)
    // The whole pane, scrolled-off lines included: the report's first lines.
    let all = t.run(["capture-pane", "-p", "-S", "-1000"]).output
    XCTAssertTrue(all.contains("Program crashed: "), all)
    XCTAssertTrue(all.contains("Thread 0 \"convplay\" crashed"), all)
  }

  /// Signals sent from outside: abort, segfault, quit.
  func testAbortSegfaultAndQuitRestoreTheTerminal() throws {
    for sig in [SIGABRT, SIGSEGV, SIGQUIT] {
      let t = try session("tui --screen pooling", env: "SWIFT_BACKTRACE=enable=no")
      t.waitFor("max(60, 113, 73, 121) = 121")
      let pid = try XCTUnwrap(t.programPID())
      kill(pid, sig)
      XCTAssertEqual(t.waitForExit(timeout: 20), 128 + Int(sig), "signal \(sig)")
      assertRestored(t)
    }
  }
}
