/// Keras's AveragePooling2D: the mean of each window, per channel (padding cells not counted).
public struct AveragePooling2D: PoolingLayer {
  public var options: PoolingOptions

  public init(poolSize: Size2 = Size2(2), strides: Size2? = nil, padding: Padding = .valid) {
    options = PoolingOptions(poolSize: poolSize, strides: strides, padding: padding)
  }

  public var poolSize: Size2 { options.poolSize }
  public var strides: Size2 { options.strides }
  public var padding: Padding { options.padding }

  public static let kerasClass = "AveragePooling2D"
  public static let nameStem = "average_pooling2d"
  public static let specWords = ["avgpool", "avgpool2d", "averagepooling2d", "averagepooling", "avgpooling2d"]
  public static let specHelp = "AveragePooling2D(pool_size=2, strides=pool_size, padding=valid)"

  public static func parse(_ a: inout LayerArguments) throws -> AveragePooling2D {
    var l = AveragePooling2D()
    l.options = try PoolingOptions.parse(&a)
    return l
  }

  public static func fromKeras(config: [String: JSONValue]) throws -> AveragePooling2D {
    var l = AveragePooling2D()
    l.options = try PoolingOptions.fromKeras(config)
    return l
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
    Pool2DRuntime(mode: .avg, geometry: try window(on: context.inputShape)!, context)
  }
}
