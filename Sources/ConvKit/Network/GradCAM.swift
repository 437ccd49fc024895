/// Grad-CAM (Selvaraju et al. 2017), "why did it say tiger?": which places of the image made a
/// class's score. At a convolutional layer with maps A_k (k = channel), the weight of each
/// channel is the mean over the map of d(score)/dA_k, and the map is
/// ReLU(sum_k weight_k * A_k), at that layer's resolution. The score is the class's logit
/// (before the softmax), as Keras's Grad-CAM example computes it.
public struct GradCAMMap: Sendable, Equatable {
  /// The layer the map was taken at.
  public var layer: String
  public var height: Int
  public var width: Int
  /// Row-major `[height, width]`, >= 0 (not normalized).
  public var values: [Float]
  /// The class explained and its probability.
  public var classIndex: Int
  public var probability: Float
  /// One weight per channel: the mean gradient of the score over that channel's map.
  public var channelWeights: [Float]
  /// Every class's probability (the softmax of the logits the map was computed from), so a
  /// caller can rank the classes without a second forward pass.
  public var probabilities: [Float]

  /// `values` scaled to 0...1 by their maximum (all zeros stay zeros).
  public var normalized: [Float] {
    let m = values.max() ?? 0
    return m > 0 ? values.map { $0 / m } : values
  }
}

extension Network {
  /// The layer Grad-CAM looks at by default: the last convolution (Conv2D, DepthwiseConv2D,
  /// SeparableConv2D), followed along its only reader through the layers that keep its
  /// feature map's size and finish what it computes (BatchNormalization, activations, the Add
  /// of a residual block, the Concatenate of an Inception block): Keras's examples take
  /// `block14_sepconv2_act` (Xception), `conv5_block3_out` (ResNet50), `mixed10` (InceptionV3).
  public var lastConvolutionIndex: Int? {
    let convs: Set<String> = ["Conv2D", "DepthwiseConv2D", "SeparableConv2D"]
    guard var i = layers.lastIndex(where: { convs.contains($0.node.kerasClass) && $0.outputShape.count == 3 }) else {
      return nil
    }
    let finishing: Set<String> = ["BatchNormalization", "Activation", "ReLU", "LeakyReLU", "Add", "Concatenate"]
    while true {
      let readers = layers.indices.filter { layers[$0].inputIndices.contains(i) }
      guard readers.count == 1, let r = readers.first, finishing.contains(layers[r].node.kerasClass),
        layers[r].outputShape.count == 3, layers[r].outputShape.prefix(2) == layers[i].outputShape.prefix(2)
      else { return i }
      i = r
    }
  }

  /// Grad-CAM of one image `[H, W, C]` (NHWC values as the network takes them) at layer
  /// `layerIndex` (default: `lastConvolutionIndex`) for class `classIndex` (default: the
  /// predicted one). Runs in inference mode; weights are not changed (their gradients are).
  public func gradCAM(image: [Float], classIndex: Int? = nil, layerIndex: Int? = nil) throws -> GradCAMMap {
    guard image.count == inputShape.reduce(1, *) else {
      throw TrainingError.shapeMismatch(expected: inputShape, got: [image.count])
    }
    guard let target = layerIndex ?? lastConvolutionIndex else {
      throw ModelSpecError("the model has no convolutional layer to explain")
    }
    guard target >= 0, target < layers.count - 1, layers[target].outputShape.count == 3 else {
      throw ModelSpecError("Grad-CAM needs a layer with a feature map before the last layer")
    }
    if let classIndex, classIndex < 0 || classIndex >= classes {
      throw ModelSpecError("class \(classIndex) is not one of the model's \(classes) classes (0-\(classes - 1))")
    }
    // Backward from the score down to the target layer only, whatever the trainable flags say.
    let savedRuns = backwardRuns
    let savedNeeds = layers.map(\.runtime.needsInputGradient)
    defer {
      backwardRuns = savedRuns
      for (l, n) in zip(layers, savedNeeds) { l.runtime.needsInputGradient = n }
    }
    for i in layers.indices {
      backwardRuns[i] = i >= target
      if i > target { layers[i].runtime.needsInputGradient = true }
      if i > target { for p in layers[i].parameters { p.zeroGradient() } }
    }
    var maps: Tensor?
    let x = Tensor(shape: [1] + inputShape, scalars: image)
    _ = run(x, training: false, keep: true) { report, out in
      if report.index == target { maps = out }
    }
    guard let last = layers.last?.runtime as? any ActivatedRuntime else {
      throw ModelSpecError("the model's last layer must give class scores (softmax or linear)")
    }
    let logits = last.preActivation.scalars
    let probabilities = Activation.softmax.apply(logits, width: classes)
    let c = classIndex ?? probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
    var dz = [Float](repeating: 0, count: classes)
    dz[c] = 1
    guard let a = maps, let g = backward(fromLogitGradient: Tensor(shape: [1, classes], scalars: dz), capture: target) else {
      throw ModelSpecError("no gradient reaches \(layers[target].name)")
    }
    for l in layers { l.runtime.releaseCaches() }
    let shape = layers[target].outputShape
    let (h, w, k) = (shape[0], shape[1], shape[2])
    let n = h * w
    var weights = [Float](repeating: 0, count: k)
    for p in 0..<n { for ch in 0..<k { weights[ch] += g.scalars[p * k + ch] } }
    for ch in 0..<k { weights[ch] /= Float(n) }
    var values = [Float](repeating: 0, count: n)
    for p in 0..<n {
      var s: Float = 0
      for ch in 0..<k { s += weights[ch] * a.scalars[p * k + ch] }
      values[p] = max(s, 0)
    }
    return GradCAMMap(
      layer: layers[target].name, height: h, width: w, values: values, classIndex: c, probability: probabilities[c],
      channelWeights: weights, probabilities: probabilities)
  }
}

extension InferenceNetwork {
  /// Grad-CAM on a pretrained network (see `Network.gradCAM`); the weights get gradient
  /// memory for the layers after the explained one.
  public func gradCAM(image: [Float], classIndex: Int? = nil, layerIndex: Int? = nil) throws -> GradCAMMap {
    try network.gradCAM(image: image, classIndex: classIndex, layerIndex: layerIndex)
  }

  /// See `Network.lastConvolutionIndex`.
  public var lastConvolutionIndex: Int? { network.lastConvolutionIndex }
}
