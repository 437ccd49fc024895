/// A JSON value, as Keras's model configs hold them (`model.get_config()`, the `model_config`
/// attribute of an .h5 file, convplay's own model files).
public enum JSONValue: Hashable, Sendable, Decodable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public var double: Double? { if case .number(let d) = self { return d } else { return nil } }
  public var int: Int? { double.flatMap { $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) : nil } }
  public var string: String? { if case .string(let s) = self { return s } else { return nil } }
  public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
  public var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
  public var object: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }

  public var number: Double? { double }
  /// `[None, 224, 224, 3]` -> `[nil, 224, 224, 3]`.
  public var shape: [Int?]? { array?.map { $0.int } }

  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  public static func ints(_ v: [Int]) -> JSONValue { .array(v.map { .number(Double($0)) }) }
  public static func int(_ v: Int) -> JSONValue { .number(Double(v)) }
}

/// Reading a Keras layer config: a missing or wrong option throws one line naming it.
extension Dictionary where Key == String, Value == JSONValue {
  func missing(_ key: String) -> ModelSpecError { ModelSpecError("option \(key) is missing or invalid") }

  func int(_ key: String) throws -> Int {
    guard let v = self[key]?.int else { throw missing(key) }
    return v
  }

  func int(_ key: String, default d: Int) throws -> Int {
    guard let v = self[key], v != .null else { return d }
    guard let n = v.int else { throw missing(key) }
    return n
  }

  func double(_ key: String, default d: Double) throws -> Double {
    guard let v = self[key], v != .null else { return d }
    guard let n = v.double else { throw missing(key) }
    return n
  }

  func bool(_ key: String, default d: Bool) -> Bool { self[key]?.bool ?? d }

  /// `3`, `[3, 3]` (Keras stores tuples as lists).
  func pair(_ key: String, default d: Size2? = nil) throws -> Size2 {
    switch self[key] {
    case .number?:
      let n = try int(key)
      return Size2(n)
    case .array(let a)? where a.count == 2:
      guard let r = a[0].int, let c = a[1].int else { throw missing(key) }
      return Size2(r, c)
    case nil, .null?:
      if let d { return d }
      throw missing(key)
    default:
      throw missing(key)
    }
  }

  func padding(default d: Padding = .valid) throws -> Padding {
    switch self["padding"] {
    case nil, .null?: return d
    case .number?: return .explicit(try int("padding"))
    case .string(let s)?:
      guard let p = Padding(parsing: s) else { throw missing("padding") }
      return p
    default: throw missing("padding")
    }
  }

  func activation(_ key: String = "activation") throws -> Activation {
    guard let v = self[key], v != .null else { return .linear }
    guard let s = v.string, let a = Activation(keras: s) else {
      throw ModelSpecError("unknown activation \(self[key].map { "\($0)" } ?? "")")
    }
    return a
  }
}

/// Config values written the way Keras writes them.
enum KerasConfig {
  static func padding(_ p: Padding) -> JSONValue {
    if case .explicit(let n) = p { return .int(n) }
    return .string(p.description)
  }
  static func pair(_ s: Size2) -> JSONValue { .ints([s.rows, s.cols]) }
}

/// Spec-text forms shared by the layers' `specArguments`.
enum SpecText {
  static func pair(_ s: Size2) -> String { "(\(s.rows), \(s.cols))" }
  static func padding(_ p: Padding) -> String? {
    switch p {
    case .valid: return nil
    case .same: return "padding='same'"
    case .explicit(let n): return "padding=\(n)"
    }
  }
  static func activation(_ a: Activation) -> String? { a == .linear ? nil : "activation='\(a.rawValue)'" }
}
