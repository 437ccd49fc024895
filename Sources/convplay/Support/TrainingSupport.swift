import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import Foundation

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
    do { return try DataSource(parsing: dataset ?? fallback) } catch { throw CLIFailure(error.description) }
  }

  /// `[H, W, C]` of the data set's images, known before loading them (so a bad model is
  /// reported before a missing data set).
  func imageShape(_ dataset: DataSource) throws -> FeatureShape {
    dataset.imageShape(folder: try folderSettings())
  }

  /// `--image-size`, `--color`, `--folder-split` and `--folder-seed`, checked.
  func folderSettings() throws -> FolderSettings {
    do {
      return try FolderSettings(size: imageSize, color: color, validationSplit: folderSplit, seed: folderSeed)
    } catch {
      throw CLIFailure(error.description)
    }
  }

  /// Loads the data set (limited if asked); for a folder, says what it found and warns on
  /// stderr about files it had to skip.
  func load(_ dataset: DataSource) throws -> DatasetSplits {
    if let limit, limit < 1 { throw CLIFailure("--limit must be at least 1 (got \(limit))") }
    let settings = try folderSettings()
    let loaded = try dataset.load(DatasetLocator(explicitDirectory: data), limit: limit, folder: settings)
    if case .folder(let path) = dataset {
      if !loaded.skipped.isEmpty {
        FileHandle.standardError.write(Data(
          "convplay: warning: skipped \(loaded.skipped.count) unreadable image file(s); first: \(loaded.skipped[0])\n".utf8))
      }
      let (training, test) = (loaded.splits.training.count, loaded.splits.test.count)
      print("\(path): \(training + test) images in \(loaded.classNames.count) classes (\(loaded.classNames.joined(separator: ", "))); "
        + "\(training) for training, \(test) for testing")
    }
    return loaded.splits
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

/// The same for any model: a zoo name, a Sequential spec, or a graph spec with named branches
/// (`add(a, b)`, `concatenate(a, b)`; see examples/specs/).
func resolveGraphModel(_ text: String, inputShape: FeatureShape) throws -> GraphSpec {
  if ModelZoo.named(text) != nil { return try resolveModel(text, inputShape: inputShape).spec.graph() }
  var isDirectory: ObjCBool = false
  let isFile = FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) && !isDirectory.boolValue
  guard isFile || text.contains("(") || text.contains("->") || text.contains("\n") else {
    return try resolveModel(text, inputShape: inputShape).spec.graph()
  }
  let specText = isFile ? try readText(text) : text
  let name = isFile ? URL(fileURLWithPath: text).deletingPathExtension().lastPathComponent : "model"
  do {
    return try ModelSpecParser.parseGraph(specText, inputShape: inputShape, name: name)
  } catch let e as ModelSpecParseError {
    throw CLIFailure((isFile ? text + ": " : "model spec: ") + e.description)
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
