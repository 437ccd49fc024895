import ConvImageIO
import ConvKit
import ConvTerminal
import Glibc

/// An 8-bit picture ready to draw: planar `[channels][height][width]`, 1 (gray) or 3 (RGB)
/// channels. The lab keeps one per thing it shows (original, grays, tinted channels, filter
/// result) so that a frame only samples, never converts or filters.
struct Picture: Equatable, Sendable {
  var width: Int
  var height: Int
  var channels: Int
  var pixels: [UInt8]

  /// Samples already in 0...255 (decoded files, gray conversions, colour maps), rounded half
  /// to even and clamped, as `Normalization.clip` writes them.
  init(_ image: Image) {
    self.init(image, normalization: .clip)
  }

  /// Any real numbers (a filter's result) turned into pixels by `normalization`, exactly the
  /// pixels `ImageFile.write` would store with the same normalization.
  init(_ image: Image, normalization: Normalization) {
    width = image.width
    height = image.height
    channels = image.channels
    let interleaved = normalization.pixels(of: image)
    if channels == 1 {
      pixels = interleaved
    } else {
      let n = width * height
      var planar = [UInt8](repeating: 0, count: interleaved.count)
      for p in 0..<n {
        for c in 0..<channels { planar[c * n + p] = interleaved[p * channels + c] }
      }
      pixels = planar
    }
  }

  /// The pixel at (x, y) as RGB (gray repeated).
  @inline(__always)
  func rgb(_ x: Int, _ y: Int) -> (Int, Int, Int) {
    let p = y * width + x
    if channels == 1 {
      let v = Int(pixels[p])
      return (v, v, v)
    }
    let n = width * height
    return (Int(pixels[p]), Int(pixels[n + p]), Int(pixels[2 * n + p]))
  }
}

/// Which part of the image a pane shows: image pixels per half-block pixel (`step`; below 1
/// when zoomed past the file's own pixels), the top-left corner, and the cells used.
struct Viewport: Equatable {
  var step: Double
  var originX: Double
  var originY: Double
  /// Cells used: columns, and rows of two pixels each.
  var cols: Int
  var rows: Int

  /// Fits a `width` x `height` image into `paneCols` x `paneRows` cells (two pixels per cell
  /// vertically), magnified `zoom` times and centred on the cursor as far as the image allows.
  init(width: Int, height: Int, paneCols: Int, paneRows: Int, zoom: Int, cursor: (x: Int, y: Int)) {
    let fit = max(Double(width) / Double(max(1, paneCols)), Double(height) / Double(max(1, 2 * paneRows)))
    step = fit / Double(max(1, zoom))
    cols = max(0, min(paneCols, Int((Double(width) / step).rounded(.up))))
    rows = max(0, min(paneRows, Int((Double(height) / (2 * step)).rounded(.up))))
    // When the cells span more than the image (the last cell only partly covered), the image
    // is centred: both edges get the same part of a cell, so a symmetric picture is drawn
    // symmetric (an image started at the left edge had its right edge weighed differently).
    func origin(_ c: Int, _ seen: Double, _ total: Int) -> Double {
      if seen >= Double(total) { return (Double(total) - seen) / 2 }
      return min(max(0, Double(c) + 0.5 - seen / 2), Double(total) - seen)
    }
    originX = origin(cursor.x, Double(cols) * step, width)
    originY = origin(cursor.y, Double(2 * rows) * step, height)
  }

  /// The cell (column, row) and half (0 top, 1 bottom) showing image pixel (x, y), if visible.
  func cell(of x: Int, _ y: Int) -> (col: Int, row: Int, half: Int)? {
    let c = Int(((Double(x) + 0.5 - originX) / step).rounded(.down))
    let p = Int(((Double(y) + 0.5 - originY) / step).rounded(.down))
    guard c >= 0, c < cols, p >= 0, p < 2 * rows else { return nil }
    return (c, p / 2, p % 2)
  }
}

/// Draws `picture` in `rect` as the viewport says: with colour, one U+2580 upper half block per
/// cell (foreground = top pixel, background = bottom pixel) in the nearest of the 256 palette
/// colours; without Unicode, a space whose background is the two pixels' mean; without colour,
/// a character from a ten-step gray ramp. A pixel of the screen averages up to 3x3 samples of
/// the image, so a fitted photo does not shimmer.
func drawPicture(
  _ picture: Picture, viewport v: Viewport, at origin: (x: Int, y: Int), cursor: (x: Int, y: Int)?,
  canvas: inout Canvas, colored: Bool
) {
  let samples = min(3, max(1, Int(v.step.rounded(.up))))
  // Averages the samples of a screen pixel that fall on the image; samples past an edge are
  // left out, not replaced by the edge pixel (which would weigh that edge more).
  func average(_ col: Int, _ py: Int) -> (Int, Int, Int) {
    var r = 0, g = 0, b = 0, n = 0
    for j in 0..<samples {
      let fy = (v.originY + (Double(py) + (Double(j) + 0.5) / Double(samples)) * v.step).rounded(.down)
      guard fy >= 0, fy < Double(picture.height) else { continue }
      for i in 0..<samples {
        let fx = (v.originX + (Double(col) + (Double(i) + 0.5) / Double(samples)) * v.step).rounded(.down)
        guard fx >= 0, fx < Double(picture.width) else { continue }
        let (pr, pg, pb) = picture.rgb(Int(fx), Int(fy))
        r += pr
        g += pg
        b += pb
        n += 1
      }
    }
    if n == 0 {
      // A cell wholly past the edge (rounding): the nearest pixel.
      let x = min(picture.width - 1, max(0, Int(v.originX + (Double(col) + 0.5) * v.step)))
      let y = min(picture.height - 1, max(0, Int(v.originY + (Double(py) + 0.5) * v.step)))
      return picture.rgb(x, y)
    }
    return ((r + n / 2) / n, (g + n / 2) / n, (b + n / 2) / n)
  }
  let ramp = Array(" .:-=+*#%@")
  for row in 0..<v.rows {
    for col in 0..<v.cols {
      let top = average(col, 2 * row)
      // The last row of an odd number of pixels has no bottom pixel: repeat the top one.
      let below = v.originY + Double(2 * row + 1) * v.step < Double(picture.height)
        && v.originY + Double(2 * row + 2) * v.step > 0
      let bottom = below ? average(col, 2 * row + 1) : top
      let cell: Cell
      if !colored {
        let l = (luma(top) + luma(bottom)) / 2
        cell = Cell(ramp[min(ramp.count - 1, l * ramp.count / 256)])
      } else if canvas.unicode {
        cell = Cell("▀", Style(fg: paletteColor(top), bg: paletteColor(bottom)))
      } else {
        let mean = ((top.0 + bottom.0) / 2, (top.1 + bottom.1) / 2, (top.2 + bottom.2) / 2)
        cell = Cell(" ", Style(bg: paletteColor(mean)))
      }
      canvas[origin.x + col, origin.y + row] = cell
    }
  }
  // The inspector's cursor: a cross in a colour that stands out from the pixel under it.
  if let cursor, let at = v.cell(of: cursor.x, cursor.y) {
    let x = origin.x + at.col
    let y = origin.y + at.row
    let under = canvas[x, y].style
    let mark: Character = canvas.unicode ? "┼" : "+"
    if colored {
      let base = at.half == 0 ? under.fg : under.bg
      let light = base.map { luma($0.rgb) > 110 } ?? true
      canvas[x, y] = Cell(mark, Style(fg: Color(light ? 16 : 231), bg: base, bold: true))
    } else {
      canvas[x, y] = Cell(mark, Style(bold: true, reverse: true))
    }
  }
}

/// Perceived brightness 0...255 (the course's 0.3, 0.59, 0.11 weights, in integers).
@inline(__always)
func luma(_ c: (Int, Int, Int)) -> Int { (30 * c.0 + 59 * c.1 + 11 * c.2) / 100 }

/// The xterm palette colour nearest to (r, g, b): the best of the 6x6x6 cube and the 24-step
/// gray ramp (squared RGB distance). Terminals with fewer colours map it down further.
func paletteColor(_ c: (Int, Int, Int)) -> Color {
  let (r, g, b) = c
  // Cube levels are 0, 95, 135, 175, 215, 255: nearest index per component.
  func index(_ v: Int) -> Int { v < 48 ? 0 : v < 115 ? 1 : min(5, (v - 35) / 40) }
  func level(_ i: Int) -> Int { i == 0 ? 0 : 55 + 40 * i }
  let (ir, ig, ib) = (index(r), index(g), index(b))
  let cube = (level(ir), level(ig), level(ib))
  let mean = (r + g + b) / 3
  let gi = mean < 3 ? 0 : min(23, (mean - 3) / 10)
  let gv = 8 + 10 * gi
  func d(_ x: (Int, Int, Int)) -> Int {
    (x.0 - r) * (x.0 - r) + (x.1 - g) * (x.1 - g) + (x.2 - b) * (x.2 - b)
  }
  return d((gv, gv, gv)) < d(cube) ? Color.gray(gi) : Color.cube(ir, ig, ib)
}

/// The lab's built-in picture, drawn by code so it is always there: a house with a window and
/// a door under a pitched roof, a sun in a blue sky, grass, and a checkerboard. Its straight
/// edges run horizontally, vertically and diagonally (the roof), so each edge kernel finds
/// something different. 96x64 RGB, whole values 0...255.
public func labSamplePicture() -> Image {
  let w = 96
  let h = 64
  let n = w * h
  var s = [Float](repeating: 0, count: 3 * n)
  func put(_ x: Int, _ y: Int, _ c: (Int, Int, Int)) {
    let p = y * w + x
    s[p] = Float(c.0)
    s[n + p] = Float(c.1)
    s[2 * n + p] = Float(c.2)
  }
  for y in 0..<h {
    for x in 0..<w {
      // Sky: darker blue at the top, lighter at the horizon.
      var c = (70 + y * 100 / 46, 130 + y * 80 / 46, 200 + y * 40 / 46)
      let dx = x - 78
      let dy = y - 13
      if dx * dx + dy * dy <= 64 { c = (255, 210, 60) }  // sun
      if y >= 46 { c = (y % 4 == 0 ? 50 : 70, 140, 60) }  // grass, with darker furrows
      // Roof: a triangle from (30, 12) down to y = 27, x 12...48.
      if y >= 12 && y < 28 && abs(x - 30) <= (y - 12) * 18 / 15 { c = (120, 60, 40) }
      if y >= 28 && y < 52 && x >= 16 && x <= 44 { c = (200, 80, 60) }  // walls
      if y >= 32 && y <= 38 && x >= 19 && x <= 25 { c = (240, 240, 200) }  // window
      if y >= 40 && y < 52 && x >= 28 && x <= 33 { c = (70, 40, 30) }  // door
      // Checkerboard, 6-pixel squares.
      if x >= 56 && x < 86 && y >= 28 && y < 58 {
        c = ((x - 56) / 6 + (y - 28) / 6) % 2 == 0 ? (20, 20, 20) : (235, 235, 235)
      }
      put(x, y, c)
    }
  }
  return Image(width: w, height: h, channels: 3, samples: s)
}
