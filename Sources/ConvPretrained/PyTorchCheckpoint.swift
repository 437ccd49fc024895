import ConvData
import Foundation

/// A PyTorch state dict (`torch.save(model.state_dict(), "x.pth")`), read without Python:
/// - the zip format (PyTorch 1.6 and later): `<name>/data.pkl` plus one `<name>/data/<key>`
///   entry per storage;
/// - the legacy format (torchvision's older files such as `vgg16-397923af.pth`): a magic
///   number, a protocol version and system info (three small pickles), the state dict's
///   pickle, a pickled list of storage keys, then each storage as an 8-byte element count
///   followed by its raw little-endian values.
/// The pickle is read by `PyTorchPickle`, which refuses anything but a state dict's opcodes and
/// globals. A checkpoint dict holding the state dict under `state_dict` or `model` is
/// accepted too. Tensors come back in the state dict's order, as float32.
public enum PyTorchCheckpoint {
  /// Largest tensor, in elements (2 GiB of float32).
  public static let maxElements = 1 << 29
  /// Largest data.pkl (VGG's is a few kB; a big model's a few MB).
  static let maxPickleBytes: UInt64 = 256 << 20

  /// Every tensor, in memory.
  public static func read(_ url: URL) throws -> [SourceTensor] {
    try readDeferred(url).map { t in
      guard t.deferred != nil else { return t }
      return SourceTensor(name: t.name, shape: t.shape, values: try t.materialized())
    }
  }

  /// The tensors with their float32 storages left in the file (`SourceTensor.deferred`): the
  /// importer reads each one once, straight into the layout the network needs, so loading
  /// holds the weights about once. Other dtypes and strided views are read at once.
  public static func readDeferred(_ url: URL) throws -> [SourceTensor] {
    let name = url.lastPathComponent
    do {
      if try WeightFileFormat.isZip(url) { return try readZip(url) }
      return try readLegacy(url)
    } catch let e as PyTorchPickle.Failure {
      throw ImportError("\(name): \(e.description)")
    }
  }

  // MARK: zip format

  static func readZip(_ url: URL) throws -> [SourceTensor] {
    let zip = try ZipArchive(url)
    guard let pkl = zip.entryNames.first(where: { $0 == "data.pkl" || $0.hasSuffix("/data.pkl") }) else {
      throw ImportError("\(zip.name): a zip without data.pkl, not a PyTorch file")
    }
    let prefix = String(pkl.dropLast("data.pkl".count))
    let pickle = try zip.data(pkl, maxBytes: maxPickleBytes)
    let (root, _) = try pickle.withUnsafeBytes { try PyTorchPickle.load($0) }
    let refs = try stateDict(root, file: zip.name)
    var out: [SourceTensor] = []
    for (key, t) in refs {
      let entry = "\(prefix)data/\(t.storage.key)"
      guard let size = zip.size(of: entry) else { throw ImportError("\(zip.name): tensor \(key): its storage \(entry) is missing") }
      try checkStorage(t, storageBytes: Int(clamping: size), tensor: key, file: zip.name)
      let count = try elementCount(t.shape, tensor: key, file: zip.name)
      if t.storage.dtype == .float32, isContiguous(t) {
        // The common case: streamed from the archive into its final place when the importer asks.
        let first = t.offset * 4, last = first + count * 4
        let file = zip.name
        out.append(SourceTensor(name: key, shape: t.shape, deferred: DeferredValues(count: count) { target, placement in
          var at = 0, element = 0
          var carry: [UInt8] = []  // a float split between two chunks
          try zip.read(entry) { chunk in
            let lo = max(at, first), hi = min(at + chunk.count, last)
            if hi > lo {
              chunk.withUnsafeBytes { c in
                var p = lo - at
                let end = hi - at
                while !carry.isEmpty && p < end {
                  carry.append(c[p])
                  p += 1
                  if carry.count == 4 {
                    carry.withUnsafeBytes { DeferredValues.scatter($0, first: element, into: target, placement) }
                    element += 1
                    carry.removeAll(keepingCapacity: true)
                  }
                }
                let whole = (end - p) / 4 * 4
                if whole > 0 {
                  DeferredValues.scatter(UnsafeRawBufferPointer(rebasing: c[p..<(p + whole)]), first: element, into: target, placement)
                  element += whole / 4
                  p += whole
                }
                while p < end {
                  carry.append(c[p])
                  p += 1
                }
              }
            }
            at += chunk.count
          }
          guard element == count else { throw ImportError("\(file): tensor \(key): its storage ends early") }
        }))
      } else {
        let bytes = try zip.data(entry)
        out.append(try bytes.withUnsafeBytes { SourceTensor(name: key, shape: t.shape, values: try convert(t, storage: $0, count: count)) })
      }
    }
    return out
  }

  // MARK: legacy format

  static func readLegacy(_ url: URL) throws -> [SourceTensor] {
    let name = url.lastPathComponent
    let (fd, size) = try openRegularFile(url)
    defer { close(fd) }
    guard size > 0 else { throw ImportError("\(name): empty file") }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      throw ImportError("cannot read \(url.path): \(String(cString: strerror(errno)))")
    }
    // Unmapped when the last deferred tensor that reads it is gone.
    let mapping = MappedFile(base: base, size: size)
    let bytes = UnsafeRawBufferPointer(start: base, count: size)
    guard bytes.starts(with: PyTorchPickle.legacyMagic) else {
      throw ImportError("\(name): not a PyTorch file (no zip, no legacy magic number)")
    }
    var p = 0
    var (_, next) = try PyTorchPickle.load(bytes, from: p)  // magic number
    p = next
    let (version, afterVersion) = try PyTorchPickle.load(bytes, from: p)
    guard case .int(1001) = version else { throw ImportError("\(name): legacy PyTorch protocol \(version), convplay reads 1001") }
    (_, next) = try PyTorchPickle.load(bytes, from: afterVersion)  // sys_info: endianness and type sizes
    let (root, afterRoot) = try PyTorchPickle.load(bytes, from: next)
    let (keysValue, afterKeys) = try PyTorchPickle.load(bytes, from: afterRoot)
    guard case .list(let keyValues) = keysValue else { throw ImportError("\(name): the storage key list is missing") }
    let refs = try stateDict(root, file: name)
    // Storages follow in the order of the key list: an 8-byte element count, then the values.
    var storages: [String: (start: Int, count: Int)] = [:]
    var storageTypes: [String: PyTorchPickle.DType] = [:]
    for (_, t) in refs { storageTypes[t.storage.key] = t.storage.dtype }
    p = afterKeys
    for v in keyValues {
      guard case .string(let key) = v else { throw ImportError("\(name): a storage key is not text") }
      guard p + 8 <= size else { throw ImportError("\(name): the file is cut short before storage \(key)") }
      let count = Int(truncatingIfNeeded: bytes.loadUnaligned(fromByteOffset: p, as: UInt64.self).littleEndian)
      let elementSize = storageTypes[key]?.size ?? 4
      guard count >= 0, count <= Int.max / 8, size - (p + 8) >= count * elementSize else {
        throw ImportError("\(name): storage \(key) claims \(count) values, more than the file holds")
      }
      storages[key] = (p + 8, count)
      p += 8 + count * elementSize
    }
    var out: [SourceTensor] = []
    for (key, t) in refs {
      guard let s = storages[t.storage.key] else { throw ImportError("\(name): tensor \(key): storage \(t.storage.key) is missing") }
      guard s.count == t.storage.count else {
        throw ImportError("\(name): tensor \(key): storage \(t.storage.key) holds \(s.count) values, the pickle says \(t.storage.count)")
      }
      try checkStorage(t, storageBytes: s.count * t.storage.dtype.size, tensor: key, file: name)
      let count = try elementCount(t.shape, tensor: key, file: name)
      let region = UnsafeRawBufferPointer(rebasing: bytes[s.start..<(s.start + s.count * t.storage.dtype.size)])
      if t.storage.dtype == .float32, isContiguous(t) {
        let start = s.start + t.offset * 4
        out.append(SourceTensor(name: key, shape: t.shape, deferred: DeferredValues(count: count) { target, placement in
          // A million values at a time, each block's pages let go once placed.
          let block = 1 << 20
          var e = 0
          while e < count {
            let n = min(block, count - e)
            let from = start + e * 4
            DeferredValues.scatter(UnsafeRawBufferPointer(start: mapping.base + from, count: n * 4), first: e, into: target, placement)
            mapping.release(from, n * 4)
            e += n
          }
        }))
      } else {
        out.append(SourceTensor(name: key, shape: t.shape, values: try convert(t, storage: region, count: count)))
        mapping.release(s.start, region.count)
      }
    }
    return out
  }

  /// A file mapped read-only for the tensors that read it later.
  final class MappedFile: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let size: Int
    init(base: UnsafeMutableRawPointer, size: Int) {
      self.base = base
      self.size = size
    }
    deinit { munmap(base, size) }

    /// Lets the kernel drop the whole pages of `[from, from + count)`, which are read once:
    /// they are file-backed, so reading them again maps them again.
    func release(_ from: Int, _ count: Int) {
      let page = Int(sysconf(Int32(_SC_PAGESIZE)))
      let lo = (from + page - 1) / page * page, hi = (from + count) / page * page
      if hi > lo { madvise(base + lo, hi - lo, MADV_DONTNEED) }
    }
  }

  // MARK: shared

  /// The (name, tensor) pairs of a state dict, or of the state dict inside a checkpoint.
  static func stateDict(_ root: PyTorchPickle.Value, file: String) throws -> [(String, PyTorchPickle.TensorRef)] {
    guard case .dict(let items) = root else { throw ImportError("\(file): the pickle holds no state dict") }
    for (k, v) in items {
      if case .string(let key) = k, key == "state_dict" || key == "model", case .dict = v {
        return try stateDict(v, file: file)
      }
    }
    var out: [(String, PyTorchPickle.TensorRef)] = []
    for (k, v) in items {
      guard case .string(let key) = k else { throw ImportError("\(file): a state dict key is not text") }
      if case .tensor(let t) = v { out.append((key, t)) }
    }
    guard !out.isEmpty else { throw ImportError("\(file): the state dict holds no tensors") }
    return out
  }

  static func elementCount(_ shape: [Int], tensor: String, file: String) throws -> Int {
    var n = 1
    for d in shape {
      let (p, overflow) = n.multipliedReportingOverflow(by: d)
      guard !overflow, p <= maxElements else {
        throw ImportError("\(file): tensor \(tensor) has shape \(shape), over the limit of \(maxElements) values")
      }
      n = p
    }
    return n
  }

  /// Every element the tensor's offset, shape and stride reach lies inside its storage.
  static func checkStorage(_ t: PyTorchPickle.TensorRef, storageBytes: Int, tensor: String, file: String) throws {
    guard t.storage.count <= storageBytes / t.storage.dtype.size else {
      throw ImportError("\(file): tensor \(tensor): its storage claims \(t.storage.count) values, it holds \(storageBytes / t.storage.dtype.size)")
    }
    // Negative sizes, strides or offsets would index before the storage.
    guard t.offset >= 0, t.shape.count == t.stride.count, t.shape.allSatisfy({ $0 >= 0 }), t.stride.allSatisfy({ $0 >= 0 }) else {
      throw ImportError("\(file): tensor \(tensor) has a negative size, stride or offset")
    }
    if t.shape.contains(0) { return }
    var last = t.offset
    for (d, s) in zip(t.shape, t.stride) {
      let (m, o1) = (d - 1).multipliedReportingOverflow(by: s)
      let (sum, o2) = last.addingReportingOverflow(m)
      guard !o1, !o2 else { throw ImportError("\(file): tensor \(tensor) has an impossible stride") }
      last = sum
    }
    guard last < t.storage.count else {
      throw ImportError("\(file): tensor \(tensor) (shape \(t.shape)) reaches past the end of its storage of \(t.storage.count) values")
    }
  }

  static func isContiguous(_ t: PyTorchPickle.TensorRef) -> Bool {
    var expected = 1
    for (d, s) in zip(t.shape, t.stride).reversed() {
      if d != 1 && s != expected { return false }
      expected *= d
    }
    return true
  }

  /// The tensor's elements in C order as float32, from its storage's raw bytes.
  static func convert(_ t: PyTorchPickle.TensorRef, storage b: UnsafeRawBufferPointer, count: Int) throws -> [Float] {
    let size = t.storage.dtype.size
    func element(_ i: Int) -> Float {
      let o = i * size
      switch t.storage.dtype {
      case .float32: return Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
      case .float64: return Float(Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self))))
      case .float16: return halfToFloat(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
      case .bfloat16: return Float(bitPattern: UInt32(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self))) << 16)
      case .int64: return Float(Int64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: Int64.self)))
      case .int32: return Float(Int32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: Int32.self)))
      case .int16: return Float(Int16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: Int16.self)))
      case .int8: return Float(Int8(bitPattern: b[o]))
      case .uint8, .bool: return Float(b[o])
      }
    }
    let contiguous = isContiguous(t)
    let rank = t.shape.count
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
      if contiguous {
        for i in 0..<count { out[i] = element(t.offset + i) }
      } else {
        var index = [Int](repeating: 0, count: rank)
        for i in 0..<count {
          var at = t.offset
          for d in 0..<rank { at += index[d] * t.stride[d] }
          out[i] = element(at)
          var d = rank - 1
          while d >= 0 {
            index[d] += 1
            if index[d] < t.shape[d] { break }
            index[d] = 0
            d -= 1
          }
        }
      }
      initialized = count
    }
  }

  /// IEEE half precision to single, including subnormals, infinities and NaN.
  public static func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int(h >> 10) & 0x1F
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0 {
      let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
      return sign != 0 ? -magnitude : magnitude
    }
    if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
    return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
  }
}
