/// Lines of text as people save them on any system: LF (Linux, macOS), CRLF (Windows) and a
/// lone CR (old Mac) all end a line. Swift reads "\r\n" as one `Character`, so splitting at "\n"
/// alone leaves a Windows file as a single line; every text reader splits here instead.
public enum TextLines {
  /// True for a line break: "\n", "\r\n" or "\r".
  public static func isBreak(_ c: Character) -> Bool { c == "\n" || c == "\r\n" || c == "\r" }

  /// The lines of `text`, without their breaks; empty lines kept (they separate matrix
  /// channels), and no empty last line for a final break.
  public static func split(_ text: String) -> [Substring] {
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: isBreak)
    if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }
}
