import ConvKit

/// The blocks with branches the quiz asks about, built as the engine's one graph (`GraphSpec`,
/// what `summary` prints and `train` trains), with short names a student can follow: a
/// residual block (ResNet) joined by `add`, an Inception block joined by `mixed`.
public enum QuizBlocks {
  /// The name of the join a shape question asks about.
  public static let residualJoin = "add"
  public static let inceptionJoin = "mixed"

  static func conv(
    _ filters: Int, _ k: Int, strides: Int = 1, padding: Padding = .valid, activation: Activation = .linear,
    useBias: Bool = true
  ) -> Conv2D {
    Conv2D(
      filters: filters, kernelSize: Size2(k), strides: Size2(strides), padding: padding, dilation: Size2(1),
      activation: activation, useBias: useBias)
  }

  /// A ResNet block on `input`: two `k`x`k` convolutions with `filters` filters (the first with
  /// `strides`), each followed by BatchNormalization (and the first by ReLU) when `batchNorm`;
  /// without it the first convolution has activation='relu' itself. The shortcut is the input
  /// itself, or with `projection` a 1x1 Conv2D with `filters` filters and `strides` (plus
  /// BatchNormalization) that gives it the branch's shape. `add` joins them, ReLU follows.
  public static func residual(
    input: FeatureShape, filters: Int, kernel: Int = 3, strides: Int = 1, projection: Bool, batchNorm: Bool,
    useBias: Bool = true
  ) -> GraphSpec {
    var b = GraphBuilder(name: "residual_block")
    let x = b.input(input, name: "x")
    var branch: String
    if batchNorm {
      branch = b.add(conv(filters, kernel, strides: strides, padding: .same, useBias: useBias), x, name: "conv1")
      branch = b.add(BatchNormalization(), branch, name: "bn1")
      branch = b.add(ReLU(), branch, name: "relu1")
      branch = b.add(conv(filters, kernel, padding: .same, useBias: useBias), branch, name: "conv2")
      branch = b.add(BatchNormalization(), branch, name: "bn2")
    } else {
      branch = b.add(conv(filters, kernel, strides: strides, padding: .same, activation: .relu), x, name: "conv1")
      branch = b.add(conv(filters, kernel, padding: .same), branch, name: "conv2")
    }
    var shortcut = x
    if projection {
      shortcut = b.add(conv(filters, 1, strides: strides, useBias: useBias), x, name: "proj")
      if batchNorm { shortcut = b.add(BatchNormalization(), shortcut, name: "bn_proj") }
    }
    let sum = b.add(Add(), branch, shortcut, name: residualJoin)
    b.add(ReLU(), sum, name: "out")
    return b.spec
  }

  /// An Inception block on `input` (GoogLeNet's): a 1x1 branch of `b1` filters, a 3x3 and a
  /// 5x5 branch (`padding='same'`), each after a 1x1 reduction when `reduce3` / `reduce5` are
  /// given, and a 3x3 pooling with stride 1 (followed by a 1x1 Conv2D when `poolProjection` is
  /// given), side by side in `mixed`. Every Conv2D has activation='relu'.
  public static func inception(
    input: FeatureShape, b1: Int, reduce3: Int?, b3: Int, reduce5: Int?, b5: Int, poolProjection: Int?,
    averagePool: Bool = false
  ) -> GraphSpec {
    var b = GraphBuilder(name: "inception_block")
    let x = b.input(input, name: "x")
    let one = b.add(conv(b1, 1, activation: .relu), x, name: "b1")
    var three = x
    if let reduce3 { three = b.add(conv(reduce3, 1, activation: .relu), x, name: "reduce3") }
    three = b.add(conv(b3, 3, padding: .same, activation: .relu), three, name: "b3")
    var five = x
    if let reduce5 { five = b.add(conv(reduce5, 1, activation: .relu), x, name: "reduce5") }
    five = b.add(conv(b5, 5, padding: .same, activation: .relu), five, name: "b5")
    let options = (poolSize: Size2(3), strides: Size2(1), padding: Padding.same)
    var pool = b.add(
      averagePool
        ? AveragePooling2D(poolSize: options.poolSize, strides: options.strides, padding: options.padding) as any Layer
        : MaxPooling2D(poolSize: options.poolSize, strides: options.strides, padding: options.padding),
      x, name: "pool")
    if let poolProjection { pool = b.add(conv(poolProjection, 1, activation: .relu), pool, name: "bp") }
    b.add(Concatenate(), inputs: [one, three, five, pool], name: inceptionJoin)
    return b.spec
  }

  /// InceptionV3's grid reduction (its `mixed3`): a 3x3 Conv2D with stride 2, a 1x1 reduction
  /// then two 3x3 convolutions (the second with stride 2), and a 3x3 max pooling with stride
  /// 2, all with `padding='valid'` so that the rows and columns agree, side by side in `mixed`.
  public static func reduction(input: FeatureShape, b3: Int, reduce: Int, double: Int) -> GraphSpec {
    var b = GraphBuilder(name: "reduction_block")
    let x = b.input(input, name: "x")
    let three = b.add(conv(b3, 3, strides: 2, activation: .relu), x, name: "b3")
    var dbl = b.add(conv(reduce, 1, activation: .relu), x, name: "reduce33")
    dbl = b.add(conv(double, 3, padding: .same, activation: .relu), dbl, name: "b33a")
    dbl = b.add(conv(double, 3, strides: 2, activation: .relu), dbl, name: "b33b")
    let pool = b.add(MaxPooling2D(poolSize: Size2(3), strides: Size2(2)), x, name: "pool")
    b.add(Concatenate(), inputs: [three, dbl, pool], name: inceptionJoin)
    return b.spec
  }

  /// The block as Keras code (the functional API), one layer a line, each naming what it reads:
  /// `conv1 = Conv2D(16, 3, padding='same')(x)`, `add = Add()([bn2, x])`. Square sizes are
  /// written as one number (Keras reads `3` as `(3, 3)`) so that a line fits 80 columns.
  public static func kerasLines(_ block: GraphSpec) -> [String] {
    block.nodes.map { node in
      if let input = node.layer as? InputLayer {
        return "\(node.name) = Input(shape=\(ShapeText.tuple(input.shape)))"
      }
      let reads = node.inputs.count == 1 ? node.inputs[0] : "[" + node.inputs.joined(separator: ", ") + "]"
      return "\(node.name) = \(compactCode(node.layer))(\(reads))"
    }
  }

  /// `Conv2D(16, kernel_size=(3, 3), strides=(2, 2))` as `Conv2D(16, 3, strides=2)`.
  static func compactCode(_ layer: any Layer) -> String {
    var code = layer.kerasCode
    for key in ["kernel_size", "pool_size", "strides"] {
      // A square pair `key=(n, n)` becomes `key=n`.
      while let r = code.range(of: key + "=(") {
        let rest = code[r.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { break }
        let parts = rest[..<close].split(separator: ",").map { $0.trimmingWhitespace() }
        guard parts.count == 2, parts[0] == parts[1] else { break }
        code.replaceSubrange(r.lowerBound...close, with: key + "=" + String(parts[0]))
      }
    }
    // The kernel and pool sizes are Keras's positional arguments.
    for key in ["kernel_size=", "pool_size="] {
      if let r = code.range(of: key) { code.removeSubrange(r) }
    }
    return code
  }
}

extension QuizGenerator {
  // MARK: blocks (level 1: no BatchNormalization, no reductions; level 2: the lesson's blocks;
  // level 3: projections with stride 2, use_bias=False, average pooling, InceptionV3's reduction)

  mutating func residualBlock() -> GraphSpec {
    switch level {
    case 1:
      let c = rng.pick([8, 16, 32, 64])
      return QuizBlocks.residual(
        input: image(sizes: [8, 14, 16, 28, 32], channels: [c]), filters: c, projection: false, batchNorm: false)
    case 2:
      let input = image(sizes: [8, 14, 16, 28, 32, 56], channels: [8, 16, 32, 64])
      if rng.chance(1, in: 2) {
        return QuizBlocks.residual(input: input, filters: input[2], projection: false, batchNorm: true)
      }
      let filters = rng.pick([16, 32, 64, 128].filter { $0 != input[2] })
      return QuizBlocks.residual(input: input, filters: filters, projection: true, batchNorm: true)
    default:
      // Sizes that need not be even: stride 2 with padding='same' rounds up, ceil(N/2).
      let rows = rng.int(in: 7...64)
      let shape: FeatureShape = [rows, rng.chance(1, in: 4) ? rng.int(in: 7...64) : rows, rng.pick([16, 32, 64, 128])]
      let useBias = !rng.chance(1, in: 2)
      if rng.chance(1, in: 3) {
        return QuizBlocks.residual(
          input: shape, filters: shape[2], kernel: rng.pick([3, 3, 5]), projection: false, batchNorm: true,
          useBias: useBias)
      }
      return QuizBlocks.residual(
        input: shape, filters: rng.pick([shape[2] * 2, shape[2], 48, 256]), kernel: 3, strides: rng.pick([1, 2, 2]),
        projection: true, batchNorm: true, useBias: useBias)
    }
  }

  mutating func inceptionBlock() -> GraphSpec {
    let filters = [4, 8, 12, 16, 24, 32, 48, 64]
    switch level {
    case 1:
      return QuizBlocks.inception(
        input: image(sizes: [8, 14, 16, 28, 32], channels: [8, 16, 32, 64]), b1: rng.pick(filters), reduce3: nil,
        b3: rng.pick(filters), reduce5: nil, b5: rng.pick(filters), poolProjection: nil)
    case 2:
      return QuizBlocks.inception(
        input: image(sizes: [8, 14, 16, 28, 32], channels: [16, 32, 64, 96]), b1: rng.pick(filters),
        reduce3: rng.pick([8, 16, 32]), b3: rng.pick(filters), reduce5: rng.pick([4, 8, 16]), b5: rng.pick(filters),
        poolProjection: rng.pick([8, 16, 32]))
    default:
      let input = image(sizes: Array(7...35), channels: [32, 64, 96, 192, 256])
      if rng.chance(1, in: 2) {
        return QuizBlocks.reduction(
          input: input, b3: rng.pick([32, 64, 96, 384]), reduce: rng.pick([16, 32, 64]), double: rng.pick([32, 64, 96]))
      }
      return QuizBlocks.inception(
        input: input, b1: rng.pick(filters), reduce3: rng.chance(3, in: 4) ? rng.pick([16, 32, 48]) : nil,
        b3: rng.pick(filters), reduce5: rng.chance(3, in: 4) ? rng.pick([8, 16]) : nil, b5: rng.pick(filters),
        poolProjection: rng.chance(3, in: 4) ? rng.pick([16, 32, 64]) : nil, averagePool: rng.chance(1, in: 2))
    }
  }
}
