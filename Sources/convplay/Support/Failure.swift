import ArgumentParser
import Foundation

/// A problem the user can fix, reported as one line on stderr and exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
  var description: String
  init(_ message: String) { description = message }
}

/// Writes `convplay: message` on stderr.
func printError(_ message: String) {
  FileHandle.standardError.write(Data(("convplay: " + message + "\n").utf8))
}

/// Writes a note (not an error) on stderr, so stdout stays the result.
func printNote(_ message: String) {
  FileHandle.standardError.write(Data(("note: " + message + "\n").utf8))
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
