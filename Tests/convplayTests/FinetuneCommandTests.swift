import ConvData
import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// `finetune` and the new data sets, on a few hundred MNIST images.
final class FinetuneCommandTests: XCTestCase {
  var mnist: String? {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] else { return nil }
    let dir = shared + "/data/mnist"
    return FileManager.default.fileExists(atPath: dir + "/t10k-images-idx3-ubyte.gz") ? dir : nil
  }

  func values(_ n: Network, except head: String) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: n.namedParameters.filter { !$0.name.hasPrefix(head + "/") }.map { ($0.name, $0.parameter.value) })
  }

  /// Phase 1 changes only the new head; phase 2 changes the base too.
  func testFrozenPhaseKeepsTheBaseAndJointPhaseChangesIt() throws {
    guard let mnist else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    let data = try DatasetLocator(explicitDirectory: mnist).load(.mnist).training.prefix(300)
    let base = try DefaultModel.load().network
    let start = try FineTuning.replacingHead(of: base, classes: 5, seed: 2)
    let head = FineTuning.headIndex(of: start.sequential!)!
    let headName = start.sequential!.layers[head].name
    XCTAssertEqual(start.classes, 5)
    XCTAssertEqual(values(start, except: headName), values(base, except: base.sequential!.layers[head].name))
    let labels5 = LabeledImages(images: data.images, labels: data.labels.map { $0 % 5 })

    let frozen = try FineTuning.withTrainable(start) { $0 == head }
    XCTAssertEqual(try frozen.sequential!.parameterCount(), ParameterCount(total: 34826 - 16010 + 8005, trainable: 8005))
    let headBefore = frozen.layers[head].parameters.map(\.value)
    try frozen.fit(labels5, epochs: 1, batchSize: 64, optimizer: OptimizerKind.adam.make(learningRate: 0.001))
    XCTAssertEqual(values(frozen, except: headName), values(start, except: headName), "frozen layers must not change")
    XCTAssertNotEqual(frozen.layers[head].parameters.map(\.value), headBefore)

    let joint = try FineTuning.withTrainable(frozen) { _ in true }
    XCTAssertEqual(try joint.sequential!.parameterCount().nonTrainable, 0)
    try joint.fit(labels5, epochs: 1, batchSize: 64, optimizer: OptimizerKind.adam.make(learningRate: 0.0001))
    let after = values(joint, except: headName)
    let before = values(start, except: headName)
    XCTAssertEqual(Set(after.keys), Set(before.keys))
    for key in before.keys { XCTAssertNotEqual(after[key], before[key], "\(key) should train in phase 2") }
  }

  func testFinetuneCommandPrintsCountsAndAccuracies() throws {
    guard let mnist else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ft-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    let saved = dir.appendingPathComponent("ft.safetensors").path
    let r = try CommandRunner.run([
      "finetune", "--dataset", "mnist", "--data", mnist, "--limit", "300", "--freeze-epochs", "1",
      "--finetune-epochs", "1", "--save", saved, "--scratch",
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains(
      "phase 1 (base frozen): adam lr 0.001, 1 epoch\nTotal params: 34,826\nTrainable params: 16,010\nNon-trainable params: 18,816\n"), r.stdout)
    XCTAssertTrue(r.stdout.contains(
      "phase 2 (all layers): adam lr 0.0001, 1 epoch\nTotal params: 34,826\nTrainable params: 34,826\nNon-trainable params: 0\n"), r.stdout)
    XCTAssertTrue(r.stdout.contains("phase 1: test accuracy 0."), r.stdout)
    XCTAssertTrue(r.stdout.contains("phase 2: test accuracy 0."), r.stdout)
    XCTAssertTrue(r.stdout.contains("from scratch: test accuracy 0."), r.stdout)
    let model = try ModelFile.load(URL(fileURLWithPath: saved))
    XCTAssertEqual(model.metadata["freeze_epochs"], "1")
    XCTAssertTrue(model.network.sequential!.layers.allSatisfy(\.trainable))
  }

  func testBadDataIsOneLine() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("ft-empty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: empty) }
    for args in [
      ["finetune", "--dataset", "cifar10", "--data", empty.path],
      ["train", "--dataset", "folder:" + empty.path],
      ["train", "--dataset", "imagenet"],
    ] {
      let r = try CommandRunner.run(args)
      XCTAssertEqual(r.status, 1, args.joined(separator: " "))
      XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
      XCTAssertTrue(r.stderr.hasPrefix("convplay: "), r.stderr)
    }
    let wrongSize = try CommandRunner.run(["train", "--dataset", "folder:" + empty.path, "--image-size", "12"])
    XCTAssertTrue(wrongSize.stderr.contains("--image-size must be HxW"), wrongSize.stderr)
  }

  /// `--model softmax` on a 3-class folder gets 3 outputs, on the command line and in the
  /// dashboard alike (ModelResolver): 8*8*3 + 3 = 195 parameters, not the zoo's 10 outputs.
  func testZooModelTakesTheFoldersClassCount() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("classes-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: root) }
    for (k, c) in ["a", "b", "c"].enumerated() {
      try FileManager.default.createDirectory(at: root.appendingPathComponent(c), withIntermediateDirectories: true)
      for i in 0..<4 {
        let px = [UInt8](repeating: UInt8(60 * k + i), count: 8 * 8)
        try Data(ImageCodec.encodePNG(width: 8, height: 8, channels: 1, interleaved: px))
          .write(to: root.appendingPathComponent("\(c)/\(i).png"))
      }
    }
    let r = try CommandRunner.run([
      "train", "--dataset", "folder:" + root.path, "--image-size", "8x8", "--color", "gray", "--model", "softmax", "--epochs", "1",
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("; 195 parameters;"), r.stdout)
    let screen = try CommandRunner.run([
      "tui", "--screen", "train", "--dataset", "folder:" + root.path, "--image-size", "8x8", "--color", "gray",
      "--model", "softmax", "--print", "100x30",
    ])
    XCTAssertEqual(screen.status, 0, screen.stderr)
    XCTAssertTrue(screen.stdout.contains("195"), screen.stdout)
    XCTAssertFalse(screen.stdout.contains("650"), screen.stdout)  // 8*8*10 + 10
    // A spec whose last Dense is too small for the classes is refused, naming both numbers.
    let small = try CommandRunner.run([
      "train", "--dataset", "folder:" + root.path, "--image-size", "8x8", "--color", "gray",
      "--model", "flatten -> dense(2, softmax)",
    ])
    XCTAssertEqual(small.status, 1)
    XCTAssertTrue(small.stderr.contains("Dense(2) but the data set has 3 classes"), small.stderr)
  }

  /// A folder data set trains end to end with `train` (8x8 gray, two classes, one corrupt file).
  func testTrainOnAFolder() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ft-folder-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: root) }
    for (c, v) in [("dark", UInt8(20)), ("light", UInt8(230))] {
      try FileManager.default.createDirectory(at: root.appendingPathComponent(c), withIntermediateDirectories: true)
      for i in 0..<10 {
        let px = [UInt8](repeating: v &+ UInt8(i), count: 16 * 12)
        try Data(ImageCodec.encodePNG(width: 16, height: 12, channels: 1, interleaved: px))
          .write(to: root.appendingPathComponent("\(c)/\(i).png"))
      }
    }
    try Data([0x89, 0x50]).write(to: root.appendingPathComponent("dark/broken.png"))
    let r = try CommandRunner.run([
      "train", "--dataset", "folder:" + root.path, "--image-size", "8x8", "--color", "gray",
      "--model", "flatten -> dense(2, softmax)", "--epochs", "3", "--lr", "0.05", "--validation-split", "0",
      "--save", root.appendingPathComponent("model.safetensors").path,
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stderr.contains("warning: skipped 1 unreadable image file(s)"), r.stderr)
    XCTAssertTrue(r.stdout.contains("20 images in 2 classes (dark, light); 16 for training, 4 for testing"), r.stdout)
    XCTAssertTrue(r.stdout.contains("test accuracy: "), r.stdout)
    // The saved model keeps its folder's class names: classify answers with them.
    let answer = try CommandRunner.run([
      "classify", root.appendingPathComponent("light/0.png").path,
      "--weights", root.appendingPathComponent("model.safetensors").path, "--top", "2",
    ])
    XCTAssertEqual(answer.status, 0, answer.stderr)
    let ranked = answer.stdout.split(separator: "\n").filter { $0.hasPrefix("1. ") || $0.hasPrefix("2. ") }
    XCTAssertEqual(ranked.count, 2, answer.stdout)
    XCTAssertEqual(Set(ranked.map { $0.split(separator: " ")[1] }), ["dark", "light"], answer.stdout)
  }
}
