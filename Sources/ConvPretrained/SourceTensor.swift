/// A named array of numbers from a weights file, in the file's own layout.
///
/// Big PyTorch storages stay in the file until the importer knows the layout the network
/// needs (`deferred`): `placed` then reads them straight into it, so a 400 MB fc1 kernel is
/// never held twice (once as read, once transposed).
public struct SourceTensor: Equatable, Sendable {
  public var name: String
  public var shape: [Int]
  /// The values in C order; empty while `deferred` holds them.
  public var values: [Float]
  /// Values still in the file, read on demand.
  public var deferred: DeferredValues?

  public init(name: String, shape: [Int], values: [Float]) {
    self.name = name
    self.shape = shape
    self.values = values
  }

  public init(name: String, shape: [Int], deferred: DeferredValues) {
    self.name = name
    self.shape = shape
    self.values = []
    self.deferred = deferred
  }

  /// The values in the file's C order.
  public func materialized() throws -> [Float] { try placed(.identity) }

  /// The values with element `i` of the file's C order at `placement.position(of: i)`.
  public func placed(_ placement: ElementPlacement) throws -> [Float] {
    if let deferred {
      return try [Float](unsafeUninitializedCapacity: deferred.count) { buffer, initialized in
        try deferred.fill(buffer.baseAddress!, placement)
        initialized = deferred.count
      }
    }
    if case .identity = placement { return values }
    return [Float](unsafeUninitializedCapacity: values.count) { buffer, initialized in
      for (i, v) in values.enumerated() { buffer[placement.position(of: i)] = v }
      initialized = values.count
    }
  }
}

/// Where each element of a tensor (in the file's C order) goes in the array the network needs:
/// a permutation of the indices.
public enum ElementPlacement: Sendable {
  case identity
  /// PyTorch's Conv2d `(out, in, height, width)` -> Keras's `(height, width, in, out)`.
  case oihwToHWIO(out: Int, in: Int, height: Int, width: Int)
  /// `(rows, cols)` -> `(cols, rows)`, column `c` becoming row `rowOf[c]` (PyTorch's Linear
  /// `(out, in)` -> Keras's Dense `(in, out)`, with the flatten's channels-first order undone).
  case transposed(rows: Int, cols: Int, rowOf: [Int])

  @inline(__always) public func position(of i: Int) -> Int {
    switch self {
    case .identity:
      return i
    case .oihwToHWIO(let f, let cin, let kh, let kw):
      let j = i % kw, rest = i / kw
      let y = rest % kh, rest2 = rest / kh
      let c = rest2 % cin, o = rest2 / cin
      return ((y * kw + j) * cin + c) * f + o
    case .transposed(let rows, let cols, let rowOf):
      return rowOf[i % cols] * rows + i / cols
    }
  }
}

/// A float32 tensor's values still in its file: `fill` writes all `count` of them into a buffer
/// at the positions a placement gives, reading the file once, in order.
public final class DeferredValues: @unchecked Sendable, Equatable {
  public let count: Int
  let fill: (UnsafeMutablePointer<Float>, ElementPlacement) throws -> Void

  init(count: Int, fill: @escaping (UnsafeMutablePointer<Float>, ElementPlacement) throws -> Void) {
    self.count = count
    self.fill = fill
  }

  public static func == (a: DeferredValues, b: DeferredValues) -> Bool { a === b }

  /// Scatters little-endian float32 values (`bytes`, a whole number of them) that are
  /// elements `first...` of the tensor.
  @inline(__always)
  static func scatter(_ bytes: UnsafeRawBufferPointer, first: Int, into out: UnsafeMutablePointer<Float>, _ placement: ElementPlacement) {
    let n = bytes.count / 4
    if case .identity = placement {
      #if _endian(little)
        UnsafeMutableRawPointer(out + first).copyMemory(from: bytes.baseAddress!, byteCount: n * 4)
        return
      #endif
    }
    for k in 0..<n {
      let v = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)))
      out[placement.position(of: first + k)] = v
    }
  }
}
