import Foundation

/// How much memory convplay lets one tensor, or one model (parameters and its largest
/// activations), take. Sizes come from options, specs and files that others wrote; comparing
/// them with the budget before allocating turns "failed to allocate 160004800068 bytes" into
/// one line that says the number and how to raise the budget.
///
/// The default is 80% of the machine's physical memory (18 GB on a 23 GB machine, 6.4 GB on an
/// 8 GB laptop). `CONVPLAY_MEMORY_BUDGET` (bytes, or with K, M, G or T: `8G`, `512M`)
/// replaces it; `convplay --memory-budget 8G ...` sets that variable for one run.
public struct MemoryBudget: Equatable, Sendable {
  /// The environment variable that overrides the default.
  public static let variable = "CONVPLAY_MEMORY_BUDGET"
  /// The share of physical memory the default allows.
  public static let defaultShare = 0.8

  public var bytes: Int

  public init(bytes: Int) { self.bytes = bytes }

  /// The budget of this run: `CONVPLAY_MEMORY_BUDGET` when set, else the default.
  public static func current() throws -> MemoryBudget {
    if let text = ProcessInfo.processInfo.environment[variable] {
      guard let bytes = parse(text) else {
        throw SizeError(
          field: variable, "'\(text)' is not a size: write bytes or a number with K, M, G or T, for example 8G")
      }
      return MemoryBudget(bytes: bytes)
    }
    return machineDefault
  }

  /// 80% of physical memory.
  public static var machineDefault: MemoryBudget {
    let physical = Double(ProcessInfo.processInfo.physicalMemory)
    return MemoryBudget(bytes: Int(min(physical * defaultShare, Double(Int.max / 2))))
  }

  /// `8G`, `8GB`, `512M`, `1.5T`, `1000000`: powers of 1024 for the letters. Nil when the text
  /// is not a positive, finite size.
  public static func parse(_ text: String) -> Int? {
    var t = text.trimmingCharacters(in: .whitespaces).uppercased()
    if t.hasSuffix("IB") { t.removeLast(2) } else if t.hasSuffix("B") { t.removeLast() }
    var scale = 1.0
    if let last = t.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(last)] {
      scale = pow(1024, Double(power))
      t.removeLast()
    }
    guard let number = Double(t.trimmingCharacters(in: .whitespaces)), number.isFinite, number > 0 else { return nil }
    let bytes = number * scale
    guard bytes >= 1, bytes < 9.0e18 else { return nil }
    return Int(bytes)
  }

  /// Throws when `values` numbers of `bytesPerValue` bytes each would not fit in the budget.
  /// `what` says what would hold them: "the padded input", "the model conv_net".
  public func check(values: Int, bytesPerValue: Int = 4, what: String) throws {
    let (needed, overflow) = values.multipliedReportingOverflow(by: bytesPerValue)
    guard overflow || needed > bytes else { return }
    let size = overflow ? "more than 9 EB" : MemoryBudget.text(needed)
    throw SizeError(
      field: what,
      sentence: what
        + (bytesPerValue == 1 ? " would take \(NumberText.grouped(values)) bytes (\(size))" : " would hold \(NumberText.grouped(values)) values (\(size))")
        + ", over the memory budget of "
        + "\(MemoryBudget.text(bytes)); raise it with \(MemoryBudget.variable) (for example \(MemoryBudget.variable)=32G)")
  }

  /// Checks `values` against the current budget (see `check`).
  public static func check(values: Int, bytesPerValue: Int = 4, what: String) throws {
    try current().check(values: values, bytesPerValue: bytesPerValue, what: what)
  }

  /// The budget for a byte count (files, inflated archives): throws when `bytes` is over it.
  public static func check(bytes: Int, what: String) throws {
    try current().check(values: bytes, bytesPerValue: 1, what: what)
  }

  /// `40 GB`, `553 MB`, `6.4 GB`: decimal units, as file managers show them.
  public static func text(_ bytes: Int) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    if unit == 0 { return "\(bytes) bytes" }
    let rounded = value < 10 ? (value * 10).rounded() / 10 : value.rounded()
    let number = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    return number + " " + units[unit]
  }
}
