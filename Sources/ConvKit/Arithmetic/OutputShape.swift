/// How a convolution or pooling window is padded, in Keras's vocabulary.
///
/// - `valid`: no padding; windows that would stick out are dropped (the output is floored).
/// - `same`: Keras/TensorFlow padding: output = ceil(n / s), the zeros split with the smaller
///   half on top/left (so stride 2 on an even size puts the extra zero bottom/right).
/// - `explicit(n)`: `n` zeros on every side, as the course's padded 7x7 table.
public enum Padding: Equatable, Hashable, Sendable, CustomStringConvertible {
  case valid
  case same
  case explicit(Int)

  /// Parses `valid`, `same` or a whole number of zeros per side.
  public init?(parsing text: String) {
    switch text.lowercased() {
    case "valid": self = .valid
    case "same": self = .same
    default:
      guard let n = Int(text), n >= 0 else { return nil }
      self = .explicit(n)
    }
  }

  public var description: String {
    switch self {
    case .valid: return "valid"
    case .same: return "same"
    case .explicit(let n): return String(n)
    }
  }
}

/// The geometry of a window sliding along one axis (rows or columns).
///
/// Every output size in convplay (the step screens, `conv`, pooling, layer summaries, the quiz)
/// comes from here, so that there is one formula and one set of edge cases.
public struct AxisGeometry: Equatable, Hashable, Sendable {
  /// Input length n.
  public var input: Int
  /// Kernel (or pool) length k.
  public var kernel: Int
  /// Stride s.
  public var stride: Int
  /// Dilation d (1 = dense kernel).
  public var dilation: Int
  /// Zeros added before the first element (top or left).
  public var padBefore: Int
  /// Zeros added after the last element (bottom or right).
  public var padAfter: Int
  /// Number of window positions: the output length.
  public var output: Int
  /// The padding rule that produced `padBefore`/`padAfter`.
  public var padding: Padding

  /// The span a dilated kernel covers: d*(k-1) + 1.
  public var effectiveKernel: Int { dilation * (kernel - 1) + 1 }
  /// Input length after padding.
  public var paddedInput: Int { input + padBefore + padAfter }
  /// How far the windows fall short of the padded input's end: (n + P - K_eff) mod s.
  /// Non-zero means the last `remainder` elements are never visited (the floor in the formula).
  public var remainder: Int { (paddedInput - effectiveKernel) % stride }
  /// True when (n + P - K) / S is a whole number.
  public var divides: Bool { remainder == 0 }

  /// The course's formula with the numbers filled in, for example `(5 + 2*0 - 3)/1 + 1 = 3`.
  /// Asymmetric padding shows both sides: `(28 + 0 + 1 - 3)/2 + 1 = 14`. A floor is spelled out.
  public var formula: String {
    let pad: String
    if padBefore == padAfter {
      pad = "2*\(padBefore)"
    } else {
      pad = "\(padBefore) + \(padAfter)"
    }
    let k = dilation == 1 ? "\(kernel)" : "\(effectiveKernel)"
    let numerator = paddedInput - effectiveKernel
    let base = "(\(input) + \(pad) - \(k))/\(stride) + 1"
    if divides {
      return "\(base) = \(output)"
    }
    let exact = Double(numerator) / Double(stride) + 1
    return "\(base) = floor(\(formatPlain(exact))) = \(output)"
  }

  /// Why the floor happened, in one sentence, or nil when the sizes divide.
  public var floorExplanation: String? {
    guard !divides else { return nil }
    return "(\(paddedInput) - \(effectiveKernel)) is not a multiple of the stride \(stride): "
      + "the window fits \(output) times and the last \(remainder) "
      + (remainder == 1 ? "element is" : "elements are") + " never visited"
  }

  /// Input indices (0-based, padding not counted) that no tap of any window reads: the end cut
  /// off by the floor, and the gaps a stride larger than the kernel's span (or a dilation)
  /// steps over. Empty when every input element is used.
  public var unvisitedInputs: [Int] {
    var visited = [Bool](repeating: false, count: input)
    for i in 0..<output {
      for j in 0..<kernel {
        let x = inputIndex(window: i, tap: j)
        if x >= 0 && x < input { visited[x] = true }
      }
    }
    return visited.indices.filter { !visited[$0] }
  }

  /// One line for stderr when the windows leave input elements out, naming them, for example
  /// `(6 + 2*0 - 3)/2 + 1 = floor(2.5) = 2: column 5 is never visited`; nil when every element
  /// is read. A floor that drops only padding zeros says so. `axis` is "row" or "column".
  public func visitNote(axis: String) -> String? {
    let missed = unvisitedInputs
    if missed.isEmpty {
      guard !divides else { return nil }
      return "\(formula): the floor drops only padding zeros; every \(axis) is visited"
    }
    let list = indexRanges(missed)
    let plural = missed.count == 1 ? axis : axis + "s"
    return "\(formula): \(plural) \(list) of the input \(missed.count == 1 ? "is" : "are") never visited"
  }

  /// Index in the padded input where window `i` starts.
  public func windowStart(_ i: Int) -> Int { i * stride }
  /// Input index (may be negative or past the end: padding) of kernel tap `j` of window `i`.
  public func inputIndex(window i: Int, tap j: Int) -> Int { i * stride + j * dilation - padBefore }
}

/// `5`, `5-6`, `0, 2, 4-6`: sorted indices as runs.
func indexRanges(_ sorted: [Int]) -> String {
  var parts: [String] = []
  var i = 0
  while i < sorted.count {
    var j = i
    while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
    parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
    i = j + 1
  }
  if parts.count > 8 { parts = Array(parts.prefix(8)) + ["..."] }
  return parts.joined(separator: ", ")
}

private func formatPlain(_ x: Double) -> String {
  let rounded = (x * 1000).rounded() / 1000
  if rounded == rounded.rounded() { return String(Int(rounded)) }
  var s = String(rounded)
  while s.hasSuffix("0") { s.removeLast() }
  return s
}

/// Errors in window geometry that a student can fix; each message names the numbers.
public enum GeometryError: Error, Equatable, CustomStringConvertible {
  case nonPositive(what: String, value: Int)
  case kernelTooLarge(axis: String, kernel: Int, paddedInput: Int)

  public var description: String {
    switch self {
    case .nonPositive(let what, let value):
      return "\(what) must be at least 1 (got \(value))"
    case .kernelTooLarge(let axis, let kernel, let padded):
      return "the kernel spans \(kernel) \(axis) but the padded input has only \(padded): "
        + "use a smaller kernel or more padding"
    }
  }
}

/// Output-size arithmetic for convolution and pooling windows.
public enum OutputShape {
  /// The geometry of one axis.
  ///
  /// - valid: out = floor((n - d*(k-1) - 1)/s) + 1
  /// - same (Keras): out = ceil(n/s); total pad = max((out-1)*s + d*(k-1) + 1 - n, 0),
  ///   top/left get floor(total/2)
  /// - explicit P: out = floor((n + 2P - d*(k-1) - 1)/s) + 1
  ///
  /// Every padding floors, as Keras and PyTorch do (`unvisitedInputs` and `visitNote` say what
  /// the floor leaves out).
  public static func axis(
    input n: Int, kernel k: Int, stride s: Int = 1, dilation d: Int = 1,
    padding: Padding, axisName: String = "size"
  ) throws -> AxisGeometry {
    if n < 1 { throw GeometryError.nonPositive(what: "input \(axisName)", value: n) }
    if k < 1 { throw GeometryError.nonPositive(what: "kernel \(axisName)", value: k) }
    if s < 1 { throw GeometryError.nonPositive(what: "stride", value: s) }
    if d < 1 { throw GeometryError.nonPositive(what: "dilation", value: d) }
    _ = try CheckedSize.dimension(n, field: "input \(axisName)")
    _ = try CheckedSize.dimension(k, field: "kernel \(axisName)")
    _ = try CheckedSize.dimension(s, field: "stride")
    _ = try CheckedSize.dimension(d, field: "dilation")
    if case .explicit(let p) = padding { _ = try CheckedSize.dimension(p, minimum: 0, field: "padding") }
    // Checked: a stride, padding or dilation near Int.max must become an error, not a trap.
    let span = try CheckedSize.add(try CheckedSize.multiply(d, k - 1, field: "dilation"), 1, field: "dilation")
    var before = 0
    var after = 0
    switch padding {
    case .valid:
      break
    case .same:
      let out = (n - 1) / s + 1  // ceil(n/s) without n + s overflowing
      // (out - 1)*s <= n - 1, so neither term overflows.
      let total = max((out - 1) * s - n + span, 0)
      before = total / 2
      after = total - before
    case .explicit(let p):
      if p < 0 { throw GeometryError.nonPositive(what: "padding", value: p) }
      before = p
      after = p
    }
    let padded = try CheckedSize.add(
      try CheckedSize.add(n, before, field: "padding"), after, field: "padding")
    guard padded >= span else {
      throw GeometryError.kernelTooLarge(axis: axisName, kernel: span, paddedInput: padded)
    }
    let out = (padded - span) / s + 1
    return AxisGeometry(
      input: n, kernel: k, stride: s, dilation: d, padBefore: before, padAfter: after,
      output: out, padding: padding)
  }
}

/// Row and column geometry of a 2-D window: what `conv`, `pool`, `step` and layers share.
public struct WindowGeometry: Equatable, Hashable, Sendable {
  public var rows: AxisGeometry
  public var cols: AxisGeometry

  public init(rows: AxisGeometry, cols: AxisGeometry) {
    self.rows = rows
    self.cols = cols
  }

  /// Builds both axes with the same padding rule.
  public init(
    inputRows: Int, inputCols: Int, kernelRows: Int, kernelCols: Int,
    strideRows: Int = 1, strideCols: Int = 1, dilation: Int = 1,
    padding: Padding
  ) throws {
    rows = try OutputShape.axis(
      input: inputRows, kernel: kernelRows, stride: strideRows, dilation: dilation,
      padding: padding, axisName: "rows")
    cols = try OutputShape.axis(
      input: inputCols, kernel: kernelCols, stride: strideCols, dilation: dilation,
      padding: padding, axisName: "columns")
  }

  /// Compares the padded input and the output, `channels` deep, with the memory budget before
  /// anything of that size is allocated (`conv --padding 100000` would take 40 GB).
  public func checkMemory(channels: Int) throws {
    let padded = try CheckedSize.elements([channels, rows.paddedInput, cols.paddedInput], field: "the padded input")
    try MemoryBudget.check(values: padded, what: "the padded input")
    let output = try CheckedSize.elements([channels, rows.output, cols.output], field: "the output")
    try MemoryBudget.check(values: output, what: "the output")
  }

  public var outputRows: Int { rows.output }
  public var outputCols: Int { cols.output }

  /// `output size: (5 + 2*0 - 3)/1 + 1 = 3  ->  3 x 3`, or one formula per axis when they differ.
  public var formulaLine: String {
    if rows.formula == cols.formula {
      return "output size: \(rows.formula)  ->  \(outputRows) x \(outputCols)"
    }
    return "output size: rows \(rows.formula), columns \(cols.formula)  ->  "
      + "\(outputRows) x \(outputCols)"
  }
}
