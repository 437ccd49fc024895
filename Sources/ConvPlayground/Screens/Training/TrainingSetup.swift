import ConvData
import ConvImageIO
import ConvKit
import ConvTerminal
import Foundation

/// What the chosen settings resolve to: the data set, the model on its image shape, fine-tuning.
extension TrainingScreen {
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
      do { baseSpec = try ft.loadBase().network.spec } catch { specProblem = String(describing: error) }
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
      case .dense(let units, let activation, let useBias) = spec.layers[head].kind, units != classes
    else { return spec }
    var s = spec
    s.layers[head].kind = .dense(units: classes, activation: activation, useBias: useBias)
    return s
  }


  /// The model's name as shown: the base of a fine-tuning run is a file name, or the built-in
  /// model in the screen's language.
  func modelLabel(_ env: Env) -> String {
    if let ft = config.finetune, ft.basePath == nil { return env.t(T.trBuiltInModel) }
    return config.modelName
  }

}
