import ConvKit
import ConvTerminal

/// One Conv2D neuron of a trained network, computed as the RGB lesson computes a filter: the
/// input window channel by channel beside that channel's kernel, the products, the partial
/// sums adding up, then the bias and ReLU setting a negative sum to zero. Weights and inputs
/// are rounded for display; every sum uses every digit. A DepthwiseConv2D neuron is the same
/// with one channel: its own kernel, nothing summed across channels.
public struct NeuronScreen: Screen {
  let neuron: CellComputation.Neuron
  let layerName: String
  let row: Int
  let col: Int
  let filter: Int
  var clock = StepClock()

  init(neuron: CellComputation.Neuron, layerName: String, row: Int, col: Int, filter: Int) {
    self.neuron = neuron
    self.layerName = layerName
    self.row = row
    self.col = col
    self.filter = filter
  }

  public var id: String { "network" }
  public var tickInterval: Double? { clock.interval }
  var channels: Int { neuron.windows.count }
  /// One step per input channel, then the total.
  var stepCount: Int { channels + 1 }

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    clock.handle(msg, count: stepCount) ? .none : .ignored
  }

  public func title(_ env: Env) -> String { env.t(XT.neuronTitle, layerName, row, col, filter + 1) }
  public func status(_ env: Env) -> String { clock.status(env, count: stepCount) }
  public func hints(_ env: Env) -> [KeyHint] { clock.hints(env) }
  public func helpText(_ env: Env) -> [String] { [env.t(T.helpRGB1)] }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let ch = min(clock.index, channels - 1)
    let (kh, kw) = (neuron.kernelRows, neuron.kernelCols)
    let window = neuron.windows[ch]
    let weights = neuron.weights[ch]
    let products = zip(window, weights).map { Double($0) * Double($1) }
    let showing = clock.index < channels
    func panel(_ title: String, _ texts: [String], _ style: @escaping (Int) -> Style) -> MatrixPanel {
      MatrixPanel(
        title: title, rows: kh, cols: kw, cellWidth: texts.map(\.count).max() ?? 1,
        cell: { r, c in (texts[r * kw + c], style(r * kw + c)) }, margin: 0)
    }
    let rows = "\(neuron.rows.lowerBound)-\(neuron.rows.upperBound)"
    let cols = "\(neuron.cols.lowerBound)-\(neuron.cols.upperBound)"
    let panels = [
      panel("x", window.map { roundedText(Double($0), 2) }) { i in
        neuron.padded[i] ? theme.padding : (showing ? theme.window : theme.text)
      },
      panel("w", weights.map { roundedText(Double($0), 3) }) { _ in theme.emphasis },
      panel("x*w", products.map { roundedText($0, 3) }) { _ in theme.text },
    ]
    let inputChannel = ch < neuron.channelNumbers.count ? neuron.channelNumbers[ch] : ch
    let label = env.t(XT.neuronWindow, rows, cols, inputChannel + 1, max(channels, neuron.inputChannels))
      + " · " + (neuron.depthwise ? env.t(XT.neuronOwnKernel, inputChannel + 1) : env.t(XT.neuronFilter, filter + 1, ch + 1))
    canvas.put(label, x: area.x + 1, y: area.y, style: theme.muted, maxWidth: area.width - 2)
    let panelArea = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
    let y = panelArea.y + drawPanels(panels, in: panelArea, canvas: &canvas, env: env)
    var lines: [(String, Style)] = []
    if showing {
      let terms = zip(window, weights).map { roundedText(Double($0), 2) + "*" + factorText(Double($1), 3) }
      let eq = env.t(XT.neuronPartial, inputChannel + 1, terms.joined(separator: " + "), roundedText(neuron.partialSums[ch], 4))
      for l in wrapEquation(eq, width: area.width - 2) { lines.append((l, theme.text)) }
    }
    // The partial sums so far, channel by channel.
    let done = min(clock.index + 1, channels)
    let sums = neuron.partialSums.prefix(done).map { factorText($0, 3) }.joined(separator: " + ")
    let running = neuron.partialSums.prefix(done).reduce(0, +)
    for l in wrapEquation("Σ " + sums + " = " + roundedText(running, 4), width: area.width - 2) {
      lines.append((l, theme.muted))
    }
    if !showing {
      if neuron.depthwise {
        lines.append((env.t(XT.neuronDepthwiseBias, roundedText(running, 4), factorText(Double(neuron.bias), 4),
                            roundedText(neuron.z, 4)), theme.text))
      } else {
        lines.append((env.t(XT.neuronBias, channels, roundedText(running, 4), factorText(Double(neuron.bias), 4),
                            roundedText(neuron.z, 4)), theme.text))
      }
      if neuron.activation == .relu {
        lines.append((env.t(XT.neuronBefore, roundedText(neuron.z, 4)), theme.text))
        lines.append((env.t(XT.neuronAfter, roundedText(neuron.z, 4), roundedText(neuron.value, 4)), theme.emphasis))
        lines.append((env.t(XT.neuronReluNote) + (neuron.z < 0 ? ": " + roundedText(neuron.z, 4) + " -> 0" : ""), theme.muted))
      } else {
        lines.append(("\(neuron.activation.rawValue)(\(roundedText(neuron.z, 4))) = \(roundedText(neuron.value, 4))", theme.emphasis))
      }
    }
    drawLines(lines, from: y, in: area, canvas: &canvas)
  }
}

/// A number rounded for display, in parentheses when negative (as the course writes products).
func factorText(_ value: Double, _ decimals: Int) -> String {
  let s = roundedText(value, decimals)
  return s.hasPrefix("-") ? "(" + s + ")" : s
}
