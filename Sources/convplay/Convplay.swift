import ArgumentParser
import ConvKit
import ConvPlayground
import ConvTerminal
import Foundation

/// The `convplay` command: every feature of the playground, scriptable.
@main
struct Convplay: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convplay",
    abstract: "A terminal playground for learning how convolutional neural networks see images.",
    discussion: """
      Run a subcommand, for example:
        convplay step --matrix examples/matrices/course-5x5.txt --kernel sharpen --plain
        convplay conv --matrix examples/matrices/course-5x5.txt --kernel sharpen --padding same
        convplay pool --matrix examples/matrices/course-5x5.txt --size 2 --mode max
        convplay kernels
        convplay filter photo.jpg --kernel edge --out edges.png
      On a terminal, `convplay` alone opens the playground (`convplay --lang es` in Spanish).
      """,
    version: "0.1.0",
    subcommands: [
      ConvCommand.self, StepCommand.self, PoolCommand.self, KernelsCommand.self,
      TuiCommand.self,
      SummaryCommand.self, QuizCommand.self,
      GrayCommand.self, ChannelsCommand.self, FilterCommand.self, InfoCommand.self,
      TrainCommand.self, EvaluateCommand.self, PredictCommand.self, DataCommand.self, FinetuneCommand.self,
      ImportCommand.self, ClassifyCommand.self, WeightsCommand.self,
    ]
  )

  /// Parses and runs like ArgumentParser's own `main`, but a command line it cannot parse gets
  /// one `convplay: ...` line on stderr (and a pointer to `--help`) instead of a usage dump, as
  /// every other bad input does. `--help` and `--version` still print in full.
  static func main() {
    var arguments = Array(CommandLine.arguments.dropFirst())
    // `convplay --lang es` opens the playground in that language: the bare command has no
    // options of its own (see `run`), so this is spelled as the `tui` subcommand's.
    if let first = arguments.first, first == "--lang" || first.hasPrefix("--lang=") {
      arguments.insert("tui", at: 0)
    }
    arguments = joiningNegativeNumbers(arguments)
    do {
      arguments = try takingMemoryBudget(arguments)
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .success || error is ExitCode { exit(withError: error) }
      let lines = message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      let subcommand = arguments.first { name in
        configuration.subcommands.contains { $0._commandName == name }
      }
      let help = subcommand.map { "convplay \($0) --help" } ?? "convplay --help"
      printError((lines.first ?? "bad command line") + " (see '\(help)')")
      Foundation.exit(code.rawValue)
    }
  }

  /// `--memory-budget SIZE` anywhere on the command line (before `--`) sets
  /// CONVPLAY_MEMORY_BUDGET for this run, so every subcommand takes it without an option of its
  /// own; the value is checked here.
  static func takingMemoryBudget(_ arguments: [String]) throws -> [String] {
    var out: [String] = []
    var i = 0
    while i < arguments.count {
      let a = arguments[i]
      if a == "--" { return out + arguments[i...] }
      var value: String?
      if a == "--memory-budget" {
        guard i + 1 < arguments.count else { throw CLIFailure("--memory-budget needs a size, for example 8G") }
        value = arguments[i + 1]
        i += 1
      } else if a.hasPrefix("--memory-budget=") {
        value = String(a.dropFirst("--memory-budget=".count))
      }
      if let value {
        guard MemoryBudget.parse(value) != nil else {
          throw CLIFailure("--memory-budget must be a size such as 8G or 512M (got '\(value)')")
        }
        setenv(MemoryBudget.variable, value, 1)
      } else {
        out.append(a)
      }
      i += 1
    }
    return out
  }

  /// On a terminal, no subcommand opens the playground (language from LANG; `convplay --lang es`,
  /// which `main` turns into `convplay tui --lang es`, chooses it); elsewhere, say what to run
  /// instead. No options here: an option of the root command would take `--lang` away from the
  /// subcommands that have their own.
  func run() throws {
    try reportingErrors {
      let language = try resolveLanguage(nil)
      guard standardStreamsAreTerminals() else {
        print(Convplay.helpMessage())
        print("""

          The playground needs a terminal (stdin and stdout). Without one, run for example:
            convplay step --plain                  every step of the course's 5x5 convolution
            convplay tui --screen conv --print 80x24   one frame of the playground as text
          """)
        return
      }
      // The same path as `convplay tui`: quiz progress and training settings are read and kept.
      var tui = try TuiCommand.parse(["--lang", language.rawValue])
      try tui.run()
    }
  }
}
