import ConvImageIO
import Foundation
import ConvKit
import ZIPFoundation

/// A zip file (.npz, .keras, PyTorch's .pth) read through ZIPFoundation, with the bounds an
/// untrusted archive needs: an entry's bytes are counted as they inflate and refused past the
/// size its directory declares or the caller's limit (a zip bomb stops there), and its CRC-32
/// is checked.
public struct ZipArchive {
  /// Largest entry read, in bytes (4 GiB: VGG16's fc1 is 400 MB).
  public static let defaultMaxEntryBytes: UInt64 = 4 << 30

  public let name: String
  private let archive: Archive
  private let entries: [String: Entry]
  /// Entry paths in the archive's order.
  public let entryNames: [String]
  /// Bytes of the archive file: no entry's compressed data is larger, whatever its header says.
  private let fileSize: UInt64

  public init(_ url: URL) throws {
    name = url.lastPathComponent
    // ZIPFoundation opens the path itself: a named pipe would block it.
    do { try InputFile.checkRegular(url.path) } catch { throw ImportError("cannot read \(error)") }
    try ZipDirectoryCheck.validate(url)
    do {
      archive = try Archive(url: url, accessMode: .read)
    } catch {
      throw ImportError("\(url.lastPathComponent): not a readable zip file (truncated or damaged?)")
    }
    var byName: [String: Entry] = [:]
    var names: [String] = []
    for entry in archive where entry.type == .file {
      if byName[entry.path] == nil { names.append(entry.path) }
      byName[entry.path] = entry
    }
    entries = byName
    entryNames = names
    fileSize = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.uint64Value ?? 0
  }

  public func size(of path: String) -> UInt64? { entries[path]?.uncompressedSize }

  /// Hands `body` the entry's bytes a chunk at a time, in order; refuses an entry that inflates
  /// past its declared size or `maxBytes`, or whose CRC-32 does not match.
  public func read(_ path: String, maxBytes: UInt64 = defaultMaxEntryBytes, _ body: (Data) throws -> Void) throws {
    guard let entry = entries[path] else { throw ImportError("\(name): no \(path) in the archive") }
    let declared = entry.uncompressedSize
    // An entry is held in memory (or written out) whole: the budget bounds it as well.
    try MemoryBudget.check(bytes: Int(min(declared, UInt64(Int.max))), what: "\(name): \(path)")
    guard declared <= maxBytes else {
      throw ImportError("\(name): \(path) would inflate to \(declared) bytes, over the limit of \(maxBytes)")
    }
    var seen: UInt64 = 0
    var bodyError: Error? = nil
    let crc: CRC32
    do {
      crc = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: false) { chunk in
        seen += UInt64(chunk.count)
        guard seen <= declared else { throw ImportError("\(name): \(path) inflates past the \(declared) bytes its header declares (a zip bomb?)") }
        do { try body(chunk) } catch { bodyError = error; throw error }
      }
    } catch {
      if let bodyError { throw bodyError }
      if let e = error as? ImportError { throw e }
      throw ImportError("\(name): \(path) is damaged or truncated")
    }
    guard seen == declared else { throw ImportError("\(name): \(path) holds \(seen) bytes, its header says \(declared)") }
    guard crc == entry.checksum else { throw ImportError("\(name): \(path) fails its CRC-32 check (damaged file)") }
  }

  /// The whole entry in memory (for small entries: configs, pickles, .npy arrays).
  public func data(_ path: String, maxBytes: UInt64 = defaultMaxEntryBytes) throws -> Data {
    var out = Data()
    // The declared size is only a claim: reserve no more than the entry's compressed bytes (at
    // most the file's) can inflate to, deflate's limit being 1032:1, so that a lying header in a
    // small file cannot allocate gigabytes up front (found by scripts/fuzz). Reading still stops
    // at the declared size.
    if let entry = entries[path] {
      let (inflatable, overflow) = min(entry.compressedSize, fileSize).multipliedReportingOverflow(by: 1032)
      out.reserveCapacity(Int(min(entry.uncompressedSize, maxBytes, overflow ? .max : inflatable + 1024)))
    }
    try read(path, maxBytes: maxBytes) { out.append($0) }
    return out
  }

  /// Writes the entry to `url` (for model.weights.h5 inside a .keras, which libhdf5 reads
  /// from a file).
  public func extract(_ path: String, to url: URL, maxBytes: UInt64 = defaultMaxEntryBytes) throws {
    guard FileManager.default.createFile(atPath: url.path, contents: nil),
      let handle = FileHandle(forWritingAtPath: url.path)
    else { throw ImportError("cannot write \(url.path)") }
    defer { try? handle.close() }
    try read(path, maxBytes: maxBytes) { handle.write($0) }
  }
}
