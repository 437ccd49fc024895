/// A model's summary as a list to walk layer by layer: for every row of Keras's table, the
/// layer, what feeds it, its input and output shapes, its parameters, whether it trains, and
/// the formulas behind the numbers. Sequential models and graphs (keras.applications' ResNet,
/// Inception...) give the same kind of row, so one screen walks both.
///
/// Nothing is counted here: shapes and counts are `SequentialSpec.rows()` and
/// `GraphSpec.rows()`, the rows `SummaryText` prints; formulas are `LayerSpec`'s and `GraphNode`'s.
public struct SummaryWalk: Sendable {
  public enum Source: Sendable {
    /// `inputLayer`: the name of an `InputLayer` row shown first, as Keras does for functional
    /// models such as VGG16 (`input_1`); nil for a Sequential model.
    case sequential(SequentialSpec, inputLayer: String?)
    case graph(GraphSpec)
  }

  public struct Row: Equatable, Sendable {
    public var name: String
    public var kerasClass: String
    /// What the layer does (the input row's is an `InputLayer`).
    public var layer: any Layer { node.layer }
    /// The layer as a graph node: name, layer, inputs, trainable.
    public var node: GraphNode
    /// The layers this one reads (the previous layer in a Sequential model).
    public var inputs: [String]
    public var inputShapes: [FeatureShape]
    /// The layers that read this one (in Keras's order): more than one at a branch.
    public var outputs: [String] = []
    public var outputShape: FeatureShape
    public var parameters: ParameterCount
    public var trainable: Bool
    /// Index in `SequentialSpec.layers` (nil for the input row) or in `GraphSpec.nodes`.
    public var index: Int?
    /// `(224 + 2*1 - 3)/1 + 1 = 224`, `26*26*64 = 43,264`; nil when the size is kept or set.
    public var shapeFormula: String?
    /// `64*3*3*3 + 64 = 1,792`; just the count for layers without weights.
    public var parameterFormula: String
    /// Kernel/pool size, strides and padding of a windowed layer, for the diagram.
    public var window: WindowGeometry?
    /// True for the InputLayer row.
    public var isInput: Bool
  }

  public let name: String
  public private(set) var source: Source
  public private(set) var rows: [Row] = []

  public init(_ spec: SequentialSpec, name: String = "sequential", inputLayer: String? = nil) throws {
    self.name = name
    source = .sequential(spec, inputLayer: inputLayer)
    try rebuild()
  }

  public init(_ graph: GraphSpec) throws {
    name = graph.name
    source = .graph(graph)
    try rebuild()
  }

  public var isGraph: Bool {
    if case .graph(let g) = source { return !g.isChain }
    return false
  }

  /// The input shape of the whole model.
  public var inputShape: FeatureShape {
    switch source {
    case .sequential(let s, _): return s.inputShape
    case .graph(let g):
      return g.inputShape
    }
  }

  /// Sum over all rows: Keras's `Total params`, `Trainable params`, `Non-trainable params`.
  public var totals: ParameterCount { rows.reduce(.zero) { $0 + $1.parameters } }

  /// The sequential spec, with the trainable flags as toggled (nil for a graph).
  public var sequentialSpec: SequentialSpec? {
    if case .sequential(let s, _) = source { return s }
    return nil
  }

  /// True when `row` has weights that freezing changes (layers without weights are Keras's
  /// `trainable` too, but nothing follows from it).
  public func hasWeights(_ row: Int) -> Bool { rows[row].parameters.total > 0 }

  /// Sets the layer of `row` trainable or frozen (Keras's `layer.trainable = False`) and
  /// recounts. The InputLayer row has nothing to freeze.
  public mutating func setTrainable(_ trainable: Bool, row: Int) throws {
    guard rows.indices.contains(row), let index = rows[row].index, !rows[row].isInput else { return }
    switch source {
    case .sequential(var s, let input):
      s.layers[index].trainable = trainable
      source = .sequential(s, inputLayer: input)
    case .graph(var g):
      g.nodes[index].trainable = trainable
      source = .graph(g)
    }
    try rebuild()
  }

  /// The table's line for `row`, laid out by `SummaryText.row` at Keras's positions
  /// (`SummaryText.positions` for a chain, the first three of `graphPositions` for a graph), with
  /// Keras's `show_trainable=True` column (`Y`/`N`, 11 characters more) when `showTrainable`.
  public func tableLine(_ row: Int, showTrainable: Bool = true) -> String {
    let r = rows[row]
    let shape = r.isInput ? "[" + ShapeText.batched(r.outputShape) + "]" : ShapeText.batched(r.outputShape)
    var fields = ["\(r.name) (\(r.kerasClass))", shape, String(r.parameters.total)]
    if showTrainable { fields.append(r.trainable ? "Y" : "N") }
    return SummaryText.row(fields, positions: positions(showTrainable: showTrainable))
  }

  /// The header line (`Layer (type)  Output Shape  Param #  Trainable`).
  public func headerLine(showTrainable: Bool = true) -> String {
    var fields = ["Layer (type)", "Output Shape", "Param #"]
    if showTrainable { fields.append("Trainable") }
    return SummaryText.row(fields, positions: positions(showTrainable: showTrainable))
  }

  /// Width of a table line.
  public func lineLength(showTrainable: Bool = true) -> Int { positions(showTrainable: showTrainable).last! }

  func positions(showTrainable: Bool) -> [Int] {
    let base = isGraph ? Array(SummaryText.graphPositions.prefix(3)) : SummaryText.positions
    return showTrainable ? base + [base.last! + 11] : base
  }

  private mutating func rebuild() throws {
    switch source {
    case .sequential(let spec, let inputLayer):
      var out: [Row] = []
      var previous = inputLayer
      if let inputLayer {
        out.append(Row(
          name: inputLayer, kerasClass: "InputLayer",
          node: GraphNode(name: inputLayer, layer: InputLayer(shape: spec.inputShape), inputs: []), inputs: [], inputShapes: [], outputShape: spec.inputShape,
          parameters: .zero, trainable: true, index: nil, shapeFormula: nil, parameterFormula: "0", window: nil,
          isInput: true))
      }
      for (i, r) in try spec.rows().enumerated() {
        out.append(Row(
          name: r.layer.name, kerasClass: r.layer.kerasClass,
          node: GraphNode(name: r.layer.name, layer: r.layer.layer, inputs: previous.map { [$0] } ?? [], trainable: r.layer.trainable),
          inputs: previous.map { [$0] } ?? [],
          inputShapes: [r.inputShape], outputShape: r.outputShape, parameters: r.parameters,
          trainable: r.layer.trainable, index: i, shapeFormula: r.layer.shapeFormula(for: r.inputShape),
          parameterFormula: r.layer.parameterFormula(for: r.inputShape),
          window: try? r.layer.window(on: r.inputShape), isInput: false))
        previous = r.layer.name
      }
      rows = out
      for i in rows.indices.dropLast() { rows[i].outputs = [rows[i + 1].name] }
    case .graph(let graph):
      let computed = try graph.rows()
      let byName = Dictionary(uniqueKeysWithValues: computed.map { ($0.node.name, $0) })
      let index = Dictionary(uniqueKeysWithValues: graph.nodes.enumerated().map { ($0.element.name, $0.offset) })
      rows = graph.kerasOrder.compactMap { node in
        guard let r = byName[node.name] else { return nil }
        return Row(
          name: node.name, kerasClass: node.kerasClass, node: node, inputs: node.inputs, inputShapes: r.inputShapes,
          outputShape: r.outputShape, parameters: r.parameters, trainable: node.trainable, index: index[node.name],
          shapeFormula: node.shapeFormula(for: r.inputShapes),
          parameterFormula: node.parameterFormula(for: r.inputShapes, parameters: r.parameters),
          window: r.inputShapes.first.flatMap { try? node.window(on: $0) }, isInput: node.isInput)
      }
      var readers: [String: [String]] = [:]
      for r in rows { for i in r.inputs { readers[i, default: []].append(r.name) } }
      for i in rows.indices { rows[i].outputs = readers[rows[i].name] ?? [] }
    }
  }
}
