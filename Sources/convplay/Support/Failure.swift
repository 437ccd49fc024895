import ArgumentParser
import ConvLocale
import Foundation

/// A problem the user can fix, reported as one line on stderr and exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
  var description: String
  init(_ message: String) { description = message }
}

/// Writes `convplay: message` on stderr, in the language of this run (messages are written in
/// English where they arise, in any module; the Spanish table translates the finished line).
func printError(_ message: String) {
  FileHandle.standardError.write(Data(("convplay: " + inRunLanguage(message) + "\n").utf8))
}

/// Writes a note (not an error) on stderr, so stdout stays the result.
func printNote(_ message: String) {
  FileHandle.standardError.write(Data((localized("note: {0}", inRunLanguage(message)) + "\n").utf8))
}

/// A finished English line in the language of this run.
func inRunLanguage(_ line: String) -> String {
  CommandLineLanguage.current == .es ? Spanish.lines(line) : line
}

/// Runs a command body, turning the engine's and the CLI's errors into one line on stderr and
/// a non-zero exit instead of a stack trace or ArgumentParser's usage dump.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let error as ExitCode {
    throw error
  } catch let error as CleanExit {
    throw error
  } catch {
    printError(String(describing: error))
    throw ExitCode(1)
  }
}
