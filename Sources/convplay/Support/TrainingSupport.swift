import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import Foundation

/// `--dataset`, `--data`, `--limit` (and, for folders, `--image-size`, `--color`,
/// `--folder-split`, `--folder-seed`, `--label-pattern`): which images a command trains or
/// evaluates on.
struct DatasetOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp(localized("mnist, fashion-mnist, cifar10 or folder:PATH (one subfolder per class)."), valueName: localized("NAME")))
  var dataset: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      localized("Folder with the data set's files (default: $CONVPLAY_DATA, then ~/.cache/convplay/datasets/NAME)."),
      valueName: localized("DIR")))
  var data: String?

  @Option(name: .long, help: ArgumentHelp(localized("Train on the first N training images only (the test set stays whole; see --test-limit)."), valueName: localized("N")))
  var limit: Int?

  @Option(name: .long, help: ArgumentHelp(localized("Evaluate on the first N test images only (default: the whole test set)."), valueName: localized("N")))
  var testLimit: Int?

  @Option(name: .long, help: ArgumentHelp(localized("folder: size every image is resized to (bilinear)."), valueName: localized("HxW")))
  var imageSize = "128x128"

  @Option(name: .long, help: ArgumentHelp(localized("folder: rgb or gray."), valueName: localized("MODE")))
  var color = "rgb"

  @Option(name: .long, help: ArgumentHelp(localized("folder: fraction of the (seeded, shuffled) images used as the test set (a folder with train/ and test/ is used as given)."), valueName: localized("F")), transform: finiteDouble)
  var folderSplit: Double = 0.2

  @Option(name: .long, help: ArgumentHelp(localized("folder: seed of the shuffle before the split."), valueName: localized("N")))
  var folderSeed: UInt64 = 1337

  @Option(
    name: .long,
    help: ArgumentHelp(
      localized("folder: classes from file names instead of subfolders; the first group is the class, e.g. '_([0-5])[LR]\\.png$'."),
      valueName: localized("REGEX")))
  var labelPattern: String?

  func resolveDataset(default fallback: String = "mnist") throws -> DataSource {
    do { return try DataSource(parsing: dataset ?? fallback) } catch { throw CLIFailure(error.description) }
  }

  /// `--limit` and `--test-limit` as a model file records them ("all" when not given), so a
  /// saved accuracy says which test images it was measured on.
  var limitsMetadata: [String: String] {
    ["training_limit": limit.map(String.init) ?? "all", "test_limit": testLimit.map(String.init) ?? "all"]
  }

  /// `[H, W, C]` of the data set's images, known before loading them (so a bad model is
  /// reported before a missing data set).
  func imageShape(_ dataset: DataSource) throws -> FeatureShape {
    dataset.imageShape(folder: try folderSettings())
  }

  /// `--image-size`, `--color`, `--folder-split` and `--folder-seed`, checked.
  func folderSettings() throws -> FolderSettings {
    do {
      return try FolderSettings(
        size: imageSize, color: color, validationSplit: folderSplit, seed: folderSeed, labelPattern: labelPattern)
    } catch {
      throw CLIFailure(error.description)
    }
  }

  /// Loads the data set (limited if asked); for a folder, says what it found and warns on
  /// stderr about files it had to skip.
  /// `evaluate` reads only the test set, so there `--limit` (as `--test-limit`) cuts the test set.
  func load(_ dataset: DataSource, evaluating: Bool = false) throws -> DatasetSplits {
    try loadWithClasses(dataset, evaluating: evaluating).splits
  }

  /// `load`, with the class names the data set gave (a folder's subfolders or file-name classes).
  func loadWithClasses(_ dataset: DataSource, evaluating: Bool = false) throws -> LoadedDataset {
    if let limit, limit < 1 { throw CLIFailure("--limit must be at least 1 (got \(limit))") }
    if let testLimit, testLimit < 1 { throw CLIFailure("--test-limit must be at least 1 (got \(testLimit))") }
    let settings = try folderSettings()
    let loaded = try dataset.load(
      DatasetLocator(explicitDirectory: data), limit: evaluating ? 1 : limit,
      testLimit: evaluating ? (testLimit ?? limit) : testLimit, folder: settings)
    if case .folder(let path) = dataset {
      if !loaded.skipped.isEmpty {
        FileHandle.standardError.write(Data(
          "convplay: warning: skipped \(loaded.skipped.count) unreadable image file(s); first: \(loaded.skipped[0])\n".utf8))
      }
      let (training, test) = (loaded.splits.training.count, loaded.splits.test.count)
      let how = loaded.givenSplit ? "train/ and test/ as given" : "split with seed \(settings.seed)"
      print("\(path): \(training + test) images in \(loaded.classNames.count) classes (\(loaded.classNames.joined(separator: ", "))); "
        + "\(training) for training, \(test) for testing (\(how))")
    }
    // Before any work: an empty set trains on nothing and reports an accuracy of nothing (-nan).
    if !evaluating && loaded.splits.training.count == 0 {
      throw CLIFailure("\(dataset.displayName): no training images: there is nothing to train on")
    }
    if loaded.splits.test.count == 0 {
      throw CLIFailure(
        "\(dataset.displayName): no test images: the accuracy would be measured on nothing"
          + (isFolder(dataset) ? " (give the folder more images per class, or a larger --folder-split)" : ""))
    }
    return loaded
  }
}

/// Resolves `--model` through ModelResolver (the one resolver the playground uses too): a zoo
/// name (its head resized to `classes`), a file holding a spec, or spec text, on `inputShape`.
func resolveModel(_ text: String, inputShape: FeatureShape, classes: Int? = nil) throws -> (name: String, spec: SequentialSpec) {
  do {
    let m = try ModelResolver.resolve(text, inputShape: inputShape, classes: classes)
    return (m.name, m.spec)
  } catch {
    throw CLIFailure(error.description)
  }
}

/// The same for any model: a zoo name, a Sequential spec, or a graph spec with named branches
/// (`add(a, b)`, `concatenate(a, b)`; see examples/specs/), through ModelResolver.
func resolveGraphModel(_ text: String, inputShape: FeatureShape, classes: Int? = nil) throws -> GraphSpec {
  do {
    return try ModelResolver.resolveGraph(text, inputShape: inputShape, classes: classes).graph
  } catch {
    throw CLIFailure(error.description)
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

/// The most epochs `train` and `finetune` run: more is a typing mistake that would run for days.
let maxEpochs = 100_000

private func isFolder(_ dataset: DataSource) -> Bool {
  if case .folder = dataset { return true }
  return false
}
