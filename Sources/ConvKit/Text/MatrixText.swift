/// A problem in a matrix file, with the line it was found on.
public struct MatrixTextError: Error, Equatable, CustomStringConvertible {
  public var source: String
  public var line: Int?
  public var message: String

  public var description: String {
    if let line { return "\(source):\(line): \(message)" }
    return "\(source): \(message)"
  }
}

/// Reads and writes the plain-text matrices of `--matrix` and `--kernel` files.
///
/// Numbers are separated by spaces, tabs or commas, one row per line; `#` starts a comment;
/// a blank line starts the next channel, so an RGB input is three blocks.
public enum MatrixText {
  /// Parses `text` into a `[channels, rows, cols]` tensor for the engine (Float32). `source`
  /// names the file in errors.
  public static func parse(_ text: String, source: String = "matrix") throws -> Tensor {
    try parseExact(text, source: source).tensor
  }

  /// Parses `text` keeping the values as typed (Double: integers exact up to 2^53; a typed
  /// integer beyond that is refused, not rounded). `source` names the file in errors.
  public static func parseExact(_ text: String, source: String = "matrix") throws -> ExactTensor {
    var blocks: [[[Double]]] = []
    var current: [[Double]] = []
    var firstLineOfBlock: [Int] = []
    var currentStart = 0
    func fail(_ line: Int?, _ message: String) -> MatrixTextError {
      MatrixTextError(source: source, line: line, message: message)
    }
    var lineNumber = 0
    for rawLine in TextLines.split(text) {
      lineNumber += 1
      var line = Substring(rawLine)
      if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
      let wasComment = rawLine.contains("#")
      if fields.isEmpty {
        // A comment-only line does not end a block; a truly blank line does.
        if !wasComment && !current.isEmpty {
          blocks.append(current)
          firstLineOfBlock.append(currentStart)
          current = []
        }
        continue
      }
      var row: [Double] = []
      for field in fields {
        switch number(field) {
        case .success(let v): row.append(v)
        case .failure(let problem): throw fail(lineNumber, problem.message)
        }
      }
      if current.isEmpty { currentStart = lineNumber }
      if let width = current.first?.count, width != row.count {
        throw fail(
          lineNumber,
          "ragged rows: this row has \(row.count) numbers, the first row of its block has \(width)")
      }
      current.append(row)
    }
    if !current.isEmpty {
      blocks.append(current)
      firstLineOfBlock.append(currentStart)
    }
    guard let first = blocks.first else { throw fail(nil, "no numbers found") }
    for (b, block) in blocks.enumerated().dropFirst() {
      if block.count != first.count || block[0].count != first[0].count {
        throw fail(
          firstLineOfBlock[b],
          "channel \(b + 1) is \(block.count)x\(block[0].count) but channel 1 is "
            + "\(first.count)x\(first[0].count); every channel must have the same size")
      }
    }
    return ExactTensor(channels: blocks)
  }

  /// Why one typed number was refused: the message names it, as a matrix file's error and the
  /// playground's cell editor both print it.
  public enum NumberProblem: Error, Equatable, Sendable {
    case notANumber(String)
    /// A whole number typed as digits past 2^53: a Double would round it.
    case tooLarge(String)

    public var message: String {
      switch self {
      case .notANumber(let field): return "'\(field)' is not a number"
      case .tooLarge(let field):
        return "\(field) is too large to be kept exactly (whole numbers up to 9007199254740992)"
      }
    }
  }

  /// One number as typed in a matrix file or a playground cell: finite, and a whole number
  /// typed as digits held exactly (Double: up to 2^53) or refused, never rounded.
  public static func number<S: StringProtocol>(_ field: S) -> Result<Double, NumberProblem> {
    guard let v = Double(String(field)), v.isFinite else { return .failure(.notANumber(String(field))) }
    let digits = field.drop { $0 == "-" || $0 == "+" }
    if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
      Int64(String(field)).map({ $0.magnitude > 9_007_199_254_740_992 }) ?? true
    {
      return .failure(.tooLarge(String(field)))
    }
    return .success(v)
  }

  /// One row per line, values separated by one space; channels separated by a blank line.
  public static func format(_ t: Tensor) -> String { format(ExactTensor(t)) }

  /// As `format(Tensor)`, every value as exact as it is held.
  public static func format(_ t: ExactTensor) -> String {
    var lines: [String] = []
    for c in 0..<t.shape[0] {
      if c > 0 { lines.append("") }
      for r in 0..<t.shape[1] {
        lines.append((0..<t.shape[2]).map { NumberText.format(t[c, r, $0]) }.joined(separator: " "))
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Right-aligned columns, for people reading a matrix beside another.
  public static func aligned(_ rows: [[Float]]) -> [String] {
    aligned(rows.map { $0.map(Double.init) })
  }

  public static func aligned(_ rows: [[Double]]) -> [String] {
    let cells = rows.map { $0.map(NumberText.format) }
    let width = cells.flatMap { $0 }.map(\.count).max() ?? 1
    return cells.map { row in
      row.map { String(repeating: " ", count: width - $0.count) + $0 }.joined(separator: " ")
    }
  }
}
