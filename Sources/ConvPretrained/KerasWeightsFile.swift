import Foundation

/// One layer's weights from a Keras file, in Keras's order for that layer (`kernel, bias`;
/// BatchNormalization's `gamma, beta, moving_mean, moving_variance`; ...). Tensor names are
/// `layer/weight` when the file names its weights, `layer/0`, `layer/1`... when it only
/// numbers them (Keras 3).
public struct LayerWeights: Equatable, Sendable {
  public var layer: String
  public var tensors: [SourceTensor]
  public init(layer: String, tensors: [SourceTensor]) {
    self.layer = layer
    self.tensors = tensors
  }
}

/// What a Keras weights or model file holds: the layers' weights in the model's order and,
/// for a full model (.h5 with `model_config`, .keras), its architecture.
public struct KerasFileContents: Sendable {
  public var layers: [LayerWeights]
  public var config: KerasModelConfig?
}

/// Keras's HDF5 layouts, read through `HDF5File`:
/// - legacy weights (what keras.applications downloads, `model.save_weights("x.h5")` in Keras 2):
///   the root's `layer_names` attribute lists the layers in order; each has a group whose
///   `weight_names` attribute lists its weights in Keras's order, as paths inside the group.
///   The dataset names themselves are not trusted for meaning: Keras 1's files spell them
///   `block1_conv1_W_1:0`.
/// - a legacy full model (`model.save("x.h5")`): the same under `model_weights`, and the
///   architecture as JSON in the root's `model_config` attribute.
/// - Keras 3's `.weights.h5` (also inside a `.keras` zip): `layers/<key>/vars/0, 1, ...`, the
///   layer's real name in the `name` attribute of `vars` (the key is Keras's own: `conv2d_1`).
public enum KerasH5 {
  public static func read(_ url: URL, maxElements: Int = HDF5File.defaultMaxElements) throws -> KerasFileContents {
    let file = try HDF5File(url, maxElements: maxElements)
    var config: KerasModelConfig? = nil
    if let text = try file.stringAttribute("model_config")?.first {
      config = try KerasModelConfig.parse(json: Data(text.utf8))
    }
    if file.isGroup("/model_weights") {
      return KerasFileContents(layers: try legacyLayers(file, root: "/model_weights"), config: config)
    }
    if try file.stringAttribute("layer_names") != nil {
      return KerasFileContents(layers: try legacyLayers(file, root: "/"), config: config)
    }
    if file.isGroup("/layers") || file.isGroup("/_layer_checkpoint_dependencies") {
      return KerasFileContents(layers: try keras3Layers(file), config: config)
    }
    throw ImportError("\(file.name): an HDF5 file, but not Keras weights (no layer_names, model_weights or layers)")
  }

  /// The architecture alone (the `model_config` attribute), without reading any weights; nil
  /// for a weights-only file.
  public static func config(_ url: URL) throws -> KerasModelConfig? {
    let file = try HDF5File(url)
    guard let text = try file.stringAttribute("model_config")?.first else { return nil }
    return try KerasModelConfig.parse(json: Data(text.utf8))
  }

  static func legacyLayers(_ file: HDF5File, root: String) throws -> [LayerWeights] {
    guard let names = try file.stringAttribute("layer_names", of: root) else {
      throw ImportError("\(file.name): no layer_names attribute in \(root)")
    }
    let base = root == "/" ? "" : root
    var out: [LayerWeights] = []
    for layer in names {
      let group = "\(base)/\(layer)"
      guard !layer.isEmpty, file.isGroup(group) else {
        throw ImportError("\(file.name): layer_names lists \(layer), which has no group in the file")
      }
      let weightNames = try file.stringAttribute("weight_names", of: group) ?? []
      var tensors: [SourceTensor] = []
      for w in weightNames {
        let path = "\(group)/\(w)"
        guard file.isDataset(path) else {
          throw ImportError("\(file.name): layer \(layer) lists weight \(w), which is not in the file")
        }
        let (shape, values) = try file.floats(path)
        tensors.append(SourceTensor(name: "\(layer)/\(shortName(w))", shape: shape, values: values))
      }
      out.append(LayerWeights(layer: layer, tensors: tensors))
    }
    return out
  }

  /// `small_cnn/conv2d/kernel`, `block1_conv1/kernel:0` -> `kernel`; `block1_conv1_W_1:0`
  /// stays itself without `:0`.
  static func shortName(_ weight: String) -> String {
    var leaf = Substring(weight.split(separator: "/").last ?? Substring(weight))
    if let colon = leaf.lastIndex(of: ":"), leaf[leaf.index(after: colon)...].allSatisfy(\.isNumber) {
      leaf = leaf[..<colon]
    }
    return String(leaf)
  }

  /// Groups visited at most, in all: HDF5 groups may link to each other in a cycle, and a
  /// hostile file must not make the walk exponential.
  static let maxGroups = 100_000

  static func keras3Layers(_ file: HDF5File) throws -> [LayerWeights] {
    var out: [LayerWeights] = []
    var visited = 0
    func visit(_ group: String, depth: Int) throws {
      guard depth < 16 else { throw ImportError("\(file.name): layers nested too deeply") }
      for key in try file.children(of: group) ?? [] {
        visited += 1
        guard visited <= maxGroups else { throw ImportError("\(file.name): more than \(maxGroups) layer groups (linked in a cycle?)") }
        let layerGroup = "\(group)/\(key)"
        guard file.isGroup(layerGroup) else { continue }
        let vars = "\(layerGroup)/vars"
        let name = (try? file.stringAttribute("name", of: vars)?.first) ?? key
        var tensors: [SourceTensor] = []
        if file.isGroup(vars) {
          let indices = (try file.children(of: vars) ?? []).compactMap(Int.init).sorted()
          guard indices == Array(0..<indices.count) else {
            throw ImportError("\(file.name): \(vars) numbers its weights \(indices.prefix(5)), not 0, 1, 2, ...")
          }
          for i in indices {
            let (shape, values) = try file.floats("\(vars)/\(i)")
            tensors.append(SourceTensor(name: "\(name)/\(i)", shape: shape, values: values))
          }
        }
        out.append(LayerWeights(layer: name, tensors: tensors))
        // A nested model keeps its own layers below it.
        if file.isGroup("\(layerGroup)/layers") { try visit("\(layerGroup)/layers", depth: depth + 1) }
      }
    }
    try visit("/layers", depth: 0)
    return out
  }
}
