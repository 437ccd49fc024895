import Foundation

/// Writes files so that readers see the old file or the new one, never half of one: the bytes go
/// to a temporary file in the same folder, which is then renamed over the destination.
public enum AtomicFile {
  public static func write(_ data: Data, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    let fm = FileManager.default
    do {
      try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw DataError("cannot create the folder \(dir.path): \(error.localizedDescription)")
    }
    let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    guard fm.createFile(atPath: temp.path, contents: data) else {
      throw DataError("cannot write \(url.path): the folder is not writable or the disk is full")
    }
    if rename(temp.path, url.path) != 0 {
      let why = String(cString: strerror(errno))
      try? fm.removeItem(at: temp)
      throw DataError("cannot write \(url.path): \(why)")
    }
  }
}
