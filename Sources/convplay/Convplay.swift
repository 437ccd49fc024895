import ArgumentParser
import ConvKit

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
      SummaryCommand.self, QuizCommand.self,
      GrayCommand.self, ChannelsCommand.self, FilterCommand.self, InfoCommand.self,
      TrainCommand.self, EvaluateCommand.self, DataCommand.self,
    ]
  )

  func run() throws {
    print(Convplay.helpMessage())
  }
}
