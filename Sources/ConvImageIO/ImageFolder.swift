import ConvKit
import Foundation

/// Keras's `image_dataset_from_directory`: one subfolder per class (classes sorted by name),
/// PNG/JPEG files resized to one size, colour or gray, shuffled with a seed and split into
/// training and validation subsets (the validation subset is the last `validationSplit` of the
/// shuffled files). Images are `[N, H, W, C]` in [0, 1] (pixel / 255, as MNIST and CIFAR-10 are
/// scaled here; Keras leaves 0-255 and adds a Rescaling layer). Files that do not decode are
/// skipped and counted, not fatal.
public struct ImageFolderDataset: Sendable {
  public var classNames: [String]
  public var training: LabeledImages
  public var validation: LabeledImages
  /// Files that could not be read, with why.
  public var skipped: [String]

  public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

  /// The class names of `path`: its subfolders (hidden ones left out), sorted by name, as the
  /// labels 0, 1, 2... are given. Cheap: nothing is decoded (the training screen's summary).
  public static func classNames(in path: String) throws(ImageError) -> [String] {
    let fm = FileManager.default
    let root = URL(fileURLWithPath: path)
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
      throw .io("\(path): no such folder (folder:PATH needs a folder with one subfolder per class)")
    }
    guard let names = try? fm.contentsOfDirectory(atPath: path) else { throw .io("\(path): cannot list the folder") }
    let classes = names.filter { n in
      var d: ObjCBool = false
      return !n.hasPrefix(".") && fm.fileExists(atPath: root.appendingPathComponent(n).path, isDirectory: &d) && d.boolValue
    }.sorted()
    guard !classes.isEmpty else { throw .io("\(path): no class subfolders (expected PATH/CLASS/IMAGE.png ...)") }
    return classes
  }

  /// Loads `path`. `gray` converts colour with BT.601 weights (what tf.image.rgb_to_grayscale
  /// uses) and turns gray files into 3 equal channels otherwise.
  public static func load(
    _ path: String, height: Int, width: Int, gray: Bool, validationSplit: Double, seed: UInt64
  ) throws(ImageError) -> ImageFolderDataset {
    let fm = FileManager.default
    let root = URL(fileURLWithPath: path)
    let classes = try classNames(in: path)
    var files: [(String, Int)] = []
    for (label, c) in classes.enumerated() {
      let dir = root.appendingPathComponent(c)
      let inside = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).filter {
        !$0.hasPrefix(".") && extensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased())
      }.sorted()
      files += inside.map { (dir.appendingPathComponent($0).path, label) }
    }
    guard !files.isEmpty else { throw .io("\(path): no .png or .jpg files in its class subfolders") }
    var rng = RandomSource(seed: seed)
    files.shuffle(using: &rng)

    let channels = gray ? 1 : 3
    let size = height * width * channels
    var pixels = [Float]()
    pixels.reserveCapacity(files.count * size)
    var labels: [Int] = []
    var skipped: [String] = []
    for (file, label) in files {
      let decoded: DecodedImage
      do { decoded = try ImageFile.read(file, maxPixels: 50_000_000) } catch {
        skipped.append(error.description)
        continue
      }
      var image = decoded.image
      if gray {
        image = GrayMethod.bt601.convert(image)
      } else if image.channels == 1 {
        image = Image(width: image.width, height: image.height, channels: 3, samples: image.samples + image.samples + image.samples)
      }
      image = image.resizedBilinear(height: height, width: width)
      // Planar [C, H, W] in 0...255 to interleaved [H, W, C] in [0, 1].
      let plane = height * width
      let s = image.samples
      for p in 0..<plane {
        for c in 0..<channels { pixels.append(s[c * plane + p] / 255) }
      }
      labels.append(label)
    }
    guard !labels.isEmpty else {
      throw .corrupt("\(path): none of its \(files.count) image files could be read (first: \(skipped.first ?? "?"))")
    }
    let all = LabeledImages(images: Tensor(shape: [labels.count, height, width, channels], scalars: pixels), labels: labels)
    let held = Int((Double(all.count) * validationSplit).rounded(.down))
    return ImageFolderDataset(
      classNames: classes, training: all.gather(0..<(all.count - held)),
      validation: all.gather((all.count - held)..<all.count), skipped: skipped)
  }
}
