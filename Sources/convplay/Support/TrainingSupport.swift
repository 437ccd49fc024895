import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import Foundation

/// Where training images come from: an IDX set (MNIST, Fashion-MNIST), CIFAR-10's binary
/// batches, or a folder with one subfolder per class (`folder:PATH`).
enum DataSource: Equatable {
  case idx(Dataset)
  case cifar10
  case folder(String)

  /// The name `--dataset` takes (and a saved model's metadata keeps).
  var rawValue: String {
    switch self {
    case .idx(let d): return d.rawValue
    case .cifar10: return CIFAR10.name
    case .folder(let p): return "folder:" + p
    }
  }

  var displayName: String {
    switch self {
    case .idx(let d): return d.displayName
    case .cifar10: return CIFAR10.displayName
    case .folder(let p): return p
    }
  }

  static var choices: String { (Dataset.allCases.map(\.rawValue) + [CIFAR10.name, "folder:PATH"]).joined(separator: ", ") }
}

/// `--dataset`, `--data`, `--limit` (and, for folders, `--image-size`, `--color`,
/// `--folder-split`): which images a command trains or evaluates on.
struct DatasetOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("mnist, fashion-mnist, cifar10 or folder:PATH (one subfolder per class).", valueName: "NAME"))
  var dataset: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Folder with the data set's files (default: $CONVPLAY_DATA, then ~/.cache/convplay/datasets/NAME).",
      valueName: "DIR"))
  var data: String?

  @Option(name: .long, help: ArgumentHelp("Use only the first N training and N test images.", valueName: "N"))
  var limit: Int?

  @Option(name: .long, help: ArgumentHelp("folder: size every image is resized to (bilinear).", valueName: "HxW"))
  var imageSize = "128x128"

  @Option(name: .long, help: ArgumentHelp("folder: rgb or gray.", valueName: "MODE"))
  var color = "rgb"

  @Option(name: .long, help: ArgumentHelp("folder: fraction of the (seeded, shuffled) images used as the test set.", valueName: "F"))
  var folderSplit: Double = 0.2

  @Option(name: .long, help: ArgumentHelp("folder: seed of the shuffle before the split.", valueName: "N"))
  var folderSeed: UInt64 = 1337

  func resolveDataset(default fallback: String = "mnist") throws -> DataSource {
    let name = dataset ?? fallback
    if name.lowercased().hasPrefix("folder:") {
      let path = String(name.dropFirst("folder:".count))
      guard !path.isEmpty else { throw CLIFailure("--dataset folder:PATH needs a folder, e.g. folder:photos/fingers") }
      return .folder(path)
    }
    if name.lowercased() == CIFAR10.name || name.lowercased() == "cifar-10" { return .cifar10 }
    guard let d = Dataset(rawValue: name.lowercased()) else {
      throw CLIFailure("unknown data set '\(name)': choose \(DataSource.choices)")
    }
    return .idx(d)
  }

  /// `[H, W, C]` of the data set's images, known before loading them (so a bad model is
  /// reported before a missing data set).
  func imageShape(_ dataset: DataSource) throws -> FeatureShape {
    switch dataset {
    case .idx: return [28, 28, 1]
    case .cifar10: return [CIFAR10.side, CIFAR10.side, 3]
    case .folder:
      let size = try folderSize()
      return [size.height, size.width, color == "gray" ? 1 : 3]
    }
  }

  /// `--image-size HxW` and `--color`, checked.
  func folderSize() throws -> (height: Int, width: Int) {
    let parts = imageSize.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts.allSatisfy({ $0 >= 1 && $0 <= 4096 }) else {
      throw CLIFailure("--image-size must be HxW with sides 1-4096, e.g. 128x128 (got \(imageSize))")
    }
    guard color == "rgb" || color == "gray" else { throw CLIFailure("--color must be rgb or gray (got \(color))") }
    return (parts[0], parts[1])
  }

  /// Loads the data set (limited if asked).
  func load(_ dataset: DataSource) throws -> DatasetSplits {
    if let limit, limit < 1 { throw CLIFailure("--limit must be at least 1 (got \(limit))") }
    var splits: DatasetSplits
    switch dataset {
    case .idx(let d): splits = try DatasetLocator(explicitDirectory: data).load(d)
    case .cifar10: splits = try CIFAR10.load(DatasetLocator(explicitDirectory: data), limit: limit)
    case .folder(let path):
      let folder = try loadFolder(path)
      splits = DatasetSplits(training: folder.training, test: folder.validation)
    }
    if let limit {
      splits.training = splits.training.prefix(limit)
      splits.test = splits.test.prefix(limit)
    }
    return splits
  }

  /// `folder:PATH` as Keras's image_dataset_from_directory reads it; warns on stderr about
  /// files it had to skip.
  func loadFolder(_ path: String) throws -> ImageFolderDataset {
    let size = try folderSize()
    guard folderSplit >= 0 && folderSplit < 1 else { throw CLIFailure("--folder-split must be in [0, 1)") }
    let folder: ImageFolderDataset
    do {
      folder = try ImageFolderDataset.load(
        path, height: size.height, width: size.width, gray: color == "gray", validationSplit: folderSplit, seed: folderSeed)
    } catch {
      throw CLIFailure(error.description)
    }
    if !folder.skipped.isEmpty {
      FileHandle.standardError.write(Data(
        "convplay: warning: skipped \(folder.skipped.count) unreadable image file(s); first: \(folder.skipped[0])\n".utf8))
    }
    print("\(path): \(folder.training.count + folder.validation.count) images in \(folder.classNames.count) classes (\(folder.classNames.joined(separator: ", "))); "
      + "\(folder.training.count) for training, \(folder.validation.count) for testing")
    return folder
  }
}

/// Resolves `--model`: a name from the model zoo, a file holding a model spec, or spec text
/// (`conv2d(32,3,relu) -> maxpool(2) -> flatten -> dense(10,softmax)`) on `inputShape`.
func resolveModel(_ text: String, inputShape: FeatureShape) throws -> (name: String, spec: SequentialSpec) {
  if let entry = ModelZoo.named(text) {
    // The zoo's models are written for MNIST; the same layers take CIFAR-10's or a folder's shape.
    return (entry.name, SequentialSpec(inputShape: inputShape, layers: entry.spec.layers))
  }
  var isDirectory: ObjCBool = false
  let isFile = FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) && !isDirectory.boolValue
  guard isFile || text.contains("(") || text.contains("->") || text.contains("\n") else {
    let names = ModelZoo.all.map(\.name).joined(separator: ", ")
    throw CLIFailure("unknown model '\(text)': choose one of \(names), or write a spec such as \"flatten -> dense(10, softmax)\"")
  }
  let source = isFile ? text : nil
  let specText = isFile ? try readText(text) : text
  do {
    let spec = try ModelSpecParser.parse(specText, inputShape: inputShape)
    return (source.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? "model", spec)
  } catch let e as ModelSpecParseError {
    throw CLIFailure((source.map { $0 + ": " } ?? "model spec: ") + e.description)
  }
}

/// Keras-like progress on a terminal (a bar per epoch, redrawn in place) or one line per epoch.
final class TrainingProgress {
  let interactive: Bool
  private var lastDraw: ContinuousClock.Instant?
  private let clock = ContinuousClock()
  private var batches = 0

  init(plain: Bool) {
    interactive = !plain && isatty(STDOUT_FILENO) == 1
  }

  func handle(_ event: TrainingEvent) {
    switch event {
    case .epochStarted(let epoch, let epochs, let batches):
      if interactive { print("Epoch \(epoch)/\(epochs)") }
      lastDraw = nil
      self.batches = batches
    case .batchEnded(_, let batch, let batches, let loss, let accuracy, let seconds):
      guard interactive else { return }
      let now = clock.now
      if batch < batches, let last = lastDraw, now - last < .milliseconds(100) { return }
      lastDraw = now
      let width = 30
      let filled = batches == 0 ? width : width * batch / batches
      let bar = String(repeating: "=", count: max(0, filled - 1)) + (filled > 0 ? (batch == batches ? "=" : ">") : "")
        + String(repeating: ".", count: width - filled)
      let eta = batch > 0 ? seconds / Double(batch) * Double(batches - batch) : 0
      let digits = String(batches).count
      let steps = String(repeating: " ", count: max(0, digits - String(batch).count)) + "\(batch)/\(batches)"
      let time = batch == batches ? "\(Int(seconds.rounded()))s" : "ETA: \(Int(eta.rounded()))s"
      let line = "\(steps) [\(bar)] - \(time) - loss: \(fixed(loss)) - accuracy: \(fixed(accuracy))"
      print("\r" + line, terminator: "")
      fflush(nil)
    case .epochEnded(let m):
      var parts: [String] = []
      if interactive {
        // Keras's closing line: the full bar, the epoch's time and the time per step.
        let perStep = m.seconds / Double(max(batches, 1)) * 1000
        parts.append(
          "\r\u{1B}[K\(batches)/\(batches) [\(String(repeating: "=", count: 30))] - \(Int(m.seconds.rounded()))s \(Int(perStep.rounded()))ms/step")
      } else {
        parts.append("epoch \(m.epoch) - \(String(format: "%.1f", m.seconds))s")
      }
      parts.append("loss: \(fixed(m.loss))")
      parts.append("accuracy: \(fixed(m.accuracy))")
      if let v = m.validationLoss { parts.append("val_loss: \(fixed(v))") }
      if let v = m.validationAccuracy { parts.append("val_accuracy: \(fixed(v))") }
      print(parts.joined(separator: " - "))
      fflush(nil)
    }
  }
}

/// Four decimals, as Keras prints metrics.
func fixed(_ x: Double) -> String { String(format: "%.4f", x) }

/// A Double as JSON (shortest round-trip text; null when not finite).
func jsonNumber(_ x: Double?) -> String {
  guard let x, x.isFinite else { return "null" }
  return "\(x)"
}
