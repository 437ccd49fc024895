import ConvKit
/// Every word the quiz says, in English and Spanish, in one place. Numbers in the explanations
/// come from the engine (`AxisGeometry.formula`, `LayerSpec.parameterFormula`,
/// `SequentialSpec.rows()`); this file only puts them into sentences.
public enum QuizCatalog {
  // MARK: short phrases

  public enum Phrase: Sendable {
    case correct, wrong(String), yourAnswer(String), noAnswer, question(Int, Int), unreadable(String, QuizAnswer)
    case shapeRank(given: Int, expected: Int), channelsWrong, batchAxisNote, topicName(QuizTopic)
    case levelName(Int), scoreLine(Int, Int), progressSaved(String), progressCorrupt(String)
    case progressNotSetAside(String, String)
  }

  public static func text(_ p: Phrase, _ l: QuizLanguage) -> String {
    let es = l == .es
    switch p {
    case .correct: return es ? "correcto" : "correct"
    case .wrong(let a): return es ? "incorrecto: la respuesta es \(a)" : "wrong: the answer is \(a)"
    case .yourAnswer(let a): return es ? "respuesta dada: \(a)" : "your answer: \(a)"
    case .noAnswer: return es ? "(sin respuesta)" : "(no answer)"
    case .question(let i, let n): return es ? "Pregunta \(i)/\(n)" : "Question \(i)/\(n)"
    case .unreadable(let given, let expected):
      switch expected {
      case .shape(let s) where s.count > 1:
        return es
          ? "no se pudo leer '\(given)' como una forma, por ejemplo \(expected.text) o (None, \(s.map(String.init).joined(separator: ", ")))"
          : "could not read '\(given)' as a shape such as \(expected.text) or (None, \(s.map(String.init).joined(separator: ", ")))"
      default:
        return es
          ? "no se pudo leer '\(given)' como un número entero, por ejemplo 640 o 649,775"
          : "could not read '\(given)' as a whole number such as 640 or 649,775"
      }
    case .shapeRank(let g, let e):
      return es
        ? "la respuesta dada tiene \(g) \(g == 1 ? "tamaño" : "tamaños"); la correcta tiene \(e)" + (e == 3 ? " (filas, columnas, canales)" : "")
        : "you gave \(g) \(g == 1 ? "size" : "sizes"); the answer has \(e)" + (e == 3 ? " (rows, columns, channels)" : "")
    case .channelsWrong:
      return es ? "filas y columnas bien; hay que revisar los canales" : "rows and columns are right; check the channels"
    case .batchAxisNote:
      return es ? "(None es el tamaño del lote: no se pregunta)" : "(None is the batch size: not asked)"
    case .topicName(let t):
      guard es else { return t.rawValue }
      switch t {
      case .shapes: return "formas"
      case .params: return "parámetros"
      case .pooling: return "pooling"
      case .models: return "modelos"
      }
    case .levelName(let n): return es ? "nivel \(n)" : "level \(n)"
    case .scoreLine(let x, let n): return es ? "aciertos: \(x)/\(n)" : "score: \(x)/\(n)"
    case .progressSaved(let path): return es ? "progreso guardado en \(path)" : "progress saved in \(path)"
    case .progressCorrupt(let path):
      return es
        ? "el archivo de progreso no se pudo leer: se guardó aparte como \(path) y el quiz empieza de cero"
        : "the progress file could not be read: set it aside as \(path) and started afresh"
    case .progressNotSetAside(let path, let why):
      return es
        ? "\(path) no se pudo leer ni guardar aparte (\(why)): el progreso de esta sesión no se guarda"
        : "\(path) could not be read nor set aside (\(why)): this session's progress is not kept"
    }
  }

  // MARK: questions

  static func modelLines(_ model: SequentialSpec, _ l: QuizLanguage) -> [String] {
    ["  " + (l == .es ? "entrada " : "input ") + ShapeText.tuple(model.inputShape)]
      + model.layers.enumerated().map { "  \($0.offset + 1). " + $0.element.kerasCode }
  }

  public static func prompt(_ q: QuizQuestion, _ l: QuizLanguage) -> String {
    let es = l == .es
    switch q.ask {
    case .convOutput(let input, let layer), .poolOutput(let input, let layer):
      return es
        ? "Una entrada de forma \(ShapeText.tuple(input)) pasa por \(layer.kerasCode). ¿Qué forma tiene la salida (filas x columnas x canales)?"
        : "An input of shape \(ShapeText.tuple(input)) goes through \(layer.kerasCode). What is the output shape (rows x columns x channels)?"
    case .convParams(let input, let layer):
      return es
        ? "¿Cuántos parámetros tiene \(layer.kerasCode) sobre una entrada de forma \(ShapeText.tuple(input))?"
        : "How many parameters does \(layer.kerasCode) have on an input of shape \(ShapeText.tuple(input))?"
    case .flattenSize(let model):
      return ([es ? "En este modelo, ¿cuántos valores salen de Flatten?" : "In this model, how many values come out of Flatten?"]
        + modelLines(model, l)).joined(separator: "\n")
    case .denseParams(let input, let layer):
      return es
        ? "¿Cuántos parámetros tiene \(layer.kerasCode) si su entrada tiene forma \(ShapeText.batched(input))?"
        : "How many parameters does \(layer.kerasCode) have when its input has shape \(ShapeText.batched(input))?"
    case .batchNorm(let input, let layer, let part):
      let which: String
      switch part {
      case .total: which = es ? "parámetros tiene en total" : "parameters does it have in total"
      case .trainable: which = es ? "de sus parámetros son entrenables (Trainable params)" : "of its parameters are trainable (Trainable params)"
      case .nonTrainable: which = es ? "de sus parámetros no son entrenables (Non-trainable params)" : "of its parameters are non-trainable (Non-trainable params)"
      }
      return es
        ? "\(layer.kerasCode) sigue a una capa con salida \(ShapeText.batched(input)). ¿Cuántos \(which)?"
        : "\(layer.kerasCode) follows a layer whose output is \(ShapeText.batched(input)). How many \(which)?"
    case .modelTotal(let model, let name):
      let head = es
        ? "¿Qué número muestra 'Total params' en el resumen de este modelo" + (name.map { " (\($0), del curso)" } ?? "") + "?"
        : "What does 'Total params' say in the summary of this model" + (name.map { " (the course's \($0))" } ?? "") + "?"
      return ([head] + modelLines(model, l)).joined(separator: "\n")
    case .modelLayerShape(let model, let i, let name):
      let layer = model.layers[i]
      let head = es
        ? "En este modelo" + (name.map { " (\($0), del curso)" } ?? "") + ", ¿qué forma de salida tiene la capa \(i + 1), \(layer.kerasClassShort)?"
        : "In this model" + (name.map { " (the course's \($0))" } ?? "") + ", what is the output shape of layer \(i + 1), \(layer.kerasClassShort)?"
      return ([head] + modelLines(model, l)).joined(separator: "\n")
    case .poolingShrink(let model, let pooling, let after):
      let d = model.denseAfterFlatten ?? 0
      let head = es
        ? "En este modelo la capa \(d + 1) es una Dense justo después de Flatten. Si añadimos \(pooling.kerasCode) después de la capa \(after + 1), ¿en cuántos parámetros se reduce esa Dense?"
        : "In this model, layer \(d + 1) is a Dense layer right after Flatten. If \(pooling.kerasCode) is added after layer \(after + 1), by how many parameters does that Dense layer shrink?"
      return ([head] + modelLines(model, l)).joined(separator: "\n")
    }
  }

  // MARK: explanations

  static func axisLines(_ g: WindowGeometry, _ l: QuizLanguage) -> [String] {
    let es = l == .es
    var lines: [String] = []
    if g.rows.formula == g.cols.formula {
      lines.append((es ? "filas y columnas: " : "rows and columns: ") + g.rows.formula)
    } else {
      lines.append((es ? "filas: " : "rows: ") + g.rows.formula)
      lines.append((es ? "columnas: " : "columns: ") + g.cols.formula)
    }
    let axes = g.rows == g.cols
      ? [(g.rows, es ? "filas y columnas" : "rows and columns")]
      : [(g.rows, es ? "filas" : "rows"), (g.cols, es ? "columnas" : "columns")]
    for (axis, name) in axes {
      if axis.padding == .same {
        lines.append(es
          ? "padding='same' (\(name)): \(counted(axis.padBefore + axis.padAfter, "cero", "ceros")) en total, \(axis.padBefore) antes y \(axis.padAfter) después, para que la salida sea ceil(\(axis.input)/\(axis.stride)) = \(axis.output)"
          : "padding='same' (\(name)): \(counted(axis.padBefore + axis.padAfter, "zero", "zeros")) in all, \(axis.padBefore) before and \(axis.padAfter) after, so the output is ceil(\(axis.input)/\(axis.stride)) = \(axis.output)")
      }
      if axis.dilation > 1 {
        lines.append(es
          ? "dilation_rate=\(axis.dilation): los \(axis.kernel) pesos se reparten en \(axis.dilation)*(\(axis.kernel)-1) + 1 = \(axis.effectiveKernel) posiciones"
          : "dilation_rate=\(axis.dilation): the \(axis.kernel) taps spread over \(axis.dilation)*(\(axis.kernel)-1) + 1 = \(axis.effectiveKernel) positions")
      }
      if !axis.divides {
        lines.append(es
          ? "(\(name)) \(axis.paddedInput) - \(axis.effectiveKernel) no es múltiplo del stride \(axis.stride): Keras redondea hacia abajo, la ventana cabe \(axis.output == 1 ? "1 vez" : "\(axis.output) veces") y \(axis.remainder == 1 ? "el último elemento no se visita" : "los últimos \(axis.remainder) elementos no se visitan")"
          : "(\(name)) " + (axis.floorExplanation ?? "") + ": Keras rounds down")
      }
    }
    return lines
  }

  public static func explanation(_ q: QuizQuestion, _ l: QuizLanguage) -> [String] {
    let es = l == .es
    let g = NumberText.grouped
    switch q.ask {
    case .convOutput(let input, let layer), .poolOutput(let input, let layer):
      guard let geometry = try? layer.window(on: input), let out = try? layer.outputShape(for: input) else { return [] }
      // The rule as the axis lines below fill it in: 2P for the same zeros on both sides,
      // the two sides apart when 'same' pads one more after.
      let symmetric = [geometry.rows, geometry.cols].allSatisfy { $0.padBefore == $0.padAfter }
      let rule = symmetric ? "(N + 2P - K)/S + 1" : "(N + P_before + P_after - K)/S + 1"
      var lines = [es ? "tamaño de salida = \(rule), redondeado hacia abajo" : "output size = \(rule), rounded down"]
      lines += axisLines(geometry, l)
      if let filters = (layer.layer as? Conv2D)?.filters {
        lines.append(es ? "canales: uno por filtro = \(filters)" : "channels: one per filter = \(filters)")
      } else {
        lines.append(es ? "canales: el pooling no los cambia = \(out[2])" : "channels: pooling keeps them = \(out[2])")
      }
      lines.append((es ? "forma de salida: " : "output shape: ") + ShapeText.batched(out))
      return lines
    case .convParams(let input, let layer):
      var lines = [
        es ? "parámetros = filtros*filas*columnas*canales de entrada + filtros (un bias por filtro)"
          : "parameters = filters*rows*cols*input channels + filters (one bias per filter)",
        layer.parameterFormula(for: input),
      ]
      if let conv = layer.layer as? Conv2D {
        let (filters, k, bias) = (conv.filters, conv.kernelSize, conv.useBias)
        lines.append(es
          ? "cada uno de los \(filters) filtros tiene \(k.rows)x\(k.cols)x\(input.last ?? 1) pesos" + (bias ? " y un bias" : "; use_bias=False: sin bias")
          : "each of the \(filters) filters has \(k.rows)x\(k.cols)x\(input.last ?? 1) weights" + (bias ? " and one bias" : "; use_bias=False: no biases"))
        lines.append(es ? "el tamaño de la imagen (\(input[0])x\(input[1])) no cuenta: los mismos pesos recorren toda la imagen"
          : "the image size (\(input[0])x\(input[1])) does not count: the same weights slide over the whole image")
      }
      return lines
    case .flattenSize(let model):
      return chain(model, upTo: model.layers.count - 1, l)
    case .denseParams(let input, let layer):
      var lines = [
        es ? "parámetros = entradas*unidades + unidades (un bias por unidad)" : "parameters = inputs*units + units (one bias per unit)",
        layer.parameterFormula(for: input),
      ]
      if input.count > 1, let out = try? layer.outputShape(for: input) {
        lines.append(es
          ? "Dense trabaja sobre el último eje (\(g(input.last!)) valores): los mismos pesos en cada una de las \(input.dropLast().map(String.init).joined(separator: "x")) posiciones; salida \(ShapeText.batched(out))"
          : "Dense works on the last axis (\(g(input.last!)) values): the same weights at each of the \(input.dropLast().map(String.init).joined(separator: "x")) positions; output \(ShapeText.batched(out))")
      }
      if let dense = layer.layer as? Dense, !dense.useBias {
        lines.append(es ? "use_bias=False: sin bias" : "use_bias=False: no biases")
      }
      return lines
    case .batchNorm(let input, let layer, _):
      let p = layer.parameters(for: input)
      var lines = [
        es ? "4 parámetros por canal (gamma, beta, media móvil, varianza móvil): " + layer.parameterFormula(for: input)
          : "4 parameters per channel (gamma, beta, moving mean, moving variance): " + layer.parameterFormula(for: input),
        es ? "la media y la varianza móviles se actualizan promediando, no entrenando: siempre no entrenables"
          : "the moving mean and variance are updated by averaging, not by training: always non-trainable",
      ]
      if !layer.trainable {
        lines.append(es ? "trainable=False congela también gamma y beta" : "trainable=False freezes gamma and beta too")
      }
      lines.append(es
        ? "entrenables: \(g(p.trainable)), no entrenables: \(g(p.nonTrainable)), total: \(g(p.total))"
        : "trainable: \(g(p.trainable)), non-trainable: \(g(p.nonTrainable)), total: \(g(p.total))")
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
      lines.append((es ? "sin pooling: Flatten da " : "without pooling: Flatten gives ") + product(flatBefore))
      lines.append("  Dense: " + before.layer.parameterFormula(for: before.inputShape))
      if let formula = pooling.shapeFormula(for: poolRow.inputShape) {
        lines.append((es ? "con \(pooling.kerasClassShort): " : "with \(pooling.kerasClassShort): ") + formula
          + " -> " + ShapeText.batched(poolRow.outputShape))
      }
      lines.append((es ? "  Flatten da " : "  Flatten gives ") + product(flatAfter))
      lines.append("  Dense: " + withPool.layer.parameterFormula(for: withPool.inputShape))
      lines.append((es ? "reducción: " : "shrink: ") + "\(g(before.parameters.total)) - \(g(withPool.parameters.total)) = \(g(before.parameters.total - withPool.parameters.total))")
      return lines
    }
  }

  /// `26*26*64 = 43,264` for a Flatten row.
  static func product(_ row: SequentialSpec.Row) -> String {
    row.layer.shapeFormula(for: row.inputShape) ?? ""
  }

  /// The shapes layer by layer up to layer `last`, with the window formula for conv and pooling.
  static func chain(_ model: SequentialSpec, upTo last: Int, _ l: QuizLanguage) -> [String] {
    guard let rows = try? model.rows() else { return [] }
    var lines = [(l == .es ? "entrada: " : "input: ") + ShapeText.batched(model.inputShape)]
    for r in rows.prefix(last + 1) {
      var line = "\(r.layer.name) (\(r.layer.kerasClass)): "
      if let formula = r.layer.shapeFormula(for: r.inputShape) {
        line += formula + " -> "
      } else if r.layer.layer is Dense {
        line += (l == .es ? "unidades" : "units") + " -> "
      } else if r.layer.layer is GlobalAveragePooling2D {
        line += (l == .es ? "un promedio por canal" : "one average per channel") + " -> "
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

/// "1 zero", "2 zeros": a count with its noun in the singular or the plural.
func counted(_ n: Int, _ one: String, _ many: String) -> String { "\(n) " + (n == 1 ? one : many) }
