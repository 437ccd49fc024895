import ConvImageIO
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
    try AtomicFile.write(to: url) { file in
      try prefix.withUnsafeBytes { try file.write($0) }
      for t in tensors {
        #if _endian(big)
          let le = t.values.map { Float(bitPattern: $0.bitPattern.littleEndian) }
          try le.withUnsafeBytes { try file.write($0) }
        #else
          try t.values.withUnsafeBytes { try file.write($0) }
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
}

/// Opens `url` for reading and returns its descriptor (the caller closes it) and size; a
/// directory, device or missing file is refused with one line.
public func openRegularFile(_ url: URL) throws -> (fd: Int32, size: Int) {
  do {
    let (fd, size) = try InputFile.open(url.path)
    guard let size else {
      close(fd)
      throw FileAccessError(url.path, "is a pipe: a weights or model file must be a regular file")
    }
    return (fd, size)
  } catch {
    throw DataError("cannot read \(error)")
  }
}
