/// GlobalAveragePooling2D: the mean of each channel over all positions, `[H, W, C]` -> `[C]`.
public struct GlobalAveragePooling2D: Layer {
  /// Keras's `keepdims`: `[1, 1, C]` instead of `[C]` (MobileNet keeps them, then reshapes).
  public var keepDims: Bool
  public init(keepDims: Bool = false) { self.keepDims = keepDims }
  public static let kerasClass = "GlobalAveragePooling2D"
  public static let nameStem = "global_average_pooling2d"
  public static let specWords = ["globalavgpool", "globalavgpool2d", "globalaveragepooling2d", "globalaveragepooling", "gap"]
  public static let specHelp = "GlobalAveragePooling2D(keepdims=False)"

  public static func parse(_ a: inout LayerArguments) throws -> GlobalAveragePooling2D {
    try a.bind(positional: [], named: ["keepdims"])
    return GlobalAveragePooling2D(keepDims: try a.bool("keepdims") ?? false)
  }
  public static func fromKeras(config c: [String: JSONValue]) throws -> GlobalAveragePooling2D {
    GlobalAveragePooling2D(keepDims: c.bool("keepdims", default: false))
  }

  public var kerasConfig: [String: JSONValue] { ["keepdims": .bool(keepDims)] }
  public var specArguments: [String] { keepDims ? ["keepdims=True"] : [] }
  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    let c = try image(inputs)[2]
    return keepDims ? [1, 1, c] : [c]
  }
  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { GlobalPoolRuntime(max: false, context) }
}

/// GlobalAveragePooling2D and GlobalMaxPooling2D: one value per channel over all positions.
final class GlobalPoolRuntime: UnaryRuntime {
  let inputShape: FeatureShape
  /// `[C]`, or `[1, 1, C]` with keepdims.
  let outputShape: FeatureShape
  let isMax: Bool
  private var batch = 0
  /// Max pooling: the position of each (image, channel)'s maximum.
  private var argmax: [Int32] = []

  init(max: Bool, _ context: RuntimeContext) {
    isMax = max
    inputShape = context.inputShape
    outputShape = context.outputShape
  }

  func releaseCaches() { argmax = [] }

  func forward(_ x: Tensor, training: Bool) -> Tensor {
    batch = x.shape[0]
    let c = inputShape[2]
    let positions = inputShape[0] * inputShape[1]
    var out = [Float](repeating: isMax ? -.infinity : 0, count: batch * c)
    if isMax { argmax = [Int32](repeating: 0, count: batch * c) }
    x.scalars.withUnsafeBufferPointer { xp in
      for b in 0..<batch {
        for p in 0..<positions {
          let base = (b * positions + p) * c
          if isMax {
            for ch in 0..<c where xp[base + ch] > out[b * c + ch] {
              out[b * c + ch] = xp[base + ch]
              argmax[b * c + ch] = Int32(p)
            }
          } else {
            for ch in 0..<c { out[b * c + ch] += xp[base + ch] }
          }
        }
      }
    }
    if !isMax {
      let scale = 1 / Float(positions)
      for i in out.indices { out[i] *= scale }
    }
    return Tensor(shape: [batch] + outputShape, scalars: out)
  }

  func backward(_ dOutput: Tensor) -> Tensor {
    let c = inputShape[2]
    let positions = inputShape[0] * inputShape[1]
    var dx = [Float](repeating: 0, count: batch * positions * c)
    if isMax {
      for b in 0..<batch {
        for ch in 0..<c { dx[(b * positions + Int(argmax[b * c + ch])) * c + ch] = dOutput.scalars[b * c + ch] }
      }
    } else {
      let scale = 1 / Float(positions)
      for b in 0..<batch {
        for p in 0..<positions {
          let base = (b * positions + p) * c
          for ch in 0..<c { dx[base + ch] = dOutput.scalars[b * c + ch] * scale }
        }
      }
    }
    return Tensor(shape: [batch] + inputShape, scalars: dx)
  }
}
