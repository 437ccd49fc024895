import Foundation

/// A size that does not fit in a 64-bit integer, or a count outside the range a field allows.
/// `field` is the option, spec field or file field the number came from, so the message says
/// what to change.
public struct SizeError: Error, Equatable, CustomStringConvertible {
  public var field: String
  public var description: String

  /// `field: detail`.
  public init(field: String, _ detail: String) {
    self.field = field
    description = field + ": " + detail
  }

  /// A whole sentence that already names the field.
  public init(field: String, sentence: String) {
    self.field = field
    description = sentence
  }
}

/// Checked size arithmetic: every output size, padded size, product of dimensions and element
/// or byte count of convplay goes through here, so that a huge number from an option, a spec or
/// a file header becomes one `SizeError` naming its field instead of an overflow trap.
public enum CheckedSize {
  /// The largest size one dimension, kernel, stride, padding or layer width may have: 2^31 - 1,
  /// as TensorFlow's 32-bit shape attributes. Larger numbers are typing mistakes or attacks,
  /// and refusing them early keeps every product of a few of them inside 64 bits.
  public static let maxDimension = Int(Int32.max)

  /// `value` as a size field: at least `minimum`, at most `maxDimension`.
  public static func dimension(_ value: Int, minimum: Int = 1, field: String) throws -> Int {
    guard value >= minimum else { throw SizeError(field: field, "must be at least \(minimum) (got \(value))") }
    guard value <= maxDimension else {
      throw SizeError(field: field, "\(NumberText.grouped(value)) is larger than \(NumberText.grouped(maxDimension)), the largest size convplay takes")
    }
    return value
  }

  /// a + b.
  public static func add(_ a: Int, _ b: Int, field: String) throws -> Int {
    let (r, o) = a.addingReportingOverflow(b)
    if o { throw tooLarge(field, "\(a) + \(b)") }
    return r
  }

  /// a - b.
  public static func subtract(_ a: Int, _ b: Int, field: String) throws -> Int {
    let (r, o) = a.subtractingReportingOverflow(b)
    if o { throw tooLarge(field, "\(a) - \(b)") }
    return r
  }

  /// a * b.
  public static func multiply(_ a: Int, _ b: Int, field: String) throws -> Int {
    let (r, o) = a.multipliedReportingOverflow(by: b)
    if o { throw tooLarge(field, "\(a)*\(b)") }
    return r
  }

  /// The sum of `values`.
  public static func sum(_ values: some Sequence<Int>, field: String) throws -> Int {
    try values.reduce(0) { try add($0, $1, field: field) }
  }

  /// The number of elements of a tensor of `shape`: every dimension at least 0, the product in
  /// range.
  public static func elements(_ shape: [Int], field: String) throws -> Int {
    var n = 1
    for d in shape {
      guard d >= 0 else { throw SizeError(field: field, "a dimension of \(d) is negative") }
      let (r, o) = n.multipliedReportingOverflow(by: d)
      if o {
        throw SizeError(
          field: field, "\(shape.map(String.init).joined(separator: "x")) values do not fit in a 64-bit integer")
      }
      n = r
    }
    return n
  }

  /// A count read from a file or typed by a user, as an `Int` in `range`.
  public static func count<T: BinaryInteger>(_ value: T, in range: ClosedRange<Int>, field: String) throws -> Int {
    guard let v = Int(exactly: value), range.contains(v) else {
      throw SizeError(field: field, "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
    }
    return v
  }

  private static func tooLarge(_ field: String, _ expression: String) -> SizeError {
    SizeError(field: field, "\(expression) does not fit in a 64-bit integer: the number is too large")
  }
}
