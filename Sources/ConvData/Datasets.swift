import ConvKit
import Foundation

/// The data sets `train --dataset` and `data fetch` know: MNIST and Fashion-MNIST, both four
/// IDX files of 28x28 gray images with labels 0-9.
public enum Dataset: String, CaseIterable, Sendable {
  case mnist
  case fashionMNIST = "fashion-mnist"

  /// One of the four files, with the checksums its publishers list.
  public struct File: Sendable {
    /// Base name without `.gz`: `train-images-idx3-ubyte`.
    public var name: String
    /// MD5 of the uncompressed file, when published (MNIST).
    public var rawMD5: String?
    /// MD5 of the `.gz` file, when published (Fashion-MNIST).
    public var gzipMD5: String?
  }

  /// MNIST's checksums are those of the uncompressed files (its mirrors recompress the .gz
  /// files differently); Fashion-MNIST publishes the MD5s of its .gz files.
  public var files: [File] {
    switch self {
    case .mnist:
      return [
        File(name: "train-images-idx3-ubyte", rawMD5: "6bbc9ace898e44ae57da46a324031adb"),
        File(name: "train-labels-idx1-ubyte", rawMD5: "a25bea736e30d166cdddb491f175f624"),
        File(name: "t10k-images-idx3-ubyte", rawMD5: "2646ac647ad5339dbf082846283269ea"),
        File(name: "t10k-labels-idx1-ubyte", rawMD5: "27ae3e4e09519cfbb04c329615203637"),
      ]
    case .fashionMNIST:
      return [
        File(name: "train-images-idx3-ubyte", gzipMD5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        File(name: "train-labels-idx1-ubyte", gzipMD5: "25c81989df183df01b3e8a0aad5dffbe"),
        File(name: "t10k-images-idx3-ubyte", gzipMD5: "bef4ecab320f06d8554ea6380940ec79"),
        File(name: "t10k-labels-idx1-ubyte", gzipMD5: "bb300cfdad3c16e7a12a480ee83cd310"),
      ]
    }
  }

  /// The public mirror `data fetch` downloads from (Keras's own download locations).
  public var defaultBaseURL: String {
    switch self {
    case .mnist: return "https://storage.googleapis.com/cvdf-datasets/mnist/"
    case .fashionMNIST: return "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
    }
  }

  /// Where a system package puts the files, if one exists (Debian's dataset-fashion-mnist).
  public var systemDirectory: String? {
    self == .fashionMNIST ? "/usr/share/datasets/fashion-mnist" : nil
  }

  /// Label names: digits for MNIST, clothing for Fashion-MNIST.
  public var classNames: [String] {
    switch self {
    case .mnist: return (0..<10).map(String.init)
    case .fashionMNIST:
      return ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    }
  }

  public var displayName: String { self == .mnist ? "MNIST" : "Fashion-MNIST" }
}

/// The data set's training and test sets.
public struct DatasetSplits: Sendable {
  public var training: LabeledImages
  public var test: LabeledImages

  public init(training: LabeledImages, test: LabeledImages) {
    self.training = training
    self.test = test
  }
}

/// Errors finding, loading or downloading data, phrased with what to do next.
public struct DataError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// Finds a data set's files: --data, then $CONVPLAY_DATA, then the user cache
/// (~/.cache/convplay/datasets/NAME, or $XDG_CACHE_HOME), then a system package's folder.
/// A given folder may hold the files itself or a NAME subfolder with them.
public struct DatasetLocator: Sendable {
  public var explicitDirectory: String?
  public var environment: [String: String]

  public init(explicitDirectory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.explicitDirectory = explicitDirectory
    self.environment = environment
  }

  /// `~/.cache/convplay/datasets/NAME`, where `data fetch` puts downloads.
  public func cacheDirectory(for dataset: Dataset) -> URL { cacheDirectory(named: dataset.rawValue) }

  /// `~/.cache/convplay/datasets/NAME` for any data set name (CIFAR-10 is not an IDX set).
  public func cacheDirectory(named name: String) -> URL {
    let cache: URL
    if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
      cache = URL(fileURLWithPath: xdg)
    } else {
      let home = environment["HOME"] ?? NSHomeDirectory()
      cache = URL(fileURLWithPath: home).appendingPathComponent(".cache")
    }
    return cache.appendingPathComponent("convplay/datasets/\(name)")
  }

  /// Folders searched, in order.
  public func candidates(for dataset: Dataset) -> [URL] {
    var roots: [URL] = []
    if let d = explicitDirectory {
      roots.append(URL(fileURLWithPath: d))
    } else {
      if let env = environment["CONVPLAY_DATA"], !env.isEmpty { roots.append(URL(fileURLWithPath: env)) }
      roots.append(cacheDirectory(for: dataset))
      if let s = dataset.systemDirectory { roots.append(URL(fileURLWithPath: s)) }
    }
    return roots.flatMap { [$0, $0.appendingPathComponent(dataset.rawValue)] }
  }

  /// The path of one file in `directory`, gzipped or not, if present.
  public static func path(of file: Dataset.File, in directory: URL) -> URL? {
    let fm = FileManager.default
    for candidate in [file.name + ".gz", file.name] {
      let u = directory.appendingPathComponent(candidate)
      if fm.fileExists(atPath: u.path) { return u }
    }
    return nil
  }

  /// The first folder holding all four files.
  public func locate(_ dataset: Dataset) throws -> URL {
    let places = candidates(for: dataset)
    if let found = places.first(where: { dir in dataset.files.allSatisfy { Self.path(of: $0, in: dir) != nil } }) {
      return found
    }
    let looked = explicitDirectory.map { "in \($0)" } ?? "in $CONVPLAY_DATA, \(cacheDirectory(for: dataset).path)" + (dataset.systemDirectory.map { " or \($0)" } ?? "")
    var how = "download it with `convplay data fetch \(dataset.rawValue)`"
    if dataset == .fashionMNIST { how += " (or `apt-get install dataset-fashion-mnist`)" }
    throw DataError(
      "the \(dataset.displayName) data set was not found \(looked): \(how), "
        + "or pass --data DIR with its four IDX files (train-images-idx3-ubyte[.gz] ...)")
  }

  /// Loads training and test sets, pixels scaled to [0, 1], shaped `[N, 28, 28, 1]`, once
  /// their files are checked against the published MD5s (`DatasetVerification`).
  public func load(_ dataset: Dataset) throws -> DatasetSplits {
    let dir = try locate(dataset)
    // CONVPLAY_TRUST_DATA=1: files made in MNIST's format on purpose (a class's own digits, a
    // test's synthetic set) are read as they are; the published-MD5 check is skipped.
    if ProcessInfo.processInfo.environment["CONVPLAY_TRUST_DATA"] != "1" {
      try DatasetVerification(locator: self).check(dataset, in: dir)
    }
    func array(_ i: Int) throws -> IDXArray {
      try IDXArray(contentsOf: Self.path(of: dataset.files[i], in: dir)!)
    }
    let training = try LabeledImages(images: array(0), labels: array(1), name: "\(dataset.displayName) training set")
    let test = try LabeledImages(images: array(2), labels: array(3), name: "\(dataset.displayName) test set")
    return DatasetSplits(training: training, test: test)
  }
}
