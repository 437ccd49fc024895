import ConvKit
import ConvTerminal

/// Backpropagation through one convolution, cell by cell: first dL/dK (each kernel cell is a
/// sum over the windows of input times output gradient), then dL/dX (each output gradient
/// goes back through the kernel), then one SGD step that updates the kernel on screen.
///
/// The numbers are ConvKit's `BackwardTrace` (tested against the engine's Conv2D backward
/// pass); this screen chooses the set-up and what to highlight.
public struct BackpropScreen: Screen {
  /// Where the upstream gradient G = dL/dY comes from.
  public enum Gradient: Int, CaseIterable, Sendable {
    /// G = 1 everywhere (L = sum of Y).
    case ones
    /// L = 0.5*sum((Y - T)^2), T the identity kernel's output: G = Y - T.
    case target
    /// Small whole numbers, as a later layer might send.
    case random
  }

  /// `[1, H, W]`.
  public private(set) var input: Tensor
  /// `[1, KH, KW]`.
  public private(set) var kernel: Tensor
  public private(set) var presetIndex: Int?
  public private(set) var padding: Padding
  public private(set) var stride: Int
  public private(set) var dilation: Int
  public private(set) var gradient: Gradient
  public private(set) var learningRate: Float
  var randomGradient: Tensor?
  var clock = StepClock()
  var rng = SplitMix64(seed: 17_2026)
  var notice: Tr?
  public private(set) var trace: BackwardTrace?
  public private(set) var geometryError: GeometryError?

  static let rates: [Float] = [0.00001, 0.0001, 0.001, 0.01, 0.1, 1]

  /// Starts on the course's 5x5 matrix and sharpen kernel with G = ones.
  public init(
    input: Tensor = CourseExample.matrix, kernel: Tensor? = nil, kernelName: String? = "sharpen",
    padding: Padding = .valid, stride: Int = 1, dilation: Int = 1, gradient: Gradient = .ones,
    learningRate: Float = 0.01
  ) {
    self.input = input
    let preset = kernelName.flatMap(KernelPreset.named)
    self.kernel = kernel ?? preset?.tensor ?? CourseExample.kernel
    presetIndex = (kernel == nil || kernel == preset?.tensor)
      ? preset.flatMap { p in KernelPreset.all.firstIndex(of: p) } : nil
    self.padding = padding
    self.stride = stride
    self.dilation = dilation
    self.gradient = gradient
    self.learningRate = learningRate
    rebuild()
  }

  public var id: String { "backprop" }
  public var tickInterval: Double? { clock.interval }
  public var stepIndex: Int { clock.index }
  var stepCount: Int { trace.map { $0.kernelSteps.count + $0.inputSteps.count + 1 } ?? 0 }

  /// Which part of the backward pass the current step belongs to.
  public enum Phase: Equatable, Sendable { case kernel, input, sgd }
  public var phase: Phase {
    guard let trace else { return .kernel }
    if clock.index < trace.kernelSteps.count { return .kernel }
    return clock.index < trace.kernelSteps.count + trace.inputSteps.count ? .input : .sgd
  }

  public var currentStep: GradientStep? {
    guard let trace, trace.steps.indices.contains(clock.index) else { return nil }
    return trace.steps[clock.index]
  }

  private mutating func rebuild() {
    do {
      let g = try WindowGeometry(
        inputRows: input.shape[1], inputCols: input.shape[2], kernelRows: kernel.shape[1],
        kernelCols: kernel.shape[2], strideRows: stride, strideCols: stride, dilation: dilation, padding: padding)
      try g.checkMemory(channels: input.shape[0])
      let shape = [1, g.outputRows, g.outputCols]
      let upstream: BackwardTrace.Upstream
      switch gradient {
      case .ones:
        upstream = .ones
      case .target:
        // The identity kernel's output: one SGD step moves K towards the identity.
        var identity = Tensor(zeros: kernel.shape)
        identity[0, kernel.shape[1] / 2, kernel.shape[2] / 2] = 1
        upstream = .target(StepTrace.convolution(input: input, kernel: identity, geometry: g).output.tensor)
      case .random:
        if randomGradient?.shape != shape {
          randomGradient = Tensor(zeros: shape).randomized(in: -2...2, using: &rng)
        }
        upstream = .given(randomGradient!)
      }
      trace = try BackwardTrace(input: input, kernel: kernel, geometry: g, upstream: upstream)
      geometryError = nil
    } catch {
      trace = nil
      geometryError = error as? GeometryError
    }
    clock.clamp(stepCount)
  }

  // MARK: update

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    notice = nil
    if clock.handle(msg, count: stepCount) { return .none }
    guard case .key(let key) = msg else { return .ignored }
    switch key {
    case .tab:
      guard let trace else { return .none }
      let starts = [0, trace.kernelSteps.count, trace.kernelSteps.count + trace.inputSteps.count]
      clock.index = starts.first { $0 > clock.index } ?? 0
      return .none
    case .char("g"):
      gradient = Gradient(rawValue: (gradient.rawValue + 1) % Gradient.allCases.count)!
      randomGradient = nil
    case .char("k"), .char("K"):
      let n = KernelPreset.all.count
      let start = presetIndex ?? (key == .char("k") ? n - 1 : 0)
      let i = (start + (key == .char("k") ? 1 : n - 1)) % n
      presetIndex = i
      kernel = KernelPreset.all[i].tensor
    case .char("r"):
      input = input.randomized(in: 0...9, using: &rng)
      randomGradient = nil
    case .char("z"):
      switch padding {
      case .valid: padding = .same
      case .same: padding = .explicit(1)
      case .explicit(let n): padding = n >= 2 ? .valid : .explicit(n + 1)
      }
    case .char("s"): stride = stride >= 3 ? 1 : stride + 1
    case .char("d"): dilation = dilation >= 3 ? 1 : dilation + 1
    case .char("<"), .char(">"):
      let i = Self.rates.firstIndex(of: learningRate) ?? 3
      let j = key == .char("<") ? max(0, i - 1) : min(Self.rates.count - 1, i + 1)
      learningRate = Self.rates[j]
      return .none
    default:
      return .ignored
    }
    rebuild()
    return .none
  }

  // MARK: view

  public func title(_ env: Env) -> String { env.t(XT.lessonBackprop) }
  public func status(_ env: Env) -> String { clock.status(env, count: stepCount) }

  public func hints(_ env: Env) -> [KeyHint] {
    clock.hints(env) + [
      KeyHint("Tab", env.t(XT.bpKeyPhase)), KeyHint("g", env.t(XT.bpKeyUpstream)),
      KeyHint("< >", env.t(XT.bpKeyRate)), KeyHint("k", env.t(T.keyKernel)), KeyHint("z", env.t(T.keyPadding)),
      KeyHint("s", env.t(T.keyStride)), KeyHint("d", env.t(T.keyDilation)), KeyHint("r", env.t(T.keyRandom)),
    ]
  }

  public func helpText(_ env: Env) -> [String] { [env.t(XT.bpHelp1), env.t(XT.bpHelp2)] }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    var y = area.y
    if let trace {
      let all = panels(trace, env, unicode: canvas.unicode)
      let sizes = all.map { (width: $0.natural.width, height: $0.natural.height) }
      if all.count == 3, sizes.reduce(0, { $0 + $1.width }) + 2 > area.width {
        // Too wide for one row: the first two stacked, the third beside them.
        let left = max(sizes[0].width, sizes[1].width)
        all[0].draw(in: Rect(x: area.x, y: y, width: sizes[0].width, height: sizes[0].height), canvas: &canvas, env: env)
        all[1].draw(in: Rect(x: area.x, y: y + sizes[0].height, width: sizes[1].width, height: sizes[1].height),
                    canvas: &canvas, env: env)
        all[2].draw(in: Rect(x: area.x + left + 1, y: y, width: min(sizes[2].width, area.width - left - 1), height: sizes[2].height),
                    canvas: &canvas, env: env)
        y += max(sizes[0].height + sizes[1].height, sizes[2].height)
      } else {
        y += drawPanels(all, in: area, canvas: &canvas, env: env)
      }
    }
    drawInfo(infoLines(env, width: area.width), from: y, in: area, canvas: &canvas, env: env)
  }

  /// The panels of the current phase: X, K, G and the gradient filling in; for SGD: K, dL/dK, K'.
  func panels(_ trace: BackwardTrace, _ env: Env, unicode: Bool) -> [MatrixPanel] {
    let theme = env.theme
    let g = trace.geometry
    let (h, w) = (input.shape[1], input.shape[2])
    let (pr0, pc0) = (g.rows.padBefore, g.cols.padBefore)
    let paddedRows = h + pr0 + g.rows.padAfter
    let paddedCols = w + pc0 + g.cols.padAfter
    let step = currentStep
    let terms = step?.terms ?? []
    var inputCells = Set<Int>()
    var kernelCells = Set<Int>()
    var gradCells = Set<Int>()
    let kw = kernel.shape[2]
    let ow = g.outputCols
    for t in terms {
      inputCells.insert((t.inputRow + pr0) * paddedCols + t.inputCol + pc0)
      kernelCells.insert(t.kernelRow * kw + t.kernelCol)
      gradCells.insert(t.outputRow * ow + t.outputCol)
    }
    var currentKernel: Int?
    if case .kernel(let r, let c) = step?.target { currentKernel = r * kw + c }
    let pending = unicode ? "·" : "."
    let shape: (Tensor) -> String = { "\($0.shape[1])x\($0.shape[2])" }

    let inputPanel = MatrixPanel(
      title: "X " + shape(input), rows: paddedRows, cols: paddedCols, cellWidth: cellWidth(input.scalars),
      cell: { pr, pc in
        let (r, c) = (pr - pr0, pc - pc0)
        let inside = r >= 0 && r < h && c >= 0 && c < w
        let i = pr * paddedCols + pc
        let hit = inputCells.contains(i)
        if !inside { return ("0", hit ? theme.paddingInWindow : theme.padding) }
        return (NumberText.format(input[0, r, c]), hit ? theme.window : theme.text)
      },
      margin: 0)
    let kernelPanel = MatrixPanel(
      title: "K " + shape(kernel), rows: kernel.shape[1], cols: kw, cellWidth: cellWidth(kernel.scalars),
      cell: { r, c in
        let i = r * kw + c
        if i == currentKernel { return (NumberText.format(kernel[0, r, c]), theme.current) }
        return (NumberText.format(kernel[0, r, c]), kernelCells.contains(i) ? theme.window : theme.emphasis)
      }, margin: 0)
    let grad = trace.outputGradient
    let gradPanel = MatrixPanel(
      title: "G " + shape(grad), rows: g.outputRows, cols: ow, cellWidth: cellWidth(grad.scalars),
      cell: { r, c in
        (NumberText.format(grad[0, r, c]), gradCells.contains(r * ow + c) ? theme.window : theme.text)
      }, margin: 0)
    let dK = trace.kernelGradient
    let kernelCount = trace.kernelSteps.count
    let dKPanel = MatrixPanel(
      title: "dL/dK", rows: kernel.shape[1], cols: kw, cellWidth: cellWidth(dK.scalars),
      cell: { r, c in
        let i = r * kw + c
        let text = NumberText.format(dK[0, r, c])
        if i == clock.index { return (text, theme.current) }
        return i < clock.index ? (text, theme.done) : (pending, theme.pending)
      }, margin: 0)
    switch phase {
    case .kernel:
      return [inputPanel, kernelPanel, gradPanel, dKPanel]
    case .input:
      let values = trace.inputSteps.map(\.value)
      let done = clock.index - kernelCount
      let dXPanel = MatrixPanel(
        title: "dL/dX", rows: paddedRows, cols: paddedCols, cellWidth: cellWidth(values),
        cell: { pr, pc in
          let i = pr * paddedCols + pc
          let (r, c) = (pr - pr0, pc - pc0)
          let inside = r >= 0 && r < h && c >= 0 && c < w
          let text = NumberText.format(values[i])
          if i == done { return (text, theme.current) }
          if i > done { return (pending, theme.pending) }
          return (text, inside ? theme.done : theme.padding)
        },
        focus: (done / paddedCols, done % paddedCols), margin: 0)
      // dL/dX needs no input values (only G and K): the dX panel, on the same grid, marks the cell.
      return [kernelPanel, gradPanel, dXPanel]
    case .sgd:
      let newKernel = trace.sgdStep(learningRate: learningRate).kernel
      let newPanel = MatrixPanel(
        title: env.t(XT.bpNewKernel), rows: kernel.shape[1], cols: kw, cellWidth: cellWidth(newKernel.scalars),
        cell: { r, c in (NumberText.format(newKernel[0, r, c]), theme.emphasis) }, margin: 0)
      let fullDK = MatrixPanel(
        title: "dL/dK", rows: kernel.shape[1], cols: kw, cellWidth: cellWidth(dK.scalars),
        cell: { r, c in (NumberText.format(dK[0, r, c]), theme.done) }, margin: 0)
      return [kernelPanel, fullDK, newPanel]
    }
  }

  /// The step's header and products, then the rule of the phase and the set-up.
  func infoLines(_ env: Env, width: Int) -> [(String, Style)] {
    let theme = env.theme
    var lines = problemLines(notice: notice, error: geometryError, env: env, width: width - 2)
    guard let trace else { return lines }
    for l in wrapText(BackwardText.header(trace, step: clock.index, learningRate: learningRate, lang: env.lang), width: width - 2) {
      lines.append((l, theme.panelTitle))
    }
    switch phase {
    case .kernel, .input:
      if let step = currentStep {
        for l in wrapEquation(BackwardText.equation(step, lang: env.lang), width: width - 2) { lines.append((l, theme.text)) }
      }
      let rule = phase == .kernel ? env.t(XT.bpKernelRule) : env.t(XT.bpInputRule) + ". " + env.t(XT.bpFullConvolution)
      for l in wrapText(rule, width: width - 2) { lines.append((l, theme.muted)) }
      if phase == .kernel && clock.index == trace.kernelSteps.count - 1 {
        for l in wrapEquation(BackwardText.biasLine(trace, lang: env.lang), width: width - 2) { lines.append((l, theme.text)) }
      }
    case .sgd:
      lines.append((env.t(XT.bpSgdRule), theme.emphasis))
      let sgd = BackwardText.sgdLines(trace, learningRate: learningRate)
      // Two per line when there is room: K'[0,0] = ...   K'[0,1] = ...
      let columnWidth = (sgd.map(\.count).max() ?? 0) + 3
      let perLine = max(1, (width - 2) / max(columnWidth, 1))
      var i = 0
      while i < sgd.count {
        let row = sgd[i..<min(sgd.count, i + perLine)].map { $0.padding(to: columnWidth) }.joined()
        lines.append((row, theme.text))
        i += perLine
      }
    }
    var setup = gradient == .random ? env.t(XT.bpUpstreamRandom) : BackwardText.upstreamLine(trace, lang: env.lang)
    if let loss = trace.loss { setup += "; " + env.t(XT.bpLoss, NumberText.format(loss)) }
    for l in wrapText(setup, width: width - 2) { lines.append((l, theme.muted)) }
    let kernelName = presetIndex.map { KernelPreset.all[$0].name } ?? env.t(T.custom)
    let g = trace.geometry
    var settings = env.t(XT.bpSettings, kernelName, "\(padding)", "\(stride)", "\(dilation)", NumberText.format(learningRate))
    for l in wrapText(settings, width: width - 2) { lines.append((l, theme.muted)) }
    var size = env.t(T.outputSize) + ": " + g.rows.formula
    if dilation > 1 { size += " · " + env.t(XT.dilationRule, g.rows.kernel, dilation, g.rows.effectiveKernel) }
    for l in wrapText(size, width: width - 2) { lines.append((l, theme.muted)) }
    return lines
  }

  private func drawInfo(_ lines: [(String, Style)], from y: Int, in area: Rect, canvas: inout Canvas, env: Env) {
    var y = y
    for (text, style) in lines where y < area.maxY {
      canvas.put(text, x: area.x + 1, y: y, style: style, maxWidth: area.width - 1)
      if style == env.theme.text, let eq = text.lastIndex(of: "="), text.contains("*") {
        let col = text.distance(from: text.startIndex, to: eq)
        canvas.put(String(text[eq...]), x: area.x + 1 + col, y: y, style: env.theme.emphasis, maxWidth: area.width - 1 - col)
      }
      y += 1
    }
  }
}
