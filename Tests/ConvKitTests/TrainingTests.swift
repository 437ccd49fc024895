import ConvKit
import Foundation
import XCTest

/// Optimizer rules with hand-worked numbers, seeds, frozen layers, divergence, and one training
/// step against PyTorch.
final class TrainingTests: XCTestCase {
  func param(_ values: [Float], gradient: [Float]) -> Parameter {
    let p = Parameter(name: "w", shape: [values.count], value: values)
    p.gradient = gradient
    return p
  }

  func testSGDWithAndWithoutMomentum() {
    // w = 1, g = 0.5, lr 0.1: w = 1 - 0.1*0.5 = 0.95.
    let p = param([1], gradient: [0.5])
    SGD(learningRate: 0.1).step([p])
    XCTAssertEqual(p.value[0], 0.95, accuracy: 1e-7)
    // Momentum 0.9: v1 = -0.05, w1 = 0.95; v2 = 0.9*(-0.05) - 0.05 = -0.095, w2 = 0.855.
    let q = param([1], gradient: [0.5])
    let opt = SGD(learningRate: 0.1, momentum: 0.9)
    opt.step([q])
    XCTAssertEqual(q.value[0], 0.95, accuracy: 1e-7)
    opt.step([q])
    XCTAssertEqual(q.value[0], 0.855, accuracy: 1e-6)
  }

  func testAdamMatchesHandComputedSteps() {
    // Step 1, g = 0.5: m = 0.05, v = 0.00025, alpha = 0.001*sqrt(0.001)/0.1 = 3.16228e-4,
    // w -= alpha*m/(sqrt(v) + 1e-7) = 3.16228e-4 * 0.05 / 0.0158115 = 9.99994e-4.
    let p = param([1, -2], gradient: [0.5, -0.1])
    let adam = Adam()
    adam.step([p])
    XCTAssertEqual(p.value[0], 1 - 9.99994e-4, accuracy: 2e-7)
    XCTAssertEqual(p.value[1], -2 + 9.9997e-4, accuracy: 2e-7)  // sign-only first step: ~lr
    // Step 2, g = 0.2: m = 0.05 + (0.2-0.05)*0.1 = 0.065; v = 0.00025 + (0.04-0.00025)*0.001
    // = 0.00028975; alpha = 0.001*sqrt(1-0.998001)/(1-0.81) = 2.35317e-4;
    // step = 2.35317e-4 * 0.065 / (0.0170220 + 1e-7) = 8.98567e-4.
    p.gradient = [0.2, -0.1]
    adam.step([p])
    XCTAssertEqual(p.value[0], 1 - 9.99994e-4 - 8.98567e-4, accuracy: 5e-7)
  }

  func testRMSpropMatchesHandComputedStep() {
    // s = 0.1*0.25 = 0.025; w -= 0.001*0.5/sqrt(0.025 + 1e-7) = 3.16227e-3.
    let p = param([1], gradient: [0.5])
    RMSprop().step([p])
    XCTAssertEqual(p.value[0], 1 - 3.16227e-3, accuracy: 2e-7)
  }

  func testKerasDefaultLearningRates() {
    XCTAssertEqual(OptimizerKind.sgd.defaultLearningRate, 0.01)
    XCTAssertEqual(OptimizerKind.adam.defaultLearningRate, 0.001)
    XCTAssertEqual(OptimizerKind.rmsprop.defaultLearningRate, 0.001)
  }

  /// 200 random 8x8 images whose class is the brightest quadrant: learnable in a few epochs.
  func quadrantData(count: Int = 200, seed: UInt64 = 9) -> LabeledImages {
    var rng = RandomSource(seed: seed)
    var values: [Float] = []
    var labels: [Int] = []
    for _ in 0..<count {
      let label = Int(rng.next() % 4)
      for r in 0..<8 {
        for c in 0..<8 {
          let quadrant = (r / 4) * 2 + c / 4
          values.append(rng.nextUnitFloat() * 0.5 + (quadrant == label ? 0.5 : 0))
        }
      }
      labels.append(label)
    }
    return LabeledImages(images: Tensor(shape: [count, 8, 8, 1], scalars: values), labels: labels)
  }

  func smallSpec(frozenFirst: Bool = false) -> SequentialSpec {
    SequentialSpec(inputShape: [8, 8, 1], layers: [
      LayerSpec(Conv2D(filters: 4, kernelSize: Size2(3, 3), strides: Size2(1, 1), padding: .same, dilation: Size2(1), activation: .relu, useBias: true), trainable: !frozenFirst),
      LayerSpec(BatchNormalization(epsilon: 1e-3, momentum: 0.99), trainable: !frozenFirst),
      LayerSpec(MaxPooling2D(poolSize: Size2(2, 2), strides: Size2(2, 2), padding: .valid)),
      LayerSpec(Flatten()),
      LayerSpec(Dropout(rate: 0.2)),
      LayerSpec(Dense(units: 4, activation: .softmax, useBias: true)),
    ])
  }

  func testSameSeedSameResultAndLearning() throws {
    let data = quadrantData()
    func run(seed: UInt64) throws -> (Network, [EpochMetrics]) {
      let net = try Network(spec: smallSpec(), seed: seed)
      let history = try net.fit(data, epochs: 3, batchSize: 16, optimizer: Adam(learningRate: 0.01))
      return (net, history)
    }
    let (a, ha) = try run(seed: 42)
    let (b, hb) = try run(seed: 42)
    let (c, _) = try run(seed: 43)
    XCTAssertEqual(a.namedParameters.count, b.namedParameters.count)
    XCTAssertGreaterThan(a.namedParameters.count, 0)
    XCTAssertEqual(a.namedParameters.map(\.name), b.namedParameters.map(\.name))
    for (pa, pb) in zip(a.namedParameters, b.namedParameters) { XCTAssertEqual(pa.parameter.value, pb.parameter.value, pa.name) }
    XCTAssertEqual(ha.map(\.loss), hb.map(\.loss))
    XCTAssertNotEqual(a.namedParameters[0].parameter.value, c.namedParameters[0].parameter.value)
    XCTAssertGreaterThan(try a.evaluate(data).accuracy, 0.9, "the quadrant task is easy")
  }

  func testGlorotUniformInitAndZeroBiases() throws {
    let net = try Network(spec: SequentialSpec(inputShape: [100], layers: [LayerSpec(Dense(units: 50, activation: .softmax, useBias: true))]), seed: 1)
    let kernel = net.namedParameters[0].parameter.value
    let limit = Float((6.0 / 150.0).squareRoot())  // 0.2
    XCTAssertTrue(kernel.allSatisfy { abs($0) <= limit })
    XCTAssertGreaterThan(kernel.map(abs).max()!, limit * 0.95, "spread over the whole range")
    let mean = kernel.reduce(0, +) / Float(kernel.count)
    XCTAssertEqual(mean, 0, accuracy: 0.01)
    XCTAssertEqual(net.namedParameters[1].parameter.value, [Float](repeating: 0, count: 50))
  }

  func testFrozenLayersDoNotChange() throws {
    let net = try Network(spec: smallSpec(frozenFirst: true), seed: 1)
    let before = net.namedParameters.map(\.parameter.value)
    try net.fit(quadrantData(count: 64), epochs: 1, batchSize: 16, optimizer: Adam(learningRate: 0.01))
    for (i, (name, p)) in net.namedParameters.enumerated() {
      if name.hasPrefix("conv2d/") || name.hasPrefix("batch_normalization/") {
        XCTAssertEqual(p.value, before[i], "\(name) is frozen")
      } else {
        XCTAssertNotEqual(p.value, before[i], "\(name) trains")
      }
    }
    let counts = try smallSpec(frozenFirst: true).parameterCount()
    XCTAssertEqual(counts.nonTrainable, 40 + 16)
  }

  func testDivergenceStopsWithAMessage() throws {
    // Hidden layers make a huge step grow multiplicatively until the logits overflow.
    let net = try Network(spec: SequentialSpec(inputShape: [8, 8, 1], layers: [
      LayerSpec(Flatten()), LayerSpec(Dense(units: 16, activation: .relu, useBias: true)),
      LayerSpec(Dense(units: 16, activation: .relu, useBias: true)), LayerSpec(Dense(units: 4, activation: .softmax, useBias: true)),
    ]), seed: 1)
    XCTAssertThrowsError(try net.fit(quadrantData(), epochs: 3, batchSize: 16, optimizer: SGD(learningRate: 1e30))) { error in
      guard case TrainingError.diverged = error else { return XCTFail("expected divergence, got \(error)") }
      XCTAssertTrue(String(describing: error).contains("lower") || String(describing: error).contains("too high"))
      XCTAssertTrue(String(describing: error).contains("--lr"))
    }
  }

  func testEventsReportBatchesAndEpochs() throws {
    let net = try Network(spec: smallSpec(), seed: 1)
    let data = quadrantData(count: 100)
    let (train, validation) = data.split(validationFraction: 0.2)
    XCTAssertEqual(train.count, 80)
    XCTAssertEqual(validation?.labels, Array(data.labels[80...]), "Keras holds out the last fraction")
    var batches = 0
    var epochs: [EpochMetrics] = []
    try net.fit(train, validation: validation, epochs: 2, batchSize: 32, optimizer: Adam(), onEvent: { event in
      switch event {
      case .batchEnded(_, let b, let total, _, _, _):
        XCTAssertEqual(total, 3)
        XCTAssertTrue((1...3).contains(b))
        batches += 1
      case .epochEnded(let m): epochs.append(m)
      case .epochStarted: break
      }
    })
    XCTAssertEqual(batches, 6)
    XCTAssertEqual(epochs.map(\.epoch), [1, 2])
    XCTAssertEqual(epochs[0].images, 80)
    XCTAssertNotNil(epochs[1].validationAccuracy)
  }

  func testBadLabelsAndShapesAreErrors() throws {
    let net = try Network(spec: smallSpec(), seed: 1)
    var data = quadrantData(count: 10)
    data.labels[3] = 7
    XCTAssertThrowsError(try net.evaluate(data))
    let wrong = LabeledImages(images: Tensor(zeros: [2, 9, 9, 1]), labels: [0, 1])
    XCTAssertThrowsError(try net.evaluate(wrong))
    XCTAssertThrowsError(try Network(spec: SequentialSpec(inputShape: [4, 4, 1], layers: [LayerSpec(Conv2D(filters: 2, kernelSize: Size2(3, 3), strides: Size2(1, 1), padding: .valid, dilation: Size2(1), activation: .relu, useBias: true))])))
  }

  /// One step of a small CNN (asymmetric same padding, stride 2, BatchNorm, max pooling, tanh,
  /// softmax) against PyTorch in float64: Fixtures/make_torch_step_fixture.py.
  func testOneStepMatchesPyTorch() throws {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/torch_step", withExtension: "json"))
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    func floats(_ any: Any?) -> [Float] { (any as? [Any] ?? []).map { Float(($0 as! NSNumber).doubleValue) } }
    let spec = SequentialSpec(inputShape: [12, 12, 2], layers: [
      LayerSpec(Conv2D(filters: 4, kernelSize: Size2(3, 3), strides: Size2(2, 2), padding: .same, dilation: Size2(1), activation: .relu, useBias: true)),
      LayerSpec(BatchNormalization(epsilon: 1e-3, momentum: 0.99)),
      LayerSpec(MaxPooling2D(poolSize: Size2(2, 2), strides: Size2(2, 2), padding: .valid)),
      LayerSpec(Conv2D(filters: 3, kernelSize: Size2(2, 2), strides: Size2(1, 1), padding: .valid, dilation: Size2(1), activation: .tanh, useBias: true)),
      LayerSpec(Flatten()),
      LayerSpec(Dense(units: 3, activation: .softmax, useBias: true)),
    ])
    let net = try Network(spec: spec, seed: 0)
    let weights = try XCTUnwrap(json["weights"] as? [String: Any])
    for (name, p) in net.namedParameters where p.learnable {
      p.value = floats(weights[name])
      XCTAssertEqual(p.value.count, p.shape.reduce(1, *), name)
    }
    let x = Tensor(shape: [4, 12, 12, 2], scalars: floats(json["input"]))
    let labels = (json["labels"] as! [Any]).map { ($0 as! NSNumber).intValue }
    let (loss, _) = net.computeGradients(images: x, labels: labels)
    XCTAssertEqual(loss, (json["loss"] as! NSNumber).doubleValue, accuracy: 1e-4)
    let grads = try XCTUnwrap(json["gradients"] as? [String: Any])
    // Every learnable parameter has a reference gradient and every reference is checked.
    XCTAssertEqual(Set(net.namedParameters.filter { $0.parameter.learnable }.map(\.name)), Set(grads.keys))
    for (name, p) in net.namedParameters where p.learnable {
      let expected = floats(grads[name])
      XCTAssertEqual(p.gradient.count, expected.count, name)
      for (g, e) in zip(p.gradient, expected) { XCTAssertEqual(g, e, accuracy: 1e-4, name) }
    }
    SGD(learningRate: 0.1).step(net.trainableParameters)
    let after = try XCTUnwrap(json["after_sgd"] as? [String: Any])
    XCTAssertEqual(Set(net.namedParameters.filter { $0.parameter.learnable }.map(\.name)), Set(after.keys))
    for (name, p) in net.namedParameters where p.learnable {
      let expected = floats(after[name])
      XCTAssertEqual(p.value.count, expected.count, name)
      for (v, e) in zip(p.value, expected) { XCTAssertEqual(v, e, accuracy: 1e-5, name) }
    }
  }
}
