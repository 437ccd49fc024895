import ConvKit
import Foundation

/// `convplay-bench --finetune [--images N]`: the course's fine-tuning costs on a MobileNet base
/// (alpha 1.0) at 128x128: the feature-extraction pass over N images (batch 32, the base
/// frozen: BatchNormalization on its moving statistics), one epoch of the head (global average
/// pooling, Dense 256 relu, Dense 5 softmax) on those features, and one joint epoch (whole
/// base unfrozen), batch 32, Adam. Random weights and images: the time does not depend on them.
/// Prints one JSON line, as benchmarks/torch_finetune.py does.
func finetuneBenchmark(images n: Int, jointImages: Int) {
  do {
    let whole = ApplicationGraphs.named("mobilenet")!.make()
    let base = try PretrainedBase.withoutTop(whole, inputShape: [128, 128, 3])
    let extractor = try InferenceNetwork(graph: base, randomSeed: 1)
    var rng = RandomSource(seed: 2)
    let images = Tensor(shape: [n, 128, 128, 3], scalars: (0..<(n * 128 * 128 * 3)).map { _ in rng.nextSymmetric(1) })
    let labels = (0..<n).map { $0 % 5 }
    let clock = ContinuousClock()
    var started = clock.now
    let features = PretrainedBase.features(of: extractor, images: images, batch: 32)
    let extraction = (clock.now - started).seconds
    let head = PretrainedBase.Head(pooling: .avg, hidden: 256, classes: 5)
    let tuning = BaseFineTuning(
      base: base, baseWeights: extractor.weights, head: head, unfreeze: .all,
      plan: FineTuningPlan(freezeEpochs: 1, finetuneEpochs: 1, learningRate: 0.001, batch: 32), seed: 3)
    let headNet = try Network(graph: try PretrainedBase.headOnly(tuning.model(step: 1), baseCount: base.nodes.count), seed: 3)
    let headHistory = try headNet.fit(
      LabeledImages(images: features, labels: labels), epochs: 1, batchSize: 32,
      optimizer: OptimizerKind.adam.make(learningRate: 0.001))
    // The joint epoch on the first `jointImages` images, scaled to n.
    let joint = try Network(graph: tuning.model(step: 2), seed: 3, weights: extractor.weights + headNet.namedParameters.map(\.parameter.value))
    let subset = LabeledImages(images: images, labels: labels).prefix(jointImages)
    started = clock.now
    let jointHistory = try joint.fit(subset, epochs: 1, batchSize: 32, optimizer: OptimizerKind.adam.make(learningRate: 0.0001))
    _ = started
    let jointSeconds = jointHistory[0].seconds * Double(n) / Double(subset.count)
    print(
      "{\"images\": \(n), \"feature_extraction_seconds\": \(extraction), \"feature_images_per_second\": \(Double(n) / extraction), "
        + "\"head_epoch_seconds\": \(headHistory[0].seconds), \"joint_epoch_seconds\": \(jointSeconds), \"joint_images_measured\": \(subset.count)}")
  } catch {
    print("finetune benchmark failed: \(error)")
    exit(1)
  }
}
