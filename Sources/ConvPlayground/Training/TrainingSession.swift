import ConvData
import ConvImageIO
import ConvKit
import ConvPretrained
import Foundation

/// A pretrained convolutional base for the dashboard's fine-tuning, as `convplay finetune
/// --base NAME|FILE` takes it: a keras.applications network (weights from Keras's cache,
/// `weights`, or random as `--random-weights`) or a Keras model file, without its top.
public struct PretrainedBaseChoice: Sendable, Equatable {
  /// vgg16, resnet50, inceptionv3, xception, mobilenet... or a Keras/PyTorch model file.
  public var base: String
  /// `--weights FILE`; nil looks in Keras's cache.
  public var weights: String?
  /// Glorot-uniform weights from the run's seed (`finetune --random-weights`).
  public var randomWeights: Bool
  public var unfreeze: PretrainedBase.Unfreeze
  /// `--base-input` [height, width]; nil: a named base's minimum side (32 for most: a run of
  /// seconds on a CPU), a file's base on the images' own size.
  public var inputSize: [Int]?
  public var pooling: PretrainedBase.Pooling
  /// Units of the head's hidden Dense layer (0: none), `--dense`.
  public var dense: Int

  public init(
    base: String, weights: String? = nil, randomWeights: Bool = false, unfreeze: PretrainedBase.Unfreeze = .all,
    inputSize: [Int]? = nil, pooling: PretrainedBase.Pooling = .avg, dense: Int = 256
  ) {
    self.base = base
    self.weights = weights
    self.randomWeights = randomWeights
    self.unfreeze = unfreeze
    self.inputSize = inputSize
    self.pooling = pooling
    self.dense = dense
  }

  /// A keras.applications name (rather than a file).
  public var isNamed: Bool { PretrainedBase.application(base) != nil }
  public var name: String { isNamed ? base.lowercased() : URL(fileURLWithPath: base).lastPathComponent }

  /// The base's input for images of `imageShape`, as `finetune --base-input` picks it.
  public func inputShape(for imageShape: FeatureShape) -> FeatureShape {
    var side = inputSize.flatMap { $0.count == 2 ? (height: $0[0], width: $0[1]) : nil }
    if side == nil && isNamed {
      let minimum = PretrainedBase.minimumSide(base)
      side = (minimum, minimum)
    }
    return FineTuningBaseLoader.inputShape(base: base, imageShape: imageShape, side: side)
  }

  /// Base and head as step 1 trains them (base frozen): what the form's summary shows.
  public func model(imageShape: FeatureShape, classes: Int) throws -> GraphSpec {
    guard let whole = PretrainedBase.application(base) else {
      let loaded = try WeightsLoader.load(URL(fileURLWithPath: base), architecture: nil)
      return try stepOne(PretrainedBase.withoutTop(loaded.graph, inputShape: inputShape(for: imageShape)), classes: classes)
    }
    return try stepOne(PretrainedBase.withoutTop(whole, inputShape: inputShape(for: imageShape)), classes: classes)
  }

  func stepOne(_ base: GraphSpec, classes: Int) -> GraphSpec {
    let head = PretrainedBase.Head(pooling: pooling, hidden: dense, classes: max(1, classes))
    return BaseFineTuning(base: base, baseWeights: [], head: head, plan: FineTuningPlan()).model(step: 1)
  }

  /// Keras's cache has no weights for this named base (and none were given or waived).
  public var weightsMissing: Bool {
    isNamed && weights == nil && !randomWeights && FineTuningBaseLoader.cachedWeights(base) == nil
  }
}

/// Fine-tuning on the dashboard: `convplay finetune`'s steps from a saved model (the built-in
/// digits model by default) or from a pretrained base (`pretrained`).
public struct FineTuneSettings: Sendable, Equatable {
  /// A model file saved by `train --save`; nil is the built-in digits model.
  public var basePath: String?
  public var plan: FineTuningPlan
  /// Set: the base is a pretrained network without its top (BaseFineTuning's three steps).
  public var pretrained: PretrainedBaseChoice?

  public init(basePath: String? = nil, plan: FineTuningPlan = FineTuningPlan(), pretrained: PretrainedBaseChoice? = nil) {
    self.basePath = basePath
    self.plan = plan
    self.pretrained = pretrained
  }

  public var baseName: String {
    pretrained?.name ?? basePath.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "built-in model"
  }

  /// The saved model it starts from (read once per run, off the UI thread but for the summary).
  public func loadBase() throws -> (network: Network, metadata: [String: String]) {
    try basePath.map { try ModelFile.load(URL(fileURLWithPath: $0)) } ?? DefaultModel.load()
  }
}

/// What the training dashboard asks for: the same choices as `convplay train` (or, with
/// `finetune`, as `convplay finetune`).
public struct TrainingConfig: Sendable, Equatable {
  public var modelName: String
  public var spec: SequentialSpec
  public var dataset: DataSource
  /// How a `folder:` data set is read (`--image-size`, `--color`).
  public var folder: FolderSettings = FolderSettings()
  public var epochs: Int
  public var batch: Int
  public var optimizer: OptimizerKind
  public var learningRate: Float
  /// Use only the first N training images (nil: all).
  public var limit: Int?
  /// Use only the first N test images (nil: the whole test set, also with `limit`).
  public var testLimit: Int?
  /// `--data DIR`; nil searches $CONVPLAY_DATA and the user cache, as `train` does.
  public var dataDirectory: String?
  public var validationSplit: Double = 0.1
  public var seed: UInt64 = 0
  /// Set: the run fine-tunes a saved model in two phases instead of training `spec`.
  public var finetune: FineTuneSettings?
  /// `--augment`: every epoch transforms the training images anew (training from scratch and
  /// on a pretrained base; the validation and test images never change).
  public var augmentation: Augmentation?

  public init(
    modelName: String, spec: SequentialSpec, dataset: DataSource = .mnist, epochs: Int = 3, batch: Int = 128,
    optimizer: OptimizerKind = .adam, learningRate: Float? = nil, limit: Int? = nil, dataDirectory: String? = nil,
    folder: FolderSettings = FolderSettings(), finetune: FineTuneSettings? = nil
  ) {
    self.modelName = modelName
    self.spec = spec
    self.dataset = dataset
    self.epochs = epochs
    self.batch = batch
    self.optimizer = optimizer
    self.learningRate = learningRate ?? optimizer.defaultLearningRate
    self.limit = limit
    self.dataDirectory = dataDirectory
    self.folder = folder
    self.finetune = finetune
  }

  /// `[H, W, C]` of the chosen data set's images.
  public var imageShape: FeatureShape { dataset.imageShape(folder: folder) }
}

/// One test image with its true and predicted class (misclassified gallery, chosen example):
/// `[H, W, C]` values in [0, 1], channels interleaved as the data set stores them.
public struct DigitSample: Sendable, Equatable {
  public var pixels: [Float]
  public var width: Int
  public var height: Int
  /// 1 (gray) or 3 (RGB).
  public var channels: Int
  public var truth: Int
  public var predicted: Int
  public init(pixels: [Float], width: Int, height: Int, channels: Int = 1, truth: Int, predicted: Int) {
    self.pixels = pixels
    self.width = width
    self.height = height
    self.channels = channels
    self.truth = truth
    self.predicted = predicted
  }
}

/// A small gray picture (a filter or a feature map), row-major.
public struct GrayPlane: Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var values: [Float]
  public init(width: Int, height: Int, values: [Float]) {
    self.width = width
    self.height = height
    self.values = values
  }
}

/// What the worker measures on the test set after each epoch. Plain values: the UI thread never
/// touches the network while it trains.
public struct EpochEvaluation: Sendable, Equatable {
  public var epoch: Int
  public var testLoss: Double
  public var testAccuracy: Double
  /// `confusion[truth][predicted]` counts.
  public var confusion: [[Int]]
  public var misclassified: [DigitSample]
  /// The first weighted layer's filters (conv: each kernel's input channels in turn, so
  /// `filterChannels` planes per filter; dense on a gray image's inputs: each unit's weights as
  /// an image-sized template).
  public var filters: [GrayPlane]
  /// Planes per filter in `filters`: 3 for a convolution on colour images.
  public var filterChannels: Int
  /// One test digit per class (index = class) and the first conv layer's maps for each.
  public var digits: [DigitSample]
  public var featureMaps: [[GrayPlane]]
  public init(
    epoch: Int, testLoss: Double, testAccuracy: Double, confusion: [[Int]], misclassified: [DigitSample] = [],
    filters: [GrayPlane] = [], filterChannels: Int = 1, digits: [DigitSample] = [], featureMaps: [[GrayPlane]] = []
  ) {
    self.filterChannels = filterChannels
    self.epoch = epoch
    self.testLoss = testLoss
    self.testAccuracy = testAccuracy
    self.confusion = confusion
    self.misclassified = misclassified
    self.filters = filters
    self.digits = digits
    self.featureMaps = featureMaps
  }
}

/// What the worker thread tells the screen, in order (as `Msg.training`).
public enum DashboardEvent: Sendable {
  case loading
  case loaded(training: Int, validation: Int, test: Int)
  /// The data set's class names (label = index), once it is loaded.
  case classes([String])
  /// A fine-tuning phase starts: which layers train (by name) and its counts.
  case phase(FineTuningPhase, layers: [String])
  /// A fine-tuning phase ended with this test accuracy.
  case phaseEnded(number: Int, testAccuracy: Double)
  /// Step 1's feature extraction: images through the frozen base so far, of all.
  case extracting(done: Int, of: Int)
  case extracted(images: Int, seconds: Double)
  case training(TrainingEvent)
  case evaluated(EpochEvaluation)
  case finished
  case stopped
  case failed(String)
  case fetchProgress(file: String, received: Int64, total: Int64?, fileIndex: Int, files: Int)
  case fetched
  /// The trained network was written to this file (`Command.saveModel`).
  case saved(path: String)
  case saveFailed(String)
}

/// The training run behind the dashboard: a background thread that trains with `Network.fit`
/// and pushes events into a locked queue; the screen drains it on each tick of the app loop,
/// so keys and redraws never wait for a batch. Consecutive batch events are merged (only the
/// newest matters for the bars), so a slow screen never builds a backlog.
public final class TrainingSession: @unchecked Sendable {
  private let lock = NSLock()
  private var queue: [DashboardEvent] = []
  private var pausedFlag = false
  private var stopFlag = false
  private var runningFlag = false
  private var network: Network?
  /// What a saved model needs beyond its weights: a pretrained base's preprocess_input.
  private var modelMetadata: [String: String] = [:]

  public init() {}

  public var isRunning: Bool { lock.withLock { runningFlag } }
  public var isPaused: Bool { lock.withLock { pausedFlag } }

  /// Events since the last call, oldest first.
  public func drain() -> [DashboardEvent] {
    lock.withLock {
      let q = queue
      queue.removeAll(keepingCapacity: true)
      return q
    }
  }

  func push(_ e: DashboardEvent) {
    lock.withLock {
      if case .extracting = e, let last = queue.last, case .extracting = last {
        queue[queue.count - 1] = e
      } else if case .training(.batchEnded) = e, let last = queue.last, case .training(.batchEnded) = last {
        queue[queue.count - 1] = e
      } else {
        queue.append(e)
      }
    }
  }

  public func setPaused(_ paused: Bool) { lock.withLock { pausedFlag = paused } }
  public func stop() { lock.withLock { stopFlag = true; pausedFlag = false } }

  /// Waits (off the UI thread) while paused; true when asked to stop.
  private func shouldStop() -> Bool {
    while true {
      let (paused, stop) = lock.withLock { (pausedFlag, stopFlag) }
      if stop { return true }
      if !paused { return false }
      usleep(20_000)
    }
  }

  /// Starts training on a new thread. Returns false if a run is already going.
  @discardableResult
  public func start(_ config: TrainingConfig) -> Bool {
    let ok = lock.withLock {
      if runningFlag { return false }
      runningFlag = true
      stopFlag = false
      pausedFlag = false
      network = nil
      modelMetadata = [:]
      return true
    }
    guard ok else { return false }
    let thread = Thread { [self] in
      defer { lock.withLock { runningFlag = false } }
      do {
        try train(config)
      } catch {
        push(.failed(String(describing: error)))
      }
    }
    thread.stackSize = 8 << 20
    thread.start()
    return true
  }

  private func train(_ config: TrainingConfig) throws {
    push(.loading)
    let loaded = try config.dataset.load(
      DatasetLocator(explicitDirectory: config.dataDirectory), limit: config.limit, testLimit: config.testLimit,
      folder: config.folder)
    let splits = loaded.splits
    let (training, validation) = splits.training.split(validationFraction: config.validationSplit)
    push(.loaded(training: training.count, validation: validation?.count ?? 0, test: splits.test.count))
    push(.classes(loaded.classNames))
    let test = splits.test
    let classes = max(loaded.classNames.count, (splits.training.labels + test.labels).max().map { $0 + 1 } ?? 0)
    let exampleIndices = (0..<classes).compactMap { c in test.labels.firstIndex(of: c) }
    // The network being trained, read by the epoch-end evaluation (phases replace it).
    var current: Network?
    let onEvent = { (event: TrainingEvent) in
      self.push(.training(event))
      if case .epochEnded(let m) = event, let net = current {
        self.push(.evaluated(Self.evaluate(net, on: test, epoch: m.epoch, digitIndices: exampleIndices)))
      }
    }
    var finished: Bool
    if let finetune = config.finetune, let choice = finetune.pretrained {
      let result = try fineTune(
        choice, plan: finetune.plan, seed: config.seed, classes: classes, training: training, validation: validation,
        test: test, digitIndices: exampleIndices, augmentation: config.augmentation)
      current = result.network
      finished = result.finished
    } else if let finetune = config.finetune {
      let base = try finetune.loadBase()
      let start = try FineTuning.prepare(base: base.network, classes: classes, inputShape: training.imageShape, seed: config.seed)
      var lastPhase = 0
      current = try FineTuning.run(
        start, plan: finetune.plan, training: training, validation: validation, shouldStop: { self.shouldStop() },
        phaseStarted: { phase, net in
          current = net
          self.push(.phase(phase, layers: net.layers.map(\.name)))
        },
        onEvent: onEvent,
        phaseEnded: { phase, net, history in
          guard history.count == phase.epochs else { return }
          lastPhase = phase.number
          self.push(.phaseEnded(number: phase.number, testAccuracy: try net.evaluate(test).accuracy))
        })
      finished = lastPhase == (finetune.plan.finetuneEpochs > 0 ? 2 : 1)
    } else {
      let net = try Network(spec: config.spec, seed: config.seed)
      current = net
      let optimizer = config.optimizer.make(learningRate: config.learningRate)
      let history: [EpochMetrics]
      if let augmentation = config.augmentation {
        history = try net.fit(
          training, validation: validation, epochs: config.epochs, batchSize: config.batch, optimizer: optimizer,
          augmentation: augmentation, seed: config.seed, shouldStop: { self.shouldStop() }, onEvent: onEvent)
      } else {
        history = try net.fit(
          training, validation: validation, epochs: config.epochs, batchSize: config.batch, optimizer: optimizer,
          shouldStop: { self.shouldStop() }, onEvent: onEvent)
      }
      finished = history.count == config.epochs
    }
    let net = current
    lock.withLock { network = net }
    let stopped = lock.withLock { stopFlag }
    if stopped && !finished { push(.stopped) } else { push(.finished) }
  }

  /// `convplay finetune --base`'s steps through the same engine (`FineTuningBaseLoader`,
  /// `BaseFineTuning`): the base loaded, the images made ready for it, step 1 on the cached
  /// features, step 2 on the unfrozen layers; each step evaluated on the test set.
  private func fineTune(
    _ choice: PretrainedBaseChoice, plan: FineTuningPlan, seed: UInt64, classes: Int, training: LabeledImages,
    validation: LabeledImages?, test: LabeledImages, digitIndices: [Int], augmentation: Augmentation?
  ) throws -> (network: Network, finished: Bool) {
    let base = try FineTuningBaseLoader.load(
      choice.base, weights: choice.randomWeights ? nil : choice.weights, randomSeed: choice.randomWeights ? seed : nil,
      inputShape: choice.inputShape(for: training.imageShape))
    lock.withLock { modelMetadata = [PretrainedModel.preprocessingKey: base.preprocessing.rawValue] }
    let ready = { FineTuningBaseLoader.ready($0, for: base) }
    let testReady = ready(test)
    let tuning = BaseFineTuning(
      base: base.graph, baseWeights: base.weights,
      head: PretrainedBase.Head(pooling: choice.pooling, hidden: choice.dense, classes: classes), unfreeze: choice.unfreeze,
      plan: plan, seed: seed)
    var completed: [Int: Bool] = [:]
    let augment = augmentation.map { FineTuningBaseLoader.augmentedEpochs(training, for: base, augmentation: $0, seed: seed) }
    let network = try tuning.run(
      training: ready(training), validation: validation.map(ready), augment: augment, shouldStop: { self.shouldStop() },
      onEvent: { event in
        switch event {
        case .stepStarted(let phase):
          self.push(.phase(phase, layers: tuning.model(step: phase.number).nodes.filter { !$0.isInput }.map(\.name)))
        case .extracting(let done, let total, _): self.push(.extracting(done: done, of: total))
        case .extracted(let images, let seconds): self.push(.extracted(images: images, seconds: seconds))
        case .training(let e): self.push(.training(e))
        case .stepEnded(let phase, let history): completed[phase.number] = history.count == phase.epochs
        }
      },
      afterStep: { phase, net in
        guard completed[phase.number] == true else { return }
        let e = Self.evaluate(net, on: testReady, epoch: phase.number, digitIndices: digitIndices, shown: test)
        self.push(.phaseEnded(number: phase.number, testAccuracy: e.testAccuracy))
        self.push(.evaluated(e))
      })
    let last = plan.finetuneEpochs > 0 ? 2 : 1
    return (network, completed[last] == true)
  }

  /// Test loss and accuracy, confusion matrix, misclassified digits, first-layer filters and
  /// feature maps, all from one `predict` over the test set. `shown` (the same images as the
  /// data set loaded them, when `test` is preprocessed for a pretrained base) gives the pictures.
  public static func evaluate(
    _ net: Network, on test: LabeledImages, epoch: Int, digitIndices: [Int], shown: LabeledImages? = nil
  ) -> EpochEvaluation {
    let classes = net.classes
    let probabilities = net.predict(test.images).scalars
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    var loss = 0.0
    var correct = 0
    var wrong: [DigitSample] = []
    let shape = test.imageShape
    let size = shape.reduce(1, *)
    func pixels(_ i: Int) -> [Float] { Array(test.images.scalars[(i * size)..<((i + 1) * size)]) }
    // What the pictures show: the images as loaded (0...1), not as the network reads them.
    let picture = shown ?? test
    let pictureShape = picture.imageShape
    let pictureSize = pictureShape.reduce(1, *)
    func sample(_ i: Int, predicted: Int) -> DigitSample {
      DigitSample(
        pixels: Array(picture.images.scalars[(i * pictureSize)..<((i + 1) * pictureSize)]), width: pictureShape[1],
        height: pictureShape[0], channels: pictureShape[2], truth: test.labels[i], predicted: predicted)
    }
    var predictions: [Int] = []
    for (i, truth) in test.labels.enumerated() {
      let row = probabilities[(i * classes)..<((i + 1) * classes)]
      let predicted = row.indices.max { row[$0] < row[$1] }! - i * classes
      predictions.append(predicted)
      loss -= log(Double(max(row[i * classes + truth], 1e-7)))
      if truth < classes { confusion[truth][predicted] += 1 }
      if predicted == truth {
        correct += 1
      } else if wrong.count < 24 {
        wrong.append(sample(i, predicted: predicted))
      }
    }
    let n = max(test.count, 1)
    var filters: [GrayPlane] = []
    var filterChannels = 1
    var maps: [[GrayPlane]] = []
    let digits = digitIndices.map { sample($0, predicted: predictions[$0]) }
    if let first = net.layers.first(where: { !$0.parameters.isEmpty }) {
      if let conv = first.runtime as? Conv2DRuntime {
        let k = conv.kernel.shape  // [KH, KW, Cin, F]
        let (kh, kw, cin, f) = (k[0], k[1], k[2], k[3])
        filterChannels = cin
        for j in 0..<f {
          for c in 0..<cin {
            var v: [Float] = []
            for y in 0..<kh { for x in 0..<kw { v.append(conv.kernel.value[((y * kw + x) * cin + c) * f + j]) } }
            filters.append(GrayPlane(width: kw, height: kh, values: v))
          }
        }
        if first === net.layers.first {
          for i in digitIndices {
            let out = conv.forward(Tensor(shape: [1] + shape, scalars: pixels(i)), training: false)
            let (h, w, c) = (out.shape[1], out.shape[2], out.shape[3])
            maps.append((0..<c).map { j in
              GrayPlane(width: w, height: h, values: (0..<(h * w)).map { out.scalars[$0 * c + j] })
            })
          }
        }
      } else if let dense = first.runtime as? DenseRuntime, dense.inputShape == [size], shape.count == 3, shape[2] == 1 {
        let units = dense.units
        for j in 0..<min(units, 64) {
          filters.append(GrayPlane(
            width: shape[1], height: shape[0], values: (0..<size).map { dense.kernel.value[$0 * units + j] }))
        }
      }
    }
    return EpochEvaluation(
      epoch: epoch, testLoss: loss / Double(n), testAccuracy: Double(correct) / Double(n), confusion: confusion,
      misclassified: wrong, filters: filters, filterChannels: filterChannels, digits: digits, featureMaps: maps)
  }

  /// Saves the trained network (safetensors, written atomically by ConvData). Only once the
  /// run is over: the worker no longer touches the network then.
  public func save(to path: String, metadata: [String: String]) throws {
    let (net, extra): (Network?, [String: String]) = lock.withLock { (runningFlag ? nil : network, modelMetadata) }
    guard let net else { throw DataError("nothing to save yet: train a model first") }
    // Saved as `finetune --save` saves it, so that `predict`/`classify` prepare images the same way.
    try ModelFile.save(net, metadata: metadata.merging(extra) { $1 }, to: URL(fileURLWithPath: path))
  }

  public var hasTrainedModel: Bool { lock.withLock { !runningFlag && network != nil } }

  /// Downloads a data set on a new thread (ConvData's fetchers), reporting progress.
  public func fetch(_ dataset: DataSource, into directory: String?, environment: [String: String]) {
    let ok = lock.withLock {
      if runningFlag { return false }
      runningFlag = true
      return true
    }
    guard ok else { return }
    let destination = directory.map { URL(fileURLWithPath: $0) }
      ?? dataset.cacheDirectory(DatasetLocator(environment: environment))
    let thread = Thread { [self] in
      defer { lock.withLock { runningFlag = false } }
      do {
        let names = dataset.downloadFiles
        try dataset.fetch(to: destination) { [self] name, received, total in
          let index = names.firstIndex(of: name) ?? 0
          push(.fetchProgress(file: name, received: received, total: total, fileIndex: index, files: names.count))
        }
        push(.fetched)
      } catch {
        push(.failed(String(describing: error)))
      }
    }
    thread.start()
  }
}
