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
    var header: [String: Any] = [:]
    var offset = 0
    for t in tensors {
      precondition(t.shape.reduce(1, *) == t.values.count, "tensor \(t.name): shape and value count differ")
      header[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.values.count]]
      offset += 4 * t.values.count
    }
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    while json.count % 8 != 0 { json.append(0x20) }
    var out = Data(capacity: 8 + json.count + offset)
    var n = UInt64(json.count).littleEndian
    withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
    out.append(json)
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

  /// Parses and validates a file: header length, JSON, dtypes, shapes against byte ranges, and
  /// that every range lies inside the file (a truncated file is refused, naming the tensor).
  public init(data: Data, name: String = "weights file") throws {
    func fail(_ why: String) -> DataError { DataError("\(name): \(why)") }
    guard data.count >= 8 else { throw fail("too short to be a safetensors file (\(data.count) bytes)") }
    let bytes = [UInt8](data)
    var n: UInt64 = 0
    for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard n <= UInt64(bytes.count - 8) else {
      throw fail("truncated or not a safetensors file: the header claims \(n) bytes, the file has \(bytes.count - 8) after the length")
    }
    let headerEnd = 8 + Int(n)
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
    } catch {
      throw fail("the safetensors header is not valid JSON")
    }
    guard let header = object as? [String: Any] else { throw fail("the safetensors header is not a JSON object") }
    let dataSize = bytes.count - headerEnd
    var entries: [(begin: Int, entry: Entry)] = []
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
        let shape = (info["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
        let offsets = (info["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
        offsets.count == 2
      else { throw fail("tensor \(key): missing or malformed dtype, shape or data_offsets") }
      guard dtype == "F32" else { throw fail("tensor \(key): dtype \(dtype) is not supported (convplay uses F32)") }
      guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0] else {
        throw fail("tensor \(key): negative shape or offsets")
      }
      let count = shape.reduce(1, *)
      guard offsets[1] - offsets[0] == 4 * count else {
        throw fail("tensor \(key): shape \(shape) needs \(4 * count) bytes but its data range has \(offsets[1] - offsets[0])")
      }
      guard offsets[1] <= dataSize else {
        throw fail("the file is truncated: tensor \(key) needs bytes up to \(offsets[1]) but only \(dataSize) are present")
      }
      var values = [Float](repeating: 0, count: count)
      let start = headerEnd + offsets[0]
      for i in 0..<count {
        let o = start + 4 * i
        let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
        values[i] = Float(bitPattern: bits)
      }
      entries.append((offsets[0], Entry(name: key, shape: shape, values: values)))
    }
    tensors = entries.sorted { $0.begin < $1.begin }.map(\.entry)
    metadata = meta
  }
}
