import ConvImageIO
import ConvData
import ConvKit
import Foundation

/// The formats convplay reads weights from, told apart by their first bytes (not their names).
public enum WeightFileFormat: String, Sendable {
  /// HDF5: Keras's .h5 (legacy weights, full model) and Keras 3's .weights.h5.
  case kerasH5 = "Keras HDF5"
  /// A zip holding config.json and model.weights.h5.
  case keras = "Keras .keras"
  /// A PyTorch state dict (zip with data.pkl, or the older bare pickle).
  case pytorch = "PyTorch .pth"
  /// NumPy's .npz (a zip of .npy arrays).
  case npz = "NumPy .npz"
  /// safetensors (convplay's own model files are safetensors too).
  case safetensors = "safetensors"

  static func isZip(_ url: URL) throws -> Bool { try prefix(url, 4) == [0x50, 0x4B, 0x03, 0x04] }

  /// The first `count` bytes (fewer for a shorter file); one line for a directory, a pipe or an
  /// unreadable path (InputFile opens regular files only).
  static func prefix(_ url: URL, _ count: Int) throws -> [UInt8] {
    let handle = try openForImport(url)
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: count) else {
      throw ImportError("cannot read \(url.path)")
    }
    return [UInt8](data)
  }

  /// The format of the file at `url`, from its content.
  public static func sniff(_ url: URL) throws -> WeightFileFormat {
    let head = try prefix(url, 8)
    if HDF5File.hasSignature(head) { return .kerasH5 }
    if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
      let names = try ZipArchive(url).entryNames
      if names.contains("config.json") && names.contains("model.weights.h5") { return .keras }
      if names.contains(where: { $0 == "data.pkl" || $0.hasSuffix("/data.pkl") }) { return .pytorch }
      return .npz
    }
    if PyTorchPickle.looksLikeLegacy(head) { return .pytorch }
    if head.count == 8 {
      let headerLength = head.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
      if headerLength > 1, headerLength < 100_000_000 { return .safetensors }
    }
    throw ImportError(
      "\(url.lastPathComponent): not a weights file convplay reads (Keras .h5/.keras, PyTorch .pth/.pt, safetensors or .npz)")
  }
}

/// The contents of any weights file, in the neutral form the importer matches against an
/// architecture.
public struct WeightFileContents: Sendable {
  public var format: WeightFileFormat
  /// Keras files: per layer, in Keras's order for the layer.
  public var layers: [LayerWeights]?
  /// Other files: tensors by name, in the file's order (state dict order for PyTorch).
  public var tensors: [SourceTensor]
  /// Full Keras models: the architecture.
  public var config: KerasModelConfig?
  /// The layout the file's kernels are in.
  public var layout: WeightLayout?
}

extension WeightImport {
  /// Reads any weights file convplay knows, by content.
  public static func readFile(_ url: URL) throws -> WeightFileContents {
    let format = try WeightFileFormat.sniff(url)
    switch format {
    case .kerasH5:
      let c = try KerasH5.read(url)
      return WeightFileContents(format: format, layers: c.layers, tensors: [], config: c.config, layout: .keras)
    case .keras:
      let c = try KerasArchive.read(url)
      return WeightFileContents(format: format, layers: c.layers, tensors: [], config: c.config, layout: .keras)
    case .pytorch:
      return WeightFileContents(format: format, layers: nil, tensors: try PyTorchCheckpoint.readDeferred(url), config: nil, layout: .pytorch)
    case .npz, .safetensors:
      return WeightFileContents(format: format, layers: nil, tensors: try readTensors(url), config: nil, layout: nil)
    }
  }

  /// Names a Keras file's weights after the architecture's (`layer/kernel`, `layer/bias`...):
  /// a layer's weights are taken in Keras's order, matched to the architecture's layer of the
  /// same name, or, when the names differ (a model built under other names), by order among
  /// the layers that have weights.
  public static func tensors(from layers: [LayerWeights], spec: SequentialSpec) throws -> [SourceTensor] {
    try renamed(layers, spec: spec).map(\.tensor)
  }

  static func renamed(_ layers: [LayerWeights], spec: SequentialSpec) throws -> [(tensor: SourceTensor, source: String)] {
    try renamed(layers, slots: try InferenceNetwork.slots(for: spec))
  }

  static func renamed(_ layers: [LayerWeights], slots: [InferenceNetwork.WeightSlot]) throws -> [(tensor: SourceTensor, source: String)] {
    var slotLayers: [String] = []
    var weightsOf: [String: [String]] = [:]
    for s in slots {
      if weightsOf[s.layer] == nil { slotLayers.append(s.layer) }
      weightsOf[s.layer, default: []].append(s.weight)
    }
    let withWeights = layers.filter { !$0.tensors.isEmpty }
    let byName = Dictionary(withWeights.map { ($0.layer, $0) }, uniquingKeysWith: { a, _ in a })
    let namesMatch = slotLayers.allSatisfy { byName[$0] != nil } && withWeights.count == slotLayers.count
    guard namesMatch || withWeights.count == slotLayers.count else {
      throw ImportError(
        "the file has weights for \(withWeights.count) layer(s), the architecture has \(slotLayers.count) layers with weights")
    }
    var out: [(tensor: SourceTensor, source: String)] = []
    for (i, layer) in slotLayers.enumerated() {
      let source = namesMatch ? byName[layer]! : withWeights[i]
      let wanted = weightsOf[layer]!
      guard source.tensors.count == wanted.count else {
        throw ImportError(
          "layer \(source.layer) of the file has \(source.tensors.count) weight(s), \(layer) needs \(wanted.count) (\(wanted.joined(separator: ", ")))")
      }
      for (t, w) in zip(source.tensors, wanted) {
        out.append((SourceTensor(name: "\(layer)/\(w)", shape: t.shape, values: t.values), t.name))
      }
    }
    return out
  }

  /// Weights for `spec` from any file: Keras files by layer, the others by the rules of
  /// `convert`. `layout` overrides the file's own (npz and safetensors do not say). Consumes
  /// the contents' tensors, so the weights are held about once.
  public static func convert(
    _ c: inout WeightFileContents, spec: SequentialSpec, layout: WeightLayout? = nil, architecture: String? = nil
  ) throws -> (weights: [[Float]], matches: [Match], layout: WeightLayout) {
    var tensors: [SourceTensor]
    var sourceOf: [String: String] = [:]
    if let layers = c.layers {
      c.layers = nil
      let pairs = try renamed(layers, spec: spec)
      _ = consume layers
      tensors = pairs.map(\.tensor)
      for (t, s) in pairs { sourceOf[t.name] = s }
    } else {
      tensors = c.tensors
      c.tensors = []
    }
    guard let chosen = layout ?? c.layout ?? guessLayout(tensors) else {
      throw ImportError("cannot tell whether these are Keras or PyTorch weights: give --from keras or --from pytorch")
    }
    var (weights, matches) = try convert(&tensors, spec: spec, layout: chosen, architecture: architecture)
    for i in matches.indices { if let s = sourceOf[matches[i].source] { matches[i].source = s } }
    return (weights, matches, chosen)
  }

  /// PyTorch names its kernels `weight`, Keras `kernel`; nil when the names do not tell.
  public static func guessLayout(_ tensors: [SourceTensor]) -> WeightLayout? {
    let torchNames = tensors.contains { $0.name.hasSuffix(".weight") || $0.name.hasSuffix("running_var") }
    let kerasNames = tensors.contains { $0.name.contains("kernel") }
    guard torchNames != kerasNames else { return nil }
    return torchNames ? .pytorch : .keras
  }
}

/// The file at `url` for reading (a regular file only, `InputFile`), or one line saying why not.
func openForImport(_ url: URL) throws -> FileHandle {
  do { return try InputFile.handle(url.path) } catch { throw ImportError("cannot read \(error)") }
}
