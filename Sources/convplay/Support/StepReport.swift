import ConvKit
import Foundation

/// Text rendering of a `StepTrace` for `convplay step` and `convplay pool --steps`.
///
/// Plain mode is stable text for pipes and tests: a header per step, the course's equation,
/// the window beside the kernel, the output matrix, then the output-size formula. Styled mode
/// (a terminal without NO_COLOR) also prints the input with the window highlighted and the
/// output filling in.
struct StepReport {
  struct Style {
    var highlight: Bool

    init(plain: Bool) {
      let env = ProcessInfo.processInfo.environment
      highlight = !plain && isatty(STDOUT_FILENO) == 1 && env["NO_COLOR"] == nil
        && env["TERM"] != "dumb"
    }
  }

  var trace: StepTrace
  var style: Style

  private var channelNames: [String]? {
    trace.input.shape[0] == 3 ? ["R", "G", "B"] : nil
  }

  func render(only: Int? = nil) -> String {
    var text = ""
    write(only: only) { text += $0 }
    return text
  }

  /// Hands the report to `emit` a step at a time, so that printing the steps of a large input
  /// never holds them all (the steps themselves are made one by one, see `StepList`).
  func write(only: Int? = nil, _ emit: (String) -> Void) {
    let g = trace.geometry
    let padded = g.rows.padBefore + g.rows.padAfter + g.cols.padBefore + g.cols.padAfter > 0
    if padded {
      emit(paddingLine() + "\n")
    }
    let indices: Range<Int> = only.map { $0..<($0 + 1) } ?? trace.steps.indices
    for i in indices {
      emit((stepLines(trace.steps[i], padded: padded) + [""]).joined(separator: "\n") + "\n")
    }
    var lines: [String] = []
    if only == nil {
      lines.append(localized("output:"))
      lines.append(MatrixText.format(trace.output))
    }
    lines.append(inRunLanguage(g.formulaLine))
    for (axis, name) in [(g.rows, "row"), (g.cols, "column")] {
      if let note = axis.visitNote(axis: name) {
        lines.append(localized("note: {0} (Keras and PyTorch floor the division)", inRunLanguage(note)))
      }
    }
    emit(lines.joined(separator: "\n") + "\n")
  }

  private func paddingLine() -> String {
    let g = trace.geometry
    let pr = trace.input.shape[1] + g.rows.padBefore + g.rows.padAfter
    let pc = trace.input.shape[2] + g.cols.padBefore + g.cols.padAfter
    return localized(
      "padding '{0}': {1} above, {2} below, {3} left, {4} right; padded input {5} x {6}",
      "\(g.rows.padding)", "\(g.rows.padBefore)", "\(g.rows.padAfter)", "\(g.cols.padBefore)",
      "\(g.cols.padAfter)", "\(pr)", "\(pc)")
  }

  private func stepLines(_ step: Step, padded: Bool) -> [String] {
    let total = trace.steps.count
    let rows = "\(step.paddedRows.lowerBound)-\(step.paddedRows.upperBound)"
    let cols = "\(step.paddedCols.lowerBound)-\(step.paddedCols.upperBound)"
    var cell = localized("output[{0},{1}]", "\(step.outputRow)", "\(step.outputCol)")
    if trace.output.shape[0] > 1 {
      let name = channelNames?[step.outputChannel] ?? "\(step.outputChannel)"
      cell += localized(" (channel {0})", name)
    }
    var header = localized("step {0}/{1}: {2}, window rows {3}, cols {4}", "\(step.index + 1)", "\(total)", cell, rows, cols)
    if padded { header += localized(" of the padded input") }
    var lines = [header]
    lines += step.equationLines(operation: trace.operation, channelNames: channelNames)
    lines += windowLines(step)
    if style.highlight {
      lines += highlightedInput(step)
      lines += partialOutput(upTo: step)
    }
    return lines
  }

  /// The window's values (per channel) beside the kernel's weights.
  private func windowLines(_ step: Step) -> [String] {
    let kr = trace.geometry.rows.kernel
    let kc = trace.geometry.cols.kernel
    let byChannel = Dictionary(grouping: step.terms, by: \.channel)
    var out: [String] = []
    for c in byChannel.keys.sorted() {
      let terms = byChannel[c]!
      let window = (0..<kr).map { i in (0..<kc).map { terms[i * kc + $0].value } }
      let left = MatrixText.aligned(window)
      var label = localized("window")
      if byChannel.count > 1 { label = localized("{0} window", channelNames?[c] ?? localized("channel {0}", "\(c)")) }
      let pad = String(repeating: " ", count: label.count + 2)
      if let kernel = trace.kernel {
        let kch = kernel.shape[0] == 1 ? 0 : c
        let right = MatrixText.aligned(kernel.rows(ofChannel: kch))
        for i in 0..<kr {
          out.append("  " + (i == 0 ? label + ": " : pad) + left[i] + "  |  "
            + (i == 0 ? "kernel: " : "        ") + right[i])
        }
      } else {
        for i in 0..<kr { out.append("  " + (i == 0 ? label + ": " : pad) + left[i]) }
      }
    }
    return out
  }

  private static let reverse = "\u{1B}[7m"
  private static let dim = "\u{1B}[2m"
  private static let bold = "\u{1B}[1m"
  private static let reset = "\u{1B}[0m"

  /// The padded input with the current window in reverse video and padding dimmed.
  private func highlightedInput(_ step: Step) -> [String] {
    let g = trace.geometry
    let c = step.terms.first?.channel ?? 0
    let h = trace.input.shape[1]
    let w = trace.input.shape[2]
    let values = trace.input.rows(ofChannel: c)
    let width = max(3, MatrixText.aligned(values).first.map { $0.split(separator: " ").map(\.count).max() ?? 3 } ?? 3)
    var lines = ["  " + localized("input:")]
    for pr in 0..<(h + g.rows.padBefore + g.rows.padAfter) {
      var line = "    "
      for pc in 0..<(w + g.cols.padBefore + g.cols.padAfter) {
        let r = pr - g.rows.padBefore
        let col = pc - g.cols.padBefore
        let inside = r >= 0 && r < h && col >= 0 && col < w
        let text = inside ? NumberText.format(values[r][col]) : "0"
        let cell = String(repeating: " ", count: max(0, width - text.count)) + text
        let inWindow = step.terms.contains {
          $0.inputRow == r && $0.inputCol == col && $0.channel == c
        }
        if inWindow {
          line += StepReport.reverse + cell + StepReport.reset + " "
        } else if !inside {
          line += StepReport.dim + cell + StepReport.reset + " "
        } else {
          line += cell + " "
        }
      }
      lines.append(line)
    }
    return lines
  }

  /// The output so far; cells not yet computed show a dot, the current one is bold.
  private func partialOutput(upTo step: Step) -> [String] {
    let oh = trace.output.shape[1]
    let ow = trace.output.shape[2]
    let oc = step.outputChannel
    let texts = (0..<oh).map { r in (0..<ow).map { NumberText.format(trace.output[oc, r, $0]) } }
    let width = texts.flatMap { $0 }.map(\.count).max() ?? 1
    var lines = ["  " + localized("output:")]
    for r in 0..<oh {
      var line = "    "
      for col in 0..<ow {
        let idx = (oc * oh + r) * ow + col
        let text = idx <= step.index ? texts[r][col] : "."
        let cell = String(repeating: " ", count: width - text.count) + text
        line += (idx == step.index ? StepReport.bold + cell + StepReport.reset : cell) + " "
      }
      lines.append(line)
    }
    return lines
  }
}
