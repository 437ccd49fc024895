/// The course's fine-tuning on a pretrained convolutional base (keras.applications with
/// `include_top=False`): the base's layers, a new classifier on top, and which layers train at
/// each step. Keras's words: the base is `base_model`, its layers `base_model.layers` (the
/// input layer first), freezing is `layer.trainable = False`.
public enum PretrainedBase {
  /// The classifier put on the base: global average pooling (Keras's `pooling='avg'`, the
  /// usual choice) or Flatten, then an optional hidden Dense with ReLU, then one softmax unit
  /// per class.
  public enum Pooling: String, CaseIterable, Sendable {
    case avg, flatten
  }

  public struct Head: Equatable, Sendable {
    public var pooling: Pooling
    /// Units of the hidden Dense layer (0: none).
    public var hidden: Int
    public var classes: Int

    public init(pooling: Pooling = .avg, hidden: Int = 256, classes: Int) {
      self.pooling = pooling
      self.hidden = hidden
      self.classes = classes
    }
  }

  /// A keras.applications network by name (vgg16, vgg19, resnet50, mobilenet, xception,
  /// inceptionv3), whole (with its top), as `summary --model` shows it.
  public static func application(_ name: String) -> GraphSpec? {
    if let entry = ApplicationGraphs.named(name) { return entry.make() }
    return KerasApplications.named(name).map { $0.spec.graph(name: $0.name, inputName: $0.inputLayerName) }
  }

  /// The smallest input side keras.applications accepts without its top: 75 for InceptionV3,
  /// 71 for Xception, 32 for the others.
  public static func minimumSide(_ name: String) -> Int {
    switch name.lowercased() {
    case "inceptionv3": return 75
    case "xception": return 71
    default: return 32
    }
  }

  /// Keras's `include_top=False` of a whole network: every node before the first one whose
  /// output is no longer a feature map (the global pooling or Flatten that starts the top),
  /// on images of `inputShape` (nil keeps the network's own). Throws when the graph has no
  /// convolutional part.
  public static func withoutTop(_ graph: GraphSpec, inputShape: FeatureShape? = nil) throws -> GraphSpec {
    let rows = try graph.rows()
    guard let top = rows.firstIndex(where: { !$0.node.isInput && $0.outputShape.count != 3 }), top > 1 else {
      throw ModelSpecError("\(graph.name) has no convolutional base (no feature maps before its classifier)")
    }
    var nodes = Array(graph.nodes[..<top])
    // The base's output must be the last node kept (what the top read).
    guard rows[top].node.inputs == [nodes.last!.name] else {
      throw ModelSpecError("\(graph.name): the classifier does not read the last layer before it")
    }
    if let inputShape, let i = nodes.firstIndex(where: \.isInput) {
      nodes[i] = GraphNode(name: nodes[i].name, layer: InputLayer(shape: inputShape), inputs: [])
    }
    let base = GraphSpec(name: graph.name, nodes: nodes)
    do {
      _ = try base.rows()
    } catch let e as ModelSpecError {
      throw ModelSpecError("\(graph.name) on \(ShapeText.tuple(inputShape ?? graph.inputShape)) images: \(e.message)")
    }
    return base
  }

  /// `base` with `head` on its last node. The new layers' names are Keras's defaults
  /// (`global_average_pooling2d`, `dense`, `dense_1`), made unique against the base's.
  public static func withHead(_ base: GraphSpec, head: Head) -> GraphSpec {
    var g = GraphSpec(name: base.name, nodes: base.nodes)
    var used = Set(base.nodes.map(\.name))
    func fresh(_ stem: String) -> String {
      var n = stem
      var i = 1
      while used.contains(n) {
        n = "\(stem)_\(i)"
        i += 1
      }
      used.insert(n)
      return n
    }
    var last = base.nodes.last!.name
    let pool: any Layer = head.pooling == .avg ? GlobalAveragePooling2D() : Flatten()
    let poolName = fresh(head.pooling == .avg ? "global_average_pooling2d" : "flatten")
    g.nodes.append(GraphNode(name: poolName, layer: pool, inputs: [last]))
    last = poolName
    if head.hidden > 0 {
      let name = fresh("dense")
      g.nodes.append(GraphNode(name: name, layer: Dense(units: head.hidden, activation: .relu), inputs: [last]))
      last = name
    }
    g.nodes.append(GraphNode(name: fresh("dense"), layer: Dense(units: head.classes, activation: .softmax), inputs: [last]))
    return g
  }

  /// How much of the base trains in step 2: all of it, or its last N layers (Keras:
  /// `base_model.trainable = True; for layer in base_model.layers[:-N]: layer.trainable = False`).
  public enum Unfreeze: Equatable, Sendable {
    case all
    case top(Int)

    public init?(_ text: String) {
      if text.lowercased() == "all" {
        self = .all
      } else if let n = Int(text), n >= 0 {
        self = .top(n)
      } else {
        return nil
      }
    }
  }

  /// The model with its trainable flags set: the head always trains; of the base's
  /// `baseCount` nodes (the input first), none train when `unfreeze` is nil (step 1), else
  /// those `unfreeze` names. "The last N layers" are counted in the order of Keras's
  /// `base_model.layers`, which for a network with branches is not the order they were
  /// created: by distance from the output, as `summary` lists them (`GraphSpec.kerasOrder`).
  public static func trainable(_ model: GraphSpec, baseCount: Int, unfreeze: Unfreeze?) -> GraphSpec {
    var g = model
    let base = GraphSpec(name: model.name, nodes: Array(model.nodes[..<baseCount]))
    let unfrozen: Set<String>
    switch unfreeze {
    case nil: unfrozen = []
    case .all: unfrozen = Set(base.nodes.map(\.name))
    case .top(let n): unfrozen = Set(base.kerasOrder.suffix(n).map(\.name))
    }
    for i in g.nodes.indices { g.nodes[i].trainable = i >= baseCount || unfrozen.contains(g.nodes[i].name) }
    return g
  }

  /// The head alone, reading the base's output: what trains on cached base features.
  public static func headOnly(_ model: GraphSpec, baseCount: Int) throws -> GraphSpec {
    let rows = try model.rows()
    let featureShape = rows[baseCount - 1].outputShape
    let baseOutput = model.nodes[baseCount - 1].name
    var nodes = [GraphNode(name: "features", layer: InputLayer(shape: featureShape), inputs: [])]
    for n in model.nodes[baseCount...] {
      nodes.append(GraphNode(
        name: n.name, layer: n.layer, inputs: n.inputs.map { $0 == baseOutput ? "features" : $0 }, trainable: n.trainable))
    }
    return GraphSpec(name: model.name + "_head", nodes: nodes)
  }

  /// The base's output for every image, `batch` at a time, in inference mode (frozen
  /// BatchNormalization uses its moving statistics, as it does while the base is frozen):
  /// Keras's "feature extraction": each image goes through the base once, not once per epoch.
  /// `progress` sees the images done so far.
  public static func features(
    of base: InferenceNetwork, images: Tensor, batch: Int = 32, progress: (Int) -> Void = { _ in }
  ) -> Tensor {
    let n = images.shape[0]
    let size = base.inputShape.reduce(1, *)
    let outShape = base.outputShape
    let outSize = outShape.reduce(1, *)
    var out = [Float]()
    out.reserveCapacity(n * outSize)
    var start = 0
    while start < n {
      let end = min(n, start + batch)
      let x = Array(images.scalars[(start * size)..<(end * size)])
      out.append(contentsOf: base.forward(x, batch: end - start))
      start = end
      progress(end)
    }
    return Tensor(shape: [n] + outShape, scalars: out)
  }
}
