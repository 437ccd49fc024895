import ConvData
import ConvKit
import Foundation

/// The architecture a weights file's tensors are put on when the file does not state one
/// (`--arch`): a keras.applications network, or a model spec.
public struct WeightsArchitecture: Sendable {
  /// The keras.applications name (`vgg16`, `resnet50`...), which picks the import's mapping
  /// rules and ImageNet's classes; nil for a spec.
  public var name: String?
  public var graph: GraphSpec
  /// What the network's inputs are made with: Keras's `preprocess_input` of the application,
  /// x/255 for a spec.
  public var preprocessing: Preprocessing

  public init(name: String?, graph: GraphSpec, preprocessing: Preprocessing) {
    self.name = name
    self.graph = graph
    self.preprocessing = preprocessing
  }

  /// A keras.applications network by name (any case), with Keras's preprocessing: 'caffe' for
  /// VGG and ResNet50, 'tf' for Inception, Xception and MobileNet.
  public static func application(_ name: String) -> WeightsArchitecture? {
    if let entry = ApplicationGraphs.named(name) {
      let preprocessing: Preprocessing = ["vgg16", "vgg19", "resnet50"].contains(entry.name) ? .caffe : .tf
      return WeightsArchitecture(name: entry.name, graph: entry.make(), preprocessing: preprocessing)
    }
    if let entry = KerasApplications.named(name) {
      return WeightsArchitecture(
        name: entry.name, graph: entry.spec.graph(name: entry.name, inputName: entry.inputLayerName), preprocessing: .caffe)
    }
    return nil
  }
}

/// A network's weights from a file, with its architecture and metadata: what every command
/// that takes `--weights` (classify, predict, evaluate, finetune) and the summary screen build
/// their network from, so each format is read in one place.
public struct LoadedWeights {
  public var graph: GraphSpec
  /// Parallel to `InferenceNetwork.slots(for: graph)`.
  public var weights: [[Float]]
  /// The file's own metadata (convplay files: data set, classes...) and, for imports,
  /// `convplay.preprocessing` and `convplay.classes`.
  public var metadata: [String: String]
  public var format: WeightFileFormat
}

/// The one path from any weights file to a network: convplay's own model files (safetensors
/// with an architecture), Keras full models (.h5 with model_config, .keras), and weights that
/// need an architecture (legacy .h5 weights, Keras 3 .weights.h5, PyTorch .pth/.pt, .npz,
/// bare safetensors) on `architecture` or on the one a published file's name gives
/// (`vgg16_weights_tf_dim_ordering_tf_kernels.h5` is VGG16). The format is told by content.
public enum WeightsLoader {
  /// The weights of the file at `url`, every tensor checked to hold numbers (a NaN or an
  /// infinity is refused naming the tensor, not turned into `nan` predictions).
  public static func load(_ url: URL, architecture: WeightsArchitecture?) throws -> LoadedWeights {
    let loaded = try read(url, architecture: architecture)
    let slots = try InferenceNetwork.slots(for: loaded.graph)
    for (s, w) in zip(slots, loaded.weights) {
      do { try FiniteWeights.check(w, tensor: s.name) } catch { throw ImportError("\(url.lastPathComponent): \(error.message)") }
    }
    return loaded
  }

  private static func read(_ url: URL, architecture: WeightsArchitecture?) throws -> LoadedWeights {
    let name = url.lastPathComponent
    let format = try WeightFileFormat.sniff(url)
    if format == .safetensors, architecture == nil {
      let (graph, weights, metadata) = try PretrainedModel.loadWeights(url)
      return LoadedWeights(graph: graph, weights: weights, metadata: metadata, format: format)
    }
    let published = PublishedWeights.all.first { $0.fileName == name }
    if architecture == nil, published == nil, format == .kerasH5 || format == .keras {
      // A full Keras model names its own architecture (model_config, config.json).
      var contents = try WeightImport.readFile(url)
      if let config = contents.config, let layers = contents.layers {
        contents.layers = nil
        let graph = try config.graph()
        return LoadedWeights(
          graph: graph, weights: try WeightImport.graphWeights(layers, graph: graph),
          metadata: [PretrainedModel.preprocessingKey: Preprocessing.unit.rawValue], format: format)
      }
    }
    if published?.noTop == true, architecture == nil {
      throw ImportError("\(name) has no classifier (include_top=False): give --arch with the architecture its weights fit")
    }
    guard let arch = architecture ?? published.flatMap({ WeightsArchitecture.application($0.architecture) }) else {
      throw ImportError(
        "\(name) (\(format.rawValue)) holds weights without a convplay architecture: give --arch "
          + (KerasApplications.all.map(\.name) + ApplicationGraphs.all.map(\.name)).joined(separator: "|") + "|SPEC")
    }
    var contents = try WeightImport.readFile(url)
    var metadata = [PretrainedModel.preprocessingKey: arch.preprocessing.rawValue]
    if arch.name != nil { metadata[PretrainedModel.classesKey] = "imagenet" }
    if let layers = contents.layers, !arch.graph.isChain || ApplicationGraphs.named(arch.name ?? "") != nil {
      // A network with branches reads Keras's files layer by layer (legacy HDF5, .keras).
      contents.layers = nil
      return LoadedWeights(
        graph: arch.graph, weights: try WeightImport.graphWeights(layers, graph: arch.graph), metadata: metadata,
        format: format)
    }
    guard let spec = arch.graph.sequential else {
      throw ImportError(
        "\(name) (\(format.rawValue)): tensors matched by name fit a network without branches; "
          + "\(arch.name ?? "this spec") has branches (give its Keras .h5 or .keras file)")
    }
    let (weights, _, layout) = try WeightImport.convert(&contents, spec: spec, architecture: arch.name)
    if arch.name != nil { metadata[PretrainedModel.preprocessingKey] = (layout == .keras ? Preprocessing.caffe : .torch).rawValue }
    return LoadedWeights(graph: arch.graph, weights: weights, metadata: metadata, format: format)
  }
}
