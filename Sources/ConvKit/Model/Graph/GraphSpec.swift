/// Rows and columns of a 2-D size (kernels, strides).
public struct Size2: Hashable, Sendable, CustomStringConvertible {
  public var rows: Int
  public var cols: Int
  public init(_ rows: Int, _ cols: Int) {
    self.rows = rows
    self.cols = cols
  }
  public init(_ n: Int) { self.init(n, n) }
  public var description: String { "(\(rows), \(cols))" }
}

/// What a node of a model graph does. Plain layers reuse `LayerKind` (and so `LayerSpec`'s
/// shapes and counts); the rest are the pieces keras.applications' branching networks add:
/// residual sums, channel concatenation, depthwise and separable convolutions, explicit zero
/// padding, ReLU(6), Reshape, and BatchNormalization without its scale (InceptionV3).
public enum GraphOp: Hashable, Sendable {
  case input(FeatureShape)
  case layer(LayerKind)
  /// `center` adds beta, `scale` adds gamma (both trainable); the moving mean and variance
  /// (2 per channel) never train.
  case batchNormalization(center: Bool, scale: Bool)
  /// One kernel per input channel (times `depthMultiplier`), no mixing across channels.
  case depthwiseConv2D(kernel: Size2, strides: Size2, padding: Padding, depthMultiplier: Int, useBias: Bool)
  /// Depthwise, then a 1x1 convolution to `filters` channels.
  case separableConv2D(filters: Int, kernel: Size2, strides: Size2, padding: Padding, depthMultiplier: Int, useBias: Bool)
  case zeroPadding2D(top: Int, bottom: Int, left: Int, right: Int)
  /// `layers.ReLU(max_value)`: MobileNet's ReLU(6.).
  case relu(maxValue: Float?)
  case reshape(FeatureShape)
  /// Element-wise sum of inputs of one shape (ResNet's shortcut).
  case add
  /// Inputs side by side along the channel axis (Inception's branches).
  case concatenate

  /// Keras's class name, as summaries print it.
  public var kerasClass: String {
    switch self {
    case .input: return "InputLayer"
    case .layer(let k): return k.kerasClass
    case .batchNormalization: return "BatchNormalization"
    case .depthwiseConv2D: return "DepthwiseConv2D"
    case .separableConv2D: return "SeparableConv2D"
    case .zeroPadding2D: return "ZeroPadding2D"
    case .relu: return "ReLU"
    case .reshape: return "Reshape"
    case .add: return "Add"
    case .concatenate: return "Concatenate"
    }
  }

  /// Keras's default name stem (`conv2d`, `re_lu`, `zero_padding2d`, ...).
  public var kerasNameStem: String {
    switch self {
    case .input: return "input"
    case .layer(let k): return k.kerasNameStem
    case .batchNormalization: return "batch_normalization"
    case .depthwiseConv2D: return "depthwise_conv2d"
    case .separableConv2D: return "separable_conv2d"
    case .zeroPadding2D: return "zero_padding2d"
    case .relu: return "re_lu"
    case .reshape: return "reshape"
    case .add: return "add"
    case .concatenate: return "concatenate"
    }
  }
}

/// One layer of a graph, with the names of the layers it reads.
public struct GraphNode: Hashable, Sendable {
  public var name: String
  public var op: GraphOp
  public var inputs: [String]
  public var trainable: Bool

  public init(name: String, op: GraphOp, inputs: [String], trainable: Bool = true) {
    self.name = name
    self.op = op
    self.inputs = inputs
    self.trainable = trainable
  }
}

/// A model whose layers may branch and join (Keras's functional API), in the order Keras lists
/// them. Shapes and counts use the same arithmetic as `SequentialSpec`: `OutputShape` for every
/// window and `LayerSpec` for every plain layer.
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
    for node in nodes {
      var inputs: [FeatureShape] = []
      for name in node.inputs {
        guard let s = shapes[name] else {
          throw ModelSpecError("\(node.name): input '\(name)' is not defined before it")
        }
        inputs.append(s)
      }
      do {
        let (out, params) = try GraphSpec.infer(node, inputs)
        shapes[node.name] = out
        rows.append(Row(node: node, inputShapes: inputs, outputShape: out, parameters: params))
      } catch let e as ModelSpecError {
        throw ModelSpecError("\(node.name) (\(node.op.kerasClass)): \(e.message)")
      } catch {
        throw ModelSpecError("\(node.name) (\(node.op.kerasClass)): \(error)")
      }
    }
    return rows
  }

  public func parameterCount() throws -> ParameterCount {
    try rows().reduce(.zero) { $0 + $1.parameters }
  }

  static func infer(_ node: GraphNode, _ inputs: [FeatureShape]) throws -> (FeatureShape, ParameterCount) {
    func one() throws -> FeatureShape {
      guard inputs.count == 1 else { throw ModelSpecError("takes one input, got \(inputs.count)") }
      return inputs[0]
    }
    func image() throws -> FeatureShape {
      let s = try one()
      guard s.count == 3 else { throw ModelSpecError("needs an image input (height, width, channels), got " + ShapeText.tuple(s)) }
      return s
    }
    func frozen(_ p: ParameterCount) -> ParameterCount {
      node.trainable ? p : ParameterCount(total: p.total, trainable: 0)
    }
    switch node.op {
    case .input(let shape):
      guard inputs.isEmpty else { throw ModelSpecError("an input layer reads nothing") }
      return (shape, .zero)
    case .layer(let kind):
      let s = try one()
      let layer = LayerSpec(kind, name: node.name, trainable: node.trainable)
      return (try layer.outputShape(for: s), layer.parameters(for: s))
    case .batchNormalization(let center, let scale):
      let s = try one()
      let c = s.last ?? 1
      let learned = (center ? c : 0) + (scale ? c : 0)
      return (s, frozen(ParameterCount(total: learned + 2 * c, trainable: learned)))
    case .depthwiseConv2D(let k, let st, let p, let dm, let bias):
      let s = try image()
      let g = try WindowGeometry(
        inputRows: s[0], inputCols: s[1], kernelRows: k.rows, kernelCols: k.cols,
        strideRows: st.rows, strideCols: st.cols, padding: p)
      let out = s[2] * dm
      let n = k.rows * k.cols * s[2] * dm + (bias ? out : 0)
      return ([g.outputRows, g.outputCols, out], frozen(ParameterCount(total: n, trainable: n)))
    case .separableConv2D(let filters, let k, let st, let p, let dm, let bias):
      let s = try image()
      let g = try WindowGeometry(
        inputRows: s[0], inputCols: s[1], kernelRows: k.rows, kernelCols: k.cols,
        strideRows: st.rows, strideCols: st.cols, padding: p)
      let n = k.rows * k.cols * s[2] * dm + s[2] * dm * filters + (bias ? filters : 0)
      return ([g.outputRows, g.outputCols, filters], frozen(ParameterCount(total: n, trainable: n)))
    case .zeroPadding2D(let t, let b, let l, let r):
      let s = try image()
      return ([s[0] + t + b, s[1] + l + r, s[2]], .zero)
    case .relu:
      return (try one(), .zero)
    case .reshape(let target):
      let s = try one()
      guard target.reduce(1, *) == s.reduce(1, *) else {
        throw ModelSpecError("cannot reshape \(ShapeText.tuple(s)) to \(ShapeText.tuple(target)): the sizes differ")
      }
      return (target, .zero)
    case .add:
      guard inputs.count >= 2 else { throw ModelSpecError("adds two or more inputs, got \(inputs.count)") }
      guard inputs.allSatisfy({ $0 == inputs[0] }) else {
        throw ModelSpecError("inputs of different shapes cannot be added: " + inputs.map(ShapeText.tuple).joined(separator: ", "))
      }
      return (inputs[0], .zero)
    case .concatenate:
      guard inputs.count >= 2 else { throw ModelSpecError("joins two or more inputs, got \(inputs.count)") }
      guard inputs.allSatisfy({ $0.count == inputs[0].count && $0.dropLast() == inputs[0].dropLast() }) else {
        throw ModelSpecError("inputs must match in all but the channel axis: " + inputs.map(ShapeText.tuple).joined(separator: ", "))
      }
      return (Array(inputs[0].dropLast()) + [inputs.reduce(0) { $0 + ($1.last ?? 0) }], .zero)
    }
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
    nodes.append(GraphNode(name: name, op: .input(shape), inputs: []))
    return name
  }

  /// Adds a node reading `inputs`; returns its name for the next nodes to read.
  @discardableResult
  public mutating func add(_ op: GraphOp, _ inputs: String..., name: String? = nil) -> String {
    add(op, inputs: inputs, name: name)
  }

  @discardableResult
  public mutating func add(_ op: GraphOp, inputs: [String], name: String? = nil) -> String {
    let n: String
    if let name {
      n = name
    } else {
      let stem = op.kerasNameStem
      let i = counters[stem, default: 0]
      counters[stem] = i + 1
      n = i == 0 ? stem : "\(stem)_\(i)"
    }
    nodes.append(GraphNode(name: n, op: op, inputs: inputs))
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
    let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($0.element.name, $0.offset) })
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
