/// A colour of the xterm 256-colour palette (0-15 the ANSI colours, 16-231 a 6x6x6 cube,
/// 232-255 grays). The terminal maps it down when it has fewer colours.
public struct Color: Hashable, Sendable {
  public var index: UInt8
  public init(_ index: UInt8) { self.index = index }

  /// A colour of the 6x6x6 cube, each component 0...5.
  public static func cube(_ r: Int, _ g: Int, _ b: Int) -> Color {
    let cr: Int = min(max(r, 0), 5)
    let cg: Int = min(max(g, 0), 5)
    let cb: Int = min(max(b, 0), 5)
    let i: Int = 16 + 36 * cr + 6 * cg + cb
    return Color(UInt8(i))
  }

  /// One of the 24 grays, 0 (near black) ... 23 (near white).
  public static func gray(_ level: Int) -> Color { Color(UInt8(232 + min(max(level, 0), 23))) }

  /// The colour's red, green and blue as xterm defines the palette.
  public var rgb: (r: Int, g: Int, b: Int) {
    let i = Int(index)
    if i < 16 {
      let base: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
        (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
        (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
      ]
      return base[i]
    }
    if i >= 232 {
      let v = 8 + 10 * (i - 232)
      return (v, v, v)
    }
    let c = i - 16
    let level = { (n: Int) in n == 0 ? 0 : 55 + 40 * n }
    return (level(c / 36), level((c / 6) % 6), level(c % 6))
  }

  /// The nearest of the first `count` ANSI colours (8 or 16), for terminals without 256.
  public func nearestANSI(count: Int) -> Int {
    if Int(index) < count { return Int(index) }
    let (r, g, b) = rgb
    var best = 0
    var bestDistance = Int.max
    for i in 0..<count {
      let (cr, cg, cb) = Color(UInt8(i)).rgb
      let d = (r - cr) * (r - cr) + (g - cg) * (g - cg) + (b - cb) * (b - cb)
      if d < bestDistance {
        bestDistance = d
        best = i
      }
    }
    return best
  }
}

/// How a cell is drawn. Colours are optional so that a monochrome terminal (or NO_COLOR) still
/// shows meaning through bold, dim, reverse and underline.
public struct Style: Hashable, Sendable {
  public var fg: Color?
  public var bg: Color?
  public var bold: Bool
  public var dim: Bool
  public var reverse: Bool
  public var underline: Bool

  public init(
    fg: Color? = nil, bg: Color? = nil, bold: Bool = false, dim: Bool = false,
    reverse: Bool = false, underline: Bool = false
  ) {
    self.fg = fg
    self.bg = bg
    self.bold = bold
    self.dim = dim
    self.reverse = reverse
    self.underline = underline
  }

  public static let plain = Style()
}

/// One character cell.
public struct Cell: Hashable, Sendable {
  public var char: Character
  public var style: Style
  public init(_ char: Character, _ style: Style = .plain) {
    self.char = char
    self.style = style
  }
}

/// A rectangle of cells, in columns (x) and rows (y).
public struct Rect: Hashable, Sendable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }
  public var maxX: Int { x + width }
  public var maxY: Int { y + height }
  /// The rectangle shrunk by `n` cells on every side.
  public func inset(_ n: Int) -> Rect {
    Rect(x: x + n, y: y + n, width: max(0, width - 2 * n), height: max(0, height - 2 * n))
  }
}

/// Line-drawing characters: Unicode box drawing where the locale is UTF-8, ASCII otherwise.
public struct BoxGlyphs: Sendable {
  public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character
  public static let unicode = BoxGlyphs(
    horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
    bottomRight: "┘")
  public static let ascii = BoxGlyphs(
    horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
    bottomRight: "+")
}

/// A screen's worth of styled cells. Screens draw here (never with escape codes); the terminal
/// copies it to ncurses, and tests read it back as text.
///
/// Every character is taken to be one column wide: convplay's strings (Latin letters with
/// accents, digits, box drawing, arrows) all are.
public struct Canvas: Sendable {
  public let width: Int
  public let height: Int
  /// Whether Unicode symbols (box drawing, arrows, middle dot) may be used.
  public let unicode: Bool
  public private(set) var cells: [Cell]
  /// Every `put` whose text did not fit (the canvas edge or `maxWidth`) and lost more than
  /// spaces: where it was written and the whole text. Layout tests read it to find cut words;
  /// a screen that shortens on purpose does so before `put` (with an ellipsis).
  public private(set) var truncations: [Truncation] = []

  /// Text `put` could not write whole.
  public struct Truncation: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var text: String
    /// What was written.
    public var shown: String
    public var description: String { "(\(x),\(y)) \"\(shown)\" of \"\(text)\"" }
  }

  public init(width: Int, height: Int, unicode: Bool = true) {
    self.width = max(0, width)
    self.height = max(0, height)
    self.unicode = unicode
    cells = Array(repeating: Cell(" "), count: self.width * self.height)
  }

  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }
  public var glyphs: BoxGlyphs { unicode ? .unicode : .ascii }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set {
      guard x >= 0, y >= 0, x < width, y < height else { return }
      cells[y * width + x] = newValue
    }
  }

  /// Writes `text` from (x, y), clipped to the canvas and to `maxWidth` columns. Returns the
  /// column just after the last character written.
  @discardableResult
  public mutating func put(
    _ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil
  ) -> Int {
    guard y >= 0, y < height else { return x }
    let limit = min(width, maxWidth.map { x + $0 } ?? width)
    var col = x
    var written = 0
    for ch in text {
      if col >= limit { break }
      if col >= 0 { cells[y * width + col] = Cell(ch, style) }
      col += 1
      written += 1
    }
    if written < text.count, text.dropFirst(written).contains(where: { $0 != " " }) {
      truncations.append(Truncation(x: x, y: y, text: text, shown: String(text.prefix(written))))
    }
    return col
  }

  /// Changes the style of existing cells without touching their characters.
  public mutating func restyle(_ rect: Rect, _ transform: (inout Style) -> Void) {
    for y in max(0, rect.y)..<min(height, rect.maxY) {
      for x in max(0, rect.x)..<min(width, rect.maxX) {
        transform(&cells[y * width + x].style)
      }
    }
  }

  public mutating func fill(_ rect: Rect, char: Character = " ", style: Style = .plain) {
    guard rect.width > 0, rect.height > 0 else { return }
    for y in max(0, rect.y)..<min(height, rect.maxY) {
      for x in max(0, rect.x)..<min(width, rect.maxX) {
        cells[y * width + x] = Cell(char, style)
      }
    }
  }

  /// A frame around `rect` with an optional title in its top edge.
  public mutating func box(_ rect: Rect, title: String? = nil, style: Style = .plain,
                           titleStyle: Style? = nil) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let g = glyphs
    for x in (rect.x + 1)..<(rect.maxX - 1) {
      self[x, rect.y] = Cell(g.horizontal, style)
      self[x, rect.maxY - 1] = Cell(g.horizontal, style)
    }
    for y in (rect.y + 1)..<(rect.maxY - 1) {
      self[rect.x, y] = Cell(g.vertical, style)
      self[rect.maxX - 1, y] = Cell(g.vertical, style)
    }
    self[rect.x, rect.y] = Cell(g.topLeft, style)
    self[rect.maxX - 1, rect.y] = Cell(g.topRight, style)
    self[rect.x, rect.maxY - 1] = Cell(g.bottomLeft, style)
    self[rect.maxX - 1, rect.maxY - 1] = Cell(g.bottomRight, style)
    if let title, rect.width > 4 {
      put(" " + title + " ", x: rect.x + 1, y: rect.y, style: titleStyle ?? style,
          maxWidth: rect.width - 2)
    }
  }

  /// One row as text, trailing spaces removed.
  public func row(_ y: Int) -> String {
    var s = String(cells[(y * width)..<(y * width + width)].map(\.char))
    while s.last == " " { s.removeLast() }
    return s
  }

  /// The whole canvas as text: what snapshot tests compare.
  public var text: String {
    (0..<height).map(row).joined(separator: "\n")
  }

  /// Column of the first occurrence of `needle` in row `y`, if any (for tests and layout checks).
  public func find(_ needle: String, inRow y: Int) -> Int? {
    let chars = cells[(y * width)..<(y * width + width)].map(\.char)
    let n = Array(needle)
    guard n.count <= chars.count, !n.isEmpty else { return nil }
    for x in 0...(chars.count - n.count) where Array(chars[x..<(x + n.count)]) == n {
      return x
    }
    return nil
  }
}
