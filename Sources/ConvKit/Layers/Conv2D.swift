/// Keras's Conv2D: `filters` kernels of `kernel_size` over all input channels, plus bias, then
/// the activation. Output size per axis comes from `WindowGeometry`:
/// valid floor((n - d(k-1) - 1)/s) + 1, same ceil(n/s).
public struct Conv2D: Layer {
  public var filters: Int
  public var kernelSize: Size2
  public var strides: Size2
  public var padding: Padding
  /// Rows and columns may differ (`dilation_rate=(2, 1)`).
  public var dilation: Size2
  public var activation: Activation
  public var useBias: Bool

  public init(
    filters: Int, kernelSize: Size2, strides: Size2 = Size2(1), padding: Padding = .valid,
    dilation: Size2 = Size2(1), activation: Activation = .linear, useBias: Bool = true
  ) {
    self.filters = filters
    self.kernelSize = kernelSize
    self.strides = strides
    self.padding = padding
    self.dilation = dilation
    self.activation = activation
    self.useBias = useBias
  }

  public static let kerasClass = "Conv2D"
  public static let nameStem = "conv2d"
  public static let specWords = ["conv2d", "conv", "convolution2d", "conv2"]
  public static let specHelp =
    "Conv2D(filters, kernel_size, strides=1, padding=valid, dilation_rate=1, activation=linear, use_bias=true)"

  public static func parse(_ a: inout LayerArguments) throws -> Conv2D {
    try a.bind(
      positional: ["filters", "kernel_size", "strides"],
      named: ["filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias"])
    guard let filters = try a.int("filters") else { throw a.fail("conv2d needs filters, for example conv2d(32, 3)") }
    guard let kernel = try a.pair("kernel_size") else {
      throw a.fail("conv2d needs kernel_size, for example conv2d(\(filters), 3) or kernel_size=(3, 3)")
    }
    let strides = try a.pair("strides") ?? Size2(1)
    let dilation = try a.pair("dilation_rate") ?? Size2(1)
    if dilation != Size2(1), strides != Size2(1) {
      throw a.fail(at: "dilation_rate", "Keras does not allow strides > 1 together with dilation_rate > 1")
    }
    return Conv2D(
      filters: filters, kernelSize: kernel, strides: strides, padding: try a.padding(allowExplicit: true) ?? .valid,
      dilation: dilation, activation: try a.activation() ?? .linear, useBias: try a.bool("use_bias") ?? true)
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> Conv2D {
    let groups = try c.int("groups", default: 1)
    guard groups == 1 else { throw ModelSpecError("Conv2D with groups=\(groups) is not supported (only groups=1)") }
    return Conv2D(
      filters: try c.int("filters"), kernelSize: try c.pair("kernel_size"), strides: try c.pair("strides", default: Size2(1)),
      padding: try c.padding(), dilation: try c.pair("dilation_rate", default: Size2(1)), activation: try c.activation(),
      useBias: c.bool("use_bias", default: true))
  }

  public var kerasConfig: [String: JSONValue] {
    [
      "filters": .int(filters), "kernel_size": KerasConfig.pair(kernelSize), "strides": KerasConfig.pair(strides),
      "padding": KerasConfig.padding(padding),
      "dilation_rate": dilation.rows == dilation.cols ? .int(dilation.rows) : KerasConfig.pair(dilation),
      "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
    ]
  }

  public var specArguments: [String] {
    var args = ["\(filters)", "kernel_size=" + SpecText.pair(kernelSize)]
    if strides != Size2(1) { args.append("strides=" + SpecText.pair(strides)) }
    if let p = SpecText.padding(padding) { args.append(p) }
    if dilation != Size2(1) {
      args.append("dilation_rate=" + (dilation.rows == dilation.cols ? "\(dilation.rows)" : SpecText.pair(dilation)))
    }
    if let a = SpecText.activation(activation) { args.append(a) }
    if !useBias { args.append("use_bias=False") }
    return args
  }

  public func window(on input: FeatureShape) throws -> WindowGeometry? {
    guard input.count == 3 else { return nil }
    return try WindowGeometry(
      rows: OutputShape.axis(
        input: input[0], kernel: kernelSize.rows, stride: strides.rows, dilation: dilation.rows, padding: padding,
        axisName: "rows"),
      cols: OutputShape.axis(
        input: input[1], kernel: kernelSize.cols, stride: strides.cols, dilation: dilation.cols, padding: padding,
        axisName: "columns"))
  }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    let s = try image(inputs)
    let g = try window(on: s)!
    return [g.outputRows, g.outputCols, filters]
  }

  public func weights(for inputs: [FeatureShape]) -> [WeightSpec] {
    let cin = inputs.first?.last ?? 1
    let taps = kernelSize.rows &* kernelSize.cols
    var w = [WeightSpec("kernel", [kernelSize.rows, kernelSize.cols, cin, filters], initializer: .glorotUniform(fanIn: taps &* cin, fanOut: taps &* filters))]
    if useBias { w.append(WeightSpec("bias", [filters])) }
    return w
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { try Conv2DRuntime(self, context) }

  /// `64*3*3*1 + 64 = 640` (filters*rows*cols*channels + biases).
  public func parameterFormula(for inputs: [FeatureShape], total: Int) -> String {
    let g = NumberText.grouped
    let weights = "\(g(filters))*\(kernelSize.rows)*\(kernelSize.cols)*\(g(inputs.first?.last ?? 1))"
    return (useBias ? "\(weights) + \(g(filters))" : weights) + " = " + g(total)
  }

  public func flops(for inputs: [FeatureShape], output: FeatureShape) -> Double {
    2.0 * output.reduce(1.0) { $0 * Double($1) } * Double(kernelSize.rows) * Double(kernelSize.cols) * Double(inputs.first?.last ?? 1)
  }
}

public final class Conv2DRuntime: ActivatedRuntime {
  public let trainable: Bool
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

  public init(_ layer: Conv2D, _ context: RuntimeContext) throws {
    inputShape = context.inputShape
    outputShape = context.outputShape
    geometry = try layer.window(on: inputShape)!
    activation = layer.activation
    filters = layer.filters
    kernel = context.parameters[0]
    bias = layer.useBias ? context.parameters[1] : nil
    trainable = context.trainable
  }

  public func releaseCaches() {
    input = Tensor(zeros: [0])
    output = Tensor(zeros: [0])
    storedPreActivation = Tensor(zeros: [0])
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
      if trainable { addWeightGradients(dOutput.scalars, reluOutput: output.scalars) }
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
    if trainable { addWeightGradients(dZ.scalars, reluOutput: nil) }
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