import ArgumentParser
import ConvKit
import ConvPlayground

/// `convplay step`: every step of a convolution, as the course works it on the board.
struct StepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "step",
    abstract: localized("Show every step of a convolution: the window, each product, the sum, the output cell."),
    discussion: localized("""
      Example:
        convplay step --matrix examples/matrices/course-5x5.txt --kernel sharpen --plain
        step 1/9: output[0,0], window rows 0-2, cols 0-2
        60*0 + 113*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 266
        ...
        output size: (5 + 2*0 - 3)/1 + 1 = 3  ->  3 x 3
      Without --plain, on a terminal, the window is highlighted in the input and the output
      fills in as the steps go.

      The backward pass (one channel), every product of dL/dK and dL/dX, then one SGD step:
        convplay step --backward --plain                  G = ones (L = sum of Y)
        convplay step --backward --target target.txt       G = Y - T (L = 0.5*sum((Y - T)^2))
        convplay step --backward --grad grad.txt --lr 0.001 --lang es
      """))

  @OptionGroup var matrix: MatrixOptions
  @OptionGroup var kernel: KernelOptions
  @OptionGroup var window: WindowOptions

  @Flag(name: .long, help: helpText("Plain text, no colours or highlighting (for pipes and scripts)."))
  var plain = false

  @Option(name: .long, help: ArgumentHelp(localized("Show only step N (1-based)."), valueName: localized("N")))
  var only: Int?

  @OptionGroup var backward: BackwardOptions

  func run() throws {
    try reportingErrors {
      if backward.requested {
        let setup = try ConvolutionSetup(matrix: matrix, kernel: kernel, window: window)
        if only != nil { throw CLIFailure("--only belongs to the forward steps (without --backward)") }
        print(try backward.report(setup), terminator: "")
        return
      }
      if backward.anyGiven {
        throw CLIFailure("--grad, --target and --lr belong to --backward")
      }
      let setup = try ConvolutionSetup(matrix: matrix, kernel: kernel, window: window)
      let trace = StepTrace.convolution(
        input: setup.input, kernel: setup.kernel, geometry: setup.geometry, bias: setup.bias,
        flip: setup.flip)
      if let only, !(1...trace.steps.count).contains(only) {
        throw CLIFailure("--only must be between 1 and \(trace.steps.count) (got \(only))")
      }
      let report = StepReport(trace: trace, style: .init(plain: plain))
      report.write(only: only.map { $0 - 1 }) { print($0, terminator: "") }
    }
  }
}

/// `step --backward` and its options: where the upstream gradient comes from, the learning
/// rate of the SGD step.
struct BackwardOptions: ParsableArguments {
  @Flag(name: .long, help: helpText("The backward pass instead: every product of dL/dK and dL/dX, then one SGD step."))
  var backward = false

  @Option(name: .long, help: ArgumentHelp(localized("Upstream gradient dL/dY: ones, or a matrix file the output's size."), valueName: localized("ones|file")))
  var grad: String?

  @Option(name: .long, help: ArgumentHelp(localized("A target matrix T the output's size: L = 0.5*sum((Y - T)^2), so dL/dY = Y - T."), valueName: localized("file")))
  var target: String?

  @Option(name: .long, help: ArgumentHelp(localized("Learning rate of the SGD step (default 0.01)."), valueName: localized("rate")), transform: finiteFloat)
  var lr: Float?

  var requested: Bool { backward }
  var anyGiven: Bool { grad != nil || target != nil || lr != nil }

  func report(_ setup: ConvolutionSetup) throws -> String {
    if grad != nil && target != nil { throw CLIFailure("give --grad or --target, not both") }
    if setup.input.shape[0] != 1 || setup.kernel.shape[0] != 1 {
      throw CLIFailure("--backward takes a one-channel matrix and kernel (this input has \(setup.input.shape[0]) channels, the kernel \(setup.kernel.shape[0]))")
    }
    if setup.flip { throw CLIFailure("--backward traces the cross-correlation Keras computes: leave out --flip") }
    let rate = lr ?? 0.01
    guard rate.isFinite, rate > 0 else { throw CLIFailure("--lr must be a positive number (got \(rate))") }
    let upstream: BackwardTrace.Upstream
    if let target {
      upstream = .target(try MatrixText.parse(try readText(target), source: target))
    } else if let grad, grad != "ones" {
      upstream = .given(try MatrixText.parse(try readText(grad), source: grad))
    } else {
      upstream = .ones
    }
    let trace: BackwardTrace
    do {
      trace = try BackwardTrace(
        input: setup.input.tensor, kernel: setup.kernel.tensor, geometry: setup.geometry, bias: Float(setup.bias),
        upstream: upstream)
    } catch let e as BackwardTrace.Problem {
      throw CLIFailure("\(target != nil ? "--target" : "--grad"): \(e.description)")
    }
    return BackwardText.report(trace, learningRate: rate, lang: CommandLineLanguage.current)
  }
}
