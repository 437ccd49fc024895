import ConvKit
import Foundation

/// Keras's `image_dataset_from_directory`: one subfolder per class (classes sorted by name), or
/// classes read from file names with a pattern; `train/` and `test/` subfolders used as given,
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
  /// True when the folder had `train/` and `test/`, used as given (no random split).
  public var givenSplit: Bool = false

  public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

  /// How a folder data set names its classes: one subfolder per class (Keras's
  /// `image_dataset_from_directory`), or the first capture group of a regular expression
  /// searched in each file's name (`--label-pattern`, as the fingers set's `..._3L.png`).
  public enum Labels: @unchecked Sendable {
    case subfolders
    case pattern(NSRegularExpression)

    /// `--label-pattern` text, checked: it must compile and have a capture group.
    public init(pattern: String?) throws(ImageError) {
      guard let pattern else {
        self = .subfolders
        return
      }
      let regex: NSRegularExpression
      do { regex = try NSRegularExpression(pattern: pattern) } catch {
        throw .io("--label-pattern \(pattern) is not a regular expression")
      }
      guard regex.numberOfCaptureGroups >= 1 else {
        throw .io("--label-pattern \(pattern) has no capture group: put the class in parentheses, e.g. _([0-5])[LR]\\.png$")
      }
      self = .pattern(regex)
    }

    /// The class a file name gives, or nil when the pattern does not match it.
    func label(ofFileNamed name: String) -> String? {
      guard case .pattern(let regex) = self else { return nil }
      let range = NSRange(name.startIndex..., in: name)
      guard let m = regex.firstMatch(in: name, range: range), m.range(at: 1).location != NSNotFound,
        let r = Range(m.range(at: 1), in: name)
      else { return nil }
      return String(name[r])
    }
  }

  /// Where the training and test images are: `PATH/train` and `PATH/test` when both exist (a
  /// data set as Kaggle ships it, used as given), else PATH itself, split with a seed.
  public static func splitFolders(of path: String) -> (train: String, test: String)? {
    let fm = FileManager.default
    var a: ObjCBool = false
    var b: ObjCBool = false
    let train = URL(fileURLWithPath: path).appendingPathComponent("train").path
    let test = URL(fileURLWithPath: path).appendingPathComponent("test").path
    guard fm.fileExists(atPath: train, isDirectory: &a), a.boolValue,
      fm.fileExists(atPath: test, isDirectory: &b), b.boolValue
    else { return nil }
    return (train, test)
  }

  /// The class names of `path`, sorted by name, as the labels 0, 1, 2... are given: its
  /// subfolders (hidden ones left out; `train/`'s when it has train/ and test/), or with a
  /// pattern the classes its files' names give. Cheap: nothing is decoded (the training
  /// screen's summary).
  public static func classNames(in path: String, labels: Labels = .subfolders) throws(ImageError) -> [String] {
    try checkFolder(path)
    if let split = splitFolders(of: path) {
      if case .pattern = labels {
        let files = try labeledFiles(in: split.train, labels: labels) + labeledFiles(in: split.test, labels: labels)
        return Set(files.map(\.1)).sorted()
      }
      return try subfolderClasses(in: split.train)
    }
    if case .pattern = labels { return Set(try labeledFiles(in: path, labels: labels).map(\.1)).sorted() }
    return try subfolderClasses(in: path)
  }

  static func checkFolder(_ path: String) throws(ImageError) {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
      throw .io("\(path): no such folder (folder:PATH needs a folder with one subfolder per class, or train/ and test/)")
    }
  }

  static func subfolderClasses(in path: String) throws(ImageError) -> [String] {
    let fm = FileManager.default
    let root = URL(fileURLWithPath: path)
    guard let names = try? fm.contentsOfDirectory(atPath: path) else { throw .io("\(path): cannot list the folder") }
    let classes = names.filter { n in
      var d: ObjCBool = false
      return !n.hasPrefix(".") && fm.fileExists(atPath: root.appendingPathComponent(n).path, isDirectory: &d) && d.boolValue
    }.sorted()
    guard !classes.isEmpty else {
      throw .io("\(path): no class subfolders (expected PATH/CLASS/IMAGE.png ..., or --label-pattern to read classes from file names)")
    }
    return classes
  }

  static func isImage(_ name: String) -> Bool {
    !name.hasPrefix(".") && extensions.contains(URL(fileURLWithPath: name).pathExtension.lowercased())
  }

  /// Every image file under `path` (sorted, subfolders included) with the class its name gives;
  /// one line naming how many files the pattern missed and one of them.
  static func labeledFiles(in path: String, labels: Labels) throws(ImageError) -> [(String, String)] {
    guard let all = filesBelow(path) else { throw .io("\(path): cannot list the folder") }
    let images = all.filter { isImage(URL(fileURLWithPath: $0).lastPathComponent) }.sorted()
    guard !images.isEmpty else { throw .io("\(path): no .png or .jpg files") }
    var out: [(String, String)] = []
    var missed: [String] = []
    for relative in images {
      if let label = labels.label(ofFileNamed: URL(fileURLWithPath: relative).lastPathComponent) {
        out.append((URL(fileURLWithPath: path).appendingPathComponent(relative).path, label))
      } else {
        missed.append(relative)
      }
    }
    if !missed.isEmpty, case .pattern(let regex) = labels {
      throw .io("\(missed.count) of \(images.count) files in \(path) do not match --label-pattern \(regex.pattern) (e.g. \(missed[0]))")
    }
    return out
  }

  /// Every file below `path` (paths relative to it), entering each folder once: folders are
  /// told apart by device and inode, so a symbolic link back up the tree (`a/loop -> ..`) is
  /// not walked again and again. Links to files are followed; dangling links are left out.
  static func filesBelow(_ path: String) -> [String]? {
    var visited = Set<[UInt64]>()
    var out: [String] = []
    func visit(_ dir: String, _ relative: String) -> Bool {
      var info = stat()
      guard stat(dir, &info) == 0 else { return false }
      guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return true }
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return false }
      for name in names.sorted() {
        let full = dir + "/" + name
        let inside = relative.isEmpty ? name : relative + "/" + name
        var entry = stat()
        guard stat(full, &entry) == 0 else { continue }
        if (entry.st_mode & S_IFMT) == S_IFDIR {
          _ = visit(full, inside)
        } else {
          out.append(inside)
        }
      }
      return true
    }
    return visit(path, "") ? out : nil
  }

  /// Image files of `path` with their class index: from the class subfolders `classes`, or
  /// from the file names (classes not in `classes` are an error: a test set's own class).
  static func files(in path: String, labels: Labels, classes: [String]) throws(ImageError) -> [(String, Int)] {
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    if case .pattern = labels {
      return try labeledFiles(in: path, labels: labels).map { (file, name) throws(ImageError) in
        guard let i = index[name] else { throw .io("\(file): class \(name) is not among \(classes.joined(separator: ", "))") }
        return (file, i)
      }
    }
    let fm = FileManager.default
    let root = URL(fileURLWithPath: path)
    let present = try subfolderClasses(in: path)
    if let extra = present.first(where: { index[$0] == nil }) {
      throw .io("\(root.appendingPathComponent(extra).path): class \(extra) is not in the training folder")
    }
    var files: [(String, Int)] = []
    for c in present {
      let dir = root.appendingPathComponent(c)
      let inside = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).filter(isImage).sorted()
      files += inside.map { (dir.appendingPathComponent($0).path, index[c]!) }
    }
    guard !files.isEmpty else { throw .io("\(path): no .png or .jpg files in its class subfolders") }
    return files
  }

  /// Loads `path`. `gray` converts colour with BT.601 weights (what tf.image.rgb_to_grayscale
  /// uses) and turns gray files into 3 equal channels otherwise. With `train/` and `test/`
  /// subfolders those are the training and validation (test) sets as given, shuffled with the
  /// seed; else the shuffled files are split by `validationSplit`.
  public static func load(
    _ path: String, height: Int, width: Int, gray: Bool, validationSplit: Double, seed: UInt64,
    labels: Labels = .subfolders
  ) throws(ImageError) -> ImageFolderDataset {
    let classes = try classNames(in: path, labels: labels)
    var rng = RandomSource(seed: seed)
    var skipped: [String] = []
    if let split = splitFolders(of: path) {
      var train = try files(in: split.train, labels: labels, classes: classes)
      var test = try files(in: split.test, labels: labels, classes: classes)
      train.shuffle(using: &rng)
      test.shuffle(using: &rng)
      let training = try decode(train, from: split.train, height: height, width: width, gray: gray, skipped: &skipped)
      let validation = try decode(test, from: split.test, height: height, width: width, gray: gray, skipped: &skipped)
      return ImageFolderDataset(
        classNames: classes, training: training, validation: validation, skipped: skipped, givenSplit: true)
    }
    var all = try files(in: path, labels: labels, classes: classes)
    all.shuffle(using: &rng)
    let images = try decode(all, from: path, height: height, width: width, gray: gray, skipped: &skipped)
    let held = Int((Double(images.count) * validationSplit).rounded(.down))
    return ImageFolderDataset(
      classNames: classes, training: images.gather(0..<(images.count - held)),
      validation: images.gather((images.count - held)..<images.count), skipped: skipped, givenSplit: false)
  }

  /// Decodes, converts and resizes `files` into `[N, H, W, C]` in [0, 1]; unreadable files are
  /// added to `skipped`.
  static func decode(
    _ files: [(String, Int)], from path: String, height: Int, width: Int, gray: Bool,
    skipped: inout [String]
  ) throws(ImageError) -> LabeledImages {
    let channels = gray ? 1 : 3
    let size = height * width * channels
    var pixels = [Float]()
    pixels.reserveCapacity(files.count * size)
    var labels: [Int] = []
    var failed = 0
    var firstFailure: String?
    for (file, label) in files {
      let decoded: DecodedImage
      do { decoded = try ImageFile.read(file, maxPixels: 50_000_000) } catch {
        skipped.append(error.description)
        failed += 1
        if firstFailure == nil { firstFailure = error.description }
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
      throw .corrupt("\(path): none of its \(files.count) image files could be read (first: \(firstFailure ?? "?"))")
    }
    return LabeledImages(images: Tensor(shape: [labels.count, height, width, channels], scalars: pixels), labels: labels)
  }
}
