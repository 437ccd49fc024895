/// One layer of a graph, with the names of the layers it reads.
public struct GraphNode: Hashable, Sendable {
  public var name: String
  public var layer: any Layer
  public var inputs: [String]
  public var trainable: Bool

  public init(name: String, layer: any Layer, inputs: [String], trainable: Bool = true) {
    self.name = name
    self.layer = layer
    self.inputs = inputs
    self.trainable = trainable
  }

  public static func == (a: GraphNode, b: GraphNode) -> Bool {
    a.name == b.name && a.inputs == b.inputs && a.trainable == b.trainable && a.layer.isSame(as: b.layer)
  }

  public func hash(into h: inout Hasher) {
    h.combine(name)
    h.combine(inputs)
    h.combine(trainable)
    h.combine(AnyHashable(layer))
  }

  public var kerasClass: String { layer.kerasClass }
  public var isInput: Bool { layer is InputLayer }

  /// The window of a convolution or pooling node on an `[H, W, C]` input (nil otherwise).
  public func window(on input: FeatureShape) throws -> WindowGeometry? {
    guard input.count == 3 else { return nil }
    return try layer.window(on: input)
  }

  /// How the node's output size is made, with the numbers; nil when it keeps its input's size.
  public func shapeFormula(for inputs: [FeatureShape]) -> String? { layer.shapeFormula(for: inputs) }

  /// Keras's parameter count with its formula filled in (`3*3*32 = 288`).
  public func parameterFormula(for inputs: [FeatureShape], parameters: ParameterCount) -> String {
    layer.parameterFormula(for: inputs, total: parameters.total)
  }
}

/// The one model of convplay: layers that may branch and join (Keras's functional API), in
/// the order they were created, each reading the nodes it names. A Sequential model is a
/// chain (`SequentialSpec.graph`); keras.applications' networks have shortcuts (Add) and
/// branches (Concatenate). Summaries, training, inference, model files and the summary screen
/// all walk this.
public struct GraphSpec: Hashable, Sendable {
  public var name: String
  public var nodes: [GraphNode]

  public init(name: String, nodes: [GraphNode]) {
    self.name = name
    self.nodes = nodes
  }

  public struct Row: Equatable, Sendable {
    public var node: GraphNode
    public var inputShapes: [FeatureShape]
    public var outputShape: FeatureShape
    public var parameters: ParameterCount
  }

  /// Shapes and counts of every node, in order. Throws naming the first node that does not fit.
  public func rows() throws -> [Row] {
    var shapes: [String: FeatureShape] = [:]
    var rows: [Row] = []
    var parameterTotal = 0
    for node in nodes {
      guard shapes[node.name] == nil else {
        throw ModelSpecError("the name '\(node.name)' is used twice: names must be unique")
      }
      var inputs: [FeatureShape] = []
      for name in node.inputs {
        guard let s = shapes[name] else {
          throw ModelSpecError("\(node.name): input '\(name)' is not defined before it")
        }
        inputs.append(s)
      }
      do {
        guard node.layer.inputCount.contains(inputs.count) else {
          let c = node.layer.inputCount
          if c.lowerBound == 0 && c.upperBound == 0 { throw ModelSpecError("an input layer reads nothing") }
          if c.lowerBound >= 2 { throw ModelSpecError("joins two or more inputs, got \(inputs.count)") }
          throw ModelSpecError("takes one input, got \(inputs.count)")
        }
        let out = try node.layer.outputShape(for: inputs)
        shapes[node.name] = out
        rows.append(Row(
          node: node, inputShapes: inputs, outputShape: out,
          parameters: try ParameterCount.checked(node.layer, inputs: inputs, output: out, trainable: node.trainable)))
        parameterTotal = try CheckedSize.add(parameterTotal, rows.last!.parameters.total, field: "the model's parameter count")
      } catch let e as ModelSpecError {
        throw ModelSpecError("\(node.name) (\(node.kerasClass)): \(e.message)")
      } catch {
        throw ModelSpecError("\(node.name) (\(node.kerasClass)): \(error)")
      }
    }
    return rows
  }

  public func parameterCount() throws -> ParameterCount {
    try rows().reduce(.zero) { $0 + $1.parameters }
  }

  /// The input node (the first `InputLayer`).
  public var inputNode: GraphNode? { nodes.first { $0.isInput } }

  /// The input shape of the whole model.
  public var inputShape: FeatureShape { (inputNode?.layer as? InputLayer)?.shape ?? [] }

  /// The same model as a `SequentialSpec` when it is one chain from one input (nil otherwise).
  public var sequential: SequentialSpec? {
    guard nodes.count >= 1, nodes[0].isInput, isChain else { return nil }
    for (i, n) in nodes.enumerated().dropFirst() where n.inputs != [nodes[i - 1].name] || n.isInput { return nil }
    return SequentialSpec(
      inputShape: inputShape, layers: nodes.dropFirst().map { LayerSpec($0.layer, name: $0.name, trainable: $0.trainable) })
  }
}

/// Builds a graph in the order Keras creates layers, naming unnamed ones as Keras does
/// (`conv2d`, `conv2d_1`, ..., one counter per kind).
public struct GraphBuilder {
  public private(set) var nodes: [GraphNode] = []
  private var counters: [String: Int] = [:]
  public let name: String

  public init(name: String) { self.name = name }

  @discardableResult
  public mutating func input(_ shape: FeatureShape, name: String = "input_1") -> String {
    nodes.append(GraphNode(name: name, layer: InputLayer(shape: shape), inputs: []))
    return name
  }

  /// Adds a node reading `inputs`; returns its name for the next nodes to read.
  @discardableResult
  public mutating func add(_ layer: any Layer, _ inputs: String..., name: String? = nil) -> String {
    add(layer, inputs: inputs, name: name)
  }

  @discardableResult
  public mutating func add(_ layer: any Layer, inputs: [String], name: String? = nil) -> String {
    let n: String
    if let name {
      n = name
    } else {
      let stem = layer.nameStem
      let i = counters[stem, default: 0]
      counters[stem] = i + 1
      n = i == 0 ? stem : "\(stem)_\(i)"
    }
    nodes.append(GraphNode(name: n, layer: layer, inputs: inputs))
    return n
  }

  public var spec: GraphSpec { GraphSpec(name: name, nodes: nodes) }
}

extension GraphSpec {
  /// True when the graph is a single chain (each layer reads one layer and is read by at most
  /// one): Keras then prints it like a Sequential model (MobileNet, VGG16).
  public var isChain: Bool {
    var readers: [String: Int] = [:]
    for n in nodes {
      if n.inputs.count > 1 { return false }
      for i in n.inputs { readers[i, default: 0] += 1 }
    }
    return readers.values.allSatisfy { $0 <= 1 }
  }

  /// The nodes in the order Keras lists a functional model's layers: by distance from the
  /// output (the longest path), farthest first; ties in the order a depth-first walk from the
  /// output meets them, inputs in order. (So ResNet's shortcut `_0_conv` comes after the
  /// block's `_2_relu`, as in `ResNet50().summary()`.)
  public var kerasOrder: [GraphNode] {
    guard let output = nodes.last else { return [] }
    let index = Dictionary(nodes.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
    // Longest path to the output: nodes are stored inputs-first, so one backward sweep does it.
    var depth = [Int](repeating: 0, count: nodes.count)
    for i in stride(from: nodes.count - 1, through: 0, by: -1) {
      for input in nodes[i].inputs {
        if let j = index[input] { depth[j] = max(depth[j], depth[i] + 1) }
      }
    }
    // Pre-order depth-first walk from the output, without recursion.
    var visit = [Int](repeating: Int.max, count: nodes.count)
    var counter = 0
    var stack = [index[output.name]!]
    while let i = stack.popLast() {
      guard visit[i] == Int.max else { continue }
      visit[i] = counter
      counter += 1
      for input in nodes[i].inputs.reversed() {
        if let j = index[input], visit[j] == Int.max { stack.append(j) }
      }
    }
    return nodes.indices.sorted { a, b in
      depth[a] != depth[b] ? depth[a] > depth[b] : visit[a] < visit[b]
    }.map { nodes[$0] }
  }
}
