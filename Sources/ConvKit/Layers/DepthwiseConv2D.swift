/// Keras's DepthwiseConv2D: one kernel per input channel (times `depth_multiplier`), no mixing
/// across channels; MobileNet's 3x3 blocks. Kernel `[KH, KW, C, M]`, `C*M` outputs.
public struct DepthwiseConv2D: Layer {
  public var kernelSize: Size2
  public var strides: Size2
  public var padding: Padding
  public var depthMultiplier: Int
  public var dilation: Size2
  public var activation: Activation
  public var useBias: Bool

  public init(
    kernelSize: Size2, strides: Size2 = Size2(1), padding: Padding = .valid, depthMultiplier: Int = 1,
    dilation: Size2 = Size2(1), activation: Activation = .linear, useBias: Bool = true
  ) {
    self.kernelSize = kernelSize
    self.strides = strides
    self.padding = padding
    self.depthMultiplier = depthMultiplier
    self.dilation = dilation
    self.activation = activation
    self.useBias = useBias
  }

  public static let kerasClass = "DepthwiseConv2D"
  public static let nameStem = "depthwise_conv2d"
  public static let specWords = ["depthwiseconv2d", "depthwiseconv", "depthwise"]
  public static let specHelp =
    "DepthwiseConv2D(kernel_size, strides=1, padding=valid, depth_multiplier=1, activation=linear, use_bias=true)"

  public static func parse(_ a: inout LayerArguments) throws -> DepthwiseConv2D {
    try a.bind(
      positional: ["kernel_size", "strides"],
      named: ["kernel_size", "strides", "padding", "depth_multiplier", "dilation_rate", "activation", "use_bias"])
    guard let kernel = try a.pair("kernel_size") else { throw a.fail("depthwiseconv2d needs kernel_size, for example depthwiseconv2d(3)") }
    return DepthwiseConv2D(
      kernelSize: kernel, strides: try a.pair("strides") ?? Size2(1), padding: try a.padding(allowExplicit: true) ?? .valid,
      depthMultiplier: try a.int("depth_multiplier") ?? 1, dilation: try a.pair("dilation_rate") ?? Size2(1),
      activation: try a.activation() ?? .linear, useBias: try a.bool("use_bias") ?? true)
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> DepthwiseConv2D {
    DepthwiseConv2D(
      kernelSize: try c.pair("kernel_size"), strides: try c.pair("strides", default: Size2(1)), padding: try c.padding(),
      depthMultiplier: try c.int("depth_multiplier", default: 1), dilation: try c.pair("dilation_rate", default: Size2(1)),
      activation: try c.activation(), useBias: c.bool("use_bias", default: true))
  }

  public var kerasConfig: [String: JSONValue] {
    [
      "kernel_size": KerasConfig.pair(kernelSize), "strides": KerasConfig.pair(strides), "padding": KerasConfig.padding(padding),
      "depth_multiplier": .int(depthMultiplier), "dilation_rate": KerasConfig.pair(dilation),
      "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
    ]
  }

  public var specArguments: [String] {
    var args = ["kernel_size=" + SpecText.pair(kernelSize)]
    if strides != Size2(1) { args.append("strides=" + SpecText.pair(strides)) }
    if let p = SpecText.padding(padding) { args.append(p) }
    if depthMultiplier != 1 { args.append("depth_multiplier=\(depthMultiplier)") }
    if dilation != Size2(1) { args.append("dilation_rate=" + SpecText.pair(dilation)) }
    if let a = SpecText.activation(activation) { args.append(a) }
    if !useBias { args.append("use_bias=False") }
    return args
  }

  public func window(on input: FeatureShape) throws -> WindowGeometry? {
    try Conv2D(filters: 1, kernelSize: kernelSize, strides: strides, padding: padding, dilation: dilation).window(on: input)
  }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    let s = try image(inputs)
    guard depthMultiplier >= 1 else { throw ModelSpecError("depth_multiplier must be at least 1") }
    let g = try window(on: s)!
    return [g.outputRows, g.outputCols, try CheckedSize.multiply(s[2], depthMultiplier, field: "depth_multiplier")]
  }

  public func weights(for inputs: [FeatureShape]) -> [WeightSpec] {
    let c = inputs.first?.last ?? 1
    let taps = kernelSize.rows &* kernelSize.cols
    var w = [WeightSpec(
      "depthwise_kernel", [kernelSize.rows, kernelSize.cols, c, depthMultiplier],
      initializer: .glorotUniform(fanIn: taps &* c, fanOut: taps &* depthMultiplier))]
    if useBias { w.append(WeightSpec("bias", [c &* depthMultiplier])) }
    return w
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime {
    let s = context.inputShape
    return DepthwiseRuntime(
      shape: DepthwiseRuntime.Shape(
        batch: 0, height: s[0], width: s[1], channels: s[2], multiplier: depthMultiplier,
        geometry: try window(on: s)!),
      activation: activation, context: context, useBias: useBias)
  }

  /// `3*3*32 = 288` (kernel rows * cols * channels * multiplier, + biases).
  public func parameterFormula(for inputs: [FeatureShape], total: Int) -> String {
    let g = NumberText.grouped
    let cin = inputs.first?.last ?? 1
    let m = depthMultiplier == 1 ? "" : "*\(depthMultiplier)"
    let weights = "\(kernelSize.rows)*\(kernelSize.cols)*\(g(cin))\(m)"
    return (useBias ? weights + " + \(g(cin * depthMultiplier))" : weights) + " = " + g(total)
  }

  public func flops(for inputs: [FeatureShape], output: FeatureShape) -> Double {
    2.0 * output.reduce(1.0) { $0 * Double($1) } * Double(kernelSize.rows) * Double(kernelSize.cols)
  }
}

/// The layer running on `DepthwiseConv`'s kernels (SIMD along the channels, tested against
/// `NHWCReference.depthwise*` and PyTorch); also SeparableConv2D's first step.
final class DepthwiseRuntime: UnaryRuntime {
  struct Shape {
    var batch: Int, height: Int, width: Int, channels: Int, multiplier: Int
    var geometry: WindowGeometry
    var outChannels: Int { channels * multiplier }
  }

  var shape: Shape
  let activation: Activation
  let kernel: Parameter
  let bias: Parameter?
  let trainable: Bool
  var needsInputGradient = true
  var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }
  private var input = Tensor(zeros: [0])
  private var preActivation: [Float] = []
  private var output: [Float] = []

  init(shape: Shape, activation: Activation, context: RuntimeContext, useBias: Bool) {
    self.shape = shape
    self.activation = activation
    kernel = context.parameters[0]
    bias = useBias ? context.parameters[1] : nil
    trainable = context.trainable
  }

  func releaseCaches() {
    input = Tensor(zeros: [0])
    preActivation = []
    output = []
  }

  func forward(_ x: Tensor, training: Bool) -> Tensor {
    input = x
    shape.batch = x.shape[0]
    let g = shape.geometry
    let z = uninitializedFloats(shape.batch * g.outputRows * g.outputCols * shape.outChannels) { zp in
      x.scalars.withUnsafeBufferPointer { xp in
        kernel.value.withUnsafeBufferPointer { kp in
          withOptionalPointer(bias?.value) { bp in
            DepthwiseConv.forward(
              input: xp.baseAddress!, batch: shape.batch, height: shape.height, width: shape.width,
              channels: shape.channels, kernel: kp.baseAddress!, depthMultiplier: shape.multiplier, bias: bp,
              geometry: g, output: zp)
          }
        }
      }
    }
    preActivation = z
    output = activation.apply(z, width: shape.outChannels)
    return Tensor(shape: [shape.batch, g.outputRows, g.outputCols, shape.outChannels], scalars: output)
  }

  func backward(_ dOutput: Tensor) -> Tensor {
    let dz = activation.backward(dOutput: dOutput.scalars, preActivation: preActivation, output: output, width: shape.outChannels)
    let inShape = [shape.batch, shape.height, shape.width, shape.channels]
    if dz.isEmpty { return Tensor(zeros: inShape) }
    dz.withUnsafeBufferPointer { dp in
      if trainable {
        input.scalars.withUnsafeBufferPointer { xp in
          kernel.gradient.withUnsafeMutableBufferPointer { gk in
            if let bias {
              bias.gradient.withUnsafeMutableBufferPointer { gb in
                DepthwiseConv.kernelGradient(
                  input: xp.baseAddress!, dOut: dp.baseAddress!, batch: shape.batch, height: shape.height,
                  width: shape.width, channels: shape.channels, depthMultiplier: shape.multiplier,
                  geometry: shape.geometry, dKernel: gk.baseAddress!, dBias: gb.baseAddress!)
              }
            } else {
              DepthwiseConv.kernelGradient(
                input: xp.baseAddress!, dOut: dp.baseAddress!, batch: shape.batch, height: shape.height,
                width: shape.width, channels: shape.channels, depthMultiplier: shape.multiplier,
                geometry: shape.geometry, dKernel: gk.baseAddress!)
            }
          }
        }
      }
    }
    guard needsInputGradient else { return Tensor(zeros: inShape) }
    let dx = uninitializedFloats(inShape.reduce(1, *)) { dxp in
      dz.withUnsafeBufferPointer { dp in
        kernel.value.withUnsafeBufferPointer { kp in
          DepthwiseConv.inputGradient(
            dOut: dp.baseAddress!, kernel: kp.baseAddress!, batch: shape.batch, height: shape.height,
            width: shape.width, channels: shape.channels, depthMultiplier: shape.multiplier,
            geometry: shape.geometry, dInput: dxp)
        }
      }
    }
    return Tensor(shape: inShape, scalars: dx)
  }
}
