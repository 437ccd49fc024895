import ArgumentParser
import ConvImageIO
import ConvKit
import Foundation

/// `convplay channels`: the three matrices of a colour photo, as the course shows them.
struct ChannelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "channels",
    abstract: localized("Split a colour photo into its R, G and B matrices and write each as an image."),
    discussion: localized("""
      Writes into the output directory (created if missing):
        red.png green.png blue.png      each channel tinted like matplotlib's
                                        Reds / Greens / Blues (0 light, 255 dark)
        red-gray.png green-gray.png     each channel as a plain gray image
        blue-gray.png
      Example:
        convplay channels photo.jpg --out-dir channels/
      """))

  @OptionGroup var input: ImageInputOptions

  @Option(name: .long, help: ArgumentHelp(localized("Directory for the six images."), valueName: localized("dir")))
  var outDir: String

  func run() throws {
    try reportingErrors {
      let decoded = try input.load()
      let image = decoded.image
      guard image.channels == 3 else {
        throw CLIFailure(
          "\(input.image): is a gray image (one channel): there are no R, G, B channels to split")
      }
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: outDir, isDirectory: &isDir) {
        guard isDir.boolValue else { throw CLIFailure("\(outDir): exists and is not a directory") }
      } else {
        do {
          try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        } catch {
          throw CLIFailure("\(outDir): cannot create the directory")
        }
      }
      // All six are written as a set: a failure in one leaves none of them.
      var files: [(path: String, bytes: [UInt8])] = []
      for (c, (name, map)) in [("red", Colormap.reds), ("green", .greens), ("blue", .blues)].enumerated() {
        let plane = image.channel(c)
        let base = (outDir as NSString).appendingPathComponent(name)
        files.append((base + ".png", try ImageFile.encoded(map.tint(plane), as: .png)))
        files.append((base + "-gray.png", try ImageFile.encoded(plane, as: .png)))
      }
      try ImageFile.writeAllAtomically(files)
      let names = files.map { ($0.path as NSString).lastPathComponent }
      print("\(outDir): \(names.joined(separator: " ")) (\(image.width)x\(image.height))")
    }
  }
}
