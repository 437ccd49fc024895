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
    abstract: localized("A terminal playground for learning how convolutional neural networks see images."),
    discussion: localized("""
      Run a subcommand, for example:
        convplay step --matrix examples/matrices/course-5x5.txt --kernel sharpen --plain
        convplay conv --matrix examples/matrices/course-5x5.txt --kernel sharpen --padding same
        convplay pool --matrix examples/matrices/course-5x5.txt --size 2 --mode max
        convplay kernels
        convplay filter photo.jpg --kernel edge --out edges.png
      On a terminal, `convplay` alone opens the playground (`convplay --lang es` in Spanish).
      `--lang en|es` works on every subcommand (default: LANGUAGE, LC_ALL or LANG).
      """),
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
  /// every other bad input does. `--help` and `--version` still print in full. `--lang` is read
  /// first, from anywhere on the line (`CommandLineLanguage`), so help and errors are in it.
  static func main() {
    var arguments: [String]
    do {
      arguments = try CommandLineLanguage.take(
        from: Array(CommandLine.arguments.dropFirst()), environment: currentEnvironment())
    } catch {
      printError(String(describing: error))
      Foundation.exit(1)
    }
    arguments = joiningNegativeNumbers(arguments)
    do {
      arguments = try takingMemoryBudget(arguments)
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        // --help, help SUBCOMMAND, --version: in the language of this run.
        Swift.print(localizedHelp(fullMessage(for: error)))
        Foundation.exit(0)
      }
      if error is ExitCode { exit(withError: error) }
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

  /// On a terminal, no subcommand opens the playground (in the language of `--lang` or LANG);
  /// elsewhere, say what to run instead.
  func run() throws {
    try reportingErrors {
      guard standardStreamsAreTerminals() else {
        Swift.print(localizedHelp(Convplay.helpMessage()))
        print("""

          The playground needs a terminal (stdin and stdout). Without one, run for example:
            convplay step --plain                  every step of the course's 5x5 convolution
            convplay tui --screen conv --print 80x24   one frame of the playground as text
          """)
        return
      }
      // The same path as `convplay tui`: quiz progress and training settings are read and kept.
      var tui = try TuiCommand.parse([])
      try tui.run()
    }
  }
}
