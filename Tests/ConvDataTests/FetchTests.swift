import ConvData
import Foundation
import XCTest

/// `data fetch` against a local HTTP server (python3 -m http.server on 127.0.0.1, a free port),
/// serving ../shared/data/mnist; the test starts and stops it.
final class FetchTests: XCTestCase {
  var server: Process?

  override func tearDown() {
    if let server, server.isRunning {
      server.terminate()
      server.waitUntilExit()
    }
  }

  func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
  }

  /// Starts the server on `directory`; returns its base URL once it answers (at most 10 s).
  func serve(_ directory: URL) throws -> URL {
    guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
      ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map({ "\($0)/python3" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else { throw XCTSkip("python3 is not installed: no local HTTP server") }
    let port = freePort()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", directory.path]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    server = p
    let base = URL(string: "http://127.0.0.1:\(port)/")!
    for _ in 0..<100 {
      if (try? Data(contentsOf: base)) != nil { return base }
      Thread.sleep(forTimeInterval: 0.1)
    }
    throw XCTSkip("the local HTTP server did not start")
  }

  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func testFetchDownloadsVerifiesAndSkipsWhatIsThere() throws {
    guard let mnist = DataTests.mnistDirectory else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    let base = try serve(mnist)
    let target = try temporaryDirectory().appendingPathComponent("mnist")
    var fetcher = DatasetFetcher(dataset: .mnist, baseURL: base, destination: target)
    let seen = Counter()
    fetcher.progress = { _, got, _ in seen.add(got) }
    try fetcher.run()
    for f in Dataset.mnist.files {
      let original = try Data(contentsOf: mnist.appendingPathComponent(f.name + ".gz"))
      XCTAssertEqual(try Data(contentsOf: target.appendingPathComponent(f.name + ".gz")), original, f.name)
    }
    XCTAssertGreaterThan(seen.value, 0, "progress was reported")
    XCTAssertEqual(try DatasetLocator(explicitDirectory: target.path).load(.mnist).test.count, 10000)
    // A second run keeps the verified files.
    let notes = Counter()
    fetcher.note = { message in if message.contains("already downloaded") { notes.add(1) } }
    try fetcher.run()
    XCTAssertEqual(notes.value, 4)
  }

  func testChecksumMismatchAndMissingFilesFailClearly() throws {
    let served = try temporaryDirectory()
    for f in Dataset.mnist.files { try Data("not mnist".utf8).write(to: served.appendingPathComponent(f.name + ".gz")) }
    let base = try serve(served)
    var fetcher = DatasetFetcher(dataset: .mnist, baseURL: base, destination: try temporaryDirectory())
    fetcher.attempts = 2
    fetcher.retryDelay = 0
    XCTAssertThrowsError(try fetcher.run()) { error in
      let text = String(describing: error)
      XCTAssertTrue(text.contains("after 2 attempts"), text)
      XCTAssertTrue(text.contains("checksum") || text.contains("gzip"), text)
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fetcher.destination.path), [], "nothing unverified is kept")
    fetcher.baseURL = base.appendingPathComponent("nowhere/")
    XCTAssertThrowsError(try fetcher.run()) { error in
      XCTAssertTrue(String(describing: error).contains("HTTP status 404"), String(describing: error))
    }
  }
}

final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var total: Int64 = 0
  func add(_ n: Int64) {
    lock.lock()
    total += n
    lock.unlock()
  }
  var value: Int64 {
    lock.lock()
    defer { lock.unlock() }
    return total
  }
}
