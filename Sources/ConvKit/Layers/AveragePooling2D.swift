/// Keras's AveragePooling2D: the mean of each window, per channel (padding cells not counted).
/// Options, shapes and runtime are PoolingLayer's (PoolingRuntime.swift).
public struct AveragePooling2D: PoolingLayer {
  public var options: PoolingOptions

  public init(options: PoolingOptions) { self.options = options }

  public static let mode = PoolMode.avg
  public static let kerasClass = "AveragePooling2D"
  public static let nameStem = "average_pooling2d"
  public static let specWords = ["avgpool", "avgpool2d", "averagepooling2d", "averagepooling", "avgpooling2d"]
}
