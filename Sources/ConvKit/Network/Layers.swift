/// One weight tensor of a layer and its gradient.
///
/// Names are Keras's (`kernel`, `bias`, `gamma`, `beta`, `moving_mean`, `moving_variance`), so a
/// saved file reads like a Keras model's weights.
public final class Parameter {
  public let name: String
  public let shape: [Int]
  public var value: [Float]
  /// dL/dvalue of the last backward pass (summed over the batch; the loss is a batch mean).
  public var gradient: [Float]
  /// False for statistics that no optimizer touches (BatchNormalization's moving mean/variance).
  public let learnable: Bool

  public init(name: String, shape: [Int], value: [Float], learnable: Bool = true) {
    precondition(shape.reduce(1, *) == value.count, "parameter \(name): shape \(shape) needs \(shape.reduce(1, *)) values")
    self.name = name
    self.shape = shape
    self.value = value
    self.gradient = [Float](repeating: 0, count: value.count)
    self.learnable = learnable
  }

  func zeroGradient() {
    gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
  }
}

/// A layer with weights: built from a `LayerSpec` on a known input shape.
///
/// Tensors carry the batch as their first dimension: `[N] + inputShape` in, `[N] + outputShape`
/// out (NHWC for images). `forward` remembers what `backward` needs; `backward` takes dL/doutput,
/// adds the weight gradients into `Parameter.gradient` (unless the layer is frozen) and returns
/// dL/dinput.
public protocol NetworkLayer: AnyObject {
  var spec: LayerSpec { get }
  var inputShape: FeatureShape { get }
  var outputShape: FeatureShape { get }
  /// Weights in Keras's order; empty for layers without weights.
  var parameters: [Parameter] { get }
  func forward(_ x: Tensor, training: Bool) -> Tensor
  func backward(_ dOutput: Tensor) -> Tensor
}

extension NetworkLayer {
  /// Frozen layers (`trainable = false`) pass gradients through but never change.
  public var isTrainable: Bool { spec.trainable }
}

/// A layer ending in an activation. The network uses the pre-activation (logits) for a stable
/// softmax cross-entropy and starts backpropagation from dL/dlogits = (p - y) / N.
public protocol ActivatedLayer: NetworkLayer {
  var activation: Activation { get }
  /// The last forward pass's pre-activation values.
  var preActivation: Tensor { get }
  /// Backward from dL/dpre-activation, skipping the activation's own derivative.
  func backward(preActivationGradient dZ: Tensor) -> Tensor
}

/// Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out)), Keras's default.
func glorotUniform(count: Int, fanIn: Int, fanOut: Int, rng: inout RandomSource) -> [Float] {
  let limit = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
  return (0..<count).map { _ in rng.nextSymmetric(limit) }
}

/// Keras's Conv2D: `filters` kernels of `kernel_size` over all input channels, plus bias, then
/// the activation. Output size per axis comes from `WindowGeometry`:
/// valid floor((n - d(k-1) - 1)/s) + 1, same ceil(n/s).
public final class Conv2DLayer: ActivatedLayer {
  public let spec: LayerSpec
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public let geometry: WindowGeometry
  public let activation: Activation
  public let filters: Int
  /// `[KH, KW, Cin, filters]`.
  public let kernel: Parameter
  /// `[filters]`, nil when `use_bias=False`.
  public let bias: Parameter?
  public var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }
  /// The last forward pass's pre-activation. A ReLU layer keeps only its output (z > 0 exactly
  /// where relu(z) > 0, all its backward pass needs) and recomputes z from its input when asked.
  public var preActivation: Tensor {
    if let storedPreActivation { return storedPreActivation }
    guard input.count > 0 else { return Tensor(zeros: [0]) }
    return Tensor(shape: output.shape, scalars: convolve(input, relu: false))
  }
  private var storedPreActivation: Tensor? = Tensor(zeros: [0])
  private var input = Tensor(zeros: [0])
  private var output = Tensor(zeros: [0])
  /// The first layer's input gradient is never used; skipping it saves a matrix product.
  public var needsInputGradient = true

  public init(spec: LayerSpec, inputShape: FeatureShape, rng: inout RandomSource) throws {
    guard case .conv2D(let f, let k, _, _, _, let act, let useBias) = spec.kind else {
      preconditionFailure("Conv2DLayer needs a conv2D spec")
    }
    self.spec = spec
    self.inputShape = inputShape
    self.outputShape = try spec.outputShape(for: inputShape)
    self.geometry = try spec.window(on: inputShape)!
    self.activation = act
    self.filters = f
    let cin = inputShape[2]
    let count = k.rows * k.cols * cin * f
    kernel = Parameter(
      name: "kernel", shape: [k.rows, k.cols, cin, f],
      value: glorotUniform(count: count, fanIn: k.rows * k.cols * cin, fanOut: k.rows * k.cols * f, rng: &rng))
    bias = useBias ? Parameter(name: "bias", shape: [f], value: [Float](repeating: 0, count: f)) : nil
  }

  /// z (or relu(z)) of a batch, through `BlockConv`.
  private func convolve(_ x: Tensor, relu: Bool) -> [Float] {
    let n = x.shape[0]
    return uninitializedFloats(n * outputShape.reduce(1, *)) { out in
      x.scalars.withUnsafeBufferPointer { xp in
        kernel.value.withUnsafeBufferPointer { wp in
          withOptionalPointer(bias?.value) { bp in
            BlockConv.forward(
              input: xp.baseAddress!, batch: n, height: inputShape[0], width: inputShape[1],
              channels: inputShape[2], kernel: wp.baseAddress!, bias: bp, filters: filters,
              geometry: geometry, output: out, relu: relu)
          }
        }
      }
    }
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    input = x
    let shape = [x.shape[0]] + outputShape
    if activation == .relu {
      storedPreActivation = nil
      output = Tensor(shape: shape, scalars: convolve(x, relu: true))
    } else {
      let z = Tensor(shape: shape, scalars: convolve(x, relu: false))
      storedPreActivation = z
      output = activation == .linear ? z : Tensor(shape: shape, scalars: activation.apply(z.scalars, width: filters))
    }
    return output
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    if activation == .relu && !needsInputGradient && dOutput.count > 0 {
      // Weight gradients only (a first layer): ReLU's mask is applied as they read dOutput.
      if isTrainable { addWeightGradients(dOutput.scalars, reluOutput: output.scalars) }
      return Tensor(zeros: [dOutput.shape[0]] + inputShape)
    }
    let dz: [Float]
    if activation == .relu {
      dz = reluBackward(dOutput.scalars, output: output.scalars)
    } else {
      dz = activation.backward(
        dOutput: dOutput.scalars, preActivation: preActivation.scalars, output: output.scalars, width: filters)
    }
    return backward(preActivationGradient: Tensor(shape: dOutput.shape, scalars: dz))
  }

  /// Adds dL/dkernel and dL/dbias for `dOut` (dL/dz, or dL/dy of a ReLU layer with its output).
  private func addWeightGradients(_ dOut: [Float], reluOutput: [Float]?) {
    let n = dOut.count / max(1, outputShape.reduce(1, *))
    dOut.withUnsafeBufferPointer { dp in
      input.scalars.withUnsafeBufferPointer { xp in
        withOptionalPointer(reluOutput) { yp in
          kernel.gradient.withUnsafeMutableBufferPointer { dk in
            func run(_ db: UnsafeMutablePointer<Float>?) {
              BlockConv.kernelGradient(
                input: xp.baseAddress!, dOut: dp.baseAddress!, batch: n, height: inputShape[0],
                width: inputShape[1], channels: inputShape[2], filters: filters, geometry: geometry,
                dKernel: dk.baseAddress!, dBias: db, reluOutput: yp)
            }
            if let bias {
              bias.gradient.withUnsafeMutableBufferPointer { run($0.baseAddress) }
            } else {
              run(nil)
            }
          }
        }
      }
    }
  }

  public func backward(preActivationGradient dZ: Tensor) -> Tensor {
    let n = dZ.shape[0]
    let inShape = [n] + inputShape
    guard n > 0 else { return Tensor(zeros: inShape) }
    let (h, w, c) = (inputShape[0], inputShape[1], inputShape[2])
    if isTrainable { addWeightGradients(dZ.scalars, reluOutput: nil) }
    guard needsInputGradient else { return Tensor(zeros: inShape) }
    let dx = uninitializedFloats(n * h * w * c) { dxp in
      dZ.scalars.withUnsafeBufferPointer { dp in
        kernel.value.withUnsafeBufferPointer { wp in
          BlockConv.inputGradient(
            dOut: dp.baseAddress!, kernel: wp.baseAddress!, batch: n, height: h, width: w,
            channels: c, filters: filters, geometry: geometry, dInput: dxp)
        }
      }
    }
    return Tensor(shape: inShape, scalars: dx)
  }
}

/// A new array of `count` floats, every one written by `body` (no zero fill first).
@inline(__always)
func uninitializedFloats(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
  guard count > 0 else { return [] }
  return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    body(buffer.baseAddress!)
    initialized = count
  }
}

/// `body` with a pointer to the array's values, or nil for no array.
@inline(__always)
func withOptionalPointer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
  guard let values else { return body(nil) }
  return values.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// ReLU's backward pass from its output: dz = dy where y > 0, else 0. Big arrays are done in
/// chunks on all cores (it is one pass over memory).
func reluBackward(_ dy: [Float], output y: [Float]) -> [Float] {
  uninitializedFloats(dy.count) { d in
    dy.withUnsafeBufferPointer { dp in
      y.withUnsafeBufferPointer { yp in
        let args = BlockConv.Args(
          x: dp.baseAddress!, a: yp.baseAddress!, b: yp.baseAddress!, bias: nil, out: d, out2: nil)
        let total = dy.count
        let chunk = 1 << 16
        let chunks = (total + chunk - 1) / chunk
        BlockConv.forEachTask(min(chunks, 4)) { t in
          let range = BlockConv.blockRange(t, tasks: min(chunks, 4), blocks: chunks)
          let lw = Gemm.Lane.scalarCount
          let zero = Gemm.Lane()
          let (g, v, out) = (args.x, args.a, args.out)
          var i = range.lowerBound * chunk
          let end = min(total, range.upperBound * chunk)
          while i + lw <= end {
            var x = Gemm.loadLane(g + i)
            x.replace(with: zero, where: Gemm.loadLane(v + i) .<= zero)
            Gemm.storeLane(out + i, x)
            i += lw
          }
          while i < end {
            out[i] = v[i] > 0 ? g[i] : 0
            i += 1
          }
        }
      }
    }
  }
}

/// Keras's Dense on the last axis: y = activation(x W + b), W `[in, units]`.
public final class DenseLayer: ActivatedLayer {
  public let spec: LayerSpec
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public let activation: Activation
  public let units: Int
  public let kernel: Parameter
  public let bias: Parameter?
  public var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }
  /// The last forward pass's pre-activation (a ReLU layer recomputes it when asked, see Conv2DLayer).
  public var preActivation: Tensor {
    if let storedPreActivation { return storedPreActivation }
    guard input.count > 0 else { return Tensor(zeros: [0]) }
    return Tensor(shape: output.shape, scalars: affine(input, relu: false))
  }
  private var storedPreActivation: Tensor? = Tensor(zeros: [0])
  private var input = Tensor(zeros: [0])
  private var output = Tensor(zeros: [0])
  public var needsInputGradient = true

  public init(spec: LayerSpec, inputShape: FeatureShape, rng: inout RandomSource) throws {
    guard case .dense(let u, let act, let useBias) = spec.kind else {
      preconditionFailure("DenseLayer needs a dense spec")
    }
    self.spec = spec
    self.inputShape = inputShape
    self.outputShape = try spec.outputShape(for: inputShape)
    self.activation = act
    self.units = u
    let fanIn = inputShape.last ?? 1
    kernel = Parameter(
      name: "kernel", shape: [fanIn, u],
      value: glorotUniform(count: fanIn * u, fanIn: fanIn, fanOut: u, rng: &rng))
    bias = useBias ? Parameter(name: "bias", shape: [u], value: [Float](repeating: 0, count: u)) : nil
  }

  /// x W + b (or relu of it) for a batch of rows.
  private func affine(_ x: Tensor, relu: Bool) -> [Float] {
    let fanIn = inputShape.last ?? 1
    let rows = x.count / fanIn
    return uninitializedFloats(rows * units) { zp in
      if let b = bias?.value {
        b.withUnsafeBufferPointer { bp in
          for r in 0..<rows { (zp + r * units).update(from: bp.baseAddress!, count: units) }
        }
      }
      x.scalars.withUnsafeBufferPointer { xp in
        kernel.value.withUnsafeBufferPointer { wp in
          Gemm.sgemm(
            transA: false, transB: false, m: rows, n: units, k: fanIn, a: xp.baseAddress!, lda: fanIn,
            b: wp.baseAddress!, ldb: units, beta: bias == nil ? 0 : 1, c: zp, ldc: units)
        }
      }
      if relu { BlockConv.relu(zp, into: zp, count: rows * units) }
    }
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    input = x
    let shape = [x.shape[0]] + outputShape
    if activation == .relu {
      storedPreActivation = nil
      output = Tensor(shape: shape, scalars: affine(x, relu: true))
    } else {
      let z = Tensor(shape: shape, scalars: affine(x, relu: false))
      storedPreActivation = z
      output = activation == .linear ? z : Tensor(shape: shape, scalars: activation.apply(z.scalars, width: units))
    }
    return output
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    let dz: [Float]
    if activation == .relu {
      dz = reluBackward(dOutput.scalars, output: output.scalars)
    } else {
      dz = activation.backward(
        dOutput: dOutput.scalars, preActivation: preActivation.scalars, output: output.scalars, width: units)
    }
    return backward(preActivationGradient: Tensor(shape: dOutput.shape, scalars: dz))
  }

  public func backward(preActivationGradient dZ: Tensor) -> Tensor {
    let fanIn = inputShape.last ?? 1
    let rows = dZ.count / units
    if isTrainable {
      input.scalars.withUnsafeBufferPointer { xp in
        dZ.scalars.withUnsafeBufferPointer { dp in
          kernel.gradient.withUnsafeMutableBufferPointer { gp in
            // dW [in, units] += x^T [in, rows] x dZ [rows, units]
            Gemm.sgemm(
              transA: true, transB: false, m: fanIn, n: units, k: rows, a: xp.baseAddress!, lda: fanIn,
              b: dp.baseAddress!, ldb: units, beta: 1, c: gp.baseAddress!, ldc: units)
          }
        }
      }
      if let bias {
        dZ.scalars.withUnsafeBufferPointer { dp in
          bias.gradient.withUnsafeMutableBufferPointer { gp in
            for r in 0..<rows { Im2col.addRun(dp.baseAddress! + r * units, into: gp.baseAddress!, count: units) }
          }
        }
      }
    }
    let inShape = [dZ.shape[0]] + inputShape
    guard needsInputGradient else { return Tensor(zeros: inShape) }
    let dx = uninitializedFloats(rows * fanIn) { xp in
      dZ.scalars.withUnsafeBufferPointer { dp in
        kernel.value.withUnsafeBufferPointer { wp in
          // dX [rows, in] = dZ [rows, units] x W^T [units, in]
          Gemm.sgemm(
            transA: false, transB: true, m: rows, n: fanIn, k: units, a: dp.baseAddress!, lda: units,
            b: wp.baseAddress!, ldb: units, beta: 0, c: xp, ldc: fanIn)
        }
      }
    }
    return Tensor(shape: inShape, scalars: dx)
  }
}

/// MaxPooling2D and AveragePooling2D (padding cells ignored, as Keras).
public final class Pool2DLayer: NetworkLayer {
  public let spec: LayerSpec
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public let geometry: WindowGeometry
  public let mode: PoolMode
  public var parameters: [Parameter] { [] }
  private var argmax: [Int32] = []
  private var batch = 0

  public init(spec: LayerSpec, inputShape: FeatureShape) throws {
    switch spec.kind {
    case .maxPool2D: mode = .max
    case .averagePool2D: mode = .avg
    default: preconditionFailure("Pool2DLayer needs a pooling spec")
    }
    self.spec = spec
    self.inputShape = inputShape
    self.outputShape = try spec.outputShape(for: inputShape)
    self.geometry = try spec.window(on: inputShape)!
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    batch = x.shape[0]
    let (h, w, c) = (inputShape[0], inputShape[1], inputShape[2])
    let out: [Float]
    if mode == .max {
      let r = ConvKernels.maxPoolForward(input: x.scalars, batch: batch, height: h, width: w, channels: c, geometry: geometry)
      out = r.output
      argmax = r.argmax
    } else {
      out = ConvKernels.avgPoolForward(input: x.scalars, batch: batch, height: h, width: w, channels: c, geometry: geometry)
    }
    return Tensor(shape: [batch] + outputShape, scalars: out)
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    let (h, w, c) = (inputShape[0], inputShape[1], inputShape[2])
    let dx: [Float]
    if mode == .max {
      dx = uninitializedFloats(batch * h * w * c) { dp in
        dOutput.scalars.withUnsafeBufferPointer { op in
          argmax.withUnsafeBufferPointer { ap in
            FastPool.maxBackward(
              dOut: op.baseAddress!, argmax: ap.baseAddress!, batch: batch, height: h, width: w,
              channels: c, geometry: geometry, dInput: dp)
          }
        }
      }
    } else {
      dx = ConvKernels.avgPoolBackward(dOut: dOutput.scalars, batch: batch, height: h, width: w, channels: c, geometry: geometry)
    }
    return Tensor(shape: [batch] + inputShape, scalars: dx)
  }
}

/// GlobalAveragePooling2D: the mean of each channel over all positions, `[H, W, C]` -> `[C]`.
public final class GlobalAveragePoolLayer: NetworkLayer {
  public let spec: LayerSpec
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public var parameters: [Parameter] { [] }
  private var batch = 0

  public init(spec: LayerSpec, inputShape: FeatureShape) throws {
    self.spec = spec
    self.inputShape = inputShape
    self.outputShape = try spec.outputShape(for: inputShape)
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    batch = x.shape[0]
    let c = inputShape[2]
    let positions = inputShape[0] * inputShape[1]
    var out = [Float](repeating: 0, count: batch * c)
    for b in 0..<batch {
      for p in 0..<positions {
        let base = (b * positions + p) * c
        for ch in 0..<c { out[b * c + ch] += x.scalars[base + ch] }
      }
    }
    let scale = 1 / Float(positions)
    return Tensor(shape: [batch, c], scalars: out.map { $0 * scale })
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    let c = inputShape[2]
    let positions = inputShape[0] * inputShape[1]
    let scale = 1 / Float(positions)
    var dx = [Float](repeating: 0, count: batch * positions * c)
    for b in 0..<batch {
      for p in 0..<positions {
        let base = (b * positions + p) * c
        for ch in 0..<c { dx[base + ch] = dOutput.scalars[b * c + ch] * scale }
      }
    }
    return Tensor(shape: [batch] + inputShape, scalars: dx)
  }
}

/// Flatten: NHWC values in their memory order (rows, then columns, then channels, as Keras).
public final class FlattenLayer: NetworkLayer {
  public let spec: LayerSpec
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public var parameters: [Parameter] { [] }

  public init(spec: LayerSpec, inputShape: FeatureShape) throws {
    self.spec = spec
    self.inputShape = inputShape
    self.outputShape = try spec.outputShape(for: inputShape)
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    x.reshaped([x.shape[0]] + outputShape)
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    dOutput.reshaped([dOutput.shape[0]] + inputShape)
  }
}

/// Dropout: in training, zeroes each value with probability `rate` and scales the rest by
/// 1/(1-rate) (inverted dropout, as Keras), so inference needs no rescaling.
public final class DropoutLayer: NetworkLayer {
  public let spec: LayerSpec
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public let rate: Float
  public var parameters: [Parameter] { [] }
  private var mask: [Float] = []
  private var rng: RandomSource

  public init(spec: LayerSpec, inputShape: FeatureShape, rng: inout RandomSource) throws {
    guard case .dropout(let r) = spec.kind else { preconditionFailure("DropoutLayer needs a dropout spec") }
    guard r >= 0 && r < 1 else {
      throw ModelSpecError("Dropout rate must be in [0, 1), got \(r)")
    }
    self.spec = spec
    self.inputShape = inputShape
    self.outputShape = try spec.outputShape(for: inputShape)
    self.rate = r
    self.rng = rng.split()
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    guard training && rate > 0 else {
      mask = []
      return x
    }
    let keep = 1 / (1 - rate)
    // A local copy of the generator: a stored property would be checked for exclusive access
    // on every draw.
    var local = rng
    let r = rate
    mask = uninitializedFloats(x.count) { m in
      for i in 0..<x.count { m[i] = local.nextUnitFloat() < r ? 0 : keep }
    }
    rng = local
    return Tensor(shape: x.shape, scalars: multiplied(x.scalars, mask))
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    guard !mask.isEmpty else { return dOutput }
    return Tensor(shape: dOutput.shape, scalars: multiplied(dOutput.scalars, mask))
  }

  /// a * b elementwise, a vector at a time.
  private func multiplied(_ a: [Float], _ b: [Float]) -> [Float] {
    uninitializedFloats(a.count) { out in
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          let (x, y) = (ap.baseAddress!, bp.baseAddress!)
          let lw = Gemm.Lane.scalarCount
          var i = 0
          while i + lw <= a.count {
            Gemm.storeLane(out + i, Gemm.loadLane(x + i) * Gemm.loadLane(y + i))
            i += lw
          }
          while i < a.count {
            out[i] = x[i] * y[i]
            i += 1
          }
        }
      }
    }
  }
}

/// A standalone Activation layer.
public final class ActivationLayer: NetworkLayer, ActivatedLayer {
  public let spec: LayerSpec
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public let activation: Activation
  public var parameters: [Parameter] { [] }
  public private(set) var preActivation = Tensor(zeros: [0])
  private var output = Tensor(zeros: [0])

  public init(spec: LayerSpec, inputShape: FeatureShape) throws {
    guard case .activation(let a) = spec.kind else { preconditionFailure("ActivationLayer needs an activation spec") }
    self.spec = spec
    self.inputShape = inputShape
    self.outputShape = try spec.outputShape(for: inputShape)
    self.activation = a
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    preActivation = x
    output = Tensor(shape: x.shape, scalars: activation.apply(x.scalars, width: inputShape.last ?? 1))
    return output
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    Tensor(
      shape: dOutput.shape,
      scalars: activation.backward(
        dOutput: dOutput.scalars, preActivation: preActivation.scalars, output: output.scalars,
        width: inputShape.last ?? 1))
  }

  public func backward(preActivationGradient dZ: Tensor) -> Tensor { dZ }
}

/// BatchNormalization over the last axis (channels), Keras's rules: in training, normalize with
/// the batch's mean and (biased) variance and update the moving statistics,
/// moving = moving * momentum + batch * (1 - momentum); in inference, and when frozen
/// (`trainable = false`, as Keras does for fine-tuning), use the moving statistics.
/// y = gamma * (x - mean) / sqrt(var + epsilon) + beta.
public final class BatchNormLayer: NetworkLayer {
  public let spec: LayerSpec
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public let epsilon: Float
  public let momentum: Float
  public let gamma: Parameter
  public let beta: Parameter
  public let movingMean: Parameter
  public let movingVariance: Parameter
  public var parameters: [Parameter] { [gamma, beta, movingMean, movingVariance] }
  private var normalized: [Float] = []
  private var inverseStd: [Float] = []
  private var usedBatchStatistics = false

  public init(spec: LayerSpec, inputShape: FeatureShape) throws {
    guard case .batchNormalization(let eps, let mom) = spec.kind else {
      preconditionFailure("BatchNormLayer needs a batchNormalization spec")
    }
    self.spec = spec
    self.inputShape = inputShape
    self.outputShape = try spec.outputShape(for: inputShape)
    self.epsilon = eps
    self.momentum = mom
    let c = inputShape.last ?? 1
    gamma = Parameter(name: "gamma", shape: [c], value: [Float](repeating: 1, count: c))
    beta = Parameter(name: "beta", shape: [c], value: [Float](repeating: 0, count: c))
    movingMean = Parameter(name: "moving_mean", shape: [c], value: [Float](repeating: 0, count: c), learnable: false)
    movingVariance = Parameter(
      name: "moving_variance", shape: [c], value: [Float](repeating: 1, count: c), learnable: false)
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    let c = inputShape.last ?? 1
    let rows = x.count / c
    var mean = [Double](repeating: 0, count: c)
    var variance = [Double](repeating: 0, count: c)
    usedBatchStatistics = training && isTrainable
    if usedBatchStatistics {
      x.scalars.withUnsafeBufferPointer { xp in
        for r in 0..<rows { for j in 0..<c { mean[j] += Double(xp[r * c + j]) } }
        for j in 0..<c { mean[j] /= Double(rows) }
        for r in 0..<rows {
          for j in 0..<c {
            let d = Double(xp[r * c + j]) - mean[j]
            variance[j] += d * d
          }
        }
      }
      for j in 0..<c {
        variance[j] /= Double(rows)
        movingMean.value[j] = movingMean.value[j] * momentum + Float(mean[j]) * (1 - momentum)
        movingVariance.value[j] = movingVariance.value[j] * momentum + Float(variance[j]) * (1 - momentum)
      }
    } else {
      for j in 0..<c {
        mean[j] = Double(movingMean.value[j])
        variance[j] = Double(movingVariance.value[j])
      }
    }
    let inv = (0..<c).map { Float(1 / (variance[$0] + Double(epsilon)).squareRoot()) }
    let m = mean.map { Float($0) }
    let g = gamma.value, b = beta.value
    inverseStd = inv
    var h = [Float](repeating: 0, count: x.count)
    var y = [Float](repeating: 0, count: x.count)
    x.scalars.withUnsafeBufferPointer { xp in
      h.withUnsafeMutableBufferPointer { hp in
        y.withUnsafeMutableBufferPointer { yp in
          for r in 0..<rows {
            for j in 0..<c {
              let i = r * c + j
              let v = (xp[i] - m[j]) * inv[j]
              hp[i] = v
              yp[i] = g[j] * v + b[j]
            }
          }
        }
      }
    }
    normalized = h
    return Tensor(shape: x.shape, scalars: y)
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    let c = inputShape.last ?? 1
    let rows = dOutput.count / c
    var sumDy = [Float](repeating: 0, count: c)
    var sumDyH = [Float](repeating: 0, count: c)
    var dx = [Float](repeating: 0, count: dOutput.count)
    let g = gamma.value, inv = inverseStd
    dOutput.scalars.withUnsafeBufferPointer { dy in
      normalized.withUnsafeBufferPointer { h in
        for r in 0..<rows {
          for j in 0..<c {
            sumDy[j] += dy[r * c + j]
            sumDyH[j] += dy[r * c + j] * h[r * c + j]
          }
        }
        dx.withUnsafeMutableBufferPointer { dp in
          if usedBatchStatistics {
            // dx = gamma * invStd / m * (m*dy - sum(dy) - h * sum(dy*h))
            let m = Float(rows)
            for r in 0..<rows {
              for j in 0..<c {
                let i = r * c + j
                dp[i] = g[j] * inv[j] / m * (m * dy[i] - sumDy[j] - h[i] * sumDyH[j])
              }
            }
          } else {
            for r in 0..<rows { for j in 0..<c { dp[r * c + j] = dy[r * c + j] * g[j] * inv[j] } }
          }
        }
      }
    }
    if isTrainable {
      for j in 0..<c {
        gamma.gradient[j] += sumDyH[j]
        beta.gradient[j] += sumDy[j]
      }
    }
    return Tensor(shape: dOutput.shape, scalars: dx)
  }
}

/// Builds the engine's layer for a spec on an input shape.
public func makeLayer(_ spec: LayerSpec, inputShape: FeatureShape, rng: inout RandomSource) throws -> NetworkLayer {
  switch spec.kind {
  case .conv2D: return try Conv2DLayer(spec: spec, inputShape: inputShape, rng: &rng)
  case .dense: return try DenseLayer(spec: spec, inputShape: inputShape, rng: &rng)
  case .maxPool2D, .averagePool2D: return try Pool2DLayer(spec: spec, inputShape: inputShape)
  case .globalAveragePool2D: return try GlobalAveragePoolLayer(spec: spec, inputShape: inputShape)
  case .flatten: return try FlattenLayer(spec: spec, inputShape: inputShape)
  case .dropout: return try DropoutLayer(spec: spec, inputShape: inputShape, rng: &rng)
  case .batchNormalization: return try BatchNormLayer(spec: spec, inputShape: inputShape)
  case .activation: return try ActivationLayer(spec: spec, inputShape: inputShape)
  }
}
