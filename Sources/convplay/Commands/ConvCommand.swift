import ArgumentParser
import ConvKit

/// `convplay conv`: the output matrix of a convolution, one row per line.
struct ConvCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conv",
    abstract: localized("Convolve a matrix with a kernel and print the output matrix."),
    discussion: localized("""
      Example (the course's worked example):
        convplay conv --matrix examples/matrices/course-5x5.txt --kernel sharpen
        266 -61 -30
        116 -47 295
        -135 256 -128
      A multi-channel input with a kernel of the same number of blocks sums the channels, as a
      Conv2D filter does; a single-block kernel filters each channel on its own.
      """))

  @OptionGroup var matrix: MatrixOptions
  @OptionGroup var kernel: KernelOptions
  @OptionGroup var window: WindowOptions

  func run() throws {
    try reportingErrors {
      let setup = try ConvolutionSetup(matrix: matrix, kernel: kernel, window: window)
      noteFloors(setup.geometry)
      // The course's arithmetic in Double: whole numbers stay exact (Float32 stops at 2^24).
      let out = StepTrace.convolution(
        input: setup.input, kernel: setup.kernel, geometry: setup.geometry, bias: setup.bias,
        flip: setup.flip
      ).output
      print(MatrixText.format(out))
    }
  }
}
