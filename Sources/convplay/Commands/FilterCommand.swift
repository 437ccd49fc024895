import ArgumentParser
import ConvImageIO
import ConvKit
import Foundation

/// `convplay filter`: slide a kernel over a whole photo (the course's edge detection, for real).
struct FilterCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "filter",
    abstract: localized("Filter a photo with a kernel (cross-correlation, as Keras computes) and write the result."),
    discussion: localized("""
      The kernels and window options of 'convplay conv', but padding defaults to
      'same' (the output has the size of the input). The photo is made gray first
      (--gray, default luminance); --gray none filters R, G and B each on its own,
      or, with a kernel of three blocks, sums them as one Conv2D filter does.
      --out X.npy writes the raw float32 result (numpy.load reads it); --out X.png
      or X.jpg writes 8-bit pixels made by --normalize:
        clip     clamp to 0-255        (default for blur, sharpen, identity)
        abs      |x|, then clamp       (default for edge kernels)
        minmax   the result's min-max onto 0-255
        offset   128 + x, clamped: zero is mid-gray, negative values stay visible
      Examples:
        convplay filter photo.jpg --kernel edge --out edges.png
        convplay filter photo.jpg --kernel sobel-x --normalize offset --out sobel.png
        convplay filter photo.png --kernel k.txt --stride 2 --padding valid \\
          --out small.png
        convplay filter photo.png --kernel edge-horizontal --out result.npy
      """))

  @OptionGroup var input: ImageInputOptions
  @OptionGroup var kernel: KernelOptions
  @OptionGroup var window: ImageWindowOptions

  @Option(name: .long, help: helpText("How a colour photo becomes gray first (none: filter each colour channel)."))
  var gray: GrayMethod = .luminance

  @Option(name: .long, help: helpText("How values outside 0-255 reach a PNG/JPEG (default: by kernel)."))
  var normalize: Normalization?

  @Option(name: .long, help: ArgumentHelp(localized("Output file: .png, .jpg or .npy (raw float32)."), valueName: localized("file")))
  var out: String

  @Option(name: .long, help: ArgumentHelp(localized("Run the filter this many times and report the fastest (benchmarks)."), valueName: localized("n")))
  var repeatCount: Int = 1

  @Flag(name: .long, help: helpText("Print the filter's own time and speed on stderr (without reading and writing)."))
  var timing = false

  func run() throws {
    try reportingErrors {
      try checkOutputs([("--out", out)])
      let grayMethod = gray
      let mode = normalize
      if !(1...10_000).contains(repeatCount) { throw CLIFailure("--repeat-count must be between 1 and 10,000 (got \(repeatCount))") }
      _ = try checkOutputPath(out)
      let weights = try kernel.load()
      let decoded = try input.load()
      let image = grayMethod.convert(decoded.image)

      let kc = weights.shape[0]
      if kc != 1 && kc != image.channels {
        let hint =
          image.channels == 1 && decoded.image.channels == 3 ? " (use --gray none to keep R, G, B)" : ""
        throw CLIFailure(
          "the kernel has \(kc) channels but the image has \(image.channels)\(hint): a filter needs one block per channel, or a single block")
      }
      let stride = try window.parsedStride()
      let geometry = try WindowGeometry(
        inputRows: image.height, inputCols: image.width,
        kernelRows: weights.shape[1], kernelCols: weights.shape[2],
        strideRows: stride.rows, strideCols: stride.cols, dilation: window.dilation,
        padding: try window.parsedPadding())
      try geometry.checkMemory(channels: image.channels)
      noteFloors(geometry)

      let clock = ContinuousClock()
      func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
      }
      let outputShape = [
        weights.shape[0] == 1 ? image.channels : 1, geometry.outputRows, geometry.outputCols,
      ]
      var result = Tensor(zeros: [1, 1, 1])
      var best = Double.infinity
      for _ in 0..<repeatCount {
        best = min(best, seconds(clock.measure {
          let scalars = makeLargeFloatArray(count: outputShape.reduce(1, *)) {
            FilterKernels.convolve(
              input: image.planes, kernel: weights, geometry: geometry, bias: Float(kernel.bias),
              flip: kernel.flip, into: $0)
          }
          result = Tensor(shape: outputShape, scalars: scalars)
        }))
      }
      if timing {
        // Also with the output memory reused, which leaves out the operating system's cost of
        // handing out fresh pages (large on virtual machines).
        var buffer = [Float](repeating: 0, count: result.count)
        var bestReused = Double.infinity
        for _ in 0..<repeatCount {
          bestReused = min(bestReused, seconds(clock.measure {
            buffer.withUnsafeMutableBufferPointer {
              FilterKernels.convolve(
                input: image.planes, kernel: weights, geometry: geometry, bias: Float(kernel.bias),
                flip: kernel.flip, into: $0)
            }
          }))
        }
        let mp = Double(image.pixelCount * image.channels) / 1e6
        FileHandle.standardError.write(Data(String(
          format: "timing: %.1f MP, best of %d: new output %.2f ms = %.0f MP/s; reused output %.2f ms = %.0f MP/s\n",
          mp, repeatCount, best * 1000, mp / best, bestReused * 1000, mp / bestReused).utf8))
      }

      let output = Image(planes: result)
      let chosen =
        mode ?? KernelPreset.named(kernel.kernel).map { Normalization.default(for: $0.family) }
        ?? Normalization.default(forWeights: weights.scalars)
      try ImageFile.write(output, to: out, normalization: chosen)
      let (low, high) = output.samples.reduce((Float.infinity, -Float.infinity)) {
        (min($0.0, $1), max($0.1, $1))
      }
      let how =
        ImageFile.OutputKind(path: out) == .npy
        ? "raw float32" : "normalize \(chosen.rawValue)"
      print(
        "\(out): \(output.summary), kernel \(kernel.kernel) \(weights.shape[1])x\(weights.shape[2]), "
          + "padding \(geometry.rows.padding), \(how), values \(NumberText.format(low))...\(NumberText.format(high))")
    }
  }
}
