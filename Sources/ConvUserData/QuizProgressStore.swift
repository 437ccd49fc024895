import ConvCourse
import ConvKit
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where convplay keeps what it learns about its user: `$CONVPLAY_HOME` if set (tests use it),
/// else `$XDG_DATA_HOME/convplay`, else `~/.local/share/convplay` (the XDG default).
public enum UserDataDirectory {
  public static func url(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let home = environment["CONVPLAY_HOME"], !home.isEmpty {
      return URL(fileURLWithPath: home, isDirectory: true)
    }
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
      return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("convplay", isDirectory: true)
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return URL(fileURLWithPath: home, isDirectory: true)
      .appendingPathComponent(".local/share/convplay", isDirectory: true)
  }
}

/// Problems saving progress, phrased for the person who can fix them.
public struct UserDataError: Error, CustomStringConvertible {
  public var description: String
}

/// The quiz's per-topic progress as `quiz-progress.json` in the user's data directory.
///
/// Saving is atomic (a temporary file in the same directory, then rename), so a crash or a full
/// disk never leaves half a file. A file that cannot be read back (damaged, edited by hand into
/// nonsense) is renamed aside to `quiz-progress.json.corrupt-N` and the quiz starts afresh,
/// with a notice, instead of failing.
public struct QuizProgressStore {
  public let directory: URL
  public var file: URL { directory.appendingPathComponent("quiz-progress.json") }

  public init(directory: URL = UserDataDirectory.url()) {
    self.directory = directory
  }

  /// The saved progress (empty when there is none yet), and a notice when a damaged file was
  /// set aside.
  public func load() -> (progress: QuizProgress, notice: String?) {
    guard let data = FileManager.default.contents(atPath: file.path) else {
      return (QuizProgress(), nil)
    }
    if let p = try? JSONDecoder().decode(QuizProgress.self, from: data), p.isConsistent {
      return (p, nil)
    }
    var n = 1
    var aside = file.path + ".corrupt-\(n)"
    while FileManager.default.fileExists(atPath: aside) {
      n += 1
      aside = file.path + ".corrupt-\(n)"
    }
    if rename(file.path, aside) != 0 {
      return (QuizProgress(), "\(file.path) is damaged and could not be set aside (\(String(cString: strerror(errno)))); progress will not be kept")
    }
    return (QuizProgress(), "\(file.path) was damaged; set it aside as \(aside) and started afresh")
  }

  public func save(_ progress: QuizProgress) throws {
    try writeJSONAtomically(progress, to: file)
  }
}

/// Writes `value` as pretty JSON to `file`: a temporary file in the same directory, then a
/// rename, so a crash or a full disk never leaves half a file. Creates the directory.
func writeJSONAtomically<T: Encodable>(_ value: T, to file: URL) throws {
  let directory = file.deletingLastPathComponent()
  do {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  } catch {
    throw UserDataError(description: "cannot create \(directory.path): \(error.localizedDescription)")
  }
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  let data = try encoder.encode(value) + Data("\n".utf8)
  let temp = directory.appendingPathComponent(".\(file.lastPathComponent).tmp-\(getpid())")
  guard FileManager.default.createFile(atPath: temp.path, contents: data) else {
    throw UserDataError(description: "cannot write \(temp.path)")
  }
  if rename(temp.path, file.path) != 0 {
    let why = String(cString: strerror(errno))
    try? FileManager.default.removeItem(at: temp)
    throw UserDataError(description: "cannot replace \(file.path): \(why)")
  }
}
