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
