/// Keras's MaxPooling2D: the largest value of each window, per channel.
/// Options, shapes and runtime are PoolingLayer's (PoolingRuntime.swift).
public struct MaxPooling2D: PoolingLayer {
  public var options: PoolingOptions

  public init(options: PoolingOptions) { self.options = options }

  public static let mode = PoolMode.max
  public static let kerasClass = "MaxPooling2D"
  public static let nameStem = "max_pooling2d"
  public static let specWords = ["maxpool", "maxpool2d", "maxpooling2d", "maxpooling", "maxpooling2"]
}
