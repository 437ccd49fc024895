extension ShapeText {
  /// Reads a shape the ways people write one: `28x28x1`, `28, 28, 1`, `(28, 28, 1)`,
  /// `(None, 26, 26, 64)` (a leading `None` batch axis is dropped), `[784]`, `784`.
  /// Returns nil for anything else (empty, non-numbers, zero or negative sizes, sizes past
  /// `CheckedSize.maxDimension`, `None` elsewhere).
  ///
  /// One reader for `--input`, the quiz's answers and the model spec's `input(...)`.
  public static func parse(_ text: String) -> FeatureShape? {
    var body = Substring(text).trimmingWhitespace()
    if let open = body.first, let close = body.last, body.count >= 2,
      (open == "(" && close == ")") || (open == "[" && close == "]")
    {
      body = body.dropFirst().dropLast().trimmingWhitespace()
    }
    guard !body.isEmpty else { return nil }
    let separators: Set<Character> =
      body.contains(",") ? [","]
      : body.contains(where: { "xX×*".contains($0) }) ? ["x", "X", "×", "*"]
      : [" ", "\t"]  // `26 26 64`
    if separators == [" ", "\t"] {
      body = Substring(body.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "))
    }
    var parts = body.split(omittingEmptySubsequences: false) { separators.contains($0) }
      .map { $0.trimmingWhitespace() }
    // `(26,)` is a one-element tuple in Python.
    if separators == [","], parts.count > 1, parts.last!.isEmpty { parts.removeLast() }
    if parts.first.map({ $0.lowercased() == "none" }) == true { parts.removeFirst() }
    guard !parts.isEmpty else { return nil }
    var shape: FeatureShape = []
    for p in parts {
      guard !p.isEmpty, p.allSatisfy(\.isASCIIDigit), let n = Int(p), n > 0, n <= CheckedSize.maxDimension else {
        return nil
      }
      shape.append(n)
    }
    return shape
  }
}

extension Character {
  public var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension Substring {
  /// The text without leading and trailing spaces, tabs and line breaks (no Foundation).
  public func trimmingWhitespace() -> Substring {
    var s = self
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return s
  }
}
