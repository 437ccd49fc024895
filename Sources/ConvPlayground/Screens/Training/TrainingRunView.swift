import ConvData
import ConvImageIO
import ConvKit
import ConvTerminal
import Foundation

/// The dashboard during and after a run: bars, numbers, and the five views.
extension TrainingScreen {
  func drawDashboard(_ canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    var y = area.y
    let x = area.x + 1
    let w = area.width - 2
    var head = "\(ran.modelName) · \(datasetLabel(of: ran)) · \(ran.optimizer.rawValue) lr "
      + NumberText.format(Double(ran.learningRate)) + " · batch \(ran.batch)"
    if let ft = ran.finetune {
      head = "\(env.t(T.trFinetuneHead, modelLabel(env, of: ran))) · \(datasetLabel(of: ran)) · adam lr "
        + NumberText.format(Double(ft.plan.learningRate)) + "/" + NumberText.format(Double(ft.plan.phase2LearningRate))
        + " · batch \(ft.plan.batch)"
    }
    if let a = ran.augmentation, ran.finetune == nil || ran.finetune?.pretrained != nil {
      // The whole transform list when it fits, else the preset's name.
      let full = " · " + env.t(T.trAugmentHead, a.description)
      head += head.count + full.count <= w ? full : " · " + env.t(T.trAugmentHead, augmentLabel(env, of: ran))
    }
    // The split counts when they fit whole (never a cut word).
    if let c = counts {
      let split = " · " + env.t(T.trSplitCounts, NumberText.grouped(c.training), NumberText.grouped(c.validation), NumberText.grouped(c.test))
      if head.count + split.count <= w { head += split }
    }
    canvas.put(canvas.unicode ? head : head.replacingOccurrences(of: "·", with: "-"), x: x, y: y, style: theme.muted, maxWidth: w)
    y += 1
    // Bars: the epoch bar counts finished epochs plus the current one's fraction.
    let batchFraction = batches > 0 ? Double(batch) / Double(batches) : 0
    let epochFraction = epochs > 0 ? (Double(max(epoch - 1, 0)) + batchFraction) / Double(epochs) : 0
    let label1 = env.t(T.trEpochBar, epoch, epochs).padding(to: 14)
    let label2 = env.t(T.trBatchBar, batch, batches).padding(to: 14)
    let barWidth = max(10, min(40, w - 14 - 36))
    canvas.put(label1 + progressBar(epochFraction, width: barWidth, unicode: canvas.unicode) + " \(Int(epochFraction * 100))%",
               x: x, y: y, style: theme.text)
    y += 1
    let perBatch = batch > 0 ? epochSeconds / Double(batch) : 0
    let remaining = Double(batches - batch) + Double(max(0, epochs - epoch)) * Double(batches)
    let seen = min(batch * ran.batch, counts?.training ?? batch * ran.batch)
    var rate = epochSeconds > 0 ? Double(seen) / epochSeconds : 0
    var tail = ""
    if phase == .finished || phase == .stopped {
      // The whole run's rate, as `convplay train` reports it.
      let total = history.reduce(0) { $0 + $1.seconds }
      if total > 0 { rate = Double(history.reduce(0) { $0 + $1.images }) / total }
      tail = " " + durationText(history.reduce(0) { $0 + $1.seconds })
    } else if batch > 0 {
      tail = " " + env.t(T.trEta, durationText(perBatch * remaining))
    }
    if rate > 0 { tail += " · " + env.t(T.trRate, NumberText.grouped(Int(rate.rounded()))) }
    canvas.put(label2 + progressBar(batchFraction, width: barWidth, unicode: canvas.unicode) + tail, x: x, y: y, style: theme.text, maxWidth: w)
    y += 1
    var numbers = "loss \(metric(loss))  accuracy \(metric(accuracy))"
    if let last = history.last {
      if let v = last.validationLoss { numbers += "  val_loss \(metric(v))" }
      if let v = last.validationAccuracy { numbers += "  val_accuracy \(metric(v))" }
    }
    canvas.put(numbers, x: x, y: y, maxWidth: w)
    y += 1
    // Phase and test accuracy per epoch.
    var state: (String, Style)
    switch phase {
    case .loading: state = (env.t(T.trLoading, ran.dataset.displayName), theme.muted)
    case .paused: state = (env.t(T.trPaused), theme.emphasis)
    case .finished: state = (env.t(T.trFinished), theme.done)
    case .stopped: state = (env.t(T.trStopped), theme.emphasis)
    case .failed(let why): state = (env.t(T.trFailed, why), theme.error)
    default: state = (env.t(T.trRunning), theme.text)
    }
    switch notice {
    case .saved(let path): state = (env.t(T.trSaved, path), theme.done)
    case .saveFailed(let why): state = (env.t(T.trFailed, why), theme.error)
    case .fetched, nil: break
    }
    if let e = extraction, phase == .training {
      state = (env.t(T.ftExtracting, NumberText.grouped(e.done), NumberText.grouped(e.of)), theme.text)
    }
    if confirmingLeave { state = (env.t(T.trConfirmLeave), theme.error) }
    let end = canvas.put(state.0, x: x, y: y, style: state.1, maxWidth: w)
    if !testAccuracies.isEmpty, !confirmingLeave, end + 4 < x + w {
      let list = zip(testEpochs, testAccuracies).map { "\($0): \(metric($1))" }.suffix(5).joined(separator: "  ")
      canvas.put("  " + env.t(T.trTestAccuracy) + " " + list, x: end, y: y, style: theme.emphasis, maxWidth: x + w - end)
    }
    y += 1
    // Fine-tuning: each phase started, what trains, Keras's counts (as `convplay finetune`
    // prints them) and, once it ended, its test accuracy.
    if ran.finetune != nil {
      for (text, style) in phaseLines(env) {
        for line in wrapText(canvas.unicode ? text : text.replacingOccurrences(of: "·", with: "-"), width: w) {
          canvas.put(line, x: x, y: y, style: style, maxWidth: w)
          y += 1
        }
      }
    }
    // View tabs.
    var tx = x
    let names = [T.trViewCurves, T.trViewConfusion, T.trViewErrors, T.trViewFilters, T.trViewLayers]
    for (i, n) in names.enumerated() {
      let label = " \(i + 1) \(env.t(n)) "
      tx = canvas.put(label, x: tx, y: y, style: i == view ? theme.selected : theme.muted) + 1
    }
    y += 1
    let rest = Rect(x: area.x, y: y, width: area.width, height: area.maxY - y)
    switch view {
    case 0: drawCurves(&canvas, rect: rest, env: env)
    case 1: drawConfusion(&canvas, rect: rest, env: env)
    case 2: drawErrors(&canvas, rect: rest, env: env)
    case 3: drawFilters(&canvas, rect: rest, env: env)
    default: drawLayers(&canvas, rect: rest, env: env)
    }
  }

  /// One line per fine-tuning phase started: its name, its counts, its test accuracy; the
  /// running one in the emphasis style.
  func phaseLines(_ env: Env) -> [(String, Style)] {
    guard !phases.isEmpty else { return [(env.t(T.trPhaseWaiting), env.theme.emphasis)] }
    return phases.keys.sorted().map { n in
      let p = phases[n]!
      let frozen = p.trainable.filter { !$0 }.count
      let name = p.baseFrozen ? T.trPhaseFrozen : frozen > 0 ? T.trPhaseJoint : T.trPhaseAll
      var text = env.t(name, p.number, frozen, p.trainable.count)
        + " · " + env.t(T.trPhaseCounts, NumberText.grouped(p.counts.trainable), NumberText.grouped(p.counts.nonTrainable))
      if let a = phaseAccuracies[n] { text += " · " + env.t(T.trPhaseTest, metric(a)) }
      return (text, n == phaseInfo?.phase.number && isRunning ? env.theme.emphasis : env.theme.text)
    }
  }

  /// Where phase 2 starts on the curves' epoch axis (nil when the run has one phase).
  var phaseBoundary: Int? {
    guard let plan = ran.finetune?.plan, plan.freezeEpochs > 0, plan.finetuneEpochs > 0 else { return nil }
    return plan.freezeEpochs
  }

  func drawCurves(_ canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    guard rect.height >= 5 else { return }
    let half = rect.width / 2
    let boxes = [
      Rect(x: rect.x, y: rect.y, width: half, height: rect.height - 1),
      Rect(x: rect.x + half, y: rect.y, width: rect.width - half, height: rect.height - 1),
    ]
    let trainStyle = theme.colored ? Style(fg: Color(75)) : theme.text
    let valStyle = theme.colored ? Style(fg: Color(215), bold: true) : theme.emphasis
    let testStyle = theme.colored ? Style(fg: Color(120), bold: true) : theme.emphasis
    let markerStyle = theme.colored ? Style(fg: Color(177)) : theme.muted
    let xMax = Double(max(epochs, 1))
    for (i, box) in boxes.enumerated() {
      let isLoss = i == 0
      canvas.box(box, title: env.t(isLoss ? T.trLoss : T.trAccuracy), style: theme.border, titleStyle: theme.panelTitle)
      let inner = box.inset(1)
      let labelWidth = 7
      // The bottom row is the epoch axis.
      let plot = Rect(x: inner.x + labelWidth, y: inner.y, width: inner.width - labelWidth, height: inner.height - 1)
      guard plot.width > 2, plot.height > 1 else { continue }
      drawEpochAxis(&canvas, plot: plot, epochs: Int(xMax), label: env.t(T.trEpochAxis), x: inner.x, style: theme.muted)
      let train = isLoss ? trainLoss : trainAccuracy
      let val: [(Double, Double)] = history.compactMap { m in
        (isLoss ? m.validationLoss : m.validationAccuracy).map { (Double(m.epoch), $0) }
      }
      let test = isLoss ? [] : zip(testEpochs, testAccuracies).map { (Double($0), $1) }
      let ys = (train + val + test).map(\.1).filter(\.isFinite)
      var low = 0.0
      var high = 1.0
      if isLoss {
        high = max(0.1, (ys.max() ?? 1) * 1.05)
      } else if let m = ys.min() {
        low = max(0, (m * 10).rounded(.down) / 10)
      }
      canvas.put(String(format: "%.2f", high), x: inner.x, y: plot.y, style: theme.muted)
      canvas.put(String(format: "%.2f", low), x: inner.x, y: plot.maxY - 1, style: theme.muted)
      // One line per epoch: Keras's running mean restarts with each epoch.
      var segments: [Int: [(Double, Double)]] = [:]
      for p in train { segments[Int(p.0.rounded(.up)), default: []].append(p) }
      let lines = segments.keys.sorted().map { (points: segments[$0]!, style: trainStyle) }
      brailleChart(lines, in: plot, xRange: 0...xMax, yRange: low...high, canvas: &canvas)
      if let boundary = phaseBoundary {
        // A dotted vertical line where phase 2 (the joint training) starts, behind the curve.
        let cx = plot.x + Int(((Double(boundary) / xMax) * Double(plot.width - 1)).rounded())
        for cy in plot.y..<plot.maxY where [" ", "\u{2800}"].contains(canvas[cx, cy].char) {
          canvas[cx, cy] = Cell(canvas.unicode ? "┊" : ":", markerStyle)
        }
      }
      func mark(_ points: [(Double, Double)], _ glyph: Character, _ style: Style) {
        for (px, py) in points {
          let cx = plot.x + Int(((px / xMax) * Double(plot.width - 1)).rounded())
          let fy = high > low ? (py - low) / (high - low) : 0
          let cy = plot.y + Int(((1 - fy) * Double(plot.height - 1)).rounded())
          canvas[min(plot.maxX - 1, cx), min(plot.maxY - 1, max(plot.y, cy))] = Cell(glyph, style)
        }
      }
      mark(val, canvas.unicode ? "◆" : "v", valStyle)
      mark(test, canvas.unicode ? "●" : "t", testStyle)
    }
    var legend = env.t(T.trLegend, canvas.unicode ? "⠒" : "*", canvas.unicode ? "◆" : "v", canvas.unicode ? "●" : "t")
    if phaseBoundary != nil { legend += "   " + env.t(T.trLegendPhase2, canvas.unicode ? "┊" : ":") }
    canvas.put(legend, x: rect.x + 1, y: rect.maxY - 1, style: theme.muted, maxWidth: rect.width - 2)
  }

  /// The x axis under a curve: a tick label at each epoch boundary (every k-th when they
  /// would crowd), "epoch" in the label column. Epoch e ends at x = e on the plot's 0...epochs.
  func drawEpochAxis(_ canvas: inout Canvas, plot: Rect, epochs: Int, label: String, x: Int, style: Style) {
    let y = plot.maxY
    canvas.put(label, x: x, y: y, style: style, maxWidth: plot.x - x - 1)
    let epochs = max(1, epochs)
    let widest = String(epochs).count + 1
    var every = 1
    while (epochs / every + 1) * widest > plot.width { every += 1 }
    var lastEnd = plot.x - 1
    for e in stride(from: 0, through: epochs, by: every) {
      let cx = plot.x + Int((Double(e) / Double(epochs) * Double(plot.width - 1)).rounded())
      let text = String(e)
      let start = min(cx, plot.maxX - text.count)
      guard start > lastEnd else { continue }
      canvas.put(text, x: start, y: y, style: style)
      lastEnd = start + text.count
    }
  }

  func drawConfusion(_ canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    guard let e = evaluation else {
      canvas.put(env.t(T.trAfterEpoch), x: rect.x + 1, y: rect.y, style: theme.muted)
      return
    }
    let n = e.confusion.count
    let cell = 5
    // Rows are named by class (digits need no name: the column headers say it).
    let named = n <= classNames.count && classNames != (0..<n).map(String.init)
    let labelWidth = named ? 11 : 4
    // The gallery goes right of the table, or of the title when a few classes make it wider.
    let title = env.t(T.trConfusionTitle)
    var used = labelWidth + 3 + n * cell + 2
    if rect.width - max(used, title.count + 3) >= 34 { used = max(used, title.count + 3) }
    canvas.put(title, x: rect.x + 1, y: rect.y, style: theme.panelTitle, maxWidth: min(rect.width - 2, used - 2))
    var y = rect.y + 1
    var header = String(repeating: " ", count: labelWidth + 2)
    for j in 0..<n { header += String(j).leftPadded(to: cell) }
    canvas.put(header, x: rect.x + 1, y: y, style: theme.muted, maxWidth: rect.width - 2)
    y += 1
    let bar = canvas.unicode ? "│" : "|"
    for (i, row) in e.confusion.enumerated() where y < rect.maxY {
      let name = named ? ("\(i) " + label(i, env, width: 8)).padding(to: labelWidth) + " " + bar : "  \(i) " + bar
      canvas.put(name, x: rect.x + 1, y: y, style: theme.muted)
      let total = max(row.reduce(0, +), 1)
      for (j, count) in row.enumerated() {
        let style = Self.confusionStyle(count: count, rowTotal: total, diagonal: i == j, theme: theme)
        let cx = rect.x + labelWidth + 3 + j * cell
        if cx + cell <= rect.maxX { canvas.put(String(count).leftPadded(to: cell), x: cx, y: y, style: style) }
      }
      y += 1
    }
    drawConfusionLegend(&canvas, x: rect.x + 1, y: y, maxY: rect.maxY, width: max(used, 40), env: env)
    // Beside it, when there is room, the first misclassified images.
    if rect.width - used >= 34 {
      drawGallery(&canvas, rect: Rect(x: rect.x + used, y: rect.y, width: rect.width - used, height: rect.height), env: env)
    }
  }

  /// Right answers and errors on two separate scales, so that 81 errors never look like a
  /// diagonal: the diagonal in greens by its share of the row (a class's recall), errors in
  /// reds by count on a log scale (1, 10, 100, 1000), since a few errors matter and most
  /// cells hold none. Without colour: right answers reversed, errors bold.
  static func confusionStyle(count: Int, rowTotal: Int, diagonal: Bool, theme: Theme) -> Style {
    guard count > 0 else { return theme.pending }
    guard theme.colored else { return diagonal ? theme.selected : theme.error }
    if diagonal {
      let share = Double(count) / Double(max(rowTotal, 1))
      return Style(fg: Color(16), bg: Color.cube(0, 1 + min(4, Int(share * 5)), 0), bold: true)
    }
    return Style(fg: Color(231), bg: Color.cube(errorLevel(count), 0, 0))
  }

  /// The red level (1...5) of an error count: one more per power of ten.
  static func errorLevel(_ count: Int) -> Int {
    var level = 1
    var n = count
    while n >= 10 && level < 5 {
      n /= 10
      level += 1
    }
    return level
  }

  /// The two scales under the table: green shares of the row for the diagonal (each from the
  /// share shown), red powers of ten for errors. Two lines at most.
  func drawConfusionLegend(_ canvas: inout Canvas, x: Int, y: Int, maxY: Int, width: Int, env: Env) {
    let theme = env.theme
    let scales: [(T, [(Int, Int, Bool)], [String])] = [
      (T.trConfusionLegend, [0, 20, 40, 60, 80].map { ($0 == 0 ? 1 : $0, 100, true) }, ["0%", "20%", "40%", "60%", "80%"]),
      (T.trConfusionErrors, [1, 10, 100, 1000].map { ($0, 10_000, false) }, ["1", "10", "100", "1000"]),
    ]
    let titleWidth = scales.map { env.t($0.0).count }.max()! + 1
    for (row, (title, cells, labels)) in scales.enumerated() where y + row < maxY {
      var cx = canvas.put(env.t(title).padding(to: titleWidth), x: x, y: y + row, style: theme.muted, maxWidth: width)
      for ((count, total, diagonal), text) in zip(cells, labels) where cx + 6 <= x + width {
        let style = Self.confusionStyle(count: count, rowTotal: total, diagonal: diagonal, theme: theme)
        cx = canvas.put(text.leftPadded(to: 5), x: cx, y: y + row, style: style) + 1
      }
    }
  }

  func drawErrors(_ canvas: inout Canvas, rect: Rect, env: Env) {
    guard evaluation != nil else {
      canvas.put(env.t(T.trAfterEpoch), x: rect.x + 1, y: rect.y, style: env.theme.muted)
      return
    }
    drawGallery(&canvas, rect: rect, env: env)
  }

  /// Image pixels per half-block pixel so that a sample is at most 16 cells wide (28x28 and
  /// 32x32: 2, as the gallery has always drawn digits).
  func sampleStep(_ width: Int) -> Int { max(1, (width + 15) / 16) }

  /// Draws a test image: gray with `drawPlane`, colour with the image lab's half-block picture.
  /// Returns the cells it takes.
  @discardableResult
  func drawSample(
    _ s: DigitSample, x: Int, y: Int, step: Int, canvas: inout Canvas, theme: Theme
  ) -> (width: Int, height: Int) {
    if s.channels == 3 {
      let size = planeSize(GrayPlane(width: s.width, height: s.height, values: []), step: step)
      let picture = rgbPicture(width: s.width, height: s.height, s.pixels.map { $0 * 255 })
      let viewport = Viewport(width: s.width, height: s.height, paneCols: size.width, paneRows: size.height, zoom: 1, cursor: (0, 0))
      drawPicture(picture, viewport: viewport, at: (x, y), cursor: nil, canvas: &canvas, colored: theme.colored)
      return (viewport.cols, viewport.rows)
    }
    let plane = GrayPlane(width: s.width, height: s.height, values: s.channels == 1 ? s.pixels : stride(from: 0, to: s.pixels.count, by: s.channels).map { s.pixels[$0] })
    drawPlane(plane, x: x, y: y, step: step, low: 0, high: 1, canvas: &canvas, theme: theme)
    return planeSize(plane, step: step)
  }

  /// An RGB picture from interleaved `[H, W, 3]` values in 0...255 (clipped).
  func rgbPicture(width: Int, height: Int, _ interleaved: [Float]) -> Picture {
    let n = width * height
    var planar = [Float](repeating: 0, count: 3 * n)
    for p in 0..<n { for c in 0..<3 { planar[c * n + p] = interleaved[p * 3 + c] } }
    return Picture(Image(width: width, height: height, channels: 3, samples: planar))
  }

  func drawGallery(_ canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    guard let e = evaluation else { return }
    canvas.put(env.t(T.trErrorsTitle), x: rect.x + 1, y: rect.y, style: theme.panelTitle, maxWidth: rect.width - 2)
    if e.misclassified.isEmpty {
      canvas.put(env.t(T.trNoErrors), x: rect.x + 1, y: rect.y + 1, style: theme.done)
      return
    }
    // 28x28 at two pixels per cell column: 14 columns, 7 rows, a label line under each.
    let first = e.misclassified[0]
    let step = sampleStep(first.width)
    let size = planeSize(GrayPlane(width: first.width, height: first.height, values: []), step: step)
    let cw = size.width + 2
    let ch = size.height + 1
    let perRow = max(1, (rect.width - 1) / cw)
    let rows = max(0, (rect.height - 1) / ch)
    let arrow = canvas.unicode ? "→" : ">"
    let nameWidth = max(1, (cw - 3) / 2)
    for (k, s) in e.misclassified.prefix(perRow * rows).enumerated() {
      let px = rect.x + 1 + (k % perRow) * cw
      let py = rect.y + 1 + (k / perRow) * ch
      drawSample(s, x: px, y: py, step: step, canvas: &canvas, theme: theme)
      canvas.put("\(label(s.truth, env, width: nameWidth))\(arrow)\(label(s.predicted, env, width: nameWidth))",
                 x: px, y: py + size.height, style: theme.error, maxWidth: cw - 1)
    }
  }

  /// A class's name (in the screen's language for CIFAR-10 and Fashion-MNIST), cut to `width` characters (digits stay digits).
  func label(_ c: Int, _ env: Env, width: Int = 6) -> String {
    guard c < classNames.count else { return String(c) }
    // The named data sets' English names are translated; a folder's names are the user's own.
    let name = ran.dataset.knownClassNames == nil ? classNames[c] : ClassNames.localized(classNames[c], env.lang)
    return String(name.prefix(max(1, width)))
  }

  func drawFilters(_ canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    guard let e = evaluation else {
      canvas.put(env.t(T.trAfterEpoch), x: rect.x + 1, y: rect.y, style: theme.muted)
      return
    }
    var y = rect.y
    if e.filters.isEmpty {
      canvas.put(env.t(T.trNoFilters), x: rect.x + 1, y: y, style: theme.muted)
      return
    }
    let channels = max(1, e.filterChannels)
    let count = e.filters.count / channels
    let f0 = e.filters[0]
    let titleY = y
    y += 1
    // Small kernels are enlarged (each weight 2x2 pixels); 28x28 dense templates halved.
    let m = e.filters.flatMap(\.values).map(abs).max() ?? 1
    let shown: [GrayPlane] = e.filters.map { p in p.width <= 7 ? enlarged(p, by: 2) : p }
    let step = shown[0].width > 14 ? 2 : 1
    let size = planeSize(shown[0], step: step)
    // One drawn filter: a colour picture, or its channels side by side (R G B).
    let perFilter = channels == 3 && filterMode == .channels ? 3 : 1
    let fw = perFilter * (size.width + 1) + (perFilter > 1 ? 1 : 0)
    let perRow = max(1, (rect.width - 1) / fw)
    let filterRows = e.featureMaps.isEmpty ? max(1, (rect.height - 1) / (size.height + 1)) : 1
    // The title counts the filters drawn, not only the layer's.
    let drawn = min(count, perRow * filterRows)
    var title = env.t(T.trFiltersTitle, drawn, count, "\(f0.width)x\(f0.height)" + (channels > 1 ? "x\(channels)" : ""))
    if channels == 3 { title += " · " + env.t(filterMode == .color ? T.trFiltersColor : T.trFiltersChannels) }
    if let p = phaseInfo, p.phase.trainable.first == false { title += " · " + env.t(T.trFrozenTag) }
    canvas.put(canvas.unicode ? title : title.replacingOccurrences(of: "·", with: "-"), x: rect.x + 1, y: titleY,
               style: theme.panelTitle, maxWidth: rect.width - 2)
    for k in 0..<drawn {
      let fx = rect.x + 1 + (k % perRow) * fw
      let fy = y + (k / perRow) * (size.height + 1)
      if channels == 3 && filterMode == .color {
        // Each weight w as 128 + 127 w / max|w| per channel: gray is zero, colour the sign.
        let planes = (0..<3).map { shown[k * 3 + $0] }
        var rgb: [Float] = []
        for i in 0..<planes[0].values.count { for c in 0..<3 { rgb.append(128 + 127 * planes[c].values[i] / max(m, 1e-12)) } }
        let picture = rgbPicture(width: planes[0].width, height: planes[0].height, rgb)
        let viewport = Viewport(
          width: planes[0].width, height: planes[0].height, paneCols: size.width, paneRows: size.height, zoom: 1, cursor: (0, 0))
        drawPicture(picture, viewport: viewport, at: (fx, fy), cursor: nil, canvas: &canvas, colored: theme.colored)
      } else {
        for c in 0..<perFilter {
          drawPlane(shown[k * channels + c], x: fx + c * (size.width + 1), y: fy, step: step, low: -m, high: m,
                    canvas: &canvas, theme: theme)
        }
      }
    }
    y += filterRows * (size.height + 1)
    guard digit < e.featureMaps.count, digit < e.digits.count, y + 2 < rect.maxY else {
      if e.featureMaps.isEmpty, y < rect.maxY {
        canvas.put(env.t(T.trNoMaps), x: rect.x + 1, y: y, style: theme.muted, maxWidth: rect.width - 2)
      }
      return
    }
    let sample = e.digits[digit]
    let mapsTitle = ran.dataset == .mnist ? T.trMapsTitle : T.trMapsTitleImage
    let mapsTitleY = y
    y += 1
    let maps = e.featureMaps[digit]
    let mapStep = (rect.maxY - y >= 14 && maps.count <= 8 ? 1 : 2) * max(1, sampleStep(sample.width) / 2)
    let ds = drawSample(sample, x: rect.x + 1, y: y, step: mapStep, canvas: &canvas, theme: theme)
    let ms = maps.first.map { planeSize($0, step: mapStep) } ?? (width: 0, height: 0)
    let x0 = rect.x + 1 + ds.width + 2
    let perLine = max(1, (rect.maxX - x0) / (ms.width + 1))
    let lines = max(1, (rect.maxY - y) / (ms.height + 1))
    let mapsDrawn = min(maps.count, perLine * lines)
    let dot = canvas.unicode ? " · " : " - "
    canvas.put(env.t(mapsTitle, label(sample.truth, env, width: 12), label(sample.predicted, env, width: 12))
               + dot + env.t(T.trMapsShown, mapsDrawn, maps.count), x: rect.x + 1, y: mapsTitleY,
               style: theme.panelTitle, maxWidth: rect.width - 2)
    for (k, p) in maps.prefix(mapsDrawn).enumerated() {
      let top = max(p.values.max() ?? 1, 1e-6)
      drawPlane(p, x: x0 + (k % perLine) * (ms.width + 1), y: y + (k / perLine) * (ms.height + 1), step: mapStep,
                low: 0, high: top, canvas: &canvas, theme: theme)
    }
  }

  /// The model as it trains now: in a fine-tuning run, the running phase's frozen layers.
  func drawLayers(_ canvas: inout Canvas, rect: Rect, env: Env) {
    if ran.finetune?.pretrained != nil, var graph = baseGraph {
      // The running phase's flags, by layer name.
      if let (p, layers) = phaseInfo {
        let flags = Dictionary(zip(layers, p.trainable), uniquingKeysWith: { a, _ in a })
        for i in graph.nodes.indices { if let t = flags[graph.nodes[i].name] { graph.nodes[i].trainable = t } }
      }
      let box = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
      canvas.box(box, title: env.t(T.trSummaryTitle, modelLabel(env, of: ran)), style: env.theme.border, titleStyle: env.theme.panelTitle)
      drawSummary(graph: graph, &canvas, rect: box.inset(1), env: env)
      return
    }
    var spec = ran.spec
    if let p = phaseInfo, p.phase.trainable.count == spec.layers.count {
      for i in spec.layers.indices { spec.layers[i].trainable = p.phase.trainable[i] }
    }
    let box = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
    canvas.box(box, title: env.t(T.trSummaryTitle, modelLabel(env, of: ran)), style: env.theme.border, titleStyle: env.theme.panelTitle)
    drawSummary(spec, &canvas, rect: box.inset(1), env: env)
  }

  func enlarged(_ p: GrayPlane, by f: Int) -> GrayPlane {
    var v: [Float] = []
    for y in 0..<(p.height * f) { for x in 0..<(p.width * f) { v.append(p.values[(y / f) * p.width + x / f]) } }
    return GrayPlane(width: p.width * f, height: p.height * f, values: v)
  }
}

extension String {
  /// Right-aligned in `n` columns.
  func leftPadded(to n: Int) -> String {
    count >= n ? self : String(repeating: " ", count: n - count) + self
  }
}