import ConvKit

extension Network {
  /// Keras's `fit` with random preprocessing layers in front of the model: before each epoch
  /// every training image gets its own random transform (the draws Keras's layers make per
  /// image, batch by batch), seeded by `seed`, then one epoch of `fit` runs on those images. The
  /// validation images are never transformed. The time spent transforming counts in each
  /// epoch's seconds, so images/s compare fairly with and without. `convplay train --augment`
  /// and the training dashboard both train through here.
  public func fit(
    _ training: LabeledImages, validation: LabeledImages?, epochs: Int, batchSize: Int, optimizer: Optimizer,
    augmentation: Augmentation, seed: UInt64, shouldStop: () -> Bool = { false },
    onEvent: (TrainingEvent) -> Void = { _ in }
  ) throws -> [EpochMetrics] {
    var history: [EpochMetrics] = []
    var rng = RandomSource(seed: seed ^ 0x6175_676d_656e_7421)
    let clock = ContinuousClock()
    for epoch in 1...max(1, epochs) {
      if shouldStop() { break }
      let started = clock.now
      let augmented = LabeledImages(images: augmentation.apply(to: training.images, using: &rng), labels: training.labels)
      let transforming = (clock.now - started).seconds
      let one = try fit(
        augmented, validation: validation, epochs: 1, batchSize: batchSize, optimizer: optimizer, shouldStop: shouldStop,
        onEvent: { event in
          switch event {
          case .epochStarted(_, _, let batches): onEvent(.epochStarted(epoch: epoch, epochs: epochs, batches: batches))
          case .batchEnded(_, let b, let batches, let loss, let accuracy, let seconds):
            onEvent(.batchEnded(epoch: epoch, batch: b, batches: batches, loss: loss, accuracy: accuracy, seconds: seconds + transforming))
          case .epochEnded(var m):
            m.epoch = epoch
            m.seconds += transforming
            onEvent(.epochEnded(m))
          }
        })
      guard var m = one.first else { break }
      m.epoch = epoch
      m.seconds += transforming
      history.append(m)
    }
    return history
  }
}
