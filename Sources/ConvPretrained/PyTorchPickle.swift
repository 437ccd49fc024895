import Foundation

/// The part of Python's pickle format a PyTorch state dict uses, and nothing more.
///
/// `torch.save(model.state_dict())` pickles an `OrderedDict` of tensors, each rebuilt by
/// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)` from a storage named
/// by a persistent id. This reader builds plain values from the opcodes such a file holds and
/// knows exactly these globals: `collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`,
/// `torch._utils._rebuild_parameter` and the `torch.*Storage` types. Any other global (a
/// class of the user's, `os.system`, `builtins.eval`...) and any opcode outside this set is
/// refused before anything happens: nothing from the file is ever called or executed, which
/// is stricter than `torch.load` without `weights_only=True` (that runs whatever the pickle
/// names).
public enum PyTorchPickle {
  /// A value the pickle built.
  public indirect enum Value: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case tuple([Value])
    case list([Value])
    /// A dict or OrderedDict, in insertion order.
    case dict([(Value, Value)])
    /// One of the known callables.
    case global(Global)
    /// A `torch.*Storage` type.
    case storageType(DType)
    /// A persistent id: `('storage', type, key, location, numel[, view])`.
    case storage(StorageRef)
    case tensor(TensorRef)
  }

  public enum Global: String, Sendable {
    case orderedDict = "collections.OrderedDict"
    case rebuildTensor = "torch._utils._rebuild_tensor_v2"
    case rebuildParameter = "torch._utils._rebuild_parameter"
  }

  public enum DType: String, Sendable, CaseIterable {
    case float32 = "FloatStorage", float16 = "HalfStorage", float64 = "DoubleStorage", bfloat16 = "BFloat16Storage"
    case int64 = "LongStorage", int32 = "IntStorage", int16 = "ShortStorage", int8 = "CharStorage"
    case uint8 = "ByteStorage", bool = "BoolStorage"
    public var size: Int {
      switch self {
      case .float64, .int64: return 8
      case .float32, .int32: return 4
      case .float16, .bfloat16, .int16: return 2
      case .int8, .uint8, .bool: return 1
      }
    }
  }

  public struct StorageRef: Sendable, Equatable {
    public var dtype: DType
    public var key: String
    public var count: Int
  }

  public struct TensorRef: Sendable, Equatable {
    public var storage: StorageRef
    public var offset: Int
    public var shape: [Int]
    public var stride: [Int]
  }

  /// A refused or damaged pickle, in one line.
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// The legacy format's first pickle is this magic number (a LONG1).
  static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

  /// Limits on what one pickle may build.
  static let maxOps = 50_000_000
  static let maxStack = 1_000_000
  static let maxMemo = 10_000_000

  /// Parses one pickle starting at `start`; returns its value and the offset after STOP.
  public static func load(_ b: UnsafeRawBufferPointer, from start: Int = 0) throws -> (Value, Int) {
    var p = start
    var stack: [Value] = []
    var marks: [Int] = []
    var memo: [Int: Value] = [:]
    var ops = 0
    func fail(_ why: String) -> Failure { Failure(description: why) }
    func need(_ n: Int) throws {
      guard n >= 0, p + n <= b.count else { throw fail("the pickle is cut short (at byte \(p))") }
    }
    func u8() throws -> Int { try need(1); defer { p += 1 }; return Int(b[p]) }
    func le(_ n: Int) throws -> UInt64 {
      try need(n)
      var v: UInt64 = 0
      for i in 0..<n { v |= UInt64(b[p + i]) << (8 * UInt64(i)) }
      p += n
      return v
    }
    func text(_ n: Int) throws -> String {
      try need(n)
      defer { p += n }
      return String(decoding: UnsafeRawBufferPointer(rebasing: b[p..<(p + n)]), as: UTF8.self)
    }
    func line() throws -> String {
      var q = p
      while q < b.count, b[q] != 0x0A { q += 1 }
      guard q < b.count, q - p < 512 else { throw fail("the pickle is cut short in a GLOBAL") }
      defer { p = q + 1 }
      return String(decoding: UnsafeRawBufferPointer(rebasing: b[p..<q]), as: UTF8.self)
    }
    func pop() throws -> Value {
      guard let v = stack.popLast() else { throw fail("the pickle pops an empty stack") }
      if let m = marks.last, stack.count < m { throw fail("the pickle pops past a MARK") }
      return v
    }
    func popMark() throws -> [Value] {
      guard let m = marks.popLast(), m <= stack.count else { throw fail("the pickle has no MARK where it needs one") }
      defer { stack.removeSubrange(m...) }
      return Array(stack[m...])
    }
    func push(_ v: Value) throws {
      guard stack.count < maxStack else { throw fail("the pickle's stack grows past \(maxStack)") }
      stack.append(v)
    }
    func put(_ i: Int) throws {
      guard let top = stack.last else { throw fail("the pickle memoizes an empty stack") }
      guard memo.count < maxMemo || memo[i] != nil else { throw fail("the pickle's memo grows too large") }
      memo[i] = top
    }
    func get(_ i: Int) throws {
      guard let v = memo[i] else { throw fail("the pickle refers to memo entry \(i), which it never stored") }
      try push(v)
    }
    func global(_ module: String, _ name: String) throws -> Value {
      let full = "\(module).\(name)"
      if let g = Global(rawValue: full) { return .global(g) }
      if module == "torch", let t = DType(rawValue: name) { return .storageType(t) }
      let shown = String(full.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) }.prefix(80))
      throw fail(
        "the file names the Python global \(shown), which a state dict does not need; convplay reads tensors only and never runs code from a file")
    }
    func setItems(_ target: inout Value, _ pairs: [Value]) throws {
      guard case .dict(var items) = target else { throw fail("the pickle sets items on something that is not a dict") }
      guard pairs.count % 2 == 0 else { throw fail("the pickle sets an odd number of dict items") }
      var i = 0
      while i < pairs.count {
        items.append((pairs[i], pairs[i + 1]))
        i += 2
      }
      target = .dict(items)
    }
    while true {
      ops += 1
      guard ops <= maxOps else { throw fail("the pickle runs past \(maxOps) operations") }
      let op = try u8()
      switch op {
      case 0x80: _ = try u8()  // PROTO
      case 0x95: _ = try le(8)  // FRAME
      case 0x2E:  // STOP
        guard let v = stack.last, stack.count == 1, marks.isEmpty else { throw fail("the pickle ends with an unbalanced stack") }
        return (v, p)
      case 0x28: marks.append(stack.count)  // MARK
      case 0x7D: try push(.dict([]))  // EMPTY_DICT
      case 0x5D: try push(.list([]))  // EMPTY_LIST
      case 0x29: try push(.tuple([]))  // EMPTY_TUPLE
      case 0x74: try push(.tuple(try popMark()))  // TUPLE
      case 0x85: try push(.tuple([try pop()]))  // TUPLE1
      case 0x86:  // TUPLE2
        let b2 = try pop(), a = try pop()
        try push(.tuple([a, b2]))
      case 0x87:  // TUPLE3
        let c = try pop(), b2 = try pop(), a = try pop()
        try push(.tuple([a, b2, c]))
      case 0x6C: try push(.list(try popMark()))  // LIST
      case 0x64:  // DICT
        var d = Value.dict([])
        try setItems(&d, try popMark())
        try push(d)
      case 0x61:  // APPEND
        let v = try pop()
        guard case .list(var l) = try pop() else { throw fail("the pickle appends to something that is not a list") }
        l.append(v)
        try push(.list(l))
      case 0x65:  // APPENDS
        let items = try popMark()
        guard case .list(var l) = try pop() else { throw fail("the pickle appends to something that is not a list") }
        l += items
        try push(.list(l))
      case 0x73:  // SETITEM
        let v = try pop(), k = try pop()
        var d = try pop()
        try setItems(&d, [k, v])
        try push(d)
      case 0x75:  // SETITEMS
        let items = try popMark()
        var d = try pop()
        try setItems(&d, items)
        try push(d)
      case 0x71: try put(try u8())  // BINPUT
      case 0x72: try put(Int(try le(4)))  // LONG_BINPUT
      case 0x94: try put(memo.count)  // MEMOIZE
      case 0x68: try get(try u8())  // BINGET
      case 0x6A: try get(Int(try le(4)))  // LONG_BINGET
      case 0x4A: try push(.int(Int(Int32(truncatingIfNeeded: try le(4)))))  // BININT
      case 0x4B: try push(.int(try u8()))  // BININT1
      case 0x4D: try push(.int(Int(try le(2))))  // BININT2
      case 0x8A:  // LONG1
        let n = try u8()
        guard n <= 8 else {
          try need(n)
          p += n
          try push(.int(0))  // the legacy format's magic number: too long for Int, never used as one
          break
        }
        var v = try le(n)
        if n > 0, n < 8, v & (1 << (8 * UInt64(n) - 1)) != 0 { v |= ~0 << (8 * UInt64(n)) }
        try push(.int(Int(truncatingIfNeeded: v)))
      case 0x4E: try push(.none)  // NONE
      case 0x88: try push(.bool(true))  // NEWTRUE
      case 0x89: try push(.bool(false))  // NEWFALSE
      case 0x47: try push(.float(Double(bitPattern: UInt64(bigEndian: try le(8)))))  // BINFLOAT (big-endian)
      case 0x58: try push(.string(try text(Int(try le(4)))))  // BINUNICODE
      case 0x8C: try push(.string(try text(try u8())))  // SHORT_BINUNICODE
      case 0x55: try push(.string(try text(try u8())))  // SHORT_BINSTRING
      case 0x43: try push(.string(try text(try u8())))  // SHORT_BINBYTES
      case 0x63:  // GLOBAL
        let module = try line(), name = try line()
        try push(try global(module, name))
      case 0x93:  // STACK_GLOBAL
        guard case .string(let name) = try pop(), case .string(let module) = try pop() else {
          throw fail("the pickle's STACK_GLOBAL takes no names")
        }
        try push(try global(module, name))
      case 0x51:  // BINPERSID
        guard case .tuple(let id) = try pop(), id.count >= 5, case .string("storage") = id[0],
          case .string(let key) = id[2], case .int(let count) = id[4], count >= 0
        else { throw fail("the pickle names a storage it does not describe") }
        guard case .storageType(let t) = id[1] else {
          throw fail("the pickle names a storage of an unknown type")
        }
        try push(.storage(StorageRef(dtype: t, key: key, count: count)))
      case 0x52:  // REDUCE
        guard case .tuple(let args) = try pop() else { throw fail("the pickle's REDUCE takes no argument tuple") }
        let callable = try pop()
        guard case .global(let g) = callable else { throw fail("the pickle calls something that is not a known function (a storage type or a value)") }
        switch g {
        case .orderedDict:
          guard args.isEmpty else { throw fail("OrderedDict is built with arguments") }
          try push(.dict([]))
        case .rebuildTensor:
          try push(.tensor(try tensor(args)))
        case .rebuildParameter:
          guard let first = args.first, case .tensor = first else { throw fail("_rebuild_parameter without a tensor") }
          try push(first)
        }
      case 0x62:  // BUILD: the state of an OrderedDict (its _metadata): kept out
        _ = try pop()
        guard case .dict = stack.last ?? .none else { throw fail("the pickle sets the state of something that is not a dict") }
      default:
        throw fail(String(format: "the pickle uses opcode 0x%02x, which a state dict does not need; convplay refuses it", op))
      }
    }
  }

  private static func tensor(_ args: [Value]) throws -> TensorRef {
    guard args.count >= 4, case .storage(let s) = args[0], case .int(let offset) = args[1],
      case .tuple(let sizeValues) = args[2], case .tuple(let strideValues) = args[3]
    else { throw Failure(description: "_rebuild_tensor_v2 with arguments that do not describe a tensor") }
    func ints(_ vs: [Value]) -> [Int]? {
      vs.map { if case .int(let i) = $0 { return i } else { return nil } }.allSatisfy { $0 != nil }
        ? vs.compactMap { if case .int(let i) = $0 { return i } else { return nil } } : nil
    }
    guard let shape = ints(sizeValues), let stride = ints(strideValues), shape.count == stride.count, shape.count <= 8,
      shape.allSatisfy({ $0 >= 0 }), stride.allSatisfy({ $0 >= 0 }), offset >= 0
    else { throw Failure(description: "a tensor with an impossible shape or stride") }
    return TensorRef(storage: s, offset: offset, shape: shape, stride: stride)
  }

  /// Whether `prefix` starts like the legacy format (its magic-number pickle).
  public static func looksLikeLegacy(_ prefix: [UInt8]) -> Bool {
    prefix.count >= 4 && prefix.starts(with: legacyMagic.prefix(4))
  }
}
