/// Keras's MaxPooling2D: the largest value of each window, per channel.
public struct MaxPooling2D: PoolingLayer {
  public var options: PoolingOptions

  public init(poolSize: Size2 = Size2(2), strides: Size2? = nil, padding: Padding = .valid) {
    options = PoolingOptions(poolSize: poolSize, strides: strides, padding: padding)
  }

  public var poolSize: Size2 { options.poolSize }
  public var strides: Size2 { options.strides }
  public var padding: Padding { options.padding }

  public static let kerasClass = "MaxPooling2D"
  public static let nameStem = "max_pooling2d"
  public static let specWords = ["maxpool", "maxpool2d", "maxpooling2d", "maxpooling", "maxpooling2"]
  public static let specHelp = "MaxPooling2D(pool_size=2, strides=pool_size, padding=valid)"

  public static func parse(_ a: inout LayerArguments) throws -> MaxPooling2D {
    var l = MaxPooling2D()
    l.options = try PoolingOptions.parse(&a)
    return l
  }

  public static func fromKeras(config: [String: JSONValue]) throws -> MaxPooling2D {
    var l = MaxPooling2D()
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
    Pool2DRuntime(mode: .max, geometry: try window(on: context.inputShape)!, context)
  }
}
