import ConvKit
import ConvTerminal

/// Convolution over a colour image: three input channels, a filter with one kernel per channel,
/// per-channel partial sums plus the bias, and several filters stacking into an output of
/// depth F. The parameter count comes from ConvKit's LayerSpec (Keras's rule).
public struct RGBScreen: Screen {
  /// `[3, H, W]`, as typed: whole numbers exact up to 2^53, as `convplay step` keeps them.
  public private(set) var input: ExactTensor
  /// Each `[3, K, K]`, as typed.
  public private(set) var filters: [ExactTensor]
  public private(set) var biases: [Double]
  /// How many of `filters` are used (1...filters.count).
  public private(set) var filterCount: Int
  var clock = StepClock()
  var editor: CellEditor?
  var rng = SplitMix64(seed: 3_2026)
  var notice: Tr?
  /// A typed number the command line refuses too, as the engine words it (see CellEditor).
  var refusal: String?
  public private(set) var traces: [StepTrace] = []
  public private(set) var geometryError: GeometryError?

  static let channelNames = ["R", "G", "B"]

  /// The 5x5x3 example of examples/matrices/rgb-5x5.txt.
  public static let exampleInput = Tensor(channels: [
    [[1, 0, 2, 1, 0], [0, 1, 3, 1, 2], [2, 1, 0, 0, 1], [1, 2, 1, 3, 0], [0, 1, 2, 1, 1]],
    [[2, 1, 0, 1, 2], [1, 0, 1, 2, 1], [0, 2, 1, 1, 0], [1, 1, 0, 2, 1], [2, 0, 1, 0, 2]],
    [[0, 1, 1, 0, 1], [1, 2, 0, 1, 0], [1, 0, 2, 1, 1], [0, 1, 1, 0, 2], [1, 1, 0, 2, 0]],
  ])

  /// Filter 1 is examples/kernels/rgb-3x3x3.txt (vertical edges in R, a Laplacian in G,
  /// horizontal edges in B) with bias 1; the others show other ways to mix channels.
  public static let exampleFilters: [(Tensor, Float)] = [
    (Tensor(channels: [
      [[1, 0, -1], [1, 0, -1], [1, 0, -1]], [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
      [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
    ]), 1),
    // The sum of the three channels at each pixel: brightness.
    (Tensor(channels: [[[0, 0, 0], [0, 1, 0], [0, 0, 0]], [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
                       [[0, 0, 0], [0, 1, 0], [0, 0, 0]]]), 0),
    // Red minus blue.
    (Tensor(channels: [[[0, 0, 0], [0, 1, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
                       [[0, 0, 0], [0, -1, 0], [0, 0, 0]]]), 0),
    // Horizontal edges in green only.
    (Tensor(channels: [[[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
                       [[0, 0, 0], [0, 0, 0], [0, 0, 0]]]), -1),
  ]

  public init(input: ExactTensor = ExactTensor(RGBScreen.exampleInput), firstFilter: ExactTensor? = nil,
              firstBias: Double? = nil, filterCount: Int = 2) {
    self.input = input
    var filters = RGBScreen.exampleFilters.map { ExactTensor($0.0) }
    var biases = RGBScreen.exampleFilters.map { Double($0.1) }
    if let firstFilter {
      filters[0] = firstFilter
      // The other examples are 3x3: a different kernel size replaces them with zeros.
      for i in 1..<filters.count where filters[i].shape != firstFilter.shape {
        filters[i] = ExactTensor(zeros: firstFilter.shape)
      }
    }
    if let firstBias { biases[0] = firstBias }
    self.filters = filters
    self.biases = biases
    self.filterCount = min(max(1, filterCount), filters.count)
    rebuild()
  }

  public var id: String { "rgb" }
  public var tickInterval: Double? { clock.interval }
  public var capturesAllKeys: Bool { editor != nil }
  public var stepIndex: Int { clock.index }
  var cellsPerFilter: Int { traces.first?.steps.count ?? 0 }
  var totalSteps: Int { cellsPerFilter * traces.count }

  /// The filter and output cell of the current step.
  public var current: (filter: Int, step: Step)? {
    guard cellsPerFilter > 0, clock.index < totalSteps else { return nil }
    let f = clock.index / cellsPerFilter
    return (f, traces[f].steps[clock.index % cellsPerFilter])
  }

  /// Keras's Conv2D with these filters, on this input (shape and parameters).
  public var layer: LayerSpec {
    LayerSpec(Conv2D(filters: filterCount, kernelSize: Size2(filters[0].shape[1], filters[0].shape[2])))
  }
  public var inputShape: FeatureShape { [input.shape[1], input.shape[2], input.shape[0]] }

  private mutating func rebuild() {
    do {
      let g = try WindowGeometry(
        inputRows: input.shape[1], inputCols: input.shape[2],
        kernelRows: filters[0].shape[1], kernelCols: filters[0].shape[2], padding: .valid)
      traces = (0..<filterCount).map { f in
        StepTrace.convolution(input: input, kernel: filters[f], geometry: g, bias: biases[f])
      }
      geometryError = nil
    } catch {
      traces = []
      geometryError = error as? GeometryError
    }
    clock.clamp(totalSteps)
  }

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    notice = nil
    refusal = nil
    if case .key(let key) = msg, editor != nil { return edit(key) }
    if clock.handle(msg, count: totalSteps) { return .none }
    guard case .key(let key) = msg else { return .ignored }
    switch key {
    case .char("]"):
      guard filterCount < filters.count else { notice = T.filterLimits; return .none }
      filterCount += 1
    case .char("["):
      guard filterCount > 1 else { notice = T.filterLimits; return .none }
      filterCount -= 1
    case .char("b"), .char("B"):
      let f = current?.filter ?? 0
      biases[f] += key == .char("b") ? 1 : -1
    case .char("r"):
      input = input.randomized(in: 0...9, using: &rng)
    case .char("e"):
      let t = current?.step.terms.first { !$0.isPadding }
      editor = CellEditor(target: 0, row: t?.inputRow ?? 0, col: t?.inputCol ?? 0)
    default:
      return .ignored
    }
    rebuild()
    return .none
  }

  /// Editable matrices: the three input channels, then the current filter's three kernels.
  private mutating func edit(_ key: Key) -> Effect {
    guard var e = editor else { return .none }
    let f = current?.filter ?? 0
    let inShape = (rows: input.shape[1], cols: input.shape[2])
    let kShape = (rows: filters[f].shape[1], cols: filters[f].shape[2])
    switch e.handle(key, shapes: [inShape, inShape, inShape, kShape, kShape, kShape]) {
    case .exit: editor = nil; return .none
    case .invalid: notice = T.notANumber
    case .refused(let line): refusal = line
    case .store(let v):
      if e.target < 3 { input[e.target, e.row, e.col] = v } else { filters[f][e.target - 3, e.row, e.col] = v }
      rebuild()
    case .none: break
    case .unused: return .ignored
    }
    editor = e
    return .none
  }

  public func title(_ env: Env) -> String { env.t(T.lessonRGB) }
  public func status(_ env: Env) -> String { clock.status(env, count: totalSteps) }

  public func hints(_ env: Env) -> [KeyHint] {
    if editor != nil { return editorHints(env, tabTargets: env.t(T.channelTargets)) }
    return clock.hints(env) + [
      KeyHint("[ ]", env.t(T.keyFilters)), KeyHint("b/B", env.t(T.keyBias)),
      KeyHint("e", env.t(T.keyEdit)), KeyHint("r", env.t(T.keyRandom)),
    ]
  }

  public func helpText(_ env: Env) -> [String] { [env.t(T.helpRGB1), env.t(T.helpRGB2)] }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let cur = current
    let f = cur?.filter ?? 0
    var inWindow = Set<Int>()
    for t in cur?.step.terms ?? [] where !t.isPadding { inWindow.insert(t.inputRow * 100 + t.inputCol) }
    let edit = editor
    let inCW = max(cellWidth(input.values), edit?.buffer.count ?? 0)
    var panels: [MatrixPanel] = []
    for c in 0..<3 {
      panels.append(MatrixPanel(
        title: env.t(T.inputWord) + " " + RGBScreen.channelNames[c], rows: input.shape[1], cols: input.shape[2],
        cellWidth: inCW,
        cell: { r, col in
          if let e = edit, e.target == c, e.row == r, e.col == col {
            return (e.buffer.isEmpty ? NumberText.format(input[c, r, col]) : e.buffer, theme.cursor)
          }
          let hit = inWindow.contains(r * 100 + col)
          return (NumberText.format(input[c, r, col]), hit ? theme.window : theme.channels[c])
        },
        focus: edit.flatMap { $0.target == c ? ($0.row, $0.col) : nil }, titleStyle: theme.channels[c], margin: 0))
    }
    let k = filters[f]
    for c in 0..<3 {
      panels.append(MatrixPanel(
        title: "K\(f + 1) " + RGBScreen.channelNames[c], rows: k.shape[1], cols: k.shape[2],
        cellWidth: max(cellWidth(k.values), edit?.buffer.count ?? 0),
        cell: { r, col in
          if let e = edit, e.target == c + 3, e.row == r, e.col == col {
            return (e.buffer.isEmpty ? NumberText.format(k[c, r, col]) : e.buffer, theme.cursor)
          }
          return (NumberText.format(k[c, r, col]), theme.emphasis)
        },
        titleStyle: theme.channels[c], margin: 0))
    }
    let perFilter = cellsPerFilter
    let outCW = traces.reduce(1) { max($0, cellWidth($1.output.values)) }
    for (fi, trace) in traces.enumerated() {
      panels.append(progressPanel(
        title: env.t(T.outputWord) + " \(fi + 1)", output: trace.output, current: clock.index,
        first: fi * perFilter, cellWidth: outCW, titleStyle: fi == f ? theme.emphasis : nil, margin: 0,
        unicode: canvas.unicode, theme: theme))
    }
    // Row 1: the three input channels and the current filter; row 2: the outputs (depth F).
    var y = area.y
    canvas.put(env.t(T.rgbInputLabel, ShapeText.compact(inputShape)), x: area.x + 1, y: y, style: theme.muted)
    let filterLabelX = area.x + panels[0..<3].reduce(0) { $0 + $1.natural.width + 1 } + 1
    // The long label when it fits, else the short one (the help says one kernel per channel).
    let bias = NumberText.format(biases[f])
    let long = env.t(T.rgbFilterLabel, f + 1, filterCount, bias)
    let label = filterLabelX + long.count <= area.maxX ? long : env.t(T.rgbFilterShort, f + 1, filterCount, bias)
    canvas.put(label, x: filterLabelX, y: y, style: theme.muted)
    y += 1
    y += drawPanels(
      Array(panels[0..<6]), in: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y),
      canvas: &canvas, env: env)
    if !traces.isEmpty {
      let g = traces[0].geometry
      canvas.put(env.t(T.rgbOutputLabel, "\(g.outputRows)x\(g.outputCols)x\(filterCount)", filterCount),
                 x: area.x + 1, y: y, style: theme.muted)
      y += 1
      y += drawPanels(
        Array(panels[6...]), in: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y),
        canvas: &canvas, env: env)
    }
    drawLines(infoLines(env, width: area.width), from: y, in: area, canvas: &canvas)
  }

  func infoLines(_ env: Env, width: Int) -> [(String, Style)] {
    let theme = env.theme
    var lines = problemLines(notice: notice, refusal: refusal, error: geometryError, env: env, width: width - 2)
    if let e = editor {
      let names = ["R", "G", "B"].map { env.t(T.inputWord) + " " + $0 } + ["R", "G", "B"].map { "K \($0)" }
      lines.append((env.t(T.editingCell, names[e.target], e.row, e.col), theme.emphasis))
    }
    if let (f, step) = current {
      lines.append((env.t(T.rgbStepHeader, clock.index + 1, totalSteps, f + 1, step.outputRow, step.outputCol,
                          NumberText.format(step.value)), theme.panelTitle))
      for (i, eq) in step.equationLines(operation: traces[f].operation, channelNames: RGBScreen.channelNames).enumerated() {
        let style = i < 3 ? theme.channels[i] : theme.emphasis
        for l in wrapEquation(eq, width: width - 2) { lines.append((l, style)) }
      }
    }
    let count = layer.parameters(for: inputShape).total
    let k = filters[0].shape
    lines.append((env.t(T.parameters) + ": Nf*K*K*Nc + Nf = \(filterCount)*\(k[1])*\(k[2])*\(input.shape[0]) + \(filterCount) = \(NumberText.grouped(count))", theme.emphasis))
    if let out = try? layer.outputShape(for: inputShape) {
      lines.append(("Conv2D(filters=\(filterCount), kernel_size=\(k[1])) " + env.t(T.onWord) + " \(ShapeText.tuple(inputShape)) -> \(ShapeText.batched(out))", theme.muted))
    }
    return lines
  }
}
