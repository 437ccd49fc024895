import ConvData
import ConvImageIO
import Foundation
import XCTest

/// `train`, `evaluate` and `data` as a user runs them.
final class TrainCommandTests: XCTestCase {
  var mnist: String? {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] else { return nil }
    let dir = shared + "/data/mnist"
    return FileManager.default.fileExists(atPath: dir + "/t10k-images-idx3-ubyte.gz") ? dir : nil
  }

  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("train-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func testTrainSavesMetricsAndEvaluateAgrees() throws {
    guard let mnist else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    let dir = try temporaryDirectory()
    let weights = dir.appendingPathComponent("w.safetensors").path
    let metrics = dir.appendingPathComponent("history.json").path
    let r = try CommandRunner.run([
      "train", "--model", "softmax", "--data", mnist, "--limit", "1000", "--epochs", "2", "--seed", "3",
      "--lr", "0.01", "--validation-split", "0.1", "--save", weights, "--metrics", metrics,
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    XCTAssertTrue(lines[lines.count - 2].hasPrefix("test accuracy: 0."), r.stdout)
    XCTAssertTrue(lines[lines.count - 1].hasPrefix("test loss: "), r.stdout)
    XCTAssertEqual(lines.filter { $0.hasPrefix("epoch ") }.count, 2, "one line per epoch when not on a terminal")
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: metrics))) as? [String: Any])
    XCTAssertEqual(
      Set(json.keys),
      ["epochs", "augment", "limit", "test_limit", "training_images", "validation_images", "test_images", "test_accuracy", "test_loss", "images_per_second"])
    // --limit cuts the training images only: the accuracy is the whole test set's.
    XCTAssertEqual(json["limit"] as? Int, 1000)
    XCTAssertTrue(json["test_limit"] is NSNull)
    XCTAssertEqual(json["training_images"] as? Int, 900)
    XCTAssertEqual(json["validation_images"] as? Int, 100)
    XCTAssertEqual(json["test_images"] as? Int, 10_000)
    XCTAssertTrue(r.stdout.contains("900 training, 100 validation, 10000 test images"), r.stdout)
    let meta = try ModelFile.load(URL(fileURLWithPath: weights)).metadata
    XCTAssertEqual(meta["training_limit"], "1000")
    XCTAssertEqual(meta["test_limit"], "all")
    XCTAssertEqual(meta["test_images"], "10000")
    let epochs = try XCTUnwrap(json["epochs"] as? [[String: Any]])
    XCTAssertEqual(epochs.count, 2)
    XCTAssertEqual(Set(epochs[0].keys), ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"])
    XCTAssertEqual(epochs[1]["epoch"] as? Int, 2)
    let accuracy = try XCTUnwrap(json["test_accuracy"] as? Double)
    XCTAssertGreaterThan(accuracy, 0.7)
    XCTAssertTrue(r.stdout.contains(String(format: "test accuracy: %.4f", accuracy)))

    let e = try CommandRunner.run(["evaluate", "--weights", weights, "--data", mnist])
    XCTAssertEqual(e.status, 0, e.stderr)
    XCTAssertTrue(e.stdout.contains(String(format: "test accuracy: %.4f", accuracy)), e.stdout)

    // --test-limit cuts the test set, says so, and is recorded; evaluate on the same images agrees.
    let cut = try CommandRunner.run([
      "train", "--model", "softmax", "--data", mnist, "--limit", "1000", "--test-limit", "500", "--epochs", "1",
      "--save", weights, "--metrics", metrics,
    ])
    XCTAssertEqual(cut.status, 0, cut.stderr)
    XCTAssertTrue(cut.stdout.contains("note: evaluated on the first 500 test images only (--test-limit)"), cut.stdout)
    let cutJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: metrics))) as? [String: Any])
    XCTAssertEqual(cutJSON["test_limit"] as? Int, 500)
    XCTAssertEqual(cutJSON["test_images"] as? Int, 500)
    XCTAssertEqual(try ModelFile.load(URL(fileURLWithPath: weights)).metadata["test_limit"], "500")
    let cutAccuracy = try XCTUnwrap(cutJSON["test_accuracy"] as? Double)
    let e500 = try CommandRunner.run(["evaluate", "--weights", weights, "--data", mnist, "--test-limit", "500"])
    XCTAssertTrue(e500.stdout.contains("500 test images"), e500.stdout)
    XCTAssertTrue(e500.stdout.contains(String(format: "test accuracy: %.4f", cutAccuracy)), e500.stdout)

    // Same seed, same result.
    let again = try CommandRunner.run(["train", "--model", "softmax", "--data", mnist, "--limit", "1000", "--epochs", "2", "--seed", "3", "--lr", "0.01", "--validation-split", "0.1"])
    let againLines = again.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(Array(againLines.suffix(2)), Array(lines.suffix(2)))
  }

  func testBadInputIsOneLine() throws {
    let dir = try temporaryDirectory()
    func fails(_ args: [String], _ expected: String) throws {
      let r = try CommandRunner.run(args)
      XCTAssertEqual(r.status, 1, "\(args): \(r.stdout)")
      XCTAssertTrue(r.stderr.contains(expected), "\(args): \(r.stderr)")
      XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }
    try fails(["train", "--model", "resnet", "--data", dir.path], "unknown model 'resnet'")
    let optimizer = try CommandRunner.run(["train", "--model", "softmax", "--optimizer", "adagrad", "--data", dir.path])
    XCTAssertEqual(optimizer.status, 64)
    XCTAssertTrue(optimizer.stderr.contains("The value 'adagrad' is invalid for '--optimizer"), optimizer.stderr)
    try fails(["train", "--model", "softmax", "--dataset", "cifar", "--data", dir.path], "unknown data set 'cifar'")
    try fails(["train", "--model", "softmax", "--data", dir.path], "convplay data fetch mnist")
    let cut = dir.appendingPathComponent("cut.safetensors")
    try Data([16, 0, 0, 0, 0, 0, 0, 0, 123]).write(to: cut)
    try fails(["evaluate", "--weights", cut.path, "--data", dir.path], "cut.safetensors")
    try fails(["evaluate", "--weights", dir.appendingPathComponent("none").path], "cannot read")
    try fails(["data", "fetch", "cifar"], "unknown data set")
    let bad = try CommandRunner.run(["train", "--epochs", "0"])
    XCTAssertNotEqual(bad.status, 0)
  }

  func testDivergenceSuggestsALowerRate() throws {
    guard let mnist else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    let r = try CommandRunner.run([
      "train", "--model", "mlp", "--data", mnist, "--limit", "300", "--epochs", "2", "--optimizer", "sgd", "--lr", "1e30",
    ])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.stderr.contains("diverged"), r.stderr)
    XCTAssertTrue(r.stderr.contains("--lr"), r.stderr)
  }

  /// A fingers-style folder (train/ and test/, the class in the file name) trained with --augment:
  /// the split is used as given, the metrics name the augmentation, and bad options are one line.
  func testLabelPatternFolderWithAugmentation() throws {
    let dir = try temporaryDirectory()
    let fm = FileManager.default
    for (sub, count) in [("train", 12), ("test", 6)] {
      try fm.createDirectory(at: dir.appendingPathComponent("set/\(sub)"), withIntermediateDirectories: true)
      for i in 0..<count {
        let label = i % 3
        // Class k: a bright bar in row block k, so the classes are learnable.
        var pixels = [UInt8](repeating: 0, count: 12 * 12 * 3)
        for r in (label * 4)..<(label * 4 + 4) { for c in 0..<12 { for k in 0..<3 { pixels[(r * 12 + c) * 3 + k] = 250 } } }
        let png = Data(try ImageCodec.encodePNG(width: 12, height: 12, channels: 3, interleaved: pixels))
        try png.write(to: dir.appendingPathComponent("set/\(sub)/img\(i)_\(label)\(i % 2 == 0 ? "L" : "R").png"))
      }
    }
    let metrics = dir.appendingPathComponent("m.json").path
    let base = [
      "train", "--dataset", "folder:" + dir.appendingPathComponent("set").path, "--image-size", "12x12",
      "--model", "flatten -> dense(3, softmax)", "--epochs", "2", "--plain",
    ]
    let r = try CommandRunner.run(
      base + ["--label-pattern", #"_([0-5])[LR]\.png$"#, "--augment", "flip,rotate=10,shift=0.1,zoom=0.1", "--metrics", metrics])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("18 images in 3 classes (0, 1, 2); 12 for training, 6 for testing (train/ and test/ as given)"), r.stdout)
    XCTAssertTrue(r.stdout.contains("augment flip,rotate=10,shift=0.1,zoom=0.1"), r.stdout)
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: metrics))) as? [String: Any])
    XCTAssertEqual(json["augment"] as? String, "flip,rotate=10,shift=0.1,zoom=0.1")
    XCTAssertEqual((json["epochs"] as? [[String: Any]])?.map { $0["epoch"] as? Int }, [1, 2])

    for (args, expected) in [
      (["--label-pattern", #"_[0-5][LR]\.png$"#], "no capture group"),
      (["--label-pattern", #"_([0-5])X\.png$"#], "12 of 12 files"),
      (["--label-pattern", #"_([0-5])[LR]\.png$"#, "--augment", "spin=3"], "unknown transform 'spin'"),
    ] {
      let bad = try CommandRunner.run(base + args)
      XCTAssertNotEqual(bad.status, 0)
      let lines = bad.stderr.split(separator: "\n")
      XCTAssertEqual(lines.count, 1, bad.stderr)
      XCTAssertTrue(bad.stderr.hasPrefix("convplay: ") && bad.stderr.contains(expected), bad.stderr)
    }
  }
}

/// `train --model SPEC`: the spec language of `summary --spec`, as text or a file.
final class TrainSpecTests: XCTestCase {
  func testSpecTextAndFile() throws {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"],
      FileManager.default.fileExists(atPath: shared + "/data/mnist/t10k-images-idx3-ubyte.gz")
    else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    let data = shared + "/data/mnist"
    let spec = "conv2d(4, 3, strides=2, activation=relu) -> flatten -> dense(10, softmax)"
    let r = try CommandRunner.run(["train", "--model", spec, "--data", data, "--limit", "300", "--epochs", "1"])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("6,810 parameters"), r.stdout)  // 3*3*1*4+4 + 13*13*4*10+10
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data("flatten\ndense(10, softmax)\n".utf8).write(to: file)
    let f = try CommandRunner.run(["train", "--model", file.path, "--data", data, "--limit", "300", "--epochs", "1"])
    XCTAssertEqual(f.status, 0, f.stderr)
    XCTAssertTrue(f.stdout.contains("7,850 parameters"), f.stdout)
    let bad = try CommandRunner.run(["train", "--model", "conv2d(8,3) -> bogus", "--data", data])
    XCTAssertEqual(bad.status, 1)
    XCTAssertTrue(bad.stderr.contains("layer 2"), bad.stderr)
  }

}
