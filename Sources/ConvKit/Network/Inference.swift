import Dispatch

/// A network that only predicts: a `Network` whose weights are given (or drawn fast), with no
/// gradient memory, run so that each feature map is let go once its last reader has run. For
/// VGG16 (138 million weights) its memory is the weights plus the feature maps still to be
/// read. It runs the very layers training runs, and names its weights as
/// `Network.namedParameters` does (`block1_conv1/kernel`), so files move between the two.
public final class InferenceNetwork {
  /// One weight tensor the architecture needs: `layer/weight` and its shape (Keras's layout).
  public struct WeightSlot: Equatable, Sendable {
    public var layerIndex: Int
    public var layer: String
    public var weight: String
    public var shape: [Int]
    public var name: String { layer + "/" + weight }
    public var count: Int { shape.reduce(1, *) }
  }

  public typealias LayerReport = Network.LayerReport

  public let graph: GraphSpec
  public let slots: [WeightSlot]
  let network: Network
  /// The fused steps `forward` runs when nothing observes the layers, made on first use.
  private(set) lazy var plan = InferencePlan(network)

  /// Parallel to `slots`.
  public var weights: [[Float]] { network.layers.flatMap { $0.parameters.map(\.value) } }

  /// The weight tensors a graph needs, in order (per layer in Keras's order: kernel, bias;
  /// BatchNormalization: gamma, beta, moving_mean, moving_variance), with Keras's shapes.
  /// `layerIndex` counts the layers after the input.
  public static func slots(for graph: GraphSpec) throws -> [WeightSlot] {
    var out: [WeightSlot] = []
    var index = 0
    for row in try graph.rows() where !row.node.isInput {
      for w in row.node.layer.weights(for: row.inputShapes) {
        out.append(WeightSlot(layerIndex: index, layer: row.node.name, weight: w.name, shape: w.shape))
      }
      index += 1
    }
    return out
  }

  public static func slots(for spec: SequentialSpec) throws -> [WeightSlot] { try slots(for: spec.graph()) }

  /// A network with the given weights, parallel to `slots(for: graph)`; counts are checked.
  public init(graph: GraphSpec, weights: [[Float]]) throws {
    self.graph = graph
    slots = try Self.slots(for: graph)
    guard weights.count == slots.count else {
      throw ModelSpecError("the model needs \(slots.count) weight tensors, got \(weights.count)")
    }
    for (s, w) in zip(slots, weights) where w.count != s.count {
      throw ModelSpecError("\(s.name) needs \(s.count) values (shape \(ShapeText.tuple(s.shape))), got \(w.count)")
    }
    for (s, w) in zip(slots, weights) { try FiniteWeights.check(w, tensor: s.name) }
    network = try Network(graph: graph, weights: weights, classifier: false)
  }

  public convenience init(spec: SequentialSpec, weights: [[Float]]) throws {
    try self.init(graph: spec.graph(), weights: weights)
  }

  /// The prediction path of a trained `Network` (the weights are shared until either changes).
  public convenience init(network: Network) throws {
    try self.init(graph: network.graph, weights: network.namedParameters.map(\.parameter.value))
  }

  /// Keras's initial weights (Glorot-uniform kernels, zero biases, BatchNormalization as the
  /// identity), drawn fast: each block of a million values has its own generator derived from
  /// `seed`, and the blocks are shared among the cores. VGG16's 138 million values take a
  /// fraction of a second. Same seed, same weights (not the same draws as `Network(seed:)`).
  public convenience init(graph: GraphSpec, randomSeed seed: UInt64) throws {
    var weights: [[Float]] = []
    var t = 0
    for row in try graph.rows() where !row.node.isInput {
      for w in row.node.layer.weights(for: row.inputShapes) {
        switch w.initializer {
        case .glorotUniform(let fanIn, let fanOut):
          let limit = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
          weights.append(Self.uniform(count: w.count, limit: limit, seed: seed &+ UInt64(t) &* 0x9E37_79B9_7F4A_7C15))
        case .constant(let v):
          weights.append([Float](repeating: v, count: w.count))
        }
        t += 1
      }
    }
    try self.init(graph: graph, weights: weights)
  }

  public convenience init(spec: SequentialSpec, randomSeed seed: UInt64) throws {
    try self.init(graph: spec.graph(), randomSeed: seed)
  }

  /// `count` values uniform in [-limit, limit), in blocks drawn in parallel.
  static func uniform(count: Int, limit: Float, seed: UInt64) -> [Float] {
    let block = 1 << 20
    let blocks = (count + block - 1) / block
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      let base = SendablePointer(pointer: buffer.baseAddress!)
      let fill: @Sendable (Int) -> Void = { b in
        var rng = RandomSource(seed: seed ^ (UInt64(b) &* 0xD1B5_4A32_D192_ED03))
        let start = b * block
        let end = min(count, start + block)
        for i in start..<end { (base.pointer + i).initialize(to: rng.nextSymmetric(limit)) }
      }
      if blocks > 1 {
        DispatchQueue.concurrentPerform(iterations: blocks, execute: fill)
      } else if blocks == 1 {
        fill(0)
      }
      initialized = count
    }
  }

  private struct SendablePointer: @unchecked Sendable { var pointer: UnsafeMutablePointer<Float> }

  /// The model as a Sequential stack when it is one chain.
  public var sequential: SequentialSpec? { graph.sequential }
  public var inputShape: FeatureShape { graph.inputShape }
  public var outputShape: FeatureShape { network.outputShape }
  public var parameterCount: Int { slots.reduce(0) { $0 + $1.count } }
  /// The layers after the input, in order.
  public var layers: [NetworkLayer] { network.layers }

  /// The weight named `layer/weight`.
  public func weight(_ name: String) -> [Float]? {
    slots.firstIndex { $0.name == name }.map { weights[$0] }
  }

  /// Runs `batch` images `[N] + inputShape` (NHWC) through every layer, in inference mode
  /// (Dropout passes through, BatchNormalization uses its moving statistics). `observe` sees
  /// each layer's report and output `[N] + outputShape` as it is produced. Returns the last
  /// layer's output (probabilities when it ends in softmax).
  ///
  /// Without `observe` the fused steps of `InferencePlan` run (BatchNormalization folded into
  /// the convolution before it, ReLUs and paddings done inside it, kernels packed once): the
  /// same values up to float rounding, faster. With `observe`, every layer runs on its own so
  /// that each one's output can be shown.
  public func forward(
    _ input: [Float], batch n: Int, observe: ((LayerReport, [Float]) -> Void)? = nil
  ) -> [Float] {
    precondition(input.count == n * inputShape.reduce(1, *), "the input must hold \(n) images of shape \(ShapeText.tuple(inputShape))")
    guard let observe else { return plan.run(input, batch: n, inputShape: inputShape) }
    let x = Tensor(shape: [n] + inputShape, scalars: input)
    return network.run(x, training: false, keep: false, observe: { observe($0, $1.scalars) }).scalars
  }

  /// The fused forward pass, calling `afterStep` with the names of the layers each step ran
  /// (`conv1_conv+conv1_bn+conv1_relu`) as it ends: a profiler times the steps from there.
  public func forward(_ input: [Float], batch n: Int, afterStep: (String) -> Void) -> [Float] {
    precondition(input.count == n * inputShape.reduce(1, *), "the input must hold \(n) images of shape \(ShapeText.tuple(inputShape))")
    return withoutActuallyEscaping(afterStep) { afterStep in
      plan.run(input, batch: n, inputShape: inputShape) { step, _ in afterStep(step.name) }
    }
  }

}
