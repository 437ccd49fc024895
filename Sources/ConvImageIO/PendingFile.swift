#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way convplay writes a file atomically: the bytes go to a hidden temporary file
/// beside the target (`.NAME.tmp-XXXXXX`), which is renamed over the target once complete, so a
/// reader sees the old file or the new one, never half of one. While it exists, the temporary
/// file is registered with `TemporaryFiles`, so SIGTERM or SIGINT (Ctrl-C) during a save of
/// hundreds of MB removes it instead of leaving it behind.
public final class PendingFile {
  public let target: String
  public let temporaryPath: String
  /// Where the bytes go until `commit`.
  public let fd: Int32
  private let slot: Int?
  private var open = true
  private var finished = false

  public init(beside target: String) throws(FileAccessError) {
    self.target = target
    let slash = target.lastIndex(of: "/")
    let dir = slash.map { String(target[...$0]) } ?? ""
    let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
    var template = Array("\(dir).\(name).tmp-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw FileAccessError(target, "cannot create a file in '\(dir.isEmpty ? "." : dir)': \(String(cString: strerror(errno)))")
    }
    self.fd = fd
    temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    slot = TemporaryFiles.register(temporaryPath)
  }

  deinit { abandon() }

  /// Writes all of `bytes`.
  public func write(_ bytes: [UInt8]) throws(FileAccessError) {
    let failure = bytes.withUnsafeBytes { b -> FileAccessError? in
      do throws(FileAccessError) { try write(b) } catch { return error }
      return nil
    }
    if let failure { throw failure }
  }

  /// Writes all of `bytes` at the current position.
  public func write(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError) {
    var done = 0
    while done < bytes.count {
      let n = systemWrite(fd, bytes.baseAddress! + done, bytes.count - done)
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw FileAccessError(target, "cannot write: \(String(cString: strerror(errno)))") }
      done += n
    }
  }

  /// Makes the file an ordinary document (mkstemp's is private, 0600), flushes it to disk and
  /// renames it over the target. On failure the temporary file is removed.
  public func commit() throws(FileAccessError) {
    guard !finished else { return }
    finished = true
    var why: String?
    if fchmod(fd, 0o644) != 0 { why = "cannot set permissions: \(String(cString: strerror(errno)))" }
    if why == nil, fsync(fd) != 0, errno != EINVAL { why = "cannot write: \(String(cString: strerror(errno)))" }
    if close(fd) != 0, why == nil { why = "cannot write: \(String(cString: strerror(errno)))" }
    open = false
    if why == nil, rename(temporaryPath, target) != 0 { why = "cannot replace: \(String(cString: strerror(errno)))" }
    if let why {
      unlink(temporaryPath)
      TemporaryFiles.unregister(slot)
      throw FileAccessError(target, why)
    }
    TemporaryFiles.unregister(slot)
  }

  /// Closes and removes the temporary file; the target is left as it was.
  public func abandon() {
    guard !finished else { return }
    finished = true
    if open { close(fd) }
    open = false
    unlink(temporaryPath)
    TemporaryFiles.unregister(slot)
  }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
