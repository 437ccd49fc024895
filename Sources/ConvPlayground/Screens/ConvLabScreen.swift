import ConvKit
import ConvTerminal

/// The convolution lessons: "cell by cell" (valid windows over the course's 5x5 matrix) and
/// "padding and stride" (the same, with a ring of zeros, strides, dilation and the output-size
/// formula). One model, two variants: the padding variant adds its keys and explanations.
///
/// The arithmetic is ConvKit's: `WindowGeometry` sizes the output, `StepTrace` lists each
/// step's products and sums; this screen only chooses what to show.
public struct ConvLabScreen: Screen {
  public enum Variant: Sendable {
    case convolution
    case padding
  }

  public let variant: Variant
  /// `[1, H, W]`, as typed: whole numbers exact up to 2^53, as `convplay step` keeps them.
  public private(set) var input: ExactTensor
  /// `[1, KH, KW]`, as stored (before any flip), as typed.
  public private(set) var kernel: ExactTensor
  /// Index in `KernelPreset.all` while the kernel is an unchanged preset.
  public private(set) var presetIndex: Int?
  public private(set) var flip: Bool
  public private(set) var padding: Padding
  public private(set) var strideRows: Int
  public private(set) var strideCols: Int
  public private(set) var dilation: Int
  public private(set) var bias: Double
  var clock = StepClock()
  public var stepIndex: Int { clock.index }
  public var playing: Bool { clock.playing }
  var editor: CellEditor?
  var rng = SplitMix64(seed: 20_261_124)
  /// A one-off note shown until the next key (a number that did not parse, a limit reached).
  var notice: Tr?
  /// A typed number the command line refuses too, as the engine words it (see CellEditor).
  var refusal: String?
  public private(set) var trace: StepTrace?
  public private(set) var geometryError: GeometryError?

  /// Starts on the course's 5x5 matrix and sharpen kernel unless told otherwise.
  public init(
    variant: Variant, input: ExactTensor = ExactTensor(CourseExample.matrix), kernel: ExactTensor? = nil,
    kernelName: String? = "sharpen", padding: Padding = .valid, stride: (Int, Int) = (1, 1),
    dilation: Int = 1, flip: Bool = false, bias: Double = 0
  ) {
    self.variant = variant
    self.input = input
    let preset = kernelName.flatMap(KernelPreset.named)
    let presetKernel = preset.map { ExactTensor($0.tensor) }
    self.kernel = kernel ?? presetKernel ?? ExactTensor(CourseExample.kernel)
    presetIndex = (kernel == nil || kernel == presetKernel)
      ? preset.flatMap { p in KernelPreset.all.firstIndex(of: p) } : nil
    self.padding = padding
    strideRows = stride.0
    strideCols = stride.1
    self.dilation = dilation
    self.flip = flip
    self.bias = bias
    rebuild()
  }

  /// The engine's Float32 matrices (a photo's patch, the quiz's examples): widened, exact as they are.
  public init(
    variant: Variant, input: Tensor, kernel: Tensor? = nil, kernelName: String? = "sharpen",
    padding: Padding = .valid, stride: (Int, Int) = (1, 1), dilation: Int = 1, flip: Bool = false
  ) {
    self.init(
      variant: variant, input: ExactTensor(input), kernel: kernel.map(ExactTensor.init), kernelName: kernelName,
      padding: padding, stride: stride, dilation: dilation, flip: flip)
  }

  public var id: String { variant == .convolution ? "conv" : "padding" }

  public var currentStep: Step? {
    guard let trace, trace.steps.indices.contains(stepIndex) else { return nil }
    return trace.steps[stepIndex]
  }

  public var tickInterval: Double? { clock.interval }
  public var capturesAllKeys: Bool { editor != nil }

  private mutating func rebuild() {
    do {
      let g = try WindowGeometry(
        inputRows: input.shape[1], inputCols: input.shape[2],
        kernelRows: kernel.shape[1], kernelCols: kernel.shape[2],
        strideRows: strideRows, strideCols: strideCols, dilation: dilation, padding: padding)
      try g.checkMemory(channels: input.shape[0])
      trace = StepTrace.convolution(input: input, kernel: kernel, geometry: g, bias: bias, flip: flip)
      geometryError = nil
    } catch {
      trace = nil
      geometryError = error as? GeometryError
    }
    clock.clamp(trace?.steps.count ?? 0)
  }

  // MARK: update

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    notice = nil
    refusal = nil
    if case .key(let key) = msg, editor != nil { return edit(key) }
    if clock.handle(msg, count: trace?.steps.count ?? 0) { return .none }
    guard case .key(let key) = msg else { return .ignored }
    switch key {
    case .char("k"), .char("K"):
      let n = KernelPreset.all.count
      let start = presetIndex ?? (key == .char("k") ? n - 1 : 0)
      let i = (start + (key == .char("k") ? 1 : n - 1)) % n
      presetIndex = i
      kernel = ExactTensor(KernelPreset.all[i].tensor)
      rebuild()
    case .char("e"):
      let focus = currentStep.flatMap { s in s.terms.first { !$0.isPadding } }
      editor = CellEditor(target: 0, row: focus?.inputRow ?? 0, col: focus?.inputCol ?? 0)
    case .char("r"):
      input = input.randomized(in: 0...255, using: &rng)
      rebuild()
    case .char("["): resizeInput(rows: -1, cols: -1)
    case .char("]"): resizeInput(rows: 1, cols: 1)
    case .char("{"): resizeInput(rows: 0, cols: -1)
    case .char("}"): resizeInput(rows: 0, cols: 1)
    case .char("<"): resizeKernel(rows: -1, cols: -1)
    case .char(">"): resizeKernel(rows: 1, cols: 1)
    case .char("("): resizeKernel(rows: 0, cols: -1)
    case .char(")"): resizeKernel(rows: 0, cols: 1)
    case .char("f"):
      flip.toggle()
      rebuild()
    case .char("z") where variant == .padding:
      switch padding {
      case .valid: padding = .same
      case .same: padding = .explicit(1)
      case .explicit(let n): padding = n >= 2 ? .valid : .explicit(n + 1)
      }
      rebuild()
    case .char("s") where variant == .padding:
      let next = strideRows >= 3 ? 1 : strideRows + 1
      strideRows = next
      strideCols = next
      rebuild()
    case .char("x") where variant == .padding:
      strideCols = strideCols >= 3 ? 1 : strideCols + 1
      rebuild()
    case .char("d") where variant == .padding:
      dilation = dilation >= 3 ? 1 : dilation + 1
      rebuild()
    default:
      return .ignored
    }
    return .none
  }

  private mutating func edit(_ key: Key) -> Effect {
    guard var e = editor else { return .none }
    let shapes = [(input.shape[1], input.shape[2]), (kernel.shape[1], kernel.shape[2])]
    switch e.handle(key, shapes: shapes.map { (rows: $0.0, cols: $0.1) }) {
    case .none: break
    case .unused: return .ignored
    case .exit:
      editor = nil
      return .none
    case .invalid:
      notice = T.notANumber
    case .refused(let line):
      refusal = line
    case .store(let v):
      if e.target == 0 {
        input[0, e.row, e.col] = v
      } else {
        // The kernel panel shows the kernel as applied: a flipped kernel is stored rotated.
        let kh = kernel.shape[1]
        let kw = kernel.shape[2]
        let (r, c) = flip ? (kh - 1 - e.row, kw - 1 - e.col) : (e.row, e.col)
        kernel[0, r, c] = v
        presetIndex = nil
      }
      rebuild()
    }
    editor = e
    return .none
  }

  private mutating func resizeInput(rows dr: Int, cols dc: Int) {
    let h = input.shape[1] + dr
    let w = input.shape[2] + dc
    guard (3...12).contains(h), (3...12).contains(w) else {
      notice = T.inputLimits
      return
    }
    let t = input.resized(rows: h, cols: w) { Double(Int.random(in: 0...255, using: &rng)) }
    input = t
    rebuild()
  }

  private mutating func resizeKernel(rows dr: Int, cols dc: Int) {
    let h = kernel.shape[1] + dr
    let w = kernel.shape[2] + dc
    guard (1...5).contains(h), (1...5).contains(w) else {
      notice = T.kernelLimits
      return
    }
    let t = kernel.resizedAroundCentre(rows: h, cols: w)
    kernel = t
    presetIndex = nil
    rebuild()
  }

  // MARK: view

  public func title(_ env: Env) -> String {
    env.t(variant == .convolution ? T.lessonConv : T.lessonPadding)
  }

  public func status(_ env: Env) -> String {
    clock.status(env, count: trace?.steps.count ?? 0)
  }

  public func hints(_ env: Env) -> [KeyHint] {
    if editor != nil { return editHints(env) }
    var h = clock.hints(env) + [KeyHint("k/K", env.t(T.keyKernel))]
    if variant == .padding {
      h += [
        KeyHint("z", env.t(T.keyPadding)), KeyHint("s", env.t(T.keyStride)),
        KeyHint("x", env.t(T.keyStrideCols)), KeyHint("d", env.t(T.keyDilation)),
      ]
    }
    h += [
      KeyHint("e", env.t(T.keyEdit)), KeyHint("r", env.t(T.keyRandom)),
      KeyHint("f", env.t(T.keyFlip)), KeyHint("[ ]", env.t(T.keyInputSize)),
      KeyHint("< >", env.t(T.keyKernelSize)), KeyHint("{ }", env.t(T.keyInputCols)),
      KeyHint("( )", env.t(T.keyKernelCols)),
    ]
    return h
  }

  public func helpText(_ env: Env) -> [String] {
    variant == .convolution
      ? [env.t(T.helpConv1), env.t(T.helpConv2)]
      : [env.t(T.helpPadding1), env.t(T.helpPadding2)]
  }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let info = infoLines(env, width: area.width)
    let panelsHeight = max(5, area.height - min(info.count, max(4, area.height / 3)))
    let panelArea = Rect(x: area.x, y: area.y, width: area.width, height: panelsHeight)
    let used = drawPanels(&canvas, panelArea, env)
    var y = area.y + used
    for (text, style) in info where y < area.maxY {
      canvas.put(text, x: area.x + 1, y: y, style: style, maxWidth: area.width - 1)
      // The result after the last '=' of an equation stands out.
      if style == theme.text, let eq = text.lastIndex(of: "="), text.contains("*") {
        let col = text.distance(from: text.startIndex, to: eq)
        canvas.put(String(text[eq...]), x: area.x + 1 + col, y: y, style: theme.emphasis,
                   maxWidth: area.width - 1 - col)
      }
      y += 1
    }
  }

  /// The input, kernel and output panels. Returns the height used.
  private func drawPanels(_ canvas: inout Canvas, _ area: Rect, _ env: Env) -> Int {
    let theme = env.theme
    let step = currentStep
    let g = trace?.geometry
    let padTop = g?.rows.padBefore ?? 0
    let padLeft = g?.cols.padBefore ?? 0
    let h = input.shape[1]
    let w = input.shape[2]
    let paddedRows = h + padTop + (g?.rows.padAfter ?? 0)
    let paddedCols = w + padLeft + (g?.cols.padAfter ?? 0)
    var inWindow = Set<Int>()
    for t in step?.terms ?? [] { inWindow.insert((t.inputRow + padTop) * paddedCols + t.inputCol + padLeft) }
    let inputEdit = editor?.target == 0 ? editor : nil
    let unvisited = variant == .padding ? trace?.unvisitedCells ?? [] : []
    var inputTitle = env.t(T.inputTitle, "\(h)x\(w)")
    if paddedRows != h || paddedCols != w {
      inputTitle += " " + env.t(T.paddedTo, "\(paddedRows)x\(paddedCols)")
    }
    let inputPanel = MatrixPanel(
      title: inputTitle, rows: paddedRows, cols: paddedCols,
      cellWidth: max(cellWidth(input.values), inputEdit.map { $0.buffer.count } ?? 0),
      cell: { pr, pc in
        let r = pr - padTop
        let c = pc - padLeft
        let inside = r >= 0 && r < h && c >= 0 && c < w
        let hit = inWindow.contains(pr * paddedCols + pc)
        if let e = inputEdit, e.row == r, e.col == c {
          return (e.buffer.isEmpty ? NumberText.format(input[0, r, c]) : e.buffer, theme.cursor)
        }
        if !inside { return ("0", hit ? theme.paddingInWindow : theme.padding) }
        return (NumberText.format(input[0, r, c]), hit ? theme.window : unvisited.contains(r * w + c) ? theme.pending : theme.text)
      },
      focus: inputEdit.map { ($0.row + padTop, $0.col + padLeft) }
        ?? step.map { ($0.paddedRows.lowerBound, $0.paddedCols.lowerBound) })

    let shown = flip ? kernel.rotated180() : kernel
    let kernelEdit = editor?.target == 1 ? editor : nil
    // The preset's name is on the parameters line: in the title it would cut the title or push
    // the products panel off an 80-column terminal.
    var kernelTitle = env.t(T.kernelTitle, "\(kernel.shape[1])x\(kernel.shape[2])")
    if flip { kernelTitle += " " + env.t(T.flippedTag) }
    let kernelPanel = MatrixPanel(
      title: kernelTitle, rows: kernel.shape[1], cols: kernel.shape[2],
      cellWidth: max(cellWidth(shown.values), kernelEdit.map { $0.buffer.count } ?? 0),
      cell: { r, c in
        if let e = kernelEdit, e.row == r, e.col == c {
          return (e.buffer.isEmpty ? NumberText.format(shown[0, r, c]) : e.buffer, theme.cursor)
        }
        return (NumberText.format(shown[0, r, c]), theme.emphasis)
      },
      focus: kernelEdit.map { ($0.row, $0.col) })

    let outRows = g?.outputRows ?? 0
    let outCols = g?.outputCols ?? 0
    let outputPanel = progressPanel(
      title: env.t(T.outputTitle, "\(outRows)x\(outCols)"),
      output: trace?.output ?? ExactTensor(zeros: [1, 0, 0]), current: stepIndex,
      unicode: canvas.unicode, theme: theme)

    // The window's products, tap by tap (StepTerm.product): shown when the terminal is wide
    // enough; their sum (plus bias) is the output cell.
    let terms = step?.terms ?? []
    let kc = kernel.shape[2]
    let productsPanel = MatrixPanel(
      title: env.t(T.productsTitle), rows: kernel.shape[0] == 1 ? kernel.shape[1] : 0, cols: kc,
      cellWidth: cellWidth(terms.map(\.product)),
      cell: { r, c in
        let i = r * kc + c
        guard i < terms.count else { return ("", theme.text) }
        return (NumberText.format(terms[i].product), terms[i].isPadding ? theme.padding : theme.text)
      })
    var panels = [inputPanel, kernelPanel, outputPanel]
    if step != nil && panels.reduce(0, { $0 + $1.natural.width + 1 }) + productsPanel.natural.width <= area.width {
      panels.insert(productsPanel, at: 2)
    }
    let sizes = panels.map { p in (width: p.natural.width, height: min(p.natural.height, area.height)) }
    if sizes.reduce(0, { $0 + $1.width }) + panels.count - 1 <= area.width {
      var x = area.x
      for (p, s) in zip(panels, sizes) {
        p.draw(in: Rect(x: x, y: area.y, width: s.width, height: s.height), canvas: &canvas, env: env)
        x += s.width + 1
      }
      return sizes.map(\.height).max() ?? 0
    }
    // Not enough width: input on the left, kernel above output on the right; without the blank
    // margins inside the frames when that is what it takes to show every column (gaussian-5x5's
    // 0.00390625 at 80 columns).
    var narrow = [inputPanel, kernelPanel, outputPanel]
    if narrow[0].natural.width + 1 + max(narrow[1].natural.width, narrow[2].natural.width) > area.width {
      for i in narrow.indices { narrow[i].margin = 0 }
    }
    let stacked = narrow.map { p in
      (width: p.natural.width, height: min(p.natural.height, area.height))
    }
    // The right column takes what the input leaves (the input keeps at least half), so a wide
    // kernel (gaussian-5x5's 0.0234) shows all its columns when there is room.
    let inputShare = min(stacked[0].width, area.width / 2)
    let rightWidth = min(max(stacked[1].width, stacked[2].width), area.width - inputShare - 1)
    let leftWidth = min(stacked[0].width, area.width - rightWidth - 1)
    narrow[0].draw(in: Rect(x: area.x, y: area.y, width: leftWidth, height: stacked[0].height),
                    canvas: &canvas, env: env)
    let rx = area.x + leftWidth + 1
    let kh = min(stacked[1].height, area.height)
    narrow[1].draw(in: Rect(x: rx, y: area.y, width: min(stacked[1].width, area.maxX - rx), height: kh),
                     canvas: &canvas, env: env)
    let oh = min(stacked[2].height, area.height - kh)
    if oh >= 3 {
      narrow[2].draw(in: Rect(x: rx, y: area.y + kh, width: min(stacked[2].width, area.maxX - rx), height: oh),
                       canvas: &canvas, env: env)
    }
    return max(stacked[0].height, kh + max(oh, 0))
  }

  /// The lines under the panels: the step and its equation, then the lesson's notes.
  func infoLines(_ env: Env, width: Int) -> [(String, Style)] {
    let theme = env.theme
    var lines = problemLines(notice: notice, refusal: refusal, error: geometryError, env: env, width: width - 2)
    if let e = editor {
      lines.append((env.t(T.editingCell, env.t(e.target == 0 ? T.inputWord : T.kernelWord),
                          e.row, e.col), theme.emphasis))
    }
    if let trace, let step = currentStep {
      let header = env.t(
        T.stepHeader, stepIndex + 1, trace.steps.count, step.outputRow, step.outputCol,
        NumberText.format(step.value),
        "\(step.paddedRows.lowerBound)-\(step.paddedRows.upperBound)",
        "\(step.paddedCols.lowerBound)-\(step.paddedCols.upperBound)")
      lines.append((header, theme.panelTitle))
      for eq in step.equationLines(operation: trace.operation) {
        for l in wrapEquation(eq, width: width - 2) { lines.append((l, theme.text)) }
      }
    }
    if variant == .padding, let trace {
      lines += paddingNotes(trace.geometry, env, width: width)
      lines += windowNotes(trace, env: env, width: width)
    }
    var params = env.t(T.parameters) + ": "
    params += env.t(T.kernelWord) + " " + (presetIndex.map { KernelPreset.all[$0].name } ?? env.t(T.custom))
    params += " " + "\(kernel.shape[1])x\(kernel.shape[2])"
    params += " · " + env.t(flip ? T.trueConvolution : T.crossCorrelation)
    if variant == .padding {
      params += " · padding \(padding) · stride \(strideRows)x\(strideCols) · " + env.t(T.keyDilation) + " \(dilation)"
    }
    for l in wrapText(params, width: width - 2, indent: "  ") { lines.append((l, theme.muted)) }
    if variant == .convolution, let i = presetIndex {
      for l in wrapText("  " + env.t(presetSummary(KernelPreset.all[i].name)), width: width - 2) {
        lines.append((l, theme.muted))
      }
    }
    return lines
  }

  private func paddingNotes(_ g: WindowGeometry, _ env: Env, width: Int) -> [(String, Style)] {
    let theme = env.theme
    var lines: [(String, Style)] = []
    let size = env.t(T.outputSize)
    if g.rows.formula == g.cols.formula {
      lines.append(("\(size): \(g.rows.formula)  ->  \(g.outputRows) x \(g.outputCols)", theme.emphasis))
    } else {
      lines.append(("\(size): " + env.t(T.rowsWord) + " \(g.rows.formula)", theme.emphasis))
      lines.append(("  " + env.t(T.colsWord) + " \(g.cols.formula)  ->  \(g.outputRows) x \(g.outputCols)", theme.emphasis))
    }
    let pads = env.t(T.paddingSides, g.rows.padBefore, g.rows.padAfter, g.cols.padBefore, g.cols.padAfter)
    lines.append(("padding '\(padding)': " + pads, theme.padding))
    // One sentence per axis, or one for both when the numbers are the same.
    let bothAxes = env.t(T.rowsWord) + " & " + env.t(T.colsWord)
    func axes(_ describe: (AxisGeometry) -> [String]?) -> [(AxisGeometry, String)] {
      let r = describe(g.rows)
      let c = describe(g.cols)
      if r != nil && r == c { return [(g.rows, bothAxes)] }
      return [(g.rows, env.t(T.rowsWord)), (g.cols, env.t(T.colsWord))].filter { describe($0.0) != nil }
    }
    let floorNumbers: (AxisGeometry) -> [String]? = { a in
      a.divides ? nil : [a.paddedInput, a.effectiveKernel, a.stride, a.output, a.remainder].map(String.init)
    }
    for (axis, name) in axes(floorNumbers) {
      // Singular and plural in both languages: "once" / "1 vez", "the last one" / "la última".
      let fits = axis.output == 1 ? env.t(T.timesOne) : env.t(T.timesMany, axis.output)
      let left = axis.remainder == 1 ? env.t(T.lastOne) : env.t(T.lastMany, axis.remainder)
      let text = env.t(T.floorWhy, name, axis.paddedInput, axis.effectiveKernel, axis.stride, fits, left)
      for l in wrapText(text, width: width - 2, indent: "  ") { lines.append((l, theme.text)) }
    }
    let oddNumbers: (AxisGeometry) -> [String]? = { a in
      a.padding != .same || a.padBefore == a.padAfter ? nil : [a.padBefore, a.padAfter].map(String.init)
    }
    for (axis, name) in axes(oddNumbers) {
      let text = env.t(T.sameAsymmetric, name, axis.padBefore + axis.padAfter, axis.padBefore, axis.padAfter)
      for l in wrapText(text, width: width - 2, indent: "  ") { lines.append((l, theme.text)) }
    }
    return lines
  }

  private func editHints(_ env: Env) -> [KeyHint] {
    editorHints(env, tabTargets: env.t(T.inputKernelTargets))
  }
}

/// Help-bar keys while a cell is being edited.
func editorHints(_ env: Env, tabTargets: String) -> [KeyHint] {
  [
    KeyHint("←↑↓→", env.t(T.keyMoveCell)), KeyHint("Tab/BTab", tabTargets),
    KeyHint("0-9 - .", env.t(T.keyType)), KeyHint("BSpace/Del", env.t(T.keyQuizErase)),
    KeyHint("Enter", env.t(T.keyStore)), KeyHint("Esc/e", env.t(T.keyDoneEditing)),
  ]
}

/// A GeometryError in the current language, with its numbers.
func geometryMessage(_ error: GeometryError, _ env: Env) -> String {
  switch error {
  case .kernelTooLarge(let axis, let kernel, let padded):
    return env.t(T.kernelTooLarge, env.t(axis == "rows" ? T.rowsWord : T.colsWord), kernel, padded)
  case .nonPositive(let what, let value):
    return "\(what) >= 1 (\(value))"
  }
}
