import ConvImageIO
import Foundation
import XCTest

/// InputFile (regular files only), OutputPath (checked before the work), PendingFile (atomic,
/// registered for removal on a signal) and damaged JPEGs.
final class FileSafetyTests: ImageTestCase {
  func directory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("file-safety-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.path
  }

  func why(_ body: () throws -> Void) -> String? {
    do { try body() } catch let e as FileAccessError { return e.why } catch { return "\(error)" }
    return nil
  }

  func testOnlyRegularFilesAreOpened() throws {
    let dir = try directory()
    let fifo = dir + "/pipe"
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    let start = Date()
    XCTAssertTrue(why { _ = try InputFile.bytes(fifo) }?.hasPrefix("is a named pipe (FIFO)") == true)
    XCTAssertLessThan(Date().timeIntervalSince(start), 1, "open(2) waited for a writer")
    XCTAssertEqual(why { _ = try InputFile.bytes(dir) }, "is a directory, not a file")
    XCTAssertEqual(why { _ = try InputFile.bytes("/dev/zero") }, "is a device, not a regular file")
    XCTAssertEqual(why { try InputFile.checkRegular(dir + "/missing") }, "no such file")
    XCTAssertEqual(why { _ = try InputFile.bytes("-") }, "no such file", "'-' is stdin only when allowed")
    let file = dir + "/text"
    try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
    XCTAssertEqual(try InputFile.bytes(file), Array("abc".utf8))
    XCTAssertEqual(why { _ = try InputFile.bytes(file, limit: 2) }, "more than 2 bytes: too big")
    // An inherited descriptor (what <(cmd) and /dev/stdin name) is read, not reopened.
    var fds: [Int32] = [0, 0]
    XCTAssertEqual(pipe(&fds), 0)
    _ = "xyz".withCString { write(fds[1], $0, 3) }
    close(fds[1])
    XCTAssertEqual(try InputFile.bytes("/dev/fd/\(fds[0])"), Array("xyz".utf8))
    close(fds[0])
  }

  func testOutputPathsAreTriedBeforeTheWork() throws {
    let dir = try directory()
    XCTAssertNil(why { try OutputPath.check(dir + "/out.png", option: "--out") })
    XCTAssertNil(why { try OutputPath.check(dir + "/new/deeper/m.safetensors", option: "--save", createsFolders: true) })
    XCTAssertEqual(why { try OutputPath.check(dir + "/new/m.safetensors", option: "--save") }, "the folder \(dir)/new does not exist")
    XCTAssertEqual(why { try OutputPath.check(dir, option: "--out") }, "is a directory, not a file")
    XCTAssertEqual(why { try OutputPath.check("/proc/x.png", option: "--out") }?.hasPrefix("cannot write in /proc"), true)
    let file = dir + "/plain"
    try Data().write(to: URL(fileURLWithPath: file))
    XCTAssertEqual(why { try OutputPath.check(file + "/x.png", option: "--out", createsFolders: true) }, "\(file) is not a directory")
    // The check leaves nothing behind.
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["plain"])
  }

  func testPendingFileIsRegisteredUntilCommitted() throws {
    let dir = try directory()
    let target = dir + "/out.bin"
    let file = try PendingFile(beside: target)
    XCTAssertTrue(TemporaryFiles.registered.contains(file.temporaryPath))
    XCTAssertTrue(file.temporaryPath.hasPrefix(dir + "/.out.bin.tmp-"))
    try file.write([1, 2, 3])
    try file.commit()
    XCTAssertFalse(TemporaryFiles.registered.contains(file.temporaryPath))
    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), Data([1, 2, 3]))
    let abandoned = try PendingFile(beside: target)
    abandoned.abandon()
    XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned.temporaryPath))
    XCTAssertFalse(TemporaryFiles.registered.contains(abandoned.temporaryPath))
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["out.bin"])
  }

  /// Before: libjpeg only warned ("extraneous bytes before marker") and the picture came out
  /// with a sixth of it wrong, exit 0 (the fixture's script measured it against the intact file).
  func testJPEGWithBytesOutOfPlaceIsRefused() throws {
    let intact = try read("restart_intervals.jpg")
    XCTAssertEqual(intact.image.width, 64)
    guard case .corrupt(let why)? = imageError({ try self.read("restart_damaged.jpg") }) else {
      return XCTFail("the damaged JPEG was accepted")
    }
    XCTAssertEqual(
      why,
      "corrupt JPEG: bytes out of place in the image data (Corrupt JPEG data: 16 extraneous bytes before marker 0xd1): "
        + "1 of its 6 restart intervals (about 17% of the picture) may be decoded wrong")
    // Junk after the last row harms nothing: still read, and equal to the intact file.
    XCTAssertEqual(try read("restart_trailing.jpg").image, intact.image)
  }
}
