/// Keras's SeparableConv2D: a depthwise convolution (one kernel per channel) then a pointwise
/// 1x1 convolution to `filters` channels, then bias and activation (Xception's blocks).
/// Weights: depthwise_kernel `[KH, KW, C, M]`, pointwise_kernel `[1, 1, C*M, filters]`, bias.
public struct SeparableConv2D: Layer {
  public var filters: Int
  public var kernelSize: Size2
  public var strides: Size2
  public var padding: Padding
  public var depthMultiplier: Int
  public var dilation: Size2
  public var activation: Activation
  public var useBias: Bool

  public init(
    filters: Int, kernelSize: Size2, strides: Size2 = Size2(1), padding: Padding = .valid, depthMultiplier: Int = 1,
    dilation: Size2 = Size2(1), activation: Activation = .linear, useBias: Bool = true
  ) {
    self.filters = filters
    self.kernelSize = kernelSize
    self.strides = strides
    self.padding = padding
    self.depthMultiplier = depthMultiplier
    self.dilation = dilation
    self.activation = activation
    self.useBias = useBias
  }

  public static let kerasClass = "SeparableConv2D"
  public static let nameStem = "separable_conv2d"
  public static let specWords = ["separableconv2d", "separableconv", "sepconv2d", "sepconv"]
  public static let specHelp =
    "SeparableConv2D(filters, kernel_size, strides=1, padding=valid, depth_multiplier=1, activation=linear, use_bias=true)"

  var depthwise: DepthwiseConv2D {
    DepthwiseConv2D(
      kernelSize: kernelSize, strides: strides, padding: padding, depthMultiplier: depthMultiplier, dilation: dilation,
      useBias: false)
  }

  public static func parse(_ a: inout LayerArguments) throws -> SeparableConv2D {
    try a.bind(
      positional: ["filters", "kernel_size", "strides"],
      named: ["filters", "kernel_size", "strides", "padding", "depth_multiplier", "dilation_rate", "activation", "use_bias"])
    guard let filters = try a.int("filters") else { throw a.fail("separableconv2d needs filters, for example separableconv2d(64, 3)") }
    guard let kernel = try a.pair("kernel_size") else { throw a.fail("separableconv2d needs kernel_size, for example separableconv2d(\(filters), 3)") }
    return SeparableConv2D(
      filters: filters, kernelSize: kernel, strides: try a.pair("strides") ?? Size2(1),
      padding: try a.padding(allowExplicit: true) ?? .valid, depthMultiplier: try a.int("depth_multiplier") ?? 1,
      dilation: try a.pair("dilation_rate") ?? Size2(1), activation: try a.activation() ?? .linear,
      useBias: try a.bool("use_bias") ?? true)
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> SeparableConv2D {
    SeparableConv2D(
      filters: try c.int("filters"), kernelSize: try c.pair("kernel_size"), strides: try c.pair("strides", default: Size2(1)),
      padding: try c.padding(), depthMultiplier: try c.int("depth_multiplier", default: 1),
      dilation: try c.pair("dilation_rate", default: Size2(1)), activation: try c.activation(),
      useBias: c.bool("use_bias", default: true))
  }

  public var kerasConfig: [String: JSONValue] {
    var c = depthwise.kerasConfig
    c["filters"] = .int(filters)
    c["activation"] = .string(activation.rawValue)
    c["use_bias"] = .bool(useBias)
    return c
  }

  public var specArguments: [String] {
    var args = ["\(filters)"] + depthwise.specArguments.filter { $0 != "use_bias=False" }
    if let a = SpecText.activation(activation) { args.append(a) }
    if !useBias { args.append("use_bias=False") }
    return args
  }

  public func window(on input: FeatureShape) throws -> WindowGeometry? { try depthwise.window(on: input) }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    let s = try depthwise.outputShape(for: inputs)
    return [s[0], s[1], filters]
  }

  public func weights(for inputs: [FeatureShape]) -> [WeightSpec] {
    let mid = (inputs.first?.last ?? 1) &* depthMultiplier
    var w = depthwise.weights(for: inputs)
    w.append(WeightSpec("pointwise_kernel", [1, 1, mid, filters], initializer: .glorotUniform(fanIn: mid, fanOut: filters)))
    if useBias { w.append(WeightSpec("bias", [filters])) }
    return w
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime {
    var first = context
    first.parameters = [context.parameters[0]]
    first.outputShape = try depthwise.outputShape(for: context.inputShapes)
    let dw = try depthwise.makeRuntime(first) as! DepthwiseRuntime
    var second = context
    second.inputShapes = [first.outputShape]
    second.parameters = Array(context.parameters.dropFirst())
    let pw = DenseRuntime(Dense(units: filters, activation: activation, useBias: useBias), second)
    return SeparableRuntime(depthwise: dw, pointwise: pw)
  }

  /// `3*3*64 + 64*128 = 8,768` (depthwise + pointwise).
  public func parameterFormula(for inputs: [FeatureShape], total: Int) -> String {
    let g = NumberText.grouped
    let cin = inputs.first?.last ?? 1
    let m = depthMultiplier == 1 ? "" : "*\(depthMultiplier)"
    let dw = "\(kernelSize.rows)*\(kernelSize.cols)*\(g(cin))\(m)"
    let pw = "\(g(cin * depthMultiplier))*\(g(filters))"
    return dw + " + " + pw + (useBias ? " + \(g(filters))" : "") + " = " + g(total)
  }

  public func flops(for inputs: [FeatureShape], output: FeatureShape) -> Double {
    let mid = (inputs.first?.last ?? 1) * depthMultiplier
    return 2.0 * Double(output[0]) * Double(output[1]) * (Double(mid) * Double(kernelSize.rows) * Double(kernelSize.cols) + Double(mid) * Double(filters))
  }
}

/// Depthwise then pointwise: the pointwise step is a Dense on the channel axis (a 1x1 convolution).
final class SeparableRuntime: UnaryRuntime {
  let depthwise: DepthwiseRuntime
  let pointwise: DenseRuntime
  var parameters: [Parameter] { depthwise.parameters + pointwise.parameters }
  var needsInputGradient: Bool {
    get { depthwise.needsInputGradient }
    set { depthwise.needsInputGradient = newValue }
  }

  init(depthwise: DepthwiseRuntime, pointwise: DenseRuntime) {
    self.depthwise = depthwise
    self.pointwise = pointwise
  }

  func releaseCaches() {
    depthwise.releaseCaches()
    pointwise.releaseCaches()
  }

  func forward(_ x: Tensor, training: Bool) -> Tensor {
    pointwise.forward(depthwise.forward(x, training: training), training: training)
  }

  func backward(_ dOutput: Tensor) -> Tensor {
    depthwise.backward(pointwise.backward(dOutput))
  }
}
