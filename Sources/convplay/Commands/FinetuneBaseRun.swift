import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import ConvPretrained
import Foundation

/// A keras.applications base without its top, its weights and how its inputs are made.
struct LoadedBase {
  var name: String
  /// The base on the images' size (include_top=False).
  var graph: GraphSpec
  var weights: [[Float]]
  var preprocessing: Preprocessing
  /// Where the weights came from.
  var source: String
}

/// `finetune --base NAME|FILE` on a pretrained network (the digit model's path stays in
/// FinetuneCommand.run).
extension FinetuneCommand {
  static let baseNames = ["vgg16", "vgg19", "resnet50", "inceptionv3", "xception", "mobilenet"]

  /// True when `--base` names a keras.applications network or a Keras/PyTorch weights file.
  var usesPretrainedBase: Bool {
    if PretrainedBase.application(base) != nil { return true }
    guard base != "default", FileManager.default.fileExists(atPath: base),
      let format = try? WeightFileFormat.sniff(URL(fileURLWithPath: base))
    else { return false }
    return format != .safetensors
  }

  /// The base's weights: `--weights`, else Keras's cache (~/.keras/models, the no-top file
  /// first, then the whole network's, whose top is left out).
  func loadBase(inputShape: FeatureShape, lang: Lang) throws -> LoadedBase {
    if let whole = PretrainedBase.application(base) {
      let name = base.lowercased()
      let graph = try PretrainedBase.withoutTop(whole, inputShape: inputShape)
      let file: URL
      if let weights {
        file = URL(fileURLWithPath: weights)
      } else if let cached = PublishedWeights.named(name, noTop: true)?.cachedFile()
        ?? PublishedWeights.named(name, noTop: false)?.cachedFile()
      {
        file = cached
      } else {
        let wanted = PublishedWeights.named(name, noTop: true)?.fileName ?? "\(name)_notop.h5"
        throw CLIFailure(T.ftNoWeights.text(lang, [
          name, wanted, PublishedWeights.cacheDirectory().path, "convplay weights fetch \(name) --no-top",
        ]))
      }
      let (weights, preprocessing) = try baseWeights(file, name: name, whole: whole, graph: graph)
      return LoadedBase(name: name, graph: graph, weights: weights, preprocessing: preprocessing, source: file.path)
    }
    // A whole model in one file (Keras .h5/.keras with its architecture): its base.
    let loaded = try loadAnyWeights(base, arch: nil, input: nil)
    let graph = try PretrainedBase.withoutTop(loaded.network.graph, inputShape: inputShape)
    let count = try InferenceNetwork.slots(for: graph).count
    let preprocessing = loaded.metadata[PretrainedModel.preprocessingKey].flatMap(Preprocessing.init(rawValue:)) ?? .unit
    return LoadedBase(
      name: URL(fileURLWithPath: base).lastPathComponent, graph: graph, weights: Array(loaded.network.weights.prefix(count)),
      preprocessing: preprocessing, source: base)
  }

  /// The weights of `graph` (the base) from a Keras file (by layer name; a file with the top
  /// gives only the base's layers) or, for VGG, a PyTorch file (torchvision's names).
  private func baseWeights(
    _ url: URL, name: String, whole: GraphSpec, graph: GraphSpec
  ) throws -> ([[Float]], Preprocessing) {
    var contents = try WeightImport.readFile(url)
    let keras: Preprocessing = ["vgg16", "vgg19", "resnet50"].contains(name) ? .caffe : .tf
    if var layers = contents.layers {
      let names = Set(graph.nodes.map(\.name))
      let weighted = try InferenceNetwork.slots(for: graph).map(\.layer)
      if Set(weighted).isSubset(of: Set(layers.map(\.layer))) { layers = layers.filter { names.contains($0.layer) } }
      return (try WeightImport.graphWeights(layers, graph: graph), keras)
    }
    guard let spec = whole.sequential else {
      throw CLIFailure(Self.noPyTorchBase(file: url.lastPathComponent, name: name, format: contents.format))
    }
    let (all, _, layout) = try WeightImport.convert(&contents, spec: spec, architecture: name)
    let count = try InferenceNetwork.slots(for: graph).count
    return (Array(all.prefix(count)), layout == .pytorch ? .torch : keras)
  }

  /// Why a branched base takes only Keras's files: PyTorch's networks of the same names are
  /// other networks (their weights do not fit Keras's layers), or do not exist.
  static func noPyTorchBase(file: String, name: String, format: WeightFileFormat) -> String {
    let why: String
    switch name {
    case "resnet50": why = "torchvision's resnet50 is ResNet v1.5 (the stride in the 3x3 convolutions, no convolution biases)"
    case "inceptionv3": why = "convplay maps torchvision's layer names for VGG only"
    case "xception": why = "torchvision has no Xception"
    case "mobilenet": why = "torchvision has MobileNet v2 and v3, not the course's MobileNet (v1)"
    default: why = "its layers are not Keras's"
    }
    guard format == .pytorch else {
      return "\(file): the \(name) base reads Keras weight files (.h5, .keras), not \(format.rawValue)"
    }
    return "\(file): the \(name) base reads Keras weight files (.h5, .keras), not .pth: \(why)"
  }

  /// The base's input: the images' own size, raised to the base's minimum side, or
  /// `--base-input`.
  func baseInputShape(for imageShape: FeatureShape) throws -> FeatureShape {
    if let baseInput {
      guard let s = ShapeText.parse(baseInput), s.count >= 2, s[0] >= 1, s[1] >= 1, s[0] <= 1024, s[1] <= 1024 else {
        throw CLIFailure("--base-input must be a size such as 128x128 (got '\(baseInput)')")
      }
      return [s[0], s[1], 3]
    }
    // keras.applications' own minimums; a file's base takes what its layers can.
    let side = PretrainedBase.application(base) != nil ? PretrainedBase.minimumSide(base) : 1
    return [max(imageShape[0], side), max(imageShape[1], side), 3]
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
    let (h, w) = (inputShape[0], inputShape[1])
    let prep = loadedBase.preprocessing
    func ready(_ set: LabeledImages) -> LabeledImages {
      LabeledImages(images: prep.normalize(BaseInput.resized(set.images, height: h, width: w)), labels: set.labels)
    }
    // Augmentation transforms the 0...255 images, then preprocess_input runs (as Keras's
    // augmentation layers sit before `preprocess_input` in the guide's model).
    let trainingPixels = LabeledImages(images: BaseInput.resized(trainingRaw.images, height: h, width: w), labels: trainingRaw.labels)
    let training = LabeledImages(images: prep.normalize(trainingPixels.images), labels: trainingPixels.labels)
    let validation = validationRaw.map(ready)
    let test = ready(splits.test)

    print(T.ftHeader.text(lang, [
      loadedBase.name, dataset.displayName, String(training.count), String(validation?.count ?? 0), String(test.count),
      String(classes), ShapeText.tuple(inputShape), prep.rawValue,
    ]))
    print(T.ftWeightsFrom.text(lang, [loadedBase.source]))
    let head = PretrainedBase.Head(pooling: headPooling, hidden: dense, classes: classes)
    let plan = FineTuningPlan(
      freezeEpochs: freezeEpochs, finetuneEpochs: finetuneEpochs, learningRate: lr, finetuneLearningRate: finetuneLr,
      batch: batch)
    let tuning = BaseFineTuning(
      base: loadedBase.graph, baseWeights: loadedBase.weights, head: head, unfreeze: unfreezeChoice, plan: plan, seed: seed,
      cacheFeatures: !noFeatureCache)
    if augmentation != nil && freezeEpochs > 0 { print(T.ftAugmentNoCache.text(lang)) }
    var rng = RandomSource(seed: seed ^ 0x6175_676d_656e_7421)
    let augmentEpoch: ((Int) -> LabeledImages)? = augmentation.map { a in
      { _ in
        LabeledImages(images: prep.normalize(a.apply(to: trainingPixels.images, using: &rng)), labels: trainingPixels.labels)
      }
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
