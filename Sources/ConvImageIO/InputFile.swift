#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Why a path could not be opened for reading, as one line that names it.
public struct FileAccessError: Error, Equatable, CustomStringConvertible {
  public var path: String
  public var why: String
  public init(_ path: String, _ why: String) {
    self.path = path
    self.why = why
  }
  public var description: String { "\(path): \(why)" }
}

/// The one way convplay opens a file it reads (images, matrices, kernels, specs, answer sheets,
/// data sets, weights, model files): only a regular file, never a named pipe, device or socket,
/// whose `open` or `read` could block forever (`mkfifo f; convplay info f`) or never end
/// (/dev/zero). Stdin is read only where the caller lets `-` mean it; `/dev/stdin` and
/// `/dev/fd/N` name descriptors this process already holds (`--matrix <(cmd)`), so they are read
/// through a copy of that descriptor, not opened again.
public enum InputFile {
  /// A readable descriptor for `path` (the caller closes it) and its size when it is a regular
  /// file (nil for stdin or an inherited pipe, which have no size to check first).
  public static func open(_ path: String, stdin: Bool = false) throws(FileAccessError) -> (fd: Int32, size: Int?) {
    if let inherited = inheritedDescriptor(path, stdin: stdin) {
      let fd = dup(inherited)
      guard fd >= 0 else { throw FileAccessError(path, "cannot read: \(String(cString: strerror(errno)))") }
      var st = stat()
      guard fstat(fd, &st) == 0 else {
        close(fd)
        throw FileAccessError(path, "cannot read: \(String(cString: strerror(errno)))")
      }
      if (st.st_mode & S_IFMT) == S_IFDIR {
        close(fd)
        throw FileAccessError(path, "is a directory, not a file")
      }
      return (fd, (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil)
    }
    // O_NONBLOCK: opening a FIFO nobody writes to returns at once instead of waiting for a writer.
    let fd = systemOpen(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      if code == ENOENT { throw FileAccessError(path, "no such file") }
      throw FileAccessError(path, "cannot open: \(String(cString: strerror(code)))")
    }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      close(fd)
      throw FileAccessError(path, "cannot read: \(String(cString: strerror(errno)))")
    }
    let type = st.st_mode & S_IFMT
    guard type == S_IFREG else {
      close(fd)
      throw FileAccessError(path, refusal(type))
    }
    // Back to blocking reads: a regular file never waits, and code that reads it expects them.
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return (fd, Int(st.st_size))
  }

  /// Refuses `path` unless it is a regular file: for readers that hand a path to a library
  /// (libhdf5, ZIPFoundation), which would open a FIFO and block.
  public static func checkRegular(_ path: String) throws(FileAccessError) {
    let (fd, _) = try open(path)
    close(fd)
  }

  /// The whole content of `path`, at most `limit` bytes; more is refused with `tooBig`'s line.
  public static func bytes(
    _ path: String, limit: Int = Int.max, stdin: Bool = false, tooBig: ((Int?) -> String)? = nil
  ) throws(FileAccessError) -> [UInt8] {
    let (fd, size) = try open(path, stdin: stdin)
    defer { close(fd) }
    func refuse(_ n: Int?) -> FileAccessError {
      FileAccessError(path == "-" ? "stdin" : path, tooBig?(n) ?? "more than \(limit) bytes: too big")
    }
    if let size, size > limit { throw refuse(size) }
    // A regular file: one allocation of its size. A pipe: chunks up to the limit.
    var out = [UInt8]()
    out.reserveCapacity(min(size ?? (1 << 16), limit))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw FileAccessError(path, "cannot read: \(String(cString: strerror(errno)))")
      }
      if n == 0 { return out }
      if out.count + n > limit { throw refuse(nil) }
      out += chunk[0..<n]
    }
  }

  /// `bytes` as Foundation `Data`.
  public static func data(_ path: String, limit: Int = Int.max, stdin: Bool = false) throws(FileAccessError) -> Data {
    Data(try bytes(path, limit: limit, stdin: stdin))
  }

  /// A `FileHandle` on `path` (closed with the handle), for readers that stream.
  public static func handle(_ path: String, stdin: Bool = false) throws(FileAccessError) -> FileHandle {
    let (fd, _) = try open(path, stdin: stdin)
    return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
  }

  /// The descriptor a path names without opening anything: stdin for `-` (when allowed) and
  /// `/dev/stdin`, N for `/dev/fd/N` and `/proc/self/fd/N`.
  static func inheritedDescriptor(_ path: String, stdin: Bool) -> Int32? {
    if path == "-" { return stdin ? 0 : nil }
    if path == "/dev/stdin" { return 0 }
    for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
      if let n = Int32(path.dropFirst(prefix.count)), n >= 0 { return n }
    }
    return nil
  }

  static func refusal(_ type: mode_t) -> String {
    switch type {
    case S_IFDIR: return "is a directory, not a file"
    case S_IFIFO: return "is a named pipe (FIFO), not a regular file (to read a program's output, use '-' or <(program))"
    case S_IFCHR, S_IFBLK: return "is a device, not a regular file"
    case S_IFSOCK: return "is a socket, not a regular file"
    default: return "is not a regular file"
    }
  }
}

/// `open(2)` under a name the enum's own `open` does not hide.
private func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
  open(path, flags)
}
