#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Temporary files to remove if the process is stopped by SIGTERM or SIGINT: a `kill` or a
/// Ctrl-C during `train --save` of a large model would otherwise leave a hidden
/// `.model.safetensors.tmp-XXXXXX` of hundreds of MB beside the target.
///
/// A signal handler may call only async-signal-safe functions, so the paths are kept as C
/// strings in a fixed table, made before they are published; the handler only reads the table,
/// calls unlink(2), puts the signal's previous disposition back and raises the signal again,
/// so the process ends as the signal says (status 143 for SIGTERM, 130 for SIGINT in a shell)
/// or the previous handler (ncurses's, in the playground) runs.
public enum TemporaryFiles {
  static let capacity = 64
  nonisolated(unsafe) static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
    let t = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
    t.initialize(repeating: nil, count: capacity)
    return t
  }()
  static let lock = NSLock()
  nonisolated(unsafe) static var installed = false

  /// Adds `path`; returns its slot for `unregister` (nil when the table is full: the file is
  /// then only removed by the writer's own error handling).
  public static func register(_ path: String) -> Int? {
    let copy = strdup(path)!
    lock.lock()
    defer { lock.unlock() }
    if !installed {
      installHandlers()
      installed = true
    }
    for i in 0..<capacity where table[i] == nil {
      table[i] = copy
      return i
    }
    free(copy)
    return nil
  }

  public static func unregister(_ slot: Int?) {
    guard let slot else { return }
    lock.lock()
    defer { lock.unlock() }
    let old = table[slot]
    table[slot] = nil
    free(old)
  }

  /// The paths registered now (tests).
  public static var registered: [String] {
    lock.lock()
    defer { lock.unlock() }
    return (0..<capacity).compactMap { table[$0].map { String(cString: $0) } }
  }

  static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]
  nonisolated(unsafe) static let previous: UnsafeMutablePointer<sigaction> = {
    let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 3)
    p.initialize(repeating: sigaction(), count: 3)
    return p
  }()

  private static func installHandlers() {
    for (i, sig) in signals.enumerated() {
      var current = sigaction()
      sigaction(sig, nil, &current)
      // A signal the user chose to ignore (nohup) stays ignored.
      if isIgnored(current) { continue }
      previous[i] = current
      var action = sigaction()
      setHandler(&action, removeTemporaryFilesAndReraise)
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0
      sigaction(sig, &action, nil)
    }
  }
}

private func isIgnored(_ a: sigaction) -> Bool {
  #if canImport(Darwin)
    return unsafeBitCast(a.__sigaction_u.__sa_handler, to: Int.self) == 1
  #else
    return unsafeBitCast(a.__sigaction_handler.sa_handler, to: Int.self) == 1
  #endif
}

private func setHandler(_ a: inout sigaction, _ handler: @convention(c) (Int32) -> Void) {
  #if canImport(Darwin)
    a.__sigaction_u.__sa_handler = handler
  #else
    a.__sigaction_handler.sa_handler = handler
  #endif
}

/// The signal handler: async-signal-safe calls only (unlink, sigaction, raise).
private func removeTemporaryFilesAndReraise(_ sig: Int32) {
  let table = TemporaryFiles.table
  for i in 0..<TemporaryFiles.capacity {
    if let path = table[i] { unlink(path) }
  }
  // The order of `TemporaryFiles.signals`, without touching a Swift array here.
  let i = sig == SIGTERM ? 0 : sig == SIGINT ? 1 : 2
  sigaction(sig, TemporaryFiles.previous + i, nil)
  raise(sig)
}
