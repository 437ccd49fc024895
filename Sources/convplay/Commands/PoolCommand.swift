import ArgumentParser
import ConvKit

/// `convplay pool`: max or average pooling of each channel.
struct PoolCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pool",
    abstract: localized("Max or average pooling of a matrix; prints the output matrix."),
    discussion: localized("""
      Example:
        convplay pool --matrix examples/matrices/course-5x5.txt --size 2 --mode max
      The stride defaults to the pool size. With --padding same, padded cells are ignored (max
      treats them as -infinity, avg leaves them out of the mean), as Keras does.
      Add --steps to see every window.
      """))

  @OptionGroup var matrix: MatrixOptions

  @Option(name: .long, help: ArgumentHelp(localized("Pool size: N or RxC."), valueName: localized("N|RxC")))
  var size: String = "2"

  @Option(name: .long, help: ArgumentHelp(localized("Stride: N or RxC (default: the pool size)."), valueName: localized("N|RxC")))
  var stride: String?

  @Option(name: .long, help: helpText("Keep the window's largest value or its mean."))
  var mode: PoolMode = .max

  @Option(name: .long, help: helpText("Keras's padding rule for the windows."))
  var padding: PoolPaddingChoice = .valid

  @Flag(name: .long, help: helpText("Print every window step by step, as 'convplay step' does for convolution."))
  var steps = false

  @Flag(name: .long, help: helpText("Plain text without colours (with --steps)."))
  var plain = false

  func run() throws {
    try reportingErrors {
      let (input, geometry, poolMode) = try setup()
      if steps {
        let trace = StepTrace.pooling(input: input, geometry: geometry, mode: poolMode)
        StepReport(trace: trace, style: .init(plain: plain)).write { print($0, terminator: "") }
        return
      }
      noteFloors(geometry)
      print(MatrixText.format(StepTrace.pooling(input: input, geometry: geometry, mode: poolMode).output))
    }
  }

  func setup() throws -> (ExactTensor, WindowGeometry, PoolMode) {
    let poolMode = mode
    let pad = padding.padding
    let input = try matrix.loadExact()
    let k = try parsePair(size, option: "--size")
    let s = try stride.map { try parsePair($0, option: "--stride") } ?? k
    let g = try WindowGeometry(
      inputRows: input.shape[1], inputCols: input.shape[2], kernelRows: k.rows, kernelCols: k.cols,
      strideRows: s.rows, strideCols: s.cols, padding: pad)
    try g.checkMemory(channels: input.shape[0])
    return (input, g, poolMode)
  }
}
