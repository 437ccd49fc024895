/// Text written in English where it is used, found in Spanish in `Spanish.table`
/// (SpanishTable.swift). A key may hold `{0}`, `{1}`... for the parts that vary: a call fills
/// them (`text`), and a finished English line (an engine's error, ArgumentParser's message, a
/// formula line) is read back against them (`line`), so the modules that produce English never
/// need to know the user's language.
public enum Spanish {
  /// `english` in `lang`, with `{n}` replaced by `args[n]`: the table's Spanish, or the English
  /// itself when the table has no entry (the test on the help and output of every command and
  /// `Translations.missing` catch those).
  public static func text(_ english: String, _ lang: Lang, _ args: [String] = []) -> String {
    guard lang == .es, let es = table[english] else { return Placeholders.fill(english, args) }
    return Placeholders.fill(es, args)
  }

  /// A finished English line in Spanish: the table's exact entry, else the entry whose template
  /// matches it (its longest literal text first), the varying parts carried over (and
  /// translated themselves when they are phrases). A line no entry matches stays as it is.
  /// A line that no entry matches but reads `place: message`, the place a path or name without
  /// spaces (`photo.png: ...`, `conv2d_1/kernel: ...`), keeps the place and has its message
  /// translated, so a message located by any caller needs one entry, not one per prefix.
  public static func line(_ english: String) -> String {
    if let es = table[english] { return es }
    guard english.contains(where: \.isLetter) else { return english }
    for template in templates {
      guard let parts = template.match(english) else { continue }
      return Placeholders.fill(template.spanish, parts.map { part($0, groupingNumbers: template.groupsNumbers) })
    }
    if let colon = english.firstRange(of: ": "), !english[..<colon.lowerBound].contains(" "),
      colon.lowerBound > english.startIndex
    {
      let rest = String(english[colon.upperBound...])
      let translated = line(rest)
      if translated != rest { return english[..<colon.upperBound] + translated }
    }
    return english
  }

  /// A varying part of a matched line: a phrase is translated itself; in an engine's error line
  /// a count grouped the English way (138,357,544) is written as the course writes numbers in
  /// prose (138.357.544). Other lines (Keras-style explanations beside summary tables) keep
  /// Keras's format.
  static func part(_ text: String, groupingNumbers: Bool) -> String {
    if text.contains(" ") { return line(text) }
    if groupingNumbers, text.wholeMatch(of: #/-?\d{1,3}(,\d{3})+/#) != nil { return text.replacing(",", with: ".") }
    return text
  }

  /// Several lines, each read by `line`.
  public static func lines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0)) }
      .joined(separator: "\n")
  }

  /// An entry with placeholders, split at them: literal pieces and the placeholder between each.
  struct Template: Sendable {
    var pieces: [String]
    var slots: [Int]
    var spanish: String
    /// An engine error's entry: grouped counts in its parts are written 60.000.
    var groupsNumbers = false
    var literalLength: Int { pieces.reduce(0) { $0 + $1.count } }

    init?(english: String, spanish: String, groupsNumbers: Bool = false) {
      var pieces: [String] = []
      var slots: [Int] = []
      var rest = Substring(english)
      while let open = rest.firstIndex(of: "{"),
        let close = rest[open...].firstIndex(of: "}"),
        let n = Int(rest[rest.index(after: open)..<close])
      {
        pieces.append(String(rest[..<open]))
        slots.append(n)
        rest = rest[rest.index(after: close)...]
      }
      pieces.append(String(rest))
      guard !slots.isEmpty else { return nil }
      self.pieces = pieces
      self.slots = slots
      self.spanish = spanish
      self.groupsNumbers = groupsNumbers
    }

    /// The varying parts of `text` by placeholder number, when `text` has this template's
    /// literal pieces in order (each part as short as possible, the last one to the end).
    func match(_ text: String) -> [String]? {
      guard text.hasPrefix(pieces[0]), text.hasSuffix(pieces[pieces.count - 1]),
        text.count >= literalLength
      else { return nil }
      var parts = [String](repeating: "", count: (slots.max() ?? 0) + 1)
      var rest = Substring(text.dropFirst(pieces[0].count))
      for (i, slot) in slots.enumerated() {
        let next = pieces[i + 1]
        let part: Substring
        if i == slots.count - 1 {
          guard rest.count >= next.count else { return nil }
          part = rest.dropLast(next.count)
          rest = ""
        } else {
          guard !next.isEmpty, let r = rest.firstRange(of: next) else { return nil }
          part = rest[..<r.lowerBound]
          rest = rest[r.upperBound...]
        }
        if part.isEmpty { return nil }
        // A leading place (`{0}: ...`) is one path or name: a longer line that merely ends
        // like this entry (`x.png: cannot read image: empty file` against `{0}: empty file`)
        // is left to the entry that reads its middle.
        if i == 0, pieces[0].isEmpty, next.hasPrefix(":"), part.contains(": ") { return nil }
        parts[slot] = String(part)
      }
      return parts
    }
  }

  static let templates: [Template] = {
    let engine = Set(engineErrors.map(\.0))
    return table.compactMap { Template(english: $0.key, spanish: $0.value, groupsNumbers: engine.contains($0.key)) }
      .sorted { ($0.literalLength, $0.spanish) > ($1.literalLength, $1.spanish) }
  }()

  /// Entries whose placeholders differ between the English and the Spanish, or whose English is
  /// nothing but placeholders (it would match every line): each is a mistake in the table.
  public static func malformedEntries() -> [String] {
    table.compactMap { en, es in
      if Placeholders.used(in: en) != Placeholders.used(in: es) { return "placeholders differ: \(en)" }
      if let t = Template(english: en, spanish: es), t.literalLength < 3 { return "matches anything: \(en)" }
      if es.isEmpty { return "empty Spanish: \(en)" }
      return nil
    }.sorted()
  }
}
