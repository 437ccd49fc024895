/// A stack of layers on an input shape, as Keras's `Sequential`: the description a network is
/// built from, summarized, and quizzed on. Weights live in the network engine, not here.
public struct SequentialSpec: Equatable, Hashable, Sendable {
  /// Input shape without the batch dimension, `[H, W, C]` (MNIST: `[28, 28, 1]`).
  public var inputShape: FeatureShape
  public var layers: [LayerSpec]

  /// Gives unnamed layers Keras's default names: conv2d, conv2d_1, dense, dense_1, ...
  public init(inputShape: FeatureShape, layers: [LayerSpec]) {
    self.inputShape = inputShape
    var counts: [String: Int] = [:]
    var used = Set(layers.map(\.name).filter { !$0.isEmpty })
    self.layers = layers.map { layer in
      var l = layer
      if l.name.isEmpty {
        let stem = l.layer.nameStem
        var candidate: String
        repeat {
          let n = counts[stem, default: 0]
          counts[stem] = n + 1
          candidate = n == 0 ? stem : "\(stem)_\(n)"
        } while used.contains(candidate)
        used.insert(candidate)
        l.name = candidate
      }
      return l
    }
  }

  /// One row of the summary: the layer, its output shape and its parameters.
  public struct Row: Equatable, Sendable {
    public var layer: LayerSpec
    public var inputShape: FeatureShape
    public var outputShape: FeatureShape
    public var parameters: ParameterCount
  }

  /// Shapes and parameter counts of every layer, in order. Throws with the index of the first
  /// layer whose input does not fit (a kernel larger than its input, Conv2D after Flatten...).
  public func rows() throws -> [Row] {
    var shape = inputShape
    var rows: [Row] = []
    var parameterTotal = 0
    _ = try CheckedSize.elements(inputShape, field: "the input shape " + ShapeText.tuple(inputShape))
    for (i, layer) in layers.enumerated() {
      do {
        let out = try layer.outputShape(for: shape)
        rows.append(
          Row(
            layer: layer, inputShape: shape, outputShape: out,
            parameters: try ParameterCount.checked(layer.layer, inputs: [shape], output: out, trainable: layer.trainable)))
        parameterTotal = try CheckedSize.add(parameterTotal, rows.last!.parameters.total, field: "the model's parameter count")
        shape = out
      } catch let e as ModelSpecError {
        throw ModelSpecError(layerIndex: i, e.message)
      } catch {
        throw ModelSpecError(layerIndex: i, "\(layer.kerasClass): \(error)")
      }
    }
    return rows
  }

  /// The shape the last layer produces.
  public func outputShape() throws -> FeatureShape {
    try rows().last?.outputShape ?? inputShape
  }

  /// Sum over all layers.
  public func parameterCount() throws -> ParameterCount {
    try rows().reduce(.zero) { $0 + $1.parameters }
  }

  /// The same model as a graph: an input node, then each layer reading the one before, as
  /// Keras's functional API would build it. Networks run this graph.
  public func graph(name: String = "sequential", inputName: String = "input_layer") -> GraphSpec {
    var nodes = [GraphNode(name: inputName, layer: InputLayer(shape: inputShape), inputs: [])]
    for l in layers {
      nodes.append(GraphNode(name: l.name, layer: l.layer, inputs: [nodes.last!.name], trainable: l.trainable))
    }
    return GraphSpec(name: name, nodes: nodes)
  }
}
