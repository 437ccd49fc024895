#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading images from and writing them to files: PNG, JPEG and NumPy `.npy`.
///
/// The format is read from the first bytes, not the name. Output goes by the name's extension
/// and is written atomically: a temporary file in the same directory, renamed over the target
/// once complete, so a failure never leaves a partial file.
public enum ImageFile {
  /// What an output path's extension asks for.
  public enum OutputKind: String, Sendable {
    case png, jpeg, npy

    /// `.png`, `.jpg`/`.jpeg` or `.npy` (any case); nil otherwise.
    public init?(path: String) {
      let name = path.split(separator: "/").last.map(String.init) ?? path
      guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
      switch name[name.index(after: dot)...].lowercased() {
      case "png": self = .png
      case "jpg", "jpeg": self = .jpeg
      case "npy": self = .npy
      default: return nil
      }
    }
  }

  /// Reads and decodes a PNG, JPEG or `.npy` file, refusing more than `maxPixels` pixels before
  /// allocating them. Errors carry the path.
  public static func read(
    _ path: String, maxPixels: Int = ImageCodec.defaultMaxPixels
  ) throws(LocatedImageError) -> DecodedImage {
    do {
      // An encoded image never needs more than about 24 bytes per pixel (a float64 RGB .npy);
      // refusing bigger files keeps a mistyped path (a disk image, /dev/zero) from filling memory.
      let (limit, overflow) = maxPixels.multipliedReportingOverflow(by: 24)
      let bytes = try readBytes(path, limit: overflow ? Int.max : limit + (1 << 20))
      if NumPyFile.looksLikeNPY(bytes) {
        return try NumPyFile.decode(bytes, maxPixels: maxPixels)
      }
      return try ImageCodec.decode(bytes, maxPixels: maxPixels)
    } catch {
      throw error.at(path)
    }
  }

  /// Writes `image` to `path` in the format its extension names: `.npy` gets the samples as
  /// float32 unchanged; `.png` and `.jpg` get 8-bit pixels made by `normalization`.
  public static func write(
    _ image: Image, to path: String, normalization: Normalization = .clip
  ) throws(LocatedImageError) {
    guard let kind = OutputKind(path: path) else {
      throw ImageError.unsupported("output name must end in .png, .jpg, .jpeg or .npy").at(path)
    }
    do {
      try writeAtomically(try encoded(image, as: kind, normalization: normalization), to: path)
    } catch {
      throw error.at(path)
    }
  }

  /// The bytes of `image` in the file format `kind`.
  public static func encoded(
    _ image: Image, as kind: OutputKind, normalization: Normalization = .clip
  ) throws(ImageError) -> [UInt8] {
    switch kind {
    case .npy:
      return NumPyFile.encode(image)
    case .png, .jpeg:
      guard image.channels == 1 || image.channels == 3 else {
        throw .unsupported("PNG and JPEG hold 1 or 3 channels, not \(image.channels)")
      }
      let pixels = normalization.pixels(of: image)
      if kind == .png {
        return try ImageCodec.encodePNG(
          width: image.width, height: image.height, channels: image.channels, interleaved: pixels)
      }
      return try ImageCodec.encodeJPEG(
        width: image.width, height: image.height, channels: image.channels, interleaved: pixels)
    }
  }

  /// The whole content of a regular file, or of a pipe (`<(cmd)`, a FIFO), of at most `limit`
  /// bytes. A pipe has no size to check first, so it is read in chunks up to the limit.
  static func readBytes(_ path: String, limit: Int) throws(ImageError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .io(systemMessage("cannot open")) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw .io(systemMessage("cannot read")) }
    let type = st.st_mode & S_IFMT
    if type == S_IFDIR { throw .io("is a directory, not an image") }
    if type == S_IFIFO || type == S_IFSOCK {
      var bytes: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      while bytes.count <= limit {
        let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n >= 0 else { throw .io(systemMessage("cannot read")) }
        if n == 0 { return bytes }
        bytes += chunk[0..<n]
      }
      throw .io("more than \(limit) bytes from a pipe: too big for the pixel limit (see --max-pixels)")
    }
    guard type == S_IFREG else { throw .io("not a regular file or a pipe") }
    let size = Int(st.st_size)
    guard size <= limit else {
      throw .io("file of \(size) bytes is too big for the pixel limit (see --max-pixels)")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
      let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + done, size - done) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else { throw .io(systemMessage("cannot read")) }
      if n == 0 { break }  // the file shrank while being read
      done += n
    }
    return done == size ? bytes : Array(bytes[0..<done])
  }

  /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ImageError) {
    do {
      try writeAllAtomically([(path, bytes)])
    } catch {
      throw error.error
    }
  }

  /// Several files as a set (the six images of `channels`): every one is written to its
  /// temporary file first, and only when all of them are complete are they renamed into place,
  /// so a full disk or a bad directory leaves none of them. Errors name the file.
  public static func writeAllAtomically(_ files: [(path: String, bytes: [UInt8])]) throws(LocatedImageError) {
    var temporaries: [String] = []
    do throws(LocatedImageError) {
      for (path, bytes) in files {
        do {
          temporaries.append(try writeTemporary(bytes, beside: path))
        } catch {
          throw error.at(path)
        }
      }
      for (tmp, file) in zip(temporaries, files) where rename(tmp, file.path) != 0 {
        throw ImageError.io(systemMessage("cannot replace")).at(file.path)
      }
    } catch {
      for tmp in temporaries { unlink(tmp) }
      throw error
    }
  }

  /// A complete temporary copy of `bytes` in the directory of `path`; returns its name.
  private static func writeTemporary(_ bytes: [UInt8], beside path: String) throws(ImageError) -> String {
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array("\(dir).\(name).tmp-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw .io(systemMessage("cannot create a file in '\(dir.isEmpty ? "." : dir)'")) }
    let tmp = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var ok = true
    var why = ""
    var done = 0
    while ok && done < bytes.count {
      let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + done, bytes.count - done) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 {
        ok = false
        why = systemMessage("cannot write")
      } else {
        done += n
      }
    }
    // mkstemp makes the file private (0600); an image is an ordinary document.
    if ok && fchmod(fd, 0o644) != 0 { ok = false; why = systemMessage("cannot set permissions") }
    if close(fd) != 0 && ok { ok = false; why = systemMessage("cannot write") }
    if !ok {
      unlink(tmp)
      throw .io(why)
    }
    return tmp
  }

  private static func systemMessage(_ what: String) -> String {
    "\(what): \(String(cString: strerror(errno)))"
  }
}

// Free functions, so that the enum's own read/write do not hide the system calls.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
