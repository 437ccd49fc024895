import ConvKit
import Foundation

/// Reading Keras's JSON into ConvKit's `JSONValue`, the tree each layer reads its options from.
extension JSONValue {
  /// Parses JSON text (Foundation's JSONDecoder, which refuses nesting past 512 levels;
  /// numbers become Double).
  public static func parse(_ data: Data) throws -> JSONValue {
    do {
      return try JSONDecoder().decode(JSONValue.self, from: data)
    } catch {
      throw ImportError("the model config is not valid JSON")
    }
  }
}

/// A Keras model's architecture as a Keras file states it (the `model_config` attribute of a
/// full-model .h5, or config.json in a .keras zip), in a neutral form: what each layer is,
/// its options as Keras wrote them, and which layers feed it. Building convplay layers from
/// it is the model graph's job (`KerasModelConfig.Layer.config` is handed over as it is).
public struct KerasModelConfig: Equatable, Sendable {
  public enum ModelClass: String, Sendable { case sequential = "Sequential", functional = "Functional" }

  public struct Layer: Equatable, Sendable {
    /// Keras's class name: `Conv2D`, `BatchNormalization`, `Add`, ...
    public var className: String
    public var name: String
    /// The layer's `config` object as written (filters, kernel_size, padding, activation...).
    public var config: JSONValue
    /// The layers whose outputs it takes, in order: the previous layer in a Sequential model,
    /// the `inbound_nodes` of a Functional one (empty for the first layer / an InputLayer).
    public var inbound: [String]
  }

  public var modelClass: ModelClass
  public var name: String
  /// The input shape without the batch dimension (`[224, 224, 3]`), when the config gives it.
  public var inputShape: [Int?]?
  public var layers: [Layer]
  /// Functional models: the layers whose outputs are the model's outputs.
  public var outputs: [String]

  public static func parse(json data: Data) throws -> KerasModelConfig {
    try parse(try JSONValue.parse(data))
  }

  public static func parse(_ root: JSONValue) throws -> KerasModelConfig {
    guard let className = root["class_name"]?.string, let config = root["config"]?.object else {
      throw ImportError("the model config has no class_name and config: not a Keras model")
    }
    let modelClass: ModelClass
    switch className {
    case "Sequential": modelClass = .sequential
    case "Functional", "Model": modelClass = .functional
    default: throw ImportError("the model is a \(className): convplay reads Sequential and Functional Keras models")
    }
    let name = config["name"]?.string ?? "model"
    guard let layerList = config["layers"]?.array else { throw ImportError("the model config lists no layers") }
    var layers: [Layer] = []
    var inputShape: [Int?]? = nil
    for (i, entry) in layerList.enumerated() {
      guard let layerClass = entry["class_name"]?.string, let layerConfig = entry["config"] else {
        throw ImportError("layer \(i + 1) of the model config has no class_name or config")
      }
      let layerName = layerConfig["name"]?.string ?? entry["name"]?.string ?? "\(layerClass.lowercased())_\(i)"
      if layerClass == "InputLayer" {
        let shape = layerConfig["batch_shape"]?.shape ?? layerConfig["batch_input_shape"]?.shape
        if let shape, inputShape == nil { inputShape = Array(shape.dropFirst()) }
        if modelClass == .sequential { continue }
      }
      if inputShape == nil, let shape = layerConfig["batch_input_shape"]?.shape ?? layerConfig["batch_shape"]?.shape {
        inputShape = Array(shape.dropFirst())  // Keras 2's Sequential: on the first layer
      }
      let inbound: [String]
      switch modelClass {
      case .sequential: inbound = layers.last.map { [$0.name] } ?? []
      case .functional: inbound = try inboundNames(entry["inbound_nodes"], layer: layerName)
      }
      layers.append(Layer(className: layerClass, name: layerName, config: layerConfig, inbound: inbound))
    }
    var outputs: [String] = []
    if modelClass == .functional {
      outputs = keras3History(config["output_layers"]).map { [$0] } ?? layerNames(config["output_layers"])
      let known = Set(layers.map(\.name))
      for l in layers {
        if let missing = l.inbound.first(where: { !known.contains($0) }) {
          throw ImportError("layer \(l.name) takes the output of \(missing), which the model config does not define")
        }
      }
    } else {
      outputs = layers.last.map { [$0.name] } ?? []
    }
    return KerasModelConfig(modelClass: modelClass, name: name, inputShape: inputShape, layers: layers, outputs: outputs)
  }

  /// `inbound_nodes` in Keras 3 (`[{"args": [{"class_name": "__keras_tensor__", "config":
  /// {"keras_history": [name, node, tensor]}}, ...], "kwargs": {}}]`, tensors possibly in a
  /// list) and in Keras 2 (`[[[name, node, tensor, {}], ...]]`).
  static func inboundNames(_ nodes: JSONValue?, layer: String) throws -> [String] {
    guard let nodes = nodes?.array else { return [] }
    var names: [String] = []
    func walk(_ v: JSONValue, depth: Int) {
      guard depth < 32 else { return }
      if let name = keras3History(v) { names.append(name); return }
      if let a = v.array {
        if a.count >= 3, let name = a[0].string, a[1].int != nil, a[2].int != nil { names.append(name); return }
        for x in a { walk(x, depth: depth + 1) }
      } else if let o = v.object {
        for key in ["args", "kwargs"] { if let x = o[key] { walk(x, depth: depth + 1) } }
      }
    }
    if nodes.count > 1 {
      throw ImportError("layer \(layer) is called more than once (a shared layer), which convplay does not run")
    }
    for node in nodes { walk(node, depth: 0) }
    return names
  }

  private static func keras3History(_ v: JSONValue?) -> String? {
    guard let v, v["class_name"]?.string == "__keras_tensor__", let h = v["config"]?["keras_history"]?.array,
      let name = h.first?.string
    else { return nil }
    return name
  }

  /// `output_layers`: `[[name, 0, 0], ...]` or `[name, 0, 0]`.
  private static func layerNames(_ v: JSONValue?) -> [String] {
    guard let a = v?.array else { return [] }
    if let name = a.first?.string { return [name] }
    return a.compactMap { $0.array?.first?.string }
  }
}

extension KerasModelConfig {
  /// The model as convplay's layer graph: each layer built from its Keras config by the layer
  /// type Keras names (`LayerRegistry.fromKeras`); an unknown layer is one line naming it.
  public func graph() throws -> GraphSpec {
    var nodes: [GraphNode] = []
    var previous: String? = nil
    if modelClass == .sequential || !layers.contains(where: { $0.className == "InputLayer" }) {
      guard let shape = inputShape, shape.allSatisfy({ $0 != nil }) else {
        throw ImportError("the model config does not give its input shape (build the model on an Input first)")
      }
      let input = "input_layer"
      let config: [String: JSONValue] = ["batch_shape": .array([.null] + shape.map { .number(Double($0!)) })]
      nodes.append(GraphNode(name: input, layer: try build("InputLayer", input, config), inputs: []))
      previous = input
    }
    for l in layers {
      guard let config = l.config.object else { throw ImportError("layer \(l.name): its config is not an object") }
      var inputs = l.inbound
      if inputs.isEmpty, l.className != "InputLayer", let previous { inputs = [previous] }
      let trainable = config["trainable"]?.bool ?? true
      nodes.append(GraphNode(name: l.name, layer: try build(l.className, l.name, config), inputs: inputs, trainable: trainable))
      previous = l.name
    }
    let graph = GraphSpec(name: name, nodes: nodes)
    do { _ = try graph.rows() } catch let e as ModelSpecError { throw ImportError("the model config: \(e.message)") }
    return graph
  }

  private func build(_ className: String, _ layer: String, _ config: [String: JSONValue]) throws -> any ConvKit.Layer {
    do {
      return try LayerRegistry.fromKeras(className: className, config: config)
    } catch let e as ModelSpecError {
      throw ImportError("layer \(layer): \(e.message)")
    }
  }
}
