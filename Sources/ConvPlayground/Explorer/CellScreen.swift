import ConvKit
import ConvTerminal

/// The computation behind a pooling cell, a dense unit, the output or a graph's join, opened
/// from the network screen: the pooling window and its maximum, a dense unit's largest
/// products, softmax worked out from the logits (exp, sum, divide), an Add's inputs summed, a
/// Concatenate's channels by input. q comes back to the network.
public struct CellScreen: Screen {
  enum Content {
    case pool(CellComputation.PoolWindow, layer: String, row: Int, col: Int, channel: Int)
    case dense(CellComputation.DenseUnit, layer: String, unit: Int, previous: FeatureShape)
    case softmax(CellComputation.Softmax, classNames: [String])
    /// `place`: the cell and channel, as the network screen wrote it.
    case add(CellComputation.AddCell, layer: String, place: String)
    case concatenate(CellComputation.ConcatChannel, layer: String, place: String, channel: Int)
  }

  let content: Content

  init(_ content: Content) { self.content = content }

  public var id: String { "network" }

  public mutating func update(_ msg: Msg, env: Env) -> Effect { .ignored }

  public func title(_ env: Env) -> String {
    switch content {
    case .pool(let p, let layer, let r, let c, let ch):
      return env.t(XT.poolTitle, layer + (p.mode == .max ? " (max)" : " (avg)"), r, c, ch + 1)
    case .dense(_, let layer, let unit, _): return layer + ": " + env.t(XT.denseTitle, unit, "")
    case .softmax: return env.t(XT.softmaxTitle)
    case .add(_, let layer, let place), .concatenate(_, let layer, let place, _): return layer + " " + place
    }
  }

  public func hints(_ env: Env) -> [KeyHint] { [] }
  public func helpText(_ env: Env) -> [String] { [env.t(XT.netHelp1)] }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    drawLines(lines(env, width: area.width - 2, unicode: canvas.unicode), from: area.y + 1, in: area, canvas: &canvas)
  }

  func lines(_ env: Env, width: Int, unicode: Bool) -> [(String, Style)] {
    let theme = env.theme
    var out: [(String, Style)] = []
    switch content {
    case .pool(let p, _, _, _, let ch):
      out.append((env.t(XT.netPoolFrom, "\(p.rows.count)x\(p.cols.count)", "\(p.rows.lowerBound)-\(p.rows.upperBound)",
                        "\(p.cols.lowerBound)-\(p.cols.upperBound)", ch + 1), theme.muted))
      out.append(("", theme.text))
      let side = max(1, p.cols.count)
      let texts = p.values.map { roundedText(Double($0), 4) }
      let w = texts.map(\.count).max() ?? 1
      for r in stride(from: 0, to: texts.count, by: side) {
        let row = texts[r..<min(texts.count, r + side)].map { String(repeating: " ", count: w - $0.count) + $0 }
        out.append(("  " + row.joined(separator: "  "), theme.window))
      }
      out.append(("", theme.text))
      let rule = p.mode == .max
        ? env.t(XT.poolRule, texts.joined(separator: ", "), roundedText(Double(p.value), 4))
        : "(" + texts.joined(separator: " + ") + ")/\(texts.count) = " + roundedText(Double(p.value), 4)
      out.append((rule, theme.emphasis))
    case .dense(let d, _, _, let previous):
      let ranked = d.products.sorted { abs($0.product) > abs($1.product) }
      let top = ranked.prefix(8)
      out.append((env.t(XT.denseTop, d.products.count), theme.panelTitle))
      for p in top {
        var from = "x[\(p.input)]"
        if previous.count == 3 {
          let k = p.input
          from += " = [\(k / previous[2] / previous[1]),\((k / previous[2]) % previous[1])] ch \(k % previous[2] + 1)"
        }
        out.append(("  " + from.padding(to: 24) + roundedText(Double(p.x), 4) + "*" + factorText(Double(p.weight), 4)
                      + " = " + roundedText(p.product, 4), theme.text))
      }
      let topSum = top.reduce(0.0) { $0 + $1.product }
      let rest = d.z - Double(d.bias) - topSum
      out.append((env.t(XT.denseRest, d.products.count - top.count, roundedText(rest, 4)), theme.muted))
      out.append((env.t(XT.denseTotal, roundedText(d.z - Double(d.bias), 4), factorText(Double(d.bias), 4), roundedText(d.z, 4)), theme.text))
      if d.activation == .relu {
        out.append((env.t(XT.neuronAfter, roundedText(d.z, 4), roundedText(max(0, d.z), 4)), theme.emphasis))
        out.append((env.t(XT.neuronReluNote), theme.muted))
      } else {
        let y = d.activation.apply([Float(d.z)], width: 1)[0]
        out.append(("\(d.activation.rawValue)(\(roundedText(d.z, 4))) = \(roundedText(Double(y), 4))", theme.emphasis))
      }
    case .softmax(let s, let names):
      out.append((env.t(XT.softmaxExp, roundedText(s.maximum, 4)), theme.panelTitle))
      let best = s.probabilities.indices.max { s.probabilities[$0] < s.probabilities[$1] } ?? 0
      let bar = unicode ? "█" : "#"
      for (k, z) in s.logits.enumerated() {
        let name = k < names.count ? names[k] : String(k)
        let p = s.probabilities[k]
        let line = String(name.prefix(10)).padding(to: 4) + "z " + roundedText(z, 3).padding(to: 9)
          + "exp " + NumberText.significant(s.exps[k], digits: 4).padding(to: 11)
          + "p " + NumberText.significant(p, digits: 4).padding(to: 11) + String(repeating: bar, count: Int((p * 10).rounded()))
        out.append(("  " + line, k == best ? theme.emphasis : theme.text))
      }
      out.append((env.t(XT.softmaxSum, NumberText.significant(s.sum, digits: 6)) + " · " + env.t(XT.softmaxDivide), theme.text))
      out.append((env.t(XT.softmaxTotal, roundedText(s.probabilities.reduce(0, +), 4)), theme.emphasis))
    case .add(let cell, _, _):
      out.append((env.t(XT.addIntro, ShapeText.compact(cell.shape)), theme.muted))
      out.append(("", theme.text))
      let width = cell.terms.map(\.name.count).max() ?? 1
      for t in cell.terms { out.append(("  " + t.name.padding(to: width + 2) + roundedText(Double(t.value), 4), theme.text)) }
      out.append(("", theme.text))
      let sum = cell.terms.map { factorText(Double($0.value), 4) }.joined(separator: " + ")
      out.append((env.t(XT.addRule, sum, roundedText(cell.sum, 4)), theme.emphasis))
      out.append((env.t(XT.addNote), theme.muted))
    case .concatenate(let c, _, _, let channel):
      let total = c.parts.reduce(0) { $0 + $1.count }
      out.append((env.t(XT.concatIntro, c.parts.map { String($0.count) }.joined(separator: " + ") + " = \(total)"), theme.muted))
      out.append(("", theme.text))
      let width = c.parts.map(\.name.count).max() ?? 1
      for (k, p) in c.parts.enumerated() {
        let line = "  " + p.name.padding(to: width + 2) + env.t(XT.concatChannels, p.first + 1, p.first + p.count, p.count)
        out.append((line, k == c.part ? theme.emphasis : theme.text))
      }
      out.append(("", theme.text))
      out.append((env.t(XT.concatThis, channel + 1, c.parts[c.part].name, c.channelInPart + 1, roundedText(Double(c.value), 4)),
                  theme.emphasis))
    }
    return out.flatMap { line in wrapText(line.0, width: width).map { ($0, line.1) } }
  }
}
