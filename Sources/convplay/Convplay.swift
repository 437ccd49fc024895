import ArgumentParser
import ConvKit
import ConvPlayground
import ConvTerminal

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
      """,
    version: "0.1.0",
    subcommands: [
      ConvCommand.self, StepCommand.self, PoolCommand.self, KernelsCommand.self,
      TuiCommand.self,
      SummaryCommand.self, QuizCommand.self,
      GrayCommand.self, ChannelsCommand.self, FilterCommand.self, InfoCommand.self,
      TrainCommand.self, EvaluateCommand.self, PredictCommand.self, DataCommand.self, FinetuneCommand.self,
      ImportCommand.self, ClassifyCommand.self,
    ]
  )

  /// On a terminal, no subcommand opens the playground (language from LANG; `convplay tui
  /// --lang es` chooses it); elsewhere, say what to run instead. No options here: an option
  /// of the root command would take `--lang` away from the subcommands that have their own.
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
      try runInTerminal(PlaygroundApp.home(env: Env(lang: language, theme: Theme(colored: true))))
    }
  }
}
