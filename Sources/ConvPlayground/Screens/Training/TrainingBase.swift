import ConvData
import ConvKit
import ConvPretrained
import ConvTerminal
import Foundation

/// The form's Base row: no base (the model trains from random weights), the digits model (or
/// a model saved by `train --save`), or a pretrained keras.applications network without its
/// top (or the Keras model file given with `--base FILE`), as `convplay finetune --base`.
enum BaseChoice: Equatable {
  case none, digits
  case named(String)
  case file(String)
}

extension PretrainedBase.Unfreeze {
  /// As `--unfreeze` takes it: `all` or N.
  public var text: String {
    switch self {
    case .all: return "all"
    case .top(let n): return String(n)
    }
  }
}

extension TrainingScreen {
  /// The keras.applications networks offered on the Base row (the course's five).
  static let pretrainedNames = ["vgg16", "resnet50", "inceptionv3", "xception", "mobilenet"]
  /// Step 2's choices: the whole base, or its last N layers (`base_model.layers[-N:]`).
  static let unfreezeChoices: [PretrainedBase.Unfreeze] = [.all, .top(3), .top(10), .top(20), .top(50)]

  var baseChoice: BaseChoice {
    guard let ft = config.finetune else { return .none }
    if let p = ft.pretrained { return p.isNamed ? .named(p.name) : .file(p.base) }
    return .digits
  }

  var baseChoices: [BaseChoice] {
    [.none, .digits] + Self.pretrainedNames.map { .named($0) } + (baseFile.map { [.file($0)] } ?? [])
  }

  func baseLabel(_ env: Env) -> String {
    switch baseChoice {
    case .none: return env.t(T.trNoBase)
    case .digits: return modelLabel(env)
    case .named(let n): return n
    case .file(let path): return URL(fileURLWithPath: path).lastPathComponent
    }
  }

  /// Moves the Base row to the next or previous choice, keeping the epochs, rate and batch.
  mutating func changeBase(_ d: Int) {
    let list = baseChoices
    let i = list.firstIndex(of: baseChoice) ?? 0
    let next = list[(i + d + list.count) % list.count]
    let plan = config.finetune?.plan ?? lastFinetune?.plan
      ?? FineTuningPlan(learningRate: config.learningRate, batch: config.batch)
    let kept = config.finetune?.pretrained ?? lastFinetune?.pretrained
    if config.finetune != nil { lastFinetune = config.finetune }
    switch next {
    case .none:
      config.finetune = nil
      if automaticTestLimit {
        config.testLimit = nil
        automaticTestLimit = false
      }
      config.modelName = lastModel
      if lastModel == "spec", let custom = customSpec { config.spec = custom }
      refreshSpec()
      savePath = "convplay-\(lastModel).safetensors"
    case .digits:
      enterFinetune(FineTuneSettings(basePath: lastFinetune?.basePath, plan: plan))
    case .named(let base), .file(let base):
      var choice = PretrainedBaseChoice(base: base, randomWeights: kept?.randomWeights ?? false, unfreeze: kept?.unfreeze ?? .all)
      choice.inputSize = kept?.inputSize
      choice.weights = kept?.base == base ? kept?.weights : nil
      enterFinetune(FineTuneSettings(plan: plan, pretrained: choice))
    }
    field = fields.firstIndex(of: .base) ?? 0
  }

  /// The Weights row: Keras's cache (or `--weights FILE`) or random weights.
  func weightsLabel(_ env: Env) -> String {
    guard let p = config.finetune?.pretrained else { return "" }
    if p.randomWeights { return env.t(T.trRandomWeights) }
    return p.weights.map { URL(fileURLWithPath: $0).lastPathComponent } ?? (p.isNamed ? env.t(T.trKerasCache) : env.t(T.trFromFile))
  }

  func unfreezeLabel(_ env: Env) -> String {
    switch config.finetune?.pretrained?.unfreeze ?? .all {
    case .all: return env.t(T.trAll)
    case .top(let n): return env.t(T.trLastLayers, n)
    }
  }

  mutating func changeWeights() {
    guard var p = config.finetune?.pretrained, p.isNamed else { return }
    p.randomWeights.toggle()
    config.finetune?.pretrained = p
  }

  mutating func changeUnfreeze(_ d: Int) {
    guard var p = config.finetune?.pretrained else { return }
    let list = Self.unfreezeChoices
    let i = list.firstIndex(of: p.unfreeze) ?? 0
    p.unfreeze = list[(i + d + list.count) % list.count]
    config.finetune?.pretrained = p
  }

  /// The lines under the form about a pretrained base's weights: where they come from, or,
  /// when Keras's cache has none, the command line's message and the offer of random weights.
  func weightsLines(_ env: Env) -> [(String, Style)] {
    guard let p = config.finetune?.pretrained else { return [] }
    let theme = env.theme
    if p.weightsMissing {
      let m = FineTuningBaseLoader.missing(p.base)
      return [
        (env.t(T.ftNoWeights, m.name, m.fileName, m.cacheDirectory, m.fetchCommand), theme.error),
        (env.t(T.trOfferRandom), theme.emphasis),
      ]
    }
    if p.randomWeights { return [(env.t(T.trRandomNote, config.seed), theme.muted)] }
    let file = p.weights ?? (p.isNamed ? FineTuningBaseLoader.cachedWeights(p.base)?.path : p.base)
    return file.map { [(env.t(T.ftWeightsFrom, $0), theme.done)] } ?? []
  }
}
