import ConvCourse
import ConvKit
import ConvUserData
import Foundation

/// Where the playground reads and keeps quiz progress. Screens stay free of files: the quiz
/// screen saves through this after each answer and Home reads it for its suggestion. The CLI
/// hands in the user's data directory; tests and `--print` frames use memory only.
public protocol QuizProgressKeeper: AnyObject, Sendable {
  /// The progress so far, and once, a notice when a damaged file was set aside.
  func load() -> (progress: QuizProgress, notice: String?)
  /// Keeps `progress`; returns a one-line problem when it could not be saved.
  func save(_ progress: QuizProgress) -> String?
}

/// Progress kept for the life of the process only.
public final class MemoryProgressKeeper: QuizProgressKeeper, @unchecked Sendable {
  private let lock = NSLock()
  private var progress: QuizProgress

  public init(_ progress: QuizProgress = QuizProgress()) {
    self.progress = progress
  }

  public func load() -> (progress: QuizProgress, notice: String?) {
    lock.lock()
    defer { lock.unlock() }
    return (progress, nil)
  }

  public func save(_ progress: QuizProgress) -> String? {
    lock.lock()
    defer { lock.unlock() }
    self.progress = progress
    return nil
  }
}

/// Progress in `quiz-progress.json` of the user's data directory (ConvUserData: atomic writes,
/// a damaged file set aside). The file is read once and then kept in memory, so Home can ask
/// for its suggestion on every frame without touching the disk.
public final class FileProgressKeeper: QuizProgressKeeper, @unchecked Sendable {
  private let lock = NSLock()
  private let store: QuizProgressStore
  private var cached: QuizProgress?
  private var pendingNotice: String?

  public init(store: QuizProgressStore = QuizProgressStore()) {
    self.store = store
  }

  public func load() -> (progress: QuizProgress, notice: String?) {
    lock.lock()
    defer { lock.unlock() }
    if cached == nil {
      let (p, notice) = store.load()
      cached = p
      pendingNotice = notice
    }
    let notice = pendingNotice
    pendingNotice = nil
    return (cached ?? QuizProgress(), notice)
  }

  public func save(_ progress: QuizProgress) -> String? {
    lock.lock()
    defer { lock.unlock() }
    cached = progress
    do {
      try store.save(progress)
      return nil
    } catch {
      return "progress not saved: \(error)"
    }
  }
}
