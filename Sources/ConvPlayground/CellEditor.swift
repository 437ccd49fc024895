import ConvTerminal

/// Editing one cell of a matrix on screen: arrows move, Tab changes matrix, digits type a
/// number, Enter stores it, Esc leaves editing. The screen owns the matrices; the editor only
/// says what the user asked for.
struct CellEditor: Equatable, Sendable {
  /// Which of the screen's editable matrices (0 = input, 1 = kernel, ...).
  var target: Int
  var row: Int
  var col: Int
  var buffer = ""

  enum Action: Equatable {
    case none
    case store(Float)
    case invalid
    /// A whole number the screen's Float32 matrix cannot hold exactly (past 2^24 = 16777216):
    /// refused rather than silently changed (the command line's matrices keep it exactly).
    case inexact
    case exit
    /// Not an editing key: the screen returns `.ignored` (and the app, while editing, does
    /// nothing with it either).
    case unused
  }

  /// `shapes` are the (rows, cols) of each editable matrix.
  mutating func handle(_ key: Key, shapes: [(rows: Int, cols: Int)]) -> Action {
    let shape = shapes[target]
    switch key {
    case .left: col = max(0, col - 1); buffer = ""
    case .right: col = min(shape.cols - 1, col + 1); buffer = ""
    case .up: row = max(0, row - 1); buffer = ""
    case .down: row = min(shape.rows - 1, row + 1); buffer = ""
    case .tab, .backTab:
      let n = shapes.count
      target = (target + (key == .tab ? 1 : n - 1)) % n
      row = min(row, shapes[target].rows - 1)
      col = min(col, shapes[target].cols - 1)
      buffer = ""
    case .backspace, .delete:
      if !buffer.isEmpty { buffer.removeLast() }
    case .escape:
      return .exit
    case .enter:
      if buffer.isEmpty { return .exit }
      guard let exact = Double(buffer), exact.isFinite else {
        buffer = ""
        return .invalid
      }
      buffer = ""
      let v = Float(exact)
      if exact == exact.rounded(), Double(v) != exact { return .inexact }
      return .store(v)
    case .char(let c):
      if c.isNumber || c == "-" || c == "." {
        if buffer.count < 9 { buffer.append(c) }
      } else if c == "e" {
        return .exit
      } else {
        return .unused
      }
    default:
      return .unused
    }
    return .none
  }
}
