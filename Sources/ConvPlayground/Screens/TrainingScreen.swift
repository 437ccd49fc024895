import ConvData
import ConvImageIO
import ConvKit
import ConvTerminal
import Foundation

/// The live training dashboard: choose a model and its settings, see the summary, then train
/// (on `TrainingSession`'s thread) and watch progress, curves, the confusion matrix,
/// misclassified images, filters and feature maps fill in after each epoch. Any data set
/// `train` reads (MNIST, Fashion-MNIST, CIFAR-10, `folder:PATH`, gray or colour); with
/// `finetune` settings it runs `convplay finetune`'s two phases and shows which layers train.
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
  static let views = 5

  /// The settings the left panel lists, in order.
  enum Field: Equatable { case model, dataset, epochs, finetuneEpochs, batch, optimizer, rate, limit }
  /// How a colour convolution's filters are drawn: as colour, or each input channel apart.
  public enum FilterMode: Sendable, Equatable { case color, channels }

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
  public private(set) var evaluation: EpochEvaluation?
  var fetchLine: (file: String, fraction: Double, index: Int, files: Int)?
  public private(set) var view = 0
  var digit = 0
  /// Class names (label = index): known before loading, or sent by the worker.
  public private(set) var classNames: [String]
  /// The base model's spec when fine-tuning (nil if it could not be read: `specProblem` says why).
  var baseSpec: SequentialSpec?
  /// Why the chosen model cannot train on the chosen data set (shown instead of the summary).
  var specProblem: String?
  public private(set) var filterMode: FilterMode = .color
  // Fine-tuning: the phase running, its layers' names, and each finished phase's test accuracy.
  public private(set) var phaseInfo: (phase: FineTuningPhase, layers: [String])?
  public private(set) var phaseAccuracies: [Int: Double] = [:]
  var epochOffset = 0

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
    classNames = c.dataset.classNamesBeforeLoading ?? []
    if c.finetune != nil {
      enterFinetune(c.finetune!)
      self.savePath = savePath ?? self.savePath
    } else if ModelZoo.named(c.modelName) == nil {
      customSpec = c.spec
      self.config.modelName = "spec"
    } else {
      refreshSpec()
    }
  }

  static func locate(_ c: TrainingConfig, environment: [String: String]) -> Bool {
    (try? c.dataset.check(DatasetLocator(explicitDirectory: c.dataDirectory, environment: environment))) != nil
  }

  /// The settings shown, in order: fine-tuning has two epoch counts and always uses Adam.
  var fields: [Field] {
    config.finetune == nil
      ? [.model, .dataset, .epochs, .batch, .optimizer, .rate, .limit]
      : [.model, .dataset, .epochs, .finetuneEpochs, .batch, .rate, .limit]
  }

  /// A folder by its last path component (the setting column is narrow).
  var datasetLabel: String {
    if case .folder(let p) = config.dataset { return "folder:" + URL(fileURLWithPath: p).lastPathComponent }
    return config.dataset.displayName
  }

  /// The data sets offered: the named ones and the folder given on the command line.
  var datasetChoices: [DataSource] {
    DataSource.named + (DataSource.named.contains(config.dataset) ? [] : [config.dataset])
  }

  /// Fine-tuning mode: the model row shows the base (read once, for the summary) and the
  /// settings become `finetune`'s.
  mutating func enterFinetune(_ settings: FineTuneSettings) {
    var ft = settings
    if config.finetune == nil {
      // Chosen on the screen: the rate and batch chosen so far carry over to phase 1.
      ft.plan.learningRate = config.learningRate
      ft.plan.batch = config.batch
    }
    config.finetune = ft
    config.modelName = ft.baseName
    savePath = "convplay-finetuned.safetensors"
    if baseSpec == nil {
      do { baseSpec = try FineTuning.sequential(ft.loadBase().network) } catch { specProblem = String(describing: error) }
    }
    refreshSpec()
  }

  /// Puts the chosen model on the chosen data set's image shape (and, fine-tuning, the new
  /// head with one unit per class, only the head trainable as in phase 1).
  mutating func refreshSpec() {
    let shape = config.imageShape
    if config.finetune != nil {
      guard let base = baseSpec else { return }
      specProblem = nil
      guard base.inputShape.count == 3, base.inputShape[2] == shape[2] else {
        specProblem = "the base model takes \(ShapeText.tuple(base.inputShape)) images but \(config.dataset.displayName) has "
          + "\(ShapeText.tuple(shape)): the channels must match"
        return
      }
      do {
        let classes = max(1, classNames.count)
        config.spec = FineTuning.headOnlyTrainable(try FineTuning.replacingHead(in: base, classes: classes, inputShape: shape).spec)
      } catch {
        specProblem = String(describing: error)
      }
    } else if config.modelName == "spec", let custom = customSpec {
      specProblem = nil
      config.spec = SequentialSpec(inputShape: shape, layers: custom.layers)
    } else if let e = ModelZoo.named(config.modelName) {
      specProblem = nil
      config.spec = Self.withClasses(SequentialSpec(inputShape: shape, layers: e.spec.layers), classNames.count)
    }
  }

  /// A zoo model (written for MNIST's ten digits) with its last Dense layer resized to the data
  /// set's class count, as a Keras user sets `Dense(num_classes)`.
  static func withClasses(_ spec: SequentialSpec, _ classes: Int) -> SequentialSpec {
    guard classes >= 2, let head = FineTuning.headIndex(of: spec), head == spec.layers.count - 1,
      var dense = spec.layers[head].layer as? Dense, dense.units != classes
    else { return spec }
    var s = spec
    dense.units = classes
    s.layers[head].layer = dense
    return s
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
        KeyHint("p", env.t(T.trKeyPause)), KeyHint("x", env.t(T.trKeyStop)), KeyHint("Tab 1-5", env.t(T.trKeyView)),
        KeyHint("[ ]", env.t(T.trKeyDigit)),
      ] + colorHint(env)
    case .fetching:
      return []
    default:
      var h = [
        KeyHint("Enter", env.t(T.trKeyStart)), KeyHint("↑↓", env.t(T.trKeySetting)), KeyHint("←→", env.t(T.trKeyChange)),
      ]
      if config.finetune == nil { h.append(KeyHint("t", env.t(T.trKeyTypeSpec))) }
      if !dataAvailable && config.dataset.isFetchable { h.append(KeyHint("f", env.t(T.trKeyFetch))) }
      if phase == .finished || phase == .stopped {
        h += [KeyHint("w", env.t(T.trKeySave)), KeyHint("Tab 1-5", env.t(T.trKeyView)), KeyHint("[ ]", env.t(T.trKeyDigit))]
        h += colorHint(env)
      }
      return h
    }
  }

  public func helpText(_ env: Env) -> [String] { [env.t(T.helpTraining1), env.t(T.helpTraining2), env.t(T.helpTraining3)] }

  /// `c` switches colour filters between colour and per-channel pictures.
  private func colorHint(_ env: Env) -> [KeyHint] {
    (evaluation?.filterChannels ?? 1) == 3 && view == 3 ? [KeyHint("c", env.t(T.trKeyFilterMode))] : []
  }

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
    case .char(let c) where ("1"..."5").contains(c) && phase != .setup: view = Int(String(c))! - 1
    case .char("["): digit = (digit + exampleCount - 1) % exampleCount
    case .char("]"): digit = (digit + 1) % exampleCount
    case .char("c") where phase != .setup && (evaluation?.filterChannels ?? 1) == 3:
      filterMode = filterMode == .color ? .channels : .color
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

  /// Examples with feature maps: one per class of the test set.
  private var exampleCount: Int { max(1, evaluation?.digits.count ?? classNames.count) }

  private mutating func setupKey(_ key: Key) -> Effect {
    let n = fields.count
    switch key {
    case .up: field = (field + n - 1) % n
    case .down: field = (field + 1) % n
    case .left: change(-1)
    case .right: change(1)
    case .char("t") where config.finetune == nil:
      typing = customText
      specError = nil
    case .enter, .char("s"):
      start()
    case .char("f") where !dataAvailable && config.dataset.isFetchable:
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
        let spec = try ModelSpecParser.parse(text, inputShape: config.imageShape)
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

  /// The model row's choices; the last one, "finetune", fine-tunes a saved model instead.
  private var modelNames: [String] { Self.modelChoices + (customSpec == nil ? [] : ["spec"]) + [Self.finetuneChoice] }
  static let finetuneChoice = "finetune"
  /// The fine-tuning settings to return to when the model row comes back to "finetune".
  private var lastFinetune: FineTuneSettings?

  private mutating func change(_ d: Int) {
    func cycle<T: Equatable>(_ list: [T], _ value: T) -> T {
      let i = list.firstIndex(of: value) ?? 0
      return list[(i + d + list.count) % list.count]
    }
    switch fields[min(field, fields.count - 1)] {
    case .model:
      let name = cycle(modelNames, config.finetune == nil ? config.modelName : Self.finetuneChoice)
      if name == Self.finetuneChoice {
        enterFinetune(lastFinetune ?? FineTuneSettings())
        return
      }
      if config.finetune != nil {
        lastFinetune = config.finetune
        config.finetune = nil
      }
      config.modelName = name
      refreshSpec()
      savePath = "convplay-\(name).safetensors"
    case .dataset:
      config.dataset = cycle(datasetChoices, config.dataset)
      dataAvailable = Self.locate(config, environment: environment)
      classNames = config.dataset.classNamesBeforeLoading ?? []
      refreshSpec()
    case .epochs:
      if var ft = config.finetune {
        ft.plan.freezeEpochs = min(50, max(0, ft.plan.freezeEpochs + d))
        if ft.plan.totalEpochs == 0 { ft.plan.freezeEpochs = 1 }
        config.finetune = ft
      } else {
        config.epochs = min(50, max(1, config.epochs + d))
      }
    case .finetuneEpochs:
      guard var ft = config.finetune else { return }
      ft.plan.finetuneEpochs = min(50, max(0, ft.plan.finetuneEpochs + d))
      if ft.plan.totalEpochs == 0 { ft.plan.finetuneEpochs = 1 }
      config.finetune = ft
    case .batch:
      config.batch = cycle(Self.batchChoices, config.batch)
      config.finetune?.plan.batch = config.batch
    case .optimizer:
      config.optimizer = cycle(OptimizerKind.allCases, config.optimizer)
      config.learningRate = config.optimizer.defaultLearningRate
    case .rate:
      config.learningRate = cycle(Self.rateChoices, config.learningRate)
      config.finetune?.plan.learningRate = config.learningRate
    case .limit: config.limit = cycle(Self.limitChoices, config.limit)
    }
  }

  private mutating func start() {
    guard dataAvailable, specProblem == nil, (try? config.spec.rows()) != nil else {
      message = nil
      return
    }
    resetLive()
    if session.start(config) {
      phase = .loading
      epochs = totalEpochs
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
    phaseInfo = nil
    phaseAccuracies = [:]
    epochOffset = 0
  }

  /// The model's name as shown: the base of a fine-tuning run is a file name, or the built-in
  /// model in the screen's language.
  private func modelLabel(_ env: Env) -> String {
    if let ft = config.finetune, ft.basePath == nil { return env.t(T.trBuiltInModel) }
    return config.modelName
  }

  /// Epochs of the whole run (both phases when fine-tuning).
  var totalEpochs: Int { config.finetune?.plan.totalEpochs ?? config.epochs }

  private mutating func save() {
    var meta: [String: String] = [
      "dataset": config.dataset.rawValue, "model": config.finetune.map { "finetuned from \($0.baseName)" } ?? config.modelName,
      "epochs": String(history.count),
      "optimizer": config.optimizer.rawValue, "learning_rate": "\(config.learningRate)", "batch": String(config.batch),
      "training_images": String(counts?.training ?? 0),
    ]
    meta.merge(ModelFile.classesMetadata(classNames)) { $1 }
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
      epochs = totalEpochs
    case .classes(let names):
      classNames = names
    case .phase(let p, let layers):
      phaseInfo = (p, layers)
      epochOffset = p.number == 2 ? (config.finetune?.plan.freezeEpochs ?? 0) : 0
    case .phaseEnded(let number, let accuracy):
      phaseAccuracies[number] = accuracy
    case .loaded(let t, let v, let test):
      counts = (t, v, test)
      if phase == .loading { phase = .training }
    case .training(let e):
      if phase == .loading || phase == .setup { phase = .training }
      switch e {
      case .epochStarted(let e, let eps, let bs):
        let ep = e + epochOffset
        epoch = ep
        epochs = config.finetune == nil ? eps : totalEpochs
        batches = bs
        batch = 0
        epochSeconds = 0
      case .batchEnded(let e, let b, let bs, let l, let a, let s):
        let ep = e + epochOffset
        epoch = ep
        batch = b
        batches = bs
        loss = l
        accuracy = a
        epochSeconds = s
        let x = Double(ep - 1) + Double(b) / Double(max(bs, 1))
        trainLoss.append((x, l))
        trainAccuracy.append((x, a))
      case .epochEnded(var m):
        m.epoch += epochOffset
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
    fields.map { f in
      switch f {
      case .model: return (env.t(config.finetune == nil ? T.trModel : T.trBase), modelLabel(env))
      case .dataset: return (env.t(T.trDataset), datasetLabel)
      case .epochs:
        return config.finetune.map { (env.t(T.trFreezeEpochs), String($0.plan.freezeEpochs)) }
          ?? (env.t(T.trEpochs), String(config.epochs))
      case .finetuneEpochs: return (env.t(T.trFinetuneEpochs), String(config.finetune?.plan.finetuneEpochs ?? 0))
      case .batch: return (env.t(T.trBatch), String(config.batch))
      case .optimizer: return (env.t(T.trOptimizer), config.optimizer.rawValue)
      case .rate: return (env.t(T.trLearningRate), NumberText.format(Double(config.learningRate)))
      case .limit: return (env.t(T.trImages), config.limit.map { NumberText.grouped($0) } ?? env.t(T.trAll))
      }
    }
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
    canvas.box(right, title: env.t(T.trSummaryTitle, modelLabel(env)), style: theme.border, titleStyle: theme.panelTitle)
    drawSummary(config.spec, &canvas, rect: right.inset(1), env: env)
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
      if config.dataset.isFetchable {
        lines.append((env.t(T.trDataMissing, config.dataset.displayName), theme.error))
        lines.append(("  convplay data fetch \(config.dataset.rawValue)", theme.emphasis))
        lines.append((env.t(T.trOfferFetch), theme.emphasis))
      } else {
        lines.append((env.t(T.trFolderMissing, config.dataset.displayName), theme.error))
      }
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

  /// Keras's summary table of `spec` in `inner`; with frozen layers a Trainable column (as
  /// `summary(show_trainable=True)`) and the non-trainable count.
  private func drawSummary(_ spec: SequentialSpec, _ canvas: inout Canvas, rect inner: Rect, env: Env) {
    let theme = env.theme
    var y = inner.y
    if let specProblem {
      for l in wrapText(env.t(T.trFailed, specProblem), width: inner.width - 1) where y < inner.maxY {
        canvas.put(l, x: inner.x + 1, y: y, style: theme.error)
        y += 1
      }
      return
    }
    do {
      let rows = try spec.rows()
      let count = try spec.parameterCount()
      let frozen = spec.layers.contains { !$0.trainable } || config.finetune != nil
      let trainWidth = env.t(T.trTrainableHeader).count
      let shapeWidth = max(14, (rows.map { ShapeText.batched($0.outputShape).count }.max() ?? 0) + 1)
      // Keras's "name (Type)" when it fits, else the name alone (80 columns).
      var names = rows.map { "\($0.layer.name) (\($0.layer.kerasClass))" }
      if (names.map(\.count).max() ?? 0) + 1 + shapeWidth + 9 + (frozen ? trainWidth : 0) > inner.width - 1 {
        names = rows.map(\.layer.name)
      }
      let nameWidth = max(14, (names.map(\.count).max() ?? 0) + 1)
      // Keras's Trainable column (show_trainable=True) where it fits; else a * before each
      // frozen layer, in the column left of the table.
      let column = frozen && nameWidth + shapeWidth + 9 + trainWidth <= inner.width - 1
      var header = env.t(T.trLayerHeader).padding(to: nameWidth) + env.t(T.trOutputShape).padding(to: shapeWidth)
      header += column ? env.t(T.trParamHeader).padding(to: 9) + env.t(T.trTrainableHeader) : env.t(T.trParamHeader)
      canvas.put(header, x: inner.x + 1, y: y, style: theme.muted, maxWidth: inner.width - 1)
      y += 1
      let room = inner.height - (frozen ? 5 : 4)
      for (i, row) in rows.enumerated() where i < room {
        var text = (i == room - 1 && rows.count > room) ? "..."
          : names[i].padding(to: nameWidth) + ShapeText.batched(row.outputShape).padding(to: shapeWidth)
            + NumberText.grouped(row.parameters.total)
        if column && text != "..." { text = text.padding(to: nameWidth + shapeWidth + 9) + (row.layer.trainable ? "Y" : "N") }
        let style = frozen && !row.layer.trainable ? theme.muted : theme.text
        if frozen && !column && !row.layer.trainable && text != "..." { canvas.put("*", x: inner.x, y: y, style: theme.emphasis) }
        canvas.put(text, x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 1)
        y += 1
      }
      y += 1
      canvas.put(env.t(T.trTotalParams, NumberText.grouped(count.total), NumberText.grouped(count.trainable)),
                 x: inner.x + 1, y: y, style: theme.emphasis, maxWidth: inner.width - 1)
      if frozen {
        let note = column || count.nonTrainable == 0 ? "" : " " + env.t(T.trFrozenMark)
        canvas.put(env.t(T.trNonTrainable, NumberText.grouped(count.nonTrainable)) + note, x: inner.x + 1, y: y + 1,
                   style: theme.emphasis, maxWidth: inner.width - 1)
      }
    } catch {
      canvas.put(String(describing: error), x: inner.x + 1, y: y, style: theme.error, maxWidth: inner.width - 1)
    }
  }

  private func drawDashboard(_ canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    var y = area.y
    let x = area.x + 1
    let w = area.width - 2
    var head = "\(config.modelName) · \(datasetLabel) · \(config.optimizer.rawValue) lr "
      + NumberText.format(Double(config.learningRate)) + " · batch \(config.batch)"
    if let ft = config.finetune {
      head = "\(env.t(T.trFinetuneHead, modelLabel(env))) · \(datasetLabel) · adam lr "
        + NumberText.format(Double(ft.plan.learningRate)) + "/" + NumberText.format(Double(ft.plan.phase2LearningRate))
        + " · batch \(ft.plan.batch)"
    }
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
    // Fine-tuning: the phase, what trains, its counts, and each finished phase's accuracy.
    if config.finetune != nil {
      var text = env.t(T.trPhaseWaiting)
      if let (p, layers) = phaseInfo {
        let frozen = zip(layers, p.trainable).filter { !$0.1 }.map(\.0)
        text = env.t(p.baseFrozen ? T.trPhaseFrozen : T.trPhaseAll, p.number, frozen.count, layers.count)
          + " · " + env.t(T.trPhaseCounts, NumberText.grouped(p.counts.trainable), NumberText.grouped(p.counts.nonTrainable))
      }
      let done = phaseAccuracies.keys.sorted().map { env.t(T.trPhaseAccuracy, $0, metric(phaseAccuracies[$0]!)) }
      if !done.isEmpty { text = done.joined(separator: "  ") + (canvas.unicode ? " │ " : " | ") + text }
      canvas.put(canvas.unicode ? text : text.replacingOccurrences(of: "·", with: "-"), x: x, y: y, style: theme.emphasis, maxWidth: w)
      y += 1
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
        let cx = rect.x + labelWidth + 3 + j * cell
        if cx + cell <= rect.maxX { canvas.put(String(count).leftPadded(to: cell), x: cx, y: y, style: style) }
      }
      y += 1
    }
    // Beside it, when there is room, the first misclassified images.
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

  /// Image pixels per half-block pixel so that a sample is at most 16 cells wide (28x28 and
  /// 32x32: 2, as the gallery has always drawn digits).
  private func sampleStep(_ width: Int) -> Int { max(1, (width + 15) / 16) }

  /// Draws a test image: gray with `drawPlane`, colour with the image lab's half-block picture.
  /// Returns the cells it takes.
  @discardableResult
  private func drawSample(
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
  private func rgbPicture(width: Int, height: Int, _ interleaved: [Float]) -> Picture {
    let n = width * height
    var planar = [Float](repeating: 0, count: 3 * n)
    for p in 0..<n { for c in 0..<3 { planar[c * n + p] = interleaved[p * 3 + c] } }
    return Picture(Image(width: width, height: height, channels: 3, samples: planar))
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
  private func label(_ c: Int, _ env: Env, width: Int = 6) -> String {
    guard c < classNames.count else { return String(c) }
    // The named data sets' English names are translated; a folder's names are the user's own.
    let name = config.dataset.knownClassNames == nil ? classNames[c] : ClassNames.localized(classNames[c], env.lang)
    return String(name.prefix(max(1, width)))
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
    let channels = max(1, e.filterChannels)
    let count = e.filters.count / channels
    let f0 = e.filters[0]
    var title = env.t(T.trFiltersTitle, count, "\(f0.width)x\(f0.height)" + (channels > 1 ? "x\(channels)" : ""))
    if channels == 3 { title += " · " + env.t(filterMode == .color ? T.trFiltersColor : T.trFiltersChannels) }
    if let p = phaseInfo, p.phase.trainable.first == false { title += " · " + env.t(T.trFrozenTag) }
    canvas.put(canvas.unicode ? title : title.replacingOccurrences(of: "·", with: "-"), x: rect.x + 1, y: y,
               style: theme.panelTitle, maxWidth: rect.width - 2)
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
    for k in 0..<min(count, perRow * filterRows) {
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
    let mapsTitle = config.dataset == .mnist ? T.trMapsTitle : T.trMapsTitleImage
    canvas.put(env.t(mapsTitle, label(sample.truth, env, width: 12), label(sample.predicted, env, width: 12)), x: rect.x + 1, y: y,
               style: theme.panelTitle, maxWidth: rect.width - 2)
    y += 1
    let maps = e.featureMaps[digit]
    let mapStep = (rect.maxY - y >= 14 && maps.count <= 8 ? 1 : 2) * max(1, sampleStep(sample.width) / 2)
    let ds = drawSample(sample, x: rect.x + 1, y: y, step: mapStep, canvas: &canvas, theme: theme)
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

  /// The model as it trains now: in a fine-tuning run, the running phase's frozen layers.
  private func drawLayers(_ canvas: inout Canvas, rect: Rect, env: Env) {
    var spec = config.spec
    if let p = phaseInfo, p.phase.trainable.count == spec.layers.count {
      for i in spec.layers.indices { spec.layers[i].trainable = p.phase.trainable[i] }
    }
    let box = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
    canvas.box(box, title: env.t(T.trSummaryTitle, modelLabel(env)), style: env.theme.border, titleStyle: env.theme.panelTitle)
    drawSummary(spec, &canvas, rect: box.inset(1), env: env)
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
