import ConvKit
import Foundation

/// A `SequentialSpec` as JSON in Keras's config vocabulary, stored in a weights file's
/// `__metadata__` so the file alone rebuilds its network:
/// `{"input_shape": [28, 28, 1], "layers": [{"class_name": "Conv2D", "name": "conv2d",
///   "trainable": true, "filters": 32, "kernel_size": [3, 3], "strides": [1, 1],
///   "padding": "valid", "dilation_rate": 1, "activation": "relu", "use_bias": true}, ...]}`.
public enum ArchitectureJSON {
  public static func encode(_ spec: SequentialSpec) throws -> String {
    let layers: [[String: Any]] = spec.layers.map { l in
      var d: [String: Any] = ["class_name": l.kind.kerasClass, "name": l.name, "trainable": l.trainable]
      func padding(_ p: Padding) -> Any {
        if case .explicit(let n) = p { return n }
        return p.description
      }
      switch l.kind {
      case .conv2D(let f, let k, let s, let p, let dil, let a, let b):
        d["filters"] = f
        d["kernel_size"] = [k.rows, k.cols]
        d["strides"] = [s.rows, s.cols]
        d["padding"] = padding(p)
        d["dilation_rate"] = dil
        d["activation"] = a.rawValue
        d["use_bias"] = b
      case .maxPool2D(let k, let s, let p), .averagePool2D(let k, let s, let p):
        d["pool_size"] = [k.rows, k.cols]
        d["strides"] = [s.rows, s.cols]
        d["padding"] = padding(p)
      case .globalAveragePool2D, .flatten:
        break
      case .dense(let u, let a, let b):
        d["units"] = u
        d["activation"] = a.rawValue
        d["use_bias"] = b
      case .dropout(let r):
        d["rate"] = Double(r)
      case .batchNormalization(let e, let m):
        d["epsilon"] = Double(e)
        d["momentum"] = Double(m)
      case .activation(let a):
        d["activation"] = a.rawValue
      }
      return d
    }
    let object: [String: Any] = ["input_shape": spec.inputShape, "layers": layers]
    return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
  }

  public static func decode(_ text: String) throws -> SequentialSpec {
    func bad(_ why: String) -> DataError { DataError("the model description in the weights file is invalid: \(why)") }
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
      let input = (object["input_shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
      let layers = object["layers"] as? [[String: Any]]
    else { throw bad("not the expected JSON") }
    func int(_ d: [String: Any], _ k: String) throws -> Int {
      guard let v = (d[k] as? NSNumber)?.intValue else { throw bad("\(k) missing") }
      return v
    }
    func pair(_ d: [String: Any], _ k: String) throws -> (rows: Int, cols: Int) {
      guard let v = (d[k] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }), v.count == 2 else {
        throw bad("\(k) missing")
      }
      return (v[0], v[1])
    }
    func act(_ d: [String: Any]) throws -> Activation {
      guard let s = d["activation"] as? String, let a = Activation(rawValue: s) else { throw bad("activation missing") }
      return a
    }
    func pad(_ d: [String: Any]) throws -> Padding {
      if let n = (d["padding"] as? NSNumber)?.intValue, !(d["padding"] is String) { return .explicit(n) }
      guard let s = d["padding"] as? String, let p = Padding(parsing: s) else { throw bad("padding missing") }
      return p
    }
    func bool(_ d: [String: Any], _ k: String) -> Bool { (d[k] as? NSNumber)?.boolValue ?? true }
    func float(_ d: [String: Any], _ k: String) throws -> Float {
      guard let v = (d[k] as? NSNumber)?.floatValue else { throw bad("\(k) missing") }
      return v
    }
    let specs: [LayerSpec] = try layers.map { d in
      guard let cls = d["class_name"] as? String else { throw bad("class_name missing") }
      let kind: LayerKind
      switch cls {
      case "Conv2D":
        kind = .conv2D(
          filters: try int(d, "filters"), kernel: try pair(d, "kernel_size"), strides: try pair(d, "strides"),
          padding: try pad(d), dilation: try int(d, "dilation_rate"), activation: try act(d), useBias: bool(d, "use_bias"))
      case "MaxPooling2D":
        kind = .maxPool2D(size: try pair(d, "pool_size"), strides: try pair(d, "strides"), padding: try pad(d))
      case "AveragePooling2D":
        kind = .averagePool2D(size: try pair(d, "pool_size"), strides: try pair(d, "strides"), padding: try pad(d))
      case "GlobalAveragePooling2D": kind = .globalAveragePool2D
      case "Flatten": kind = .flatten
      case "Dense": kind = .dense(units: try int(d, "units"), activation: try act(d), useBias: bool(d, "use_bias"))
      case "Dropout": kind = .dropout(rate: try float(d, "rate"))
      case "BatchNormalization": kind = .batchNormalization(epsilon: try float(d, "epsilon"), momentum: try float(d, "momentum"))
      case "Activation": kind = .activation(try act(d))
      default: throw bad("unknown layer class \(cls)")
      }
      return LayerSpec(kind, name: d["name"] as? String ?? "", trainable: bool(d, "trainable"))
    }
    return SequentialSpec(inputShape: input, layers: specs)
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
    meta[architectureKey] = try ArchitectureJSON.encode(network.spec)
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
    let spec = try ArchitectureJSON.decode(arch)
    let network = try Network(spec: spec)
    let expected = network.namedParameters
    for (key, p) in expected {
      guard let t = file[key] else { throw DataError("\(name): tensor \(key) is missing") }
      guard t.shape == p.shape else {
        throw DataError("\(name): tensor \(key) has shape \(t.shape), the model needs \(p.shape)")
      }
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
    do { data = try Data(contentsOf: url) } catch {
      throw DataError("cannot read \(url.path): \(error.localizedDescription)")
    }
    return try decode(data, name: url.lastPathComponent)
  }
}
