import ConvUserData
import Foundation

/// Where the training screen's settings live between visits: in memory for the session, and,
/// when the CLI hands in a store, in the user's data directory. Screens never touch the file:
/// they return `Command.keepTrainingSettings` and the app keeps them here.
public final class TrainingSettingsKeeper: @unchecked Sendable {
  private let lock = NSLock()
  private let store: TrainingSettingsStore?
  private var cached: TrainingSettings?
  private var loaded = false

  /// `store` nil: memory only (tests, `--print` frames).
  public init(store: TrainingSettingsStore? = nil, initial: TrainingSettings? = nil) {
    self.store = store
    cached = initial
    loaded = initial != nil
  }

  public func load() -> TrainingSettings? {
    lock.withLock {
      if !loaded {
        cached = store?.load()
        loaded = true
      }
      return cached
    }
  }

  /// Keeps `settings`; a file that cannot be written is not an error worth interrupting a
  /// lesson for (the settings stay in memory), so the problem is returned for who wants it.
  @discardableResult
  public func save(_ settings: TrainingSettings) -> String? {
    lock.withLock {
      cached = settings
      loaded = true
      do {
        try store?.save(settings)
        return nil
      } catch {
        return "settings not saved: \(error)"
      }
    }
  }
}
