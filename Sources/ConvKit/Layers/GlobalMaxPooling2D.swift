/// GlobalMaxPooling2D: the largest value of each channel over all positions, `[H, W, C]` -> `[C]`.
public struct GlobalMaxPooling2D: Layer {
  /// Keras's `keepdims`: `[1, 1, C]` instead of `[C]` (MobileNet keeps them, then reshapes).
  public var keepDims: Bool
  public init(keepDims: Bool = false) { self.keepDims = keepDims }
  public static let kerasClass = "GlobalMaxPooling2D"
  public static let nameStem = "global_max_pooling2d"
  public static let specWords = ["globalmaxpool", "globalmaxpool2d", "globalmaxpooling2d", "globalmaxpooling"]
  public static let specHelp = "GlobalMaxPooling2D(keepdims=False)"

  public static func parse(_ a: inout LayerArguments) throws -> GlobalMaxPooling2D {
    try a.bind(positional: [], named: ["keepdims"])
    return GlobalMaxPooling2D(keepDims: try a.bool("keepdims") ?? false)
  }
  public static func fromKeras(config c: [String: JSONValue]) throws -> GlobalMaxPooling2D {
    GlobalMaxPooling2D(keepDims: c.bool("keepdims", default: false))
  }

  public var kerasConfig: [String: JSONValue] { ["keepdims": .bool(keepDims)] }
  public var specArguments: [String] { keepDims ? ["keepdims=True"] : [] }
  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    let c = try image(inputs)[2]
    return keepDims ? [1, 1, c] : [c]
  }
  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { GlobalPoolRuntime(max: true, context) }
}
