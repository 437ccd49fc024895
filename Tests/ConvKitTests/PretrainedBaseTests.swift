import Foundation
import XCTest

import ConvKit

/// The course's fine-tuning steps on each keras.applications base: trainable and
/// non-trainable counts equal Keras's (Fixtures/make_finetune_counts.py, Keras 3 on PyTorch).
final class PretrainedBaseTests: XCTestCase {
  struct Fixture: Decodable {
    struct Step: Decodable {
      var unfreeze: Unfreeze?
      var trainable: Int
      var non_trainable: Int
    }
    enum Unfreeze: Decodable {
      case all, top(Int)
      init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) { self = .top(n) } else { _ = try c.decode(String.self); self = .all }
      }
    }
    struct Base: Decodable {
      var base: String
      var input: [Int]
      var base_layers: Int
      var base_output: String
      var layer_names: [String]
      var steps: [Step]
    }
    struct Head: Decodable {
      var hidden: Int
      var classes: Int
    }
    var head: Head
    var bases: [Base]
  }

  func loadFixture() throws -> Fixture {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/finetune_counts", withExtension: "json"))
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  func testCountsEqualKerasAtEveryStep() throws {
    let fixture = try loadFixture()
    XCTAssertEqual(fixture.bases.count, 5)
    for b in fixture.bases {
      let whole = try XCTUnwrap(PretrainedBase.application(b.base), b.base)
      let base = try PretrainedBase.withoutTop(whole, inputShape: b.input)
      XCTAssertEqual(base.nodes.count, b.base_layers, "\(b.base): base_model.layers")
      XCTAssertEqual(base.nodes.last?.name, b.base_output, b.base)
      // Keras's base_model.layers order (by distance from the output), what --unfreeze N counts.
      // (Keras 3 names the input input_layer; keras.applications 2 named it input_1.)
      XCTAssertEqual(Array(base.kerasOrder.map(\.name).dropFirst()), Array(b.layer_names.dropFirst()), b.base)
      let model = PretrainedBase.withHead(
        base, head: PretrainedBase.Head(pooling: .avg, hidden: fixture.head.hidden, classes: fixture.head.classes))
      for step in b.steps {
        let unfreeze: PretrainedBase.Unfreeze? = step.unfreeze.map {
          switch $0 {
          case .all: return .all
          case .top(let n): return .top(n)
          }
        }
        let counts = try PretrainedBase.trainable(model, baseCount: base.nodes.count, unfreeze: unfreeze).parameterCount()
        XCTAssertEqual(counts.trainable, step.trainable, "\(b.base) unfreeze \(String(describing: unfreeze)): trainable")
        XCTAssertEqual(counts.nonTrainable, step.non_trainable, "\(b.base) unfreeze \(String(describing: unfreeze)): non-trainable")
      }
    }
  }

  func testHeadOnlyReadsTheBaseOutput() throws {
    let base = try PretrainedBase.withoutTop(try XCTUnwrap(PretrainedBase.application("mobilenet")), inputShape: [128, 128, 3])
    let model = PretrainedBase.withHead(base, head: PretrainedBase.Head(hidden: 0, classes: 3))
    let head = try PretrainedBase.headOnly(model, baseCount: base.nodes.count)
    XCTAssertEqual(head.inputShape, [4, 4, 1024])
    XCTAssertEqual(head.nodes.count, 3)
    XCTAssertEqual(try head.parameterCount().total, 1024 * 3 + 3)
  }

  func testTooSmallInputsAreRefusedInOneLine() {
    XCTAssertThrowsError(
      try PretrainedBase.withoutTop(PretrainedBase.application("inceptionv3")!, inputShape: [40, 40, 3])
    ) { error in
      XCTAssertFalse(String(describing: error).contains("\n"))
    }
  }

  /// A small base (convolution, BatchNormalization with moving statistics, ReLU, pooling).
  func smallBase() throws -> (GraphSpec, [[Float]]) {
    var g = GraphBuilder(name: "small")
    var x = g.input([10, 10, 3])
    x = g.add(Conv2D(filters: 4, kernelSize: Size2(3), activation: .linear), x, name: "c1")
    x = g.add(BatchNormalization(), x, name: "bn")
    x = g.add(ReLU(), x, name: "r")
    x = g.add(MaxPooling2D(poolSize: Size2(2)), x, name: "p")
    g.add(Conv2D(filters: 5, kernelSize: Size2(3), activation: .relu), x, name: "c2")
    let net = try InferenceNetwork(graph: g.spec, randomSeed: 3)
    var weights = net.weights
    // Moving statistics that are not the identity, so a frozen BatchNormalization matters.
    weights[4] = [0.1, -0.2, 0.05, 0.3]
    weights[5] = [0.5, 2, 1.5, 0.8]
    return (g.spec, weights)
  }

  func data(_ n: Int, seed: UInt64) -> LabeledImages {
    var rng = RandomSource(seed: seed)
    let values = (0..<(n * 300)).map { _ in rng.nextSymmetric(1) }
    return LabeledImages(images: Tensor(shape: [n, 10, 10, 3], scalars: values), labels: (0..<n).map { $0 % 3 })
  }

  /// Step 1 on cached features trains exactly what step 1 on images trains (same head start,
  /// same shuffles): the losses and the head's weights agree.
  func testCachedFeaturesTrainTheSameHeadAsImages() throws {
    let (base, weights) = try smallBase()
    let plan = FineTuningPlan(freezeEpochs: 3, finetuneEpochs: 0, learningRate: 0.01, batch: 8)
    var results: [(losses: [Double], weights: [[Float]], extracted: Bool)] = []
    for cache in [true, false] {
      let tuning = BaseFineTuning(
        base: base, baseWeights: weights, head: PretrainedBase.Head(hidden: 6, classes: 3), plan: plan, seed: 9,
        cacheFeatures: cache)
      var history: [EpochMetrics] = []
      var extracted = false
      let net = try tuning.run(training: data(40, seed: 1), validation: data(10, seed: 2), onEvent: { e in
        if case .stepEnded(_, let h) = e { history = h }
        if case .extracted = e { extracted = true }
      })
      results.append((history.map(\.loss), net.namedParameters.map(\.parameter.value), extracted))
      // The base never changed while frozen.
      XCTAssertEqual(Array(net.namedParameters.map(\.parameter.value).prefix(weights.count)), weights)
    }
    XCTAssertTrue(results[0].extracted)
    XCTAssertFalse(results[1].extracted)
    XCTAssertEqual(results[0].losses.count, 3)
    for (a, b) in zip(results[0].losses, results[1].losses) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    for (a, b) in zip(results[0].weights.joined(), results[1].weights.joined()) { XCTAssertEqual(a, b, accuracy: 1e-4) }
  }

  /// Step 2 unfreezes the base's last layers: they change, the frozen ones do not.
  func testStepTwoTrainsOnlyTheUnfrozenLayers() throws {
    let (base, weights) = try smallBase()
    let plan = FineTuningPlan(freezeEpochs: 1, finetuneEpochs: 1, learningRate: 0.01, batch: 8)
    let tuning = BaseFineTuning(
      base: base, baseWeights: weights, head: PretrainedBase.Head(hidden: 0, classes: 3), unfreeze: .top(1), plan: plan,
      seed: 1)
    var counts: [ParameterCount] = []
    let net = try tuning.run(training: data(24, seed: 4), onEvent: { e in
      if case .stepStarted(let p) = e { counts.append(p.counts) }
    })
    // Step 1: head 5*3+3; step 2: + c2's 3*3*4*5+5.
    XCTAssertEqual(counts.map(\.trainable), [18, 18 + 185])
    let after = net.namedParameters.map(\.parameter.value)
    XCTAssertEqual(Array(after[0..<6]), Array(weights[0..<6]))
    XCTAssertNotEqual(after[6], weights[6])
  }
}
