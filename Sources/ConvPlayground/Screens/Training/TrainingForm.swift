import ConvData
import ConvImageIO
import ConvKit
import ConvTerminal
import Foundation

/// The settings form before a run: its keys, the spec field, the settings and the summary.
extension TrainingScreen {
  /// Keys of the form. While a data set downloads the form only shows (nothing changes).
  mutating func setupKey(_ key: Key) -> Effect {
    guard phase != .fetching else { return .ignored }
    let n = fields.count
    switch key {
    case .up: field = (field + n - 1) % n
    case .down: field = (field + 1) % n
    case .left, .right:
      change(key == .left ? -1 : 1)
      return .perform(.keepTrainingSettings(settings))
    case .char("t") where config.finetune == nil:
      typing = customText
      specError = nil
    case .enter:
      return start()
    case .char("r") where config.finetune?.pretrained?.weightsMissing == true:
      // The command line's --random-weights: the steps can be tried without the download.
      config.finetune?.pretrained?.randomWeights = true
      return .perform(.keepTrainingSettings(settings))
    case .char("f") where !dataAvailable && config.dataset.isFetchable:
      phase = .fetching
      fetchLine = nil
      notice = nil
      return .perform(.fetchData(config.dataset, directory: config.dataDirectory, environment: environment))
    default:
      return .ignored
    }
    return .none
  }

  /// The spec field takes every key as text (a spec's "s", "x" or "q" never acts); Enter
  /// parses it, Esc leaves it.
  mutating func typeKey(_ key: Key) -> Effect {
    switch key {
    case .escape: typing = nil
    case .enter:
      let text = typing ?? ""
      do {
        let spec = try ModelSpecParser.parse(text, inputShape: config.imageShape)
        customSpec = spec
        customText = text
        config.spec = spec
        config.modelName = "spec"
        typing = nil
        specError = nil
        savePath = "convplay-spec.safetensors"
        return .perform(.keepTrainingSettings(settings))
      } catch {
        specError = String(describing: error)
      }
    case .backspace, .delete: if typing?.isEmpty == false { typing?.removeLast() }
    case .char(let c): typing?.append(c)
    default: break
    }
    return .none
  }

  /// The model row's choices (a base is chosen on the Base row).
  var modelNames: [String] { Self.modelChoices + (customSpec == nil ? [] : ["spec"]) }

  mutating func change(_ d: Int) {
    func cycle<T: Equatable>(_ list: [T], _ value: T) -> T {
      let i = list.firstIndex(of: value) ?? 0
      return list[(i + d + list.count) % list.count]
    }
    switch fields[min(field, fields.count - 1)] {
    case .model:
      let name = cycle(modelNames, config.modelName)
      config.modelName = name
      refreshSpec()
      savePath = "convplay-\(name).safetensors"
    case .base: changeBase(d)
    case .weights: changeWeights()
    case .unfreeze: changeUnfreeze(d)
    case .dataset:
      config.dataset = cycle(datasetChoices, config.dataset)
      dataAvailable = Self.locate(config, environment: environment)
      classNames = config.dataset.classNamesBeforeLoading ?? []
      refreshSpec()
    case .epochs:
      if var ft = config.finetune {
        ft.plan.freezeEpochs = min(50, max(0, ft.plan.freezeEpochs + d))
        if ft.plan.totalEpochs == 0 { ft.plan.freezeEpochs = 1 }
        config.finetune = ft
      } else {
        config.epochs = min(50, max(1, config.epochs + d))
      }
    case .finetuneEpochs:
      guard var ft = config.finetune else { return }
      ft.plan.finetuneEpochs = min(50, max(0, ft.plan.finetuneEpochs + d))
      if ft.plan.totalEpochs == 0 { ft.plan.finetuneEpochs = 1 }
      config.finetune = ft
    case .batch:
      config.batch = cycle(Self.batchChoices, config.batch)
      config.finetune?.plan.batch = config.batch
    case .optimizer:
      config.optimizer = cycle(OptimizerKind.allCases, config.optimizer)
      config.learningRate = config.optimizer.defaultLearningRate
    case .rate:
      config.learningRate = cycle(Self.rateChoices, config.learningRate)
      config.finetune?.plan.learningRate = config.learningRate
    case .limit: config.limit = cycle(Self.limitChoices, config.limit)
    case .augment:
      // One given with --augment stays among the choices.
      let choices = Self.augmentChoices + (givenAugmentation.map { [$0] } ?? [])
      config.augmentation = cycle(choices, config.augmentation)
    }
  }

  func settingRows(_ env: Env) -> [(String, String)] {
    fields.map { f in
      switch f {
      case .model: return (env.t(T.trModel), modelLabel(env))
      case .base: return (env.t(T.trBase), baseLabel(env))
      case .weights: return (env.t(T.trWeights), weightsLabel(env))
      case .unfreeze: return (env.t(T.trUnfreeze), unfreezeLabel(env))
      case .dataset: return (env.t(T.trDataset), datasetLabel())
      case .epochs:
        return config.finetune.map { (env.t(T.trFreezeEpochs), String($0.plan.freezeEpochs)) }
          ?? (env.t(T.trEpochs), String(config.epochs))
      case .finetuneEpochs: return (env.t(T.trFinetuneEpochs), String(config.finetune?.plan.finetuneEpochs ?? 0))
      case .batch: return (env.t(T.trBatch), String(config.batch))
      case .optimizer: return (env.t(T.trOptimizer), config.optimizer.rawValue)
      case .rate: return (env.t(T.trLearningRate), NumberText.format(Double(config.learningRate)))
      case .limit: return (env.t(T.trImages), config.limit.map { NumberText.grouped($0) } ?? env.t(T.trAll))
      case .augment: return (env.t(T.trAugment), augmentLabel(env))
      }
    }
  }

  /// The Augmentation row's value: the preset's name (the whole transform list is a line below
  /// the form; it does not fit the row).
  func augmentLabel(_ env: Env, of c: TrainingConfig? = nil) -> String {
    switch (c ?? config).augmentation {
    case nil: return env.t(T.trAugmentNone)
    case Self.augmentChoices[1]: return env.t(T.trAugmentDigits)
    case Self.augmentChoices[2]: return env.t(T.trAugmentPhotos)
    default: return env.t(T.trAugmentCustom)
    }
  }

  func drawSetup(_ canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let leftWidth = 34
    // A name longer than its 14 columns (Spanish: "Tasa de aprendizaje", "Conjunto de datos",
    // the course's words) gets a line of its own, its value below: no word is cut at 80x24.
    let rows = settingRows(env)
    let rowLines = rows.reduce(0) { $0 + ($1.0.count > 14 ? 2 : 1) }
    let left = Rect(x: area.x, y: area.y, width: leftWidth, height: min(max(11, rowLines + 2), max(11, area.height - 6)))
    canvas.box(left, title: env.t(T.settings), style: theme.border, titleStyle: theme.panelTitle)
    let arrowL = canvas.unicode ? "‹" : "<"
    let arrowR = canvas.unicode ? "›" : ">"
    // When the rows do not all fit (Spanish names at 80x24, fine-tuning), the box shows a run
    // of whole rows that holds the selected one, with arrows on its border where more are.
    let rowHeights = rows.map { $0.0.count > 14 ? 2 : 1 }
    let capacity = left.height - 2
    var first = 0
    while first < field, rowHeights[first...min(field, rows.count - 1)].reduce(0, +) > capacity { first += 1 }
    var last = first
    var used = 0
    while last < rows.count, used + rowHeights[last] <= capacity {
      used += rowHeights[last]
      last += 1
    }
    if first > 0 { canvas.put(canvas.unicode ? "▲" : "^", x: left.maxX - 3, y: left.y, style: theme.emphasis) }
    if last < rows.count { canvas.put(canvas.unicode ? "▼" : "v", x: left.maxX - 3, y: left.maxY - 1, style: theme.emphasis) }
    var y = left.y
    for (i, (name, value)) in rows.enumerated() where i >= first && i < last {
      y += 1
      let selected = i == field && phase != .fetching
      if name.count > 14 {
        canvas.put(name, x: left.x + 2, y: y, style: selected ? theme.emphasis : theme.text, maxWidth: leftWidth - 3)
        y += 1
      } else {
        canvas.put(name.padding(to: 14), x: left.x + 2, y: y, style: selected ? theme.emphasis : theme.text)
      }
      // The arrows hug the value so that the longest ones (Fashion-MNIST) fit at 80 columns.
      let shown = selected ? "\(arrowL)\(value)\(arrowR)" : " \(value)"
      canvas.put(shown, x: left.x + 16, y: y, style: selected ? theme.selected : theme.text, maxWidth: leftWidth - 18)
    }
    // The model's summary, as `convplay summary` prints it.
    let right = Rect(x: area.x + leftWidth + 1, y: area.y, width: area.width - leftWidth - 1, height: area.height - 6)
    canvas.box(right, title: env.t(T.trSummaryTitle, modelLabel(env)), style: theme.border, titleStyle: theme.panelTitle)
    if let graph = baseGraph, config.finetune?.pretrained != nil {
      drawSummary(graph: graph, &canvas, rect: right.inset(1), env: env)
    } else {
      drawSummary(config.spec, &canvas, rect: right.inset(1), env: env)
    }
    // Below: a pretrained base's weights, data status, spec entry, messages.
    var lines: [(String, Style)] = typing == nil && phase != .fetching ? weightsLines(env) : []
    if let a = config.augmentation, typing == nil, phase != .fetching, fields.contains(.augment) {
      lines.append((env.t(T.trAugmentLine, a.description), theme.text))
    }
    if let typing {
      lines.append((env.t(T.trTypeSpec), theme.emphasis))
      lines.append(("> " + typing + (canvas.unicode ? "▏" : "_"), theme.cursor))
      lines.append((env.t(T.trSpecExample), theme.muted))
      if let specError { lines.append((specError, theme.error)) }
    } else if phase == .fetching {
      let name = config.dataset.displayName
      if let f = fetchLine {
        lines.append((env.t(T.trFetching, name, f.index + 1, f.files) + "  " + f.file, theme.emphasis))
        lines.append((progressBar(f.fraction, width: 40, unicode: canvas.unicode) + " \(Int(f.fraction * 100))%", theme.done))
      } else {
        lines.append((env.t(T.trFetching, name, 1, 4), theme.emphasis))
      }
    } else if !dataAvailable {
      if config.dataset.isFetchable {
        lines.append((env.t(T.trDataMissing, config.dataset.displayName), theme.error))
        lines.append(("  convplay data fetch \(config.dataset.rawValue)", theme.emphasis))
        lines.append((env.t(T.trOfferFetch), theme.emphasis))
      } else {
        lines.append((env.t(T.trFolderMissing, config.dataset.displayName), theme.error))
      }
    } else {
      lines.append((env.t(T.trDataFound, config.dataset.displayName), theme.done))
      lines.append((env.t(T.trPressStart), theme.emphasis))
    }
    if case .failed(let why) = phase { lines.append((env.t(T.trFailed, why), theme.error)) }
    if notice == .fetched { lines.append((env.t(T.trFetched), theme.done)) }
    var ly = max(left.maxY, right.maxY) + 0
    let width = area.width - 2
    for (text, style) in lines {
      for l in wrapText(text, width: width) where ly < area.maxY {
        canvas.put(l, x: area.x + 1, y: ly, style: style)
        ly += 1
      }
    }
  }

  /// One row of the summary table.
  struct SummaryLine {
    var name: String
    var kerasClass: String
    var shape: FeatureShape
    var parameters: Int
    var trainable: Bool
  }

  /// Keras's summary table of `spec` in `inner`; with frozen layers a Trainable column (as
  /// `summary(show_trainable=True)`) and the non-trainable count.
  func drawSummary(_ spec: SequentialSpec, _ canvas: inout Canvas, rect inner: Rect, env: Env) {
    if drawSpecProblem(&canvas, rect: inner, env: env) { return }
    do {
      let lines = try spec.rows().map {
        SummaryLine(
          name: $0.layer.name, kerasClass: $0.layer.kerasClass, shape: $0.outputShape, parameters: $0.parameters.total,
          trainable: $0.layer.trainable)
      }
      let frozen = spec.layers.contains { !$0.trainable } || config.finetune != nil
      drawSummaryTable(lines, count: try spec.parameterCount(), frozen: frozen, endFirst: false, &canvas, rect: inner, env: env)
    } catch {
      drawSummaryProblem(String(describing: error), &canvas, rect: inner, env: env)
    }
  }

  /// The same for a pretrained base with its head (a graph of a hundred layers or more): the
  /// input, then the last layers, where the base ends and the new head sits.
  func drawSummary(graph: GraphSpec, _ canvas: inout Canvas, rect inner: Rect, env: Env) {
    if drawSpecProblem(&canvas, rect: inner, env: env) { return }
    do {
      let lines = try graph.rows().map {
        SummaryLine(
          name: $0.node.name, kerasClass: $0.node.kerasClass, shape: $0.outputShape, parameters: $0.parameters.total,
          trainable: $0.node.trainable)
      }
      drawSummaryTable(lines, count: try graph.parameterCount(), frozen: true, endFirst: true, &canvas, rect: inner, env: env)
    } catch {
      drawSummaryProblem(String(describing: error), &canvas, rect: inner, env: env)
    }
  }

  /// Why the model cannot be shown: the setting's problem (wrapped) or the summary's error.
  func drawSummaryProblem(_ text: String, _ canvas: inout Canvas, rect inner: Rect, env: Env) {
    canvas.put(text, x: inner.x + 1, y: inner.y, style: env.theme.error, maxWidth: inner.width - 1)
  }

  /// Draws `specProblem` instead of the summary; false when there is none.
  func drawSpecProblem(_ canvas: inout Canvas, rect inner: Rect, env: Env) -> Bool {
    guard let specProblem else { return false }
    var y = inner.y
    for l in wrapText(env.t(T.trFailed, specProblem), width: inner.width - 1) where y < inner.maxY {
      canvas.put(l, x: inner.x + 1, y: y, style: env.theme.error)
      y += 1
    }
    return true
  }

  /// The table itself. Rows that do not fit become "...": the last ones, or with `endFirst`
  /// the middle ones (the first row and the end of the model stay).
  func drawSummaryTable(
    _ all: [SummaryLine], count: ParameterCount, frozen: Bool, endFirst: Bool, _ canvas: inout Canvas, rect inner: Rect,
    env: Env
  ) {
    let theme = env.theme
    var y = inner.y
    // The totals under the table, wrapped (a big base's counts do not fit one line at 80 columns).
    var totals = wrapText(env.t(T.trTotalParams, NumberText.grouped(count.total), NumberText.grouped(count.trainable)), width: inner.width - 1)
    let room = inner.height - (frozen ? 5 : 4) - (totals.count - 1)
    // The rows shown, nil for the "..." row.
    var shown: [SummaryLine?] = all
    if all.count > room && room >= 1 {
      shown = endFirst && room >= 3
        ? [all[0], nil] + all.suffix(room - 2).map { $0 } : all.prefix(room - 1).map { $0 } + [nil]
    }
    let present = shown.compactMap { $0 }
    let trainWidth = env.t(T.trTrainableHeader).count
    let shapeWidth = max(14, (present.map { ShapeText.batched($0.shape).count }.max() ?? 0) + 1)
    // Keras's "name (Type)" when it fits, else the name alone (80 columns).
    var named = true
    if (present.map { "\($0.name) (\($0.kerasClass))".count }.max() ?? 0) + 1 + shapeWidth + 9 + (frozen ? trainWidth : 0)
      > inner.width - 1
    {
      named = false
    }
    func label(_ l: SummaryLine) -> String { named ? "\(l.name) (\(l.kerasClass))" : l.name }
    let nameWidth = max(14, (present.map { label($0).count }.max() ?? 0) + 1)
    // Keras's Trainable column (show_trainable=True) where it fits; else a * before each
    // frozen layer, in the column left of the table.
    // The output shape goes when even the names alone leave it no room (a base's long names).
    let paramWidth = present.map { NumberText.grouped($0.parameters).count }.max() ?? 1
    let shapes = nameWidth + shapeWidth + paramWidth <= inner.width - 1
    let shapeColumn = shapes ? shapeWidth : 0
    let column = frozen && nameWidth + shapeColumn + 9 + trainWidth <= inner.width - 1
    var header = env.t(T.trLayerHeader).padding(to: nameWidth) + (shapes ? env.t(T.trOutputShape).padding(to: shapeWidth) : "")
    header += column ? env.t(T.trParamHeader).padding(to: 9) + env.t(T.trTrainableHeader) : env.t(T.trParamHeader)
    canvas.put(header, x: inner.x + 1, y: y, style: theme.muted, maxWidth: inner.width - 1)
    y += 1
    for row in shown where y < inner.maxY {
      guard let row else {
        canvas.put("...", x: inner.x + 1, y: y, style: theme.text)
        y += 1
        continue
      }
      var text = label(row).padding(to: nameWidth) + (shapes ? ShapeText.batched(row.shape).padding(to: shapeWidth) : "")
        + NumberText.grouped(row.parameters)
      if column { text = text.padding(to: nameWidth + shapeColumn + 9) + (row.trainable ? "Y" : "N") }
      let style = frozen && !row.trainable ? theme.muted : theme.text
      if frozen && !column && !row.trainable { canvas.put("*", x: inner.x, y: y, style: theme.emphasis) }
      canvas.put(text, x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 1)
      y += 1
    }
    y += 1
    if frozen {
      let note = column || count.nonTrainable == 0 ? "" : " " + env.t(T.trFrozenMark)
      totals += wrapText(env.t(T.trNonTrainable, NumberText.grouped(count.nonTrainable)) + note, width: inner.width - 1)
    }
    for line in totals where y < inner.maxY {
      canvas.put(line, x: inner.x + 1, y: y, style: theme.emphasis, maxWidth: inner.width - 1)
      y += 1
    }
  }

}
