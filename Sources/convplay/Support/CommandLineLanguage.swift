import ArgumentParser
import ConvKit
import ConvLocale
import Foundation

/// The language of this run of `convplay`: `--lang en|es` anywhere on the command line (taken
/// out before ArgumentParser sees it, so every subcommand has it), else LANGUAGE, LC_ALL,
/// LC_MESSAGES, LANG. Decided once, before parsing, because help text, ArgumentParser's own
/// errors and every printed line depend on it.
enum CommandLineLanguage {
  nonisolated(unsafe) private(set) static var current: Lang = .en

  /// The arguments without `--lang X` / `--lang=X` (before a `--`), having set `current`.
  static func take(from arguments: [String], environment: [String: String]) throws -> [String] {
    var rest: [String] = []
    var flag: String?
    var i = 0
    while i < arguments.count {
      let a = arguments[i]
      if a == "--" {
        rest += arguments[i...]
        break
      }
      if a == "--lang" {
        guard i + 1 < arguments.count else { throw LanguageError(given: nil) }
        flag = arguments[i + 1]
        i += 2
        continue
      }
      if a.hasPrefix("--lang=") {
        flag = String(a.dropFirst("--lang=".count))
        i += 1
        continue
      }
      rest.append(a)
      i += 1
    }
    current = Lang.fromEnvironment(environment)
    if let flag {
      guard let l = Lang(rawValue: flag.lowercased()) else { throw LanguageError(given: flag) }
      current = l
    }
    return rest
  }

  struct LanguageError: Error, CustomStringConvertible {
    var given: String?
    var description: String {
      given.map { "--lang must be en or es (got '\($0)')" } ?? "--lang needs a value: en or es"
    }
  }
}

/// `english` in the language of this run, `{0}`, `{1}`... filled with `args` (Spanish.swift):
/// help text, which ArgumentParser wraps itself, is translated where it is declared.
func localized(_ english: String, _ args: String...) -> String {
  Spanish.text(english, CommandLineLanguage.current, args)
}

/// `localized` where ArgumentParser takes an `ArgumentHelp` (`help:` of an option or flag).
func helpText(_ english: String) -> ArgumentHelp {
  ArgumentHelp(Spanish.text(english, CommandLineLanguage.current))
}

/// Everything `convplay` prints on stdout goes through here (it stands in for the standard
/// library's `print` in this module): in Spanish, each line is read against the Spanish table,
/// so the engine's English lines (formulas, notes, reports) come out translated.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
  let text = items.map { "\($0)" }.joined(separator: separator)
  Swift.print(CommandLineLanguage.current == .es ? Spanish.lines(text) : text, terminator: terminator)
}

/// ArgumentParser's help page in the language of this run: the help text is already translated
/// where declared; here its fixed words (USAGE, OPTIONS, "Show help information."...) and the
/// value names it makes from property names (`<seed>`) are, the `--lang` option every subcommand
/// takes (see `CommandLineLanguage`) is listed, and each option's text is wrapped again to 80
/// columns (Spanish runs longer than the English ArgumentParser wrapped).
func localizedHelp(_ help: String) -> String {
  var lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  // The column where option descriptions start (ArgumentParser's: 26).
  var column = 26
  if let i = lines.firstIndex(where: { $0.hasPrefix("  -h, --help") }),
    let start = lines[i].range(of: "Show help information.")?.lowerBound
  {
    column = lines[i].distance(from: lines[i].startIndex, to: start)
    let option = "  --lang <en|es>"
    let text = localized("Language of help, output and messages: en or es (default: from LANG).")
    lines.insert(option.padding(toLength: max(column, option.count + 2), withPad: " ", startingAt: 0) + text, at: i)
  }
  if CommandLineLanguage.current == .es {
    let fixed: [(String, String)] = [
      ("OVERVIEW: ", "RESUMEN: "), ("USAGE: ", "USO: "), ("ARGUMENTS:", "ARGUMENTOS:"),
      ("OPTIONS:", "OPCIONES:"), ("SUBCOMMANDS:", "SUBCOMANDOS:"),
      ("Show help information.", "Mostrar esta ayuda."), ("Show the version.", "Mostrar la versión."),
      ("(default: ", "(por defecto: "), ("(default:", "(por defecto:"), ("(values: ", "(valores: "),
      ("; default: ", "; por defecto: "), ("(default)", "(por defecto)"),
    ]
    lines = lines.map { line in
      if line.hasPrefix("  See '"), line.hasSuffix("' for detailed help.") {
        let command = line.dropFirst("  See '".count).dropLast("' for detailed help.".count)
        return "  Ver '\(command)' para la ayuda detallada."
      }
      return translatingValueNames(fixed.reduce(line) { $0.replacingOccurrences(of: $1.0, with: $1.1) })
    }
  }
  return rewrappingOptions(lines, column: column).joined(separator: "\n")
}

/// `<seed>` -> `<semilla>`: ArgumentParser names a value after its property when the option
/// gives no `valueName`; the Spanish table has those words.
private func translatingValueNames(_ line: String) -> String {
  var out = ""
  var rest = Substring(line)
  while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
    out += rest[..<open]
    let name = String(rest[rest.index(after: open)..<close])
    out += "<" + localized(name) + ">"
    rest = rest[rest.index(after: close)...]
  }
  return out + rest
}

/// An option line split into its names and value (`  -o, --out <archivo>`) and the words of
/// its description.
private func splitOptionEntry(_ line: String) -> (name: String, text: [Substring]) {
  let words = line.split(separator: " ")
  var nameWords = 0
  var inValue = false
  for w in words {
    if inValue || w.hasPrefix("-") || w.hasPrefix("<") || w.hasPrefix("[") {
      nameWords += 1
      if w.hasPrefix("<") || w.hasPrefix("[") { inValue = true }
      if w.hasSuffix(">") || w.hasSuffix("]") || w.hasSuffix("...") { inValue = false }
      if !w.hasSuffix(",") && !inValue && !(w.hasPrefix("-") && words.dropFirst(nameWords).first?.hasPrefix("<") == true) {
        break
      }
    } else {
      break
    }
  }
  return ("  " + words.prefix(nameWords).joined(separator: " "), Array(words.dropFirst(nameWords)))
}

/// Each option's description wrapped again at 80 columns, from `column` on.
private func rewrappingOptions(_ lines: [String], column: Int) -> [String] {
  let indent = String(repeating: " ", count: column)
  let width = 80 - column
  var out: [String] = []
  var words: [Substring] = []
  func flush() {
    var line = ""
    for w in words {
      if !line.isEmpty && line.count + 1 + w.count > width {
        out.append(indent + line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + w
    }
    if !line.isEmpty { out.append(indent + line) }
    words = []
  }
  for line in lines {
    let isContinuation = line.hasPrefix(indent) && line.count > column && line.dropFirst(column).first != " "
    let isEntry = (line.hasPrefix("  -") || line.hasPrefix("  <")) && !line.hasPrefix("   ")
    if isContinuation {
      words += line.dropFirst(column).split(separator: " ")
      continue
    }
    flush()
    if isEntry {
      // "  --option <x>   text...": the name, then the text wrapped from `column` (on the next
      // line when the translated name no longer leaves room).
      let (name, text) = splitOptionEntry(line)
      guard !text.isEmpty else {
        out.append(line)
        continue
      }
      var first = ""
      var taken = 0
      if name.count + 2 <= column {
        for w in text {
          if !first.isEmpty && first.count + 1 + w.count > width { break }
          first += (first.isEmpty ? "" : " ") + w
          taken += 1
        }
        out.append(name.padding(toLength: column, withPad: " ", startingAt: 0) + first)
      } else {
        out.append(name)
      }
      words = Array(text.dropFirst(taken))
      continue
    }
    out.append(line)
  }
  flush()
  return out
}

/// A count with thousands marked as prose writes them in the language of this run: 60,000 in
/// English, 60.000 in Spanish (the course's).
func grouped(_ value: Int) -> String {
  let text = NumberText.grouped(value)
  return CommandLineLanguage.current == .es ? text.replacingOccurrences(of: ",", with: ".") : text
}
