import ArgumentParser
import ConvImageIO
import ConvKit
import Foundation

/// `convplay info`: what a file holds and what convplay reads from it.
struct InfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Show an image's size, channels and bit depth, and the values convplay reads.",
    discussion: """
      Example:
        convplay info photo.jpg
      Each file is decoded in full, so a damaged file is reported as such.
      """)

  @Argument(help: ArgumentHelp("PNG, JPEG or NumPy .npy files.", valueName: "image"))
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
    let source = d.info.format == .npy ? "as np.load returns it" : "as skimage.io.imread returns it"
    var text = "\(file) (rows, columns\(fileChannels == 1 ? "" : ", channels")) \(source)"
    let mine = shape(d.image.channels)
    if mine != file { text += "; convplay works on \(mine)" }
    if fileChannels > 1 { text += "; as_gray=True gives \(shape(1))" }
    return text
  }

  static func describe(_ d: DecodedImage, path: String) -> String {
    let info = d.info
    let image = d.image
    var depth = "\(info.bitDepth)-bit"
    if let type = info.sampleType { depth = type }
    var layout = [String]()
    if info.format == .png { layout.append(info.interlaced ? "interlaced (Adam7)" : "not interlaced") }
    if info.format == .jpeg { layout.append(info.interlaced ? "progressive" : "baseline") }
    var readAs =
      image.channels == 1 ? "1 channel (gray)" : "\(image.channels) channels (R, G, B)"
    if info.hasAlpha { readAs += ", alpha composited on white" }
    if info.color == .palette { readAs += ", palette expanded" }
    if info.format != .npy && info.bitDepth == 16 { readAs += ", 16-bit values / 257" }
    let names = image.channels == 1 ? ["gray"] : ["R", "G", "B"]
    var lines = [
      "file:     \(path)",
      "format:   \(info.format.rawValue), \(depth) \(info.color.rawValue)"
        + (layout.isEmpty ? "" : ", " + layout.joined(separator: ", ")),
      "size:     \(image.width) x \(image.height) (\(NumberText.grouped(image.pixelCount)) pixels, \(megapixels(image.pixelCount)))",
      "read as:  \(readAs)",
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
          "  \(name)  min \(NumberText.format(low))  mean \(String(format: "%.1f", sum / Double(n)))  max \(NumberText.format(high))")
      }
    }
    return lines.joined(separator: "\n")
  }
}
