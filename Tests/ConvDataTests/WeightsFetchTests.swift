import ConvData
import Foundation
import XCTest

/// `convplay weights fetch` through a mirror on loopback (python3 -m http.server, the way
/// CONVPLAY_WEIGHTS_MIRROR points at a teacher's server): a good file lands in the cache, a
/// tampered one is refused and leaves nothing. The published hash is replaced by the test's
/// own (a `PublishedWeights` value built here: the catalog itself is Keras's).
final class WeightsFetchTests: XCTestCase {
  static let content = Data(String(repeating: "convplay test weights\n", count: 1000).utf8)
  /// hashlib.md5 / hashlib.sha256 of `content`, computed by Python.
  static let md5 = "53264501825da4242b5a977642cf099e"
  static let sha256 = "287174784c6d475f014b191a87508bbd74696bf9a790cedc8be084eda61efc20"

  var root: URL!
  var server: Process?
  var port = 0

  override func setUpWithError() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-fetch-\(UUID().uuidString)")
    let fm = FileManager.default
    for folder in ["good", "bad", "cache"] {
      try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    try Self.content.write(to: root.appendingPathComponent("good/test_weights.h5"))
    var tampered = Self.content
    tampered[100] ^= 1
    try tampered.write(to: root.appendingPathComponent("bad/test_weights.h5"))
    guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { fm.isExecutableFile(atPath: $0) })
      ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map({ "\($0)/python3" }).first(where: { fm.isExecutableFile(atPath: $0) })
    else { throw XCTSkip("python3 is not installed: no loopback HTTP server") }
    port = try Self.freePort()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = ["-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", root.path]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    server = p
    // Wait until it answers.
    for _ in 0..<100 {
      if (try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/good/test_weights.h5")!)) != nil { return }
      Thread.sleep(forTimeInterval: 0.1)
    }
    XCTFail("the loopback server did not start")
  }

  override func tearDown() {
    server?.terminate()
    server?.waitUntilExit()
    try? FileManager.default.removeItem(at: root)
  }

  /// A port the kernel just gave out and released.
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw XCTSkip("cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  func fetcher(_ folder: String, hash: String?) -> WeightsFetcher {
    let weights = PublishedWeights(
      architecture: "test", noTop: false, fileName: "test_weights.h5", url: "https://example.invalid/test_weights.h5", hash: hash)
    return WeightsFetcher(
      weights: weights, cacheDirectory: root.appendingPathComponent("cache"),
      mirror: URL(string: "http://127.0.0.1:\(port)/\(folder)")!)
  }

  func cacheContents() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("cache").path).sorted()
  }

  func testGoodFileLandsInTheCache() throws {
    for hash in [Self.md5, Self.sha256] {
      let f = fetcher("good", hash: hash)
      let url = try f.run()
      XCTAssertEqual(try Data(contentsOf: url), Self.content)
      XCTAssertEqual(try cacheContents(), ["test_weights.h5"], "no .part file left")
      try FileManager.default.removeItem(at: url)
    }
  }

  func testTamperedFileIsRefusedAndLeavesNothing() throws {
    XCTAssertThrowsError(try fetcher("bad", hash: Self.md5).run()) {
      let text = "\($0)"
      XCTAssertTrue(text.contains("fails its hash") && text.contains("refused"), text)
      XCTAssertFalse(text.contains("\n"))
    }
    XCTAssertEqual(try cacheContents(), [])
  }

  func testACachedFileThatFailsItsHashIsReplaced() throws {
    var tampered = Self.content
    tampered[0] ^= 1
    try tampered.write(to: root.appendingPathComponent("cache/test_weights.h5"))
    let url = try fetcher("good", hash: Self.md5).run()
    XCTAssertEqual(try Data(contentsOf: url), Self.content)
  }

  func testAStalePartFileRestartsCleanly() throws {
    // http.server ignores Range and answers 200: the part file is rewritten from the start.
    try Data("garbage from an earlier attempt".utf8).write(to: root.appendingPathComponent("cache/.test_weights.h5.part"))
    let url = try fetcher("good", hash: Self.md5).run()
    XCTAssertEqual(try Data(contentsOf: url), Self.content)
    XCTAssertEqual(try cacheContents(), ["test_weights.h5"])
  }

  func testMissingFileOnTheMirrorIsOneLine() throws {
    XCTAssertThrowsError(try fetcher("nowhere", hash: Self.md5).run()) {
      XCTAssertTrue("\($0)".contains("HTTP status 404"), "\($0)")
    }
    XCTAssertEqual(try cacheContents(), [])
  }

  func testCatalogIsKerass() {
    let vgg = PublishedWeights.named("vgg16", noTop: false)
    XCTAssertEqual(vgg?.fileName, "vgg16_weights_tf_dim_ordering_tf_kernels.h5")
    XCTAssertEqual(vgg?.hash, "64373286793e3c8b2b4e3219cbf3544b")
    XCTAssertEqual(PublishedWeights.named("resnet50", noTop: true)?.url,
      "https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5")
    XCTAssertEqual(PublishedWeights.architectures, ["vgg16", "vgg19", "resnet50", "inceptionv3", "xception", "mobilenet"])
    XCTAssertEqual(PublishedWeights.cacheDirectory(environment: ["KERAS_HOME": "/k"]).path, "/k/models")
    XCTAssertEqual(PublishedWeights.cacheDirectory(environment: ["HOME": "/home/s"]).path, "/home/s/.keras/models")
  }
}

/// Without a network: one line saying where to copy the file by hand, and nothing left behind.
final class WeightsFetchOfflineTests: XCTestCase {
  func testUnreachableMirrorSaysWhereToCopyTheFile() throws {
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-offline-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: cache) }
    let weights = try XCTUnwrap(PublishedWeights.named("vgg16", noTop: false))
    // Port 9 on loopback (discard) refuses connections: the same path as a missing network.
    let f = WeightsFetcher(weights: weights, cacheDirectory: cache, mirror: URL(string: "http://127.0.0.1:9")!)
    XCTAssertThrowsError(try f.run()) {
      let text = "\($0)"
      XCTAssertTrue(text.hasPrefix("no network"), text)
      XCTAssertTrue(text.contains("copy it to \(cache.path)/vgg16_weights_tf_dim_ordering_tf_kernels.h5"), text)
      XCTAssertFalse(text.contains("\n"))
    }
    XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? [], [])
  }
}
