import ArgumentParser
import ConvKit
import ConvPlayground

/// `convplay kernels`: the preset kernels with their values.
struct KernelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernels",
    abstract: localized("List the preset kernels with their values."))

  @Argument(help: helpText("Show only this preset."))
  var name: String?

  func run() throws {
    try reportingErrors {
      var presets = KernelPreset.all
      if let name {
        guard let p = KernelPreset.named(name) else {
          throw CLIFailure("unknown kernel '\(name)'; 'convplay kernels' lists them")
        }
        presets = [p]
      }
      var blocks: [String] = []
      for p in presets {
        var header = p.name
        if !p.aliases.isEmpty { header += localized(" (also: {0})", p.aliases.joined(separator: ", ")) }
        header += "  [\(p.family.rawValue)]: " + presetSummary(p.name).text(CommandLineLanguage.current)
        var lines = [header]
        if let note = p.scaleNote { lines.append("  " + localized(note)) }
        let shown = p.scaleNote == nil ? p.rows : unscaled(p)
        lines += MatrixText.aligned(shown).map { "    " + $0 }
        blocks.append(lines.joined(separator: "\n"))
      }
      Swift.print(blocks.joined(separator: "\n\n"))
    }
  }

  /// The integer weights behind a scaled preset (1/16 x [1 2 1 ...]), easier to read.
  private func unscaled(_ p: KernelPreset) -> [[Float]] {
    let smallest = p.rows.flatMap { $0 }.filter { $0 != 0 }.map { abs($0) }.min() ?? 1
    return p.rows.map { $0.map { ($0 / smallest).rounded() } }
  }
}
