import ConvKit
import XCTest

/// `FineTuning.run` (the phases `convplay finetune` and the training dashboard share) and the
/// spec-only head replacement the dashboard's summary shows before any weight exists.
final class FineTuningRunTests: XCTestCase {
  /// Four classes of 8x8 images: class c lights rows 2c and 2c+1.
  static func stripes(_ n: Int) -> LabeledImages {
    var values: [Float] = []
    var labels: [Int] = []
    for i in 0..<n {
      let c = i % 4
      labels.append(c)
      for y in 0..<8 { for x in 0..<8 { values.append(y / 2 == c ? 1 : Float((x * 7 + y * 3 + i) % 5) * 0.05) } }
    }
    return LabeledImages(images: Tensor(shape: [n, 8, 8, 1], scalars: values), labels: labels)
  }

  func base() throws -> Network {
    let spec = try ModelSpecParser.parse("conv2d(3, 3, relu) -> flatten -> dense(6, relu) -> dense(10, softmax)", inputShape: [8, 8, 1])
    return try Network(spec: spec, seed: 5)
  }

  func weights(_ n: Network, except layer: String) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: n.namedParameters.filter { !$0.name.hasPrefix(layer + "/") }.map { ($0.name, $0.parameter.value) })
  }

  func testPhaseOneTrainsOnlyTheHeadAndPhaseTwoEverything() throws {
    let start = try FineTuning.prepare(base: base(), classes: 4, inputShape: [8, 8, 1], seed: 1)
    let head = start.sequential!.layers[FineTuning.headIndex(of: start.sequential!)!].name
    XCTAssertEqual(head, "dense_new")
    XCTAssertEqual(start.classes, 4)
    let before = weights(start, except: head)
    var seen: [(Int, Int, Float, ParameterCount, [Bool])] = []
    var afterPhase1: [String: [Float]] = [:]
    var epochsStarted = 0
    let plan = FineTuningPlan(freezeEpochs: 1, finetuneEpochs: 2, learningRate: 0.01, batch: 16)
    let end = try FineTuning.run(
      start, plan: plan, training: Self.stripes(64),
      phaseStarted: { p, _ in seen.append((p.number, p.epochs, p.learningRate, p.counts, p.trainable)) },
      onEvent: { if case .epochStarted = $0 { epochsStarted += 1 } },
      phaseEnded: { p, net, history in
        XCTAssertEqual(history.count, p.epochs)
        if p.number == 1 { afterPhase1 = self.weights(net, except: head) }
      })
    XCTAssertEqual(seen.map(\.0), [1, 2])
    XCTAssertEqual(seen.map(\.1), [1, 2])
    XCTAssertEqual(seen[0].2, 0.01)
    XCTAssertEqual(seen[1].2, 0.001, accuracy: 1e-9, "phase 2 defaults to a tenth of the rate")
    // conv 3*9+3 = 30, dense 3*6*6*6+6 = 654 frozen; new head 6*4+4 = 28 trains.
    XCTAssertEqual(seen[0].3, ParameterCount(total: 30 + 654 + 28, trainable: 28))
    XCTAssertEqual(seen[0].4, [false, false, false, true])
    XCTAssertEqual(seen[1].3, ParameterCount(total: 712, trainable: 712))
    XCTAssertEqual(epochsStarted, 3)
    XCTAssertEqual(afterPhase1, before, "the frozen base does not move in phase 1")
    let after = weights(end, except: head)
    for key in before.keys { XCTAssertNotEqual(after[key], before[key], "\(key) trains in phase 2") }
  }

  func testSkippedPhasesAndStop() throws {
    let start = try FineTuning.prepare(base: base(), classes: 4, inputShape: [8, 8, 1])
    var phases: [Int] = []
    try FineTuning.run(
      start, plan: FineTuningPlan(freezeEpochs: 0, finetuneEpochs: 1, batch: 32), training: Self.stripes(32),
      phaseStarted: { p, _ in phases.append(p.number) })
    XCTAssertEqual(phases, [2])
    phases = []
    try FineTuning.run(
      start, plan: FineTuningPlan(freezeEpochs: 1, finetuneEpochs: 1, batch: 32), training: Self.stripes(32),
      shouldStop: { true }, phaseStarted: { p, _ in phases.append(p.number) })
    XCTAssertEqual(phases, [], "a stop before the first batch runs no phase")
  }

  func testChannelsMustMatchAndSpecOnlyHeadAgrees() throws {
    XCTAssertThrowsError(try FineTuning.prepare(base: base(), classes: 10, inputShape: [8, 8, 3])) { e in
      XCTAssertEqual("\(e)", "the base model takes (8, 8, 1) images but these are (8, 8, 3): the channels must match")
    }
    let net = try base()
    let (spec, name) = try FineTuning.replacingHead(in: net.sequential!, classes: 3)
    XCTAssertEqual(name, "dense_new")
    XCTAssertEqual(spec, try FineTuning.replacingHead(of: net, classes: 3).sequential!)
    XCTAssertEqual(try FineTuning.replacingHead(in: net.sequential!, classes: 3, inputShape: [10, 10, 1]).spec.inputShape, [10, 10, 1])
    XCTAssertEqual(FineTuning.headOnlyTrainable(spec).layers.map(\.trainable), [false, false, false, true])
  }
}
