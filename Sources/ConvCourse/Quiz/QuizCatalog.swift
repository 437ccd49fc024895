import ConvKit
import ConvLocale

/// Every sentence the quiz says, written in English (`QuizText`) and found in Spanish in the
/// one table (ConvLocale's SpanishTable.swift, section "quiz"), as every other string of
/// convplay. Numbers in the explanations come from the engine (`AxisGeometry.formula`,
/// `LayerSpec.parameterFormula`, `SequentialSpec.rows()`); this file only puts them into
/// sentences.
public enum QuizCatalog {
  // MARK: short phrases

  public enum Phrase: Sendable {
    case correct, wrong(String), yourAnswer(String), noAnswer, question(Int, Int), unreadable(String, QuizAnswer)
    case shapeRank(given: Int, expected: Int), channelsWrong, batchAxisNote, topicName(QuizTopic)
    case levelName(Int), scoreLine(Int, Int), progressSaved(String), progressCorrupt(String)
    case progressNotSetAside(String, String)
  }

  /// `sentence` in `l`, its `{n}` filled with `args`.
  static func say(_ sentence: QuizText, _ l: QuizLanguage, _ args: Any...) -> String {
    Spanish.text(sentence.rawValue, l, args.map { "\($0)" })
  }

  public static func text(_ p: Phrase, _ l: QuizLanguage) -> String {
    switch p {
    case .correct: return say(.correct, l)
    case .wrong(let a): return say(.wrong, l, a)
    case .yourAnswer(let a): return say(.yourAnswer, l, a)
    case .noAnswer: return say(.noAnswer, l)
    case .question(let i, let n): return say(.question, l, i, n)
    case .unreadable(let given, let expected):
      switch expected {
      case .shape(let s) where s.count > 1:
        return say(.unreadableShape, l, given, expected.text, s.map(String.init).joined(separator: ", "))
      default:
        return say(.unreadableNumber, l, given)
      }
    case .shapeRank(let g, let e):
      return say(g == 1 ? .shapeRankOne : .shapeRankMany, l, g, e)
        + (e == 3 ? " " + say(.rowsColumnsChannels, l) : "")
    case .channelsWrong: return say(.channelsWrong, l)
    case .batchAxisNote: return say(.batchAxisNote, l)
    case .topicName(let t):
      switch t {
      case .shapes: return say(.topicShapes, l)
      case .params: return say(.topicParams, l)
      case .pooling: return say(.topicPooling, l)
      case .models: return say(.topicModels, l)
      case .blocks: return say(.topicBlocks, l)
      }
    case .levelName(let n): return say(.levelName, l, n)
    case .scoreLine(let x, let n): return say(.scoreLine, l, x, n)
    case .progressSaved(let path): return say(.progressSaved, l, path)
    case .progressCorrupt(let path): return say(.progressCorrupt, l, path)
    case .progressNotSetAside(let path, let why):
      // `why` is the system's or the store's English (strerror, "not overwritten").
      return say(.progressNotSetAside, l, path, l == .es ? Spanish.line(why) : why)
    }
  }

  // MARK: questions

  static func modelLines(_ model: SequentialSpec, _ l: QuizLanguage) -> [String] {
    ["  " + say(.modelInput, l, ShapeText.tuple(model.inputShape))]
      + model.layers.enumerated().map { "  \($0.offset + 1). " + $0.element.kerasCode }
  }

  public static func prompt(_ q: QuizQuestion, _ l: QuizLanguage) -> String {
    switch q.ask {
    case .convOutput(let input, let layer), .poolOutput(let input, let layer):
      return say(.askOutputShape, l, ShapeText.tuple(input), layer.kerasCode)
    case .convParams(let input, let layer):
      return say(.askConvParams, l, layer.kerasCode, ShapeText.tuple(input))
    case .flattenSize(let model):
      return ([say(.askFlatten, l)] + modelLines(model, l)).joined(separator: "\n")
    case .denseParams(let input, let layer):
      return say(.askDenseParams, l, layer.kerasCode, ShapeText.batched(input))
    case .batchNorm(let input, let layer, let part):
      let sentence: QuizText
      switch part {
      case .total: sentence = .askBatchNormTotal
      case .trainable: sentence = .askBatchNormTrainable
      case .nonTrainable: sentence = .askBatchNormNonTrainable
      }
      return say(sentence, l, layer.kerasCode, ShapeText.batched(input))
    case .modelTotal(let model, let name):
      let head = name.map { say(.askTotalCourse, l, $0) } ?? say(.askTotal, l)
      return ([head] + modelLines(model, l)).joined(separator: "\n")
    case .modelLayerShape(let model, let i, let name):
      let layer = model.layers[i]
      let head = name.map { say(.askLayerShapeCourse, l, $0, i + 1, layer.kerasClassShort) }
        ?? say(.askLayerShape, l, i + 1, layer.kerasClassShort)
      return ([head] + modelLines(model, l)).joined(separator: "\n")
    case .poolingShrink(let model, let pooling, let after):
      let d = model.denseAfterFlatten ?? 0
      return ([say(.askPoolingShrink, l, d + 1, pooling.kerasCode, after + 1)] + modelLines(model, l))
        .joined(separator: "\n")
    case .blockJoinShape(let block, let join):
      let kind = block.nodes.first { $0.name == join }?.kerasClass ?? ""
      return ([say(.askBlockJoinShape, l, join, kind)] + blockLines(block)).joined(separator: "\n")
    case .blockParams(let block):
      return ([say(.askBlockParams, l)] + blockLines(block)).joined(separator: "\n")
    }
  }

  /// The block as Keras code, indented as a model's layer list.
  static func blockLines(_ block: GraphSpec) -> [String] {
    QuizBlocks.kerasLines(block).map { "  " + $0 }
  }

  // MARK: explanations

  static func axisLines(_ g: WindowGeometry, _ l: QuizLanguage) -> [String] {
    var lines: [String] = []
    if g.rows.formula == g.cols.formula {
      lines.append(say(.rowsAndColumnsFormula, l, g.rows.formula))
    } else {
      lines.append(say(.rowsFormula, l, g.rows.formula))
      lines.append(say(.columnsFormula, l, g.cols.formula))
    }
    let axes = g.rows == g.cols
      ? [(g.rows, say(.rowsAndColumns, l))]
      : [(g.rows, say(.rows, l)), (g.cols, say(.columns, l))]
    for (axis, name) in axes {
      if axis.padding == .same { lines.append(samePadding(axis, name, l)) }
      if axis.dilation > 1 {
        lines.append(say(.dilation, l, axis.dilation, axis.kernel, axis.dilation, axis.kernel, axis.effectiveKernel))
      }
      if !axis.divides {
        let numbers: [Any] = [name, axis.paddedInput, axis.effectiveKernel, axis.stride]
        let sentence: QuizText
        switch (axis.output == 1, axis.remainder == 1) {
        case (true, true): sentence = .floorOnceLastOne
        case (true, false): sentence = .floorOnceLastMany
        case (false, true): sentence = .floorManyLastOne
        case (false, false): sentence = .floorManyLastMany
        }
        let counts: [Any] = (axis.output == 1 ? [] : [axis.output]) + (axis.remainder == 1 ? [] : [axis.remainder])
        lines.append(Spanish.text(sentence.rawValue, l, (numbers + counts).map { "\($0)" }))
      }
    }
    return lines
  }

  /// `padding='same' (rows and columns): 1 zero in all, 0 before and 1 after, so the output is ceil(16/2) = 8`.
  static func samePadding(_ axis: AxisGeometry, _ name: String, _ l: QuizLanguage) -> String {
    let zeros = axis.padBefore + axis.padAfter
    return zeros == 1
      ? say(.sameOneZero, l, name, axis.padBefore, axis.padAfter, axis.input, axis.stride, axis.output)
      : say(.sameZeros, l, name, zeros, axis.padBefore, axis.padAfter, axis.input, axis.stride, axis.output)
  }

  public static func explanation(_ q: QuizQuestion, _ l: QuizLanguage) -> [String] {
    let g = NumberText.grouped
    switch q.ask {
    case .convOutput(let input, let layer), .poolOutput(let input, let layer):
      guard let geometry = try? layer.window(on: input), let out = try? layer.outputShape(for: input) else { return [] }
      // The rule as the axis lines below fill it in: 2P for the same zeros on both sides,
      // the two sides apart when 'same' pads one more after.
      let symmetric = [geometry.rows, geometry.cols].allSatisfy { $0.padBefore == $0.padAfter }
      let rule = symmetric ? "(N + 2P - K)/S + 1" : "(N + P_before + P_after - K)/S + 1"
      var lines = [say(.outputSizeRule, l, rule)]
      lines += axisLines(geometry, l)
      if let filters = (layer.layer as? Conv2D)?.filters {
        lines.append(say(.channelsPerFilter, l, filters))
      } else {
        lines.append(say(.channelsPoolingKeeps, l, out[2]))
      }
      lines.append(say(.outputShape, l, ShapeText.batched(out)))
      return lines
    case .convParams(let input, let layer):
      var lines = [say(.convParamsRule, l), layer.parameterFormula(for: input)]
      if let conv = layer.layer as? Conv2D {
        let (filters, k, bias) = (conv.filters, conv.kernelSize, conv.useBias)
        lines.append(say(bias ? .filterWeightsAndBias : .filterWeightsNoBias, l, filters, k.rows, k.cols, input.last ?? 1))
        lines.append(say(.imageSizeDoesNotCount, l, input[0], input[1]))
      }
      return lines
    case .flattenSize(let model):
      return chain(model, upTo: model.layers.count - 1, l)
    case .denseParams(let input, let layer):
      var lines = [say(.denseParamsRule, l), layer.parameterFormula(for: input)]
      if input.count > 1, let out = try? layer.outputShape(for: input) {
        lines.append(say(
          .denseLastAxis, l, g(input.last!), input.dropLast().map(String.init).joined(separator: "x"),
          ShapeText.batched(out)))
      }
      if let dense = layer.layer as? Dense, !dense.useBias {
        lines.append(say(.noBiases, l))
      }
      return lines
    case .batchNorm(let input, let layer, _):
      let p = layer.parameters(for: input)
      var lines = [
        say(.batchNormRule, l, layer.parameterFormula(for: input)),
        say(.batchNormMoving, l),
      ]
      if !layer.trainable {
        lines.append(say(.batchNormFrozen, l))
      }
      lines.append(say(.batchNormCounts, l, g(p.trainable), g(p.nonTrainable), g(p.total)))
      return lines
    case .modelTotal(let model, _):
      guard let rows = try? model.rows() else { return [] }
      var lines = rows.map { "\($0.layer.name) (\($0.layer.kerasClass)): " + $0.layer.parameterFormula(for: $0.inputShape) }
      let total = rows.reduce(ParameterCount.zero) { $0 + $1.parameters }
      lines.append(
        "Total params: " + rows.map { g($0.parameters.total) }.joined(separator: " + ") + " = " + g(total.total))
      return lines
    case .modelLayerShape(let model, let i, _):
      return chain(model, upTo: i, l)
    case .poolingShrink(let model, let pooling, let after):
      guard let (before, withPool) = try? q.ask.shrink(model: model, pooling: pooling, after: after),
        let pooledRows = try? model.inserting(pooling, after: after).rows(),
        let plainRows = try? model.rows()
      else { return [] }
      let flatBefore = plainRows[(model.denseAfterFlatten ?? 1) - 1]
      let flatAfter = pooledRows[(model.denseAfterFlatten ?? 1)]
      let poolRow = pooledRows[after + 1]
      var lines: [String] = []
      lines.append(say(.withoutPoolingFlatten, l, product(flatBefore)))
      lines.append("  Dense: " + before.layer.parameterFormula(for: before.inputShape))
      if let formula = pooling.shapeFormula(for: poolRow.inputShape) {
        lines.append(say(.withPooling, l, pooling.kerasClassShort, formula, ShapeText.batched(poolRow.outputShape)))
      }
      lines.append("  " + say(.flattenGives, l, product(flatAfter)))
      lines.append("  Dense: " + withPool.layer.parameterFormula(for: withPool.inputShape))
      lines.append(say(
        .shrink, l, g(before.parameters.total), g(withPool.parameters.total),
        g(before.parameters.total - withPool.parameters.total)))
      return lines
    case .blockJoinShape(let block, let join):
      return blockShapeLines(block, join: join, l)
    case .blockParams(let block):
      return blockParameterLines(block, l)
    }
  }

  /// The shapes branch by branch up to the join, then why the join's shape is what it is: Add
  /// needs equal shapes (the shortcut as it is, or projected), Concatenate adds up channels.
  static func blockShapeLines(_ block: GraphSpec, join: String, _ l: QuizLanguage) -> [String] {
    guard let rows = try? block.rows(), let j = rows.firstIndex(where: { $0.node.name == join }) else { return [] }
    let byName = Dictionary(rows.map { ($0.node.name, $0) }, uniquingKeysWith: { a, _ in a })
    var lines = [say(.chainInput, l, ShapeText.batched(block.inputShape))]
    var keeps = false
    for r in rows[..<j] where !r.node.isInput {
      guard let formula = r.node.shapeFormula(for: r.inputShapes) else {
        keeps = keeps || r.node.layer is BatchNormalization || r.node.layer is ReLU
        continue
      }
      lines.append("\(r.node.name) (\(r.node.kerasClass)): \(formula) -> " + ShapeText.batched(r.outputShape))
      // 'same' with a stride pads unevenly: say where the zeros go, as the Conv2D questions do.
      if let g = try? r.node.window(on: r.inputShapes[0]), g.rows.padding == .same, g.rows.stride > 1 || g.cols.stride > 1 {
        let axes = g.rows == g.cols ? [(g.rows, say(.rowsAndColumns, l))] : [(g.rows, say(.rows, l)), (g.cols, say(.columns, l))]
        lines += axes.map { samePadding($0.0, $0.1, l) }
      }
    }
    if keeps { lines.append(say(.blockKeepShape, l)) }
    let joinRow = rows[j]
    let inputs = joinRow.node.inputs.compactMap { byName[$0] }
    switch joinRow.node.layer {
    case is Add where inputs.count == 2:
      // QuizBlocks adds the branch first, the shortcut second.
      let (branch, shortcut) = (inputs[0], inputs[1])
      // The projection: the Conv2D the shortcut comes from (through its BatchNormalization).
      var projection = shortcut
      while !(projection.node.layer is Conv2D), let next = projection.node.inputs.first.flatMap({ byName[$0] }) {
        projection = next
      }
      if shortcut.node.isInput {
        lines.append(say(.blockShortcutIdentity, l, shortcut.node.name, shortcut.outputShape.last ?? 0))
      } else if let conv = projection.node.layer as? Conv2D {
        lines.append(say(
          .blockShortcutProjection, l, projection.node.name, conv.filters, conv.strides.rows,
          ShapeText.batched(block.inputShape), ShapeText.batched(projection.outputShape)))
      }
      lines.append(say(
        .blockAddSameShape, l, branch.node.name, ShapeText.batched(branch.outputShape), shortcut.node.name,
        ShapeText.batched(shortcut.outputShape)))
    case is Concatenate:
      for r in inputs where r.node.layer is any PoolingLayer {
        lines.append(say(.blockPoolKeepsChannels, l, r.node.name, r.outputShape.last ?? 0))
      }
      let size = joinRow.outputShape.dropLast().map(String.init).joined(separator: "x")
      lines.append(say(.blockConcatRule, l, size, joinRow.node.shapeFormula(for: joinRow.inputShapes) ?? ""))
    default:
      break
    }
    lines.append(say(.outputShape, l, ShapeText.batched(joinRow.outputShape)))
    return lines
  }

  /// The weights layer by layer, the layers without any, and the sum Keras prints.
  static func blockParameterLines(_ block: GraphSpec, _ l: QuizLanguage) -> [String] {
    guard let rows = try? block.rows() else { return [] }
    let g = NumberText.grouped
    let weighted = rows.filter { $0.parameters.total > 0 }
    var lines = [say(.blockParamsRule, l)]
    lines += weighted.map {
      "\($0.node.name) (\($0.node.kerasClass)): " + $0.node.parameterFormula(for: $0.inputShapes, parameters: $0.parameters)
    }
    let none = rows.filter { $0.parameters.total == 0 && !$0.node.isInput }.map(\.node.name)
    if !none.isEmpty { lines.append(say(.blockNoParameters, l, none.joined(separator: ", "))) }
    let total = rows.reduce(ParameterCount.zero) { $0 + $1.parameters }
    if total.nonTrainable > 0 { lines.append(say(.blockBatchNormCounted, l, g(total.nonTrainable))) }
    lines.append("Total params: " + weighted.map { g($0.parameters.total) }.joined(separator: " + ") + " = " + g(total.total))
    return lines
  }

  /// `26*26*64 = 43,264` for a Flatten row.
  static func product(_ row: SequentialSpec.Row) -> String {
    row.layer.shapeFormula(for: row.inputShape) ?? ""
  }

  /// The shapes layer by layer up to layer `last`, with the window formula for conv and pooling.
  static func chain(_ model: SequentialSpec, upTo last: Int, _ l: QuizLanguage) -> [String] {
    guard let rows = try? model.rows() else { return [] }
    var lines = [say(.chainInput, l, ShapeText.batched(model.inputShape))]
    for r in rows.prefix(last + 1) {
      var line = "\(r.layer.name) (\(r.layer.kerasClass)): "
      if let formula = r.layer.shapeFormula(for: r.inputShape) {
        line += formula + " -> "
      } else if r.layer.layer is Dense {
        line += say(.units, l) + " -> "
      } else if r.layer.layer is GlobalAveragePooling2D {
        line += say(.oneAveragePerChannel, l) + " -> "
      }
      lines.append(line + ShapeText.batched(r.outputShape))
    }
    return lines
  }
}

extension LayerSpec {
  /// `MaxPooling2D(pool_size=(2, 2))` without `trainable=` noise, for sentences.
  var kerasClassShort: String {
    var l = self
    l.trainable = true
    return l.kerasCode
  }
}
