import ConvTerminal

/// A progress bar of `width` cells: full blocks done, light shade to do (ASCII: # and .).
func progressBar(_ fraction: Double, width: Int, unicode: Bool) -> String {
  let w = max(0, width)
  let f = min(1, max(0, fraction.isFinite ? fraction : 0))
  let done = Int((f * Double(w)).rounded(.down))
  return String(repeating: unicode ? "█" : "#", count: done) + String(repeating: unicode ? "░" : ".", count: w - done)
}

/// Seconds as `1m05s` or `42s`.
func durationText(_ seconds: Double) -> String {
  guard seconds.isFinite, seconds >= 0 else { return "?" }
  let s = Int(seconds.rounded())
  return s >= 60 ? "\(s / 60)m\(String(format2(s % 60)))s" : "\(s)s"
}

private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// Four decimals, as Keras prints metrics.
func metric(_ x: Double) -> String {
  guard x.isFinite else { return "nan" }
  let scaled = Int((x * 10000).rounded())
  let sign = scaled < 0 ? "-" : ""
  let a = abs(scaled)
  let frac = String(a % 10000)
  return sign + "\(a / 10000)." + String(repeating: "0", count: 4 - frac.count) + frac
}

/// Draws a gray picture with half-block cells (U+2580: the top pixel is the foreground colour,
/// the bottom pixel the background), two pixel rows per text row, scaled by `step` pixels per
/// cell. Without colour, shade characters stand for the mean of the two pixels.
/// `low...high` maps to black...white (values outside are clipped).
func drawPlane(
  _ plane: GrayPlane, x: Int, y: Int, step: Int = 1, low: Float, high: Float, canvas: inout Canvas, theme: Theme
) {
  let s = max(1, step)
  let cols = (plane.width + s - 1) / s
  let rows = (plane.height + 2 * s - 1) / (2 * s)
  let span = high > low ? high - low : 1
  func level(_ px: Int, _ py: Int) -> Float {
    // Mean over the s x s block, outside the plane black.
    var sum: Float = 0
    var n: Float = 0
    for yy in py..<min(plane.height, py + s) {
      for xx in px..<min(plane.width, px + s) {
        sum += plane.values[yy * plane.width + xx]
        n += 1
      }
    }
    guard n > 0 else { return 0 }
    return min(1, max(0, (sum / n - low) / span))
  }
  let shades: [Character] = canvas.unicode ? [" ", "░", "▒", "▓", "█"] : [" ", ".", ":", "+", "#"]
  for r in 0..<rows {
    for c in 0..<cols {
      let top = level(c * s, 2 * r * s)
      let bottom = level(c * s, (2 * r + 1) * s)
      if theme.colored && canvas.unicode {
        canvas[x + c, y + r] = Cell(
          "▀", Style(fg: Color.gray(Int((top * 23).rounded())), bg: Color.gray(Int((bottom * 23).rounded()))))
      } else {
        canvas[x + c, y + r] = Cell(shades[min(4, Int(((top + bottom) / 2 * 4).rounded()))], theme.text)
      }
    }
  }
}

/// Cells a plane takes at `step`.
func planeSize(_ plane: GrayPlane, step: Int) -> (width: Int, height: Int) {
  let s = max(1, step)
  return ((plane.width + s - 1) / s, (plane.height + 2 * s - 1) / (2 * s))
}

/// A line chart in braille cells (2x4 dots per cell) of `points` (x, y) in the given ranges;
/// each series is drawn with its style. Returns nothing: draws into the canvas.
func brailleChart(
  _ series: [(points: [(Double, Double)], style: Style)], in rect: Rect, xRange: ClosedRange<Double>,
  yRange: ClosedRange<Double>, canvas: inout Canvas
) {
  guard rect.width > 0, rect.height > 0 else { return }
  let dotsW = rect.width * 2
  let dotsH = rect.height * 4
  var bits = [UInt8](repeating: 0, count: rect.width * rect.height)
  var styles = [Style?](repeating: nil, count: rect.width * rect.height)
  // Braille dot numbering: column 0 rows 0-3 are dots 1,2,3,7; column 1 dots 4,5,6,8.
  let mask: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
  let xs = xRange.upperBound - xRange.lowerBound
  let ys = yRange.upperBound - yRange.lowerBound
  func dot(_ x: Double, _ y: Double) -> (Int, Int) {
    let dx = xs > 0 ? (x - xRange.lowerBound) / xs : 0
    let dy = ys > 0 ? (y - yRange.lowerBound) / ys : 0
    let px = min(dotsW - 1, max(0, Int((dx * Double(dotsW - 1)).rounded())))
    let py = min(dotsH - 1, max(0, Int(((1 - dy) * Double(dotsH - 1)).rounded())))
    return (px, py)
  }
  for (points, style) in series {
    var previous: (Int, Int)?
    for (x, y) in points where x.isFinite && y.isFinite {
      let p = dot(x, y)
      // Join consecutive points with a straight run of dots.
      let from = previous ?? p
      let steps = max(abs(p.0 - from.0), abs(p.1 - from.1), 1)
      for i in 0...steps {
        let px = from.0 + (p.0 - from.0) * i / steps
        let py = from.1 + (p.1 - from.1) * i / steps
        let cell = (py / 4) * rect.width + px / 2
        bits[cell] |= mask[px % 2][py % 4]
        styles[cell] = style
      }
      previous = p
    }
  }
  for r in 0..<rect.height {
    for c in 0..<rect.width {
      let b = bits[r * rect.width + c]
      guard b != 0 else { continue }
      let ch: Character = canvas.unicode ? Character(Unicode.Scalar(0x2800 + UInt32(b))!) : "*"
      canvas[rect.x + c, rect.y + r] = Cell(ch, styles[r * rect.width + c] ?? .plain)
    }
  }
}
