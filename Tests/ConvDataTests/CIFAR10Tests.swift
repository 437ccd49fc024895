import ConvData
import ConvKit
import Foundation
import XCTest

/// CIFAR-10's binary reader on files written here in the exact format, and the tar reader.
final class CIFAR10Tests: XCTestCase {
  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cifar-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  /// A record: label, then red plane (pixel index mod 256), green plane (all `g`), blue plane
  /// (255 - pixel index mod 256).
  func record(label: UInt8, g: UInt8) -> [UInt8] {
    [label] + (0..<1024).map { UInt8($0 % 256) } + [UInt8](repeating: g, count: 1024)
      + (0..<1024).map { 255 - UInt8($0 % 256) }
  }

  func testDecodesPlanesIntoNHWC() throws {
    let data = Data(record(label: 3, g: 100) + record(label: 9, g: 7))
    let set = try CIFAR10.decodeBatch(data)
    XCTAssertEqual(set.images.shape, [2, 32, 32, 3])
    XCTAssertEqual(set.labels, [3, 9])
    let s = set.images.scalars
    // Image 0, row 1, column 2: pixel index 34; value index (1 * 32 + 2) * 3 + channel.
    let at = (1 * 32 + 2) * 3
    XCTAssertEqual(s[at], 34 / 255, accuracy: 1e-7)
    XCTAssertEqual(s[at + 1], 100 / 255, accuracy: 1e-7)
    XCTAssertEqual(s[at + 2], Float(255 - 34) / 255, accuracy: 1e-7)
    // Image 1, last pixel (index 1023: red 255, blue 0).
    let last = 32 * 32 * 3 + 1023 * 3
    XCTAssertEqual(s[last], 1)
    XCTAssertEqual(s[last + 1], 7 / 255, accuracy: 1e-7)
    XCTAssertEqual(s[last + 2], 0)
  }

  func testWrongSizeAndBadLabelAreOneClearError() {
    XCTAssertThrowsError(try CIFAR10.decodeBatch(Data(record(label: 1, g: 0).dropLast()), name: "x.bin")) { e in
      XCTAssertEqual(
        "\(e)", "x.bin: 3072 bytes is not a whole number of CIFAR-10 records (3073 bytes each: 1 label + 3072 pixels)")
    }
    XCTAssertThrowsError(try CIFAR10.decodeBatch(Data(record(label: 10, g: 0)), name: "x.bin")) { e in
      XCTAssertTrue("\(e)".contains("record 0 has label 10"), "\(e)")
    }
  }

  func writeSet(in dir: URL, recordsPerFile: Int, skip: String? = nil) throws {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (i, f) in CIFAR10.files.enumerated() where f != skip {
      let bytes = (0..<recordsPerFile).flatMap { record(label: UInt8((i + $0) % 10), g: UInt8(i)) }
      try Data(bytes).write(to: dir.appendingPathComponent(f))
    }
  }

  func testLocatesTheTarballSubfolderAndLoadsAllBatches() throws {
    let root = try temporaryDirectory()
    try writeSet(in: root.appendingPathComponent("cifar-10-batches-bin"), recordsPerFile: 2)
    let splits = try CIFAR10.load(DatasetLocator(explicitDirectory: root.path))
    XCTAssertEqual(splits.training.count, 10)
    XCTAssertEqual(splits.test.count, 2)
    XCTAssertEqual(splits.training.labels, [0, 1, 1, 2, 2, 3, 3, 4, 4, 5])
    XCTAssertEqual(splits.test.labels, [5, 6])
    // Green plane of batch 5 (file index 4) is 4.
    XCTAssertEqual(splits.training.images.scalars[8 * 3072 + 1], 4 / 255, accuracy: 1e-7)
    let limited = try CIFAR10.load(DatasetLocator(explicitDirectory: root.path), limit: 3)
    XCTAssertEqual(limited.training.count, 3)
    XCTAssertEqual(limited.test.count, 2)
    // The environment variable and the cache are searched the same way.
    let viaEnv = try CIFAR10.locate(DatasetLocator(environment: ["CONVPLAY_DATA": root.path, "HOME": "/nonexistent"]))
    XCTAssertEqual(viaEnv.lastPathComponent, "cifar-10-batches-bin")
  }

  func testMissingFileIsNamed() throws {
    let root = try temporaryDirectory()
    try writeSet(in: root, recordsPerFile: 1, skip: "test_batch.bin")
    XCTAssertThrowsError(try CIFAR10.load(DatasetLocator(explicitDirectory: root.path))) { e in
      XCTAssertTrue("\(e)".contains("missing test_batch.bin"), "\(e)")
    }
    let empty = try temporaryDirectory()
    XCTAssertThrowsError(try CIFAR10.locate(DatasetLocator(explicitDirectory: empty.path))) { e in
      XCTAssertTrue("\(e)".contains("convplay data fetch cifar10"), "\(e)")
    }
  }

  func testTarRoundTripAndTruncation() throws {
    let big = Data((0..<1300).map { UInt8($0 % 251) })
    let archive = Tar.archive([("dir/a.bin", Data([1, 2, 3])), ("dir/big.bin", big), ("empty", Data())])
    XCTAssertEqual(archive.count, 512 + 512 + 512 + 1536 + 512 + 1024)
    let entries = try Tar.entries(archive)
    XCTAssertEqual(entries.map(\.name), ["dir/a.bin", "dir/big.bin", "empty"])
    XCTAssertEqual(entries[0].data, Data([1, 2, 3]))
    XCTAssertEqual(entries[1].data, big)
    XCTAssertThrowsError(try Tar.entries(archive.prefix(1500))) { e in
      XCTAssertTrue("\(e)".contains("truncated"), "\(e)")
    }
    var damaged = archive
    damaged[damaged.startIndex] ^= 0x20
    XCTAssertThrowsError(try Tar.entries(damaged)) { e in
      XCTAssertTrue("\(e)".contains("checksum"), "\(e)")
    }
  }

  /// GNU tar, an independent implementation, reads what `Tar.archive` writes, and `Tar.entries`
  /// reads what GNU tar writes (with a name over 100 bytes, a GNU long-name entry).
  func testAgreesWithSystemTar() throws {
    let tar = "/usr/bin/tar"
    guard FileManager.default.isExecutableFile(atPath: tar) else { throw XCTSkip("no /usr/bin/tar") }
    let dir = try temporaryDirectory()
    try Tar.archive([("x/hello.txt", Data("hello\n".utf8))]).write(to: dir.appendingPathComponent("ours.tar"))
    let out = try run(tar, ["-xf", "ours.tar"], in: dir)
    XCTAssertEqual(out, 0)
    XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("x/hello.txt"), encoding: .utf8), "hello\n")

    let long = String(repeating: "d", count: 120)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("src"), withIntermediateDirectories: true)
    try Data([9, 8, 7]).write(to: dir.appendingPathComponent("src/" + long))
    XCTAssertEqual(try run(tar, ["--format=gnu", "-cf", "theirs.tar", "src"], in: dir), 0)
    let entries = try Tar.entries(Data(contentsOf: dir.appendingPathComponent("theirs.tar")))
    let file = try XCTUnwrap(entries.first { $0.isFile })
    XCTAssertEqual(file.name, "src/" + long)
    XCTAssertEqual(file.data, Data([9, 8, 7]))
  }

  /// The tarball path end to end: gzip (by the system's gzip) of a tar of six batches,
  /// unpacked after the MD5 check; a wrong MD5 writes nothing.
  func testUnpacksAGzippedTarball() throws {
    let gzip = "/usr/bin/gzip"
    guard FileManager.default.isExecutableFile(atPath: gzip) else { throw XCTSkip("no /usr/bin/gzip") }
    let dir = try temporaryDirectory()
    let files = CIFAR10.files.enumerated().map { i, f in
      ("cifar-10-batches-bin/" + f, Data(record(label: UInt8(i), g: 1)))
    }
    try Tar.archive(files).write(to: dir.appendingPathComponent("c.tar"))
    XCTAssertEqual(try run(gzip, ["-n", "c.tar"], in: dir), 0)
    let tarball = try Data(contentsOf: dir.appendingPathComponent("c.tar.gz"))
    let out = dir.appendingPathComponent("out")
    XCTAssertThrowsError(try CIFAR10.unpack(tarball: tarball, to: out)) { e in
      XCTAssertTrue("\(e)".contains("expected c32a1d4ab5d03f1284b67883e8d87530"), "\(e)")
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    let written = try CIFAR10.unpack(tarball: tarball, to: out, expectedMD5: MD5.hex(tarball))
    XCTAssertEqual(written.count, 6)
    let splits = try CIFAR10.load(DatasetLocator(explicitDirectory: out.path))
    XCTAssertEqual(splits.training.labels, [0, 1, 2, 3, 4])
    XCTAssertEqual(splits.test.labels, [5])
  }

  func run(_ tool: String, _ args: [String], in dir: URL) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = args
    p.currentDirectoryURL = dir
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
  }
}
