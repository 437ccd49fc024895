import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import Foundation
import XCTest

/// The training dashboard's fine-tuning on a pretrained base runs the command line's steps:
/// the same base (MobileNet, random weights from the seed, as `finetune --random-weights`),
/// the same head, the same data; so each step's Keras counts and first-epoch loss agree.
final class DashboardFinetuneParityTests: XCTestCase {
  /// 16x16 colour squares in class folders (train/ and test/): 0 reddish, 1 greenish, 2 bluish.
  func folderSet() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dashft-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    var rng = RandomSource(seed: 11)
    for (part, count) in [("train", 48), ("test", 24)] {
      for i in 0..<count {
        let c = i % 3
        let folder = dir.appendingPathComponent(part).appendingPathComponent("c\(c)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var samples = [Float](repeating: 0, count: 3 * 256)
        for ch in 0..<3 {
          for p in 0..<256 { samples[ch * 256 + p] = (ch == c ? 180 : 60) + 50 * rng.nextSymmetric(1) }
        }
        try ImageFile.write(
          Image(width: 16, height: 16, channels: 3, samples: samples),
          to: folder.appendingPathComponent(String(format: "%03d.png", i)).path)
      }
    }
    return dir.path
  }

  /// Step number -> (trainable, non-trainable) and each step's first-epoch loss, as printed.
  struct Steps: Equatable {
    var counts: [Int: [Int]] = [:]
    var firstLoss: [Int: String] = [:]
  }

  func testDashboardStepsMatchTheCommandLine() throws {
    let data = try folderSet()
    let seed: UInt64 = 7
    // --validation-split 0.1: the dashboard always holds out a tenth for validation.
    let r = try CommandRunner.run([
      "finetune", "--base", "mobilenet", "--random-weights", "--seed", String(seed), "--dataset", "folder:" + data,
      "--image-size", "16x16", "--base-input", "32x32", "--dense", "8", "--freeze-epochs", "2", "--finetune-epochs", "1",
      "--batch", "16", "--validation-split", "0.1", "--plain",
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    var cli = Steps()
    var step = 0
    for line in r.stdout.split(separator: "\n").map(String.init) {
      if let m = line.firstMatch(of: /^step (\d): .*adam lr/) { step = Int(m.1)! }
      if let m = line.firstMatch(of: /trainable params: ([\d,]+) - non-trainable params: ([\d,]+)/) {
        cli.counts[step] = [m.1, m.2].map { Int($0.replacingOccurrences(of: ",", with: ""))! }
      }
      if let m = line.firstMatch(of: /^epoch 1 - .* - loss: ([\d.]+)/), cli.firstLoss[step] == nil {
        cli.firstLoss[step] = String(m.1)
      }
    }
    XCTAssertEqual(cli.counts.keys.sorted(), [1, 2], r.stdout)
    XCTAssertEqual(cli.firstLoss.keys.sorted(), [1, 2], r.stdout)
    // The head: Dense(8) on 1,024 pooled features, then Dense(3); the base's 3,228,864 frozen.
    XCTAssertEqual(cli.counts[1], [8 * 1024 + 8 + 8 * 3 + 3, 3_228_864], r.stdout)

    var config = TrainingConfig(
      modelName: "mobilenet", spec: ModelZoo.named("cnn")!.spec, dataset: .folder(data), batch: 16,
      folder: FolderSettings(height: 16, width: 16),
      finetune: FineTuneSettings(
        plan: FineTuningPlan(freezeEpochs: 2, finetuneEpochs: 1, learningRate: 0.001, batch: 16),
        pretrained: PretrainedBaseChoice(base: "mobilenet", randomWeights: true, inputSize: [32, 32], dense: 8)))
    config.seed = seed
    config.validationSplit = 0.1
    let session = TrainingSession()
    let started = Date()
    XCTAssertTrue(session.start(config))
    var dashboard = Steps()
    var phase = 0
    var done = false
    var failure: String?
    while !done && Date().timeIntervalSince(started) < 120 {
      usleep(20_000)
      for event in session.drain() {
        switch event {
        case .phase(let p, _):
          phase = p.number
          dashboard.counts[p.number] = [p.counts.trainable, p.counts.nonTrainable]
        case .training(.epochEnded(let m)) where m.epoch == 1 && dashboard.firstLoss[phase] == nil:
          dashboard.firstLoss[phase] = String(format: "%.4f", m.loss)
        case .finished, .stopped: done = true
        case .failed(let why):
          failure = why
          done = true
        default: break
        }
      }
    }
    XCTAssertNil(failure)
    XCTAssertTrue(done, "the dashboard's run did not finish in 120 s")
    XCTAssertEqual(dashboard, cli, r.stdout)
  }
}
