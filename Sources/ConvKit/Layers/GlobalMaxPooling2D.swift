/// GlobalMaxPooling2D: the largest value of each channel over all positions, `[H, W, C]` -> `[C]`.
public struct GlobalMaxPooling2D: Layer {
  public init() {}
  public static let kerasClass = "GlobalMaxPooling2D"
  public static let nameStem = "global_max_pooling2d"
  public static let specWords = ["globalmaxpool", "globalmaxpool2d", "globalmaxpooling2d", "globalmaxpooling"]
  public static let specHelp = "GlobalMaxPooling2D()"

  public static func parse(_ a: inout LayerArguments) throws -> GlobalMaxPooling2D {
    try a.bind(positional: [], named: [])
    return GlobalMaxPooling2D()
  }
  public static func fromKeras(config: [String: JSONValue]) throws -> GlobalMaxPooling2D { GlobalMaxPooling2D() }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape { [try image(inputs)[2]] }
  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { GlobalPoolRuntime(max: true, context) }
}
