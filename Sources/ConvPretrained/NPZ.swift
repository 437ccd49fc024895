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
/// `.npy` file per array, stored or deflated, read through `ZipArchive` (ZIPFoundation, with
/// inflated sizes bounded). Arrays: little-endian float32 or float64 (or int32/int64) in C
/// order, any number of dimensions. Members keep the archive's order, which is the order
/// `savez` was given (a PyTorch `state_dict` lists its modules in order).
public enum NPZ {
  public static func isZip(_ prefix: [UInt8]) -> Bool { prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

  /// One array in memory at a time, as bytes and then as floats.
  public static func read(_ url: URL) throws -> [SourceTensor] {
    let zip = try ZipArchive(url)
    var tensors: [SourceTensor] = []
    for member in zip.entryNames {
      var arrayName = member
      if arrayName.hasSuffix(".npy") { arrayName.removeLast(4) }
      let bytes = try zip.data(member)
      tensors.append(try bytes.withUnsafeBytes { try parseNPY($0, name: arrayName, file: zip.name) })
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
}
