/// The course's transfer learning in three steps, on a trained `Network`: put a new classifier
/// on the pretrained base, train it with the base frozen, then unfreeze and train everything at
/// a lower rate. A network's `trainable` flags live in its spec (as Keras's `layer.trainable`
/// is read when the model is compiled), so each step builds a network from a changed spec and
/// copies the weights over.
public enum FineTuning {
  /// Index of the classifier head: the last Dense layer.
  public static func headIndex(of spec: SequentialSpec) -> Int? {
    spec.layers.lastIndex { if case .dense = $0.kind { return true } else { return false } }
  }

  /// `network` with its last Dense layer replaced by a new one with `classes` units (same
  /// activation and bias; Glorot-uniform kernel and zero bias from `seed`), on `inputShape`
  /// (the base's input when nil). All other weights are copied.
  public static func replacingHead(
    of network: Network, classes: Int, inputShape: FeatureShape? = nil, seed: UInt64 = 0
  ) throws -> Network {
    guard let head = headIndex(of: network.spec) else {
      throw ModelSpecError("the model has no Dense layer to replace with a new classifier")
    }
    guard case .dense(_, let activation, let useBias) = network.spec.layers[head].kind else { preconditionFailure() }
    var layers = network.spec.layers
    // A fresh name (as Keras names a new Dense layer), so no old weight is taken for the new head.
    var name = "dense_new"
    var n = 1
    while layers.contains(where: { $0.name == name }) { name = "dense_new_\(n)"; n += 1 }
    layers[head] = LayerSpec(.dense(units: classes, activation: activation, useBias: useBias), name: name)
    let spec = SequentialSpec(inputShape: inputShape ?? network.spec.inputShape, layers: layers)
    let result = try Network(spec: spec, seed: seed)
    try copyWeights(from: network, to: result, skipping: [name])
    return result
  }

  /// A copy of `network` whose layer `i` is trainable when `trainable(i)` says so: freezing the
  /// base is `withTrainable(net) { $0 == head }`, unfreezing is `{ _ in true }`.
  public static func withTrainable(_ network: Network, seed: UInt64? = nil, _ trainable: (Int) -> Bool) throws -> Network {
    var layers = network.spec.layers
    for i in layers.indices { layers[i].trainable = trainable(i) }
    let result = try Network(spec: SequentialSpec(inputShape: network.spec.inputShape, layers: layers), seed: seed ?? network.seed)
    try copyWeights(from: network, to: result)
    return result
  }

  /// Copies every weight of `target` (but those of layers named in `skipping`) from the
  /// same-named weight of `source`; a missing weight or a different shape throws.
  public static func copyWeights(from source: Network, to target: Network, skipping: Set<String> = []) throws {
    let old = Dictionary(source.namedParameters.map { ($0.name, $0.parameter) }, uniquingKeysWith: { a, _ in a })
    for layer in target.layers where !skipping.contains(layer.spec.name) {
      for p in layer.parameters {
        let key = layer.spec.name + "/" + p.name
        guard let q = old[key] else { throw ModelSpecError("the base model has no weight \(key)") }
        guard q.shape == p.shape else {
          throw ModelSpecError(
            "weight \(key) has shape \(q.shape) in the base model but \(p.shape) here (the new input shape changes it)")
        }
        p.value = q.value
      }
    }
  }
}
