import CZlib
import ConvData
import Foundation

/// A named array of numbers from a weights file, in the file's own layout.
public struct SourceTensor: Equatable, Sendable {
  public var name: String
  public var shape: [Int]
  public var values: [Float]
  public init(name: String, shape: [Int], values: [Float]) {
    self.name = name
    self.shape = shape
    self.values = values
  }
}

/// NumPy's `.npz` (what `numpy.savez` and `savez_compressed` write): a zip archive holding one
/// `.npy` file per array, stored or deflated. Read through the zip's central directory (sizes
/// and offsets, including the zip64 extra field numpy writes for every member), then each
/// member's local header to find its data. Arrays: little-endian float32 or float64 in C order,
/// any number of dimensions. Members keep the archive's order, which is the order `savez` was
/// given (a PyTorch `state_dict` lists its modules in order).
public enum NPZ {
  public static func isZip(_ prefix: [UInt8]) -> Bool { prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

  /// The file is mapped, not read: each member's pages are handed back to the kernel once its
  /// array is converted, so importing VGG16 holds its weights about once, not file + arrays.
  public static func read(_ url: URL) throws -> [SourceTensor] {
    let name = url.lastPathComponent
    let (fd, size) = try openRegularFile(url)
    defer { close(fd) }
    guard size > 0 else { throw DataError("\(name): empty file") }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      throw DataError("cannot read \(url.path): \(String(cString: strerror(errno)))")
    }
    defer { munmap(base, size) }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    return try read(UnsafeRawBufferPointer(start: base, count: size), name: name) { range in
      // Whole pages inside the range only: neighbours may still be needed.
      let lo = (range.lowerBound + page - 1) / page * page
      let hi = range.upperBound / page * page
      if hi > lo { madvise(base + lo, hi - lo, MADV_DONTNEED) }
    }
  }

  static func read(
    _ bytes: UnsafeRawBufferPointer, name: String, done: (Range<Int>) -> Void = { _ in }
  ) throws -> [SourceTensor] {
    func fail(_ why: String) -> DataError { DataError("\(name): \(why)") }
    func u16(_ o: Int) -> Int { Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self))) }
    func u32(_ o: Int) -> Int { Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self))) }
    func u64(_ o: Int) -> Int { Int(truncatingIfNeeded: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt64.self))) }
    // End of central directory: the last 22+ bytes (a comment may follow it).
    guard bytes.count >= 22 else { throw fail("too short to be a .npz (zip) file") }
    var eocd = -1
    var o = bytes.count - 22
    while o >= max(0, bytes.count - 22 - 65_535) {
      if u32(o) == 0x0605_4B50 { eocd = o; break }
      o -= 1
    }
    guard eocd >= 0 else { throw fail("not a .npz file: no zip directory found (truncated?)") }
    var count = u16(eocd + 10)
    var dirOffset = u32(eocd + 16)
    if (count == 0xFFFF || dirOffset == 0xFFFF_FFFF), eocd >= 20, u32(eocd - 20) == 0x0706_4B50 {
      let record = u64(eocd - 20 + 8)
      guard record >= 0, record + 56 <= bytes.count, u32(record) == 0x0606_4B50 else { throw fail("corrupt zip64 directory") }
      count = u64(record + 32)
      dirOffset = u64(record + 48)
    }
    var tensors: [SourceTensor] = []
    var p = dirOffset
    for _ in 0..<count {
      guard p >= 0, p + 46 <= bytes.count, u32(p) == 0x0201_4B50 else { throw fail("corrupt zip directory") }
      let method = u16(p + 10)
      var compressed = u32(p + 20)
      var size = u32(p + 24)
      let nameLength = u16(p + 28), extraLength = u16(p + 30), commentLength = u16(p + 32)
      var local = u32(p + 42)
      guard p + 46 + nameLength + extraLength <= bytes.count else { throw fail("corrupt zip directory") }
      let member = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(p + 46)..<(p + 46 + nameLength)]), as: UTF8.self)
      // zip64 extra field: the 8-byte values replace, in order, those stored as 0xFFFFFFFF.
      var e = p + 46 + nameLength
      let extraEnd = e + extraLength
      while e + 4 <= extraEnd {
        let id = u16(e), length = u16(e + 2)
        if id == 0x0001 {
          var q = e + 4
          if size == 0xFFFF_FFFF { size = u64(q); q += 8 }
          if compressed == 0xFFFF_FFFF { compressed = u64(q); q += 8 }
          if local == 0xFFFF_FFFF { local = u64(q) }
        }
        e += 4 + length
      }
      p = extraEnd + commentLength
      guard local >= 0, local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else { throw fail("corrupt zip entry \(member)") }
      let dataStart = local + 30 + u16(local + 26) + u16(local + 28)
      guard compressed >= 0, size >= 0, dataStart + compressed <= bytes.count else {
        throw fail("the file is truncated inside \(member)")
      }
      // Deflate expands at most about 1032:1; a larger claim is a corrupt (or hostile) file.
      guard method != 0 || size == compressed, size <= 1100 * max(compressed, 1) else {
        throw fail("corrupt zip entry \(member): \(compressed) bytes cannot hold \(size)")
      }
      let stored = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<(dataStart + compressed)])
      var arrayName = member
      if arrayName.hasSuffix(".npy") { arrayName.removeLast(4) }
      switch method {
      case 0:
        tensors.append(try parseNPY(stored, name: arrayName, file: name) { done(($0.lowerBound + dataStart)..<($0.upperBound + dataStart)) })
      case 8:
        var plain = [UInt8](repeating: 0, count: size)
        try plain.withUnsafeMutableBytes { try inflateRaw(stored, into: $0, what: "\(name): \(member)") }
        tensors.append(try plain.withUnsafeBytes { try parseNPY($0, name: arrayName, file: name) })
      default:
        throw fail("\(member) uses zip compression method \(method); convplay reads stored and deflated members")
      }
      done(dataStart..<(dataStart + compressed))
    }
    return tensors
  }

  /// One `.npy` array: magic, version, a Python-dict header (descr, fortran_order, shape), data.
  /// `converted` hears which byte ranges of `b` were read, a million values at a time.
  static func parseNPY(
    _ b: UnsafeRawBufferPointer, name: String, file: String, converted: (Range<Int>) -> Void = { _ in }
  ) throws -> SourceTensor {
    func fail(_ why: String) -> DataError { DataError("\(file): array \(name): \(why)") }
    guard b.count >= 10, Array(b[0..<6]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] else { throw fail("not a .npy array") }
    let (headerStart, headerLength): (Int, Int)
    if b[6] == 1 {
      (headerStart, headerLength) = (10, Int(b[8]) | Int(b[9]) << 8)
    } else {
      guard b.count >= 12 else { throw fail("truncated header") }
      (headerStart, headerLength) = (12, (0..<4).reduce(0) { $0 | Int(b[8 + $1]) << (8 * $1) })
    }
    guard headerStart + headerLength <= b.count else { throw fail("truncated header") }
    let header = String(decoding: UnsafeRawBufferPointer(rebasing: b[headerStart..<(headerStart + headerLength)]), as: UTF8.self)
    func field(_ key: String) -> Substring? {
      guard let r = header.range(of: "'\(key)':") else { return nil }
      let rest = header[r.upperBound...].drop { $0 == " " }
      if rest.first == "(" { return rest.prefix { $0 != ")" }.dropFirst() }
      return rest.prefix { $0 != "," && $0 != "}" }
    }
    guard let descr = field("descr")?.filter({ $0 != "'" && $0 != "\"" && $0 != " " }),
      let fortran = field("fortran_order"), let shapeText = field("shape")
    else { throw fail("the header lacks descr, fortran_order or shape") }
    guard fortran.trimmingCharacters(in: .whitespaces) == "False" else {
      throw fail("Fortran-ordered array: save it with numpy.ascontiguousarray first")
    }
    let dims = shapeText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let shape = dims.compactMap { Int($0) }
    guard shape.count == dims.count, shape.allSatisfy({ $0 >= 0 }) else { throw fail("cannot read its shape") }
    guard let count = checkedCount(shape), count <= b.count else {
      throw fail("truncated data: shape \(shape) holds more values than the file has bytes")
    }
    let size: Int
    switch descr {
    case "<f4": size = 4
    case "<f8", "<i8": size = 8
    case "<i4": size = 4
    default: throw fail("data type \(descr): convplay reads little-endian float32, float64, int64 and int32 arrays")
    }
    let start = headerStart + headerLength
    guard b.count - start >= count * size else {
      throw fail("truncated data: shape \(shape) needs \(count * size) bytes, the file has \(b.count - start)")
    }
    let kind = ["<f4": 0, "<f8": 1, "<i8": 2][descr] ?? 3
    let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
      var chunkStart = 0
      for i in 0..<count {
        if i - chunkStart == 1 << 20 {
          converted((start + chunkStart * size)..<(start + i * size))
          chunkStart = i
        }
        switch kind {
        case 0: out[i] = Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
        case 1: out[i] = Float(Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self))))
        case 2: out[i] = Float(Int64(littleEndian: b.loadUnaligned(fromByteOffset: start + 8 * i, as: Int64.self)))
        default: out[i] = Float(Int32(littleEndian: b.loadUnaligned(fromByteOffset: start + 4 * i, as: Int32.self)))
        }
      }
      initialized = count
    }
    return SourceTensor(name: name, shape: shape, values: values)
  }

  /// The product of `shape`, or nil when it overflows.
  static func checkedCount(_ shape: [Int]) -> Int? {
    var n = 1
    for d in shape {
      let (p, overflow) = n.multipliedReportingOverflow(by: d)
      if overflow { return nil }
      n = p
    }
    return n
  }

  /// Raw deflate (no zlib or gzip header, as in zip members) of `input` into `output`, which
  /// must be exactly the inflated size. Wraps zlib's `inflateInit2_` (window -MAX_WBITS: raw),
  /// `inflate` and `inflateEnd`.
  static func inflateRaw(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, what: String) throws {
    var stream = z_stream()
    guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw DataError("\(what): zlib could not start")
    }
    defer { inflateEnd(&stream) }
    stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: UInt8.self).baseAddress)
    stream.avail_in = uInt(input.count)
    stream.next_out = output.bindMemory(to: UInt8.self).baseAddress
    stream.avail_out = uInt(output.count)
    let status = inflate(&stream, Z_FINISH)
    guard status == Z_STREAM_END, stream.avail_out == 0 else {
      throw DataError("\(what): corrupt or truncated compressed data")
    }
  }
}
