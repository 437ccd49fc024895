import ConvKit
import ConvTerminal

/// One channel of a layer's output, ready to draw: `height` x `width` values, row by row.
struct FeatureMap {
  var width: Int
  var height: Int
  var values: [Float]

  /// Channel `channel` of an NHWC output `[H, W, C]`.
  init(_ output: [Float], shape: FeatureShape, channel: Int) {
    let (h, w, c) = (shape[0], shape[1], shape[2])
    width = w
    height = h
    values = (0..<(h * w)).map { output[$0 * c + channel] }
  }

  /// A flat vector laid out `columns` wide (the last row padded with zeros).
  init(flat: [Float], columns: Int) {
    width = max(1, columns)
    height = max(1, (flat.count + width - 1) / width)
    values = flat + [Float](repeating: 0, count: width * height - flat.count)
  }

  var largestMagnitude: Float { values.reduce(0) { max($0, abs($1)) } }
}

/// Draws `map` with half blocks: each character is one column and two rows of the map shrunk
/// by `step` (a pixel averages a step x step block). Colour: a diverging scale, red negative,
/// white zero, blue positive, scaled by `scale` (the largest magnitude). Without colour a gray
/// ramp of |value|. `cursor` (map coordinates) is drawn as a marked character.
func drawFeatureMap(
  _ map: FeatureMap, x: Int, y: Int, step: Int = 1, scale: Float, cursor: (row: Int, col: Int)? = nil,
  canvas: inout Canvas, theme: Theme
) {
  let s = max(1, step)
  let cols = (map.width + s - 1) / s
  let rows = (map.height + 2 * s - 1) / (2 * s)
  let span = scale > 0 ? scale : 1
  func level(_ px: Int, _ py: Int) -> Float? {
    guard px < map.width, py < map.height else { return nil }
    var sum: Float = 0
    var n: Float = 0
    for yy in py..<min(map.height, py + s) {
      for xx in px..<min(map.width, px + s) {
        sum += map.values[yy * map.width + xx]
        n += 1
      }
    }
    return n > 0 ? max(-1, min(1, sum / n / span)) : nil
  }
  let shades: [Character] = canvas.unicode ? [" ", "░", "▒", "▓", "█"] : [" ", ".", ":", "+", "#"]
  for r in 0..<rows {
    for c in 0..<cols {
      let top = level(c * s, 2 * r * s)
      let bottom = level(c * s, (2 * r + 1) * s)
      let isCursor = cursor.map { $0.col / s == c && $0.row / (2 * s) == r } ?? false
      if theme.colored && canvas.unicode {
        var cell = Cell("▀", Style(fg: divergingColor(top ?? 0), bg: bottom.map(divergingColor) ?? Color(16)))
        if isCursor {
          let upper = (cursor!.row / s) % 2 == 0
          cell = Cell(upper ? "▀" : "▄", Style(fg: Color(226), bg: Color(16), bold: true))
        }
        canvas[x + c, y + r] = cell
      } else {
        let mean = ((abs(top ?? 0)) + abs(bottom ?? top ?? 0)) / 2
        let glyph = isCursor ? Character(canvas.unicode ? "◆" : "@") : shades[min(4, Int((mean * 4).rounded()))]
        canvas[x + c, y + r] = Cell(glyph, isCursor ? theme.current : theme.text)
      }
    }
  }
}

/// Size in characters of `map` drawn with `step`.
func featureMapSize(_ map: FeatureMap, step: Int) -> (width: Int, height: Int) {
  let s = max(1, step)
  return ((map.width + s - 1) / s, (map.height + 2 * s - 1) / (2 * s))
}

/// Red (-1) through white (0) to blue (+1) in the 6x6x6 colour cube.
func divergingColor(_ t: Float) -> Color {
  let a = Int((abs(t) * 5).rounded())
  return t < 0 ? Color.cube(5, 5 - a, 5 - a) : Color.cube(5 - a, 5 - a, 5)
}

/// The legend of the diverging scale: `-1.23 ███ 0 ███ 1.23`.
func drawLegend(x: Int, y: Int, scale: Float, width: Int, canvas: inout Canvas, env: Env) {
  let theme = env.theme
  let low = "-" + roundedText(Double(scale), 2)
  let high = roundedText(Double(scale), 2)
  var cx = canvas.put(low + " ", x: x, y: y, style: theme.muted, maxWidth: width)
  if theme.colored && canvas.unicode {
    for i in -5...5 where cx < x + width - high.count - 1 {
      canvas[cx, y] = Cell("█", Style(fg: divergingColor(Float(i) / 5)))
      cx += 1
    }
  } else {
    cx = canvas.put(canvas.unicode ? "█▓▒░ ░▒▓█" : "#+:. .:+#", x: cx, y: y, style: theme.text, maxWidth: x + width - cx)
  }
  canvas.put(" " + high, x: cx, y: y, style: theme.muted, maxWidth: x + width - cx)
}

/// `value` rounded to `decimals` places, written as NumberText writes numbers.
func roundedText(_ value: Double, _ decimals: Int) -> String {
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  return NumberText.format((value * scale).rounded() / scale)
}
