import ConvCourse
import ConvImageIO
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
  /// The language of the notices (`quiz --lang es`).
  public var language: QuizLanguage

  public init(directory: URL = UserDataDirectory.url(), language: QuizLanguage = .en) {
    self.directory = directory
    self.language = language
  }

  /// The saved progress (empty when there is none yet), and a notice when a file that could
  /// not be read (damaged, edited into nonsense, unreadable: its permissions, a folder in its
  /// place) was set aside. Only a missing file means "no progress yet": anything else is kept
  /// for its owner, never overwritten by the next save.
  public func load() -> (progress: QuizProgress, notice: String?) {
    switch saved() {
    case .none: return (QuizProgress(), nil)
    case .progress(let p): return (p, nil)
    case .unreadable: return (QuizProgress(), setAside())
    }
  }

  /// Renames the unreadable file to `quiz-progress.json.corrupt-N`; the notice says where.
  private func setAside() -> String {
    var n = 1
    var aside = file.path + ".corrupt-\(n)"
    while FileManager.default.fileExists(atPath: aside) {
      n += 1
      aside = file.path + ".corrupt-\(n)"
    }
    if rename(file.path, aside) != 0 {
      return QuizCatalog.text(.progressNotSetAside(file.path, String(cString: strerror(errno))), language)
    }
    return QuizCatalog.text(.progressCorrupt(aside), language)
  }

  /// Refuses to replace a file `load` could not read and could not set aside.
  private func checkReplaceable() throws {
    guard case .unreadable = saved() else { return }
    throw UserDataError(description: QuizCatalog.text(.progressNotSetAside(file.path, "not overwritten"), language))
  }

  private enum Saved {
    case none, progress(QuizProgress), unreadable
  }

  /// What is at `file`: nothing (no progress yet), progress, or something that cannot be read
  /// as progress (no permission, damaged JSON, a folder or a pipe in its place).
  private func saved() -> Saved {
    var info = stat()
    guard lstat(file.path, &info) == 0 else { return errno == ENOENT ? .none : .unreadable }
    guard let data = try? InputFile.data(file.path, limit: 16 << 20),
      let p = try? JSONDecoder().decode(QuizProgress.self, from: data), p.isConsistent
    else { return .unreadable }
    return .progress(p)
  }

  public func save(_ progress: QuizProgress) throws {
    try checkReplaceable()
    try writeJSONAtomically(progress, to: file)
  }
}

/// Writes `value` as pretty JSON to `file` through `PendingFile` (a temporary file in the same
/// directory, then a rename, removed on SIGTERM/SIGINT), so a crash or a full disk never leaves
/// half a file. Creates the directory.
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
  do {
    let pending = try PendingFile(beside: file.path)
    do {
      try pending.write([UInt8](data))
      try pending.commit()
    } catch {
      pending.abandon()
      throw error
    }
  } catch {
    throw UserDataError(description: "cannot write \(error)")
  }
}
