import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import ConvPretrained
import Foundation

/// `convplay predict`: classify a user's photo of a digit, like Keras's `decode_predictions`.
struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: localized("Classify a photo or scan of one handwritten digit: the top 3 with probabilities."),
    discussion: localized("""
      Example:
        convplay predict my-digit.png
        convplay predict my-digit.png --explain --explain-out cam.png
        1. 7   0.9731
        2. 1   0.0142
        3. 9   0.0061
      The image is prepared the way MNIST was made: gray, light digit on a dark background
      (dark ink on paper is inverted), cropped to the digit, scaled to fit 20x20, centred by
      mass in 28x28. --show prints that 28x28 input. Without --weights, the built-in model.
      """))

  @Argument(help: ArgumentHelp(localized("A PNG, JPEG or .npy image."), valueName: localized("IMAGE")))
  var image: String

  @Option(
    name: .long,
    help: ArgumentHelp(localized("Weights: a model saved by `convplay train --save`, Keras .h5/.keras, PyTorch .pth, safetensors or .npz (default: the built-in model)."),
      valueName: localized("FILE")))
  var weights: String?

  @Option(name: .long, help: ArgumentHelp(localized("The architecture of a --weights file that does not state one (a model spec or spec file, on 28x28x1)."), valueName: localized("SPEC")))
  var arch: String?

  @Option(name: .long, help: ArgumentHelp(localized("How many classes to list."), valueName: localized("N")))
  var top = 3

  @Flag(name: .long, help: helpText("Also print the 28x28 input the network sees."))
  var show = false

  @OptionGroup var explainOptions: ExplainOptions


  func validate() throws {
    if arch != nil && weights == nil { throw ValidationError("--arch describes a --weights file: give --weights FILE too") }
    guard top >= 1 else { throw ValidationError("--top must be at least 1") }
  }

  func run() throws {
    try reportingErrors {
      try explainOptions.checkOutputPaths()
      let (network, meta) = try weights.map { try loadTrainableWeights($0, arch: arch, input: "28x28x1") } ?? DefaultModel.load()
      guard network.inputShape == [28, 28, 1] else {
        throw CLIFailure("the model takes \(ShapeText.compact(network.inputShape)) inputs; predict prepares 28x28x1 digits")
      }
      let decoded = try ImageFile.read(image)
      let pixels: [Float]
      let seen: Image
      do {
        (pixels, seen) = try ClassifierInput.digit.prepare(decoded.image, inputShape: network.inputShape)
      } catch let e as ClassifierInput.Failure {
        throw CLIFailure("\(image): \(e.description)")
      }
      if show {
        let ramp = Array(" .:-=+*#%@")
        for y in 0..<28 {
          print(String((0..<28).map { x in ramp[min(9, Int(pixels[y * 28 + x] * 9.99))] }))
        }
      }
      let probabilities = network.predict(Tensor(shape: [1, 28, 28, 1], scalars: pixels)).scalars
      // The class names saved with the model, else its data set's (files saved before names were kept).
      let saved = meta[ModelFile.classesKey].map { TextLines.split($0).map(String.init) }
      let names = saved.flatMap { $0.count == network.classes ? $0 : nil }
        ?? Dataset(rawValue: meta["dataset"] ?? "mnist")?.classNames ?? (0..<network.classes).map(String.init)
      let width = names.map(\.count).max() ?? 1
      for (rank, entry) in DigitPreprocessing.top(min(top, probabilities.count), of: probabilities).enumerated() {
        let name = entry.label < names.count ? names[entry.label] : String(entry.label)
        print("\(rank + 1). \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(NumberText.probability(entry.probability))")
      }
      if explainOptions.wanted {
        let map = try network.gradCAM(
          image: pixels, classIndex: try explainOptions.classIndex(names: names),
          layerIndex: try explainOptions.layerIndex(network.layers))
        try explainOptions.report(map, image: seen, names: names, lang: CommandLineLanguage.current)
      }
    }
  }
}
