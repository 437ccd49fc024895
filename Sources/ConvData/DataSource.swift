import ConvImageIO
import ConvKit
import Foundation

/// How `folder:PATH` images are read: Keras's image_dataset_from_directory settings
/// (`image_size`, `color_mode`, `validation_split`, `seed`).
public struct FolderSettings: Sendable, Equatable, Hashable {
  public var height: Int
  public var width: Int
  public var gray: Bool
  /// Fraction of the shuffled files held out as the test set.
  public var validationSplit: Double
  public var seed: UInt64
  /// `--label-pattern`: classes from file names (the regular expression's first group)
  /// instead of subfolders.
  public var labelPattern: String?

  public init(
    height: Int = 128, width: Int = 128, gray: Bool = false, validationSplit: Double = 0.2, seed: UInt64 = 1337,
    labelPattern: String? = nil
  ) {
    self.height = height
    self.width = width
    self.gray = gray
    self.validationSplit = validationSplit
    self.seed = seed
    self.labelPattern = labelPattern
  }

  /// How the classes are named, checked (a pattern must compile and have a group).
  public func labels() throws(DataError) -> ImageFolderDataset.Labels {
    do { return try ImageFolderDataset.Labels(pattern: labelPattern) } catch { throw DataError(error.description) }
  }

  /// `HxW` (`--image-size`) and `rgb`/`gray` (`--color`), checked.
  public init(
    size: String, color: String, validationSplit: Double = 0.2, seed: UInt64 = 1337, labelPattern: String? = nil
  ) throws(DataError) {
    let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts.allSatisfy({ $0 >= 1 && $0 <= 4096 }) else {
      throw DataError("--image-size must be HxW with sides 1-4096, e.g. 128x128 (got \(size))")
    }
    guard color == "rgb" || color == "gray" else { throw DataError("--color must be rgb or gray (got \(color))") }
    guard validationSplit >= 0 && validationSplit < 1 else { throw DataError("--folder-split must be in [0, 1)") }
    self.init(
      height: parts[0], width: parts[1], gray: color == "gray", validationSplit: validationSplit, seed: seed,
      labelPattern: labelPattern)
    _ = try labels()
  }
}

/// A data set once loaded: the splits, the name of each class (label = index), and the files
/// a folder data set had to skip.
public struct LoadedDataset: Sendable {
  public var splits: DatasetSplits
  public var classNames: [String]
  public var skipped: [String]
  /// A folder's own train/ and test/ were used (no random split).
  public var givenSplit: Bool

  public init(splits: DatasetSplits, classNames: [String], skipped: [String] = [], givenSplit: Bool = false) {
    self.splits = splits
    self.classNames = classNames
    self.skipped = skipped
    self.givenSplit = givenSplit
  }
}

/// Where training images come from: an IDX set (MNIST, Fashion-MNIST), CIFAR-10's binary
/// batches, or a folder with one subfolder per class (`folder:PATH`). One type for `train`,
/// `evaluate`, `finetune` and the training dashboard, so they accept the same names.
public enum DataSource: Sendable, Equatable, Hashable {
  case idx(Dataset)
  case cifar10
  case folder(String)

  public static let mnist = DataSource.idx(.mnist)
  public static let fashionMNIST = DataSource.idx(.fashionMNIST)
  /// The data sets known by name (a folder is any path).
  public static let named: [DataSource] = Dataset.allCases.map { .idx($0) } + [.cifar10]

  /// `--dataset` text: `mnist`, `fashion-mnist`, `cifar10` (or `cifar-10`), `folder:PATH`.
  public init(parsing name: String) throws(DataError) {
    if name.lowercased().hasPrefix("folder:") {
      let path = String(name.dropFirst("folder:".count))
      guard !path.isEmpty else { throw DataError("--dataset folder:PATH needs a folder, e.g. folder:photos/fingers") }
      self = .folder(path)
      return
    }
    if name.lowercased() == CIFAR10.name || name.lowercased() == "cifar-10" {
      self = .cifar10
      return
    }
    guard let d = Dataset(rawValue: name.lowercased()) else {
      throw DataError("unknown data set '\(name)': choose \(Self.choices)")
    }
    self = .idx(d)
  }

  /// The name `--dataset` takes (and a saved model's metadata keeps).
  public var rawValue: String {
    switch self {
    case .idx(let d): return d.rawValue
    case .cifar10: return CIFAR10.name
    case .folder(let p): return "folder:" + p
    }
  }

  public var displayName: String {
    switch self {
    case .idx(let d): return d.displayName
    case .cifar10: return CIFAR10.displayName
    case .folder(let p): return p
    }
  }

  public static var choices: String { (named.map(\.rawValue) + ["folder:PATH"]).joined(separator: ", ") }

  /// `[H, W, C]` of the images, known before loading them (so a model can be checked first).
  public func imageShape(folder: FolderSettings = FolderSettings()) -> FeatureShape {
    switch self {
    case .idx: return [28, 28, 1]
    case .cifar10: return [CIFAR10.side, CIFAR10.side, 3]
    case .folder: return [folder.height, folder.width, folder.gray ? 1 : 3]
    }
  }

  /// Class names known without reading the images (a folder's come from its subfolders).
  public var knownClassNames: [String]? {
    switch self {
    case .idx(let d): return d.classNames
    case .cifar10: return CIFAR10.classNames
    case .folder: return nil
    }
  }

  /// Class names before loading: known ones, or a folder's subfolders (nil if unreadable).
  public var classNamesBeforeLoading: [String]? { classNamesBeforeLoading(folder: FolderSettings()) }

  /// Class names before loading: known ones, or a folder's (its subfolders', or with a label
  /// pattern its file names'); nil if unreadable.
  public func classNamesBeforeLoading(folder: FolderSettings) -> [String]? {
    if case .folder(let p) = self {
      guard let labels = try? folder.labels() else { return nil }
      return try? ImageFolderDataset.classNames(in: p, labels: labels)
    }
    return knownClassNames
  }

  /// `data fetch` can download it (a folder is the user's own).
  public var isFetchable: Bool { if case .folder = self { return false } else { return true } }

  /// Throws what is missing, phrased with how to get it, when the data set is not there.
  public func check(_ locator: DatasetLocator, folder: FolderSettings = FolderSettings()) throws {
    switch self {
    case .idx(let d): _ = try locator.locate(d)
    case .cifar10: _ = try CIFAR10.locate(locator)
    case .folder(let p):
      let labels = try folder.labels()
      do { _ = try ImageFolderDataset.classNames(in: p, labels: labels) } catch { throw DataError(error.description) }
    }
  }

  /// Loads the training and test sets (a folder's test set is its `test/` subfolder, or else
  /// its seeded validation split), keeping the first `limit` training images and the first
  /// `testLimit` test images when given: a short training run is still measured on the whole
  /// test set unless asked otherwise.
  public func load(
    _ locator: DatasetLocator, limit: Int? = nil, testLimit: Int? = nil, folder: FolderSettings = FolderSettings()
  ) throws -> LoadedDataset {
    if let limit, limit < 1 { throw DataError("--limit must be at least 1 (got \(limit))") }
    if let testLimit, testLimit < 1 { throw DataError("--test-limit must be at least 1 (got \(testLimit))") }
    var loaded: LoadedDataset
    switch self {
    case .idx(let d): loaded = LoadedDataset(splits: try locator.load(d), classNames: d.classNames)
    case .cifar10:
      loaded = LoadedDataset(splits: try CIFAR10.load(locator, limit: limit, testLimit: testLimit), classNames: CIFAR10.classNames)
    case .folder(let path):
      let f: ImageFolderDataset
      let labels = try folder.labels()
      do {
        f = try ImageFolderDataset.load(
          path, height: folder.height, width: folder.width, gray: folder.gray, validationSplit: folder.validationSplit,
          seed: folder.seed, labels: labels)
      } catch {
        throw DataError(error.description)
      }
      loaded = LoadedDataset(
        splits: DatasetSplits(training: f.training, test: f.validation), classNames: f.classNames, skipped: f.skipped,
        givenSplit: f.givenSplit)
    }
    if let limit { loaded.splits.training = loaded.splits.training.prefix(limit) }
    if let testLimit { loaded.splits.test = loaded.splits.test.prefix(testLimit) }
    return loaded
  }

  /// Downloads it into `destination` (`data fetch`), reporting (file, bytes, total) progress.
  public func fetch(to destination: URL, progress: @escaping @Sendable (String, Int64, Int64?) -> Void) throws {
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    switch self {
    case .idx(let d):
      var fetcher = DatasetFetcher(dataset: d, destination: destination)
      fetcher.progress = progress
      try fetcher.run()
    case .cifar10: try CIFAR10.fetch(to: destination, progress: progress)
    case .folder(let p): throw DataError("\(p) is a folder of your own: there is nothing to download")
    }
  }

  /// Where `data fetch` puts it by default.
  public func cacheDirectory(_ locator: DatasetLocator) -> URL {
    switch self {
    case .idx(let d): return locator.cacheDirectory(for: d)
    default: return locator.cacheDirectory(named: rawValue)
    }
  }

  /// The files a download brings, for a progress line ("file 2 of 4").
  public var downloadFiles: [String] {
    switch self {
    case .idx(let d): return d.files.map { $0.name + ".gz" }
    case .cifar10: return ["cifar-10-binary.tar.gz"]
    case .folder: return []
    }
  }
}
