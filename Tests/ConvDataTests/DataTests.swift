import ConvData
import ConvKit
import Foundation
import XCTest

/// MD5, gzip, IDX, data set location and the MNIST smoke test.
final class DataTests: XCTestCase {
  /// RFC 1321's test suite, through swift-crypto.
  func testMD5KnownVectors() {
    let vectors = [
      ("", "d41d8cd98f00b204e9800998ecf8427e"),
      ("a", "0cc175b9c0f1b6a831c399e269772661"),
      ("abc", "900150983cd24fb0d6963f7d28e17f72"),
      ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
      ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
      ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
      (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ]
    for (text, digest) in vectors {
      XCTAssertEqual(MD5.hex(Data(text.utf8)), digest, text)
      var incremental = MD5()
      for chunk in Array(text.utf8).chunked(7) { incremental.update(Data(chunk)) }
      XCTAssertEqual(incremental.finalize(), digest, "in 7-byte pieces: \(text)")
    }
  }

  /// FIPS 180-2's examples, whole and in pieces, and a file.
  func testSHA256KnownVectors() throws {
    XCTAssertEqual(SHA256Digest.hex(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    var d = SHA256Digest()
    for piece in ["abcdbcdecdefdefgefghfghighijhijk", "ijkljklmklmnlmnomnopnopq"] { d.update(Data(piece.utf8)) }
    XCTAssertEqual(d.finalize(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-sha-\(UUID().uuidString)")
    try Data("abc".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    XCTAssertEqual(try SHA256Digest.hex(fileAt: file), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  /// 3 images of 2x2 with values 0, 20, 40, ... and labels 7, 0, 9 (made with Python's gzip).
  let imagesGz = Data(base64Encoded: "H4sIAAAAAAACA2Ng4GBmYGAAYSYwFtGwCUip6Fmw5cQdAL1JqB8cAAAA")!
  let labelsGz = Data(base64Encoded: "H4sIAAAAAAACA2Ng4GBkYGBgZmfgBAClEtNyCwAAAA==")!

  func testGzippedIDXFiles() throws {
    let images = try IDXArray(data: imagesGz)
    XCTAssertEqual(images.dimensions, [3, 2, 2])
    XCTAssertEqual(images.bytes, (0..<12).map { UInt8($0 * 20) })
    let labels = try IDXArray(data: labelsGz)
    XCTAssertEqual(labels.bytes, [7, 0, 9])
    let set = try LabeledImages(images: images, labels: labels)
    XCTAssertEqual(set.images.shape, [3, 2, 2, 1])
    XCTAssertEqual(set.images.scalars[1], 20 / 255, accuracy: 1e-7)
    XCTAssertEqual(try IDXArray(data: images.encoded()), images, "uncompressed files read the same")
  }

  func testIDXErrorsAreClear() throws {
    func message(_ data: Data) -> String {
      do {
        _ = try IDXArray(data: data, name: "x.idx")
        return "no error"
      } catch { return String(describing: error) }
    }
    XCTAssertTrue(message(Data([1, 2, 3, 4, 5])).contains("not an IDX file"))
    XCTAssertTrue(message(Data([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0])).contains("not supported"))
    XCTAssertTrue(message(Data([0, 0, 8, 1, 0, 0, 0, 5, 1, 2])).contains("truncated"))
    XCTAssertTrue(message(Data([0, 0])).contains("too short"))
    XCTAssertTrue(message(imagesGz.prefix(imagesGz.count - 6)).contains("x.idx"))
    let images = try IDXArray(data: imagesGz)
    let twoLabels = IDXArray(dimensions: [2], bytes: [1, 2])
    XCTAssertThrowsError(try LabeledImages(images: images, labels: twoLabels)) { error in
      XCTAssertTrue(String(describing: error).contains("3 images but 2 labels"))
    }
  }

  func testGzipErrors() {
    XCTAssertThrowsError(try Gzip.decompress(imagesGz.prefix(15)))
    var corrupt = imagesGz
    corrupt[12] ^= 0xFF
    XCTAssertThrowsError(try Gzip.decompress(corrupt))
  }

  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convdata-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func testLocatorOrderAndMissingMessage() throws {
    let root = try temporaryDirectory()
    let named = root.appendingPathComponent("mnist")
    try FileManager.default.createDirectory(at: named, withIntermediateDirectories: true)
    for f in Dataset.mnist.files { try Data().write(to: named.appendingPathComponent(f.name + ".gz")) }
    // $CONVPLAY_DATA pointing at the parent finds the NAME subfolder.
    let viaEnv = DatasetLocator(environment: ["CONVPLAY_DATA": root.path, "HOME": "/nonexistent"])
    XCTAssertEqual(try viaEnv.locate(.mnist).path, named.path)
    // --data wins over the environment, and names the folder it looked in when empty.
    let empty = try temporaryDirectory()
    let explicit = DatasetLocator(explicitDirectory: empty.path, environment: ["CONVPLAY_DATA": root.path])
    XCTAssertThrowsError(try explicit.locate(.mnist)) { error in
      let text = String(describing: error)
      XCTAssertTrue(text.contains("convplay data fetch mnist"), text)
      XCTAssertTrue(text.contains(empty.path), text)
    }
    let cache = DatasetLocator(environment: ["HOME": "/home/u"]).cacheDirectory(for: .fashionMNIST)
    XCTAssertEqual(cache.path, "/home/u/.cache/convplay/datasets/fashion-mnist")
    let fashion = DatasetLocator(environment: ["HOME": "/nonexistent"])
    XCTAssertTrue(fashion.candidates(for: .fashionMNIST).map(\.path).contains("/usr/share/datasets/fashion-mnist"))
    XCTAssertThrowsError(try DatasetLocator(explicitDirectory: empty.path).locate(.fashionMNIST)) { error in
      XCTAssertTrue(String(describing: error).contains("apt-get install dataset-fashion-mnist"))
    }
  }

  static var mnistDirectory: URL? {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] else { return nil }
    let dir = URL(fileURLWithPath: shared).appendingPathComponent("data/mnist")
    return FileManager.default.fileExists(atPath: dir.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path) ? dir : nil
  }

  /// The real files: sizes, label range, and the published checksums of the uncompressed files.
  func testRealMNISTLoadsAndVerifies() throws {
    guard let dir = Self.mnistDirectory else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    let labels = try Data(contentsOf: dir.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    XCTAssertNil(DatasetFetcher.verify(labels, file: Dataset.mnist.files[3]))
    XCTAssertNotNil(DatasetFetcher.verify(labels, file: Dataset.mnist.files[1]), "another file's checksum fails")
    let splits = try DatasetLocator(explicitDirectory: dir.path).load(.mnist)
    XCTAssertEqual(splits.training.images.shape, [60000, 28, 28, 1])
    XCTAssertEqual(splits.test.count, 10000)
    XCTAssertEqual(Set(splits.test.labels), Set(0..<10))
  }

  /// CI's smoke test: a small CNN on 2,000 MNIST images for 3 epochs, far above chance (10 %).
  func testSmokeTrainingOnMNIST() throws {
    guard let dir = Self.mnistDirectory else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    let splits = try DatasetLocator(explicitDirectory: dir.path).load(.mnist)
    let spec = SequentialSpec(inputShape: [28, 28, 1], layers: [
      LayerSpec(Conv2D(filters: 8, kernelSize: Size2(3, 3), strides: Size2(1, 1), padding: .valid, dilation: Size2(1), activation: .relu, useBias: true)),
      LayerSpec(MaxPooling2D(poolSize: Size2(2, 2), strides: Size2(2, 2), padding: .valid)),
      LayerSpec(Flatten()),
      LayerSpec(Dense(units: 10, activation: .softmax, useBias: true)),
    ])
    let net = try Network(spec: spec, seed: 1)
    let history = try net.fit(splits.training.prefix(2000), epochs: 3, batchSize: 32, optimizer: Adam())
    XCTAssertLessThan(history[2].loss, history[0].loss)
    let test = try net.evaluate(splits.test.prefix(1000))
    XCTAssertGreaterThan(test.accuracy, 0.8, "accuracy \(test.accuracy)")
  }
}

extension Array {
  func chunked(_ n: Int) -> [[Element]] {
    stride(from: 0, to: count, by: n).map { Array(self[$0..<Swift.min(count, $0 + n)]) }
  }
}

/// A data set's files are checked against the published MD5s the first time they are read.
final class DatasetVerificationTests: XCTestCase {
  func testMNISTGivenAsFashionMNISTIsRefusedInOneLine() throws {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] else {
      throw XCTSkip("CONVPLAY_SHARED is not set (scripts/test sets it to ../shared)")
    }
    let mnist = shared + "/data/mnist"
    guard FileManager.default.fileExists(atPath: mnist + "/train-images-idx3-ubyte.gz") else { throw XCTSkip("no MNIST in \(mnist)") }
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-verify-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: cache) }
    let locator = DatasetLocator(explicitDirectory: mnist, environment: ["XDG_CACHE_HOME": cache.path])
    XCTAssertThrowsError(try locator.load(.fashionMNIST)) {
      let text = "\($0)"
      XCTAssertTrue(text.contains("is MNIST's train-images-idx3-ubyte, not Fashion-MNIST's"), text)
      XCTAssertFalse(text.contains("\n"))
    }
    // The real thing passes, and its verdict is kept for next time.
    let splits = try locator.load(.mnist)
    XCTAssertEqual(splits.training.labels.count, 60_000)
    let stamps = try String(contentsOf: cache.appendingPathComponent("convplay/datasets/verified.tsv"), encoding: .utf8)
    XCTAssertEqual(stamps.split(separator: "\n").count, 4)
    XCTAssertTrue(stamps.hasPrefix("mnist\t"), stamps)
  }

  func testADamagedFileIsNamed() throws {
    let file = Dataset.mnist.files[1]
    let problem = try DatasetVerification.problem(with: Data([0, 0, 8, 1, 0, 0, 0, 0]), file: file, dataset: .mnist, path: "/x/labels")
    XCTAssertEqual(
      problem,
      "/x/labels does not match MNIST's published MD5 (f3bc5f8a2bf83eeff93cab9c79206411, expected a25bea736e30d166cdddb491f175f624): "
        + "a different or damaged file; fetch it again with `convplay data fetch mnist`")
  }
}
