import Dispatch

/// A network that only predicts: the weights and nothing else.
///
/// `Network` is built for training: every `Parameter` carries a gradient as large as its value,
/// and every layer keeps its input, pre-activation and output for backpropagation. For VGG16
/// (138 million weights) that doubles the memory and keeps every feature map alive. This path
/// holds one `[Float]` per weight tensor and, during a forward pass, only the current feature
/// map, so its memory is the weights' size plus the largest layer. It runs the same kernels as
/// the layers (`ConvKernels`, `Gemm.sgemm`, `Activation.apply`) and names its weights as
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

  public let spec: SequentialSpec
  public let rows: [SequentialSpec.Row]
  public let slots: [WeightSlot]
  /// Parallel to `slots`.
  public private(set) var weights: [[Float]]

  /// The weight tensors `spec` needs, in order (per layer: kernel, bias; BatchNormalization:
  /// gamma, beta, moving_mean, moving_variance), with Keras's shapes.
  public static func slots(for spec: SequentialSpec) throws -> [WeightSlot] {
    var out: [WeightSlot] = []
    for (i, row) in try spec.rows().enumerated() {
      let name = row.layer.name
      func add(_ w: String, _ shape: [Int]) { out.append(WeightSlot(layerIndex: i, layer: name, weight: w, shape: shape)) }
      switch row.layer.kind {
      case .conv2D(let f, let k, _, _, _, _, let useBias):
        add("kernel", [k.rows, k.cols, row.inputShape[2], f])
        if useBias { add("bias", [f]) }
      case .dense(let u, _, let useBias):
        add("kernel", [row.inputShape.last ?? 1, u])
        if useBias { add("bias", [u]) }
      case .batchNormalization:
        let c = row.inputShape.last ?? 1
        for w in ["gamma", "beta", "moving_mean", "moving_variance"] { add(w, [c]) }
      default:
        break
      }
    }
    return out
  }

  /// A network with the given weights, parallel to `slots(for: spec)`; counts are checked.
  public init(spec: SequentialSpec, weights: [[Float]]) throws {
    self.spec = spec
    rows = try spec.rows()
    slots = try Self.slots(for: spec)
    guard weights.count == slots.count else {
      throw ModelSpecError("the model needs \(slots.count) weight tensors, got \(weights.count)")
    }
    for (s, w) in zip(slots, weights) where w.count != s.count {
      throw ModelSpecError("\(s.name) needs \(s.count) values (shape \(ShapeText.tuple(s.shape))), got \(w.count)")
    }
    self.weights = weights
  }

  /// The prediction path of a trained `Network` (the weights are shared until either changes).
  public convenience init(network: Network) throws {
    try self.init(spec: network.spec, weights: network.namedParameters.map(\.parameter.value))
  }

  /// Keras's initial weights (Glorot-uniform kernels, zero biases, BatchNormalization as the
  /// identity), drawn fast: each block of a million values has its own generator derived from
  /// `seed`, and the blocks are shared among the cores. VGG16's 138 million values take a
  /// fraction of a second. Same seed, same weights (not the same draws as `Network(seed:)`).
  public convenience init(spec: SequentialSpec, randomSeed seed: UInt64) throws {
    let slots = try Self.slots(for: spec)
    let rows = try spec.rows()
    var weights: [[Float]] = []
    for (t, s) in slots.enumerated() {
      switch s.weight {
      case "kernel":
        let layer = rows[s.layerIndex].layer
        let (fanIn, fanOut): (Int, Int)
        if case .conv2D(let f, let k, _, _, _, _, _) = layer.kind {
          (fanIn, fanOut) = (k.rows * k.cols * s.shape[2], k.rows * k.cols * f)
        } else {
          (fanIn, fanOut) = (s.shape[0], s.shape[1])
        }
        let limit = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
        weights.append(Self.uniform(count: s.count, limit: limit, seed: seed &+ UInt64(t) &* 0x9E37_79B9_7F4A_7C15))
      case "gamma", "moving_variance":
        weights.append([Float](repeating: 1, count: s.count))
      default:
        weights.append([Float](repeating: 0, count: s.count))
      }
    }
    try self.init(spec: spec, weights: weights)
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

  public var inputShape: FeatureShape { spec.inputShape }
  public var outputShape: FeatureShape { rows.last?.outputShape ?? spec.inputShape }
  public var parameterCount: Int { slots.reduce(0) { $0 + $1.count } }

  /// The weight named `layer/weight`.
  public func weight(_ name: String) -> [Float]? {
    slots.firstIndex { $0.name == name }.map { weights[$0] }
  }

  /// Runs `batch` images `[N] + inputShape` (NHWC) through every layer, in inference mode
  /// (Dropout passes through, BatchNormalization uses its moving statistics). `observe` sees
  /// each layer's report and output `[N] + outputShape` as it is produced. Returns the last
  /// layer's output (probabilities when it ends in softmax).
  public func forward(
    _ input: [Float], batch n: Int, observe: ((LayerReport, [Float]) -> Void)? = nil
  ) -> [Float] {
    precondition(input.count == n * inputShape.reduce(1, *), "the input must hold \(n) images of shape \(ShapeText.tuple(inputShape))")
    let clock = ContinuousClock()
    var x = input
    var slot = 0
    for (i, row) in rows.enumerated() {
      let started = clock.now
      var flops = 0.0
      func take() -> [Float] {
        defer { slot += 1 }
        return weights[slot]
      }
      let inS = row.inputShape
      let outS = row.outputShape
      switch row.layer.kind {
      case .conv2D(let f, let k, _, _, _, let activation, let useBias):
        let kernel = take()
        let bias = useBias ? take() : nil
        let g = try! row.layer.window(on: inS)!
        // BlockConv reads windows in place: no patch matrix, so VGG16's 224x224x64 layers need
        // no more memory than their input and output.
        let z = ConvKernels.conv2DForward(
          input: x, batch: n, height: inS[0], width: inS[1], channels: inS[2], kernel: kernel, bias: bias,
          filters: f, geometry: g)
        x = []  // the input is no longer needed: let it go before the activation copies
        x = activation.apply(z, width: f)
        flops = 2.0 * Double(n * outS[0] * outS[1] * f * k.rows * k.cols * inS[2])
      case .dense(let units, let activation, let useBias):
        let kernel = take()
        let bias = useBias ? take() : nil
        let fanIn = inS.last ?? 1
        let rowsN = x.count / fanIn
        var z = [Float](repeating: 0, count: rowsN * units)
        if let bias { for r in 0..<rowsN { for j in 0..<units { z[r * units + j] = bias[j] } } }
        x.withUnsafeBufferPointer { xp in
          kernel.withUnsafeBufferPointer { wp in
            z.withUnsafeMutableBufferPointer { zp in
              Gemm.sgemm(
                transA: false, transB: false, m: rowsN, n: units, k: fanIn, a: xp.baseAddress!, lda: fanIn,
                b: wp.baseAddress!, ldb: units, beta: bias == nil ? 0 : 1, c: zp.baseAddress!, ldc: units)
            }
          }
        }
        x = activation.apply(z, width: units)
        flops = 2.0 * Double(rowsN * fanIn * units)
      case .maxPool2D:
        let g = try! row.layer.window(on: inS)!
        x = ConvKernels.maxPoolForward(input: x, batch: n, height: inS[0], width: inS[1], channels: inS[2], geometry: g).output
      case .averagePool2D:
        let g = try! row.layer.window(on: inS)!
        x = ConvKernels.avgPoolForward(input: x, batch: n, height: inS[0], width: inS[1], channels: inS[2], geometry: g)
      case .globalAveragePool2D:
        let c = inS[2]
        let positions = inS[0] * inS[1]
        var out = [Float](repeating: 0, count: n * c)
        for b in 0..<n {
          for p in 0..<positions { for ch in 0..<c { out[b * c + ch] += x[(b * positions + p) * c + ch] } }
        }
        let scale = 1 / Float(positions)
        x = out.map { $0 * scale }
      case .flatten, .dropout:
        break  // NHWC memory order is already Keras's flatten order; dropout is off in inference
      case .batchNormalization(let epsilon, _):
        let gamma = take(), beta = take(), mean = take(), variance = take()
        let c = inS.last ?? 1
        let scale = (0..<c).map { gamma[$0] / (variance[$0] + epsilon).squareRoot() }
        let shift = (0..<c).map { beta[$0] - mean[$0] * scale[$0] }
        x.withUnsafeMutableBufferPointer { p in
          for r in 0..<(p.count / c) { for j in 0..<c { p[r * c + j] = p[r * c + j] * scale[j] + shift[j] } }
        }
      case .activation(let a):
        x = a.apply(x, width: inS.last ?? 1)
      }
      if let observe {
        let report = LayerReport(
          index: i, name: row.layer.name, kerasClass: row.layer.kind.kerasClass, outputShape: outS,
          seconds: (clock.now - started).seconds, flops: flops)
        observe(report, x)
      }
    }
    return x
  }
}
