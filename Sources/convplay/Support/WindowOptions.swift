import ArgumentParser
import ConvKit
import ConvImageIO
import Foundation

/// `--matrix FILE` (or `-` for stdin); the course's 5x5 example when omitted.
struct MatrixOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      localized("Input matrix file: numbers separated by spaces, tabs or commas, one row per line, # comments, a blank line between channels. '-' reads stdin. Default: the course's 5x5 example."),
      valueName: localized("file")))
  var matrix: String?

  func load() throws -> Tensor { try loadExact().tensor }

  /// The matrix as typed (whole numbers exact up to 2^53), for the step-by-step arithmetic.
  func loadExact() throws -> ExactTensor {
    guard let matrix else { return ExactTensor(CourseExample.matrix) }
    return try MatrixText.parseExact(try readText(matrix), source: matrix == "-" ? "stdin" : matrix)
  }
}

/// `--kernel NAME|FILE`, `--flip`, `--bias`.
struct KernelOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      localized("A preset name (see 'convplay kernels') or a matrix file; several blocks make a multi-channel kernel."),
      valueName: localized("name|file")))
  var kernel: String = "sharpen"

  @Flag(
    name: .long,
    help: helpText("True convolution: rotate the kernel 180 degrees first (without it: cross-correlation, as Keras and PyTorch compute)."))
  var flip = false

  @Option(name: .long, help: helpText("A bias added to every output cell, as a Conv2D filter has."), transform: finiteFloatRangeDouble)
  var bias: Double = 0

  func load() throws -> Tensor { try KernelOptions.resolveExact(kernel).tensor }

  func loadExact() throws -> ExactTensor { try KernelOptions.resolveExact(kernel) }

  static func resolve(_ name: String) throws -> Tensor { try resolveExact(name).tensor }

  /// A preset by name, else a matrix file (as typed); the error names both possibilities.
  static func resolveExact(_ name: String) throws -> ExactTensor {
    if let preset = KernelPreset.named(name) { return ExactTensor(preset.tensor) }
    if name == "-" || FileManager.default.fileExists(atPath: name) {
      return try MatrixText.parseExact(try readText(name), source: name == "-" ? "stdin" : name)
    }
    throw CLIFailure(
      "unknown kernel '\(name)': not a preset (see 'convplay kernels') and no such file")
  }
}

/// `--padding valid|same|N`, `--stride N|RxC`, `--dilation N`.
struct WindowOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp(localized("valid, same (Keras rule), or N zeros on every side."), valueName: localized("valid|same|N")))
  var padding = PaddingChoice(.valid)

  @Option(name: .long, help: ArgumentHelp(localized("Step of the window: N, or RxC for rows x columns."), valueName: localized("N|RxC")))
  var stride: String = "1"

  @Option(name: .long, help: helpText("Gap between kernel taps (1 = dense kernel)."))
  var dilation: Int = 1
}

/// `--padding`, `--stride`, `--dilation` as `filter` takes them: the same options as
/// `WindowOptions`, but padding defaults to 'same' so a filtered photo keeps its size.
struct ImageWindowOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp(localized("valid, same (Keras rule, output the size of the input), or N zeros on every side."), valueName: localized("valid|same|N")))
  var padding = PaddingChoice(.same)

  @Option(name: .long, help: ArgumentHelp(localized("Step of the window: N, or RxC for rows x columns."), valueName: localized("N|RxC")))
  var stride: String = "1"

  @Option(name: .long, help: helpText("Gap between kernel taps (1 = dense kernel)."))
  var dilation: Int = 1
}

/// The parsing both window option groups share (only their defaults differ).
protocol WindowOptionFields {
  var padding: PaddingChoice { get }
  var stride: String { get }
  var dilation: Int { get }
}

extension WindowOptionFields {
  func parsedPadding() throws -> Padding { padding.padding }

  func parsedStride() throws -> (rows: Int, cols: Int) {
    try parsePair(stride, option: "--stride")
  }
}

extension WindowOptions: WindowOptionFields {}
extension ImageWindowOptions: WindowOptionFields {}

/// Parses `N` or `RxC` into a pair of whole numbers >= 1.
func parsePair(_ text: String, option: String) throws -> (rows: Int, cols: Int) {
  let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
  let numbers = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
  guard numbers.count == parts.count, (1...2).contains(numbers.count) else {
    throw CLIFailure("\(option) must be N or RxC, for example 2 or 2x1 (got '\(text)')")
  }
  for n in numbers where n < 1 {
    throw CLIFailure("\(option) must be at least 1 (got \(n))")
  }
  for n in numbers { _ = try CheckedSize.dimension(n, field: option) }
  return (numbers[0], numbers.count == 2 ? numbers[1] : numbers[0])
}

/// The whole text of a file, or of stdin for `-`: a matrix, kernel, spec, answer sheet or class
/// list is small text, so it is bounded; only a regular file or an inherited pipe is read
/// (`InputFile`), never a named pipe that would block.
func readText(_ path: String) throws -> String {
  let name = path == "-" ? "stdin" : path
  let bytes = try InputFile.bytes(path, limit: 16 << 20, stdin: true) { _ in
    "more than 16 MB, too large for a text file of numbers"
  }
  guard let text = String(validating: bytes, as: UTF8.self) else {
    throw CLIFailure("\(name): not a text file (expected numbers in UTF-8 text)")
  }
  return text
}

/// The convolution set-up shared by `conv` and `step`: input, kernel and geometry checked
/// against each other with messages a student can act on.
struct ConvolutionSetup {
  /// As typed: the steps and the output keep whole numbers exact (ExactTensor).
  var input: ExactTensor
  var kernel: ExactTensor
  var geometry: WindowGeometry
  var bias: Double
  var flip: Bool

  init(matrix: MatrixOptions, kernel k: KernelOptions, window: WindowOptions) throws {
    input = try matrix.loadExact()
    kernel = try k.loadExact()
    bias = k.bias
    flip = k.flip
    let kc = kernel.shape[0]
    let ic = input.shape[0]
    if kc != 1 && kc != ic {
      throw CLIFailure(
        "the kernel has \(kc) channels but the input has \(ic): a filter needs one block per input channel (or a single block, applied to each channel on its own)")
    }
    let stride = try window.parsedStride()
    geometry = try WindowGeometry(
      inputRows: input.shape[1], inputCols: input.shape[2],
      kernelRows: kernel.shape[1], kernelCols: kernel.shape[2],
      strideRows: stride.rows, strideCols: stride.cols, dilation: window.dilation,
      padding: try window.parsedPadding())
    try geometry.checkMemory(channels: ic)
  }
}

/// Notes on stderr when the windows leave rows or columns of the input out (a floored
/// division, or a stride that steps over them), as Keras and PyTorch compute it.
func noteFloors(_ g: WindowGeometry) {
  for (axis, name) in [(g.rows, "row"), (g.cols, "column")] {
    if let note = axis.visitNote(axis: name) { printNote(note) }
  }
}
