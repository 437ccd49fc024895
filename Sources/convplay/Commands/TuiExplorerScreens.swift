import ConvImageIO
import ConvKit
import ConvPlayground
import Foundation

/// `tui --screen backprop | network | transposed`: their options checked, their screen made.
extension TuiCommand {
  /// The screen for the explorer lessons, or nil for the other lessons.
  func explorerScreen() throws -> (any Screen)? {
    switch screen {
    case .backprop:
      let (input, kernelTensor) = try smallMatrixAndKernel()
      let stride = try window.parsedStride()
      guard stride.rows == stride.cols, (1...3).contains(stride.rows) else {
        throw CLIFailure("the backprop screen takes one --stride from 1 to 3 (got '\(window.stride)')")
      }
      guard (1...3).contains(window.dilation) else {
        throw CLIFailure("--dilation must be 1, 2 or 3 in the playground (got \(window.dilation))")
      }
      if flip { throw CLIFailure("the backprop screen traces the cross-correlation Keras computes: leave out --flip") }
      return BackpropScreen(
        input: input ?? CourseExample.matrix, kernel: kernelTensor, kernelName: kernel ?? "sharpen",
        padding: try window.parsedPadding(), stride: stride.rows, dilation: window.dilation)
    case .network:
      return try networkScreen()
    case .transposed:
      let (input, kernelTensor) = try smallMatrixAndKernel()
      let stride = try window.parsedStride()
      guard stride.rows == stride.cols, (1...3).contains(stride.rows) else {
        throw CLIFailure("the transposed screen takes one --stride from 1 to 3 (got '\(window.stride)')")
      }
      let padding: Int
      switch try window.parsedPadding() {
      case .valid: padding = 0
      case .explicit(let n) where n <= 3: padding = n
      default: throw CLIFailure("the transposed screen takes --padding valid or a number from 0 to 3 (the cells cropped from each side)")
      }
      if let t = input, t.shape[1] > 6 || t.shape[2] > 6 {
        throw CLIFailure("the transposed screen shows an input of up to 6x6 (this one is \(t.shape[1])x\(t.shape[2]))")
      }
      var screen = TransposedScreen(stride: stride.rows, padding: padding)
      if input != nil || kernelTensor != nil {
        screen = TransposedScreen(input: input ?? screen.input, kernel: kernelTensor ?? screen.kernel, stride: stride.rows, padding: padding)
      }
      return screen
    default:
      if digit != nil { throw CLIFailure("--digit belongs to --screen network") }
      return nil
    }
  }

  /// `--model NAME|FILE` (default: the built-in digits model), `--digit N` or `--image FILE`.
  private func networkScreen() throws -> NetworkScreen {
    if digit != nil && image != nil { throw CLIFailure("give --digit or --image, not both") }
    let model: NetworkActivations.Model
    do {
      model = try NetworkActivations.Model.load(training.model ?? "digits")
    } catch {
      throw CLIFailure("--model: \(error)")
    }
    if let image {
      let picture = try ImageFile.read(image).image
      do {
        return try NetworkScreen.picture(picture, name: URL(fileURLWithPath: image).lastPathComponent, model: model)
      } catch {
        throw CLIFailure("\(image): \(error)")
      }
    }
    let digits = TestDigits.load()
    if let digit {
      guard model.inputShape == [28, 28, 1] else {
        throw CLIFailure("--digit shows an MNIST digit: the model takes \(ShapeText.compact(model.inputShape)) inputs; use --image")
      }
      guard let digits else {
        throw CLIFailure("--digit needs the MNIST test set: download it with `convplay data fetch mnist` (or set CONVPLAY_DATA)")
      }
      guard (0..<digits.count).contains(digit) else {
        throw CLIFailure("--digit must be between 0 and \(digits.count - 1) (got \(digit))")
      }
    }
    guard model.inputShape == [28, 28, 1] else {
      throw CLIFailure("this model takes \(ShapeText.compact(model.inputShape)) inputs: give a picture with --image")
    }
    return NetworkScreen(model: model, digits: digits, digit: digit ?? 0)
  }

  /// `--matrix` and `--kernel` for the one-channel lessons: 3 to 12 rows and columns, 1 to 5.
  private func smallMatrixAndKernel() throws -> (Tensor?, Tensor?) {
    let input = try matrix.matrix.map { _ in try matrix.load() }
    let kernelTensor = try kernel.map { try KernelOptions.resolve($0) }
    for (t, what, range) in [(input, "matrix", 3...12), (kernelTensor, "kernel", 1...5)] {
      guard let t else { continue }
      if t.shape[0] != 1 {
        throw CLIFailure("--screen \(screen.rawValue) takes a one-channel \(what) (this one has \(t.shape[0]) channels)")
      }
      if !range.contains(t.shape[1]) || !range.contains(t.shape[2]) {
        throw CLIFailure("the playground shows a \(what) of \(range.lowerBound) to \(range.upperBound) rows and columns (this one is \(t.shape[1])x\(t.shape[2])); use 'convplay step' for larger ones")
      }
    }
    return (input, kernelTensor)
  }
}
