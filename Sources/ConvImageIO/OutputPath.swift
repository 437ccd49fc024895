#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks, before the work starts, that a result can be written where it is asked to go:
/// `train --save` to a read-only place would otherwise be found only after the training.
/// The check does what the save will do: it creates (and removes) a temporary file in the
/// destination's folder, so a read-only file system, a full quota or a missing permission is
/// found even when running as root, where access(2) says yes to everything.
public enum OutputPath {
  /// One line naming `option` and `path` when `path` cannot be written; `createsFolders` when
  /// the writer makes missing folders itself (the nearest existing folder must then be writable).
  public static func check(_ path: String, option: String, createsFolders: Bool = false) throws(FileAccessError) {
    let name = "\(option) \(path)"
    guard !path.isEmpty else { throw FileAccessError(option, "the output path is empty") }
    if path.hasSuffix("/") { throw FileAccessError(name, "names a folder, not a file") }
    var info = stat()
    if stat(path, &info) == 0 {
      let type = info.st_mode & S_IFMT
      if type == S_IFDIR { throw FileAccessError(name, "is a directory, not a file") }
      if type != S_IFREG { throw FileAccessError(name, "exists and is not a regular file") }
    }
    var folder = parent(of: path)
    while true {
      var f = stat()
      if stat(folder, &f) == 0 {
        guard (f.st_mode & S_IFMT) == S_IFDIR else { throw FileAccessError(name, "\(folder) is not a directory") }
        break
      }
      guard errno == ENOENT else { throw FileAccessError(name, "cannot reach \(folder): \(String(cString: strerror(errno)))") }
      guard createsFolders else { throw FileAccessError(name, "the folder \(folder) does not exist") }
      let up = parent(of: folder)
      if up == folder { throw FileAccessError(name, "the folder \(folder) does not exist") }
      folder = up
    }
    var template = Array("\(folder)/.convplay-write-check-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw FileAccessError(name, "cannot write in \(folder): \(String(cString: strerror(errno)))")
    }
    close(fd)
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
  }

  /// The folder of `path` ("." for a bare name, "/" at the top).
  static func parent(of path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "." }
    return slash == p.startIndex ? "/" : String(p[..<slash])
  }
}
