/// Images with their class labels: a training, validation or test set.
/// `images` is `[N, H, W, C]` (NHWC, values usually in [0, 1]); `labels[i]` is image i's class.
public struct LabeledImages: Sendable {
  public var images: Tensor
  public var labels: [Int]

  public init(images: Tensor, labels: [Int]) {
    precondition(images.shape.first == labels.count, "one label per image: \(images.shape.first ?? 0) images, \(labels.count) labels")
    self.images = images
    self.labels = labels
  }

  public var count: Int { labels.count }
  /// `[H, W, C]` of one image.
  public var imageShape: FeatureShape { Array(images.shape.dropFirst()) }

  /// The images at `indices`, in that order.
  public func gather(_ indices: some Collection<Int>) -> LabeledImages {
    let size = imageShape.reduce(1, *)
    var values = [Float]()
    values.reserveCapacity(indices.count * size)
    var labs = [Int]()
    labs.reserveCapacity(indices.count)
    images.scalars.withUnsafeBufferPointer { p in
      for i in indices {
        values.append(contentsOf: p[(i * size)..<((i + 1) * size)])
        labs.append(labels[i])
      }
    }
    return LabeledImages(images: Tensor(shape: [indices.count] + imageShape, scalars: values), labels: labs)
  }

  /// The first `n` images (all when `n` is larger).
  public func prefix(_ n: Int) -> LabeledImages { n >= count ? self : gather(0..<n) }

  /// Keras's `validation_split`: the LAST `fraction` of the data (taken before any shuffling)
  /// is held out for validation.
  public func split(validationFraction fraction: Double) -> (training: LabeledImages, validation: LabeledImages?) {
    let held = Int((Double(count) * fraction).rounded(.down))
    guard fraction > 0, held > 0 else { return (self, nil) }
    return (gather(0..<(count - held)), gather((count - held)..<count))
  }
}

/// The numbers Keras prints at the end of an epoch.
public struct EpochMetrics: Sendable, Equatable {
  public var epoch: Int
  public var loss: Double
  public var accuracy: Double
  public var validationLoss: Double?
  public var validationAccuracy: Double?
  /// Training time of the epoch (forward, backward, updates; not data loading or validation).
  public var seconds: Double
  public var images: Int
}

/// What a training run reports while it runs, for progress bars and the TUI's dashboard.
public enum TrainingEvent: Sendable {
  case epochStarted(epoch: Int, epochs: Int, batches: Int)
  /// After each batch: running mean loss and accuracy over the epoch so far.
  case batchEnded(epoch: Int, batch: Int, batches: Int, loss: Double, accuracy: Double, seconds: Double)
  case epochEnded(EpochMetrics)
}

/// Why training stopped early.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  case diverged(epoch: Int, batch: Int, loss: Double, learningRate: Float)
  case badLabel(index: Int, label: Int, classes: Int)
  case shapeMismatch(expected: FeatureShape, got: FeatureShape)
  case outputNotClasses(String)

  public var description: String {
    switch self {
    case .diverged(let e, let b, let loss, let lr):
      let lower = NumberText.format(Double(lr) / 10)
      return "training diverged: the loss became \(loss.isNaN ? "NaN" : "infinite") at epoch \(e), batch \(b); "
        + "the learning rate \(NumberText.format(Double(lr))) is probably too high: try --lr \(lower)"
    case .badLabel(let i, let l, let c):
      return "label \(l) of example \(i) is not a class of a \(c)-way output"
    case .shapeMismatch(let expected, let got):
      return "the model expects images of shape \(ShapeText.tuple(expected)), the data has \(ShapeText.tuple(got))"
    case .outputNotClasses(let why):
      return why
    }
  }
}

/// A trainable network built from a `SequentialSpec`: Keras's `Sequential` with weights.
///
/// The loss is categorical cross-entropy on the last layer's softmax. It is computed from the
/// logits (the last layer's pre-activation) as logsumexp(z) - z[label], which never takes the
/// log of an underflowed probability, and backpropagation starts from dL/dz = (p - onehot) / N.
/// A model whose last activation is `linear` is read as producing logits.
public final class Network {
  public let spec: SequentialSpec
  public let layers: [NetworkLayer]
  public let seed: UInt64
  private var shuffleRNG: RandomSource

  /// Builds every layer with Glorot-uniform kernels and zero biases drawn from `seed`.
  public init(spec: SequentialSpec, seed: UInt64 = 0) throws {
    _ = AllocatorTuning.applied
    self.spec = spec
    self.seed = seed
    var rng = RandomSource(seed: seed)
    var weightsRNG = rng.split()
    shuffleRNG = rng.split()
    var built: [NetworkLayer] = []
    for (i, row) in try spec.rows().enumerated() {
      do {
        built.append(try makeLayer(row.layer, inputShape: row.inputShape, rng: &weightsRNG))
      } catch let e as ModelSpecError {
        throw ModelSpecError(layerIndex: i, e.message)
      }
    }
    // dL/dinput is only needed when some earlier layer has weights that train: the first
    // trainable layer (and anything under frozen layers, as in fine-tuning) skips that product.
    var trainsBelow = false
    for layer in built {
      if let conv = layer as? Conv2DLayer { conv.needsInputGradient = trainsBelow }
      if let dense = layer as? DenseLayer { dense.needsInputGradient = trainsBelow }
      if layer.isTrainable && layer.parameters.contains(where: \.learnable) { trainsBelow = true }
    }
    layers = built
    guard let last = built.last as? ActivatedLayer, last.activation == .softmax || last.activation == .linear else {
      throw TrainingError.outputNotClasses(
        "the last layer must end in a softmax (or linear logits) for categorical cross-entropy, "
          + "for example dense(10, softmax)")
    }
    guard last.outputShape.count == 1 else {
      throw TrainingError.outputNotClasses(
        "the model's output must be one vector of class scores, got \(ShapeText.batched(last.outputShape)): add flatten before the last dense")
    }
  }

  /// Number of classes the last layer scores.
  public var classes: Int { layers.last!.outputShape[0] }
  public var inputShape: FeatureShape { spec.inputShape }

  /// Every weight tensor named `layer/weight` (`conv2d/kernel`, `dense_1/bias`, ...).
  public var namedParameters: [(name: String, parameter: Parameter)] {
    layers.flatMap { l in l.parameters.map { (l.spec.name + "/" + $0.name, $0) } }
  }

  /// The weights an optimizer may change: learnable weights of trainable layers.
  public var trainableParameters: [Parameter] {
    layers.filter(\.isTrainable).flatMap { $0.parameters.filter(\.learnable) }
  }

  /// Class probabilities `[N, classes]` (softmax applied even to a linear last layer).
  public func forward(_ x: Tensor, training: Bool = false) -> Tensor {
    var h = x
    for layer in layers { h = layer.forward(h, training: training) }
    let last = layers.last as! ActivatedLayer
    if last.activation == .linear {
      return Tensor(shape: h.shape, scalars: Activation.softmax.apply(h.scalars, width: classes))
    }
    return h
  }

  /// Probabilities for many images, `batchSize` at a time, in inference mode.
  public func predict(_ images: Tensor, batchSize: Int = 256) -> Tensor {
    let n = images.shape[0]
    let size = inputShape.reduce(1, *)
    var out = [Float]()
    out.reserveCapacity(n * classes)
    var start = 0
    while start < n {
      let end = min(n, start + batchSize)
      let x = Tensor(shape: [end - start] + inputShape, scalars: Array(images.scalars[(start * size)..<(end * size)]))
      out.append(contentsOf: forward(x).scalars)
      start = end
    }
    return Tensor(shape: [n, classes], scalars: out)
  }

  /// Mean loss and number of correct predictions of a batch after a forward pass.
  private func lossOfLastForward(labels: [Int]) -> (loss: Double, correct: Int) {
    let last = layers.last as! ActivatedLayer
    let z = last.preActivation.scalars
    let c = classes
    var total = 0.0
    var correct = 0
    for (r, label) in labels.enumerated() {
      let base = r * c
      var m = -Float.infinity
      var best = 0
      for j in 0..<c where z[base + j] > m {
        m = z[base + j]
        best = j
      }
      var s = 0.0
      for j in 0..<c { s += _exp(Double(z[base + j] - m)) }
      total += _log(s) + Double(m) - Double(z[base + label])
      if best == label { correct += 1 }
    }
    return (total / Double(max(labels.count, 1)), correct)
  }

  /// One forward and backward pass: sets every weight's gradient to dL/dw of the batch's mean
  /// loss. Returns the loss and how many images were classified right.
  @discardableResult
  public func computeGradients(images x: Tensor, labels: [Int], training: Bool = true) -> (loss: Double, correct: Int) {
    for l in layers { for p in l.parameters { p.zeroGradient() } }
    let probabilities = forward(x, training: training)
    let result = lossOfLastForward(labels: labels)
    let c = classes
    var dz = probabilities.scalars
    let scale = 1 / Float(labels.count)
    for (r, label) in labels.enumerated() {
      for j in 0..<c { dz[r * c + j] *= scale }
      dz[r * c + label] -= scale
    }
    var grad = (layers.last as! ActivatedLayer).backward(preActivationGradient: Tensor(shape: probabilities.shape, scalars: dz))
    // Layers below the lowest one with trainable weights need no gradient at all.
    let lowest = layers.firstIndex { $0.isTrainable && $0.parameters.contains(where: \.learnable) } ?? layers.count
    for i in stride(from: layers.count - 2, through: lowest, by: -1) { grad = layers[i].backward(grad) }
    return result
  }

  /// Mean loss and accuracy over a data set, in inference mode.
  public func evaluate(_ data: LabeledImages, batchSize: Int = 256) throws -> (loss: Double, accuracy: Double) {
    try check(data)
    var total = 0.0
    var correct = 0
    var start = 0
    while start < data.count {
      let end = min(data.count, start + batchSize)
      let batch = data.gather(start..<end)
      _ = forward(batch.images, training: false)
      let r = lossOfLastForward(labels: batch.labels)
      total += r.loss * Double(end - start)
      correct += r.correct
      start = end
    }
    return (total / Double(max(data.count, 1)), Double(correct) / Double(max(data.count, 1)))
  }

  private func check(_ data: LabeledImages) throws {
    guard data.imageShape == inputShape else {
      throw TrainingError.shapeMismatch(expected: inputShape, got: data.imageShape)
    }
    if let i = data.labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
      throw TrainingError.badLabel(index: i, label: data.labels[i], classes: classes)
    }
  }

  /// Keras's `fit`: `epochs` passes over `data` in shuffled mini-batches of `batchSize`, one
  /// optimizer step per batch; after each epoch the validation set (if any) is evaluated.
  /// Stops with `TrainingError.diverged` when the loss stops being a finite number, and early
  /// (returning the epochs done) when `shouldStop` says so.
  @discardableResult
  public func fit(
    _ data: LabeledImages, validation: LabeledImages? = nil, epochs: Int, batchSize: Int = 128,
    optimizer: Optimizer, shuffle: Bool = true,
    shouldStop: () -> Bool = { false }, onEvent: (TrainingEvent) -> Void = { _ in }
  ) throws -> [EpochMetrics] {
    try check(data)
    if let validation { try check(validation) }
    precondition(batchSize > 0, "the batch size must be at least 1")
    let batches = (data.count + batchSize - 1) / batchSize
    let clock = ContinuousClock()
    var history: [EpochMetrics] = []
    let parameters = trainableParameters
    for epoch in 1...max(epochs, 1) where epochs > 0 {
      onEvent(.epochStarted(epoch: epoch, epochs: epochs, batches: batches))
      var order = Array(0..<data.count)
      if shuffle { order.shuffle(using: &shuffleRNG) }
      var trainingTime = Duration.zero
      var lossSum = 0.0
      var correct = 0
      var seen = 0
      for b in 0..<batches {
        if shouldStop() { return history }
        let batch = data.gather(order[(b * batchSize)..<min(data.count, (b + 1) * batchSize)])
        let started = clock.now
        let r = computeGradients(images: batch.images, labels: batch.labels)
        guard r.loss.isFinite else {
          throw TrainingError.diverged(epoch: epoch, batch: b + 1, loss: r.loss, learningRate: optimizer.learningRate)
        }
        optimizer.step(parameters)
        trainingTime += clock.now - started
        lossSum += r.loss * Double(batch.count)
        correct += r.correct
        seen += batch.count
        onEvent(
          .batchEnded(
            epoch: epoch, batch: b + 1, batches: batches, loss: lossSum / Double(seen),
            accuracy: Double(correct) / Double(seen), seconds: trainingTime.seconds))
      }
      var metrics = EpochMetrics(
        epoch: epoch, loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
        validationLoss: nil, validationAccuracy: nil, seconds: trainingTime.seconds, images: seen)
      if let validation {
        let v = try evaluate(validation)
        metrics.validationLoss = v.loss
        metrics.validationAccuracy = v.accuracy
      }
      history.append(metrics)
      onEvent(.epochEnded(metrics))
    }
    return history
  }
}

extension Duration {
  /// The duration in seconds as a Double.
  public var seconds: Double {
    let c = components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
  }
}
