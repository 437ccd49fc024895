import Foundation

/// Reading and writing safetensors files tensor by tensor, for weights too large to hold twice:
/// VGG16's 553 MB would otherwise sit in memory as the file's bytes and again as floats. Reads
/// go straight from the file into each tensor's `[Float]`; writes go from the arrays to a
/// temporary file in the destination's folder, renamed over it at the end (atomic).
extension SafeTensors {
  /// The header and every tensor's values, in file order.
  public static func read(contentsOf url: URL) throws -> (header: Header, values: [[Float]]) {
    let name = url.lastPathComponent
    let (fd, size) = try openRegularFile(url)
    defer { close(fd) }
    var prefix = [UInt8](repeating: 0, count: 8)
    let got = try prefix.withUnsafeMutableBytes { try readFully(fd, into: $0, at: 0, name: name) }
    let header = try prefix.withUnsafeBytes { p in
      try Header(prefix: UnsafeRawBufferPointer(rebasing: p.prefix(got)), fileSize: size, name: name) { range in
        var bytes = Data(count: range.count)
        _ = try bytes.withUnsafeMutableBytes { try readFully(fd, into: $0, at: range.lowerBound, name: name) }
        return bytes
      }
    }
    let values = try header.entries.map { e -> [Float] in
      if e.dtype != "F32" {
        // Small tensors of other types (BatchNorm's I64 step counter, F64 exports): convert.
        var bytes = [UInt8](repeating: 0, count: e.count * Header.dtypeSizes[e.dtype]!)
        let n = try bytes.withUnsafeMutableBytes { try readFully(fd, into: $0, at: header.dataStart + e.begin, name: name) }
        guard n == bytes.count else { throw DataError("\(name): the file is truncated inside tensor \(e.name)") }
        return bytes.withUnsafeBytes { b in
          (0..<e.count).map { i in
            switch e.dtype {
            case "F64": return Float(Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
            case "I64": return Float(Int64(littleEndian: b.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
            default: return Float(Int32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
            }
          }
        }
      }
      return try [Float](unsafeUninitializedCapacity: e.count) { buffer, initialized in
        let raw = UnsafeMutableRawBufferPointer(buffer)
        let n = try readFully(fd, into: raw, at: header.dataStart + e.begin, name: name)
        guard n == raw.count else { throw DataError("\(name): the file is truncated inside tensor \(e.name)") }
        #if _endian(big)
          for i in 0..<e.count { buffer[i] = Float(bitPattern: UInt32(littleEndian: buffer[i].bitPattern)) }
        #endif
        initialized = e.count
      }
    }
    return (header, values)
  }

  /// Writes F32 tensors (name, shape, values) and string metadata atomically, one tensor at a
  /// time. Same layout as `encoded()`.
  public static func write(
    _ tensors: [(name: String, shape: [Int], values: [Float])], metadata: [String: String], to url: URL
  ) throws {
    let prefix = try Self.prefix(tensors.map { ($0.name, $0.shape, $0.values.count) }, metadata: metadata)
    try AtomicFile.write(to: url) { fd in
      try prefix.withUnsafeBytes { try writeFully(fd, $0, path: url.path) }
      for t in tensors {
        #if _endian(big)
          let le = t.values.map { Float(bitPattern: $0.bitPattern.littleEndian) }
          try le.withUnsafeBytes { try writeFully(fd, $0, path: url.path) }
        #else
          try t.values.withUnsafeBytes { try writeFully(fd, $0, path: url.path) }
        #endif
      }
    }
  }

  /// `pread` until `buffer` is full or the file ends; returns the bytes read.
  static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, name: String) throws -> Int {
    var done = 0
    while done < buffer.count {
      let r = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
      if r < 0 {
        if errno == EINTR { continue }
        throw DataError("\(name): read error: \(String(cString: strerror(errno)))")
      }
      if r == 0 { break }
      done += r
    }
    return done
  }

  static func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
    var done = 0
    while done < bytes.count {
      let w = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
      if w < 0 {
        if errno == EINTR { continue }
        throw DataError("cannot write \(path): \(String(cString: strerror(errno)))")
      }
      done += w
    }
  }
}

extension AtomicFile {
  /// Writes through `body(fd)` into a temporary file beside `url`, then renames it over `url`;
  /// on any error the temporary file is removed and `url` is left as it was.
  public static func write(to url: URL, _ body: (Int32) throws -> Void) throws {
    let dir = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw DataError("cannot create the folder \(dir.path): \(error.localizedDescription)")
    }
    let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw DataError("cannot write \(url.path): \(String(cString: strerror(errno)))") }
    do {
      try body(fd)
      guard fsync(fd) == 0 || errno == EINVAL else { throw DataError("cannot write \(url.path): \(String(cString: strerror(errno)))") }
      close(fd)
    } catch {
      close(fd)
      unlink(temp.path)
      throw error
    }
    if rename(temp.path, url.path) != 0 {
      let why = String(cString: strerror(errno))
      unlink(temp.path)
      throw DataError("cannot write \(url.path): \(why)")
    }
  }
}

/// Opens `url` for reading and returns its descriptor (the caller closes it) and size; a
/// directory, device or missing file is refused with one line.
public func openRegularFile(_ url: URL) throws -> (fd: Int32, size: Int) {
  let fd = open(url.path, O_RDONLY)
  guard fd >= 0 else { throw DataError("cannot read \(url.path): \(String(cString: strerror(errno)))") }
  var info = stat()
  guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
    close(fd)
    throw DataError("cannot read \(url.path): not a regular file")
  }
  return (fd, Int(info.st_size))
}
