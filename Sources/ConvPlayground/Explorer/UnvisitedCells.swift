import ConvKit
import ConvTerminal

extension StepTrace {
  /// Input cells (inside the image) that no window reads: when the stride does not fit, the
  /// last rows or columns are never visited. Keys are `row * cols + col` of the input.
  var unvisitedCells: Set<Int> {
    // The windows are every row window times every column window, so a cell is read exactly
    // when its row and its column are: no need to walk the steps.
    let (h, w) = (input.shape[1], input.shape[2])
    let rows = Set(geometry.rows.unvisitedInputs)
    let cols = Set(geometry.cols.unvisitedInputs)
    guard !rows.isEmpty || !cols.isEmpty else { return [] }
    return Set((0..<(h * w)).filter { rows.contains($0 / w) || cols.contains($0 % w) })
  }
}

/// The note under a lesson whose input has cells no window visits, and the dilation rule.
func windowNotes(_ trace: StepTrace, env: Env, width: Int) -> [(String, Style)] {
  var lines: [(String, Style)] = []
  if !trace.unvisitedCells.isEmpty {
    let note = env.t(trace.geometry.rows.dilation > 1 ? XT.unvisitedDilation : XT.unvisited)
    for l in wrapText(note, width: width - 2) { lines.append((l, env.theme.pending)) }
  }
  let g = trace.geometry
  if g.rows.dilation > 1 {
    let text = env.t(XT.dilationRule, g.rows.kernel, g.rows.dilation, g.rows.effectiveKernel)
    lines.append((text, env.theme.text))
  }
  return lines
}
