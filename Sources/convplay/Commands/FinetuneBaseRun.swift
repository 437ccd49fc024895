import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import ConvPretrained
import Foundation

/// `finetune --base NAME|FILE` on a pretrained network (the digit model's path stays in
/// FinetuneCommand.run). The base is found and loaded by `FineTuningBaseLoader`, as the
/// training dashboard loads it.
extension FinetuneCommand {
  static let baseNames = FineTuningBaseLoader.names

  /// True when `--base` names a keras.applications network or a Keras/PyTorch weights file.
  var usesPretrainedBase: Bool { FineTuningBaseLoader.isPretrained(base) }

  /// The base's weights: `--weights`, `--random-weights`, else Keras's cache (~/.keras/models,
  /// the no-top file first, then the whole network's, whose top is left out).
  func loadBase(inputShape: FeatureShape, lang: Lang) throws -> LoadedBase {
    do {
      return try FineTuningBaseLoader.load(
        base, weights: weights, randomSeed: randomWeights ? seed : nil, inputShape: inputShape)
    } catch let m as MissingBaseWeights {
      throw CLIFailure(T.ftNoWeights.text(lang, [m.name, m.fileName, m.cacheDirectory, m.fetchCommand]))
    }
  }

  /// The base's input: the images' own size, raised to the base's minimum side, or
  /// `--base-input`.
  func baseInputShape(for imageShape: FeatureShape) throws -> FeatureShape {
    var side: (height: Int, width: Int)?
    if let baseInput {
      guard let s = ShapeText.parse(baseInput), s.count >= 2, s[0] >= 1, s[1] >= 1, s[0] <= 1024, s[1] <= 1024 else {
        throw CLIFailure("--base-input must be a size such as 128x128 (got '\(baseInput)')")
      }
      side = (s[0], s[1])
    }
    return FineTuningBaseLoader.inputShape(base: base, imageShape: imageShape, side: side)
  }

  func runOnPretrainedBase() throws {
    let lang = CommandLineLanguage.current
    try checkOutputs([("--save", save)], createsFolders: true)
    var augmentation: Augmentation?
    if let augment {
      do { augmentation = try Augmentation(parsing: augment) } catch { throw CLIFailure("\(error)") }
    }
    guard let unfreezeChoice = PretrainedBase.Unfreeze(unfreeze) else {
      throw CLIFailure("--unfreeze must be all or a number of layers (got '\(unfreeze)')")
    }
    let dataset = try data.resolveDataset()
    let inputShape = try baseInputShape(for: try data.imageShape(dataset))
    let loadedBase = try loadBase(inputShape: inputShape, lang: lang)
    let loadedData = try data.loadWithClasses(dataset)
    let splits = loadedData.splits
    let classes = (splits.training.labels + splits.test.labels).max()! + 1
    let (trainingRaw, validationRaw) = splits.training.split(validationFraction: validationSplit)
    let prep = loadedBase.preprocessing
    func ready(_ set: LabeledImages) -> LabeledImages { FineTuningBaseLoader.ready(set, for: loadedBase) }
    let training = ready(trainingRaw)
    let validation = validationRaw.map(ready)
    let test = ready(splits.test)

    print(T.ftHeader.text(lang, [
      loadedBase.name, dataset.displayName, String(training.count), String(validation?.count ?? 0), String(test.count),
      String(classes), ShapeText.tuple(inputShape), prep.rawValue,
    ]))
    print(loadedBase.source.map { T.ftWeightsFrom.text(lang, [$0]) } ?? T.ftRandomWeights.text(lang, [String(seed)]))
    let head = PretrainedBase.Head(pooling: headPooling, hidden: dense, classes: classes)
    let plan = FineTuningPlan(
      freezeEpochs: freezeEpochs, finetuneEpochs: finetuneEpochs, learningRate: lr, finetuneLearningRate: finetuneLr,
      batch: batch)
    let tuning = BaseFineTuning(
      base: loadedBase.graph, baseWeights: loadedBase.weights, head: head, unfreeze: unfreezeChoice, plan: plan, seed: seed,
      cacheFeatures: !noFeatureCache)
    if augmentation != nil && freezeEpochs > 0 { print(T.ftAugmentNoCache.text(lang)) }
    let augmentEpoch = augmentation.map {
      FineTuningBaseLoader.augmentedEpochs(trainingRaw, for: loadedBase, augmentation: $0, seed: seed)
    }
    let progress = TrainingProgress(plain: plain)
    let baseLayers = loadedBase.graph.nodes.count
    var lastExtractDraw = -1.0
    let tuned = try tuning.run(
      training: training, validation: validation, augment: augmentEpoch,
      onEvent: { event in
        switch event {
        case .stepStarted(let phase):
          let what: String
          if phase.baseFrozen {
            what = T.ftStep1.text(lang, [String(baseLayers)])
          } else if case .top(let n) = unfreezeChoice {
            what = T.ftStep2Top.text(lang, [String(min(n, baseLayers)), String(baseLayers)])
          } else {
            what = T.ftStep2All.text(lang, [String(baseLayers)])
          }
          print(T.ftStepLine.text(lang, [String(phase.number), what, NumberText.format(Double(phase.learningRate)), String(phase.epochs)]))
          print(T.ftCounts.text(lang, [
            grouped(phase.counts.trainable, lang), grouped(phase.counts.nonTrainable, lang), grouped(phase.counts.total, lang),
          ]))
        case .extracting(let done, let total, let seconds):
          if progress.interactive && (seconds - lastExtractDraw >= 0.2 || done == total) {
            lastExtractDraw = seconds
            print("\r\u{1B}[K" + T.ftExtracting.text(lang, [String(done), String(total)]), terminator: "")
            fflush(nil)
          }
        case .extracted(let images, let seconds):
          if progress.interactive { print("\r\u{1B}[K", terminator: "") }
          print(T.ftExtracted.text(lang, [
            String(images), decimal(seconds, lang), decimal(Double(images) / max(seconds, 1e-9), lang, digits: 0),
          ]))
        case .training(let e): progress.handle(e)
        case .stepEnded: break
        }
      },
      afterStep: { phase, network in
        let r = try network.evaluate(test)
        print(T.ftStepResult.text(lang, [String(phase.number), fixed(r.accuracy), fixed(r.loss)]))
      })
    let final = try tuned.evaluate(test)
    print(T.ftStep3.text(lang, [fixed(final.accuracy), fixed(final.loss), String(test.count)]))
    if let save {
      let meta: [String: String] = ModelFile.classesMetadata(loadedData.classNames).merging([
        "dataset": dataset.rawValue, "model": "finetuned from \(loadedBase.name)", "base": loadedBase.name,
        PretrainedModel.preprocessingKey: prep.rawValue, "freeze_epochs": String(freezeEpochs),
        "finetune_epochs": String(finetuneEpochs), "unfreeze": unfreeze, "seed": String(seed),
        "test_accuracy": fixed(final.accuracy),
      ].merging(data.limitsMetadata) { $1 }) { $1 }
      try PretrainedModel.save(try InferenceNetwork(network: tuned), metadata: meta, to: URL(fileURLWithPath: save))
    }
  }
}

/// `1,234,567` in English, `1.234.567` in Spanish prose.
func grouped(_ n: Int, _ lang: Lang) -> String {
  let s = NumberText.grouped(n)
  return lang == .es ? s.replacingOccurrences(of: ",", with: ".") : s
}

/// `12.3` / `12,3`.
func decimal(_ x: Double, _ lang: Lang, digits: Int = 1) -> String {
  let s = String(format: "%.\(digits)f", x)
  return lang == .es ? s.replacingOccurrences(of: ".", with: ",") : s
}
