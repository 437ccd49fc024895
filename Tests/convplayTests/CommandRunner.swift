import Foundation
import XCTest

/// Runs the built `convplay` binary, as a user would, and captures what it prints.
struct CommandResult {
  var stdout: String
  var stderr: String
  var status: Int32
  /// Killed after the run's timeout: it hung.
  var timedOut = false
}

enum CommandRunner {
  /// The build products folder: the test bundle sits beside the executable.
  static var productsDirectory: URL {
    #if os(macOS)
      for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
      }
      fatalError("no .xctest bundle found")
    #else
      return Bundle.main.bundleURL
    #endif
  }

  static var binary: URL { productsDirectory.appendingPathComponent("convplay") }

  /// The package root (for examples/), found from this source file's location.
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  static func example(_ path: String) -> String {
    packageRoot.appendingPathComponent("examples").appendingPathComponent(path).path
  }

  /// Runs `convplay args...` with `stdin` as standard input, in `directory` if given; with a
  /// `timeout` (seconds) a run that hangs is killed and reported as `timedOut`, so a test of a
  /// hang fails instead of hanging itself.
  static func run(
    _ args: [String], stdin: String? = nil, environment: [String: String] = [:],
    directory: URL? = nil, timeout: Double? = nil
  ) throws -> CommandResult {
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    p.environment = env
    if let directory { p.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    let killed = DataBox()
    if let timeout {
      let pid = p.processIdentifier
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
        if p.isRunning {
          killed.data = Data([1])
          kill(pid, SIGKILL)
        }
      }
    }
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child cannot block on a full pipe.
    let errBox = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errBox.data = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let errData = errBox.data
    p.waitUntilExit()
    return CommandResult(
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self), status: p.terminationStatus, timedOut: !killed.data.isEmpty)
  }
}

/// Holds bytes read on another thread; the DispatchGroup orders the write before the read.
private final class DataBox: @unchecked Sendable {
  var data = Data()
}
