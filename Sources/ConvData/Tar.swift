import Foundation

/// Reads a tar archive (POSIX ustar, with GNU long names), enough to unpack a data set's
/// tarball without calling /bin/tar. Each entry is a 512-byte header (name at 0, size in octal
/// at 124, type at 156, ustar name prefix at 345) followed by its data padded to 512 bytes; two
/// zero blocks end the archive.
public enum Tar {
  public struct Entry: Equatable, Sendable {
    /// Path inside the archive (`cifar-10-batches-bin/data_batch_1.bin`).
    public var name: String
    /// True for regular files; folders and links are listed with no data.
    public var isFile: Bool
    public var data: Data
  }

  /// Every entry, in archive order. A cut or malformed archive throws a `DataError`.
  public static func entries(_ archive: Data, name: String = "tar archive") throws -> [Entry] {
    let bytes = [UInt8](archive)
    var entries: [Entry] = []
    var offset = 0
    var longName: String?
    while offset + 512 <= bytes.count {
      let header = bytes[offset..<(offset + 512)]
      if header.allSatisfy({ $0 == 0 }) { return entries }
      guard let size = octal(bytes, offset + 124, 12) else {
        throw DataError("\(name): bad size field in the header at byte \(offset) (not a tar file?)")
      }
      let stored = bytes[(offset + 148)..<(offset + 156)]
      var sum = 0
      for (i, b) in header.enumerated() { sum += (148..<156).contains(i) ? 32 : Int(b) }
      guard let check = octal(bytes, offset + 148, 8), check == sum || stored.allSatisfy({ $0 == 0 }) else {
        throw DataError("\(name): header checksum mismatch at byte \(offset) (corrupt archive)")
      }
      let dataStart = offset + 512
      guard dataStart + size <= bytes.count else {
        throw DataError("\(name): \(text(bytes, offset, 100)) is cut short (archive truncated)")
      }
      let type = bytes[offset + 156]
      let content = Data(bytes[dataStart..<(dataStart + size)])
      if type == UInt8(ascii: "L") {
        // GNU long name: the data is the next entry's full name.
        longName = String(decoding: content.prefix { $0 != 0 }, as: UTF8.self)
      } else if type == UInt8(ascii: "x") || type == UInt8(ascii: "g") {
        // pax headers: nothing convplay needs.
      } else {
        var path = text(bytes, offset, 100)
        let magic = text(bytes, offset + 257, 5)
        let prefix = magic == "ustar" ? text(bytes, offset + 345, 155) : ""
        if !prefix.isEmpty { path = prefix + "/" + path }
        if let l = longName { path = l }
        longName = nil
        let isFile = type == 0 || type == UInt8(ascii: "0")
        entries.append(Entry(name: path, isFile: isFile, data: isFile ? content : Data()))
      }
      offset = dataStart + (size + 511) / 512 * 512
    }
    if offset == bytes.count && !entries.isEmpty { return entries }
    throw DataError("\(name): the archive ends without its end-of-archive blocks (truncated)")
  }

  /// A NUL-terminated field as text.
  private static func text(_ b: [UInt8], _ start: Int, _ count: Int) -> String {
    String(decoding: b[start..<(start + count)].prefix { $0 != 0 }, as: UTF8.self)
  }

  /// An octal number field (spaces and NULs around it allowed).
  private static func octal(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
    let digits = b[start..<(start + count)].filter { $0 != 0 && $0 != UInt8(ascii: " ") }
    if digits.isEmpty { return 0 }
    var v = 0
    for d in digits {
      guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "7") else { return nil }
      v = v * 8 + Int(d - UInt8(ascii: "0"))
    }
    return v
  }

  /// Builds an archive of regular files (for tests and small tools): ustar headers, names up to
  /// 100 bytes.
  public static func archive(_ files: [(name: String, data: Data)]) -> Data {
    var out = [UInt8]()
    for f in files {
      var h = [UInt8](repeating: 0, count: 512)
      func put(_ s: String, _ at: Int) { for (i, c) in s.utf8.enumerated() { h[at + i] = c } }
      put(f.name, 0)
      put("0000644", 100)
      put("0000000", 108)
      put("0000000", 116)
      put(octalText(f.data.count, digits: 11), 124)
      put("00000000000", 136)
      h[156] = UInt8(ascii: "0")
      put("ustar", 257)
      put("00", 263)
      for i in 148..<156 { h[i] = 32 }
      let sum = h.reduce(0) { $0 + Int($1) }
      put(octalText(sum, digits: 6), 148)
      h[154] = 0
      out += h
      out += f.data
      out += [UInt8](repeating: 0, count: (512 - f.data.count % 512) % 512)
    }
    out += [UInt8](repeating: 0, count: 1024)
    return Data(out)
  }

  /// `n` in octal, zero-padded to `digits`.
  private static func octalText(_ n: Int, digits: Int) -> String {
    let s = String(n, radix: 8)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
  }
}
