import ConvImageIO
import Foundation

/// Writes files so that readers see the old file or the new one, never half of one: the bytes go
/// to a temporary file in the same folder (`PendingFile`: removed on an error, and on SIGTERM or
/// SIGINT), which is then renamed over the destination. Missing folders are created.
public enum AtomicFile {
  public static func write(_ data: Data, to url: URL) throws {
    try write(to: url) { file in
      try data.withUnsafeBytes { try file.write($0) }
    }
  }

  /// Writes through `body` into a temporary file beside `url`, then renames it over `url`;
  /// on any error the temporary file is removed and `url` is left as it was.
  public static func write(to url: URL, _ body: (PendingFile) throws -> Void) throws {
    let dir = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw DataError("cannot create the folder \(dir.path): \(error.localizedDescription)")
    }
    let file: PendingFile
    do { file = try PendingFile(beside: url.path) } catch { throw DataError("cannot write \(error)") }
    do {
      try body(file)
      try file.commit()
    } catch let e as FileAccessError {
      file.abandon()
      throw DataError("cannot write \(e)")
    } catch {
      file.abandon()
      throw error
    }
  }
}
