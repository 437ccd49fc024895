/// convplay's languages: English, the language every message is written in, and Spanish, the
/// course's.
public enum Lang: String, CaseIterable, Sendable {
  case en, es

  public var code: String { rawValue }
  /// The language's name in itself.
  public var name: String { self == .en ? "English" : "Español" }

  /// The language the locale variables ask for: LANGUAGE (GNU gettext's list, first entry), then
  /// LC_ALL, LC_MESSAGES, LANG in POSIX order: "es_ES.UTF-8" -> es. Anything not Spanish is English.
  public static func fromEnvironment(_ env: [String: String]) -> Lang {
    if let list = env["LANGUAGE"], let first = list.split(separator: ":").first, !first.isEmpty,
      env["LC_ALL"] != "C", env["LC_ALL"] != "POSIX"
    {
      return first.lowercased().hasPrefix("es") ? .es : .en
    }
    for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      if let v = env[key], !v.isEmpty {
        return v.lowercased().hasPrefix("es") ? .es : .en
      }
    }
    return .en
  }
}
