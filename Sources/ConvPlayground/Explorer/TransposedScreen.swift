import ConvKit
import ConvTerminal

/// Transposed convolution, as conv_arithmetic animates it: each input cell stamps value*K onto
/// the output, stride cells after the previous stamp; overlaps add up; padding P crops P cells
/// from every side. Output size (N-1)*S - 2P + K. The numbers are ConvKit's `TransposedTrace`.
public struct TransposedScreen: Screen {
  public private(set) var input: Tensor
  public private(set) var kernel: Tensor
  public private(set) var stride: Int
  public private(set) var padding: Int
  var clock = StepClock()
  var rng = SplitMix64(seed: 2_017)
  public private(set) var trace: TransposedTrace?
  var problem: String?

  /// A 2x2 input and a 3x3 kernel of ones: the overlaps count how many stamps cover a cell.
  public init(input: Tensor = Tensor(rows: [[1, 2], [3, 4]]), kernel: Tensor = Tensor(rows: [[1, 1, 1], [1, 1, 1], [1, 1, 1]]),
              stride: Int = 1, padding: Int = 0) {
    self.input = input
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    rebuild()
  }

  public var id: String { "transposed" }
  public var tickInterval: Double? { clock.interval }
  var stepCount: Int { trace?.stamps.count ?? 0 }

  private mutating func rebuild() {
    do {
      trace = try TransposedTrace(input: input, kernel: kernel, strideRows: stride, strideCols: stride, padding: padding)
      problem = nil
    } catch {
      trace = nil
      problem = String(describing: error)
    }
    clock.clamp(stepCount)
  }

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    if clock.handle(msg, count: stepCount) { return .none }
    guard case .key(let key) = msg else { return .ignored }
    switch key {
    case .char("s"): stride = stride >= 3 ? 1 : stride + 1
    case .char("z"): padding = padding >= 2 ? 0 : padding + 1
    case .char("<"), .char(">"):
      let k = kernel.shape[1] + (key == .char("<") ? -1 : 1)
      guard (1...4).contains(k) else { return .none }
      kernel = Tensor(shape: [1, k, k], scalars: [Float](repeating: 1, count: k * k))
    case .char("["), .char("]"):
      let n = input.shape[1] + (key == .char("[") ? -1 : 1)
      guard (1...4).contains(n) else { return .none }
      input = input.resized(rows: n, cols: n) { Float(Int.random(in: 1...4, using: &rng)) }
    case .char("r"): input = input.randomized(in: 0...4, using: &rng)
    default: return .ignored
    }
    rebuild()
    return .none
  }

  public func title(_ env: Env) -> String { env.t(XT.lessonTransposed) }
  public func status(_ env: Env) -> String { clock.status(env, count: stepCount) }

  public func hints(_ env: Env) -> [KeyHint] {
    clock.hints(env) + [
      KeyHint("s", env.t(XT.trcKeyStride)), KeyHint("z", env.t(XT.trcKeyPadding)),
      KeyHint("< >", env.t(XT.trcKeyKernel)), KeyHint("[ ]", env.t(T.keyInputSize)), KeyHint("r", env.t(T.keyRandom)),
    ]
  }

  public func helpText(_ env: Env) -> [String] { [env.t(XT.trcHelp1), env.t(XT.trcHelp2)] }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    guard let trace else {
      drawLines([(problem ?? "", theme.error)], from: area.y, in: area, canvas: &canvas)
      return
    }
    let stamp = trace.stamps[min(clock.index, trace.stamps.count - 1)]
    let (n, m) = (input.shape[1], input.shape[2])
    let inputPanel = MatrixPanel(
      title: env.t(XT.trcInputTitle, "\(n)x\(m)"), rows: n, cols: m, cellWidth: cellWidth(input.scalars),
      cell: { r, c in
        let i = r * m + c
        let text = NumberText.format(input[0, r, c])
        return (text, i == stamp.index ? theme.current : i < stamp.index ? theme.done : theme.text)
      }, margin: 0)
    let kernelPanel = MatrixPanel(
      title: "K", rows: kernel.shape[1], cols: kernel.shape[2], cellWidth: cellWidth(kernel.scalars),
      cell: { r, c in (NumberText.format(kernel[0, r, c]), theme.emphasis) }, margin: 0)
    let stamped = Tensor(shape: kernel.shape, scalars: kernel.scalars.map { $0 * stamp.value })
    let stampPanel = MatrixPanel(
      title: NumberText.format(stamp.value) + "*K", rows: kernel.shape[1], cols: kernel.shape[2],
      cellWidth: cellWidth(stamped.scalars),
      cell: { r, c in (NumberText.format(stamped[0, r, c]), theme.window) }, margin: 0)
    let partial = trace.partial(stamps: stamp.index + 1)
    let (fr, fc) = (partial.shape[1], partial.shape[2])
    let p = padding
    let outputPanel = MatrixPanel(
      title: env.t(XT.trcOutputTitle, "\(trace.output.shape[1])x\(trace.output.shape[2])"), rows: fr, cols: fc,
      cellWidth: cellWidth(trace.uncropped.scalars),
      cell: { r, c in
        let text = NumberText.format(partial[0, r, c])
        let cropped = r < p || c < p || r >= fr - p || c >= fc - p
        if stamp.rows.contains(r) && stamp.cols.contains(c) { return (text, cropped ? theme.paddingInWindow : theme.window) }
        return (text, cropped ? theme.padding : theme.text)
      }, margin: 0)
    let y = area.y + drawPanels([inputPanel, kernelPanel, stampPanel, outputPanel], in: area, canvas: &canvas, env: env)
    var lines: [(String, Style)] = []
    let rows = "\(stamp.rows.lowerBound)-\(stamp.rows.upperBound)"
    let cols = "\(stamp.cols.lowerBound)-\(stamp.cols.upperBound)"
    lines.append((env.t(XT.trcStep, stamp.index + 1, trace.stamps.count, stamp.inputRow, stamp.inputCol,
                        NumberText.format(stamp.value), rows, cols), theme.panelTitle))
    for (axis, size, k) in [(n, trace.output.shape[1], kernel.shape[1])] {
      lines.append((env.t(XT.trcOutputRule, axis, stride, padding, k, size), theme.emphasis))
    }
    if padding > 0 { lines.append((env.t(XT.trcCropped), theme.padding)) }
    for l in wrapText(env.t(XT.trcIntro, "\(n)x\(m)", "\(kernel.shape[1])x\(kernel.shape[2])", stride, padding), width: area.width - 2) {
      lines.append((l, theme.muted))
    }
    drawLines(lines, from: y, in: area, canvas: &canvas)
  }
}
