/// The course's transfer learning in three steps, on a trained `Network`: put a new classifier
/// on the pretrained base, train it with the base frozen, then unfreeze and train everything at
/// a lower rate. A network's `trainable` flags live in its spec (as Keras's `layer.trainable`
/// is read when the model is compiled), so each step builds a network from a changed spec and
/// copies the weights over.
public enum FineTuning {
  /// Index of the classifier head: the last Dense layer.
  public static func headIndex(of spec: SequentialSpec) -> Int? {
    spec.layers.lastIndex { $0.layer is Dense }
  }

  /// `network` with its last Dense layer replaced by a new one with `classes` units (same
  /// activation and bias; Glorot-uniform kernel and zero bias from `seed`), on `inputShape`
  /// (the base's input when nil). All other weights are copied.
  public static func replacingHead(
    of network: Network, classes: Int, inputShape: FeatureShape? = nil, seed: UInt64 = 0
  ) throws -> Network {
    let (spec, name) = try replacingHead(in: try sequential(network), classes: classes, inputShape: inputShape)
    let result = try Network(spec: spec, seed: seed)
    try copyWeights(from: network, to: result, skipping: [name])
    return result
  }

  /// The spec alone of `replacingHead(of:)` and the new head's name: what a summary shows
  /// before any weight is copied.
  public static func replacingHead(
    in base: SequentialSpec, classes: Int, inputShape: FeatureShape? = nil
  ) throws -> (spec: SequentialSpec, headName: String) {
    guard let head = headIndex(of: base) else {
      throw ModelSpecError("the model has no Dense layer to replace with a new classifier")
    }
    guard let old = base.layers[head].layer as? Dense else {
      throw ModelSpecError("the model has no Dense layer to replace with a new classifier")
    }
    var layers = base.layers
    // A fresh name (as Keras names a new Dense layer), so no old weight is taken for the new head.
    var name = "dense_new"
    var n = 1
    while layers.contains(where: { $0.name == name }) { name = "dense_new_\(n)"; n += 1 }
    layers[head] = LayerSpec(Dense(units: classes, activation: old.activation, useBias: old.useBias), name: name)
    return (SequentialSpec(inputShape: inputShape ?? base.inputShape, layers: layers), name)
  }

  /// The Sequential stack fine-tuning works on (its last Dense layer is the head).
  public static func sequential(_ network: Network) throws -> SequentialSpec {
    guard let s = network.sequential else {
      throw ModelSpecError("fine-tuning here works on Sequential models; this one has branches")
    }
    return s
  }

  /// `spec` as phase 1 trains it: only the head (the last Dense layer) trainable.
  public static func headOnlyTrainable(_ spec: SequentialSpec) -> SequentialSpec {
    var s = spec
    let head = headIndex(of: spec)
    for i in s.layers.indices { s.layers[i].trainable = i == head }
    return s
  }

  /// A copy of `network` whose layer `i` is trainable when `trainable(i)` says so: freezing the
  /// base is `withTrainable(net) { $0 == head }`, unfreezing is `{ _ in true }`.
  public static func withTrainable(_ network: Network, seed: UInt64? = nil, _ trainable: (Int) -> Bool) throws -> Network {
    let base = try sequential(network)
    var layers = base.layers
    for i in layers.indices { layers[i].trainable = trainable(i) }
    let result = try Network(spec: SequentialSpec(inputShape: base.inputShape, layers: layers), seed: seed ?? network.seed)
    try copyWeights(from: network, to: result)
    return result
  }

  /// Copies every weight of `target` (but those of layers named in `skipping`) from the
  /// same-named weight of `source`; a missing weight or a different shape throws.
  public static func copyWeights(from source: Network, to target: Network, skipping: Set<String> = []) throws {
    let old = Dictionary(source.namedParameters.map { ($0.name, $0.parameter) }, uniquingKeysWith: { a, _ in a })
    for layer in target.layers where !skipping.contains(layer.name) {
      for p in layer.parameters {
        let key = layer.name + "/" + p.name
        guard let q = old[key] else { throw ModelSpecError("the base model has no weight \(key)") }
        guard q.shape == p.shape else {
          throw ModelSpecError(
            "weight \(key) has shape \(q.shape) in the base model but \(p.shape) here (the new input shape changes it)")
        }
        p.value = q.value
      }
    }
  }
}

/// The course's two training phases after a new head: `freezeEpochs` with only the head
/// training at `learningRate`, then `finetuneEpochs` with every layer training at the lower
/// `finetuneLearningRate` (Adam, as Keras's fine-tuning guide compiles it).
public struct FineTuningPlan: Sendable, Equatable {
  public var freezeEpochs: Int
  public var finetuneEpochs: Int
  public var learningRate: Float
  /// Phase 2's rate; nil is `learningRate / 10`.
  public var finetuneLearningRate: Float?
  public var batch: Int

  public init(freezeEpochs: Int = 2, finetuneEpochs: Int = 2, learningRate: Float = 0.001, finetuneLearningRate: Float? = nil, batch: Int = 128) {
    self.freezeEpochs = freezeEpochs
    self.finetuneEpochs = finetuneEpochs
    self.learningRate = learningRate
    self.finetuneLearningRate = finetuneLearningRate
    self.batch = batch
  }

  public var phase2LearningRate: Float { finetuneLearningRate ?? learningRate / 10 }
  public var totalEpochs: Int { freezeEpochs + finetuneEpochs }
}

/// One phase as it starts: which layers train and the counts `summary` would print.
public struct FineTuningPhase: Sendable, Equatable {
  /// 1: base frozen; 2: all layers.
  public var number: Int
  public var epochs: Int
  public var learningRate: Float
  public var counts: ParameterCount
  /// Per layer of the network, as `LayerSpec.trainable`.
  public var trainable: [Bool]
  public var baseFrozen: Bool { number == 1 }

  public init(number: Int, epochs: Int, learningRate: Float, counts: ParameterCount, trainable: [Bool]) {
    self.number = number
    self.epochs = epochs
    self.learningRate = learningRate
    self.counts = counts
    self.trainable = trainable
  }
}

extension FineTuning {
  /// The network fine-tuning starts from: `base` with a new `classes`-unit head, on images of
  /// `inputShape`, whose channels must be the base's (a gray base cannot read colour images).
  public static func prepare(base: Network, classes: Int, inputShape: FeatureShape, seed: UInt64 = 0) throws -> Network {
    guard inputShape.count == 3, base.inputShape.count == 3, inputShape[2] == base.inputShape[2] else {
      throw ModelSpecError(
        "the base model takes \(ShapeText.tuple(base.inputShape)) images but these are \(ShapeText.tuple(inputShape)): "
          + "the channels must match")
    }
    return try replacingHead(of: base, classes: classes, inputShape: inputShape, seed: seed)
  }

  /// Runs `plan` on `start` (from `prepare`): phase 1 trains only the head, phase 2 every layer
  /// at the lower rate. `phaseStarted` and `phaseEnded` see each phase's network (to print its
  /// counts, evaluate it); `shouldStop` ends the run early, skipping phase 2. Returns the
  /// network after the last phase run.
  @discardableResult
  public static func run(
    _ start: Network, plan: FineTuningPlan, training: LabeledImages, validation: LabeledImages? = nil,
    shouldStop: () -> Bool = { false },
    phaseStarted: (FineTuningPhase, Network) throws -> Void = { _, _ in },
    onEvent: (TrainingEvent) -> Void = { _ in },
    phaseEnded: (FineTuningPhase, Network, [EpochMetrics]) throws -> Void = { _, _, _ in }
  ) throws -> Network {
    guard let head = headIndex(of: try sequential(start)) else {
      throw ModelSpecError("the model has no Dense layer to use as the classifier head")
    }
    var network = start
    let phases: [(Int, Int, Float, (Int) -> Bool)] = [
      (1, plan.freezeEpochs, plan.learningRate, { $0 == head }),
      (2, plan.finetuneEpochs, plan.phase2LearningRate, { _ in true }),
    ]
    for (number, epochs, rate, trains) in phases where epochs > 0 {
      if shouldStop() { break }
      network = try withTrainable(network, trains)
      let phase = FineTuningPhase(
        number: number, epochs: epochs, learningRate: rate, counts: try network.graph.parameterCount(),
        trainable: network.layers.map(\.isTrainable))
      try phaseStarted(phase, network)
      let history = try network.fit(
        training, validation: validation, epochs: epochs, batchSize: plan.batch,
        optimizer: OptimizerKind.adam.make(learningRate: rate), shouldStop: shouldStop, onEvent: onEvent)
      try phaseEnded(phase, network, history)
    }
    return network
  }
}
