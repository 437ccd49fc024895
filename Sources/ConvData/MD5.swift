import Foundation

/// MD5 (RFC 1321), only to check downloads against the checksums data sets publish; not for
/// security. Foundation on Linux has no digest API.
public struct MD5 {
  private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
  private var pending: [UInt8] = []
  private var length: UInt64 = 0

  public init() {}

  /// Per-round left-rotation amounts.
  private static let shifts: [UInt32] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
  ]
  /// floor(2^32 * |sin(i + 1)|).
  private static let constants: [UInt32] = (0..<64).map { i in
    UInt32(truncatingIfNeeded: Int64((abs(sin(Double(i + 1))) * 4_294_967_296).rounded(.down)))
  }

  public mutating func update(_ data: some Sequence<UInt8>) {
    for byte in data {
      pending.append(byte)
      length &+= 1
      if pending.count == 64 {
        compress(pending)
        pending.removeAll(keepingCapacity: true)
      }
    }
  }

  /// Fast path for large buffers: whole 64-byte blocks straight from memory.
  public mutating func update(_ data: Data) {
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      var i = 0
      while i < raw.count && !pending.isEmpty {
        update(CollectionOfOne(raw[i]))
        i += 1
      }
      while raw.count - i >= 64 {
        compress(UnsafeRawBufferPointer(rebasing: raw[i..<(i + 64)]))
        length &+= 64
        i += 64
      }
      update(UnsafeRawBufferPointer(rebasing: raw[i...]))
    }
  }

  public mutating func finalize() -> String {
    let bits = length &* 8
    var tail: [UInt8] = [0x80]
    while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
    for i in 0..<8 { tail.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
    let saved = length
    update(tail)
    length = saved
    let words = [state.0, state.1, state.2, state.3]
    return words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * UInt32($0))) } }
      .map { String(format: "%02x", $0) }.joined()
  }

  /// The hex digest of `data`.
  public static func hex(_ data: Data) -> String {
    var m = MD5()
    m.update(data)
    return m.finalize()
  }

  private mutating func compress<B: Collection>(_ block: B) where B.Element == UInt8, B.Index == Int {
    var x = [UInt32](repeating: 0, count: 16)
    let s = block.startIndex
    for i in 0..<16 {
      x[i] = UInt32(block[s + 4 * i]) | UInt32(block[s + 4 * i + 1]) << 8
        | UInt32(block[s + 4 * i + 2]) << 16 | UInt32(block[s + 4 * i + 3]) << 24
    }
    var (a, b, c, d) = state
    for i in 0..<64 {
      var f: UInt32
      var g: Int
      switch i {
      case 0..<16:
        f = (b & c) | (~b & d)
        g = i
      case 16..<32:
        f = (d & b) | (~d & c)
        g = (5 * i + 1) % 16
      case 32..<48:
        f = b ^ c ^ d
        g = (3 * i + 5) % 16
      default:
        f = c ^ (b | ~d)
        g = (7 * i) % 16
      }
      f = f &+ a &+ MD5.constants[i] &+ x[g]
      a = d
      d = c
      c = b
      let r = MD5.shifts[i]
      b = b &+ (f << r | f >> (32 - r))
    }
    state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
  }
}
