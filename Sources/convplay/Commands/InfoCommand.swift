import ArgumentParser
import ConvImageIO
import ConvKit
import Foundation

/// `convplay info`: what a file holds and what convplay reads from it.
struct InfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: localized("Show an image's size, channels and bit depth, and the values convplay reads."),
    discussion: localized("""
      Example:
        convplay info photo.jpg
      Each file is decoded in full, so a damaged file is reported as such.
      """))

  @Argument(help: ArgumentHelp(localized("PNG, JPEG or NumPy .npy files."), valueName: localized("image")))
  var images: [String]

  @OptionGroup var limit: PixelLimitOptions

  func validate() throws {
    if images.isEmpty { throw ValidationError("give at least one image") }
  }

  func run() throws {
    var failed = false
    for (i, path) in images.enumerated() {
      do {
        let decoded = try limit.read(path)
        if i > 0 { print() }
        print(Self.describe(decoded, path: path))
      } catch {
        printError(String(describing: error))
        failed = true
      }
    }
    if failed { throw ExitCode(1) }
  }

  /// The array shape a Python user sees: NumPy orders (rows, columns, channels), the reverse of
  /// "width x height". skimage.io.imread keeps the file's channels (gray has none, alpha is a
  /// fourth); convplay's own array (alpha composited) follows when it differs.
  static func numpyShapes(_ d: DecodedImage) -> String {
    let (h, w) = (d.image.height, d.image.width)
    func shape(_ channels: Int) -> String { channels == 1 ? "(\(h), \(w))" : "(\(h), \(w), \(channels))" }
    let fileChannels: Int
    switch d.info.color {
    case .gray: fileChannels = 1
    case .grayAlpha: fileChannels = 2
    case .rgb: fileChannels = 3
    case .rgbAlpha, .cmyk: fileChannels = 4
    case .palette: fileChannels = d.info.hasAlpha ? 4 : 3
    }
    let file = shape(fileChannels)
    let source = d.info.format == .npy ? localized("as np.load returns it") : localized("as skimage.io.imread returns it")
    var text = "\(file) " + (fileChannels == 1 ? localized("(rows, columns)") : localized("(rows, columns, channels)")) + " \(source)"
    let mine = shape(d.image.channels)
    if mine != file { text += localized("; convplay works on {0}", mine) }
    if fileChannels > 1 { text += localized("; as_gray=True gives {0}", shape(1)) }
    return text
  }

  static func describe(_ d: DecodedImage, path: String) -> String {
    let info = d.info
    let image = d.image
    var depth = "\(info.bitDepth)-bit"
    if let type = info.sampleType { depth = type }
    var layout = [String]()
    if info.format == .png { layout.append(info.interlaced ? localized("interlaced (Adam7)") : localized("not interlaced")) }
    if info.format == .jpeg { layout.append(info.interlaced ? localized("progressive") : localized("baseline")) }
    var readAs =
      image.channels == 1 ? localized("1 channel (gray)") : localized("{0} channels (R, G, B)", "\(image.channels)")
    if info.hasAlpha { readAs += localized(", alpha composited on white") }
    if info.color == .palette { readAs += localized(", palette expanded") }
    if info.format != .npy && info.bitDepth == 16 { readAs += localized(", 16-bit values / 257") }
    let names = image.channels == 1 ? [localized("gray")] : ["R", "G", "B"]
    var lines = [
      localized("file:     {0}", path),
      localized("format:   {0}", "\(info.format.rawValue), \(depth) \(localized(info.color.rawValue))"
        + (layout.isEmpty ? "" : ", " + layout.joined(separator: ", "))),
      localized("size:     {0} x {1} ({2} pixels, {3})", "\(image.width)", "\(image.height)",
        grouped(image.pixelCount), megapixels(image.pixelCount)),
      localized("read as:  {0}", readAs),
      "numpy:    " + numpyShapes(d),
    ]
    let n = image.pixelCount
    image.samples.withUnsafeBufferPointer { s in
      for c in 0..<image.channels {
        var low = Float.infinity
        var high = -Float.infinity
        var sum = 0.0
        for v in s[(c * n)..<((c + 1) * n)] {
          low = min(low, v)
          high = max(high, v)
          sum += Double(v)
        }
        let name = names[c].padding(toLength: 4, withPad: " ", startingAt: 0)
        lines.append(
          localized("  {0}  min {1}  mean {2}  max {3}", name, NumberText.format(low), String(format: "%.1f", sum / Double(n)), NumberText.format(high)))
      }
    }
    return lines.joined(separator: "\n")
  }
}
