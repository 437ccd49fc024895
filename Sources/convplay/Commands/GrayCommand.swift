import ArgumentParser
import ConvImageIO
import ConvKit

/// `convplay gray`: one gray matrix from a colour photo.
struct GrayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gray",
    abstract: localized("Convert a photo to gray (one matrix) and write it as PNG, JPEG or .npy."),
    discussion: localized("""
      Methods (on 0-255 values, in float32, not rounded before writing .npy):
        average     (R + G + B) / 3
        luminance   0.3 R + 0.59 G + 0.11 B   (the course's; the default)
        bt601       0.299 R + 0.587 G + 0.114 B
      Example:
        convplay gray photo.jpg --method luminance --out gray.png
      """))

  @OptionGroup var input: ImageInputOptions

  @Option(name: .long, help: helpText("How R, G and B are combined (none is refused here: it keeps the colours)."))
  var method: GrayMethod = .luminance

  @Option(name: .long, help: ArgumentHelp(localized("Output file: .png, .jpg or .npy (raw float32)."), valueName: localized("file")))
  var out: String

  func run() throws {
    try reportingErrors {
      try checkOutputs([("--out", out)])
      guard method != .none else { throw CLIFailure("--method must be average, luminance or bt601: none keeps the colours") }
      let gray = method
      _ = try checkOutputPath(out)
      let decoded = try input.load()
      let result = gray.convert(decoded.image)
      try ImageFile.write(result, to: out, normalization: .clip)
      let note = decoded.image.channels == 1 ? " (the input was already gray)" : ""
      print("\(out): \(result.summary), \(gray.rawValue)\(note)")
    }
  }
}
