import ArgumentParser
import ConvImageIO
import ConvKit
import Foundation

/// `--max-pixels`: the size limit every command that reads images takes.
struct PixelLimitOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      localized("Refuse images with more pixels than this (checked from the header, before decoding)."),
      valueName: localized("n")))
  var maxPixels: Int = ImageCodec.defaultMaxPixels

  func read(_ path: String) throws -> DecodedImage {
    if maxPixels < 1 { throw CLIFailure("--max-pixels must be at least 1 (got \(maxPixels))") }
    return try ImageFile.read(path, maxPixels: maxPixels)
  }
}

/// The input photo and the pixel limit, shared by `gray`, `channels` and `filter`.
struct ImageInputOptions: ParsableArguments {
  @Argument(help: ArgumentHelp(localized("A PNG, JPEG or NumPy .npy image."), valueName: localized("image")))
  var image: String

  @OptionGroup var limit: PixelLimitOptions

  func load() throws -> DecodedImage {
    try limit.read(image)
  }
}

/// Refuses an output path before any work is done: unknown extension or missing directory.
func checkOutputPath(_ path: String) throws -> ImageFile.OutputKind {
  guard let kind = ImageFile.OutputKind(path: path) else {
    throw CLIFailure("\(path): output name must end in .png, .jpg, .jpeg or .npy")
  }
  let dir = (path as NSString).deletingLastPathComponent
  var isDir: ObjCBool = false
  if !dir.isEmpty, !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue) {
    throw CLIFailure("\(path): the directory '\(dir)' does not exist")
  }
  return kind
}

/// `0.14 MP` or `12.0 MP`.
func megapixels(_ pixels: Int) -> String {
  String(format: pixels < 1_000_000 ? "%.2f MP" : "%.1f MP", Double(pixels) / 1e6)
}
