import ConvImageIO
import Foundation

/// Keras 3's `.keras` file: a zip holding `config.json` (the architecture), `metadata.json`
/// and `model.weights.h5` (Keras 3's HDF5 weights layout, read by `KerasH5`).
public enum KerasArchive {
  /// config.json larger than this is refused (MobileNet's is 130 kB).
  static let maxConfigBytes: UInt64 = 64 << 20

  public static func read(_ url: URL) throws -> KerasFileContents {
    let zip = try ZipArchive(url)
    guard zip.entryNames.contains("config.json"), zip.entryNames.contains("model.weights.h5") else {
      throw ImportError("\(zip.name): a zip, but not a .keras model (no config.json and model.weights.h5)")
    }
    let config = try KerasModelConfig.parse(json: try zip.data("config.json", maxBytes: maxConfigBytes))
    // libhdf5 reads files: the weights go to a private temporary file, removed at once after
    // (and by the SIGTERM/SIGINT handler if the import is stopped: VGG16's is 528 MB).
    let temp = FileManager.default.temporaryDirectory
      .appendingPathComponent("convplay-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).weights.h5")
    let slot = TemporaryFiles.register(temp.path)
    defer {
      try? FileManager.default.removeItem(at: temp)
      TemporaryFiles.unregister(slot)
    }
    try zip.extract("model.weights.h5", to: temp)
    var contents: KerasFileContents
    do {
      contents = try KerasH5.read(temp)
    } catch {
      let text = String(describing: error).replacingOccurrences(of: temp.lastPathComponent, with: "model.weights.h5")
      throw ImportError("\(zip.name): \(text)")
    }
    contents.config = config
    return contents
  }

  /// The architecture only (for `convplay summary model.keras`).
  public static func config(_ url: URL) throws -> KerasModelConfig {
    let zip = try ZipArchive(url)
    return try KerasModelConfig.parse(json: try zip.data("config.json", maxBytes: maxConfigBytes))
  }
}
