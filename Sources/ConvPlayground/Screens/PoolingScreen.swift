import ConvKit
import ConvTerminal

/// Max and average pooling: the window over the input, the winning cell, the output filling in,
/// and why pooling matters: no parameters, and far fewer values for the next layer (computed
/// from the course's models in ConvKit's ModelZoo, not written down).
public struct PoolingScreen: Screen {
  /// `[1, H, W]`, as typed: whole numbers exact up to 2^53, as `convplay step` keeps them.
  public private(set) var input: ExactTensor
  public private(set) var mode: PoolMode
  public private(set) var size: Int
  /// nil: Keras's default, strides = pool_size.
  public private(set) var stride: Int?
  public private(set) var padding: Padding
  var clock = StepClock()
  var editor: CellEditor?
  var rng = SplitMix64(seed: 7_2026)
  var notice: Tr?
  /// A typed number the command line refuses too, as the engine words it (see CellEditor).
  var refusal: String?
  public private(set) var trace: StepTrace?
  public private(set) var geometryError: GeometryError?

  public init(
    input: ExactTensor = ExactTensor(CourseExample.matrix), mode: PoolMode = .max, size: Int = 2,
    stride: Int? = nil, padding: Padding = .valid
  ) {
    self.input = input
    self.mode = mode
    self.size = size
    self.stride = stride
    self.padding = padding
    rebuild()
  }

  public var id: String { "pooling" }
  public var stepIndex: Int { clock.index }
  public var tickInterval: Double? { clock.interval }
  public var capturesAllKeys: Bool { editor != nil }
  public var effectiveStride: Int { stride ?? size }

  public var currentStep: Step? {
    guard let trace, trace.steps.indices.contains(clock.index) else { return nil }
    return trace.steps[clock.index]
  }

  private mutating func rebuild() {
    do {
      let g = try WindowGeometry(
        inputRows: input.shape[1], inputCols: input.shape[2], kernelRows: size, kernelCols: size,
        strideRows: effectiveStride, strideCols: effectiveStride, padding: padding)
      try g.checkMemory(channels: input.shape[0])
      trace = StepTrace.pooling(input: input, geometry: g, mode: mode)
      geometryError = nil
    } catch {
      trace = nil
      geometryError = error as? GeometryError
    }
    clock.clamp(trace?.steps.count ?? 0)
  }

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    notice = nil
    refusal = nil
    if case .key(let key) = msg, var e = editor {
      let shape = (rows: input.shape[1], cols: input.shape[2])
      switch e.handle(key, shapes: [shape]) {
      case .exit: editor = nil; return .none
      case .invalid: notice = T.notANumber
      case .refused(let line): refusal = line
      case .store(let v):
        input[0, e.row, e.col] = v
        rebuild()
      case .none: break
      case .unused: return .ignored
      }
      editor = e
      return .none
    }
    if clock.handle(msg, count: trace?.steps.count ?? 0) { return .none }
    guard case .key(let key) = msg else { return .ignored }
    switch key {
    case .char("m"):
      mode = mode == .max ? .avg : .max
    case .char("<"):
      guard size > 1 else { notice = T.poolLimits; return .none }
      size -= 1
    case .char(">"):
      guard size < 5 else { notice = T.poolLimits; return .none }
      size += 1
    case .char("s"):
      switch stride {
      case nil: stride = 1
      case let s? where s >= 3: stride = nil
      case let s?: stride = s + 1
      }
    case .char("z"):
      padding = padding == .valid ? .same : .valid
    case .char("e"):
      let focus = currentStep.flatMap { s in s.terms.first { !$0.isPadding } }
      editor = CellEditor(target: 0, row: focus?.inputRow ?? 0, col: focus?.inputCol ?? 0)
    case .char("r"):
      input = input.randomized(in: 0...255, using: &rng)
    case .char("["), .char("]"):
      let n = input.shape[1] + (key == .char("]") ? 1 : -1)
      guard (3...12).contains(n) else { notice = T.inputLimits; return .none }
      input = input.resized(rows: n, cols: n) { Double(Int.random(in: 0...255, using: &rng)) }
    default:
      return .ignored
    }
    rebuild()
    return .none
  }

  public func title(_ env: Env) -> String { env.t(T.lessonPooling) }
  public func status(_ env: Env) -> String { clock.status(env, count: trace?.steps.count ?? 0) }

  public func hints(_ env: Env) -> [KeyHint] {
    if editor != nil { return editorHints(env, tabTargets: env.t(T.inputWord)) }
    return clock.hints(env) + [
      KeyHint("m", env.t(T.keyPoolMode)), KeyHint("< >", env.t(T.keyPoolSize)),
      KeyHint("s", env.t(T.keyStride)), KeyHint("z", env.t(T.keyPadding)),
      KeyHint("e", env.t(T.keyEdit)), KeyHint("r", env.t(T.keyRandom)),
      KeyHint("[ ]", env.t(T.keyInputSize)),
    ]
  }

  public func helpText(_ env: Env) -> [String] { [env.t(T.helpPooling1), env.t(T.helpPooling2)] }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let step = currentStep
    let g = trace?.geometry
    let padTop = g?.rows.padBefore ?? 0
    let padLeft = g?.cols.padBefore ?? 0
    let h = input.shape[1]
    let w = input.shape[2]
    let pr = h + padTop + (g?.rows.padAfter ?? 0)
    let pc = w + padLeft + (g?.cols.padAfter ?? 0)
    var inWindow = Set<Int>()
    var winnerCell: Int?
    for (i, t) in (step?.terms ?? []).enumerated() {
      let key = (t.inputRow + padTop) * pc + t.inputCol + padLeft
      inWindow.insert(key)
      if i == step?.winner { winnerCell = key }
    }
    let edit = editor
    let unvisited = trace?.unvisitedCells ?? []
    var inputTitle = env.t(T.inputTitle, "\(h)x\(w)")
    if pr != h || pc != w { inputTitle += " " + env.t(T.paddedTo, "\(pr)x\(pc)") }
    let inputPanel = MatrixPanel(
      title: inputTitle, rows: pr, cols: pc,
      cellWidth: max(cellWidth(input.values), edit?.buffer.count ?? 0),
      cell: { row, col in
        let r = row - padTop
        let c = col - padLeft
        let key = row * pc + col
        if let e = edit, e.row == r, e.col == c {
          return (e.buffer.isEmpty ? NumberText.format(input[0, r, c]) : e.buffer, theme.cursor)
        }
        guard r >= 0, r < h, c >= 0, c < w else {
          return ("-", inWindow.contains(key) ? theme.paddingInWindow : theme.padding)
        }
        let style = key == winnerCell ? theme.winner : (inWindow.contains(key) ? theme.window : theme.text)
        return (NumberText.format(input[0, r, c]), unvisited.contains(r * w + c) ? theme.pending : style)
      },
      focus: edit.map { ($0.row + padTop, $0.col + padLeft) }
        ?? step.map { ($0.paddedRows.lowerBound, $0.paddedCols.lowerBound) })

    let terms = step?.terms ?? []
    let windowPanel = MatrixPanel(
      title: env.t(T.windowTitle, "\(size)x\(size)"), rows: size, cols: size,
      cellWidth: cellWidth(input.values),
      cell: { r, c in
        let i = r * size + c
        guard i < terms.count, !terms[i].isPadding else { return ("-", theme.padding) }
        return (NumberText.format(terms[i].value), i == step?.winner ? theme.winner : theme.window)
      })

    let oh = g?.outputRows ?? 0
    let ow = g?.outputCols ?? 0
    let outputPanel = progressPanel(
      title: env.t(T.outputTitle, "\(oh)x\(ow)"), output: trace?.output ?? ExactTensor(zeros: [1, 0, 0]),
      current: clock.index, unicode: canvas.unicode, theme: theme)

    let info = infoLines(env, width: area.width)
    let panelsHeight = max(5, area.height - min(info.count, max(4, area.height / 3)))
    let used = drawPanels(
      [inputPanel, windowPanel, outputPanel],
      in: Rect(x: area.x, y: area.y, width: area.width, height: panelsHeight), canvas: &canvas, env: env)
    drawLines(info, from: area.y + used, in: area, canvas: &canvas)
  }

  func infoLines(_ env: Env, width: Int) -> [(String, Style)] {
    let theme = env.theme
    var lines = problemLines(notice: notice, refusal: refusal, error: geometryError, env: env, width: width - 2)
    if let trace, let step = currentStep {
      lines.append((env.t(
        T.poolStepHeader, clock.index + 1, trace.steps.count, step.outputRow, step.outputCol,
        NumberText.format(step.value)), theme.panelTitle))
      for eq in step.equationLines(operation: trace.operation) {
        for l in wrapEquation(eq, width: width - 2) { lines.append((l, theme.emphasis)) }
      }
      let g = trace.geometry
      lines.append((env.t(T.outputSize) + ": \(g.rows.formula)  ->  \(g.outputRows) x \(g.outputCols)", theme.text))
      lines += windowNotes(trace, env: env, width: width)
    }
    let strideText = stride.map(String.init) ?? "\(size) (= pool_size)"
    lines.append((env.t(T.settings) + ": " + env.t(T.poolSettings, mode.rawValue, "\(size)x\(size)", strideText, padding.description), theme.muted))
    for l in wrapText(env.t(T.noParameters), width: width - 2) { lines.append((l, theme.text)) }
    if let shrink = PoolingScreen.courseShrink() {
      let pct = NumberText.format((1 - Double(shrink.after) / Double(shrink.before)) * 100)
      let text = env.t(
        T.courseShrink, shrink.model, ShapeText.compact(shrink.inShape), env.count(shrink.before),
        ShapeText.compact(shrink.outShape), env.count(shrink.after), pct,
        env.count(shrink.denseBefore), env.count(shrink.denseAfter))
      for l in wrapText(text, width: width - 2) { lines.append((l, theme.muted)) }
    }
    return lines
  }

  /// The course's shrink: the MaxPooling2D layer of `course3` and the Dense layer that follows
  /// it, against the same Dense layer in `course2` (no pooling). All numbers from SequentialSpec.
  static func courseShrink() -> (
    model: String, inShape: FeatureShape, outShape: FeatureShape, before: Int, after: Int,
    denseBefore: Int, denseAfter: Int
  )? {
    guard let withPool = ModelZoo.named("course3"), let without = ModelZoo.named("course2"),
      let rows = try? withPool.spec.rows(), let rows2 = try? without.spec.rows(),
      let pool = rows.first(where: { $0.layer.kerasClass == "MaxPooling2D" }),
      let dense = rows.first(where: { $0.layer.kerasClass == "Dense" }),
      let dense2 = rows2.first(where: { $0.layer.kerasClass == "Dense" })
    else { return nil }
    return (
      withPool.name, pool.inputShape, pool.outputShape, pool.inputShape.reduce(1, *),
      pool.outputShape.reduce(1, *), dense2.parameters.total, dense.parameters.total
    )
  }
}
