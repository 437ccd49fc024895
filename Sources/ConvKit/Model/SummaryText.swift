/// Keras 2's `model.summary()` as text, character for character:
///
///     Model: "sequential"
///     _________________________________________________________________
///     Layer (type)                 Output Shape              Param #
///     =================================================================
///     conv2d (Conv2D)              (None, 26, 26, 64)        640
///     _________________________________________________________________
///     ...
///     =================================================================
///     Total params: 433,290
///     Trainable params: 433,290
///     Non-trainable params: 0
///     _________________________________________________________________
///
/// The table's numbers are whatever `SequentialSpec.rows()` says: there is no second
/// implementation of shapes or counts here, only layout.
public enum SummaryText {
  /// Keras 2's layout for sequential models: 65 characters, columns ending at 45 %, 85 % and 100 %.
  public static let lineLength = 65
  public static let positions = [29, 55, 65]

  /// One table row, cut and padded as Keras 2's `print_row` does: each field is cut at its
  /// column's end, and a field that filled its column loses its last character to a space.
  public static func row(_ fields: [String], positions: [Int] = positions) -> String {
    var line: [Character] = []
    for (i, field) in fields.enumerated() {
      if i > 0, !line.isEmpty {
        line[line.count - 1] = " "
      }
      line.append(contentsOf: field)
      if line.count > positions[i] { line.removeLast(line.count - positions[i]) }
      while line.count < positions[i] { line.append(" ") }
    }
    return String(line)
  }

  /// The whole summary of a sequential model.
  ///
  /// - Parameters:
  ///   - name: the model's name, printed as `Model: "name"`.
  ///   - inputLayer: print an `InputLayer` row first, as Keras does for functional models such as
  ///     keras.applications' VGG16 (`input_1 (InputLayer)  [(None, 224, 224, 3)]  0`).
  public static func render(
    _ spec: SequentialSpec, name: String = "sequential", inputLayer: String? = nil
  ) throws -> String {
    let rows = try spec.rows()
    var out: [String] = []
    out.append("Model: \"\(name)\"")
    out.append(String(repeating: "_", count: lineLength))
    out.append(row(["Layer (type)", "Output Shape", "Param #"]))
    out.append(String(repeating: "=", count: lineLength))
    var body: [String] = []
    if let inputLayer {
      body.append(row(["\(inputLayer) (InputLayer)", "[" + ShapeText.batched(spec.inputShape) + "]", "0"]))
    }
    for r in rows {
      body.append(
        row(["\(r.layer.name) (\(r.layer.kerasClass))", ShapeText.batched(r.outputShape), String(r.parameters.total)]))
    }
    out.append(body.joined(separator: "\n" + String(repeating: "_", count: lineLength) + "\n"))
    out.append(String(repeating: "=", count: lineLength))
    out.append(contentsOf: totals(rows.reduce(.zero) { $0 + $1.parameters }))
    out.append(String(repeating: "_", count: lineLength))
    return out.joined(separator: "\n") + "\n"
  }

  /// `Total params: 433,290`, `Trainable params: ...`, `Non-trainable params: ...`.
  public static func totals(_ count: ParameterCount) -> [String] {
    [
      "Total params: " + NumberText.grouped(count.total),
      "Trainable params: " + NumberText.grouped(count.trainable),
      "Non-trainable params: " + NumberText.grouped(count.nonTrainable),
    ]
  }
}

extension SummaryText {
  /// Keras 2's layout for functional models: 98 characters, a fourth column `Connected to`
  /// (`name[0][0]`, one line per input), columns ending at 33 %, 55 %, 67 % and 100 %.
  public static let graphLineLength = 98
  public static let graphPositions = [32, 53, 65, 98]

  /// A chain prints like a Sequential model with its input row (Keras does the same for
  /// MobileNet); a graph with branches gets the `Connected to` column, in Keras's layer order.
  public static func render(_ graph: GraphSpec) throws -> String {
    let rows = try graph.rows()
    let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.node.name, $0) })
    let ordered = graph.kerasOrder.compactMap { byName[$0.name] }
    let chain = graph.isChain
    let w = chain ? lineLength : graphLineLength
    let pos = chain ? positions : graphPositions
    var out: [String] = []
    out.append("Model: \"\(graph.name)\"")
    out.append(String(repeating: "_", count: w))
    out.append(row(chain ? ["Layer (type)", "Output Shape", "Param #"] : ["Layer (type)", "Output Shape", "Param #", "Connected to"], positions: pos))
    out.append(String(repeating: "=", count: w))
    var blocks: [String] = []
    for r in ordered {
      let shape: String
      if r.node.isInput {
        shape = "[" + ShapeText.batched(r.outputShape) + "]"
      } else {
        shape = ShapeText.batched(r.outputShape)
      }
      let label = "\(r.node.name) (\(r.node.kerasClass))"
      if chain {
        blocks.append(row([label, shape, String(r.parameters.total)], positions: pos))
        continue
      }
      let connections = r.node.inputs.map { $0 + "[0][0]" }
      var lines = [row([label, shape, String(r.parameters.total), connections.first ?? ""], positions: pos)]
      for c in connections.dropFirst() {
        lines.append(row(["", "", "", c], positions: pos))
      }
      blocks.append(lines.joined(separator: "\n"))
    }
    out.append(blocks.joined(separator: "\n" + String(repeating: "_", count: w) + "\n"))
    out.append(String(repeating: "=", count: w))
    out.append(contentsOf: totals(rows.reduce(.zero) { $0 + $1.parameters }))
    out.append(String(repeating: "_", count: w))
    return out.joined(separator: "\n") + "\n"
  }
}

extension SummaryText {
  /// Why each row of the summary says what it says, the course's way:
  /// `conv2d (Conv2D): (28 + 2*0 - 3)/1 + 1 = 26 -> (None, 26, 26, 64); 64*3*3*1 + 64 = 640 parameters`.
  public static func explain(_ spec: SequentialSpec) throws -> [String] {
    try spec.rows().map { r in
      explanation(
        name: r.layer.name, readsFrom: [], kerasClass: r.layer.kerasClass, shapeFormula: r.layer.shapeFormula(for: r.inputShape),
        outputShape: r.outputShape, parameters: r.parameters,
        parameterFormula: { r.layer.parameterFormula(for: r.inputShape) })
    }
  }

  /// The same lines for a model with branches, one per layer after the input, in Keras's
  /// order; a layer that reads more than one (Add, Concatenate) names them:
  /// `add (Add) <- conv2d_1, input_layer: (None, 28, 28, 16)`.
  public static func explain(_ graph: GraphSpec) throws -> [String] {
    try graph.rows().filter { !$0.node.isInput }.map { r in
      explanation(
        name: r.node.name, readsFrom: r.node.inputs.count > 1 ? r.node.inputs : [], kerasClass: r.node.kerasClass, shapeFormula: r.node.shapeFormula(for: r.inputShapes),
        outputShape: r.outputShape, parameters: r.parameters,
        parameterFormula: { r.node.parameterFormula(for: r.inputShapes, parameters: r.parameters) })
    }
  }

  private static func explanation(
    name: String, readsFrom: [String], kerasClass: String, shapeFormula: String?, outputShape: FeatureShape, parameters: ParameterCount,
    parameterFormula: () -> String
  ) -> String {
    var line = "\(name) (\(kerasClass))"
    if !readsFrom.isEmpty { line += " <- " + readsFrom.joined(separator: ", ") }
    line += ": "
    if let f = shapeFormula { line += f + " -> " }
    line += ShapeText.batched(outputShape)
    if parameters.total > 0 {
      line += "; " + parameterFormula() + " parameters"
      if parameters.nonTrainable > 0 { line += " (\(NumberText.grouped(parameters.nonTrainable)) non-trainable)" }
    }
    return line
  }
}
