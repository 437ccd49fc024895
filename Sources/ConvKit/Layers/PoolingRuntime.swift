/// MaxPooling2D and AveragePooling2D: a window moved over each channel. They differ only in
/// what they take of a window (`mode`), so everything else is written once, here.
public protocol PoolingLayer: Layer {
  var options: PoolingOptions { get }
  init(options: PoolingOptions)
  static var mode: PoolMode { get }
}

extension PoolingLayer {
  public init(poolSize: Size2 = Size2(2), strides: Size2? = nil, padding: Padding = .valid) {
    self.init(options: PoolingOptions(poolSize: poolSize, strides: strides, padding: padding))
  }

  public var poolSize: Size2 { options.poolSize }
  public var strides: Size2 { options.strides }
  public var padding: Padding { options.padding }

  public static var specHelp: String { kerasClass + "(pool_size=2, strides=pool_size, padding=valid)" }

  public static func parse(_ a: inout LayerArguments) throws -> Self { Self(options: try PoolingOptions.parse(&a)) }

  public static func fromKeras(config: [String: JSONValue]) throws -> Self {
    Self(options: try PoolingOptions.fromKeras(config))
  }

  public var kerasConfig: [String: JSONValue] { options.kerasConfig }
  public var specArguments: [String] { options.specArguments }
  public func window(on input: FeatureShape) throws -> WindowGeometry? { try options.window(on: input) }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    let s = try image(inputs)
    let g = try window(on: s)!
    return [g.outputRows, g.outputCols, s[2]]
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime {
    Pool2DRuntime(mode: Self.mode, geometry: try window(on: context.inputShape)!, context)
  }
}

/// The options MaxPooling2D and AveragePooling2D share: a window of `poolSize` moved by
/// `strides` (the pool size unless given), padding `valid` or `same` (padding cells ignored).
public struct PoolingOptions: Hashable, Sendable {
  public var poolSize: Size2
  public var strides: Size2
  public var padding: Padding

  public init(poolSize: Size2 = Size2(2), strides: Size2? = nil, padding: Padding = .valid) {
    self.poolSize = poolSize
    self.strides = strides ?? poolSize
    self.padding = padding
  }

  static func parse(_ a: inout LayerArguments) throws -> PoolingOptions {
    try a.bind(positional: ["pool_size", "strides"], named: ["pool_size", "strides", "padding"])
    let size = try a.pair("pool_size") ?? Size2(2)
    return PoolingOptions(poolSize: size, strides: try a.pair("strides") ?? size, padding: try a.padding(allowExplicit: false) ?? .valid)
  }

  static func fromKeras(_ c: [String: JSONValue]) throws -> PoolingOptions {
    let size = try c.pair("pool_size", default: Size2(2))
    return PoolingOptions(poolSize: size, strides: try c.pair("strides", default: size), padding: try c.padding())
  }

  var kerasConfig: [String: JSONValue] {
    ["pool_size": KerasConfig.pair(poolSize), "strides": KerasConfig.pair(strides), "padding": KerasConfig.padding(padding)]
  }

  var specArguments: [String] {
    var args = ["pool_size=" + SpecText.pair(poolSize)]
    if strides != poolSize { args.append("strides=" + SpecText.pair(strides)) }
    if let p = SpecText.padding(padding) { args.append(p) }
    return args
  }

  func window(on input: FeatureShape) throws -> WindowGeometry? {
    guard input.count == 3 else { return nil }
    return try WindowGeometry(
      inputRows: input[0], inputCols: input[1], kernelRows: poolSize.rows, kernelCols: poolSize.cols,
      strideRows: strides.rows, strideCols: strides.cols, padding: padding)
  }
}

/// MaxPooling2D and AveragePooling2D (padding cells ignored, as Keras).
public final class Pool2DRuntime: UnaryRuntime {
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public let geometry: WindowGeometry
  public let mode: PoolMode
  private var argmax: [Int32] = []
  private var batch = 0

  init(mode: PoolMode, geometry: WindowGeometry, _ context: RuntimeContext) {
    self.mode = mode
    self.geometry = geometry
    inputShape = context.inputShape
    outputShape = context.outputShape
  }

  public func releaseCaches() { argmax = [] }

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
