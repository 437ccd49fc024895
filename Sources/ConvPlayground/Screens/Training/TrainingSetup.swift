import ConvData
import ConvImageIO
import ConvKit
import ConvTerminal
import ConvUserData
import Foundation

/// What the chosen settings resolve to: the data set, the model on its image shape, fine-tuning.
extension TrainingScreen {
  static func locate(_ c: TrainingConfig, environment: [String: String]) -> Bool {
    (try? c.dataset.check(DatasetLocator(explicitDirectory: c.dataDirectory, environment: environment))) != nil
  }

  /// The settings shown, in order: fine-tuning has two epoch counts and always uses Adam; a
  /// pretrained base also its weights and how much of it step 2 unfreezes.
  var fields: [Field] {
    // Base last when training from scratch (the rows above keep their places), first when fine-tuning.
    // Augmentation trains from scratch and on a pretrained base (not a saved model's two phases).
    guard let ft = config.finetune else { return [.model, .dataset, .epochs, .batch, .optimizer, .rate, .limit, .augment, .base] }
    return ft.pretrained == nil
      ? [.base, .dataset, .epochs, .finetuneEpochs, .batch, .rate, .limit]
      : [.base, .weights, .unfreeze, .dataset, .epochs, .finetuneEpochs, .batch, .rate, .limit, .augment]
  }

  /// A folder by its last path component (the setting column is narrow).
  func datasetLabel(of c: TrainingConfig? = nil) -> String {
    let dataset = (c ?? config).dataset
    if case .folder(let p) = dataset { return "folder:" + URL(fileURLWithPath: p).lastPathComponent }
    return dataset.displayName
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
    if config.finetune == nil { lastModel = config.modelName }
    config.finetune = ft
    config.modelName = ft.baseName
    savePath = "convplay-finetuned.safetensors"
    if ft.pretrained != nil {
      // Seconds to a minute on a CPU: 1,000 images unless the user chose a number.
      if config.limit == nil { config.limit = 1000 }
      if config.testLimit == nil {
        config.testLimit = 1000
        automaticTestLimit = true
      }
    } else if baseSpec == nil {
      do { baseSpec = try FineTuning.sequential(ft.loadBase().network) } catch { specProblem = String(describing: error) }
    }
    refreshSpec()
  }

  /// Puts the chosen model on the chosen data set's image shape (and, fine-tuning, the new
  /// head with one unit per class, only the head trainable as in phase 1).
  mutating func refreshSpec() {
    let shape = config.imageShape
    if let pretrained = config.finetune?.pretrained {
      specProblem = nil
      do {
        baseGraph = try pretrained.model(imageShape: shape, classes: classNames.count)
      } catch {
        baseGraph = nil
        specProblem = String(describing: error)
      }
    } else if config.finetune != nil {
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
    ModelResolver.withClasses(spec, classes)
  }


  /// The model's name as shown: the base of a fine-tuning run is a file name, or the built-in
  /// model in the screen's language.
  func modelLabel(_ env: Env, of c: TrainingConfig? = nil) -> String {
    let c = c ?? config
    if let ft = c.finetune, ft.basePath == nil, ft.pretrained == nil { return env.t(T.trBuiltInModel) }
    return c.modelName
  }


  /// The settings to keep for the next visit (`Command.keepTrainingSettings`).
  public var settings: TrainingSettings {
    var s = TrainingSettings(
      model: config.finetune == nil ? config.modelName : Self.finetuneChoice,
      spec: customSpec == nil ? nil : customText, dataset: config.dataset.rawValue, epochs: config.epochs,
      batch: config.batch, optimizer: config.optimizer.rawValue, learningRate: config.learningRate, limit: config.limit,
      basePath: config.finetune?.basePath, freezeEpochs: config.finetune?.plan.freezeEpochs,
      finetuneEpochs: config.finetune?.plan.finetuneEpochs)
    s.augment = config.augmentation?.description
    if let p = config.finetune?.pretrained {
      s.pretrainedBase = p.base
      s.randomWeights = p.randomWeights
      s.unfreeze = p.unfreeze.text
    }
    if case .folder = config.dataset {
      s.folderSize = [config.folder.height, config.folder.width]
      s.folderGray = config.folder.gray
    }
    return s
  }

  /// The screen as it was left (`settings` nil: the defaults). Kept values that no longer make
  /// sense (a spec that does not parse, an unknown name) fall back to the defaults one by one.
  public init(
    settings: TrainingSettings?, dataDirectory: String? = nil, savePath: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    let zoo = ModelZoo.named("cnn")!
    var c = TrainingConfig(modelName: zoo.name, spec: zoo.spec, dataDirectory: dataDirectory)
    guard let s = settings else {
      self.init(config: c, savePath: savePath, environment: environment)
      return
    }
    if let dataset = try? DataSource(parsing: s.dataset) { c.dataset = dataset }
    if let size = s.folderSize, size.count == 2, size.allSatisfy({ (1...1024).contains($0) }) {
      c.folder.height = size[0]
      c.folder.width = size[1]
    }
    if let gray = s.folderGray { c.folder.gray = gray }
    if (1...50).contains(s.epochs) { c.epochs = s.epochs }
    if Self.batchChoices.contains(s.batch) { c.batch = s.batch }
    if let o = OptimizerKind(rawValue: s.optimizer) { c.optimizer = o }
    c.learningRate = Self.rateChoices.contains(s.learningRate) ? s.learningRate : c.optimizer.defaultLearningRate
    if Self.limitChoices.contains(s.limit) { c.limit = s.limit }
    if let text = s.augment, let a = try? Augmentation(parsing: text) { c.augmentation = a }
    var text: String?
    if s.model == Self.finetuneChoice {
      var plan = FineTuningPlan(freezeEpochs: s.freezeEpochs ?? 2, finetuneEpochs: s.finetuneEpochs ?? 2)
      plan.learningRate = c.learningRate
      plan.batch = c.batch
      c.finetune = FineTuneSettings(basePath: s.basePath, plan: plan)
      if let base = s.pretrainedBase, PretrainedBase.application(base) != nil || FileManager.default.fileExists(atPath: base) {
        c.finetune?.pretrained = PretrainedBaseChoice(
          base: base, randomWeights: s.randomWeights ?? false,
          unfreeze: s.unfreeze.flatMap(PretrainedBase.Unfreeze.init) ?? .all)
      }
    } else if s.model == "spec", let typed = s.spec, let spec = try? ModelSpecParser.parse(typed, inputShape: c.imageShape) {
      c.modelName = "spec"
      c.spec = spec
      text = typed
    } else if let e = ModelZoo.named(s.model) {
      c.modelName = e.name
      c.spec = e.spec
    }
    self.init(config: c, savePath: savePath, environment: environment)
    if let text { customText = text }
  }
}
