import ConvKit
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
  /// Characters a cell takes: -9007199254740993 (17) fits, so the refusal is seen.
  static let maxTyped = 20

  enum Action: Equatable {
    case none
    /// The value as typed (Double: whole numbers exact up to 2^53, as `convplay step` keeps them).
    case store(Double)
    case invalid
    /// A number the command line refuses too (a whole number past 2^53): the engine's English
    /// line (`MatrixText.NumberProblem.message`), shown in the screen's language.
    case refused(String)
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
      // The command line's own reading of a typed number (MatrixText.number), so a cell keeps
      // and refuses exactly what a --matrix file does.
      let typed = buffer
      buffer = ""
      switch MatrixText.number(typed) {
      case .success(let v): return .store(v)
      case .failure(.tooLarge): return .refused(MatrixText.NumberProblem.tooLarge(typed).message)
      case .failure(.notANumber): return .invalid
      }
    case .char(let c):
      if c.isNumber || c == "-" || c == "." {
        // Room for every whole number a Double holds exactly (2^53 has 16 digits) and one more.
        if buffer.count < Self.maxTyped { buffer.append(c) }
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
