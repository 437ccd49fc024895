import ConvData
import ConvKit
import ConvTerminal
import Foundation

/// The live training dashboard: choose a model and its settings, see the summary, then train
/// (on `TrainingSession`'s thread) and watch progress, curves, the confusion matrix,
/// misclassified digits, filters and feature maps fill in after each epoch.
///
/// The screen only keeps plain values from the session's events (`apply`), so tests drive it
/// with synthetic events exactly as the worker would.
public struct TrainingScreen: Screen {
  public enum Phase: Sendable, Equatable {
    case setup, loading, training, paused, finished, stopped, fetching
    case failed(String)
  }

  /// The models of the zoo offered first; a typed spec joins the list as "spec".
  public static let modelChoices = ["softmax", "mlp", "cnn", "convnet", "course1", "course2", "course3"]
  static let batchChoices = [16, 32, 64, 128, 256, 512]
  static let rateChoices: [Float] = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]
  static let limitChoices: [Int?] = [nil, 300, 1000, 5000, 10000, 30000]
  static let views = 4

  public let id = "training"
  public private(set) var config: TrainingConfig
  public private(set) var phase: Phase = .setup
  /// A spec typed on the screen (or given with --model), offered as the model "spec".
  var customSpec: SequentialSpec?
  var customText = ""
  var field = 0
  var typing: String?
  var specError: String?
  var dataAvailable: Bool
  let environment: [String: String]
  let session: TrainingSession
  var savePath: String
  var message: String?

  // Live numbers, from the events.
  var counts: (training: Int, validation: Int, test: Int)?
  var epoch = 0
  var epochs = 0
  var batch = 0
  var batches = 0
  var loss = 0.0
  var accuracy = 0.0
  var epochSeconds = 0.0
  var trainLoss: [(Double, Double)] = []
  var trainAccuracy: [(Double, Double)] = []
  public private(set) var history: [EpochMetrics] = []
  public private(set) var testAccuracies: [Double] = []
  var evaluation: EpochEvaluation?
  var fetchLine: (file: String, fraction: Double, index: Int, files: Int)?
  public private(set) var view = 0
  var digit = 0

  /// `dataAvailable` nil looks for the data set (--data, $CONVPLAY_DATA, the user cache).
  public init(
    config: TrainingConfig? = nil, dataAvailable: Bool? = nil, savePath: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment, session: TrainingSession = TrainingSession()
  ) {
    let zoo = ModelZoo.named("cnn")!
    let c = config ?? TrainingConfig(modelName: zoo.name, spec: zoo.spec)
    self.config = c
    self.environment = environment
    self.session = session
    self.savePath = savePath ?? "convplay-\(c.modelName).safetensors"
    self.dataAvailable = dataAvailable ?? Self.locate(c, environment: environment)
    if ModelZoo.named(c.modelName) == nil {
      customSpec = c.spec
      self.config.modelName = "spec"
    }
  }

  static func locate(_ c: TrainingConfig, environment: [String: String]) -> Bool {
    (try? DatasetLocator(explicitDirectory: c.dataDirectory, environment: environment).locate(c.dataset)) != nil
  }

  var isActive: Bool { [.loading, .training, .paused, .fetching].contains(phase) }

  public func title(_ env: Env) -> String { env.t(T.lessonTraining) }

  public func status(_ env: Env) -> String {
    switch phase {
    case .training, .paused: return env.t(T.trEpochBar, epoch, epochs)
    case .finished: return env.t(T.trFinished)
    default: return ""
    }
  }

  public var tickInterval: Double? { isActive ? 0.1 : nil }
  public var capturesAllKeys: Bool { typing != nil }

  public func hints(_ env: Env) -> [KeyHint] {
    if typing != nil { return [KeyHint("Enter", env.t(T.keyStore)), KeyHint("Esc", env.t(T.keyBack))] }
    switch phase {
    case .training, .paused, .loading:
      return [
        KeyHint("p", env.t(T.trKeyPause)), KeyHint("x", env.t(T.trKeyStop)), KeyHint("Tab 1-4", env.t(T.trKeyView)),
        KeyHint("[ ]", env.t(T.trKeyDigit)),
      ]
    case .fetching:
      return []
    default:
      var h = [
        KeyHint("Enter", env.t(T.trKeyStart)), KeyHint("↑↓", env.t(T.trKeySetting)), KeyHint("←→", env.t(T.trKeyChange)),
        KeyHint("t", env.t(T.trKeyTypeSpec)),
      ]
      if !dataAvailable { h.append(KeyHint("f", env.t(T.trKeyFetch))) }
      if phase == .finished || phase == .stopped {
        h += [KeyHint("w", env.t(T.trKeySave)), KeyHint("Tab 1-4", env.t(T.trKeyView)), KeyHint("[ ]", env.t(T.trKeyDigit))]
      }
      return h
    }
  }

  public func helpText(_ env: Env) -> [String] { [env.t(T.helpTraining1), env.t(T.helpTraining2)] }

  // MARK: - Update

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    for e in session.drain() { apply(e) }
    guard case .key(let key) = msg else { return .none }
    if typing != nil { return typeKey(key) }
    switch key {
    case .char("q"), .char("Q"), .escape:
      if isActive { session.stop() }
      return .ignored
    case .tab: view = (view + 1) % Self.views
    case .backTab: view = (view + Self.views - 1) % Self.views
    case .char(let c) where ("1"..."4").contains(c) && phase != .setup: view = Int(String(c))! - 1
    case .char("["): digit = (digit + 9) % 10
    case .char("]"): digit = (digit + 1) % 10
    default:
      if isActive { return activeKey(key) }
      return setupKey(key)
    }
    return .none
  }

  private mutating func activeKey(_ key: Key) -> Effect {
    switch key {
    case .char("p"), .char(" "):
      if phase == .training {
        session.setPaused(true)
        phase = .paused
      } else if phase == .paused {
        session.setPaused(false)
        phase = .training
      }
    case .char("x"): session.stop()
    default: return .ignored
    }
    return .none
  }

  private mutating func setupKey(_ key: Key) -> Effect {
    switch key {
    case .up: field = (field + 6) % 7
    case .down: field = (field + 1) % 7
    case .left: change(-1)
    case .right: change(1)
    case .char("t"):
      typing = customText
      specError = nil
    case .enter, .char("s"):
      start()
    case .char("f") where !dataAvailable:
      phase = .fetching
      fetchLine = nil
      message = nil
      session.fetch(config.dataset, into: config.dataDirectory, environment: environment)
    case .char("w") where phase == .finished || phase == .stopped:
      save()
    default:
      return .ignored
    }
    return .none
  }

  private mutating func typeKey(_ key: Key) -> Effect {
    switch key {
    case .escape: typing = nil
    case .enter:
      let text = typing ?? ""
      do {
        let spec = try ModelSpecParser.parse(text, inputShape: [28, 28, 1])
        customSpec = spec
        customText = text
        config.spec = spec
        config.modelName = "spec"
        typing = nil
        specError = nil
      } catch {
        specError = String(describing: error)
      }
    case .backspace, .delete: if typing?.isEmpty == false { typing?.removeLast() }
    case .char(let c): typing?.append(c)
    default: break
    }
    return .none
  }

  private var modelNames: [String] { Self.modelChoices + (customSpec == nil ? [] : ["spec"]) }

  private mutating func change(_ d: Int) {
    func cycle<T: Equatable>(_ list: [T], _ value: T) -> T {
      let i = list.firstIndex(of: value) ?? 0
      return list[(i + d + list.count) % list.count]
    }
    switch field {
    case 0:
      let name = cycle(modelNames, config.modelName)
      config.modelName = name
      if name == "spec", let spec = customSpec {
        config.spec = spec
      } else if let e = ModelZoo.named(name) {
        config.spec = e.spec
      }
      savePath = "convplay-\(name).safetensors"
    case 1:
      config.dataset = cycle(Dataset.allCases, config.dataset)
      dataAvailable = Self.locate(config, environment: environment)
    case 2: config.epochs = min(50, max(1, config.epochs + d))
    case 3: config.batch = cycle(Self.batchChoices, config.batch)
    case 4:
      config.optimizer = cycle(OptimizerKind.allCases, config.optimizer)
      config.learningRate = config.optimizer.defaultLearningRate
    case 5: config.learningRate = cycle(Self.rateChoices, config.learningRate)
    default: config.limit = cycle(Self.limitChoices, config.limit)
    }
  }

  private mutating func start() {
    guard dataAvailable else {
      message = nil
      return
    }
    resetLive()
    if session.start(config) {
      phase = .loading
      epochs = config.epochs
    }
  }

  private mutating func resetLive() {
    counts = nil
    epoch = 0
    batch = 0
    batches = 0
    trainLoss = []
    trainAccuracy = []
    history = []
    testAccuracies = []
    evaluation = nil
    message = nil
  }

  private mutating func save() {
    var meta: [String: String] = [
      "dataset": config.dataset.rawValue, "model": config.modelName, "epochs": String(history.count),
      "optimizer": config.optimizer.rawValue, "learning_rate": "\(config.learningRate)", "batch": String(config.batch),
      "training_images": String(counts?.training ?? 0),
    ]
    if let e = evaluation { meta["test_accuracy"] = metric(e.testAccuracy) }
    do {
      try session.save(to: savePath, metadata: meta)
      message = "saved:" + savePath
    } catch {
      message = "error:" + String(describing: error)
    }
  }

  /// Takes one event from the worker (or a test) into the screen's model.
  public mutating func apply(_ event: DashboardEvent) {
    switch event {
    case .loading:
      phase = .loading
      epochs = config.epochs
    case .loaded(let t, let v, let test):
      counts = (t, v, test)
      if phase == .loading { phase = .training }
    case .training(let e):
      if phase == .loading || phase == .setup { phase = .training }
      switch e {
      case .epochStarted(let ep, let eps, let bs):
        epoch = ep
        epochs = eps
        batches = bs
        batch = 0
        epochSeconds = 0
      case .batchEnded(let ep, let b, let bs, let l, let a, let s):
        epoch = ep
        batch = b
        batches = bs
        loss = l
        accuracy = a
        epochSeconds = s
        let x = Double(ep - 1) + Double(b) / Double(max(bs, 1))
        trainLoss.append((x, l))
        trainAccuracy.append((x, a))
      case .epochEnded(let m):
        history.append(m)
        loss = m.loss
        accuracy = m.accuracy
      }
    case .evaluated(let e):
      evaluation = e
      testAccuracies.append(e.testAccuracy)
    case .finished: phase = .finished
    case .stopped: phase = .stopped
    case .failed(let why): phase = .failed(why)
    case .fetchProgress(let file, let received, let total, let index, let files):
      phase = .fetching
      let f = total.map { $0 > 0 ? Double(received) / Double($0) : 0 } ?? 0
      fetchLine = (file, f, index, files)
    case .fetched:
      phase = .setup
      dataAvailable = Self.locate(config, environment: environment)
      message = "fetched"
    }
  }

  // MARK: - View

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    if phase == .setup || phase == .fetching || (typing != nil) || (history.isEmpty && isFailed) {
      drawSetup(&canvas, area: area, env: env)
    } else {
      drawDashboard(&canvas, area: area, env: env)
    }
  }

  private var isFailed: Bool { if case .failed = phase { return true } else { return false } }

  private func settingRows(_ env: Env) -> [(String, String)] {
    [
      (env.t(T.trModel), config.modelName),
      (env.t(T.trDataset), config.dataset.displayName),
      (env.t(T.trEpochs), String(config.epochs)),
      (env.t(T.trBatch), String(config.batch)),
      (env.t(T.trOptimizer), config.optimizer.rawValue),
      (env.t(T.trLearningRate), NumberText.format(Double(config.learningRate))),
      (env.t(T.trImages), config.limit.map { NumberText.grouped($0) } ?? env.t(T.trAll)),
    ]
  }

  private func drawSetup(_ canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let leftWidth = 34
    let left = Rect(x: area.x, y: area.y, width: leftWidth, height: 11)
    canvas.box(left, title: env.t(T.settings), style: theme.border, titleStyle: theme.panelTitle)
    let arrowL = canvas.unicode ? "‹" : "<"
    let arrowR = canvas.unicode ? "›" : ">"
    for (i, (name, value)) in settingRows(env).enumerated() {
      let y = left.y + 1 + i
      let selected = i == field && phase != .fetching
      canvas.put(name.padding(to: 14), x: left.x + 2, y: y, style: selected ? theme.emphasis : theme.text)
      let shown = selected ? "\(arrowL) \(value) \(arrowR)" : "  \(value)"
      canvas.put(shown, x: left.x + 16, y: y, style: selected ? theme.selected : theme.text, maxWidth: leftWidth - 18)
    }
    // The model's summary, as `convplay summary` prints it.
    let right = Rect(x: area.x + leftWidth + 1, y: area.y, width: area.width - leftWidth - 1, height: area.height - 6)
    canvas.box(right, title: env.t(T.trSummaryTitle, config.modelName), style: theme.border, titleStyle: theme.panelTitle)
    let inner = right.inset(1)
    var y = inner.y
    do {
      let rows = try config.spec.rows()
      let count = try config.spec.parameterCount()
      let shapeWidth = max(14, (rows.map { ShapeText.batched($0.outputShape).count }.max() ?? 0) + 1)
      // Keras's "name (Type)" when it fits, else the name alone (80 columns).
      var names = rows.map { "\($0.layer.name) (\($0.layer.kind.kerasClass))" }
      if (names.map(\.count).max() ?? 0) + 1 + shapeWidth + 9 > inner.width - 1 { names = rows.map(\.layer.name) }
      let nameWidth = max(14, (names.map(\.count).max() ?? 0) + 1)
      canvas.put(env.t(T.trLayerHeader).padding(to: nameWidth) + env.t(T.trOutputShape).padding(to: shapeWidth) + env.t(T.trParamHeader),
                 x: inner.x + 1, y: y, style: theme.muted, maxWidth: inner.width - 1)
      y += 1
      let room = inner.height - 4
      for (i, row) in rows.enumerated() where i < room {
        let text = (i == room - 1 && rows.count > room) ? "..."
          : names[i].padding(to: nameWidth) + ShapeText.batched(row.outputShape).padding(to: shapeWidth)
            + NumberText.grouped(row.parameters.total)
        canvas.put(text, x: inner.x + 1, y: y, maxWidth: inner.width - 1)
        y += 1
      }
      y += 1
      canvas.put(env.t(T.trTotalParams, NumberText.grouped(count.total), NumberText.grouped(count.trainable)),
                 x: inner.x + 1, y: y, style: theme.emphasis, maxWidth: inner.width - 1)
    } catch {
      canvas.put(String(describing: error), x: inner.x + 1, y: y, style: theme.error, maxWidth: inner.width - 1)
    }
    // Below: data status, spec entry, messages.
    var lines: [(String, Style)] = []
    if let typing {
      lines.append((env.t(T.trTypeSpec), theme.emphasis))
      lines.append(("> " + typing + (canvas.unicode ? "▏" : "_"), theme.cursor))
      lines.append((env.t(T.trSpecExample), theme.muted))
      if let specError { lines.append((specError, theme.error)) }
    } else if phase == .fetching {
      let name = config.dataset.displayName
      if let f = fetchLine {
        lines.append((env.t(T.trFetching, name, f.index + 1, f.files) + "  " + f.file, theme.emphasis))
        lines.append((progressBar(f.fraction, width: 40, unicode: canvas.unicode) + " \(Int(f.fraction * 100))%", theme.done))
      } else {
        lines.append((env.t(T.trFetching, name, 1, 4), theme.emphasis))
      }
    } else if !dataAvailable {
      lines.append((env.t(T.trDataMissing, config.dataset.displayName), theme.error))
      lines.append(("  convplay data fetch \(config.dataset.rawValue)", theme.emphasis))
      lines.append((env.t(T.trOfferFetch), theme.emphasis))
    } else {
      lines.append((env.t(T.trDataFound, config.dataset.displayName), theme.done))
      lines.append((env.t(T.trPressStart), theme.emphasis))
    }
    if case .failed(let why) = phase { lines.append((env.t(T.trFailed, why), theme.error)) }
    if message == "fetched" { lines.append((env.t(T.trFetched), theme.done)) }
    var ly = max(left.maxY, right.maxY) + 0
    let width = area.width - 2
    for (text, style) in lines {
      for l in wrapText(text, width: width) where ly < area.maxY {
        canvas.put(l, x: area.x + 1, y: ly, style: style)
        ly += 1
      }
    }
  }

  private func drawDashboard(_ canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    var y = area.y
    let x = area.x + 1
    let w = area.width - 2
    var head = "\(config.modelName) · \(config.dataset.displayName) · \(config.optimizer.rawValue) lr "
      + NumberText.format(Double(config.learningRate)) + " · batch \(config.batch)"
    if let c = counts { head += " · " + env.t(T.trSplitCounts, NumberText.grouped(c.training), NumberText.grouped(c.validation), NumberText.grouped(c.test)) }
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
    let seen = min(batch * config.batch, counts?.training ?? batch * config.batch)
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
    case .loading: state = (env.t(T.trLoading, config.dataset.displayName), theme.muted)
    case .paused: state = (env.t(T.trPaused), theme.emphasis)
    case .finished: state = (env.t(T.trFinished), theme.done)
    case .stopped: state = (env.t(T.trStopped), theme.emphasis)
    case .failed(let why): state = (env.t(T.trFailed, why), theme.error)
    default: state = (env.t(T.trRunning), theme.text)
    }
    if let m = message {
      if m.hasPrefix("saved:") { state = (env.t(T.trSaved, String(m.dropFirst(6))), theme.done) }
      if m.hasPrefix("error:") { state = (env.t(T.trFailed, String(m.dropFirst(6))), theme.error) }
    }
    let end = canvas.put(state.0, x: x, y: y, style: state.1, maxWidth: w)
    if !testAccuracies.isEmpty, end + 4 < x + w {
      let list = testAccuracies.enumerated().map { "\($0.offset + 1): \(metric($0.element))" }.suffix(5).joined(separator: "  ")
      canvas.put("  " + env.t(T.trTestAccuracy) + " " + list, x: end, y: y, style: theme.emphasis, maxWidth: x + w - end)
    }
    y += 1
    // View tabs.
    var tx = x
    let names = [T.trViewCurves, T.trViewConfusion, T.trViewErrors, T.trViewFilters]
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
    default: drawFilters(&canvas, rect: rest, env: env)
    }
  }

  private func drawCurves(_ canvas: inout Canvas, rect: Rect, env: Env) {
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
    let xMax = Double(max(epochs, 1))
    for (i, box) in boxes.enumerated() {
      let isLoss = i == 0
      canvas.box(box, title: env.t(isLoss ? T.trLoss : T.trAccuracy), style: theme.border, titleStyle: theme.panelTitle)
      let inner = box.inset(1)
      let labelWidth = 7
      let plot = Rect(x: inner.x + labelWidth, y: inner.y, width: inner.width - labelWidth, height: inner.height)
      guard plot.width > 2, plot.height > 1 else { continue }
      let train = isLoss ? trainLoss : trainAccuracy
      let val: [(Double, Double)] = history.compactMap { m in
        (isLoss ? m.validationLoss : m.validationAccuracy).map { (Double(m.epoch), $0) }
      }
      let test = isLoss ? [] : testAccuracies.enumerated().map { (Double($0.offset + 1), $0.element) }
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
    canvas.put(env.t(T.trLegend, canvas.unicode ? "⠒" : "*", canvas.unicode ? "◆" : "v", canvas.unicode ? "●" : "t"),
               x: rect.x + 1, y: rect.maxY - 1, style: theme.muted, maxWidth: rect.width - 2)
  }

  private func drawConfusion(_ canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    guard let e = evaluation else {
      canvas.put(env.t(T.trAfterEpoch), x: rect.x + 1, y: rect.y, style: theme.muted)
      return
    }
    let n = e.confusion.count
    let cell = 5
    canvas.put(env.t(T.trConfusionTitle), x: rect.x + 1, y: rect.y, style: theme.panelTitle,
               maxWidth: min(rect.width - 2, 6 + n * cell))
    var y = rect.y + 1
    var header = "      "
    for j in 0..<n { header += String(j).leftPadded(to: cell) }
    canvas.put(header, x: rect.x + 1, y: y, style: theme.muted)
    y += 1
    for (i, row) in e.confusion.enumerated() where y < rect.maxY {
      canvas.put("  \(i) " + (canvas.unicode ? "│" : "|"), x: rect.x + 1, y: y, style: theme.muted)
      let total = max(row.reduce(0, +), 1)
      for (j, count) in row.enumerated() {
        let f = Double(count) / Double(total)
        var style = theme.text
        if theme.colored && count > 0 {
          // Diagonal (right) in greens, errors in reds, brighter for a larger share of the row.
          let level = min(5, 1 + Int(f * 5))
          let bg = i == j ? Color.cube(0, level, 0) : Color.cube(level, 0, 0)
          style = Style(fg: Color(231), bg: bg, bold: f > 0.5)
        } else if count == 0 {
          style = theme.pending
        }
        canvas.put(String(count).leftPadded(to: cell), x: rect.x + 7 + j * cell, y: y, style: style)
      }
      y += 1
    }
    // Beside it, when there is room, the first misclassified digits.
    let used = 7 + n * cell + 2
    if rect.width - used >= 34 {
      drawGallery(&canvas, rect: Rect(x: rect.x + used, y: rect.y, width: rect.width - used, height: rect.height), env: env)
    }
  }

  private func drawErrors(_ canvas: inout Canvas, rect: Rect, env: Env) {
    guard evaluation != nil else {
      canvas.put(env.t(T.trAfterEpoch), x: rect.x + 1, y: rect.y, style: env.theme.muted)
      return
    }
    drawGallery(&canvas, rect: rect, env: env)
  }

  private func drawGallery(_ canvas: inout Canvas, rect: Rect, env: Env) {
    let theme = env.theme
    guard let e = evaluation else { return }
    canvas.put(env.t(T.trErrorsTitle), x: rect.x + 1, y: rect.y, style: theme.panelTitle, maxWidth: rect.width - 2)
    if e.misclassified.isEmpty {
      canvas.put(env.t(T.trNoErrors), x: rect.x + 1, y: rect.y + 1, style: theme.done)
      return
    }
    // 28x28 at two pixels per cell column: 14 columns, 7 rows, a label line under each.
    let step = 2
    let size = planeSize(GrayPlane(width: 28, height: 28, values: []), step: step)
    let cw = size.width + 2
    let ch = size.height + 1
    let perRow = max(1, (rect.width - 1) / cw)
    let rows = max(0, (rect.height - 1) / ch)
    let arrow = canvas.unicode ? "→" : ">"
    for (k, s) in e.misclassified.prefix(perRow * rows).enumerated() {
      let px = rect.x + 1 + (k % perRow) * cw
      let py = rect.y + 1 + (k / perRow) * ch
      drawPlane(GrayPlane(width: s.width, height: s.height, values: s.pixels), x: px, y: py, step: step, low: 0, high: 1,
                canvas: &canvas, theme: theme)
      canvas.put("\(label(s.truth))\(arrow)\(label(s.predicted))", x: px, y: py + size.height, style: theme.error, maxWidth: cw - 1)
    }
  }

  private func label(_ c: Int) -> String {
    let names = config.dataset.classNames
    guard c < names.count else { return String(c) }
    return config.dataset == .mnist ? names[c] : String(names[c].prefix(6))
  }

  private func drawFilters(_ canvas: inout Canvas, rect: Rect, env: Env) {
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
    let f0 = e.filters[0]
    canvas.put(env.t(T.trFiltersTitle, e.filters.count, "\(f0.width)x\(f0.height)"), x: rect.x + 1, y: y,
               style: theme.panelTitle, maxWidth: rect.width - 2)
    y += 1
    // Small kernels are enlarged (each weight 2x2 pixels); 28x28 dense templates halved.
    let m = e.filters.flatMap(\.values).map(abs).max() ?? 1
    let shown: [GrayPlane] = e.filters.map { p in p.width <= 7 ? enlarged(p, by: 2) : p }
    let step = shown[0].width > 14 ? 2 : 1
    let size = planeSize(shown[0], step: step)
    let perRow = max(1, (rect.width - 1) / (size.width + 1))
    let filterRows = e.featureMaps.isEmpty ? max(1, (rect.height - 1) / (size.height + 1)) : 1
    for (k, p) in shown.prefix(perRow * filterRows).enumerated() {
      drawPlane(p, x: rect.x + 1 + (k % perRow) * (size.width + 1), y: y + (k / perRow) * (size.height + 1), step: step,
                low: -m, high: m, canvas: &canvas, theme: theme)
    }
    y += filterRows * (size.height + 1)
    guard digit < e.featureMaps.count, digit < e.digits.count, y + 2 < rect.maxY else {
      if e.featureMaps.isEmpty, y < rect.maxY {
        canvas.put(env.t(T.trNoMaps), x: rect.x + 1, y: y, style: theme.muted, maxWidth: rect.width - 2)
      }
      return
    }
    let sample = e.digits[digit]
    canvas.put(env.t(T.trMapsTitle, label(sample.truth), label(sample.predicted)), x: rect.x + 1, y: y,
               style: theme.panelTitle, maxWidth: rect.width - 2)
    y += 1
    let maps = e.featureMaps[digit]
    let digitPlane = GrayPlane(width: sample.width, height: sample.height, values: sample.pixels)
    let mapStep = rect.maxY - y >= 14 && maps.count <= 8 ? 1 : 2
    let ds = planeSize(digitPlane, step: mapStep)
    drawPlane(digitPlane, x: rect.x + 1, y: y, step: mapStep, low: 0, high: 1, canvas: &canvas, theme: theme)
    let ms = maps.first.map { planeSize($0, step: mapStep) } ?? (width: 0, height: 0)
    let x0 = rect.x + 1 + ds.width + 2
    let perLine = max(1, (rect.maxX - x0) / (ms.width + 1))
    let lines = max(1, (rect.maxY - y) / (ms.height + 1))
    for (k, p) in maps.prefix(perLine * lines).enumerated() {
      let top = max(p.values.max() ?? 1, 1e-6)
      drawPlane(p, x: x0 + (k % perLine) * (ms.width + 1), y: y + (k / perLine) * (ms.height + 1), step: mapStep,
                low: 0, high: top, canvas: &canvas, theme: theme)
    }
  }

  private func enlarged(_ p: GrayPlane, by f: Int) -> GrayPlane {
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
