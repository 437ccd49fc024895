/// The one way convplay's text is translated. Text is written in English where it is used and
/// found in Spanish in a table:
///
/// - a keyed catalog (`Catalog`: an enum whose cases each return their English and Spanish on one
///   line) for the playground's screens, where one entry is shown in many places;
/// - the Spanish table (`Spanish.table`, Spanish.swift) for everything else: the command line's
///   help, output and error lines, class names, model descriptions, the quiz's phrases. Its keys
///   are the English text, `{0}`, `{1}`... standing for the parts that vary.
///
/// Both fill `{n}` the same way (`Placeholders.fill`), and one test (Translations.missing) walks both.
public protocol Catalog: CaseIterable, RawRepresentable, Sendable where RawValue == String {
  /// The entry in English and in Spanish, with the same `{n}` placeholders.
  var pair: (en: String, es: String) { get }
}

extension Catalog {
  /// The entry in `lang` with `{n}` replaced by `args[n]`.
  public func text(_ lang: Lang, _ args: [String] = []) -> String {
    Placeholders.fill(lang == .en ? pair.en : pair.es, args)
  }
}

public enum Placeholders {
  /// `template` with `{0}`, `{1}`... replaced by `args`.
  public static func fill(_ template: String, _ args: [String]) -> String {
    var s = template
    for (i, a) in args.enumerated() {
      s = s.replacing("{\(i)}", with: a)
    }
    return s
  }

  /// The placeholders a text uses, in order of number: a translation must use the same ones.
  public static func used(in text: String) -> [String] {
    (0..<10).map { "{\($0)}" }.filter { text.contains($0) }
  }
}
