import ConvData
import ConvImageIO
import ConvKit
import ConvPretrained
import ConvTerminal

/// The whole network for one input, CNN Explainer's top level: every layer's feature maps as a
/// column of thumbnails with its shape, a chosen layer, channel and cell, and a side panel with
/// the cell's value and where it came from. Enter opens the cell's real computation (a
/// neuron, a pooling window, a dense unit, the softmax) on top; q there comes back here.
///
/// The model is reached only through `NetworkActivations` (one file to change when the engine's
/// model classes change).
public struct NetworkScreen: Screen {
  let model: NetworkActivations.Model?
  let digits: TestDigits?
  public private(set) var digitIndex: Int
  /// What the input is, in words (a file name, the drawn 7); a test digit shows its label.
  var inputNote: String
  var digitLabel: Int?
  public private(set) var activations: NetworkActivations?
  var problem: String?
  var notice: String?
  /// 0 = the input, k = layer k - 1.
  public private(set) var selected = 0
  public private(set) var channel = 0
  /// Spatial layers: row and column; flat layers: `col` is the unit.
  public private(set) var cursor = (row: 0, col: 0)

  /// The built-in digits model on MNIST test digit `digit` (or the drawn 7 without the data set).
  public init(model: NetworkActivations.Model?, problem: String? = nil, digits: TestDigits?, digit: Int = 0,
              pixels: [Float]? = nil, inputNote: String? = nil) {
    self.model = model
    self.digits = digits
    self.problem = problem
    digitIndex = digit
    self.inputNote = inputNote ?? ""
    if let pixels {
      run(pixels)
    } else {
      loadDigit()
    }
    // Start on the first convolution, at its first channel's strongest cell.
    if let first = activations?.layers.firstIndex(where: { if case .conv = $0.role { return true } else { return false } }) {
      selected = first + 1
      let s = shape(selected)
      let map = FeatureMap(values(selected), shape: s, channel: 0)
      let best = map.values.indices.max { map.values[$0] < map.values[$1] } ?? 0
      cursor = (best / s[1], best % s[1])
    }
  }

  /// The built-in digits model on the first MNIST test digit (the drawn 7 without the data set).
  public static func builtIn(digit: Int = 0) -> NetworkScreen {
    do {
      return NetworkScreen(model: try NetworkActivations.Model.builtIn(), digits: TestDigits.load(), digit: digit)
    } catch {
      return NetworkScreen(model: nil, problem: String(describing: error), digits: nil)
    }
  }

  /// `model` on a picture: a 28x28x1 model gets it prepared as `convplay predict` prepares a
  /// digit (cropped, scaled to 20x20, centred by mass); others resized and scaled to 0-1.
  public static func picture(_ image: Image, name: String, model: NetworkActivations.Model) throws -> NetworkScreen {
    let s = model.inputShape
    guard s.count == 3, s[2] == 1 || s[2] == 3 else {
      throw DataError("the model takes \(ShapeText.compact(s)) inputs, not an image")
    }
    let pixels: [Float]
    let prep = model.preprocessing
    if s == [28, 28, 1] && prep == .unit {
      let gray = GrayMethod.luminance.convert(image)
      pixels = try DigitPreprocessing.mnistStyle(gray: gray.samples, width: gray.width, height: gray.height)
    } else {
      let source = s[2] == 1 && image.channels != 1 ? GrayMethod.luminance.convert(image) : image
      pixels = try prep.apply(prep.resized(source, height: s[0], width: s[1]), channels: s[2])
    }
    return NetworkScreen(model: model, digits: nil, pixels: pixels, inputNote: name)
  }

  /// The built-in model on a drawing from the digit screen (0-1, light on dark), prepared as
  /// `convplay predict` prepares a digit; nil when there is nothing drawn or no model.
  static func drawing(_ pixels: [Float]) -> NetworkScreen? {
    guard let model = try? NetworkActivations.Model.builtIn(),
      let prepared = try? DigitPreprocessing.mnistStyle(gray: pixels.map { $0 * 255 }, width: 28, height: 28)
    else { return nil }
    return NetworkScreen(model: model, digits: nil, pixels: prepared, inputNote: drawingNote)
  }

  static let drawingNote = "drawing"

  private mutating func loadDigit() {
    if let digits, digits.count > 0 {
      digitIndex = min(max(0, digitIndex), digits.count - 1)
      let d = digits.digit(digitIndex)
      digitLabel = d.label
      run(d.pixels)
    } else {
      inputNote = "drawn 7"
      run(SummaryModels.drawnSeven())
    }
  }

  private mutating func run(_ pixels: [Float]) {
    guard let model else { return }
    guard model.inputShape.reduce(1, *) == pixels.count else {
      problem = "the model takes \(ShapeText.compact(model.inputShape)) inputs"
      return
    }
    activations = model.run(pixels)
  }

  public var id: String { "network" }

  // MARK: the layers as the screen counts them (0 = input)

  var layerCount: Int { (activations?.layers.count ?? 0) + 1 }

  func shape(_ i: Int) -> FeatureShape {
    guard let a = activations else { return [1] }
    return i == 0 ? a.inputShape : a.layers[i - 1].outputShape
  }

  func values(_ i: Int) -> [Float] {
    guard let a = activations else { return [] }
    return i == 0 ? a.input : a.layers[i - 1].output
  }

  func isSpatial(_ i: Int) -> Bool { shape(i).count == 3 }

  func layerName(_ i: Int, _ env: Env) -> String {
    guard let a = activations, i > 0 else { return env.t(XT.netInput) }
    return a.layers[i - 1].name + " (" + a.layers[i - 1].kerasClass + ")"
  }

  /// The chosen cell's value.
  public var value: Float? {
    let v = values(selected)
    guard !v.isEmpty else { return nil }
    if isSpatial(selected) {
      let s = shape(selected)
      return v[(cursor.row * s[1] + cursor.col) * s[2] + channel]
    }
    return cursor.col < v.count ? v[cursor.col] : nil
  }

  /// Is the chosen layer the softmax output?
  var isOutput: Bool { isOutputLayer(selected) }

  // MARK: update

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    notice = nil
    guard case .key(let key) = msg, activations != nil else { return .ignored }
    let s = shape(selected)
    switch key {
    case .left, .right:
      let next = max(0, min(layerCount - 1, selected + (key == .left ? -1 : 1)))
      moveTo(layer: next)
    case .up, .char("["):
      if isSpatial(selected) { channel = max(0, channel - 1) } else { cursor.col = max(0, cursor.col - 1) }
    case .down, .char("]"):
      if isSpatial(selected) { channel = min(s[2] - 1, channel + 1) } else { cursor.col = min(s[0] - 1, cursor.col + 1) }
    case .pageUp: if isSpatial(selected) { channel = max(0, channel - 8) } else { cursor.col = max(0, cursor.col - 10) }
    case .pageDown: if isSpatial(selected) { channel = min(s[2] - 1, channel + 8) } else { cursor.col = min(s[0] - 1, cursor.col + 10) }
    case .char("w"), .char("a"), .char("s"), .char("d"):
      if isSpatial(selected) {
        switch key {
        case .char("w"): cursor.row = max(0, cursor.row - 1)
        case .char("s"): cursor.row = min(s[0] - 1, cursor.row + 1)
        case .char("a"): cursor.col = max(0, cursor.col - 1)
        default: cursor.col = min(s[1] - 1, cursor.col + 1)
        }
      } else if key == .char("w") || key == .char("a") {
        cursor.col = max(0, cursor.col - 1)
      } else {
        cursor.col = min(s[0] - 1, cursor.col + 1)
      }
    case .char("n"), .char("N"):
      guard let digits, digits.count > 0 else { return .none }
      digitIndex = (digitIndex + (key == .char("n") ? 1 : digits.count - 1)) % digits.count
      loadDigit()
    case .enter:
      return open(env)
    default:
      return .ignored
    }
    return .none
  }

  /// Changes layer keeping the same place: the cell scaled to the new size, the channel kept.
  private mutating func moveTo(layer next: Int) {
    let old = shape(selected)
    let new = shape(next)
    if new.count == 3 {
      let (r, c) = old.count == 3 ? (cursor.row, cursor.col) : (old[0] > 0 ? cursor.col * new[0] / old[0] : 0, 0)
      let oh = old.count == 3 ? old[0] : new[0]
      let ow = old.count == 3 ? old[1] : new[1]
      cursor = (min(new[0] - 1, r * new[0] / max(1, oh)), min(new[1] - 1, c * new[1] / max(1, ow)))
      channel = min(channel, new[2] - 1)
    } else {
      cursor = (0, min(new[0] - 1, cursor.col))
      if old.count == 3 { cursor.col = min(new[0] - 1, (cursor.row * old[1] + cursor.col) * old[2] + channel) }
    }
    selected = next
  }

  private mutating func open(_ env: Env) -> Effect {
    guard let a = activations, selected > 0 else { return .none }
    let i = selected - 1
    let layer = a.layers[i]
    if layer.isSoftmax, let z = layer.preActivation, !isDense(layer) {
      return .push(PushedScreen(CellScreen(.softmax(CellComputation.softmax(z), classNames: classNames))))
    }
    switch layer.role {
    case .depthwise:
      guard let n = CellComputation.depthwiseNeuron(a, layer: i, row: cursor.row, col: cursor.col, channel: channel) else {
        return .none
      }
      return .push(PushedScreen(NeuronScreen(neuron: n, layerName: layer.name, row: cursor.row, col: cursor.col, filter: channel)))
    case .add:
      guard let cell = CellComputation.add(a, layer: i, index: flatIndex) else { return .none }
      return .push(PushedScreen(CellScreen(.add(cell, layer: layer.name, place: placeText(env)))))
    case .concatenate:
      guard let v = value, let c = CellComputation.concatenate(a, layer: i, channel: channel, value: v) else { return .none }
      return .push(PushedScreen(CellScreen(.concatenate(c, layer: layer.name, place: placeText(env), channel: channel))))
    case .conv:
      guard let n = CellComputation.neuron(a, layer: i, row: cursor.row, col: cursor.col, filter: channel) else { return .none }
      return .push(PushedScreen(NeuronScreen(neuron: n, layerName: layer.name, row: cursor.row, col: cursor.col, filter: channel)))
    case .pool:
      guard let p = CellComputation.pool(a, layer: i, row: cursor.row, col: cursor.col, channel: channel) else { return .none }
      return .push(PushedScreen(CellScreen(.pool(p, layer: layer.name, row: cursor.row, col: cursor.col, channel: channel))))
    case .dense(_, let act):
      if act == .softmax, let z = layer.preActivation {
        return .push(PushedScreen(CellScreen(.softmax(CellComputation.softmax(z), classNames: classNames))))
      }
      guard let d = CellComputation.dense(a, layer: i, unit: cursor.col) else { return .none }
      return .push(PushedScreen(CellScreen(.dense(d, layer: layer.name, unit: cursor.col, previous: shape(selected - 1)))))
    default:
      return .none
    }
  }

  private func isDense(_ layer: NetworkActivations.Layer) -> Bool {
    if case .dense = layer.role { return true }
    return false
  }

  /// The chosen cell's index in the layer's output (NHWC, one image).
  var flatIndex: Int {
    let s = shape(selected)
    return isSpatial(selected) ? (cursor.row * s[1] + cursor.col) * s[2] + channel : cursor.col
  }

  /// `cell [3,4] · channel 2/16`, or `[7] / 10` for a flat layer.
  func placeText(_ env: Env) -> String {
    let s = shape(selected)
    if isSpatial(selected) { return env.t(XT.netCell, cursor.row, cursor.col) + " · " + env.t(XT.netChannel, channel + 1, s[2]) }
    return "[\(cursor.col)] / \(s.first ?? 0)"
  }

  var classNames: [String] { model?.classNames ?? (0..<(shape(layerCount - 1).first ?? 10)).map(String.init) }

  // MARK: view

  public func title(_ env: Env) -> String { env.t(XT.lessonNetwork) }

  public func status(_ env: Env) -> String {
    "\(selected + 1)/\(layerCount)"
  }

  public func hints(_ env: Env) -> [KeyHint] {
    [
      KeyHint("←→", env.t(XT.netKeyLayer)), KeyHint("↑↓", env.t(XT.netKeyChannel)),
      KeyHint("w a s d", env.t(XT.netKeyCell)), KeyHint("Enter", env.t(XT.netKeyOpen)),
      KeyHint("n N", env.t(XT.netKeyImage)), KeyHint("PgUp/PgDn", env.t(XT.netKeyChannel) + " ±8"),
    ]
  }

  public func helpText(_ env: Env) -> [String] { [env.t(XT.netHelp1), env.t(XT.netHelp2)] }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    guard let a = activations else {
      let text = env.t(XT.netProblem, problem ?? "?")
      drawLines(wrapText(text, width: area.width - 2).map { ($0, theme.error) }, from: area.y + 1, in: area, canvas: &canvas)
      return
    }
    // Line 1: the input and the prediction; line 2: the shapes, layer to layer.
    var top = digitLabel.map { env.t(XT.netDigitIndex, digitIndex, $0) } ?? (inputNote == "drawn 7" ? env.t(T.sumDrawnSeven) : inputNote == Self.drawingNote ? env.t(XT.netDrawing) : inputNote)
    if let probs = a.layers.last?.output, let best = probs.indices.max(by: { probs[$0] < probs[$1] }) {
      let name = best < classNames.count ? classNames[best] : String(best)
      top += " · " + env.t(XT.netPrediction, name, roundedText(Double(probs[best]) * 100, 1) + "%")
    }
    canvas.put(top, x: area.x + 1, y: area.y, style: theme.emphasis, maxWidth: area.width - 2)
    drawShapes(&canvas, x: area.x + 1, y: area.y + 1, width: area.width - 2, env: env)

    let sideWidth = min(44, max(32, area.width / 3))
    let body = Rect(x: area.x, y: area.y + 3, width: area.width - sideWidth - 1, height: area.height - 3)
    drawColumns(&canvas, body, env: env)
    drawSide(&canvas, Rect(x: area.maxX - sideWidth, y: area.y + 2, width: sideWidth, height: area.height - 2), a, env: env)
  }

  private func shapeText(_ s: FeatureShape) -> String { s.map(String.init).joined(separator: "x") }

  private func drawShapes(_ canvas: inout Canvas, x: Int, y: Int, width: Int, env: Env) {
    let arrow = canvas.unicode ? " → " : " -> "
    var cx = x
    for i in 0..<layerCount where cx < x + width {
      if i > 0 { cx = canvas.put(arrow, x: cx, y: y, style: env.theme.muted, maxWidth: x + width - cx) }
      cx = canvas.put(shapeText(shape(i)), x: cx, y: y, style: i == selected ? env.theme.selected : env.theme.text,
                      maxWidth: x + width - cx)
    }
  }

  /// Thumbnail step for a map so that it is at most 8 characters wide.
  private func thumbStep(_ s: FeatureShape) -> Int { max(1, (s[1] + 7) / 8) }

  /// Layer columns around the chosen one: title, then one thumbnail per channel.
  private func drawColumns(_ canvas: inout Canvas, _ rect: Rect, env: Env) {
    let theme = env.theme
    let columnWidth = 9
    let visible = max(1, rect.width / columnWidth)
    let first = max(0, min(layerCount - visible, selected - visible / 2))
    for (slot, i) in (first..<min(layerCount, first + visible)).enumerated() {
      let x = rect.x + 1 + slot * columnWidth
      let mine = i == selected
      let label = i == 0 ? env.t(XT.netInput) : short(activations!.layers[i - 1].kerasClass)
      canvas.put(label, x: x, y: rect.y, style: mine ? theme.selected : theme.panelTitle, maxWidth: columnWidth - 1)
      let s = shape(i)
      let v = values(i)
      var y = rect.y + 1
      if s.count == 3 {
        let step = thumbStep(s)
        let thumbHeight = (s[0] + 2 * step - 1) / (2 * step)
        let fits = max(1, (rect.maxY - y) / (thumbHeight + 1))
        let start = max(0, min(s[2] - fits, channel - fits / 2))
        for ch in start..<min(s[2], start + fits) {
          let map = FeatureMap(v, shape: s, channel: ch)
          drawFeatureMap(map, x: x + 1, y: y, step: step, scale: map.largestMagnitude,
                         cursor: mine && ch == channel ? cursor : nil, canvas: &canvas, theme: theme)
          if mine && ch == channel { canvas.put(canvas.unicode ? "▸" : ">", x: x, y: y, style: theme.emphasis) }
          y += thumbHeight + 1
        }
        if s[2] > fits, y <= rect.maxY - 1 {
          canvas.put("\(start + 1)-\(min(s[2], start + fits))/\(s[2])", x: x, y: y - 1, style: theme.muted, maxWidth: columnWidth - 1)
        }
      } else if isOutputLayer(i) {
        for (k, p) in v.enumerated() where y < rect.maxY {
          let name = k < classNames.count ? classNames[k] : String(k)
          let bar = String(repeating: canvas.unicode ? "█" : "#", count: Int((p * 6).rounded()))
          let mark = mine && k == cursor.col
          canvas.put(String(name.prefix(2)).padding(to: 2) + " " + bar, x: x, y: y, style: mark ? theme.current : theme.text,
                     maxWidth: columnWidth - 1)
          y += 1
        }
      } else {
        // A flat vector, 8 values a row, squeezed to fit the column's height.
        let map = FeatureMap(flat: v, columns: 8)
        let rows = max(1, rect.maxY - y)
        let step = max(1, (map.height + 2 * rows - 1) / (2 * rows))
        let wide = FeatureMap(flat: v, columns: 8 * step)
        drawFeatureMap(wide, x: x + 1, y: y, step: step, scale: wide.largestMagnitude,
                       cursor: mine ? (cursor.col / wide.width, cursor.col % wide.width) : nil, canvas: &canvas, theme: theme)
      }
    }
  }

  private func isOutputLayer(_ i: Int) -> Bool {
    guard i > 0, let a = activations else { return false }
    return a.layers[i - 1].isSoftmax
  }

  /// Keras's class name, short enough for a column.
  private func short(_ kerasClass: String) -> String {
    switch kerasClass {
    case "MaxPooling2D": return "MaxPool"
    case "AveragePooling2D": return "AvgPool"
    case "BatchNormalization": return "BNorm"
    case "DepthwiseConv2D": return "DWConv"
    case "SeparableConv2D": return "SepConv"
    case "GlobalAveragePooling2D": return "GlobAvg"
    case "GlobalMaxPooling2D": return "GlobMax"
    case "ZeroPadding2D": return "ZeroPad"
    case "Concatenate": return "Concat"
    case "Activation": return "Activ"
    case "LeakyReLU": return "Leaky"
    case "Conv2DTranspose": return "ConvT"
    default: return String(kerasClass.prefix(9))
    }
  }

  /// The chosen layer, channel and cell: the map large, the value, where it came from.
  private func drawSide(_ canvas: inout Canvas, _ rect: Rect, _ a: NetworkActivations, env: Env) {
    let theme = env.theme
    canvas.box(rect, title: String(layerName(selected, env).prefix(rect.width - 4)), style: theme.border, titleStyle: theme.panelTitle)
    let inner = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
    var y = inner.y
    let s = shape(selected)
    var lines: [(String, Style)] = []
    if s.count == 3 {
      lines.append((env.t(XT.netChannel, channel + 1, s[2]) + " · " + env.t(XT.netCell, cursor.row, cursor.col), theme.text))
    } else {
      let name = isOutput && cursor.col < classNames.count ? " (" + classNames[cursor.col] + ")" : ""
      lines.append(("[\(cursor.col)]\(name) / \(s[0])", theme.text))
    }
    if let v = value { lines.append((env.t(XT.netValue, roundedText(Double(v), 4)), theme.emphasis)) }
    lines += origin(a, env).map { ($0, theme.muted) }
    let text = lines.flatMap { line in wrapText(line.0, width: inner.width).map { ($0, line.1) } }
    if s.count == 3 {
      let colourLegend = theme.colored && canvas.unicode
      let legend = colourLegend ? [] : wrapText(env.t(XT.netLegendGray), width: inner.width)
      let reserved = text.count + (colourLegend ? 1 : legend.count)
      let map = FeatureMap(values(selected), shape: s, channel: channel)
      // As large as the text below leaves room for.
      var step = 1
      while featureMapSize(map, step: step).width > inner.width - 1
        || (featureMapSize(map, step: step).height > inner.height - reserved && featureMapSize(map, step: step).height > 3)
      {
        step += 1
      }
      let size = featureMapSize(map, step: step)
      drawFeatureMap(map, x: inner.x + (inner.width - size.width) / 2, y: y, step: step, scale: map.largestMagnitude,
                     cursor: cursor, canvas: &canvas, theme: theme)
      y += size.height
      if colourLegend {
        drawLegend(x: inner.x, y: y, scale: map.largestMagnitude, width: inner.width, canvas: &canvas, env: env)
        y += 1
      }
      for l in legend {
        canvas.put(l, x: inner.x, y: y, style: theme.muted, maxWidth: inner.width)
        y += 1
      }
    }
    for (l, style) in text where y < inner.maxY {
      canvas.put(l, x: inner.x, y: y, style: style, maxWidth: inner.width)
      y += 1
    }
  }

  /// Where the chosen value came from, in one or two sentences, and what Enter opens.
  private func origin(_ a: NetworkActivations, _ env: Env) -> [String] {
    guard selected > 0 else { return [] }
    let i = selected - 1
    let layer = a.layers[i]
    // A graph's layer that reads other than the layer before it says which one.
    var reads: [String] = []
    if !layer.readsPrevious(at: i), layer.inputs.count == 1 { reads = [env.t(XT.netReads, layer.inputNames[0])] }
    return reads + roleOrigin(a, i, env)
  }

  private func roleOrigin(_ a: NetworkActivations, _ i: Int, _ env: Env) -> [String] {
    let layer = a.layers[i]
    if layer.isSoftmax, !isDense(layer), let z = layer.preActivation, cursor.col < z.count {
      return ["z = " + roundedText(Double(z[cursor.col]), 4) + "; " + env.t(XT.netOutputFrom), env.t(XT.netEnterOutput)]
    }
    switch layer.role {
    case .conv(_, let kh, let kw, _, let act):
      guard let n = CellComputation.neuron(a, layer: i, row: cursor.row, col: cursor.col, filter: channel) else { return [] }
      let cin = layer.inputShape[2]
      let channels = cin == 1 ? env.t(XT.netOneChannel) : env.t(XT.netChannels, cin)
      let text = env.t(XT.netConvFrom, "\(kh)x\(kw)", channels, channel + 1, roundedText(Double(n.bias), 4), roundedText(n.z, 4))
      return [text, activationLine(act, z: n.z, value: n.value, env), env.t(XT.netEnterConv)]
    case .pool(_, let g):
      guard let p = CellComputation.pool(a, layer: i, row: cursor.row, col: cursor.col, channel: channel) else { return [] }
      return [env.t(XT.netPoolFrom, "\(g.rows.kernel)x\(g.cols.kernel)", "\(p.rows.lowerBound)-\(p.rows.upperBound)",
                    "\(p.cols.lowerBound)-\(p.cols.upperBound)", channel + 1), env.t(XT.netEnterPool)]
    case .dense(_, let act):
      if act == .softmax, let z = layer.preActivation {
        return ["z = " + roundedText(Double(z[cursor.col]), 4) + "; " + env.t(XT.netOutputFrom), env.t(XT.netEnterOutput)]
      }
      guard let d = CellComputation.dense(a, layer: i, unit: cursor.col) else { return [] }
      let y = act == .relu ? max(0, d.z) : Double(act.apply([Float(d.z)], width: 1)[0])
      return [env.t(XT.netDenseFrom, d.products.count, roundedText(Double(d.bias), 4), roundedText(d.z, 4)),
              activationLine(act, z: d.z, value: y, env), env.t(XT.netEnterDense)]
    case .flatten:
      let p = layer.inputShape
      guard p.count == 3 else { return [] }
      let k = cursor.col
      return [env.t(XT.netFlattenFrom, k / p[2] / p[1], (k / p[2]) % p[1], k % p[2] + 1)]
    case .dropout:
      return [env.t(XT.netDropoutFrom)]
    case .depthwise(_, let kh, let kw, _, let act):
      guard let n = CellComputation.depthwiseNeuron(a, layer: i, row: cursor.row, col: cursor.col, channel: channel) else { return [] }
      let text = env.t(XT.netDepthwiseFrom, "\(kh)x\(kw)", n.channelNumbers[0] + 1, roundedText(Double(n.bias), 4), roundedText(n.z, 4))
      return [text, activationLine(act, z: n.z, value: n.value, env), env.t(XT.netEnterConv)]
    case .separable(let filters, let kh, let kw):
      return [env.t(XT.netSeparableFrom, "\(kh)x\(kw)", layer.inputShape.last ?? 0, filters)]
    case .globalPool(let mode):
      let p = layer.inputShape
      guard p.count == 3 else { return [] }
      return [env.t(mode == .max ? XT.netGlobalMaxFrom : XT.netGlobalAvgFrom, p[0] * p[1], layer.inputNames.first ?? "", cursor.col % p[2] + 1)]
    case .add:
      guard let cell = CellComputation.add(a, layer: i, index: flatIndex) else { return [] }
      let terms = cell.terms.map { $0.name + " " + factorText(Double($0.value), 4) }.joined(separator: " + ")
      return [env.t(XT.netAddFrom, terms, roundedText(cell.sum, 4)), env.t(XT.netEnterAdd)]
    case .concatenate:
      guard let v = value, let c = CellComputation.concatenate(a, layer: i, channel: channel, value: v) else { return [] }
      let parts = c.parts.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
      return [env.t(XT.netConcatFrom, parts, channel + 1, c.parts[c.part].name, c.channelInPart + 1), env.t(XT.netEnterConcat)]
    case .batchNorm:
      guard let b = CellComputation.batchNorm(a, layer: i, index: flatIndex, channel: isSpatial(selected) ? channel : cursor.col) else {
        return []
      }
      return [env.t(XT.netBatchNormFrom, roundedText(Double(b.x), 4), roundedText(Double(b.mean), 4), roundedText(Double(b.variance), 4),
                    NumberText.format(Double(b.epsilon)), roundedText(Double(b.gamma), 4), factorText(Double(b.beta), 4),
                    roundedText(b.y, 4))]
    case .zeroPadding(let top, let bottom, let left, let right):
      let sides = "\(top), \(bottom), \(left), \(right)"
      let r = cursor.row - top
      let c = cursor.col - left
      let p = layer.inputShape
      if p.count == 3, r >= 0, r < p[0], c >= 0, c < p[1] { return [env.t(XT.netZeroPadInside, sides, r, c)] }
      return [env.t(XT.netZeroPadOutside, sides)]
    case .activation(let function):
      let x = a.layerInput(i)
      guard flatIndex < x.count, let v = value else { return [] }
      return [env.t(XT.netActivationFrom, function, roundedText(Double(x[flatIndex]), 4), roundedText(Double(v), 4))]
    case .other:
      return []
    }
  }
}

/// ReLU shown, not named: the number before and after; other activations as f(z) = y.
func activationLine(_ act: Activation, z: Double, value: Double, _ env: Env) -> String {
  if act == .relu { return env.t(XT.reluRule, roundedText(z, 4), roundedText(value, 4)) }
  return "\(act.rawValue)(\(roundedText(z, 4))) = \(roundedText(value, 4))"
}
