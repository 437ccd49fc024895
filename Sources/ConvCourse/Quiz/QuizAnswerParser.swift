import ConvKit
/// Reads an answer the way people write it, knowing what kind of answer is expected:
/// shapes `26x26x64`, `26, 26, 64`, `(26, 26, 64)`, `(None, 26, 26, 64)`, `26 26 64`;
/// counts `640`, `649,775`, `649775`, `649 775`, `649.775` (Spanish grouping), `649_775`.
/// A single size (after Flatten) may be written either way: `43264`, `43,264`, `(None, 43264)`.
/// An `answer:` prefix (the answer key's own lines) is allowed. Anything else gives nil.
public enum QuizAnswerParser {
  public static func parse(_ text: String, expecting expected: QuizAnswer) -> QuizAnswer? {
    var body = Substring(text).trimmingWhitespace()
    for prefix in ["answer:", "respuesta:"] where body.lowercased().hasPrefix(prefix) {
      body = body.dropFirst(prefix.count).trimmingWhitespace()
    }
    guard !body.isEmpty else { return nil }
    switch expected {
    case .count:
      return count(body).map(QuizAnswer.count)
    case .shape(let s) where s.count == 1:
      if let n = count(body) { return .shape([n]) }
      return ShapeText.parse(String(body)).map(QuizAnswer.shape)
    case .shape:
      return ShapeText.parse(String(body)).map(QuizAnswer.shape)
    }
  }

  /// A whole number, plain or grouped by threes with one kind of separator.
  public static func count(_ text: Substring) -> Int? {
    let body = text.trimmingWhitespace()
    guard let first = body.first, first.isASCIIDigit else { return nil }
    let separators: Set<Character> = [",", ".", " ", "_", "\u{202F}", "\u{00A0}", "'"]
    let used = Set(body.filter { separators.contains($0) })
    if used.isEmpty {
      guard body.allSatisfy(\.isASCIIDigit), body.count <= 18 else { return nil }
      return Int(body)
    }
    guard used.count == 1, let sep = used.first else { return nil }
    let groups = body.split(separator: sep, omittingEmptySubsequences: false)
    guard let head = groups.first, (1...3).contains(head.count),
      groups.dropFirst().allSatisfy({ $0.count == 3 }),
      groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
      body.count <= 24
    else { return nil }
    return Int(groups.joined())
  }
}
