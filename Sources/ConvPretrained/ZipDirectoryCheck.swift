import ConvKit
import Foundation

/// Checks a zip file's directory against the file's size before ZIPFoundation reads it: the
/// end records' entry counts, the directory's size and offset, and every entry's offsets and
/// sizes (zip64 fields included) must lie inside the file. ZIPFoundation turns such numbers
/// into `Int`s unchecked, and one near 2^64 is a trap.
enum ZipDirectoryCheck {
  static func validate(_ url: URL) throws {
    let name = url.lastPathComponent
    guard let handle = FileHandle(forReadingAtPath: url.path) else { throw ImportError("cannot read \(url.path)") }
    defer { try? handle.close() }
    let fileSize = Int((try? handle.seekToEnd()) ?? 0)
    func bad(_ what: String) -> ImportError { ImportError("\(name): \(what) (damaged or not a zip file)") }
    func read(_ offset: Int, _ count: Int) throws -> [UInt8] {
      guard offset >= 0, count >= 0, offset <= fileSize, count <= fileSize - offset else {
        throw bad("a zip record points outside the file")
      }
      try handle.seek(toOffset: UInt64(offset))
      let d = try handle.read(upToCount: count) ?? Data()
      guard d.count == count else { throw bad("a zip record is truncated") }
      return [UInt8](d)
    }
    func le(_ b: [UInt8], _ at: Int, _ n: Int) -> UInt64 {
      (0..<n).reduce(UInt64(0)) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
    }
    // The end of central directory record: in the last 64 KiB + 22 bytes.
    let tailLength = min(fileSize, 22 + 65_535)
    let tail = try read(fileSize - tailLength, tailLength)
    guard tailLength >= 22,
      let e = stride(from: tailLength - 22, through: 0, by: -1).first(where: {
        tail[$0] == 0x50 && tail[$0 + 1] == 0x4b && tail[$0 + 2] == 5 && tail[$0 + 3] == 6
      })
    else { throw bad("no end of central directory") }
    let eocdOffset = fileSize - tailLength + e
    // The directory as the end record gives it, and as the zip64 end record gives it. As
    // ZIPFoundation reads them: the zip64 record is the 56 bytes before a zip64 locator that
    // sits just before the end record (the locator's own offset field is not used), and it is
    // read whenever it is there, not only when the 32-bit fields are full; so both must be sound.
    var views = [(count: le(tail, e + 10, 2), size: le(tail, e + 12, 4), offset: le(tail, e + 16, 4))]
    if eocdOffset > 20 + 56, le(try read(eocdOffset - 20, 4), 0, 4) == 0x0706_4b50 {
      let record = try read(eocdOffset - 20 - 56, 56)
      if le(record, 0, 4) == 0x0606_4b50 {
        views.append((le(record, 32, 8), le(record, 40, 8), le(record, 48, 8)))
      }
    }
    // A zip64 file's end record may hold 0xFFFF / 0xFFFFFFFF, meaning "see the zip64 record".
    if views.count == 2, views[0].count == 0xFFFF || views[0].size == 0xFFFF_FFFF || views[0].offset == 0xFFFF_FFFF {
      views.removeFirst()
    }
    for view in views {
      try checkDirectory(view.count, view.size, view.offset, name: name, fileSize: fileSize, read: read, bad: bad)
    }
  }

  /// Reads and checks one view of the central directory (see `validate`).
  private static func checkDirectory(
    _ count: UInt64, _ size: UInt64, _ offset: UInt64, name: String, fileSize: Int,
    read: (Int, Int) throws -> [UInt8], bad: (String) -> ImportError
  ) throws {
    func le(_ b: [UInt8], _ at: Int, _ n: Int) -> UInt64 {
      (0..<n).reduce(UInt64(0)) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
    }
    func inFile(_ v: UInt64, _ what: String) throws -> Int {
      try CheckedSize.count(v, in: 0...fileSize, field: "\(name): the zip's \(what)")
    }
    let entries = try CheckedSize.count(count, in: 0...(fileSize / 46), field: "\(name): the zip's entry count")
    let directorySize = try inFile(size, "central directory size")
    let directoryOffset = try inFile(offset, "central directory offset")
    guard directorySize <= fileSize - directoryOffset else { throw bad("the central directory runs past the end of the file") }
    let directory = try read(directoryOffset, directorySize)
    var p = 0
    for _ in 0..<entries {
      guard p + 46 <= directory.count, le(directory, p, 4) == 0x0201_4b50 else { throw bad("a central directory entry is damaged") }
      var compressed = le(directory, p + 20, 4)
      var uncompressed = le(directory, p + 24, 4)
      var local = le(directory, p + 42, 4)
      let nameLength = Int(le(directory, p + 28, 2))
      let extraLength = Int(le(directory, p + 30, 2))
      let commentLength = Int(le(directory, p + 32, 2))
      let end = p + 46 + nameLength + extraLength + commentLength
      guard end <= directory.count else { throw bad("a central directory entry runs past the directory") }
      // The zip64 extra field (id 1) holds, in order, the fields set to 0xFFFFFFFF.
      var x = p + 46 + nameLength
      while x + 4 <= p + 46 + nameLength + extraLength {
        let id = le(directory, x, 2)
        let length = Int(le(directory, x + 2, 2))
        guard x + 4 + length <= p + 46 + nameLength + extraLength else { throw bad("a zip extra field is damaged") }
        if id == 1 {
          var f = x + 4
          func next() throws -> UInt64 {
            guard f + 8 <= x + 4 + length else { throw bad("a zip64 extra field is too short") }
            defer { f += 8 }
            return le(directory, f, 8)
          }
          if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
          if compressed == 0xFFFF_FFFF { compressed = try next() }
          if local == 0xFFFF_FFFF { local = try next() }
        }
        x += 4 + length
      }
      let localOffset = try inFile(local, "entry offset")
      let stored = try inFile(compressed, "entry size")
      guard stored <= fileSize - localOffset else { throw bad("an entry runs past the end of the file") }
      // Inflated sizes are bounded when read (ZipArchive.read); here they must only be numbers
      // an Int holds.
      _ = try CheckedSize.count(uncompressed, in: 0...Int.max, field: "\(name): the zip's entry size")
      p = end
    }
  }
}
