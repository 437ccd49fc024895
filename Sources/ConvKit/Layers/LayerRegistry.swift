/// Every layer type convplay knows. Adding a layer: write its file in `Layers/` (a `Layer`
/// type and its runtime) and add one line here; the spec language, model files, Keras configs,
/// summaries, training and inference then know it.
public enum LayerRegistry {
  public static let all: [any Layer.Type] = [
    InputLayer.self,
    Conv2D.self,
    DepthwiseConv2D.self,
    SeparableConv2D.self,
    Conv2DTranspose.self,
    Dense.self,
    MaxPooling2D.self,
    AveragePooling2D.self,
    GlobalAveragePooling2D.self,
    GlobalMaxPooling2D.self,
    BatchNormalization.self,
    ZeroPadding2D.self,
    ActivationLayer.self,
    ReLU.self,
    LeakyReLU.self,
    Dropout.self,
    Flatten.self,
    Reshape.self,
    Add.self,
    Concatenate.self,
  ]

  private static let byKerasClass: [String: any Layer.Type] = Dictionary(
    uniqueKeysWithValues: all.map { ($0.kerasClass, $0) })

  private static let bySpecWord: [String: any Layer.Type] = {
    var m: [String: any Layer.Type] = [:]
    for t in all { for w in t.specWords { m[w] = t } }
    return m
  }()

  /// The type of a Keras class name (`Conv2D`).
  public static func type(kerasClass name: String) -> (any Layer.Type)? { byKerasClass[name] }

  /// The type of a spec word, already lower-cased and without `_` (`maxpool`, `batchnorm`).
  public static func type(specWord word: String) -> (any Layer.Type)? { bySpecWord[word] }

  /// The words shown in help and in "did you mean" hints.
  public static var specNames: [String] { all.map { $0.specWords[0] } }

  /// A layer from a Keras layer entry's class name and config; one clear line when the class
  /// is unknown or an option is missing.
  public static func fromKeras(className: String, config: [String: JSONValue]) throws -> any Layer {
    guard let t = byKerasClass[className] else {
      throw ModelSpecError(
        "unknown layer class \(className)" + suggestion(for: className, among: all.map { $0.kerasClass })
          + "; convplay knows " + all.map { $0.kerasClass }.joined(separator: ", "))
    }
    // Every layer Keras writes with a data_format: convplay's tensors are (height, width, channels).
    if let format = config["data_format"]?.string, format != "channels_last" {
      throw ModelSpecError("\(className) with data_format='\(format)' is not supported (convplay runs channels_last)")
    }
    do {
      return try build(t, config)
    } catch let e as ModelSpecError {
      throw ModelSpecError("\(className): \(e.message)")
    }
  }

  // Generic helpers: calling a static member of an opened `any Layer.Type` directly crashes
  // Swift 6.3's SIL generation in some contexts.
  static func build<L: Layer>(_ type: L.Type, _ config: [String: JSONValue]) throws -> any Layer {
    try L.fromKeras(config: config)
  }

  static func parse<L: Layer>(_ type: L.Type, _ arguments: inout LayerArguments) throws -> any Layer {
    try L.parse(&arguments)
  }
}

/// Rows and columns of a 2-D size (kernels, strides, dilation).
public struct Size2: Hashable, Sendable, CustomStringConvertible {
  public var rows: Int
  public var cols: Int
  public init(_ rows: Int, _ cols: Int) {
    self.rows = rows
    self.cols = cols
  }
  public init(_ n: Int) { self.init(n, n) }
  public var description: String { "(\(rows), \(cols))" }
}
