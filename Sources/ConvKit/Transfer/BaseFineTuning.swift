/// The course's three steps on a pretrained base without its top: (1) freeze the base and
/// train the new head, (2) unfreeze the base (or its last N layers) and train jointly at a
/// lower rate, (3) evaluate (the caller, on its test set).
///
/// While the base is frozen its output for an image never changes, so step 1 can run every
/// image through the base once and train the head on those features (Keras's "feature
/// extraction without augmentation"): the same numbers, epochs that cost only the head.
/// Random augmentation changes the images every epoch, so it turns that off.
public struct BaseFineTuning {
  public var base: GraphSpec
  /// Parallel to `InferenceNetwork.slots(for: base)`.
  public var baseWeights: [[Float]]
  public var head: PretrainedBase.Head
  public var unfreeze: PretrainedBase.Unfreeze
  public var plan: FineTuningPlan
  public var seed: UInt64
  /// Step 1 on cached base features (ignored when `augment` is given).
  public var cacheFeatures: Bool

  public init(
    base: GraphSpec, baseWeights: [[Float]], head: PretrainedBase.Head, unfreeze: PretrainedBase.Unfreeze = .all,
    plan: FineTuningPlan, seed: UInt64 = 0, cacheFeatures: Bool = true
  ) {
    self.base = base
    self.baseWeights = baseWeights
    self.head = head
    self.unfreeze = unfreeze
    self.plan = plan
    self.seed = seed
    self.cacheFeatures = cacheFeatures
  }

  /// Base and head together, all layers' flags as Keras would have them at step `number`.
  public func model(step number: Int) -> GraphSpec {
    PretrainedBase.trainable(
      PretrainedBase.withHead(base, head: head), baseCount: base.nodes.count, unfreeze: number == 1 ? nil : unfreeze)
  }

  /// What happens while the steps run.
  public enum Event {
    case stepStarted(FineTuningPhase)
    /// Step 1's feature extraction: images done of the total, seconds so far.
    case extracting(done: Int, of: Int, seconds: Double)
    case extracted(images: Int, seconds: Double)
    case training(TrainingEvent)
    case stepEnded(FineTuningPhase, [EpochMetrics])
  }

  /// Runs steps 1 and 2 (each when it has epochs) on `training` (preprocessed, at the base's
  /// input size). `augment(epoch)` gives the epoch's transformed training images (preprocessed);
  /// `afterStep` sees the network after each step (to evaluate it). Returns the last network.
  @discardableResult
  public func run(
    training: LabeledImages, validation: LabeledImages? = nil, augment: ((Int) -> LabeledImages)? = nil,
    shouldStop: () -> Bool = { false }, onEvent: (Event) -> Void = { _ in },
    afterStep: (FineTuningPhase, Network) throws -> Void = { _, _ in }
  ) throws -> Network {
    let baseCount = base.nodes.count
    let step1 = model(step: 1)
    let headGraph = try PretrainedBase.headOnly(step1, baseCount: baseCount)
    // The head's first weights, the same whether step 1 runs on features or on images.
    let headNet = try Network(graph: headGraph, seed: seed)
    var headWeights = headNet.namedParameters.map(\.parameter.value)
    var currentBase = baseWeights
    var network = try Network(graph: step1, seed: seed, weights: currentBase + headWeights)
    let clock = ContinuousClock()

    if plan.freezeEpochs > 0 && !shouldStop() {
      let phase = FineTuningPhase(
        number: 1, epochs: plan.freezeEpochs, learningRate: plan.learningRate, counts: try step1.parameterCount(),
        trainable: network.layers.map(\.isTrainable))
      onEvent(.stepStarted(phase))
      let optimizer = OptimizerKind.adam.make(learningRate: plan.learningRate)
      var history: [EpochMetrics] = []
      if cacheFeatures && augment == nil {
        let extractor = try InferenceNetwork(graph: base, weights: currentBase)
        let started = clock.now
        let total = training.count + (validation?.count ?? 0)
        func features(_ set: LabeledImages, offset: Int) -> LabeledImages {
          LabeledImages(
            images: PretrainedBase.features(of: extractor, images: set.images) { done in
              onEvent(.extracting(done: offset + done, of: total, seconds: (clock.now - started).seconds))
            }, labels: set.labels)
        }
        let trainFeatures = features(training, offset: 0)
        let validationFeatures = validation.map { features($0, offset: training.count) }
        onEvent(.extracted(images: total, seconds: (clock.now - started).seconds))
        history = try headNet.fit(
          trainFeatures, validation: validationFeatures, epochs: plan.freezeEpochs, batchSize: plan.batch,
          optimizer: optimizer, shouldStop: shouldStop, onEvent: { onEvent(.training($0)) })
        headWeights = headNet.namedParameters.map(\.parameter.value)
        network = try Network(graph: step1, seed: seed, weights: currentBase + headWeights)
      } else {
        for epoch in 1...plan.freezeEpochs {
          if shouldStop() { break }
          let data = augment?(epoch) ?? training
          let one = try network.fit(
            data, validation: validation, epochs: 1, batchSize: plan.batch, optimizer: optimizer, shouldStop: shouldStop,
            onEvent: { onEvent(.training(Self.renumbered($0, epoch: epoch, of: plan.freezeEpochs))) })
          history += one.map { var m = $0; m.epoch = epoch; return m }
        }
      }
      onEvent(.stepEnded(phase, history))
      try afterStep(phase, network)
    }

    if plan.finetuneEpochs > 0 && !shouldStop() {
      let values = network.namedParameters.map(\.parameter.value)
      currentBase = Array(values[..<baseWeights.count])
      headWeights = Array(values[baseWeights.count...])
      let step2 = model(step: 2)
      network = try Network(graph: step2, seed: seed &+ 1, weights: currentBase + headWeights)
      let phase = FineTuningPhase(
        number: 2, epochs: plan.finetuneEpochs, learningRate: plan.phase2LearningRate, counts: try step2.parameterCount(),
        trainable: network.layers.map(\.isTrainable))
      onEvent(.stepStarted(phase))
      let optimizer = OptimizerKind.adam.make(learningRate: plan.phase2LearningRate)
      var history: [EpochMetrics] = []
      for epoch in 1...plan.finetuneEpochs {
        if shouldStop() { break }
        let data = augment?(plan.freezeEpochs + epoch) ?? training
        let one = try network.fit(
          data, validation: validation, epochs: 1, batchSize: plan.batch, optimizer: optimizer, shouldStop: shouldStop,
          onEvent: { onEvent(.training(Self.renumbered($0, epoch: epoch, of: plan.finetuneEpochs))) })
        history += one.map { var m = $0; m.epoch = epoch; return m }
      }
      onEvent(.stepEnded(phase, history))
      try afterStep(phase, network)
    }
    return network
  }

  /// An event of a one-epoch `fit` as epoch `epoch` of `epochs`.
  static func renumbered(_ event: TrainingEvent, epoch: Int, of epochs: Int) -> TrainingEvent {
    switch event {
    case .epochStarted(_, _, let batches): return .epochStarted(epoch: epoch, epochs: epochs, batches: batches)
    case .batchEnded(_, let b, let batches, let loss, let accuracy, let seconds):
      return .batchEnded(epoch: epoch, batch: b, batches: batches, loss: loss, accuracy: accuracy, seconds: seconds)
    case .epochEnded(var m):
      m.epoch = epoch
      return .epochEnded(m)
    }
  }
}
