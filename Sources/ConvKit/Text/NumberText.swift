/// How convplay writes numbers for people: integral values without a decimal point (266, -128),
/// others with up to 6 significant digits (91.75, 0.333333), never `-0`.
public enum NumberText {
  public static func format(_ value: Float) -> String { format(Double(value)) }

  public static func format(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == value.rounded(), abs(value) < 1e15 {
      let i = Int64(value)
      return String(i)  // also turns -0.0 into "0"
    }
    return significant(value, digits: 6)
  }

  /// A negative value in parentheses, as the course writes products: `113*(-1)`.
  @_disfavoredOverload public static func factor(_ value: Float) -> String { factor(Double(value)) }

  public static func factor(_ value: Double) -> String {
    let s = format(value)
    return s.hasPrefix("-") ? "(\(s))" : s
  }

  /// `value` with at most `digits` significant digits, trailing zeros dropped, no exponent
  /// for everyday magnitudes.
  public static func significant(_ value: Double, digits: Int) -> String {
    guard value != 0 else { return "0" }
    let magnitude = decimalExponent(value)
    if magnitude < -5 || magnitude >= 15 {
      return scientific(value, digits: digits)
    }
    let decimals = max(0, digits - 1 - magnitude)
    let scale = pow10(decimals)
    let rounded = (value * scale).rounded() / scale
    var s = fixed(rounded, decimals: decimals)
    if s.contains(".") {
      while s.hasSuffix("0") { s.removeLast() }
      if s.hasSuffix(".") { s.removeLast() }
    }
    return s == "-0" ? "0" : s
  }

  /// A probability as people read one: four decimals, and "<0.0001" for what would round to
  /// zero (never 7.98e-10). Predictions, top classes and the digit screen all print this way.
  public static func probability(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value > 0 && value < 0.00005 { return "<0.0001" }
    return fixed(min(max(value, 0), 1), decimals: 4)
  }

  public static func probability(_ value: Float) -> String { probability(Double(value)) }

  /// Thousands separators, as Keras's summary prints counts: 138,357,544.
  public static func grouped(_ value: Int) -> String {
    let digits = String(abs(value))
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return value < 0 ? "-" + out : out
  }

  private static func pow10(_ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<n { r *= 10 }
    return r
  }

  private static func fixed(_ value: Double, decimals: Int) -> String {
    let negative = value < 0
    let scale = pow10(decimals)
    let scaled = (abs(value) * scale).rounded()
    let whole = (scaled / scale).rounded(.down)
    let frac = scaled - whole * scale
    var s = String(Int64(whole))
    if decimals > 0 {
      var f = String(Int64(frac))
      while f.count < decimals { f = "0" + f }
      s += "." + f
    }
    return negative ? "-" + s : s
  }

  /// floor(log10(|value|)) without the C math library (the engine uses the standard library only).
  private static func decimalExponent(_ value: Double) -> Int {
    var x = abs(value)
    var e = 0
    while x >= 10 { x /= 10; e += 1 }
    while x < 1 { x *= 10; e -= 1 }
    return e
  }

  private static func scientific(_ value: Double, digits: Int) -> String {
    var exponent = decimalExponent(value)
    var mantissa = value
    for _ in 0..<abs(exponent) { mantissa = exponent > 0 ? mantissa / 10 : mantissa * 10 }
    if abs(mantissa) >= 10 {
      mantissa /= 10
      exponent += 1
    }
    return significant(mantissa, digits: digits) + "e" + (exponent < 0 ? "-" : "+")
      + String(abs(exponent))
  }
}

