import ConvImageIO
import Foundation

/// The training screen's last settings, as plain values (names as `convplay train` takes them),
/// so that reopening the screen, or the playground, starts where the user left off.
public struct TrainingSettings: Codable, Equatable, Sendable {
  /// A zoo model's name, "spec" (then `spec` holds the typed text) or "finetune".
  public var model: String
  public var spec: String?
  /// As `--dataset` takes it: mnist, fashion-mnist, cifar10 or folder:PATH.
  public var dataset: String
  public var epochs: Int
  public var batch: Int
  public var optimizer: String
  public var learningRate: Float
  public var limit: Int?
  /// A folder data set's `--image-size` [height, width] and `--color gray`.
  public var folderSize: [Int]?
  public var folderGray: Bool?
  /// Fine-tuning: the base file (nil: the built-in model) and the two phases' epochs.
  public var basePath: String?
  public var freezeEpochs: Int?
  public var finetuneEpochs: Int?
  /// Fine-tuning a pretrained base: its name (vgg16, mobilenet...) or file, random weights
  /// instead of Keras's cache, and `--unfreeze` (all or N).
  public var pretrainedBase: String?
  public var randomWeights: Bool?
  public var unfreeze: String?
  /// `--augment` as it is written (flip,rotate=10,...); nil: none.
  public var augment: String?

  public init(
    model: String, spec: String? = nil, dataset: String, epochs: Int, batch: Int, optimizer: String, learningRate: Float,
    limit: Int? = nil, basePath: String? = nil, freezeEpochs: Int? = nil, finetuneEpochs: Int? = nil
  ) {
    self.model = model
    self.spec = spec
    self.dataset = dataset
    self.epochs = epochs
    self.batch = batch
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.limit = limit
    self.basePath = basePath
    self.freezeEpochs = freezeEpochs
    self.finetuneEpochs = finetuneEpochs
  }
}

/// `training-settings.json` in the user's data directory, beside `quiz-progress.json`. Saved
/// atomically; a file that cannot be read is ignored (the screen's defaults are used), since
/// settings are a convenience and the next save replaces it.
public struct TrainingSettingsStore: Sendable {
  public let directory: URL
  public var file: URL { directory.appendingPathComponent("training-settings.json") }

  public init(directory: URL = UserDataDirectory.url()) {
    self.directory = directory
  }

  public func load() -> TrainingSettings? {
    guard let data = try? InputFile.data(file.path, limit: 1 << 20) else { return nil }
    return try? JSONDecoder().decode(TrainingSettings.self, from: data)
  }

  public func save(_ settings: TrainingSettings) throws {
    try writeJSONAtomically(settings, to: file)
  }
}
