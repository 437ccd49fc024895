import ConvKit
import ConvLocale
import ConvTerminal

/// A matrix drawn in a framed panel: right-aligned cells, one space apart. When the panel is
/// smaller than the matrix it shows the part around `focus` and says which rows and columns.
struct MatrixPanel {
  var title: String
  var rows: Int
  var cols: Int
  var cellWidth: Int
  /// Text and style of cell (row, col).
  var cell: (Int, Int) -> (String, Style)
  var focus: (row: Int, col: Int)?
  var titleStyle: Style? = nil
  /// Blank columns between the frame and the cells, each side.
  var margin = 1

  /// Width and height that show every cell (frame and margins included).
  var natural: (width: Int, height: Int) {
    (max(cols * (cellWidth + 1) - 1 + 2 + 2 * margin, title.count + 4), rows + 2)
  }

  func draw(in rect: Rect, canvas: inout Canvas, env: Env) {
    canvas.box(rect, title: title, style: env.theme.border, titleStyle: titleStyle ?? env.theme.panelTitle)
    let inner = Rect(
      x: rect.x + 1 + margin, y: rect.y + 1, width: rect.width - 2 - 2 * margin,
      height: rect.height - 2)
    guard inner.width > 0, inner.height > 0 else { return }
    let visibleCols = max(1, min(cols, (inner.width + 1) / (cellWidth + 1)))
    let visibleRows = max(1, min(rows, inner.height))
    func offset(_ total: Int, _ visible: Int, _ f: Int?) -> Int {
      guard total > visible, let f else { return 0 }
      return min(max(0, f - visible / 2), total - visible)
    }
    let r0 = offset(rows, visibleRows, focus?.row)
    let c0 = offset(cols, visibleCols, focus?.col)
    for r in 0..<visibleRows {
      var previous: Style?
      for c in 0..<visibleCols {
        let (text, style) = cell(r0 + r, c0 + c)
        let padded = String(repeating: " ", count: max(0, cellWidth - text.count)) + text
        let x = inner.x + c * (cellWidth + 1)
        canvas.put(padded, x: x, y: inner.y + r, style: style, maxWidth: cellWidth)
        // Neighbouring highlighted cells join into one block (the window reads as a shape).
        if c > 0, style == previous, style.bg != nil || style.reverse {
          canvas.put(" ", x: x - 1, y: inner.y + r, style: style)
        }
        previous = style
      }
    }
    if visibleRows < rows || visibleCols < cols {
      let note = " \(r0 + 1)-\(r0 + visibleRows)/\(rows) x \(c0 + 1)-\(c0 + visibleCols)/\(cols) "
      canvas.put(note, x: rect.x + max(1, rect.width - note.count - 1), y: rect.maxY - 1,
                 style: env.theme.muted, maxWidth: rect.width - 2)
    }
  }
}

/// Places boxes left to right, starting a new row when the next does not fit.
/// Returns one rect per size (clipped to `area`) and the height used.
func flow(_ sizes: [(width: Int, height: Int)], in area: Rect, gap: Int = 1) -> ([Rect], Int) {
  var rects: [Rect] = []
  var x = area.x
  var y = area.y
  var rowHeight = 0
  for s in sizes {
    let w = min(s.width, area.width)
    if x > area.x && x + w > area.maxX {
      x = area.x
      y += rowHeight
      rowHeight = 0
    }
    let h = min(s.height, max(0, area.maxY - y))
    rects.append(Rect(x: x, y: y, width: w, height: h))
    x += w + gap
    rowHeight = max(rowHeight, s.height)
  }
  return (rects, min(area.height, y + rowHeight - area.y))
}

/// Widest text of a set of values, as NumberText writes them.
func cellWidth<S: Sequence>(_ values: S, minimum: Int = 1) -> Int where S.Element == Float {
  values.reduce(minimum) { max($0, NumberText.format($1).count) }
}

func cellWidth<S: Sequence>(_ values: S, minimum: Int = 1) -> Int where S.Element == Double {
  values.reduce(minimum) { max($0, NumberText.format($1).count) }
}

/// Splits an equation at its " + " signs so that each line fits `width`; continuation lines
/// start with "+ ". Nothing is dropped: the course's equation stays readable term by term.
func wrapEquation(_ line: String, width: Int) -> [String] {
  guard line.count > width, width > 10 else { return [line] }
  let parts = line.components(separatedBy: " + ")
  var lines: [String] = []
  var current = ""
  for (i, part) in parts.enumerated() {
    let piece = i == 0 ? part : " + " + part
    if !current.isEmpty && current.count + piece.count > width {
      lines.append(current)
      current = "  + " + part
    } else {
      current += piece
    }
  }
  if !current.isEmpty { lines.append(current) }
  return lines
}

/// Word-wraps prose to `width` columns.
func wrapText(_ text: String, width: Int, indent: String = "") -> [String] {
  guard width > 8 else { return [text] }
  var lines: [String] = []
  var current = ""
  for word in text.split(separator: " ", omittingEmptySubsequences: false) {
    let w = String(word)
    if current.isEmpty {
      current = (lines.isEmpty ? "" : indent) + w
    } else if current.count + 1 + w.count > width {
      lines.append(current)
      current = indent + w
    } else {
      current += " " + w
    }
  }
  if !current.isEmpty { lines.append(current) }
  return lines
}

extension String {
  /// Splits at a separator string (the standard library's split takes one character).
  func components(separatedBy separator: String) -> [String] {
    var parts: [String] = []
    var rest = self[...]
    while let range = rest.range(of: separator) {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }
}

extension Substring {
  /// First occurrence of `needle` (the standard library has no substring search without Foundation).
  func range(of needle: String) -> Range<Index>? {
    let n = Array(needle)
    guard !n.isEmpty else { return nil }
    var i = startIndex
    while i < endIndex {
      var j = i
      var k = 0
      while k < n.count && j < endIndex && self[j] == n[k] {
        j = index(after: j)
        k += 1
      }
      if k == n.count { return i..<j }
      i = index(after: i)
    }
    return nil
  }
}

/// Speeds of the play key, in steps per second.
let playSpeeds: [Double] = [0.5, 1, 2, 4, 8, 16]

/// Panels placed with `flow` and drawn; panels with no room for a row of cells are skipped.
/// Returns the height used.
func drawPanels(_ panels: [MatrixPanel], in area: Rect, canvas: inout Canvas, env: Env) -> Int {
  let (rects, used) = flow(
    panels.map { (width: $0.natural.width, height: min($0.natural.height, area.height)) }, in: area)
  for (p, r) in zip(panels, rects) where r.height >= 3 { p.draw(in: r, canvas: &canvas, env: env) }
  return used
}

/// Lines of text from row `y` down to the bottom of `area`; returns the next free row.
@discardableResult
func drawLines(_ lines: [(String, Style)], from y: Int, in area: Rect, canvas: inout Canvas) -> Int {
  var y = y
  for (text, style) in lines where y < area.maxY {
    canvas.put(text, x: area.x + 1, y: y, style: style, maxWidth: area.width - 1)
    y += 1
  }
  return y
}

/// The output matrix filling in: cells before `current` computed, `current` highlighted, the
/// rest a dot. `first` is the step index of cell [0, 0] (RGB: one block of steps per filter).
func progressPanel(
  title: String, output: ExactTensor, current: Int, first: Int = 0, cellWidth: Int? = nil,
  titleStyle: Style? = nil, margin: Int = 1, unicode: Bool, theme: Theme
) -> MatrixPanel {
  let oh = output.shape[1]
  let ow = output.shape[2]
  let pending = unicode ? "·" : "."
  return MatrixPanel(
    title: title, rows: oh, cols: ow, cellWidth: cellWidth ?? ConvPlayground.cellWidth(output.values),
    cell: { r, c in
      let i = first + r * ow + c
      let text = NumberText.format(output[0, r, c])
      if i == current { return (text, theme.current) }
      return i < current ? (text, theme.done) : (pending, theme.pending)
    },
    focus: current >= first && current < first + oh * ow ? ((current - first) / ow, (current - first) % ow) : nil,
    titleStyle: titleStyle, margin: margin)
}

/// The notice and geometry error that head a lesson's text, in the current language, wrapped
/// to `width` columns.
func problemLines(notice: Tr?, refusal: String? = nil, error: GeometryError?, env: Env, width: Int) -> [(String, Style)] {
  var texts: [String] = []
  if let notice { texts.append(env.t(notice)) }
  // The engine's English line (a refused typed number), in the screen's language by the table.
  if let refusal { texts.append(env.lang == .es ? Spanish.line(refusal) : refusal) }
  if let error { texts.append(geometryMessage(error, env)) }
  return texts.flatMap { wrapText($0, width: width, indent: "  ") }.map { ($0, env.theme.error) }
}

extension ExactTensor {
  /// The same channels cut or grown to rows x cols; new cells come from `fill`.
  func resized(rows: Int, cols: Int, fill: () -> Double) -> ExactTensor {
    var t = ExactTensor(zeros: [shape[0], rows, cols])
    for ch in 0..<shape[0] {
      for r in 0..<rows {
        for c in 0..<cols {
          t[ch, r, c] = r < shape[1] && c < shape[2] ? self[ch, r, c] : fill()
        }
      }
    }
    return t
  }

  /// The same channels cut or grown to rows x cols around the centre cell, which stays the
  /// centre: cell (KH-1)/2, (KW-1)/2, as Keras centres a kernel. Shrinking sharpen twice leaves
  /// [5]; growing adds zeros alternately after and before. New cells are 0.
  func resizedAroundCentre(rows: Int, cols: Int) -> ExactTensor {
    let dr = (shape[1] - 1) / 2 - (rows - 1) / 2
    let dc = (shape[2] - 1) / 2 - (cols - 1) / 2
    var t = ExactTensor(zeros: [shape[0], rows, cols])
    for ch in 0..<shape[0] {
      for r in 0..<rows {
        for c in 0..<cols {
          let (sr, sc) = (r + dr, c + dc)
          if sr >= 0 && sr < shape[1] && sc >= 0 && sc < shape[2] { t[ch, r, c] = self[ch, sr, sc] }
        }
      }
    }
    return t
  }

  /// Whole numbers drawn from `range`, same shape.
  func randomized(in range: ClosedRange<Int>, using rng: inout SplitMix64) -> ExactTensor {
    var values: [Double] = []
    for _ in self.values { values.append(Double(Int.random(in: range, using: &rng))) }
    return ExactTensor(shape: shape, values: values)
  }
}

extension Tensor {
  /// As ExactTensor's (the screens with Float32 matrices: transposed, backprop, quiz).
  func resized(rows: Int, cols: Int, fill: () -> Float) -> Tensor {
    ExactTensor(self).resized(rows: rows, cols: cols) { Double(fill()) }.tensor
  }

  func randomized(in range: ClosedRange<Int>, using rng: inout SplitMix64) -> Tensor {
    ExactTensor(self).randomized(in: range, using: &rng).tensor
  }
}

/// The `?` overlay every screen shares: the screen's paragraphs, then its whole key table (each
/// key named in the screen's language), in a box that fits any canvas from 80x24 up. When the
/// text is longer than the box it scrolls (`offset`, see `maxOffset`) and says so in its
/// bottom edge. It clears its box and a one-cell margin around it, so no character of the screen
/// underneath is left beside the frame.
public struct HelpOverlay: Sendable {
  public var title: String
  public var paragraphs: [String]
  public var keys: [KeyHint]

  public init(title: String, paragraphs: [String], keys: [KeyHint]) {
    self.title = title
    self.paragraphs = paragraphs
    self.keys = keys
  }

  /// The box for a canvas of this size: at most 100 columns wide, with a cleared margin of one
  /// cell (at 80 columns the box and its margin cover every column: no sliver of the screen
  /// underneath is left at the edges).
  /// As tall as the text needs, up to the canvas less a row above and below.
  public func frame(width: Int, height: Int, env: Env) -> Rect {
    let w = max(10, min(width - 2, 100))
    let h = max(4, min(height - 2, lines(width: w, env: env).count + 3))
    return Rect(x: (width - w) / 2, y: (height - h) / 2, width: w, height: h)
  }

  /// Every line of the overlay, for a box `width` columns wide (frame included).
  public func lines(width: Int, env: Env) -> [(String, Style)] {
    let theme = env.theme
    let inner = width - 4
    var out: [(String, Style)] = []
    for p in paragraphs {
      for l in wrapText(p, width: inner) { out.append((l, theme.text)) }
      out.append(("", theme.text))
    }
    out.append((env.t(T.keysHeading), theme.panelTitle))
    let labels = keys.map { $0.label(env.lang) }
    let keyWidth = min(labels.map(\.count).max() ?? 1, inner / 3)
    // Two columns when every entry fits half the box: the whole table then often fits 80x24
    // without scrolling.
    let half = inner / 2
    let entries = zip(labels, keys).map { "  " + $0.0.padding(to: keyWidth) + "  " + $0.1.action }
    if entries.count > 4 && entries.allSatisfy({ $0.count < half }) {
      let rows = (entries.count + 1) / 2
      for i in 0..<rows {
        let right = i + rows < entries.count ? entries[i + rows] : ""
        out.append((entries[i].padding(to: half) + right, theme.text))
      }
      return out
    }
    for (label, hint) in zip(labels, keys) {
      let lead = "  " + label.padding(to: keyWidth) + "  "
      // A long action wraps under itself, never under the keys.
      let wrapped = wrapText(hint.action, width: max(10, inner - lead.count))
      for (i, l) in wrapped.enumerated() {
        out.append(((i == 0 ? lead : String(repeating: " ", count: lead.count)) + l, theme.text))
      }
    }
    return out
  }

  /// Rows of text the box shows at once.
  static func visibleRows(_ frame: Rect) -> Int { max(1, frame.height - 3) }

  /// The largest useful scroll offset on a canvas of this size.
  public func maxOffset(width: Int, height: Int, env: Env) -> Int {
    let f = frame(width: width, height: height, env: env)
    return max(0, lines(width: f.width, env: env).count - HelpOverlay.visibleRows(f))
  }

  /// Draws the overlay from line `offset` (clamped).
  public func draw(into canvas: inout Canvas, offset: Int, env: Env) {
    let theme = env.theme
    let f = frame(width: canvas.width, height: canvas.height, env: env)
    canvas.fill(Rect(x: f.x - 1, y: f.y - 1, width: f.width + 2, height: f.height + 2))
    canvas.box(f, title: title, style: theme.border, titleStyle: theme.panelTitle)
    let all = lines(width: f.width, env: env)
    let rows = HelpOverlay.visibleRows(f)
    let first = min(max(0, offset), max(0, all.count - rows))
    for (i, (text, style)) in all.dropFirst(first).prefix(rows).enumerated() {
      canvas.put(text, x: f.x + 2, y: f.y + 1 + i, style: style, maxWidth: f.width - 4)
    }
    // The last row inside the box: how to close, and how to scroll when there is more.
    let footer = all.count > rows
      ? env.t(T.helpScroll, first + 1, min(all.count, first + rows), all.count) : env.t(T.closeHelp)
    canvas.put(footer, x: f.x + 2, y: f.maxY - 2, style: theme.muted, maxWidth: f.width - 4)
  }
}
