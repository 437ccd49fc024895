import ConvImageIO
import ConvKit
import Foundation

/// Checks that a data set's files are the ones its publisher lists (MD5s in `Dataset.files`)
/// the first time they are read, so that `--dataset fashion-mnist --data <MNIST's folder>`
/// is refused instead of training on digits and calling them clothes. A verdict is kept in
/// `~/.cache/convplay/datasets/verified.tsv`, keyed by data set, path, size and modification
/// time, so later runs do not hash the files again.
public struct DatasetVerification: Sendable {
  public var stampFile: URL

  public init(locator: DatasetLocator) {
    stampFile = locator.cacheDirectory(named: "").appendingPathComponent("verified.tsv")
  }

  /// Throws one line naming the first file that is not the data set's.
  public func check(_ dataset: Dataset, in directory: URL) throws {
    var stamps = readStamps()
    var changed = false
    for file in dataset.files {
      guard let url = DatasetLocator.path(of: file, in: directory) else { continue }
      guard let key = stampKey(dataset, url) else { continue }
      if stamps.contains(key) { continue }
      let data: Data
      do { data = try InputFile.data(url.path) } catch { throw DataError("cannot read \(error)") }
      if let problem = try Self.problem(with: data, file: file, dataset: dataset, path: url.path) {
        throw DataError(problem)
      }
      stamps.insert(key)
      changed = true
    }
    if changed { writeStamps(stamps) }
  }

  /// Nil when `data` is the published file (or there is nothing published to compare with and
  /// it is not another data set's file), else one line saying what it is.
  public static func problem(with data: Data, file: Dataset.File, dataset: Dataset, path: String) throws -> String? {
    let gz = Gzip.isGzip(data)
    let gzipDigest = gz ? MD5.hex(data) : nil
    var rawDigest: String? = nil
    func raw() throws -> String {
      if let rawDigest { return rawDigest }
      let d = MD5.hex(gz ? try Gzip.decompress(data) : data)
      rawDigest = d
      return d
    }
    func matches(_ f: Dataset.File) throws -> Bool {
      if let g = f.gzipMD5, let gzipDigest, g == gzipDigest { return true }
      if let r = f.rawMD5, try raw() == r { return true }
      return false
    }
    if try matches(file) { return nil }
    // Whose file is it, then?
    for other in Dataset.allCases where other != dataset {
      if let f = other.files.first(where: { $0.name == file.name }), try matches(f) {
        return "\(path) is \(other.displayName)'s \(file.name), not \(dataset.displayName)'s: "
          + "pass --data with the folder of \(dataset.displayName)'s files, or --dataset \(other.rawValue)"
      }
    }
    let published = file.gzipMD5 != nil && !gz ? nil : file.gzipMD5 ?? file.rawMD5
    guard let published else { return nil }  // uncompressed where only the .gz's MD5 is published
    let got = file.gzipMD5 != nil ? gzipDigest ?? "" : try raw()
    return "\(path) does not match \(dataset.displayName)'s published MD5 (\(got), expected \(published)): "
      + "a different or damaged file; fetch it again with `convplay data fetch \(dataset.rawValue)`"
  }

  private func stampKey(_ dataset: Dataset, _ url: URL) -> String? {
    guard let a = try? FileManager.default.attributesOfItem(atPath: url.standardizedFileURL.path),
      let size = a[.size] as? Int, let date = a[.modificationDate] as? Date
    else { return nil }
    return "\(dataset.rawValue)\t\(url.standardizedFileURL.path)\t\(size)\t\(Int64(date.timeIntervalSince1970 * 1000))"
  }

  private func readStamps() -> Set<String> {
    guard let bytes = try? InputFile.bytes(stampFile.path, limit: 1 << 20), let text = String(validating: bytes, as: UTF8.self)
    else { return [] }
    return Set(TextLines.split(text).map(String.init).filter { !$0.isEmpty })
  }

  /// Best effort: a cache that cannot be written only means hashing again next time.
  private func writeStamps(_ stamps: Set<String>) {
    try? AtomicFile.write(Data((stamps.sorted().joined(separator: "\n") + "\n").utf8), to: stampFile)
  }
}
