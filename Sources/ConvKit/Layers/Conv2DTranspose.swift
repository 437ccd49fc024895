/// Keras's Conv2DTranspose (a "deconvolution"): each input pixel spreads its values over a
/// `kernel_size` window of the output, windows `strides` apart; output size per axis
/// (n - 1)*s + max(k, s) for `valid`, n*s for `same`. It is exactly the input gradient of a
/// Conv2D from the output back to the input, so it runs on `TransposedConv` (BlockConv's
/// kernels swapped), whose geometry sizes it as Keras does.
/// Kernel `[KH, KW, filters, C]` (Keras's layout: output channels before input channels).
public struct Conv2DTranspose: Layer {
  public var filters: Int
  public var kernelSize: Size2
  public var strides: Size2
  public var padding: Padding
  public var activation: Activation
  public var useBias: Bool

  public init(
    filters: Int, kernelSize: Size2, strides: Size2 = Size2(1), padding: Padding = .valid,
    activation: Activation = .linear, useBias: Bool = true
  ) {
    self.filters = filters
    self.kernelSize = kernelSize
    self.strides = strides
    self.padding = padding
    self.activation = activation
    self.useBias = useBias
  }

  public static let kerasClass = "Conv2DTranspose"
  public static let nameStem = "conv2d_transpose"
  public static let specWords = ["conv2dtranspose", "convtranspose", "deconv2d", "deconv"]
  public static let specHelp = "Conv2DTranspose(filters, kernel_size, strides=1, padding=valid, activation=linear, use_bias=true)"

  public static func parse(_ a: inout LayerArguments) throws -> Conv2DTranspose {
    try a.bind(
      positional: ["filters", "kernel_size", "strides"],
      named: ["filters", "kernel_size", "strides", "padding", "activation", "use_bias"])
    guard let filters = try a.int("filters") else { throw a.fail("conv2dtranspose needs filters, for example conv2dtranspose(16, 3, 2)") }
    guard let kernel = try a.pair("kernel_size") else { throw a.fail("conv2dtranspose needs kernel_size, for example conv2dtranspose(\(filters), 3)") }
    return Conv2DTranspose(
      filters: filters, kernelSize: kernel, strides: try a.pair("strides") ?? Size2(1),
      padding: try a.padding(allowExplicit: false) ?? .valid, activation: try a.activation() ?? .linear,
      useBias: try a.bool("use_bias") ?? true)
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> Conv2DTranspose {
    if let op = c["output_padding"], op != .null { throw ModelSpecError("Conv2DTranspose's output_padding is not supported") }
    if try c.pair("dilation_rate", default: Size2(1)) != Size2(1) {
      throw ModelSpecError("Conv2DTranspose with dilation_rate is not supported")
    }
    return Conv2DTranspose(
      filters: try c.int("filters"), kernelSize: try c.pair("kernel_size"), strides: try c.pair("strides", default: Size2(1)),
      padding: try c.padding(), activation: try c.activation(), useBias: c.bool("use_bias", default: true))
  }

  public var kerasConfig: [String: JSONValue] {
    [
      "filters": .int(filters), "kernel_size": KerasConfig.pair(kernelSize), "strides": KerasConfig.pair(strides),
      "padding": KerasConfig.padding(padding), "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
    ]
  }

  public var specArguments: [String] {
    var args = ["\(filters)", "kernel_size=" + SpecText.pair(kernelSize)]
    if strides != Size2(1) { args.append("strides=" + SpecText.pair(strides)) }
    if let p = SpecText.padding(padding) { args.append(p) }
    if let a = SpecText.activation(activation) { args.append(a) }
    if !useBias { args.append("use_bias=False") }
    return args
  }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    let s = try image(inputs)
    if case .explicit = padding { throw ModelSpecError("Conv2DTranspose's padding must be valid or same") }
    let g = try reversedWindow(input: s)
    return [
      try CheckedSize.dimension(g.rows.input, field: "output rows"),
      try CheckedSize.dimension(g.cols.input, field: "output columns"), filters,
    ]
  }

  /// The window of the Conv2D that this layer reverses: from the output back to the input
  /// (`TransposedConv.geometry`, Keras's sizes and crop).
  func reversedWindow(input s: FeatureShape) throws -> WindowGeometry {
    do {
      return try TransposedConv.geometry(
        inputRows: s[0], inputCols: s[1], kernelRows: kernelSize.rows, kernelCols: kernelSize.cols,
        strideRows: strides.rows, strideCols: strides.cols, padding: padding)
    } catch let e as TransposedConv.GeometryError {
      throw ModelSpecError(e.description)
    }
  }

  /// `(14 - 1)*2 + 3 = 29` or `14*2 = 28`.
  public func shapeFormula(for inputs: [FeatureShape]) -> String? {
    guard let s = inputs.first, s.count == 3 else { return nil }
    func axis(_ n: Int, _ k: Int, _ st: Int) -> String {
      if padding == .same { return "\(n)*\(st) = \(n * st)" }
      // A stride longer than the kernel leaves gaps: Keras still covers the last stride.
      return st > k
        ? "(\(n) - 1)*\(st) + max(\(k), \(st)) = \((n - 1) * st + st)" : "(\(n) - 1)*\(st) + \(k) = \((n - 1) * st + k)"
    }
    let r = axis(s[0], kernelSize.rows, strides.rows)
    let c = axis(s[1], kernelSize.cols, strides.cols)
    return r == c ? r : r + ", " + c
  }

  public func weights(for inputs: [FeatureShape]) -> [WeightSpec] {
    let cin = inputs.first?.last ?? 1
    let taps = kernelSize.rows &* kernelSize.cols
    // Keras computes the fans from the kernel's shape: receptive field * last two axes.
    var w = [WeightSpec(
      "kernel", [kernelSize.rows, kernelSize.cols, filters, cin],
      initializer: .glorotUniform(fanIn: taps &* filters, fanOut: taps &* cin))]
    if useBias { w.append(WeightSpec("bias", [filters])) }
    return w
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime {
    TransposedConvRuntime(
      inputShape: context.inputShape, outputShape: context.outputShape,
      geometry: try reversedWindow(input: context.inputShape), activation: activation,
      kernel: context.parameters[0], bias: useBias ? context.parameters[1] : nil, trainable: context.trainable)
  }

  /// `16*3*3*32 + 16`.
  public func parameterFormula(for inputs: [FeatureShape], total: Int) -> String {
    let g = NumberText.grouped
    let weights = "\(g(filters))*\(kernelSize.rows)*\(kernelSize.cols)*\(g(inputs.first?.last ?? 1))"
    return (useBias ? "\(weights) + \(g(filters))" : weights) + " = " + g(total)
  }

  public func flops(for inputs: [FeatureShape], output: FeatureShape) -> Double {
    2.0 * (inputs.first ?? []).reduce(1.0) { $0 * Double($1) } * Double(kernelSize.rows) * Double(kernelSize.cols) * Double(filters)
  }
}

final class TransposedConvRuntime: UnaryRuntime {
  let inputShape: FeatureShape
  let outputShape: FeatureShape
  /// The Conv2D from this layer's output (its "input") to this layer's input (its "output").
  let geometry: WindowGeometry
  let activation: Activation
  let kernel: Parameter
  let bias: Parameter?
  let trainable: Bool
  var needsInputGradient = true
  var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }
  private var input = Tensor(zeros: [0])
  private var preActivation: [Float] = []
  private var output: [Float] = []

  init(
    inputShape: FeatureShape, outputShape: FeatureShape, geometry: WindowGeometry, activation: Activation,
    kernel: Parameter, bias: Parameter?, trainable: Bool
  ) {
    self.inputShape = inputShape
    self.outputShape = outputShape
    self.geometry = geometry
    self.activation = activation
    self.kernel = kernel
    self.bias = bias
    self.trainable = trainable
  }

  func releaseCaches() {
    input = Tensor(zeros: [0])
    preActivation = []
    output = []
  }

  func forward(_ x: Tensor, training: Bool) -> Tensor {
    input = x
    let n = x.shape[0]
    let f = outputShape[2]
    let z = uninitializedFloats(n * outputShape.reduce(1, *)) { zp in
      x.scalars.withUnsafeBufferPointer { xp in
        kernel.value.withUnsafeBufferPointer { kp in
          withOptionalPointer(bias?.value) { bp in
            TransposedConv.forward(
              input: xp.baseAddress!, batch: n, channels: inputShape[2], kernel: kp.baseAddress!, bias: bp, filters: f,
              geometry: geometry, output: zp)
          }
        }
      }
    }
    preActivation = z
    output = activation.apply(z, width: f)
    return Tensor(shape: [n] + outputShape, scalars: output)
  }

  func backward(_ dOutput: Tensor) -> Tensor {
    let n = dOutput.shape[0]
    let (f, cin) = (outputShape[2], inputShape[2])
    let dz = activation.backward(dOutput: dOutput.scalars, preActivation: preActivation, output: output, width: f)
    let inShape = [n] + inputShape
    if dz.isEmpty { return Tensor(zeros: inShape) }
    if trainable {
      dz.withUnsafeBufferPointer { dp in
        input.scalars.withUnsafeBufferPointer { xp in
          kernel.gradient.withUnsafeMutableBufferPointer { gk in
            if let bias {
              bias.gradient.withUnsafeMutableBufferPointer { gb in
                TransposedConv.kernelGradient(
                  input: xp.baseAddress!, dOut: dp.baseAddress!, batch: n, channels: cin, filters: f, geometry: geometry,
                  dKernel: gk.baseAddress!, dBias: gb.baseAddress!)
              }
            } else {
              TransposedConv.kernelGradient(
                input: xp.baseAddress!, dOut: dp.baseAddress!, batch: n, channels: cin, filters: f, geometry: geometry,
                dKernel: gk.baseAddress!)
            }
          }
        }
      }
    }
    guard needsInputGradient else { return Tensor(zeros: inShape) }
    let dx = uninitializedFloats(n * inputShape.reduce(1, *)) { dxp in
      dz.withUnsafeBufferPointer { dp in
        kernel.value.withUnsafeBufferPointer { kp in
          TransposedConv.inputGradient(
            dOut: dp.baseAddress!, kernel: kp.baseAddress!, batch: n, channels: cin, filters: f, geometry: geometry,
            dInput: dxp)
        }
      }
    }
    return Tensor(shape: inShape, scalars: dx)
  }
}
