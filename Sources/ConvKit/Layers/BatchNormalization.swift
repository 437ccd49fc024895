/// Keras's BatchNormalization over the last axis (channels). `center` adds beta and `scale`
/// gamma (InceptionV3 has scale=False); the moving mean and variance never train.
public struct BatchNormalization: Layer {
  public var epsilon: Float
  public var momentum: Float
  public var center: Bool
  public var scale: Bool

  public init(epsilon: Float = 0.001, momentum: Float = 0.99, center: Bool = true, scale: Bool = true) {
    self.epsilon = epsilon
    self.momentum = momentum
    self.center = center
    self.scale = scale
  }

  public static let kerasClass = "BatchNormalization"
  public static let nameStem = "batch_normalization"
  public static let specWords = ["batchnorm", "batchnormalization", "bn"]
  public static let specHelp = "BatchNormalization(epsilon=0.001, momentum=0.99, center=true, scale=true)"

  public static func parse(_ a: inout LayerArguments) throws -> BatchNormalization {
    try a.bind(positional: [], named: ["epsilon", "momentum", "center", "scale"])
    let eps = try a.double("epsilon") ?? 0.001
    let momentum = try a.double("momentum") ?? 0.99
    if eps <= 0 { throw a.fail(at: "epsilon", "epsilon must be above 0") }
    if momentum < 0 || momentum > 1 { throw a.fail(at: "momentum", "momentum must be between 0 and 1") }
    return BatchNormalization(
      epsilon: Float(eps), momentum: Float(momentum), center: try a.bool("center") ?? true, scale: try a.bool("scale") ?? true)
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> BatchNormalization {
    if let axis = c["axis"]?.int ?? c["axis"]?.array?.first?.int, axis != -1, axis != 3 {
      throw ModelSpecError("BatchNormalization over axis \(axis) is not supported (only the channels, axis -1)")
    }
    return BatchNormalization(
      epsilon: Float(try c.double("epsilon", default: 0.001)), momentum: Float(try c.double("momentum", default: 0.99)),
      center: c.bool("center", default: true), scale: c.bool("scale", default: true))
  }

  public var kerasConfig: [String: JSONValue] {
    [
      "epsilon": .number(Double(epsilon)), "momentum": .number(Double(momentum)), "center": .bool(center),
      "scale": .bool(scale),
    ]
  }

  public var specArguments: [String] {
    var args: [String] = []
    if epsilon != 0.001 { args.append("epsilon=" + NumberText.format(epsilon)) }
    if momentum != 0.99 { args.append("momentum=" + NumberText.format(momentum)) }
    if !center { args.append("center=False") }
    if !scale { args.append("scale=False") }
    return args
  }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape { try single(inputs) }

  /// gamma, beta, moving_mean, moving_variance (Keras's order; gamma/beta only when used).
  public func weights(for inputs: [FeatureShape]) -> [WeightSpec] {
    let c = inputs.first?.last ?? 1
    var w: [WeightSpec] = []
    if scale { w.append(WeightSpec("gamma", [c], initializer: .constant(1))) }
    if center { w.append(WeightSpec("beta", [c])) }
    w.append(WeightSpec("moving_mean", [c], learnable: false))
    w.append(WeightSpec("moving_variance", [c], learnable: false, initializer: .constant(1)))
    return w
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { BatchNormRuntime(self, context) }

  /// `4*64 = 256` (gamma, beta, moving mean and variance; 3 per channel without the scale).
  public func parameterFormula(for inputs: [FeatureShape], total: Int) -> String {
    let perChannel = 2 + (center ? 1 : 0) + (scale ? 1 : 0)
    return "\(perChannel)*\(NumberText.grouped(inputs.first?.last ?? 1)) = " + NumberText.grouped(total)
  }
}

/// BatchNormalization over the last axis (channels), Keras's rules: in training, normalize with
/// the batch's mean and (biased) variance and update the moving statistics,
/// moving = moving * momentum + batch * (1 - momentum); in inference, and when frozen
/// (`trainable = false`, as Keras does for fine-tuning), use the moving statistics.
/// y = gamma * (x - mean) / sqrt(var + epsilon) + beta.
public final class BatchNormRuntime: UnaryRuntime {
  public let trainable: Bool
  public let inputShape: FeatureShape
  public let epsilon: Float
  public let momentum: Float
  /// nil when `scale=False` (gamma is then 1) or `center=False` (beta 0).
  public let gamma: Parameter?
  public let beta: Parameter?
  public let movingMean: Parameter
  public let movingVariance: Parameter
  /// gamma's values, or ones without a scale.
  private var gammaValues: [Float]
  public var parameters: [Parameter] { [gamma, beta].compactMap { $0 } + [movingMean, movingVariance] }
  /// The last forward pass's input, mean and 1/sqrt(variance + epsilon): backward recomputes
  /// the normalized values from them instead of keeping a second copy of the activations.
  private var input = Tensor(zeros: [0])
  private var mean: [Float] = []
  private var inverseStd: [Float] = []
  private var usedBatchStatistics = false

  init(_ layer: BatchNormalization, _ context: RuntimeContext) {
    inputShape = context.inputShape
    epsilon = layer.epsilon
    momentum = layer.momentum
    trainable = context.trainable
    var p = context.parameters[...]
    let c = inputShape.last ?? 1
    gamma = layer.scale ? p.removeFirst() : nil
    beta = layer.center ? p.removeFirst() : nil
    movingMean = p.removeFirst()
    movingVariance = p.removeFirst()
    gammaValues = gamma?.value ?? [Float](repeating: 1, count: c)
  }

  public func releaseCaches() {
    input = Tensor(zeros: [0])
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    let c = inputShape.last ?? 1
    let rows = x.count / c
    usedBatchStatistics = training && trainable
    // An empty batch has no statistics (and the kernels read its first row).
    guard rows > 0 else { return x }
    var meanD: [Double], varianceD: [Double]
    if usedBatchStatistics {
      (meanD, varianceD) = x.scalars.withUnsafeBufferPointer { ChannelKernels.meanAndVariance($0.baseAddress!, rows: rows, channels: c) }
      for j in 0..<c {
        movingMean.value[j] = movingMean.value[j] * momentum + Float(meanD[j]) * (1 - momentum)
        movingVariance.value[j] = movingVariance.value[j] * momentum + Float(varianceD[j]) * (1 - momentum)
      }
    } else {
      meanD = movingMean.value.map(Double.init)
      varianceD = movingVariance.value.map(Double.init)
    }
    let inv = (0..<c).map { Float(1 / (varianceD[$0] + Double(epsilon)).squareRoot()) }
    let m = meanD.map { Float($0) }
    if let gamma { gammaValues = gamma.value }
    let g = gammaValues, b = beta?.value ?? [Float](repeating: 0, count: c)
    // y = g * (x - m) * inv + b = x * scale + shift.
    let scale = (0..<c).map { g[$0] * inv[$0] }
    let shift = (0..<c).map { b[$0] - m[$0] * scale[$0] }
    input = x
    mean = m
    inverseStd = inv
    let y = x.scalars.withUnsafeBufferPointer {
      ChannelKernels.scaleShift($0.baseAddress!, rows: rows, channels: c, scale: scale, shift: shift)
    }
    return Tensor(shape: x.shape, scalars: y)
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    let c = inputShape.last ?? 1
    let rows = dOutput.count / c
    guard rows > 0 else { return dOutput }
    let g = gammaValues, inv = inverseStd
    // With h = (x - mean) * inv: sum(dy) and sum(dy * h) per channel, for gamma's and beta's
    // gradients and for the input gradient with the batch's statistics.
    var sumDy = [Float](repeating: 0, count: c)
    var sumDyH = [Float](repeating: 0, count: c)
    if trainable || usedBatchStatistics {
      let sums = dOutput.scalars.withUnsafeBufferPointer { dy in
        input.scalars.withUnsafeBufferPointer { x in
          ChannelKernels.gradientSums(dy: dy.baseAddress!, x: x.baseAddress!, mean: mean, rows: rows, channels: c)
        }
      }
      for j in 0..<c {
        sumDy[j] = Float(sums[j])
        sumDyH[j] = Float(sums[c + j]) * inv[j]
      }
    }
    let dx: [Float]
    if usedBatchStatistics {
      // dx = gamma * inv / m * (m * dy - sum(dy) - h * sum(dy * h))
      //    = (gamma * inv) * dy - (gamma * inv * inv / m * sum(dy * h)) * (x - mean) - gamma * inv / m * sum(dy)
      let n = Float(rows)
      let a = (0..<c).map { g[$0] * inv[$0] }
      let b = (0..<c).map { -a[$0] * inv[$0] / n * sumDyH[$0] }
      let k = (0..<c).map { -a[$0] / n * sumDy[$0] }
      dx = dOutput.scalars.withUnsafeBufferPointer { dy in
        input.scalars.withUnsafeBufferPointer { x in
          ChannelKernels.affineGradient(
            dy: dy.baseAddress!, x: x.baseAddress!, mean: mean, a: a, b: b, k: k, rows: rows, channels: c)
        }
      }
    } else {
      let scale = (0..<c).map { g[$0] * inv[$0] }
      let zero = [Float](repeating: 0, count: c)
      dx = dOutput.scalars.withUnsafeBufferPointer { dy in
        ChannelKernels.scaleShift(dy.baseAddress!, rows: rows, channels: c, scale: scale, shift: zero)
      }
    }
    if trainable {
      for j in 0..<c {
        gamma?.gradient[j] += sumDyH[j]
        beta?.gradient[j] += sumDy[j]
      }
    }
    return Tensor(shape: dOutput.shape, scalars: dx)
  }
}
