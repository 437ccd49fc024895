import ConvImageIO
import ConvKit
import Foundation

/// CIFAR-10's binary version: five training batches and one test batch of 10,000 records each;
/// a record is 1 label byte (0-9) then 3072 pixel bytes: the 32x32 red plane, then green, then
/// blue, each row-major. Loaded as `[N, 32, 32, 3]` (NHWC) values in [0, 1], pixel / 255 as
/// MNIST is scaled.
public enum CIFAR10 {
  public static let name = "cifar10"
  public static let displayName = "CIFAR-10"
  public static let side = 32
  public static let recordSize = 1 + 3 * 32 * 32
  public static let trainingFiles = (1...5).map { "data_batch_\($0).bin" }
  public static let testFile = "test_batch.bin"
  public static var files: [String] { trainingFiles + [testFile] }
  /// The tarball `data fetch cifar10` downloads, and the MD5 its publisher lists.
  public static let tarballURL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
  public static let tarballMD5 = "c32a1d4ab5d03f1284b67883e8d87530"
  /// The subfolder the tarball unpacks into.
  public static let tarballFolder = "cifar-10-batches-bin"
  public static let classNames = [
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
  ]

  /// Decodes one batch file's bytes. Throws when the size is not a whole number of records or a
  /// label is not 0-9.
  public static func decodeBatch(_ data: Data, name: String = "CIFAR-10 batch") throws -> LabeledImages {
    guard !data.isEmpty, data.count % recordSize == 0 else {
      throw DataError(
        "\(name): \(data.count) bytes is not a whole number of CIFAR-10 records (\(recordSize) bytes each: 1 label + 3072 pixels)")
    }
    let n = data.count / recordSize
    let plane = side * side
    var pixels = [Float](repeating: 0, count: n * 3 * plane)
    var labels = [Int](repeating: 0, count: n)
    let scale: Float = 1 / 255
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      let b = raw.bindMemory(to: UInt8.self)
      try pixels.withUnsafeMutableBufferPointer { out in
        for i in 0..<n {
          let r = i * recordSize
          guard b[r] < 10 else {
            throw DataError("\(name): record \(i) has label \(b[r]); CIFAR-10 labels are 0-9 (not a CIFAR-10 file?)")
          }
          labels[i] = Int(b[r])
          let dst = i * 3 * plane
          for p in 0..<plane {
            for c in 0..<3 { out[dst + p * 3 + c] = Float(b[r + 1 + c * plane + p]) * scale }
          }
        }
      }
    }
    return LabeledImages(images: Tensor(shape: [n, side, side, 3], scalars: pixels), labels: labels)
  }

  /// Folders searched, in order: --data, then $CONVPLAY_DATA, then the user cache; each as is,
  /// with a `cifar10` subfolder, and with the tarball's `cifar-10-batches-bin` subfolder.
  public static func candidates(_ locator: DatasetLocator) -> [URL] {
    var roots: [URL] = []
    if let d = locator.explicitDirectory {
      roots.append(URL(fileURLWithPath: d))
    } else {
      if let env = locator.environment["CONVPLAY_DATA"], !env.isEmpty { roots.append(URL(fileURLWithPath: env)) }
      roots.append(locator.cacheDirectory(named: name))
    }
    return roots.flatMap { r in
      [r, r.appendingPathComponent(tarballFolder), r.appendingPathComponent(name),
       r.appendingPathComponent(name).appendingPathComponent(tarballFolder)]
    }
  }

  /// The first folder holding all six batch files.
  public static func locate(_ locator: DatasetLocator) throws -> URL {
    let fm = FileManager.default
    let places = candidates(locator)
    if let found = places.first(where: { d in files.allSatisfy { fm.fileExists(atPath: d.appendingPathComponent($0).path) } }) {
      return found
    }
    // A folder with some of the files is almost certainly the intended one: say what is missing.
    for d in places {
      let missing = files.filter { !fm.fileExists(atPath: d.appendingPathComponent($0).path) }
      if missing.count < files.count {
        throw DataError("CIFAR-10 in \(d.path) is incomplete: missing \(missing.joined(separator: ", ")) (download it again with `convplay data fetch cifar10`)")
      }
    }
    let looked = locator.explicitDirectory.map { "in \($0)" } ?? "in $CONVPLAY_DATA or \(locator.cacheDirectory(named: name).path)"
    throw DataError(
      "the CIFAR-10 data set was not found \(looked): download it with `convplay data fetch cifar10`, "
        + "or pass --data DIR with data_batch_1.bin ... data_batch_5.bin and test_batch.bin")
  }

  /// Training (50,000 images from the five batches) and test (10,000) sets; `limit` stops
  /// reading training images once that many are in (the first batch alone suffices for small
  /// runs), `testLimit` keeps the first test images.
  public static func load(_ locator: DatasetLocator, limit: Int? = nil, testLimit: Int? = nil) throws -> DatasetSplits {
    let dir = try locate(locator)
    func batch(_ file: String) throws -> LabeledImages {
      let url = dir.appendingPathComponent(file)
      let data: Data
      do { data = try InputFile.data(url.path) } catch {
        throw DataError("cannot read \(error)")
      }
      return try decodeBatch(data, name: file)
    }
    // Appended batch by batch: the peak is the training set (614 MB of floats) plus one batch.
    var scalars: [Float] = []
    scalars.reserveCapacity(min(limit ?? Int.max, 50_000) * 3 * side * side)
    var labels: [Int] = []
    for f in trainingFiles where labels.count < (limit ?? Int.max) {
      let b = try batch(f)
      scalars += b.images.scalars
      labels += b.labels
    }
    var training = LabeledImages(images: Tensor(shape: [labels.count, side, side, 3], scalars: scalars), labels: labels)
    var test = try batch(testFile)
    if let limit { training = training.prefix(limit) }
    if let testLimit { test = test.prefix(testLimit) }
    return DatasetSplits(training: training, test: test)
  }

  /// Checks the tarball's MD5, inflates it and writes the six batch files (atomically) into
  /// `destination`. Returns the files written.
  @discardableResult
  public static func unpack(tarball: Data, to destination: URL, expectedMD5: String? = tarballMD5) throws -> [URL] {
    if let expectedMD5 {
      let got = MD5.hex(tarball)
      guard got == expectedMD5 else {
        throw DataError("cifar-10-binary.tar.gz: MD5 \(got), expected \(expectedMD5) (corrupt or different download)")
      }
    }
    let tar: Data
    do { tar = try Gzip.decompress(tarball) } catch {
      throw DataError("cifar-10-binary.tar.gz: \(error)")
    }
    let entries = try Tar.entries(tar, name: "cifar-10-binary.tar")
    var written: [URL] = []
    for f in files {
      guard let e = entries.first(where: { $0.isFile && ($0.name == f || $0.name.hasSuffix("/" + f)) }) else {
        throw DataError("cifar-10-binary.tar.gz has no \(f)")
      }
      _ = try decodeBatch(e.data, name: f)  // refuse to store a file the reader would reject
      let url = destination.appendingPathComponent(f)
      try AtomicFile.write(e.data, to: url)
      written.append(url)
    }
    return written
  }

  /// `convplay data fetch cifar10`: downloads the tarball (up to `attempts` times; a checksum
  /// mismatch retries too) and unpacks it into `destination`. Files already there and readable
  /// are kept.
  public static func fetch(
    to destination: URL, url: URL = URL(string: tarballURL)!, attempts: Int = 3, timeout: TimeInterval = 60,
    progress: @escaping @Sendable (String, Int64, Int64?) -> Void = { _, _, _ in },
    note: @Sendable (String) -> Void = { _ in }
  ) throws {
    if (try? load(DatasetLocator(explicitDirectory: destination.path), limit: 1)) != nil {
      note("CIFAR-10 already in \(destination.path)")
      return
    }
    var problem = ""
    do {
      for attempt in 1...max(1, attempts) {
        if attempt > 1 {
          note("cifar-10-binary.tar.gz: \(problem); retrying (\(attempt)/\(attempts))")
          Thread.sleep(forTimeInterval: Double(attempt - 1))
        }
        do {
          let data = try DatasetFetcher.httpGet(url, name: "cifar-10-binary.tar.gz", timeout: timeout, progress: progress)
          try unpack(tarball: data, to: destination)
          return
        } catch let e as DataError {
          problem = e.description
        }
      }
    } catch let e as NoNetwork {
      // No retry can help: one line saying how to bring the files in by hand.
      throw DataError(
        "\(e); download \(url.absoluteString) elsewhere and copy the six .bin files of its \(tarballFolder) folder "
          + "into \(destination.path) (or pass --data DIR)")
    }
    throw DataError("could not download \(url.absoluteString) after \(attempts) attempts: \(problem)")
  }
}
