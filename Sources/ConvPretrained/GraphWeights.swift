import ConvKit

extension WeightImport {
  /// The weights of `graph` from a Keras file's layers (each: its name and its tensors in
  /// Keras's order, as `KerasH5.read` gives them), parallel to `InferenceNetwork.slots`.
  /// Each layer with weights takes the file's layer of the same name; when the names differ
  /// (Keras numbers layers per session: `conv2d_7`), the layers with weights are taken in
  /// order. Counts and shapes are checked, one clear line naming the layer otherwise.
  public static func graphWeights(_ layers: [LayerWeights], graph: GraphSpec) throws -> [[Float]] {
    var wanted: [(name: String, specs: [WeightSpec])] = []
    for row in try graph.rows() where !row.node.isInput {
      let specs = row.node.layer.weights(for: row.inputShapes)
      if !specs.isEmpty { wanted.append((row.node.name, specs)) }
    }
    let withWeights = layers.filter { !$0.tensors.isEmpty }
    let byName = Dictionary(withWeights.map { ($0.layer, $0) }, uniquingKeysWith: { a, _ in a })
    let namesMatch = wanted.allSatisfy { byName[$0.name] != nil }
    guard namesMatch || withWeights.count == wanted.count else {
      let missing = wanted.first { byName[$0.name] == nil }!.name
      throw ImportError(
        "the file has weights for \(withWeights.count) layer(s), \(graph.name) has \(wanted.count) layers with weights "
          + "and the names do not match (no \(missing) in the file)")
    }
    var out: [[Float]] = []
    for (i, layer) in wanted.enumerated() {
      let source = namesMatch ? byName[layer.name]! : withWeights[i]
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
