import ConvKit

extension WeightImport {
  /// The weights of `graph` from a Keras file's layers (each: its name and its tensors in
  /// Keras's order, as `KerasH5.read` gives them), parallel to `InferenceNetwork.slots`.
  /// Each layer with weights takes the file's layer of the same name; when the names differ
  /// (Keras numbers layers per session: `conv2d_7`), the layers with weights are taken in
  /// order (among the layers whose names did not match: keras.applications leaves a few
  /// layers unnamed, Xception's shortcut convolutions). Counts and shapes are checked, one
  /// clear line naming the layer otherwise.
  public static func graphWeights(_ layers: [LayerWeights], graph: GraphSpec) throws -> [[Float]] {
    var wanted: [(name: String, specs: [WeightSpec])] = []
    for row in try graph.rows() where !row.node.isInput {
      let specs = row.node.layer.weights(for: row.inputShapes)
      if !specs.isEmpty { wanted.append((row.node.name, specs)) }
    }
    let withWeights = layers.filter { !$0.tensors.isEmpty }
    let byName = Dictionary(withWeights.map { ($0.layer, $0) }, uniquingKeysWith: { a, _ in a })
    let named = Set(wanted.map(\.name).filter { byName[$0] != nil })
    let unnamedWanted = wanted.filter { !named.contains($0.name) }
    var unnamedInFile = withWeights.filter { !named.contains($0.layer) }[...]
    guard unnamedWanted.count == unnamedInFile.count else {
      let missing = unnamedWanted.first.map { " (no \($0.name) in the file)" } ?? ""
      throw ImportError(
        "the file has weights for \(withWeights.count) layer(s), \(graph.name) has \(wanted.count) layers with weights"
          + missing)
    }
    var out: [[Float]] = []
    for layer in wanted {
      let source = named.contains(layer.name) ? byName[layer.name]! : unnamedInFile.removeFirst()
      guard source.tensors.count == layer.specs.count else {
        throw ImportError(
          "layer \(source.layer) of the file has \(source.tensors.count) weight(s), \(layer.name) needs \(layer.specs.count) ("
            + layer.specs.map(\.name).joined(separator: ", ") + ")")
      }
      for (t, s) in zip(source.tensors, layer.specs) {
        guard t.shape == s.shape else {
          throw ImportError(
            "\(layer.name)/\(s.name): the file's \(t.name) has shape \(ShapeText.tuple(t.shape)), "
              + "the network needs \(ShapeText.tuple(s.shape)) (Keras's layout)")
        }
        out.append(t.values)
      }
    }
    return out
  }
}
