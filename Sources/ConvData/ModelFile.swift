import ConvImageIO
import ConvKit
import Foundation

/// A model graph as JSON in Keras's config vocabulary, stored in a weights file's
/// `__metadata__` so the file alone rebuilds its network:
/// `{"name": "sequential", "nodes": [{"class_name": "InputLayer", "name": "input_layer",
///   "config": {"batch_shape": [null, 28, 28, 1]}, "inputs": [], "trainable": true},
///   {"class_name": "Conv2D", "name": "conv2d", "config": {"filters": 32, "kernel_size": [3, 3],
///   ...}, "inputs": ["input_layer"], "trainable": true}, ...]}`.
/// Each layer's config is what its `Layer.kerasConfig` writes and `fromKeras` reads. Files
/// written before graphs (`{"input_shape": [...], "layers": [{"class_name": ..., options}]}`,
/// a Sequential stack with each layer's options beside its class name) still load.
public enum ArchitectureJSON {
  public static func encode(_ spec: SequentialSpec) throws -> String { try encode(spec.graph()) }

  public static func encode(_ graph: GraphSpec) throws -> String {
    let nodes: [[String: Any]] = graph.nodes.map { n in
      [
        "class_name": n.kerasClass, "name": n.name, "trainable": n.trainable, "inputs": n.inputs,
        "config": foundation(.object(n.layer.kerasConfig)),
      ]
    }
    let object: [String: Any] = ["name": graph.name, "nodes": nodes]
    return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
  }

  public static func decode(_ text: String) throws -> GraphSpec {
    func bad(_ why: String) -> DataError { DataError("the model description in the weights file is invalid: \(why)") }
    guard let any = try? JSONSerialization.jsonObject(with: Data(text.utf8)), case .object(let object)? = jsonValue(any) else {
      throw bad("not the expected JSON")
    }
    func layer(_ d: [String: JSONValue], config: [String: JSONValue]) throws -> any Layer {
      guard let cls = d["class_name"]?.string else { throw bad("class_name missing") }
      do {
        return try LayerRegistry.fromKeras(className: cls, config: config)
      } catch let e as ModelSpecError {
        throw bad(e.message)
      }
    }
    if let nodes = object["nodes"]?.array {
      let built: [GraphNode] = try nodes.map { v in
        guard let d = v.object, let name = d["name"]?.string, let config = d["config"]?.object else { throw bad("a node without name or config") }
        let inputs = d["inputs"]?.array?.compactMap(\.string) ?? []
        return GraphNode(name: name, layer: try layer(d, config: config), inputs: inputs, trainable: d["trainable"]?.bool ?? true)
      }
      let graph = GraphSpec(name: object["name"]?.string ?? "model", nodes: built)
      do { _ = try graph.rows() } catch let e as ModelSpecError { throw bad(e.message) }
      return graph
    }
    // The Sequential format of earlier files: options beside the class name.
    guard let input = object["input_shape"]?.array?.compactMap(\.int), let layers = object["layers"]?.array else {
      throw bad("not the expected JSON")
    }
    let specs: [LayerSpec] = try layers.map { v in
      guard let d = v.object else { throw bad("a layer is not an object") }
      return LayerSpec(try layer(d, config: d), name: d["name"]?.string ?? "", trainable: d["trainable"]?.bool ?? true)
    }
    let spec = SequentialSpec(inputShape: input, layers: specs)
    do { _ = try spec.rows() } catch let e as ModelSpecError { throw bad(e.description) }
    return spec.graph()
  }

  /// A Foundation JSON object as a `JSONValue` (nil for what JSON cannot hold).
  public static func jsonValue(_ any: Any) -> JSONValue? {
    switch any {
    case is NSNull: return .null
    case let n as NSNumber:
      // JSON's true/false come back as NSNumbers of type char ("c").
      if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
      return .number(n.doubleValue)
    case let s as String: return .string(s)
    case let a as [Any]:
      let values = a.compactMap(jsonValue)
      return values.count == a.count ? .array(values) : nil
    case let d as [String: Any]:
      var out: [String: JSONValue] = [:]
      for (k, v) in d {
        guard let j = jsonValue(v) else { return nil }
        out[k] = j
      }
      return .object(out)
    default: return nil
    }
  }

  /// A `JSONValue` as Foundation objects for `JSONSerialization`.
  public static func foundation(_ v: JSONValue) -> Any {
    switch v {
    case .null: return NSNull()
    case .bool(let b): return b
    case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? Int(d) as Any : d as Any
    case .string(let s): return s
    case .array(let a): return a.map(foundation)
    case .object(let o): return o.mapValues(foundation)
    }
  }
}

/// A trained network on disk: safetensors with `layer/weight` tensors (Keras's names and shapes:
/// Conv2D kernels `[KH, KW, Cin, Cout]`, Dense kernels `[in, units]`), the architecture as JSON
/// in `__metadata__["convplay.architecture"]`, and training facts (data set, epochs, accuracy...)
/// as the other metadata entries.
public enum ModelFile {
  public static let architectureKey = "convplay.architecture"
  /// The outputs' class names, one per line ("imagenet" for ImageNet's 1000), so that
  /// `classify`, `predict` and the summary screen can name what a model answers.
  public static let classesKey = "convplay.classes"

  /// The class-names entry for a model trained on classes `names`.
  public static func classesMetadata(_ names: [String]) -> [String: String] {
    names.isEmpty ? [:] : [classesKey: names.joined(separator: "\n")]
  }

  public static func encode(_ network: Network, metadata: [String: String] = [:]) throws -> Data {
    var meta = metadata
    meta["format"] = "convplay"
    meta[architectureKey] = try ArchitectureJSON.encode(network.graph)
    let entries = network.namedParameters.map {
      SafeTensors.Entry(name: $0.name, shape: $0.parameter.shape, values: $0.parameter.value)
    }
    return try SafeTensors(tensors: entries, metadata: meta).encoded()
  }

  /// Writes atomically.
  public static func save(_ network: Network, metadata: [String: String] = [:], to url: URL) throws {
    try AtomicFile.write(try encode(network, metadata: metadata), to: url)
  }

  /// Rebuilds the network and checks that the file has exactly its weights, with their shapes.
  public static func decode(_ data: Data, name: String = "weights file") throws -> (network: Network, metadata: [String: String]) {
    let file = try SafeTensors(data: data, name: name)
    guard let arch = file.metadata[architectureKey] else {
      throw DataError("\(name): no convplay model description in the file's metadata (\(architectureKey))")
    }
    let graph = try ArchitectureJSON.decode(arch)
    // The model must fit the memory budget, and every weight it describes must be in the file
    // with its shape, before the network allocates anything (a Dense of 1e11 units in a
    // 200-byte file is refused here, not by a failed allocation).
    try ModelMemory.check(graph, batch: 1, training: false)
    let rows: [GraphSpec.Row]
    do { rows = try graph.rows() } catch let e as ModelSpecError {
      throw DataError("\(name): the model in the file cannot be built: \(e.message)")
    }
    for row in rows where !row.node.isInput {
      for w in row.node.layer.weights(for: row.inputShapes) {
        let key = row.node.name + "/" + w.name
        guard let t = file[key] else { throw DataError("\(name): tensor \(key) is missing") }
        guard t.shape == w.shape else {
          throw DataError("\(name): tensor \(key) has shape \(t.shape), the model needs \(w.shape)")
        }
      }
    }
    let network: Network
    do {
      network = try Network(graph: graph)
    } catch let e as ModelSpecError {
      throw DataError("\(name): the model in the file cannot be built: \(e.message)")
    }
    let expected = network.namedParameters
    for (key, p) in expected {
      guard let t = file[key] else { throw DataError("\(name): tensor \(key) is missing") }
      guard t.shape == p.shape else {
        throw DataError("\(name): tensor \(key) has shape \(t.shape), the model needs \(p.shape)")
      }
      do { try FiniteWeights.check(t.values, tensor: key) } catch { throw DataError("\(name): \(error.message)") }
      p.value = t.values
    }
    let known = Set(expected.map(\.name))
    if let extra = file.tensors.first(where: { !known.contains($0.name) }) {
      throw DataError("\(name): tensor \(extra.name) does not belong to the model described in the file")
    }
    var meta = file.metadata
    meta[architectureKey] = nil
    return (network, meta)
  }

  public static func load(_ url: URL) throws -> (network: Network, metadata: [String: String]) {
    let data: Data
    do { data = try InputFile.data(url.path) } catch {
      throw DataError("cannot read \(error)")
    }
    return try decode(data, name: url.lastPathComponent)
  }
}
