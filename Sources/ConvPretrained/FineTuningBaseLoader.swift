import ConvData
import ConvImageIO
import ConvKit
import Foundation

/// A keras.applications base without its top, its weights and how its inputs are made: what
/// `convplay finetune --base` and the training dashboard both start from.
public struct LoadedBase: Sendable {
  public var name: String
  /// The base on the images' size (include_top=False).
  public var graph: GraphSpec
  /// Parallel to `InferenceNetwork.slots(for: graph)`.
  public var weights: [[Float]]
  public var preprocessing: Preprocessing
  /// Where the weights came from: a file's path, or nil for random weights.
  public var source: String?

  public init(name: String, graph: GraphSpec, weights: [[Float]], preprocessing: Preprocessing, source: String?) {
    self.name = name
    self.graph = graph
    self.weights = weights
    self.preprocessing = preprocessing
    self.source = source
  }
}

/// No weights file for a named base in Keras's cache: the parts of the message that says how
/// to get them (each caller words it in its language).
public struct MissingBaseWeights: Error, Equatable, Sendable {
  public var name: String
  /// The file to put in the cache (the no-top one).
  public var fileName: String
  public var cacheDirectory: String
  /// The command that downloads it.
  public var fetchCommand: String
}

/// Finding and loading a pretrained base for fine-tuning, once for the command line and the
/// dashboard: the same base, the same weights, the same input size, the same preprocessing.
public enum FineTuningBaseLoader {
  /// The keras.applications networks offered as a base.
  public static let names = ["vgg16", "vgg19", "resnet50", "inceptionv3", "xception", "mobilenet"]

  /// True when `base` names a keras.applications network or a Keras/PyTorch weights file (a
  /// convplay safetensors model is fine-tuned as a Sequential digits-style model instead).
  public static func isPretrained(_ base: String) -> Bool {
    if PretrainedBase.application(base) != nil { return true }
    guard base != "default", FileManager.default.fileExists(atPath: base),
      let format = try? WeightFileFormat.sniff(URL(fileURLWithPath: base))
    else { return false }
    return format != .safetensors
  }

  /// The base's input: `side` when given (both sides), else the images' own size raised to the
  /// base's minimum side; always three channels.
  public static func inputShape(base: String, imageShape: FeatureShape, side: (height: Int, width: Int)? = nil) -> FeatureShape {
    if let side { return [side.height, side.width, 3] }
    // keras.applications' own minimums; a file's base takes what its layers can.
    let minimum = PretrainedBase.application(base) != nil ? PretrainedBase.minimumSide(base) : 1
    return [max(imageShape[0], minimum), max(imageShape[1], minimum), 3]
  }

  /// The cached weights file of a named base (the no-top file first, then the whole
  /// network's, whose top is left out), nil when neither is there.
  public static func cachedWeights(_ name: String) -> URL? {
    PublishedWeights.named(name, noTop: true)?.cachedFile() ?? PublishedWeights.named(name, noTop: false)?.cachedFile()
  }

  /// What to say when `cachedWeights(name)` is nil.
  public static func missing(_ name: String) -> MissingBaseWeights {
    let name = name.lowercased()
    return MissingBaseWeights(
      name: name, fileName: PublishedWeights.named(name, noTop: true)?.fileName ?? "\(name)_notop.h5",
      cacheDirectory: PublishedWeights.cacheDirectory().path, fetchCommand: "convplay weights fetch \(name) --no-top")
  }

  /// The base on `inputShape`: a named network with weights from `weights`, else Keras's cache
  /// (`MissingBaseWeights` when absent), or Glorot-uniform weights from `randomSeed` (as
  /// `classify --random-weights`); or a whole model file's base.
  public static func load(
    _ base: String, weights: String? = nil, randomSeed: UInt64? = nil, inputShape: FeatureShape
  ) throws -> LoadedBase {
    if let whole = PretrainedBase.application(base) {
      let name = base.lowercased()
      let graph = try PretrainedBase.withoutTop(whole, inputShape: inputShape)
      let keras: Preprocessing = ["vgg16", "vgg19", "resnet50"].contains(name) ? .caffe : .tf
      if let randomSeed, weights == nil {
        let random = try InferenceNetwork(graph: graph, randomSeed: randomSeed).weights
        return LoadedBase(name: name, graph: graph, weights: random, preprocessing: keras, source: nil)
      }
      guard let file = weights.map({ URL(fileURLWithPath: $0) }) ?? cachedWeights(name) else { throw missing(name) }
      let (values, preprocessing) = try baseWeights(file, name: name, whole: whole, graph: graph, keras: keras)
      return LoadedBase(name: name, graph: graph, weights: values, preprocessing: preprocessing, source: file.path)
    }
    // A whole model in one file (Keras .h5/.keras with its architecture): its base.
    let loaded = try WeightsLoader.load(URL(fileURLWithPath: base), architecture: nil)
    let graph = try PretrainedBase.withoutTop(loaded.graph, inputShape: inputShape)
    let count = try InferenceNetwork.slots(for: graph).count
    let preprocessing = loaded.metadata[PretrainedModel.preprocessingKey].flatMap(Preprocessing.init(rawValue:)) ?? .unit
    return LoadedBase(
      name: URL(fileURLWithPath: base).lastPathComponent, graph: graph, weights: Array(loaded.weights.prefix(count)),
      preprocessing: preprocessing, source: base)
  }

  /// The weights of `graph` (the base) from a Keras file (by layer name; a file with the top
  /// gives only the base's layers) or, for VGG, a PyTorch file (torchvision's names).
  static func baseWeights(
    _ url: URL, name: String, whole: GraphSpec, graph: GraphSpec, keras: Preprocessing
  ) throws -> ([[Float]], Preprocessing) {
    var contents = try WeightImport.readFile(url)
    if var layers = contents.layers {
      let names = Set(graph.nodes.map(\.name))
      let weighted = try InferenceNetwork.slots(for: graph).map(\.layer)
      if Set(weighted).isSubset(of: Set(layers.map(\.layer))) { layers = layers.filter { names.contains($0.layer) } }
      return (try WeightImport.graphWeights(layers, graph: graph), keras)
    }
    // torchvision's names are mapped for VGG only (MobileNet v1 is a chain too, but
    // torchvision has none).
    let pytorchMapped = contents.format != .pytorch || ["vgg16", "vgg19"].contains(name)
    guard let spec = whole.sequential, pytorchMapped else {
      throw DataError(noPyTorchBase(file: url.lastPathComponent, name: name, format: contents.format))
    }
    let (all, _, layout) = try WeightImport.convert(&contents, spec: spec, architecture: name)
    let count = try InferenceNetwork.slots(for: graph).count
    return (Array(all.prefix(count)), layout == .pytorch ? .torch : keras)
  }

  /// Images as the base takes them: at its input size, three channels, `preprocess_input`.
  public static func ready(_ set: LabeledImages, for base: LoadedBase) -> LabeledImages {
    let shape = base.graph.inputShape
    return LabeledImages(
      images: base.preprocessing.normalize(BaseInput.resized(set.images, height: shape[0], width: shape[1])), labels: set.labels)
  }

  /// Each epoch's training images with `--augment`: the images resized to the base's input, a
  /// new random transform per image and epoch (seeded by `seed`), then the base's
  /// preprocess_input, as Keras's augmentation layers sit before `preprocess_input` in the
  /// fine-tuning guide's model. `finetune --base` and the dashboard both draw from here.
  public static func augmentedEpochs(
    _ set: LabeledImages, for base: LoadedBase, augmentation: Augmentation, seed: UInt64
  ) -> (Int) -> LabeledImages {
    let shape = base.graph.inputShape
    let pixels = BaseInput.resized(set.images, height: shape[0], width: shape[1])
    let preprocessing = base.preprocessing
    var rng = RandomSource(seed: seed ^ 0x6175_676d_656e_7421)
    return { _ in
      LabeledImages(images: preprocessing.normalize(augmentation.apply(to: pixels, using: &rng)), labels: set.labels)
    }
  }

  /// Why a branched base takes only Keras's files: PyTorch's networks of the same names are
  /// other networks (their weights do not fit Keras's layers), or do not exist.
  static func noPyTorchBase(file: String, name: String, format: WeightFileFormat) -> String {
    let why: String
    switch name {
    case "resnet50": why = "torchvision's resnet50 is ResNet v1.5 (the stride in the 3x3 convolutions, no convolution biases)"
    case "inceptionv3": why = "convplay maps torchvision's layer names for VGG only"
    case "xception": why = "torchvision has no Xception"
    case "mobilenet": why = "torchvision has MobileNet v2 and v3, not the course's MobileNet (v1)"
    default: why = "its layers are not Keras's"
    }
    guard format == .pytorch else {
      return "\(file): the \(name) base reads Keras weight files (.h5, .keras), not \(format.rawValue)"
    }
    return "\(file): the \(name) base reads Keras weight files (.h5, .keras), not .pth: \(why)"
  }
}
