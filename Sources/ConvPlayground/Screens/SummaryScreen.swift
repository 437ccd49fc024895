import ConvImageIO
import ConvKit
import ConvTerminal
import Foundation

/// Keras's `model.summary()` as a table to walk: the arrows move from layer to layer; beside
/// the table (below it on a small terminal) the current layer's shapes flowing in and out, its
/// output-size formula, its parameter count with the formula, what feeds it (Add and
/// Concatenate branches), and whether it trains; `t` freezes a layer and the Trainable /
/// Non-trainable totals follow; for a model with weights, `v` shows the feature maps a picture
/// makes in that layer. Every number is ConvKit's (`SummaryWalk`: the rows `SummaryText`
/// prints); the screen only lays them out.
public struct SummaryScreen: Screen {
  public private(set) var model: SummaryModel
  /// The current row of the table.
  public private(set) var row = 0
  /// While choosing another model: the highlighted entry of `SummaryModels.all`.
  public private(set) var picker: Int?
  public private(set) var showMaps = false
  var notice: String?
  /// `v` on a model without weights: say what would show feature maps.
  var noMapsNotice = false
  /// The picture given on the command line, kept for the models chosen later.
  let image: Image?
  let imageName: String?

  public init(model: SummaryModel, layer: Int? = nil, image: Image? = nil, imageName: String? = nil) {
    self.model = model
    self.image = image
    self.imageName = imageName
    if let layer { row = rowIndex(ofLayer: layer) }
    notice = model.problem
  }

  /// Home's entry: the built-in trained digits model (so feature maps are there at once).
  public init() {
    if let m = try? SummaryModels.digitsModel(image: nil) {
      self.init(model: m)
    } else {
      let e = ModelZoo.named("course3")!
      self.init(model: SummaryModel(walk: try! SummaryWalk(e.spec, name: e.name), label: e.name))
    }
  }

  /// A sequential model with layer `layer` (index in `spec.layers`) current: the quiz links here.
  public init(spec: SequentialSpec, layer: Int?) {
    let walk = (try? SummaryWalk(spec)) ?? (try! SummaryWalk(SequentialSpec(inputShape: spec.inputShape, layers: [])))
    self.init(model: SummaryModel(walk: walk, label: "sequential"), layer: layer)
  }

  /// A block with branches with node `node` (index in `graph.nodes`) current: the quiz's
  /// residual and Inception questions link here.
  public init(graph: GraphSpec, node: Int?) {
    let walk = (try? SummaryWalk(graph)) ?? (try! SummaryWalk(SequentialSpec(inputShape: graph.inputShape, layers: [])))
    self.init(model: SummaryModel(walk: walk, label: graph.name), layer: node)
  }

  /// The row showing layer `layer` of the sequential spec (or node `layer` of a graph).
  func rowIndex(ofLayer layer: Int) -> Int {
    model.walk.rows.firstIndex { $0.index == layer && !$0.isInput } ?? 0
  }

  public var id: String { "summary" }
  /// While the picker is open, q and Esc close it (not the screen).
  public var capturesAllKeys: Bool { picker != nil }
  var walk: SummaryWalk { model.walk }
  var current: SummaryWalk.Row { walk.rows[row] }

  public func title(_ env: Env) -> String { env.t(T.lessonSummary) }

  public func status(_ env: Env) -> String {
    guard !walk.rows.isEmpty else { return model.label }
    return model.label + "  " + env.t(T.sumLayerOf, row + 1, walk.rows.count)
  }

  // MARK: update

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    guard case .key(let key) = msg else { return .none }
    if picker != nil { return updatePicker(key) }
    guard !walk.rows.isEmpty else { return key == .char("m") ? openPicker() : .ignored }
    notice = nil
    noMapsNotice = false
    let last = walk.rows.count - 1
    switch key {
    case .down: row = min(row + 1, last)
    case .up: row = max(row - 1, 0)
    case .pageDown: row = min(row + 10, last)
    case .pageUp: row = max(row - 10, 0)
    case .home: row = 0
    case .end: row = last
    case .char("t"):
      guard !current.isInput else { return .none }
      do { try model.walk.setTrainable(!current.trainable, row: row) } catch { notice = String(describing: error) }
    case .char("m"):
      return openPicker()
    case .char("v"):
      if model.hasActivations {
        showMaps.toggle()
      } else {
        notice = model.problem
        noMapsNotice = model.problem == nil
        showMaps = false
      }
    default:
      return .ignored
    }
    return .none
  }

  private mutating func openPicker() -> Effect {
    picker = SummaryModels.all.firstIndex { $0.name == model.label } ?? 0
    return .none
  }

  private mutating func updatePicker(_ key: Key) -> Effect {
    let all = SummaryModels.all
    guard var i = picker else { return .none }
    switch key {
    case .down: i = min(i + 1, all.count - 1)
    case .up: i = max(i - 1, 0)
    case .pageDown: i = min(i + 10, all.count - 1)
    case .pageUp: i = max(i - 10, 0)
    case .home: i = 0
    case .end: i = all.count - 1
    case .escape, .char("q"), .char("m"):
      picker = nil
      return .none
    case .enter:
      picker = nil
      let choice = all[i]
      do {
        model = choice.name == "digits" && image != nil
          ? try SummaryModels.digitsModel(image: image, imageName: imageName) : try choice.load()
        row = 0
        showMaps = false
        notice = model.problem
      } catch {
        notice = String(describing: error)
      }
      return .none
    default:
      return .ignored
    }
    picker = i
    return .none
  }

  public func hints(_ env: Env) -> [KeyHint] {
    if picker != nil {
      return [
        KeyHint("↑↓", env.t(T.keyChoose)), KeyHint("PgUp/PgDn", env.t(T.keySumPage)),
        KeyHint("Home/End", env.t(T.keyFirstLast)), KeyHint("Enter", env.t(T.keyOpen)),
        KeyHint("Esc/q/m", env.t(T.keyBack)),
      ]
    }
    return [
      KeyHint("↑↓", env.t(T.keySumLayer)), KeyHint("PgUp/PgDn", env.t(T.keySumPage)),
      KeyHint("Home/End", env.t(T.keyFirstLast)), KeyHint("t", env.t(T.keySumFreeze)),
      KeyHint("m", env.t(T.keySumModel)), KeyHint("v", env.t(T.keySumMaps)),
    ]
  }

  public func helpText(_ env: Env) -> [String] {
    [env.t(T.helpSummary1), env.t(T.helpSummary2), env.t(T.helpSummary3)]
  }

  // MARK: view

  /// Wide enough for the table and a side panel; narrower terminals put the panel below.
  static let sideBySideWidth = 118

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    if let picker {
      drawPicker(picker, into: &canvas, area: area, env: env)
      return
    }
    guard !walk.rows.isEmpty else { return }
    if showMaps && model.hasActivations {
      drawMapsView(into: &canvas, rect: area, env: env)
      return
    }
    // Frame, a column for the current row's marker, Keras's line.
    let tableWidth = walk.lineLength() + 3
    if area.width >= SummaryScreen.sideBySideWidth {
      // A short model leaves room under its table: the feature maps go there, full width.
      let needed = walk.rows.count + 8
      let mapsBelow = model.hasActivations && area.height - needed >= 10
      let table = Rect(x: area.x + 1, y: area.y, width: tableWidth, height: mapsBelow ? needed : area.height)
      drawTable(into: &canvas, rect: table, env: env)
      if mapsBelow {
        drawActivations(into: &canvas, rect: Rect(x: table.x + 1, y: table.maxY + 1, width: tableWidth - 1, height: area.maxY - table.maxY - 1), env: env)
      }
      let side = Rect(x: table.maxX + 1, y: area.y, width: area.maxX - table.maxX - 2, height: area.height)
      drawSidePanel(into: &canvas, rect: side, mapsInside: !mapsBelow, env: env)
    } else {
      // The rule, the flow and the facts (a notice or the maps hint may take one more line).
      // Facts that wrap (an Add's or Concatenate's inputs) take their lines too.
      let all = facts(env: env)
      let labelWidth = all.map(\.label.count).max() ?? 0
      let factLines = all.reduce(0) { $0 + max(1, wrapText($1.value, width: area.width - labelWidth - 4).count) }
      let lines = 2 + factLines + (model.hasActivations || noticeText(env) != nil ? 1 : 0)
      let detailHeight = max(area.height >= 27 ? 7 : 6, min(lines, 8))
      let table = Rect(
        x: area.x + max(0, (area.width - tableWidth) / 2), y: area.y, width: min(tableWidth, area.width),
        height: area.height - detailHeight)
      drawTable(into: &canvas, rect: table, env: env)
      drawDetails(into: &canvas, rect: Rect(x: area.x, y: table.maxY, width: area.width, height: detailHeight), env: env)
    }
  }

  /// The Keras table in a frame titled `Model: "name"`, the current row highlighted and kept in
  /// view, frozen layers in their own colour, the totals at the bottom.
  private func drawTable(into canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    canvas.box(rect, title: "Model: \"\(walk.name)\"", style: theme.border, titleStyle: theme.panelTitle)
    // The model's input beside the title, coloured by channel.
    let titleEnd = rect.x + 3 + "Model: \"\(walk.name)\"".count
    canvas.put(" ", x: titleEnd, y: rect.y)
    let end = drawShape(walk.inputShape, colourTag: true, x: titleEnd + 1, y: rect.y, into: &canvas, env: env, plain: theme.muted)
    canvas.put(" ", x: end, y: rect.y)
    let inner = rect.inset(1)
    let w = walk.lineLength()
    var y = inner.y
    canvas.put(walk.headerLine(), x: inner.x + 1, y: y, style: theme.panelTitle, maxWidth: inner.width - 1)
    y += 1
    canvas.put(String(repeating: "=", count: w), x: inner.x + 1, y: y, style: theme.border, maxWidth: inner.width - 1)
    y += 1
    let totals = SummaryText.totals(walk.totals)
    let footer = 1 + totals.count
    let visible = max(1, inner.maxY - y - footer)
    let first = min(max(0, row - visible / 2), max(0, walk.rows.count - visible))
    for i in first..<min(walk.rows.count, first + visible) {
      let r = walk.rows[i]
      let frozen = !r.trainable && r.parameters.total > 0
      let style = i == row ? theme.selected : frozen ? theme.padding : theme.text
      canvas.put(i == row ? (canvas.unicode ? "▸" : ">") : " ", x: inner.x, y: y, style: i == row ? theme.emphasis : style)
      canvas.put(walk.tableLine(i).padding(to: inner.width - 1), x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 1)
      y += 1
    }
    if walk.rows.count > visible {
      let note = " \(first + 1)-\(min(walk.rows.count, first + visible))/\(walk.rows.count) "
      canvas.put(note, x: rect.maxX - note.count - 1, y: rect.maxY - 1, style: theme.muted)
    }
    y = inner.maxY - footer
    canvas.put(String(repeating: "=", count: w), x: inner.x + 1, y: y, style: theme.border, maxWidth: inner.width - 1)
    for (k, line) in totals.enumerated() {
      // Non-trainable params in the frozen colour when there are any.
      let style = k == 2 && walk.totals.nonTrainable > 0 ? theme.padding : theme.emphasis
      canvas.put(line, x: inner.x + 1, y: y + 1 + k, style: style, maxWidth: inner.width - 1)
    }
  }

  func noticeText(_ env: Env) -> String? {
    if noMapsNotice { return env.t(T.sumNoMaps) }
    return notice.map { env.t(T.sumProblem, $0) }
  }

  /// `224 x 224 x 3` and, for a picture's channels, `RGB` in the channel colours or `gray`.
  @discardableResult
  private func drawShape(
    _ shape: FeatureShape, colourTag: Bool, x: Int, y: Int, into canvas: inout Canvas, env: Env, plain: Style? = nil
  ) -> Int {
    let theme = env.theme
    var x = canvas.put(shapeText(shape), x: x, y: y, style: plain ?? theme.emphasis)
    guard colourTag, shape.count == 3 else { return x }
    if shape[2] == 3 {
      x = canvas.put(" ", x: x, y: y)
      for (i, c) in ["R", "G", "B"].enumerated() { x = canvas.put(c, x: x, y: y, style: theme.channels[i]) }
    } else if shape[2] == 1 {
      x = canvas.put(" " + env.t(T.sumGray), x: x, y: y, style: theme.muted)
    }
    return x
  }

  func shapeText(_ shape: FeatureShape) -> String { shape.map(String.init).joined(separator: " x ") }

  /// What the layer does, in Keras's words: `Conv2D 3x3, 64 filters, strides 1, same`.
  func operation(_ r: SummaryWalk.Row, env: Env) -> String {
    func size(_ rows: Int, _ cols: Int) -> String { "\(rows)x\(cols)" }
    // Keras's defaults (strides 1, padding valid, no activation) are left out, as in Keras code.
    func strides(_ rows: Int, _ cols: Int) -> String? {
      rows == 1 && cols == 1 ? nil : "strides " + (rows == cols ? "\(rows)" : size(rows, cols))
    }
    func padding(_ p: Padding) -> String? { p == .valid ? nil : p.description }
    switch r.layer {
    case let c as Conv2D:
      let (k, s) = (c.kernelSize, c.strides)
      var parts = ["Conv2D " + size(k.rows, k.cols), env.t(T.sumFilters, c.filters), strides(s.rows, s.cols), padding(c.padding)]
        .compactMap { $0 }
      if c.dilation != Size2(1) {
        parts.append("dilation " + (c.dilation.rows == c.dilation.cols ? "\(c.dilation.rows)" : size(c.dilation.rows, c.dilation.cols)))
      }
      if c.activation != .linear { parts.append(c.activation.rawValue) }
      return parts.joined(separator: ", ")
    case let p as MaxPooling2D:
      return pooling(p.options)
    case let p as AveragePooling2D:
      return pooling(p.options)
    case let d as Dense:
      return "Dense, " + env.t(T.sumUnits, NumberText.grouped(d.units)) + (d.activation != .linear ? ", " + d.activation.rawValue : "")
    case let d as Dropout:
      return "Dropout " + NumberText.format(d.rate)
    case let a as ActivationLayer:
      return "Activation " + a.activation.rawValue
    case let d as DepthwiseConv2D:
      let (k, s) = (d.kernelSize, d.strides)
      return ["DepthwiseConv2D " + size(k.rows, k.cols), strides(s.rows, s.cols), padding(d.padding)].compactMap { $0 }
        .joined(separator: ", ")
    case let d as SeparableConv2D:
      let (k, s) = (d.kernelSize, d.strides)
      return ["SeparableConv2D " + size(k.rows, k.cols), env.t(T.sumFilters, d.filters), strides(s.rows, s.cols), padding(d.padding)]
        .compactMap { $0 }.joined(separator: ", ")
    case let d as Conv2DTranspose:
      let (k, s) = (d.kernelSize, d.strides)
      return ["Conv2DTranspose " + size(k.rows, k.cols), env.t(T.sumFilters, d.filters), strides(s.rows, s.cols), padding(d.padding)]
        .compactMap { $0 }.joined(separator: ", ")
    case let z as ZeroPadding2D:
      return "ZeroPadding2D \(z.top), \(z.bottom), \(z.left), \(z.right)"
    case let relu as ReLU:
      return "ReLU" + (relu.maxValue.map { " max " + NumberText.format($0) } ?? "")
    default:
      return r.kerasClass
    }
    /// Pooling's strides default to the pool size.
    func pooling(_ o: PoolingOptions) -> String {
      let (k, s) = (o.poolSize, o.strides)
      let st = s == k ? nil : "strides " + size(s.rows, s.cols)
      return [r.kerasClass + " " + size(k.rows, k.cols), st, padding(o.padding)].compactMap { $0 }.joined(separator: ", ")
    }
  }

  /// A layer without a size formula: whether it keeps its input's shape, or how it sets one
  /// (a Dense layer: one value per unit, 43264 -> 10). Never "keeps" when the shape changes.
  static func shapeChange(_ r: SummaryWalk.Row, env: Env) -> String {
    guard let input = r.inputShapes.first, input != r.outputShape else { return env.t(T.sumKeepsShape) }
    let change = ShapeText.compact(input) + " -> " + ShapeText.compact(r.outputShape)
    switch r.layer {
    case let dense as Dense: return env.t(T.sumDenseShape, change, dense.units)
    case is GlobalAveragePooling2D, is GlobalMaxPooling2D: return env.t(T.sumGlobalPoolShape, change)
    default: return env.t(T.sumSetsShape, change)
    }
  }

  /// Label and value lines for the current layer (output size, parameters, fed by).
  private func facts(env: Env) -> [(label: String, value: String, style: Style)] {
    let theme = env.theme
    let r = current
    var out: [(String, String, Style)] = []
    if r.isInput {
      out.append((env.t(T.sumOutputSize), env.t(T.sumModelInput), theme.text))
      return out
    }
    out.append((env.t(T.sumOutputSize), r.shapeFormula ?? Self.shapeChange(r, env: env), theme.emphasis))
    out.append((env.t(T.sumParams), r.parameterFormula, theme.emphasis))
    let state: String
    if r.parameters.total == 0 {
      state = env.t(T.sumNoWeights)
    } else if r.trainable {
      state = env.t(T.sumTrainable)
        + (r.parameters.nonTrainable > 0 ? "; " + env.t(T.sumNonTrainableCount, env.count(r.parameters.nonTrainable)) : "")
    } else {
      state = env.t(T.sumFrozen)
    }
    out.append((env.t(T.sumTrainableLabel), state, !r.trainable && r.parameters.total > 0 ? theme.padding : theme.text))
    if !r.inputs.isEmpty {
      let fed = zip(r.inputs, r.inputShapes).map { "\($0) (\(shapeText($1)))" }.joined(separator: ", ")
      out.append((env.t(T.sumFedBy), fed, theme.text))
    }
    if isBranchPoint(r) { out.append((env.t(T.sumFeeds), r.outputs.joined(separator: ", "), theme.text)) }
    return out
  }

  /// True where the graph forks or joins after this layer: it feeds several layers (ResNet's
  /// block input feeds the shortcut and the block), or one that joins branches (Add, Concatenate).
  func isBranchPoint(_ r: SummaryWalk.Row) -> Bool {
    guard walk.isGraph else { return false }
    if r.outputs.count > 1 { return true }
    return r.outputs.contains { name in walk.rows.first { $0.name == name }.map { $0.inputs.count > 1 } ?? false }
  }

  /// Below the table (small terminals): a title rule, the flow in one line, then the facts.
  private func drawDetails(into canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    let r = current
    let rule = canvas.unicode ? "─" : "-"
    var y = rect.y
    canvas.put(String(repeating: rule, count: rect.width - 2), x: rect.x + 1, y: y, style: theme.border)
    canvas.put(" \(r.name) (\(r.kerasClass)) ", x: rect.x + 3, y: y, style: theme.panelTitle, maxWidth: rect.width - 6)
    y += 1
    if let text = noticeText(env) {
      for l in wrapText(text, width: rect.width - 2).prefix(2) {
        canvas.put(l, x: rect.x + 1, y: y, style: theme.error, maxWidth: rect.width - 2)
        y += 1
      }
    }
    drawFlowLine(r, x: rect.x + 1, y: y, width: rect.width - 2, into: &canvas, env: env)
    y += 1
    let labelWidth = facts(env: env).map(\.label.count).max() ?? 0
    for f in facts(env: env) where y < rect.maxY {
      canvas.put(f.label, x: rect.x + 1, y: y, style: theme.muted)
      let room = rect.width - labelWidth - 4
      let lines = wrapText(f.value, width: room)
      for (k, l) in lines.enumerated() where y < rect.maxY {
        canvas.put(l, x: rect.x + 3 + labelWidth, y: y, style: f.style, maxWidth: room)
        if k < lines.count - 1 { y += 1 }
      }
      y += 1
    }
    if model.hasActivations, y < rect.maxY {
      canvas.put(env.t(T.sumMapsHint), x: rect.x + 1, y: y, style: theme.muted, maxWidth: rect.width - 2)
    }
  }

  /// `224 x 224 x 3 ──► Conv2D 3x3, 64 filters, strides 1, same ──► 224 x 224 x 64`.
  private func drawFlowLine(_ r: SummaryWalk.Row, x: Int, y: Int, width: Int, into canvas: inout Canvas, env: Env) {
    let theme = env.theme
    let arrow = canvas.unicode ? " ──► " : " --> "
    var cx = x
    if r.isInput {
      drawShape(r.outputShape, colourTag: true, x: cx, y: y, into: &canvas, env: env)
      return
    }
    let isModelInput = r.inputs.isEmpty || walk.rows.first(where: { $0.name == r.inputs[0] })?.isInput == true
    if r.inputShapes.count == 1 {
      cx = drawShape(r.inputShapes[0], colourTag: isModelInput, x: cx, y: y, into: &canvas, env: env, plain: theme.text)
    } else if r.inputShapes.count == 2 {
      cx = canvas.put(shapeText(r.inputShapes[0]) + " + " + shapeText(r.inputShapes[1]), x: cx, y: y, style: theme.text)
    } else {
      cx = canvas.put(env.t(T.sumInputCount, r.inputShapes.count), x: cx, y: y, style: theme.text)
    }
    cx = canvas.put(arrow, x: cx, y: y, style: theme.border)
    let out = shapeText(r.outputShape)
    let room = max(4, x + width - cx - arrow.count - out.count)
    cx = canvas.put(operation(r, env: env), x: cx, y: y, style: theme.panelTitle, maxWidth: room)
    cx = canvas.put(arrow, x: cx, y: y, style: theme.border)
    canvas.put(out, x: cx, y: y, style: theme.emphasis)
  }

  /// Beside the table (wide terminals): the layer, its flow drawn top to bottom, the facts,
  /// and the feature maps when the model has them.
  private func drawSidePanel(into canvas: inout Canvas, rect: Rect, mapsInside: Bool, env: Env) {
    let theme = env.theme
    let r = current
    canvas.box(rect, title: "\(r.name) (\(r.kerasClass))", style: theme.border, titleStyle: theme.panelTitle)
    let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    var y = inner.y
    if let text = noticeText(env) {
      for l in wrapText(text, width: inner.width) where y < inner.maxY {
        canvas.put(l, x: inner.x, y: y, style: theme.error, maxWidth: inner.width)
        y += 1
      }
    }
    let down = canvas.unicode ? "│" : "|"
    let head = canvas.unicode ? "▼" : "v"
    // In: one shape per input.
    if r.isInput {
      drawShape(r.outputShape, colourTag: true, x: inner.x + 2, y: y, into: &canvas, env: env)
      y += 2
    } else {
      let isModelInput = r.inputs.isEmpty || walk.rows.first(where: { $0.name == r.inputs[0] })?.isInput == true
      for s in r.inputShapes.prefix(4) {
        drawShape(s, colourTag: isModelInput, x: inner.x + 2, y: y, into: &canvas, env: env, plain: theme.text)
        y += 1
      }
      if r.inputShapes.count > 4 {
        canvas.put("+\(r.inputShapes.count - 4)", x: inner.x + 2, y: y, style: theme.muted)
        y += 1
      }
      canvas.put(down, x: inner.x + 4, y: y, style: theme.border)
      y += 1
      for l in wrapText(operation(r, env: env), width: inner.width - 7) where y < inner.maxY {
        canvas.put(down, x: inner.x + 4, y: y, style: theme.border)
        canvas.put(l, x: inner.x + 7, y: y, style: theme.panelTitle, maxWidth: inner.width - 7)
        y += 1
      }
      canvas.put(head, x: inner.x + 4, y: y, style: theme.border)
      y += 1
      canvas.put(shapeText(r.outputShape), x: inner.x + 2, y: y, style: theme.emphasis, maxWidth: inner.width - 2)
      y += 2
    }
    for f in facts(env: env) where y < inner.maxY {
      canvas.put(f.label, x: inner.x, y: y, style: theme.muted)
      y += 1
      for l in wrapText(f.value, width: inner.width - 2) where y < inner.maxY {
        canvas.put(l, x: inner.x + 2, y: y, style: f.style, maxWidth: inner.width - 2)
        y += 1
      }
    }
    if !mapsInside || !model.hasActivations {
      if inner.maxY - y >= 5 { drawVolumes(into: &canvas, rect: Rect(x: inner.x, y: y + 1, width: inner.width, height: inner.maxY - y - 1), env: env) }
      return
    } else if model.hasActivations, inner.maxY - y >= 6 {
      y += 1
      drawActivations(into: &canvas, rect: Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y), env: env)
    } else if model.hasActivations, y < inner.maxY {
      canvas.put(env.t(T.sumMapsHint), x: inner.x, y: inner.maxY - 1, style: theme.muted, maxWidth: inner.width)
    }
  }

  /// The shapes flowing through the model: each layer's output as H x W x C and the number of
  /// values it holds, a bar on a log scale, the current layer marked and kept in view.
  private func drawVolumes(into canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    canvas.put(env.t(T.sumVolumesTitle), x: rect.x, y: rect.y, style: theme.muted, maxWidth: rect.width)
    let visible = rect.height - 1
    guard visible > 0 else { return }
    let sizes = walk.rows.map { $0.outputShape.reduce(1, *) }
    // Log scale from the smallest layer to the largest: VGG16 spans 1,000 to 3,211,264 values.
    let low = log(Double(max(1, sizes.min() ?? 1)))
    let span = max(1e-9, log(Double(max(1, sizes.max() ?? 1))) - low)
    let first = min(max(0, row - visible / 2), max(0, walk.rows.count - visible))
    let shapeWidth = walk.rows.map { ShapeText.compact($0.outputShape).count }.max() ?? 8
    let numberWidth = sizes.map { NumberText.grouped($0).count }.max() ?? 4
    let barWidth = max(1, rect.width - shapeWidth - numberWidth - 4)
    for (k, i) in (first..<min(walk.rows.count, first + visible)).enumerated() {
      let y = rect.y + 1 + k
      let mine = i == row
      var x = canvas.put(mine ? (canvas.unicode ? "▸" : ">") : " ", x: rect.x, y: y, style: theme.emphasis)
      x = canvas.put(ShapeText.compact(walk.rows[i].outputShape).padding(to: shapeWidth + 1), x: x, y: y,
                     style: mine ? theme.emphasis : theme.text)
      x = canvas.put(NumberText.grouped(sizes[i]).leftPadded(to: numberWidth) + " ", x: x, y: y, style: theme.muted)
      let fraction = (log(Double(max(1, sizes[i]))) - low) / span
      let n = max(1, Int((fraction * Double(barWidth - 1)).rounded()) + 1)
      canvas.put(String(repeating: canvas.unicode ? "▬" : "=", count: n), x: x, y: y, style: mine ? theme.emphasis : theme.done)
    }
  }

  /// `v`: the current layer in one line, then the input picture and the layer's feature maps.
  private func drawMapsView(into canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    var y = rect.y + 1
    let x = canvas.put("\(current.name) (\(current.kerasClass))  ", x: rect.x + 1, y: y, style: theme.panelTitle)
    canvas.put(env.t(T.sumLayerOf, row + 1, walk.rows.count), x: x, y: y, style: theme.muted)
    y += 1
    drawFlowLine(current, x: rect.x + 1, y: y, width: rect.width - 2, into: &canvas, env: env)
    y += 2
    drawActivations(into: &canvas, rect: Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: rect.maxY - y), env: env)
  }

  /// The input picture, then what the current layer made of it: its first feature maps as
  /// gray pictures (the training dashboard's `drawPlane`), or a flat layer's largest values.
  private func drawActivations(into canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    guard rect.height >= 3 else { return }
    var y = rect.y
    // The input picture on the left (its caption above), the layer's output beside it.
    var x0 = rect.x
    if let picture = model.input {
      canvas.put(env.t(T.sumInputPicture, inputNoteText(env)), x: rect.x, y: y, style: theme.muted, maxWidth: rect.width)
      y += 1
      let rows = min(7, rect.maxY - y)
      let v = Viewport(width: picture.width, height: picture.height, paneCols: 2 * rows, paneRows: rows, zoom: 1, cursor: (0, 0))
      drawPicture(picture, viewport: v, at: (x: rect.x, y: y), cursor: nil, canvas: &canvas, colored: theme.colored)
      x0 = rect.x + v.cols + 2
    }
    y += 1
    guard let index = current.index, !current.isInput, index < model.activations.count else { return }
    switch model.activations[index] {
    case .maps(let planes, let channels, let h, let w):
      guard let firstPlane = planes.first else { return }
      let step = max(1, (firstPlane.width + 13) / 14)
      let size = planeSize(firstPlane, step: step)
      let perLine = max(1, (rect.maxX - x0 + 1) / (size.width + 1))
      let lines = max(1, (rect.maxY - y + 1) / (size.height + 1))
      // The title counts the maps drawn, not the ones computed.
      let drawn = min(planes.count, perLine * lines)
      canvas.put(env.t(T.sumMapsTitle, drawn, channels, "\(h) x \(w)"), x: x0, y: y - 1, style: theme.panelTitle,
                 maxWidth: rect.maxX - x0)
      for (k, p) in planes.prefix(perLine * lines).enumerated() {
        let low = min(0, p.values.min() ?? 0)
        var high = p.values.max() ?? 1
        if high <= low { high = low + 1 }
        drawPlane(p, x: x0 + (k % perLine) * (size.width + 1), y: y + (k / perLine) * (size.height + 1), step: step,
                  low: low, high: high, canvas: &canvas, theme: theme)
      }
    case .values(let values):
      let isLast = index == model.activations.count - 1
      canvas.put(isLast ? env.t(T.sumTopClasses) : env.t(T.sumValuesTitle, NumberText.grouped(values.count)),
                 x: x0, y: y - 1, style: theme.panelTitle, maxWidth: rect.maxX - x0)
      let top = values.indices.sorted { values[$0] > values[$1] }.prefix(max(1, min(10, rect.maxY - y)))
      // The file's class names (ImageNet's for an imported VGG16), else the unit's index.
      let names = isLast ? model.classNames.flatMap { $0.count == values.count ? $0 : nil } : nil
      let labelWidth = names.map { n in min(18, top.map { n[$0].count }.max() ?? 5) + 1 } ?? 5
      let barWidth = max(4, min(30, rect.maxX - x0 - 13 - labelWidth))
      let largest = max(values[top.first!], 1e-6)
      // A softmax's outputs are probabilities: fixed decimals, never 7.98e-10.
      let total = values.reduce(0, +)
      let areProbabilities = isLast && values.allSatisfy { $0 >= 0 && $0 <= 1 } && abs(total - 1) < 1e-3
      for i in top where y < rect.maxY {
        let label = names.map { String($0[i].prefix(labelWidth - 1)).padding(to: labelWidth) }
          ?? (isLast ? "\(i)" : "#\(i)").leftPadded(to: 5)
        let value = (areProbabilities ? NumberText.probability(values[i]) : NumberText.significant(Double(values[i]), digits: 3))
          .leftPadded(to: 9)
        let bar = progressBar(Double(max(0, values[i]) / largest), width: barWidth, unicode: canvas.unicode)
        var x = canvas.put(label, x: x0, y: y, style: theme.text)
        x = canvas.put(value + " ", x: x, y: y, style: theme.emphasis)
        canvas.put(bar, x: x, y: y, style: theme.done, maxWidth: rect.maxX - x)
        y += 1
      }
    }
  }

  private func inputNoteText(_ env: Env) -> String {
    switch model.inputNote {
    case "drawn 7": return env.t(T.sumDrawnSeven)
    case "sample picture": return env.t(T.sumSamplePicture)
    case let name?: return name
    case nil: return ""
    }
  }

  /// `m`: the models to choose from, with their input shapes and totals.
  private func drawPicker(_ selected: Int, into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let all = SummaryModels.all
    let rect = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: area.height)
    canvas.box(rect, title: env.t(T.sumPickerTitle), style: theme.border, titleStyle: theme.panelTitle)
    // One row per model (name, input, parameters); the chosen model's description, wrapped,
    // under the list: a row has no room for it at 80 columns.
    let about = wrapText(all[selected].summary(in: env.lang), width: rect.width - 4).prefix(3)
    let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 4 - about.count)
    let nameWidth = all.map(\.name.count).max() ?? 8
    let visible = max(1, inner.height)
    let first = min(max(0, selected - visible / 2), max(0, all.count - visible))
    for (k, i) in (first..<min(all.count, first + visible)).enumerated() {
      let c = all[i]
      let line = c.name.padding(to: nameWidth + 2) + ShapeText.compact(c.input).padding(to: 11)
        + NumberText.grouped(c.total).leftPadded(to: 12)
      canvas.put(line.padding(to: inner.width), x: inner.x, y: inner.y + k, style: i == selected ? theme.selected : theme.text,
                 maxWidth: inner.width)
    }
    for (k, l) in about.enumerated() {
      canvas.put(l, x: inner.x, y: inner.maxY + 1 + k, style: theme.emphasis, maxWidth: inner.width)
    }
    canvas.put(env.t(T.sumPickerHint), x: inner.x, y: rect.maxY - 2, style: theme.muted, maxWidth: inner.width)
  }
}
