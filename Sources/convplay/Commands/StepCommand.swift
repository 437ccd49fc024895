import ArgumentParser
import ConvKit

/// `convplay step`: every step of a convolution, as the course works it on the board.
struct StepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "step",
    abstract: "Show every step of a convolution: the window, each product, the sum, the output cell.",
    discussion: """
      Example:
        convplay step --matrix examples/matrices/course-5x5.txt --kernel sharpen --plain
        step 1/9: output[0,0], window rows 0-2, cols 0-2
        60*0 + 113*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 266
        ...
        output size: (5 + 2*0 - 3)/1 + 1 = 3  ->  3 x 3
      Without --plain, on a terminal, the window is highlighted in the input and the output
      fills in as the steps go.
      """)

  @OptionGroup var matrix: MatrixOptions
  @OptionGroup var kernel: KernelOptions
  @OptionGroup var window: WindowOptions

  @Flag(name: .long, help: "Plain text, no colours or highlighting (for pipes and scripts).")
  var plain = false

  @Option(name: .long, help: ArgumentHelp("Show only step N (1-based).", valueName: "N"))
  var only: Int?

  func run() throws {
    try reportingErrors {
      let setup = try ConvolutionSetup(matrix: matrix, kernel: kernel, window: window)
      let trace = StepTrace.convolution(
        input: setup.input, kernel: setup.kernel, geometry: setup.geometry, bias: setup.bias,
        flip: setup.flip)
      if let only, !(1...trace.steps.count).contains(only) {
        throw CLIFailure("--only must be between 1 and \(trace.steps.count) (got \(only))")
      }
      let report = StepReport(trace: trace, style: .init(plain: plain))
      print(report.render(only: only.map { $0 - 1 }), terminator: "")
    }
  }
}
