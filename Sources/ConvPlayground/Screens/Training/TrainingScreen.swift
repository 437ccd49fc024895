import ConvData
import ConvImageIO
import ConvKit
import ConvTerminal
import Foundation

/// The live training dashboard: choose a model and its settings, see the summary, then train
/// (on the runner's `TrainingSession` thread) and watch progress, curves, the confusion matrix,
/// misclassified images, filters and feature maps fill in after each epoch. Any data set
/// `train` reads (MNIST, Fashion-MNIST, CIFAR-10, `folder:PATH`, gray or colour); with
/// `finetune` settings it runs `convplay finetune`'s two phases and shows which layers train.
///
/// The screen is pure: `update` returns commands (start, pause, stop, save, fetch) that the
/// runner performs, and keeps plain values from the worker's messages (`Msg.training`, or
/// `apply`), so tests drive it with synthetic events exactly as the worker would.
///
/// The form is in TrainingForm.swift, the dashboard in TrainingRunView.swift, and what the
/// settings resolve to (model on the data set, fine-tuning) in TrainingSetup.swift.
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
  /// The Augmentation row's choices: none, the overfitting lesson's transforms for digits (a
  /// mirrored 2 is not a 2), and the same with `flip` for photos.
  static let augmentChoices: [Augmentation?] = [
    nil, try? Augmentation(parsing: "rotate=10,shift=0.1,zoom=0.1"), try? Augmentation(parsing: "flip,rotate=10,shift=0.1,zoom=0.1"),
  ]
  static let views = 5
  /// The model row's last choice: fine-tune a saved model instead.
  static let finetuneChoice = "finetune"

  /// The settings the left panel lists, in order.
  enum Field: Equatable { case model, base, weights, unfreeze, dataset, epochs, finetuneEpochs, batch, optimizer, rate, limit, augment }
  /// How a colour convolution's filters are drawn: as colour, or each input channel apart.
  public enum FilterMode: Sendable, Equatable { case color, channels }

  public let id = "training"
  public internal(set) var config: TrainingConfig
  public internal(set) var phase: Phase = .setup
  /// A spec typed on the screen (or given with --model), offered as the model "spec".
  var customSpec: SequentialSpec?
  var customText = ""
  var field = 0
  var typing: String?
  var specError: String?
  var dataAvailable: Bool
  let environment: [String: String]
  var savePath: String
  var notice: Notice?
  /// The settings of the run on the dashboard (the form may change `config` after it ends).
  var runConfig: TrainingConfig?
  /// q or Esc during a run asks first: y stops it and leaves, any other key keeps training.
  public internal(set) var confirmingLeave = false

  /// A one-off line from the last command's result.
  enum Notice: Equatable { case saved(String), saveFailed(String), fetched }

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
  public internal(set) var history: [EpochMetrics] = []
  public internal(set) var testAccuracies: [Double] = []
  public internal(set) var evaluation: EpochEvaluation?
  var fetchLine: (file: String, fraction: Double, index: Int, files: Int)?
  public internal(set) var view = 0
  var digit = 0
  /// Class names (label = index): known before loading, or sent by the worker.
  public internal(set) var classNames: [String]
  /// The base model's spec when fine-tuning (nil if it could not be read: `specProblem` says why).
  var baseSpec: SequentialSpec?
  /// Why the chosen model cannot train on the chosen data set (shown instead of the summary).
  var specProblem: String?
  public internal(set) var filterMode: FilterMode = .color
  // Fine-tuning: the phase running, its layers' names, and each finished phase's test accuracy.
  public internal(set) var phaseInfo: (phase: FineTuningPhase, layers: [String])?
  public internal(set) var phaseAccuracies: [Int: Double] = [:]
  /// Every phase started in this run, by number (each keeps its counts on the dashboard).
  public internal(set) var phases: [Int: FineTuningPhase] = [:]
  var epochOffset = 0
  /// The epoch each test accuracy belongs to (a pretrained base is evaluated once per step).
  public internal(set) var testEpochs: [Int] = []
  /// A pretrained base: step 1's feature extraction so far, and once done its images and time.
  var extraction: (done: Int, of: Int)?
  var extracted: (images: Int, seconds: Double)?
  /// A pretrained base as step 1 trains it (base frozen, new head): the form's summary.
  var baseGraph: GraphSpec?
  /// `--base FILE` from the command line: a Keras model file offered on the Base row.
  var baseFile: String?
  /// The zoo model to return to when the Base row goes back to none.
  var lastModel = "cnn"
  /// The test limit was set by choosing a pretrained base (1,000 images), not by the user.
  var automaticTestLimit = false
  /// A list given with `--augment` (or kept) that is none of the presets: it stays a choice.
  var givenAugmentation: Augmentation?

  /// `dataAvailable` nil looks for the data set (--data, $CONVPLAY_DATA, the user cache).
  public init(
    config: TrainingConfig? = nil, dataAvailable: Bool? = nil, savePath: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    let zoo = ModelZoo.named("cnn")!
    let c = config ?? TrainingConfig(modelName: zoo.name, spec: zoo.spec)
    self.config = c
    self.environment = environment
    self.savePath = savePath ?? "convplay-\(c.modelName).safetensors"
    self.dataAvailable = dataAvailable ?? Self.locate(c, environment: environment)
    classNames = c.dataset.classNamesBeforeLoading ?? []
    if !Self.augmentChoices.contains(c.augmentation) { givenAugmentation = c.augmentation }
    if let p = c.finetune?.pretrained, !p.isNamed { baseFile = p.base }
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

  /// The fine-tuning settings to return to when the model row comes back to "finetune".
  var lastFinetune: FineTuneSettings?


  public func title(_ env: Env) -> String { env.t(T.lessonTraining) }

  public func status(_ env: Env) -> String {
    switch phase {
    case .training, .paused: return env.t(T.trEpochBar, epoch, epochs)
    case .finished: return env.t(T.trFinished)
    default: return ""
    }
  }

  /// The spec field and the leave question read every key (q, ? and Esc included).
  public var capturesAllKeys: Bool { typing != nil || confirmingLeave }

  /// What the screen shows: the settings form, or the dashboard of the current or last run.
  /// Keys act only on what is shown, so no setting changes behind the dashboard.
  var showsForm: Bool { phase == .setup || phase == .fetching || typing != nil || (history.isEmpty && isFailed) }
  var isFailed: Bool { if case .failed = phase { return true } else { return false } }
  /// A run is going: leaving would discard it.
  var isRunning: Bool { [.loading, .training, .paused].contains(phase) }
  /// A run is over and its results are on the dashboard.
  var isOver: Bool { !showsForm && !isRunning }
  /// The settings the dashboard describes: the run's own.
  var ran: TrainingConfig { runConfig ?? config }

  public func hints(_ env: Env) -> [KeyHint] {
    if typing != nil { return typingHints(env) }
    if confirmingLeave { return [KeyHint("y", env.t(T.trKeyConfirmLeave)), KeyHint("n", env.t(T.trKeyKeepTraining))] }
    if phase == .fetching { return [] }
    if showsForm { return formHints(env) }
    return (isRunning ? runningHints(env) : overHints(env)) + viewHints(env)
  }

  func typingHints(_ env: Env) -> [KeyHint] {
    [KeyHint("Enter", env.t(T.keyStore)), KeyHint("Esc", env.t(T.trKeyCancelSpec)), KeyHint("BSpace", env.t(T.trKeyDeleteChar))]
  }

  func formHints(_ env: Env) -> [KeyHint] {
    var h = [
      KeyHint("Enter", env.t(T.trKeyStart)), KeyHint("↑↓", env.t(T.trKeySetting)), KeyHint("←→", env.t(T.trKeyChange)),
    ]
    if config.finetune == nil { h.append(KeyHint("t", env.t(T.trKeyTypeSpec))) }
    if config.finetune?.pretrained?.weightsMissing == true { h.append(KeyHint("r", env.t(T.trKeyRandomWeights))) }
    if !dataAvailable && config.dataset.isFetchable { h.append(KeyHint("f", env.t(T.trKeyFetch))) }
    return h
  }

  func runningHints(_ env: Env) -> [KeyHint] {
    [KeyHint("p", env.t(phase == .paused ? T.trKeyResume : T.trKeyPause)), KeyHint("x", env.t(T.trKeyStop)), KeyHint("q", env.t(T.trKeyAsksLeave))]
  }

  func overHints(_ env: Env) -> [KeyHint] {
    (phase == .finished || phase == .stopped ? [KeyHint("w", env.t(T.trKeySave))] : []) + [KeyHint("e", env.t(T.trKeyEdit))]
  }

  func viewHints(_ env: Env) -> [KeyHint] {
    [KeyHint("Tab 1-5", env.t(T.trKeyView)), KeyHint("[ ]", env.t(T.trKeyDigit))] + colorHint(env)
  }

  /// Every key the screen takes, before, during and after a run (the help overlay's list),
  /// each action saying when it applies.
  public func allHints(_ env: Env) -> [KeyHint] {
    [
      KeyHint("Enter", env.t(T.trKeyStart)), KeyHint("↑↓", env.t(T.trKeySetting)), KeyHint("←→", env.t(T.trKeyChange)),
      KeyHint("t", env.t(T.trKeyTypeSpec)), KeyHint("f", env.t(T.trKeyFetch)), KeyHint("r", env.t(T.trHelpRandom)),
      KeyHint("Chars", env.t(T.trHelpSpecChars)), KeyHint("Enter", env.t(T.trHelpSpecEnter)),
      KeyHint("Esc", env.t(T.trHelpSpecEsc)), KeyHint("BSpace", env.t(T.trHelpSpecErase)),
      KeyHint("p/Space", env.t(T.trHelpPause)), KeyHint("x", env.t(T.trHelpStop)),
      KeyHint("y", env.t(T.trHelpConfirm)), KeyHint("w", env.t(T.trHelpSave)), KeyHint("e", env.t(T.trHelpEdit)),
      KeyHint("Tab 1-5", env.t(T.trHelpView)), KeyHint("[ ]", env.t(T.trHelpDigit)), KeyHint("c", env.t(T.trHelpColor)),
    ]
  }

  public func helpText(_ env: Env) -> [String] { [env.t(T.helpTraining1), env.t(T.helpTraining2), env.t(T.helpTraining3)] }

  /// `c` switches colour filters between colour and per-channel pictures.
  private func colorHint(_ env: Env) -> [KeyHint] {
    (evaluation?.filterChannels ?? 1) == 3 && view == 3 ? [KeyHint("c", env.t(T.trKeyFilterMode))] : []
  }

  // MARK: - Update

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    switch msg {
    case .tick, .gradCAM: return .none
    case .training(let event):
      apply(event)
      return .none
    case .key(let key):
      if typing != nil { return typeKey(key) }
      if confirmingLeave {
        confirmingLeave = false
        return key == .char("y") || key == .char("Y") ? .batch([.perform(.stopTraining), .back]) : .none
      }
      if key == .char("q") || key == .char("Q") || key == .escape {
        if isRunning {
          confirmingLeave = true
          return .none
        }
        return .ignored
      }
      return showsForm ? setupKey(key) : dashboardKey(key)
    }
  }

  /// Keys of the dashboard: its views, and pause/stop during a run or save/edit after it.
  private mutating func dashboardKey(_ key: Key) -> Effect {
    switch key {
    case .tab: view = (view + 1) % Self.views
    case .backTab: view = (view + Self.views - 1) % Self.views
    case .char(let c) where ("1"..."5").contains(c): view = Int(String(c))! - 1
    case .char("["): digit = (digit + exampleCount - 1) % exampleCount
    case .char("]"): digit = (digit + 1) % exampleCount
    case .char("c") where (evaluation?.filterChannels ?? 1) == 3:
      filterMode = filterMode == .color ? .channels : .color
    case .char("p") where isRunning, .char(" ") where isRunning:
      if phase == .training {
        phase = .paused
        return .perform(.pauseTraining(true))
      } else if phase == .paused {
        phase = .training
        return .perform(.pauseTraining(false))
      }
    case .char("x") where isRunning: return .perform(.stopTraining)
    case .char("w") where phase == .finished || phase == .stopped: return saveCommand()
    case .char("e") where isOver:
      // Back to the form; the run's results stay until the next run starts.
      phase = .setup
    default: return .ignored
    }
    return .none
  }

  /// Examples with feature maps: one per class of the test set.
  private var exampleCount: Int { max(1, evaluation?.digits.count ?? classNames.count) }

  /// Starts a run if the settings allow one (data present, the model fits the data set).
  mutating func start() -> Effect {
    let ready = config.finetune?.pretrained.map { !$0.weightsMissing && baseGraph != nil } ?? ((try? config.spec.rows()) != nil)
    guard dataAvailable, specProblem == nil, ready else {
      notice = nil
      return .none
    }
    resetLive()
    runConfig = config
    phase = .loading
    epochs = totalEpochs
    return .perform(.startTraining(config))
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
    notice = nil
    phaseInfo = nil
    phaseAccuracies = [:]
    phases = [:]
    testEpochs = []
    extraction = nil
    extracted = nil
    epochOffset = 0
  }
  /// Epochs of the whole run (both phases when fine-tuning).
  var totalEpochs: Int { ran.finetune?.plan.totalEpochs ?? ran.epochs }

  /// Saves the trained model with what it was trained on (the runner writes the file).
  func saveCommand() -> Effect {
    var meta: [String: String] = [
      "dataset": ran.dataset.rawValue, "model": ran.finetune.map { "finetuned from \($0.baseName)" } ?? ran.modelName,
      "epochs": String(history.count),
      "optimizer": ran.optimizer.rawValue, "learning_rate": "\(ran.learningRate)", "batch": String(ran.batch),
      "training_images": String(counts?.training ?? 0),
    ]
    meta.merge(ModelFile.classesMetadata(classNames)) { $1 }
    if let e = evaluation { meta["test_accuracy"] = metric(e.testAccuracy) }
    return .perform(.saveModel(path: savePath, metadata: meta))
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
      phases[p.number] = p
      epochOffset = p.number == 2 ? (ran.finetune?.plan.freezeEpochs ?? 0) : 0
    case .phaseEnded(let number, let accuracy):
      phaseAccuracies[number] = accuracy
    case .extracting(let done, let total): extraction = (done, total)
    case .extracted(let images, let seconds):
      extraction = nil
      extracted = (images, seconds)
    case .loaded(let t, let v, let test):
      counts = (t, v, test)
      if phase == .loading { phase = .training }
    case .training(let e):
      if phase == .loading || phase == .setup { phase = .training }
      switch e {
      case .epochStarted(let e, let eps, let bs):
        let ep = e + epochOffset
        epoch = ep
        epochs = ran.finetune == nil ? eps : totalEpochs
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
      testEpochs.append(history.last?.epoch ?? testAccuracies.count)
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
      notice = .fetched
    case .saved(let path): notice = .saved(path)
    case .saveFailed(let why): notice = .saveFailed(why)
    }
  }

  // MARK: - View

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    if showsForm {
      drawSetup(&canvas, area: area, env: env)
    } else {
      drawDashboard(&canvas, area: area, env: env)
    }
  }

}
