import ConvKit
/// Makes an endless, reproducible stream of questions: the same seed, selection and level give
/// the same questions. Difficulty:
/// - level 1: the course's cases (28x28 images, 3x3 kernels, valid padding, stride 1, pool 2)
/// - level 2: same and explicit padding, stride 2, several input channels, random small models
/// - level 3: dilation, rectangular kernels, sizes that do not divide (Keras floors), frozen
///   layers, BatchNormalization, Dense on an image-shaped input
/// (Blocks with branches, QuizBlocks.swift: level 1 plain, level 2 the lesson's blocks with
/// BatchNormalization, projections and 1x1 reductions, level 3 strides and InceptionV3's
/// reduction.)
///
/// Two questions in a row are never alike: with three or more kinds to draw from the kind
/// changes; otherwise the kind usually changes and at least the asked case and its answer do.
public struct QuizGenerator: Sendable {
  public let selection: QuizSelection
  public let level: Int
  public internal(set) var rng: SplitMix64  // internal: the block generators (QuizBlocks.swift) draw too
  public private(set) var previous: QuizQuestion?
  /// The last questions asked, not asked again while there are others.
  private var recent: [QuizAsk] = []

  public init(seed: UInt64, selection: QuizSelection = .mixed, level: Int = 1) {
    precondition((1...3).contains(level), "the quiz has levels 1, 2 and 3")
    self.selection = selection
    self.level = level
    self.rng = SplitMix64(seed: seed)
  }

  public mutating func next() -> QuizQuestion {
    let kinds = selection.kinds
    for attempt in 0..<200 {
      var candidates = kinds
      // With three or more kinds the kind always changes; with two, usually (2 times in 3).
      if let p = previous, kinds.count >= 3 || (kinds.count == 2 && rng.chance(2, in: 3)) {
        candidates.removeAll { $0 == p.kind }
      }
      let kind = rng.pick(candidates)
      guard let q = try? make(kind) else { continue }  // a geometry that does not fit: draw again
      if let p = previous, alike(p, q) { continue }
      // Prefer a question not asked lately; small pools (level 1) may have to repeat one.
      if attempt < 100, recent.contains(q.ask) { continue }
      previous = q
      recent.append(q.ask)
      if recent.count > 12 { recent.removeFirst() }
      return q
    }
    // Unreachable in practice (every generator has many cases); fail loudly, not silently.
    preconditionFailure("the quiz generator could not find a new question")
  }

  func alike(_ a: QuizQuestion, _ b: QuizQuestion) -> Bool {
    a.kind == b.kind && (a.answer == b.answer || a.ask == b.ask)
  }

  mutating func make(_ kind: QuizKind) throws -> QuizQuestion {
    let ask: QuizAsk
    switch kind {
    case .convOutput: ask = convOutput()
    case .poolOutput: ask = poolOutput()
    case .convParams: ask = convParams()
    case .flattenSize: ask = flattenSize()
    case .denseParams: ask = denseParams()
    case .batchNorm: ask = batchNorm()
    case .modelTotal: ask = modelTotal()
    case .modelLayerShape: ask = try modelLayerShape()
    case .poolingShrink: ask = poolingShrink()
    case .residualShape: ask = .blockJoinShape(block: residualBlock(), join: QuizBlocks.residualJoin)
    case .residualParams: ask = .blockParams(block: residualBlock())
    case .inceptionShape: ask = .blockJoinShape(block: inceptionBlock(), join: QuizBlocks.inceptionJoin)
    case .inceptionParams: ask = .blockParams(block: inceptionBlock())
    }
    return try QuizQuestion(kind: kind, level: level, ask: ask)
  }

  // MARK: layers

  /// The course's Conv2D(64, (3, 3), activation='relu').
  public static let courseConv = conv(64, (3, 3))

  static func conv(
    _ filters: Int, _ k: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
    dilation: Int = 1, activation: Activation = .relu, useBias: Bool = true
  ) -> LayerSpec {
    LayerSpec(Conv2D(
      filters: filters, kernelSize: Size2(k.0, k.1), strides: Size2(strides.0, strides.1), padding: padding,
      dilation: Size2(dilation), activation: activation, useBias: useBias))
  }

  mutating func poolLayer(_ k: (Int, Int), strides: (Int, Int)? = nil, padding: Padding = .valid) -> LayerSpec {
    let s = strides ?? k
    return rng.chance(2, in: 3)
      ? LayerSpec(MaxPooling2D(poolSize: Size2(k.0, k.1), strides: Size2(s.0, s.1), padding: padding))
      : LayerSpec(AveragePooling2D(poolSize: Size2(k.0, k.1), strides: Size2(s.0, s.1), padding: padding))
  }

  mutating func image(sizes: [Int], channels: [Int]) -> FeatureShape {
    let n = rng.pick(sizes)
    return [n, n, rng.pick(channels)]
  }

  // MARK: generators, one per kind

  mutating func convOutput() -> QuizAsk {
    switch level {
    case 1:
      let input = image(sizes: [28, 28, 32, 10, 12, 16, 20, 24, 64], channels: [1, 1, 3])
      let k = rng.pick([3, 3, 5])
      return .convOutput(input: input, layer: Self.conv(rng.pick([8, 16, 32, 64]), (k, k)))
    case 2:
      // Sizes that divide: the floor is level 3's lesson.
      while true {
        let input = image(sizes: [28, 32, 64, 15, 16, 20, 224], channels: [1, 3, 16, 32])
        let k = rng.pick([3, 5])
        let s = rng.pick([1, 2])
        let padding = rng.pick([Padding.valid, .same, .explicit(1), .explicit(2)])
        let layer = Self.conv(rng.pick([16, 32, 64, 128]), (k, k), strides: (s, s), padding: padding)
        if let g = try? layer.window(on: input), g.rows.divides, g.cols.divides {
          return .convOutput(input: input, layer: layer)
        }
      }
    default:
      let rows = rng.int(in: 7...64)
      let cols = rng.chance(1, in: 3) ? rng.int(in: 7...64) : rows
      let input: FeatureShape = [rows, cols, rng.pick([1, 3, 8, 32])]
      let kr = rng.pick([1, 3, 5, 7])
      let kc = rng.chance(1, in: 3) ? rng.pick([1, 3, 5]) : kr
      let dilated = rng.chance(1, in: 3)
      let s = dilated ? 1 : rng.int(in: 1...3)
      let padding = rng.pick([Padding.valid, .same, .explicit(rng.int(in: 1...3))])
      return .convOutput(
        input: input,
        layer: Self.conv(rng.pick([8, 24, 48, 96]), (kr, kc), strides: (s, s), padding: padding,
                         dilation: dilated ? rng.int(in: 2...3) : 1))
    }
  }

  mutating func poolOutput() -> QuizAsk {
    switch level {
    case 1:
      let input = image(sizes: [28, 26, 24, 32, 16, 64, 14], channels: [1, 16, 32, 64])
      return .poolOutput(input: input, layer: poolLayer((2, 2)))
    case 2:
      let input = image(sizes: Array(7...64), channels: [3, 16, 32, 64])
      let k = rng.pick([2, 3])
      let s = rng.pick([k, 2])
      return .poolOutput(input: input, layer: poolLayer((k, k), strides: (s, s), padding: rng.pick([.valid, .same])))
    default:
      let input: FeatureShape = [rng.int(in: 5...64), rng.int(in: 5...64), rng.pick([8, 32, 128])]
      let k = (rng.pick([2, 3, 4]), rng.pick([2, 3]))
      let s = (rng.int(in: 1...3), rng.int(in: 1...3))
      return .poolOutput(input: input, layer: poolLayer(k, strides: s, padding: rng.pick([.valid, .same])))
    }
  }

  mutating func convParams() -> QuizAsk {
    switch level {
    case 1:
      let k = rng.pick([3, 3, 5])
      return .convParams(input: [28, 28, 1], layer: Self.conv(rng.pick([8, 10, 16, 20, 32, 64, 128]), (k, k)))
    case 2:
      let input = image(sizes: [28, 32, 64, 224], channels: [3, 3, 16, 32, 64])
      let k = rng.pick([1, 3, 5])
      return .convParams(input: input, layer: Self.conv(rng.pick([16, 32, 64, 128]), (k, k)))
    default:
      let input = image(sizes: [13, 26, 56, 112], channels: [3, 24, 64, 128, 256])
      let k = (rng.pick([1, 3, 5, 7]), rng.pick([1, 3, 5]))
      return .convParams(
        input: input,
        layer: Self.conv(rng.pick([32, 64, 128, 256, 512]), k, padding: .same, useBias: !rng.chance(1, in: 3)))
    }
  }

  mutating func flattenSize() -> QuizAsk {
    let flatten = LayerSpec(Flatten())
    switch level {
    case 1:
      let input = image(sizes: [26, 13, 7, 24, 28, 5], channels: [64, 32, 16, 1, 3])
      return .flattenSize(model: SequentialSpec(inputShape: input, layers: [flatten]))
    case 2:
      let input = image(sizes: [28, 32, 64, 20], channels: [1, 3])
      let k = rng.pick([3, 5])
      return .flattenSize(model: SequentialSpec(
        inputShape: input, layers: [Self.conv(rng.pick([8, 16, 32, 64]), (k, k)), flatten]))
    default:
      let input = image(sizes: [28, 32, 64, 48, 30], channels: [1, 3])
      let k = rng.pick([3, 5])
      let padding = rng.pick([Padding.valid, .same])
      let p = rng.pick([2, 3])
      return .flattenSize(model: SequentialSpec(
        inputShape: input,
        layers: [Self.conv(rng.pick([16, 32, 64]), (k, k), padding: padding), poolLayer((p, p)), flatten]))
    }
  }

  mutating func denseParams() -> QuizAsk {
    let units = rng.pick([10, 15, 32, 64, 100, 128, 256])
    let act = rng.pick([Activation.relu, .tanh, .softmax, .sigmoid])
    switch level {
    case 1:
      return .denseParams(input: [rng.pick([784, 128, 64, 100, 10, 256, 43264])], layer: LayerSpec(Dense(units: units, activation: act)))
    case 2:
      // The size a Flatten gives: asked as the flat shape, its product is in the explanation.
      let n = rng.pick([26, 13, 12, 5, 7])
      let flat = try! LayerSpec(Flatten()).outputShape(for: [n, n, rng.pick([64, 32, 16])])
      return .denseParams(input: flat, layer: LayerSpec(Dense(units: units, activation: act)))
    default:
      // Keras applies Dense to the last axis of an image-shaped input.
      if rng.chance(1, in: 2) {
        return .denseParams(
          input: image(sizes: [7, 13, 26], channels: [16, 64, 128]),
          layer: LayerSpec(Dense(units: units, activation: act)))
      }
      return .denseParams(
        input: [rng.pick([512, 1024, 2048, 4096, 25088])],
        layer: LayerSpec(Dense(units: rng.pick([256, 1000, 4096]), activation: act, useBias: !rng.chance(1, in: 3))))
    }
  }

  mutating func batchNorm() -> QuizAsk {
    let bn = LayerSpec(BatchNormalization())
    switch level {
    case 1:
      return .batchNorm(input: image(sizes: [26, 13, 28], channels: [16, 32, 64, 128]), layer: bn, part: .total)
    case 2:
      return .batchNorm(
        input: image(sizes: [26, 13, 56], channels: [32, 64, 96, 256]), layer: bn,
        part: rng.pick([.total, .trainable, .nonTrainable]))
    default:
      var frozen = bn
      frozen.trainable = !rng.chance(1, in: 2)
      let input: FeatureShape = rng.chance(1, in: 3) ? [rng.pick([64, 128, 512])] : image(sizes: [7, 14, 28], channels: [48, 192, 512])
      return .batchNorm(input: input, layer: frozen, part: rng.pick([.trainable, .nonTrainable]))
    }
  }

  static let courseModels = ["course1", "course2", "course3"]

  mutating func modelTotal() -> QuizAsk {
    if level == 1 {
      let name = rng.pick(Self.courseModels)
      return .modelTotal(model: ModelZoo.named(name)!.spec, name: name)
    }
    return .modelTotal(model: randomModel(), name: nil)
  }

  mutating func modelLayerShape() throws -> QuizAsk {
    let name: String?
    let model: SequentialSpec
    if level == 1 {
      name = rng.pick(Self.courseModels)
      model = ModelZoo.named(name!)!.spec
    } else {
      name = nil
      model = randomModel()
    }
    // Ask about a layer that changes the shape (not Dropout, BatchNormalization, Activation).
    let rows = try model.rows()
    let interesting = rows.indices.filter { rows[$0].inputShape != rows[$0].outputShape }
    return .modelLayerShape(model: model, layer: rng.pick(interesting), name: name)
  }

  mutating func poolingShrink() -> QuizAsk {
    if level == 1 {
      return .poolingShrink(
        model: ModelZoo.named("course2")!.spec, pooling: LayerSpec(MaxPooling2D(poolSize: Size2(2))),
        poolAfter: 0)
    }
    let input = image(sizes: level == 2 ? [28, 32, 64] : [28, 30, 48, 64, 100], channels: [1, 3])
    let k = rng.pick([3, 5])
    let model = SequentialSpec(
      inputShape: input,
      layers: [Self.conv(rng.pick([16, 32, 64]), (k, k)), LayerSpec(Flatten()),
               LayerSpec(Dense(units: rng.pick([10, 15, 32, 64, 128]), activation: .relu)),
               LayerSpec(Dense(units: 10, activation: .softmax))])
    let p = level == 2 ? 2 : rng.pick([2, 3, 4])
    return .poolingShrink(model: model, pooling: poolLayer((p, p)), poolAfter: 0)
  }

  /// A small random CNN that fits its input: conv blocks, then Flatten (or global pooling) and
  /// one or two Dense layers.
  mutating func randomModel() -> SequentialSpec {
    while true {
      let input: FeatureShape = rng.pick(level == 2 ? [[28, 28, 1], [32, 32, 3], [64, 64, 3]] : [[28, 28, 1], [32, 32, 3], [48, 48, 3], [64, 64, 3], [100, 100, 1]])
      var layers: [LayerSpec] = []
      for _ in 0..<(level == 2 ? rng.int(in: 1...2) : rng.int(in: 2...3)) {
        let k = rng.pick([3, 5])
        let padding: Padding = level == 3 ? rng.pick([.valid, .same]) : .valid
        let s = level == 3 && rng.chance(1, in: 4) ? 2 : 1
        layers.append(Self.conv(rng.pick([8, 16, 32, 64]), (k, k), strides: (s, s), padding: padding))
        if level == 3, rng.chance(1, in: 3) { layers.append(LayerSpec(BatchNormalization())) }
        if rng.chance(1, in: 2) { layers.append(poolLayer((2, 2))) }
      }
      if level == 3, rng.chance(1, in: 3) {
        layers.append(LayerSpec(GlobalAveragePooling2D()))
      } else {
        layers.append(LayerSpec(Flatten()))
      }
      if rng.chance(1, in: 2) {
        layers.append(LayerSpec(Dense(units: rng.pick([16, 32, 64, 128]), activation: .relu)))
        if level == 3, rng.chance(1, in: 2) { layers.append(LayerSpec(Dropout(rate: 0.5))) }
      }
      layers.append(LayerSpec(Dense(units: 10, activation: .softmax)))
      let model = SequentialSpec(inputShape: input, layers: layers)
      if (try? model.rows()) != nil { return model }
    }
  }
}
