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
  /// No images: fit would learn nothing and evaluate would divide by zero (accuracy -nan).
  case noImages

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
    case .noImages:
      return "no images: an empty set can be neither trained on nor evaluated"
    }
  }
}

/// One layer of a built network: the graph node, its shapes and its running layer.
public final class NetworkLayer {
  public let node: GraphNode
  public let inputShapes: [FeatureShape]
  public let outputShape: FeatureShape
  public let runtime: any LayerRuntime
  /// Indices (in `Network.layers`, -1 for the model's input) of the layers this one reads.
  let inputIndices: [Int]

  init(node: GraphNode, inputShapes: [FeatureShape], outputShape: FeatureShape, runtime: any LayerRuntime, inputIndices: [Int]) {
    self.node = node
    self.inputShapes = inputShapes
    self.outputShape = outputShape
    self.runtime = runtime
    self.inputIndices = inputIndices
  }

  public var name: String { node.name }
  public var inputShape: FeatureShape { inputShapes.first ?? [] }
  public var parameters: [Parameter] { runtime.parameters }
  /// Frozen layers (`trainable = false`) pass gradients through but never change.
  public var isTrainable: Bool { node.trainable }
  /// True when training changes some weight of this layer.
  var trainsWeights: Bool { isTrainable && parameters.contains(where: \.learnable) }

  /// The layer alone on one input (for tests and the screens that show one layer).
  public func forward(_ x: Tensor, training: Bool) -> Tensor { runtime.forward([x], training: training) }
  /// dL/dinput of a one-input layer, after `forward`.
  public func backward(_ dOutput: Tensor) -> Tensor { runtime.backward(dOutput)[0] }
}

/// One layer alone on an input shape, with Keras's initial weights drawn from `rng`: the same
/// layer a network builds, for tests and for screens that show one layer.
public func makeLayer(_ spec: LayerSpec, inputShape: FeatureShape, rng: inout RandomSource) throws -> NetworkLayer {
  let output = try spec.outputShape(for: inputShape)
  let parameters = spec.layer.weights(for: [inputShape]).map {
    Parameter(name: $0.name, shape: $0.shape, value: $0.initialValues(rng: &rng), learnable: $0.learnable)
  }
  let context = RuntimeContext(
    inputShapes: [inputShape], outputShape: output, parameters: parameters, trainable: spec.trainable,
    rng: spec.layer.drawsRandomNumbers ? rng.split() : RandomSource(seed: 0))
  return NetworkLayer(
    node: GraphNode(name: spec.name, layer: spec.layer, inputs: ["input"], trainable: spec.trainable),
    inputShapes: [inputShape], outputShape: output, runtime: try spec.layer.makeRuntime(context), inputIndices: [-1])
}

/// A trainable network built from a `GraphSpec` (a `SequentialSpec` is a chain): Keras's model
/// with weights.
///
/// Forward runs the layers in the graph's order (each node's inputs come before it); backward
/// runs them in reverse, summing the gradients of a layer read by several others (ResNet's
/// shortcut). The loss is categorical cross-entropy on the last layer's softmax, computed from
/// the logits (its pre-activation) as logsumexp(z) - z[label], which never takes the log of an
/// underflowed probability; backpropagation starts from dL/dz = (p - onehot) / N. A model
/// whose last activation is `linear` is read as producing logits.
public final class Network {
  public let graph: GraphSpec
  /// The layers after the input, in the graph's order (for a chain: `sequential.layers`'s).
  public let layers: [NetworkLayer]
  public let seed: UInt64
  private var shuffleRNG: RandomSource
  /// Per layer: whether backward must run through it (it or a layer before it trains).
  var backwardRuns: [Bool] = []

  /// Builds every layer with Glorot-uniform kernels and zero biases drawn from `seed`.
  public convenience init(spec: SequentialSpec, seed: UInt64 = 0) throws {
    _ = try spec.rows()  // errors name the layer by its place in the stack
    try self.init(graph: spec.graph(), seed: seed)
  }

  /// Builds the graph's layers. With `weights` (parallel to `weightSlots`), they are used as
  /// they are and no gradient memory is taken until a backward pass needs it (inference of a
  /// big pretrained network); otherwise Keras's initial weights are drawn from `seed`.
  /// `classifier`: the output must be class scores for training (softmax or linear logits).
  public init(graph: GraphSpec, seed: UInt64 = 0, weights: [[Float]]? = nil, classifier: Bool = true) throws {
    _ = AllocatorTuning.applied
    self.graph = graph
    self.seed = seed
    var rng = RandomSource(seed: seed)
    var weightsRNG = rng.split()
    shuffleRNG = rng.split()
    let rows = try graph.rows()
    try ModelMemory.check(graph, batch: 1, training: false)
    var index: [String: Int] = [:]
    var built: [NetworkLayer] = []
    var slot = 0
    for row in rows {
      if row.node.isInput {
        guard index.isEmpty, built.isEmpty else { throw ModelSpecError("\(row.node.name): a model takes one input layer, first") }
        index[row.node.name] = -1
        continue
      }
      let specs = row.node.layer.weights(for: row.inputShapes)
      var parameters: [Parameter] = []
      for w in specs {
        if let weights {
          guard slot < weights.count else {
            throw ModelSpecError("the model needs more weight tensors than the \(weights.count) given")
          }
          guard weights[slot].count == w.count else {
            throw ModelSpecError(
              "\(row.node.name)/\(w.name) needs \(w.count) values (shape \(ShapeText.tuple(w.shape))), got \(weights[slot].count)")
          }
          parameters.append(Parameter(name: w.name, shape: w.shape, value: weights[slot], learnable: w.learnable, withGradient: false))
          slot += 1
        } else {
          parameters.append(Parameter(name: w.name, shape: w.shape, value: w.initialValues(rng: &weightsRNG), learnable: w.learnable))
        }
      }
      let context = RuntimeContext(
        inputShapes: row.inputShapes, outputShape: row.outputShape, parameters: parameters, trainable: row.node.trainable,
        rng: row.node.layer.drawsRandomNumbers ? weightsRNG.split() : RandomSource(seed: 0))
      let runtime: any LayerRuntime
      do {
        runtime = try row.node.layer.makeRuntime(context)
      } catch let e as ModelSpecError {
        throw ModelSpecError(layerIndex: built.count, e.message)
      }
      index[row.node.name] = built.count
      built.append(NetworkLayer(
        node: row.node, inputShapes: row.inputShapes, outputShape: row.outputShape, runtime: runtime,
        inputIndices: row.node.inputs.map { index[$0]! }))
    }
    if let weights, slot != weights.count {
      throw ModelSpecError("the model needs \(slot) weight tensors, got \(weights.count)")
    }
    guard !built.isEmpty else { throw ModelSpecError("the model has no layers") }
    layers = built
    // dL/dinput is only needed when some earlier layer has weights that train: the first
    // trainable layer (and anything under frozen layers, as in fine-tuning) skips that product.
    var runs = [Bool](repeating: false, count: built.count)
    for (i, layer) in built.enumerated() {
      let below = layer.inputIndices.contains { $0 >= 0 && runs[$0] }
      layer.runtime.needsInputGradient = below
      runs[i] = below || layer.trainsWeights
    }
    backwardRuns = runs
    if classifier { try checkClassifier() }
  }

  private func checkClassifier() throws {
    let last = layers.last!
    guard let out = last.runtime as? any ActivatedRuntime, out.activation == .softmax || out.activation == .linear else {
      throw TrainingError.outputNotClasses(
        "the last layer must end in a softmax (or linear logits) for categorical cross-entropy, "
          + "for example dense(10, softmax)")
    }
    guard last.outputShape.count == 1 else {
      throw TrainingError.outputNotClasses(
        "the model's output must be one vector of class scores, got \(ShapeText.batched(last.outputShape)): add flatten before the last dense")
    }
  }

  /// The model as a Sequential stack when it is one chain (nil for a graph with branches).
  public var sequential: SequentialSpec? { graph.sequential }

  /// Number of classes the last layer scores.
  public var classes: Int { layers.last!.outputShape.reduce(1, *) }
  public var inputShape: FeatureShape { graph.inputShape }
  public var outputShape: FeatureShape { layers.last!.outputShape }

  /// Every weight tensor named `layer/weight` (`conv2d/kernel`, `dense_1/bias`, ...).
  public var namedParameters: [(name: String, parameter: Parameter)] {
    layers.flatMap { l in l.parameters.map { (l.name + "/" + $0.name, $0) } }
  }

  /// The weights an optimizer may change: learnable weights of trainable layers.
  public var trainableParameters: [Parameter] {
    layers.filter(\.isTrainable).flatMap { $0.parameters.filter(\.learnable) }
  }

  /// What one layer did in a forward pass, for `--verbose` and the shape walk.
  public struct LayerReport: Sendable {
    public var index: Int
    public var name: String
    public var kerasClass: String
    public var outputShape: FeatureShape
    public var seconds: Double
    /// Multiply-adds count as two.
    public var flops: Double
  }

  /// Runs every layer in order. `keep`: layers keep what backward needs (training);
  /// otherwise each output is let go as soon as its last reader has run, so inference holds
  /// only the feature maps still to be read. `observe` sees each layer's report and output.
  func run(
    _ x: Tensor, training: Bool, keep: Bool, observe: ((LayerReport, Tensor) -> Void)? = nil
  ) -> Tensor {
    let clock = ContinuousClock()
    var outputs = [Tensor?](repeating: nil, count: layers.count)
    var readers = [Int](repeating: 0, count: layers.count)
    if !keep { for l in layers { for j in l.inputIndices where j >= 0 { readers[j] += 1 } } }
    for (i, layer) in layers.enumerated() {
      let started = clock.now
      let inputs = layer.inputIndices.map { $0 < 0 ? x : outputs[$0]! }
      let out = layer.runtime.forward(inputs, training: training)
      if !keep {
        layer.runtime.releaseCaches()
        for j in layer.inputIndices where j >= 0 {
          readers[j] -= 1
          if readers[j] == 0 { outputs[j] = nil }
        }
      }
      outputs[i] = out
      if let observe {
        let n = x.shape.first ?? 1
        observe(
          LayerReport(
            index: i, name: layer.name, kerasClass: layer.node.kerasClass, outputShape: layer.outputShape,
            seconds: (clock.now - started).seconds,
            flops: Double(n) * layer.node.layer.flops(for: layer.inputShapes, output: layer.outputShape)),
          out)
      }
    }
    return outputs[layers.count - 1]!
  }

  /// One inference pass that shows `observe` every layer's output as it is made.
  public func inspect(_ x: Tensor, observe: @escaping (LayerReport, Tensor) -> Void) -> Tensor {
    run(x, training: false, keep: false, observe: observe)
  }

  private var lastRuntime: any ActivatedRuntime { layers.last!.runtime as! any ActivatedRuntime }

  /// Class probabilities `[N, classes]` (softmax applied even to a linear last layer).
  public func forward(_ x: Tensor, training: Bool = false) -> Tensor {
    let h = run(x, training: training, keep: true)
    if let last = layers.last?.runtime as? any ActivatedRuntime, last.activation == .linear {
      return Tensor(shape: h.shape, scalars: Activation.softmax.apply(h.scalars, width: classes))
    }
    return h
  }

  /// Probabilities for many images, `batchSize` at a time, in inference mode.
  public func predict(_ images: Tensor, batchSize: Int = 256) -> Tensor {
    let n = images.shape[0]
    let batchSize = min(max(batchSize, 1), max(n, 1))
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
    let z = lastRuntime.preActivation.scalars
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
    backward(fromLogitGradient: Tensor(shape: probabilities.shape, scalars: dz))
    return result
  }

  /// Backpropagates dL/dlogits of the last layer through the graph, in reverse order; a layer
  /// read by several others gets the sum of their gradients. Layers before the first one
  /// with trainable weights are skipped.
  /// With `capture`, stops when it reaches that layer and returns dL/d(its output) (Grad-CAM).
  @discardableResult
  func backward(fromLogitGradient dz: Tensor, capture: Int? = nil) -> Tensor? {
    var grads = [Tensor?](repeating: nil, count: layers.count)
    let last = layers.count - 1
    for i in stride(from: last, through: 0, by: -1) where backwardRuns[i] {
      if i == capture { return grads[i] }
      let layer = layers[i]
      let dInputs: [Tensor]
      if i == last {
        dInputs = [lastRuntime.backward(preActivationGradient: dz)]
      } else {
        guard let g = grads[i] else { continue }
        dInputs = layer.runtime.backward(g)
      }
      grads[i] = nil
      for (k, j) in layer.inputIndices.enumerated() where j >= 0 && backwardRuns[j] && k < dInputs.count {
        if let existing = grads[j] {
          var sum = existing.scalars
          sum.withUnsafeMutableBufferPointer { s in
            dInputs[k].scalars.withUnsafeBufferPointer { d in Im2col.addRun(d.baseAddress!, into: s.baseAddress!, count: s.count) }
          }
          grads[j] = Tensor(shape: existing.shape, scalars: sum)
        } else {
          grads[j] = dInputs[k]
        }
      }
    }
    return nil
  }

  /// Mean loss and accuracy over a data set, in inference mode.
  public func evaluate(_ data: LabeledImages, batchSize: Int = 256) throws -> (loss: Double, accuracy: Double) {
    try check(data)
    let batchSize = min(max(batchSize, 1), max(data.count, 1))
    try ModelMemory.check(graph, batch: batchSize, training: false)
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
    guard data.count > 0 else { throw TrainingError.noImages }
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
    // A batch larger than the data is the data: no sum below can overflow.
    let batchSize = min(batchSize, max(data.count, 1))
    try ModelMemory.check(graph, batch: batchSize, training: true)
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
