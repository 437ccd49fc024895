import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import Foundation

/// `--explain`, `--explain-out`, `--explain-npy`, `--class`, `--explain-layer`: Grad-CAM of
/// classify and predict ("why did it say tiger?").
struct ExplainOptions: ParsableArguments {
  @Flag(name: .long, help: helpText("Show where the network looked (Grad-CAM of the last convolutional layer) over the image, in the terminal."))
  var explain = false

  @Option(name: .long, help: ArgumentHelp(localized("Write the image with the Grad-CAM heat map blended over it (PNG)."), valueName: localized("FILE.png")))
  var explainOut: String?

  @Option(name: .long, help: ArgumentHelp(localized("Write the raw Grad-CAM map at the layer's resolution (float32 .npy)."), valueName: localized("FILE.npy")))
  var explainNpy: String?

  @Option(name: .customLong("class"), help: ArgumentHelp(localized("The class Grad-CAM explains (default: the top one)."), valueName: localized("NAME|INDEX")))
  var explainClass: String?

  @Option(name: .long, help: ArgumentHelp(localized("The layer Grad-CAM looks at (default: the last convolution, with its activation)."), valueName: localized("NAME")))
  var explainLayer: String?

  var wanted: Bool { explain || explainOut != nil || explainNpy != nil }

  /// The map's output files, checked before the network is loaded (issue 19: no work lost to an
  /// unwritable path).
  func checkOutputPaths() throws {
    try checkOutputs([("--explain-out", explainOut), ("--explain-npy", explainNpy)], createsFolders: true)
  }

  func validate() throws {
    if !wanted && (explainClass != nil || explainLayer != nil) {
      throw ValidationError("--class and --explain-layer go with --explain, --explain-out or --explain-npy")
    }
    if let explainOut, !explainOut.lowercased().hasSuffix(".png") {
      throw ValidationError("--explain-out must name a .png file (got '\(explainOut)')")
    }
    if let explainNpy, !explainNpy.lowercased().hasSuffix(".npy") {
      throw ValidationError("--explain-npy must name a .npy file (got '\(explainNpy)')")
    }
  }

  /// The class index `--class` names among `names` (a name, case-insensitive, or an index).
  func classIndex(names: [String]) throws -> Int? {
    guard let explainClass else { return nil }
    if let i = Int(explainClass) {
      guard i >= 0 && i < names.count else {
        throw CLIFailure("--class \(i) is not a class of this model (0-\(names.count - 1))")
      }
      return i
    }
    let wanted = explainClass.lowercased()
    guard let i = names.firstIndex(where: { $0.lowercased() == wanted }) else {
      throw CLIFailure("--class '\(explainClass)' is not one of the model's class names" + suggestionText(explainClass, among: names))
    }
    return i
  }

  /// The layer `--explain-layer` names, as an index of `layers`.
  func layerIndex(_ layers: [NetworkLayer]) throws -> Int? {
    guard let explainLayer else { return nil }
    guard let i = layers.firstIndex(where: { $0.name == explainLayer }) else {
      throw CLIFailure("--explain-layer: the model has no layer '\(explainLayer)'")
    }
    return i
  }

  /// Prints and writes what was asked for one map. `image` is what the network saw (0...255,
  /// at its input size); `names` are the class names.
  func report(_ map: GradCAMMap, image: Image, names: [String], lang: Lang, plain: Bool = false) throws {
    let name = map.classIndex < names.count ? names[map.classIndex] : String(map.classIndex)
    print(T.exHeader.text(lang, [name, NumberText.probability(map.probability), map.layer, String(map.height), String(map.width)]))
    if explain {
      let color = !plain && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      for line in GradCAMPicture.terminal(map, over: image, color: color) { print(line) }
      print(T.exLegend.text(lang))
    }
    if let explainOut {
      let overlay = GradCAMPicture.overlay(map, over: image)
      try ImageFile.write(overlay, to: explainOut)
      print(T.exSavedPNG.text(lang, [explainOut]))
    }
    if let explainNpy {
      try AtomicFile.write(Data(NumPyFile.encode(map.values, shape: [map.height, map.width])), to: URL(fileURLWithPath: explainNpy))
      print(T.exSavedNPY.text(lang, [String(map.height), String(map.width), explainNpy]))
    }
  }
}

/// Grad-CAM maps drawn: blended over the image (PNG) or in the terminal.
enum GradCAMPicture {
  /// matplotlib's "jet" colour (blue -> cyan -> yellow -> red) of x in 0...1, 0...255.
  static func jet(_ x: Float) -> (Float, Float, Float) {
    func c(_ v: Float) -> Float { min(max(v, 0), 1) * 255 }
    return (c(1.5 - abs(4 * x - 3)), c(1.5 - abs(4 * x - 2)), c(1.5 - abs(4 * x - 1)))
  }

  /// The map (scaled to 0...1 by its maximum) upsampled bilinearly to `size`.
  static func upsampled(_ map: GradCAMMap, height: Int, width: Int) -> [Float] {
    let m = Image(width: map.width, height: map.height, channels: 1, samples: map.normalized)
    return m.resizedBilinear(height: height, width: width).samples
  }

  /// Keras's Grad-CAM example: the jet-coloured map at 40 % over the image at 60 %. Small
  /// images (MNIST's 28x28) are enlarged (nearest neighbour) so the picture can be seen.
  static func overlay(_ map: GradCAMMap, over image: Image) -> Image {
    var base = image
    let k = max(1, 224 / max(image.width, image.height))
    if k > 1 { base = base.resizedNearest(height: image.height * k, width: image.width * k) }
    let (h, w) = (base.height, base.width)
    let heat = upsampled(map, height: h, width: w)
    let n = h * w
    let s = base.samples
    var out = [Float](repeating: 0, count: 3 * n)
    for p in 0..<n {
      let (r, g, b) = jet(heat[p])
      let rgb = [r, g, b]
      for c in 0..<3 {
        let v = base.channels == 1 ? s[p] : s[c * n + p]
        out[c * n + p] = min(255, max(0, 0.6 * v + 0.4 * rgb[c]))
      }
    }
    return Image(width: w, height: h, channels: 3, samples: out)
  }

  /// Lines for the terminal: with colour, the overlay in half blocks (two pixel rows per line,
  /// at most 64 columns); without, the map alone in characters from " .:-=+*#%@".
  static func terminal(_ map: GradCAMMap, over image: Image, color: Bool) -> [String] {
    let columns = min(64, max(map.width * 2, 16))
    let rows = max(1, Int((Double(columns) * Double(image.height) / Double(image.width) / 2).rounded()))
    if color {
      let picture = overlay(map, over: image).resizedBilinear(height: rows * 2, width: columns)
      let n = picture.pixelCount
      let s = picture.samples
      func rgb(_ p: Int) -> String { "\(Int(s[p]));\(Int(s[n + p]));\(Int(s[2 * n + p]))" }
      return (0..<rows).map { y in
        (0..<columns).map { x in
          "\u{1B}[38;2;\(rgb(2 * y * columns + x))m\u{1B}[48;2;\(rgb((2 * y + 1) * columns + x))m▀"
        }.joined() + "\u{1B}[0m"
      }
    }
    let ramp = Array(" .:-=+*#%@")
    let heat = upsampled(map, height: rows, width: columns)
    return (0..<rows).map { y in
      String((0..<columns).map { x in ramp[min(9, Int(heat[y * columns + x] * 9.99))] })
    }
  }
}
