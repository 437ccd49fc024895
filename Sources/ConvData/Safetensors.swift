import Foundation

/// A safetensors file (the format of Hugging Face's `safetensors`): an 8-byte little-endian
/// header length N, N bytes of JSON
/// `{"NAME": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
///   "__metadata__": {"key": "string value", ...}}`, then the raw little-endian tensor bytes.
/// convplay writes and reads F32 tensors only.
public struct SafeTensors: Equatable {
  public struct Entry: Equatable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]
    public init(name: String, shape: [Int], values: [Float]) {
      self.name = name
      self.shape = shape
      self.values = values
    }
  }

  public var tensors: [Entry]
  /// Free-form string pairs (safetensors allows only strings here).
  public var metadata: [String: String]

  public init(tensors: [Entry], metadata: [String: String] = [:]) {
    self.tensors = tensors
    self.metadata = metadata
  }

  public subscript(name: String) -> Entry? { tensors.first { $0.name == name } }

  /// The file's bytes. The header is padded with spaces to a multiple of 8 so the data is aligned.
  public func encoded() throws -> Data {
    let prefix = try Self.prefix(tensors.map { ($0.name, $0.shape, $0.values.count) }, metadata: metadata)
    var out = Data(capacity: prefix.count + 4 * tensors.reduce(0) { $0 + $1.values.count })
    out.append(prefix)
    for t in tensors {
      t.values.withUnsafeBufferPointer { p in
        #if _endian(big)
          for v in p { var b = v.bitPattern.littleEndian; withUnsafeBytes(of: &b) { out.append(contentsOf: $0) } }
        #else
          out.append(UnsafeBufferPointer(start: UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: UInt8.self), count: 4 * p.count))
        #endif
      }
    }
    return out
  }

  /// What comes before the tensor bytes: the header's length (8 bytes, little-endian) and its
  /// JSON, padded with spaces to a multiple of 8 so the data is aligned. F32 tensors, in order.
  static func prefix(_ tensors: [(name: String, shape: [Int], count: Int)], metadata: [String: String]) throws -> Data {
    var header: [String: Any] = [:]
    var offset = 0
    for t in tensors {
      precondition(t.shape.reduce(1, *) == t.count, "tensor \(t.name): shape and value count differ")
      header[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]]
      offset += 4 * t.count
    }
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    while json.count % 8 != 0 { json.append(0x20) }
    var out = Data(capacity: 8 + json.count)
    var n = UInt64(json.count).littleEndian
    withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
    out.append(json)
    return out
  }

  /// Parses and validates a file: header length, JSON, dtypes, shapes against byte ranges, and
  /// that every range lies inside the file (a truncated file is refused, naming the tensor).
  public init(data: Data, name: String = "weights file") throws {
    let header = try data.withUnsafeBytes { raw in
      try Header(prefix: UnsafeRawBufferPointer(rebasing: raw.prefix(8)), fileSize: data.count, name: name) { range in
        Data(raw[range])
      }
    }
    if let other = header.entries.first(where: { $0.dtype != "F32" }) {
      throw DataError("\(name): tensor \(other.name): dtype \(other.dtype) is not supported (convplay uses F32)")
    }
    tensors = data.withUnsafeBytes { raw in
      header.entries.map { e in
        let start = header.dataStart + e.begin
        let values = [Float](unsafeUninitializedCapacity: e.count) { buffer, initialized in
          for i in 0..<e.count {
            buffer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
          }
          initialized = e.count
        }
        return Entry(name: e.name, shape: e.shape, values: values)
      }
    }
    metadata = header.metadata
  }

  /// The header of a safetensors file, checked against the file's size: tensor names, shapes
  /// and byte ranges (relative to `dataStart`), sorted by position, and the metadata.
  public struct Header {
    public struct TensorInfo {
      public var name: String
      public var shape: [Int]
      public var begin: Int
      /// F32, or F64/I64/I32 (read by `read(contentsOf:)` as floats; BatchNorm's step counter is I64).
      public var dtype: String
      public var count: Int { shape.reduce(1, *) }
    }
    public var entries: [TensorInfo]
    public var metadata: [String: String]
    /// Offset of the first data byte in the file (8 + header length).
    public var dataStart: Int

    /// A JSON number that is a whole number an `Int` holds exactly (NSNumber's `intValue` traps
    /// on 1e300 and truncates 2.5).
    static func exactInt(_ value: Any) -> Int? {
      guard let n = value as? NSNumber else { return nil }
      if let i = Int(exactly: n.doubleValue), n.doubleValue.magnitude < 9.0e15 { return i }
      return nil
    }

    /// Bytes per value of the dtypes convplay can read.
    public static let dtypeSizes = ["F32": 4, "F64": 8, "I64": 8, "I32": 4]

    /// `prefix`: the file's first 8 bytes (or fewer if the file is shorter); `read(range)`
    /// returns the bytes of the file in `range` (used for the JSON header only).
    public init(
      prefix: UnsafeRawBufferPointer, fileSize: Int, name: String, read: (Range<Int>) throws -> Data
    ) throws {
      func fail(_ why: String) -> DataError { DataError("\(name): \(why)") }
      guard fileSize >= 8, prefix.count >= 8 else { throw fail("too short to be a safetensors file (\(fileSize) bytes)") }
      var n: UInt64 = 0
      for i in 0..<8 { n |= UInt64(prefix[i]) << (8 * UInt64(i)) }
      // The format caps its JSON header at 100 MB; a larger claim is not a safetensors file.
      guard n <= 100_000_000 else { throw fail("the header claims \(n) bytes, over the format's 100 MB limit") }
      guard n <= UInt64(fileSize - 8) else {
        throw fail("truncated or not a safetensors file: the header claims \(n) bytes, the file has \(fileSize - 8) after the length")
      }
      let headerEnd = 8 + Int(n)
      let object: Any
      do {
        object = try JSONSerialization.jsonObject(with: try read(8..<headerEnd))
      } catch {
        throw fail("the safetensors header is not valid JSON")
      }
      guard let header = object as? [String: Any] else { throw fail("the safetensors header is not a JSON object") }
      let dataSize = fileSize - headerEnd
      var entries: [TensorInfo] = []
      var meta: [String: String] = [:]
      for (key, value) in header {
        if key == "__metadata__" {
          guard let m = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
          for (k, v) in m {
            guard let s = v as? String else { throw fail("metadata \(k) is not a string") }
            meta[k] = s
          }
          continue
        }
        guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
          let shapeItems = info["shape"] as? [Any], let offsetItems = info["data_offsets"] as? [Any],
          case let shape = shapeItems.compactMap(Self.exactInt), shape.count == shapeItems.count,
          case let offsets = offsetItems.compactMap(Self.exactInt), offsets.count == 2, offsetItems.count == 2
        else { throw fail("tensor \(key): missing or malformed dtype, shape or data_offsets") }
        guard let width = Self.dtypeSizes[dtype] else {
          throw fail("tensor \(key): dtype \(dtype) is not supported (convplay reads F32, F64, I64 and I32)")
        }
        guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0] else {
          throw fail("tensor \(key): negative shape or offsets")
        }
        // A product that overflows cannot match any byte range.
        var count = 1
        for d in shape {
          let (p, overflow) = count.multipliedReportingOverflow(by: d)
          guard !overflow, p <= dataSize else { throw fail("tensor \(key): shape \(shape) is larger than the file") }
          count = p
        }
        guard offsets[1] - offsets[0] == width * count else {
          throw fail("tensor \(key): shape \(shape) needs \(width * count) bytes but its data range has \(offsets[1] - offsets[0])")
        }
        guard offsets[1] <= dataSize else {
          throw fail("the file is truncated: tensor \(key) needs bytes up to \(offsets[1]) but only \(dataSize) are present")
        }
        entries.append(TensorInfo(name: key, shape: shape, begin: offsets[0], dtype: dtype))
      }
      self.entries = entries.sorted { $0.begin < $1.begin }
      metadata = meta
      dataStart = headerEnd
    }
  }
}
