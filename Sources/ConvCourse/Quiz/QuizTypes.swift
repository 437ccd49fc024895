import ConvKit
@_exported import ConvLocale
/// What a quiz asks about, as `convplay quiz --topic` names it.
public enum QuizTopic: String, CaseIterable, Sendable, Codable, Hashable {
  /// Conv2D output sizes (padding, strides, dilation, filters) and Flatten sizes.
  case shapes
  /// Conv2D, Dense and BatchNormalization parameter counts.
  case params
  /// Pooling output sizes and how pooling shrinks the next layer.
  case pooling
  /// Whole small models: the course's three and random ones.
  case models
  /// Blocks with branches (Keras's functional API): a residual block joined by Add, an
  /// Inception block joined by Concatenate.
  case blocks

  /// The topics `mixed` draws from: the Sequential course's four. Blocks are asked on their own
  /// (`--topic blocks`) so that a seed gives the same mixed questions as before they came:
  /// answer keys already handed out stay right.
  public var inMixed: Bool { self != .blocks }
}

/// Which topics a quiz draws from: one, or all of them (`mixed`).
public enum QuizSelection: Equatable, Sendable {
  case topic(QuizTopic)
  case mixed

  /// `shapes`, `params`, `pooling`, `models`, `blocks` or `mixed`.
  public init?(_ name: String) {
    if name.lowercased() == "mixed" {
      self = .mixed
    } else if let t = QuizTopic(rawValue: name.lowercased()) {
      self = .topic(t)
    } else {
      return nil
    }
  }

  public var kinds: [QuizKind] {
    switch self {
    case .mixed: return QuizKind.allCases.filter { $0.topic.inMixed }
    case .topic(let t): return QuizKind.allCases.filter { $0.topic == t }
    }
  }
}

/// The quiz speaks convplay's languages (ConvLocale).
public typealias QuizLanguage = Lang

/// The kinds of question; each belongs to one topic.
public enum QuizKind: String, CaseIterable, Sendable, Hashable {
  case convOutput, flattenSize
  case convParams, denseParams, batchNorm
  case poolOutput, poolingShrink
  case modelTotal, modelLayerShape
  case residualShape, residualParams, inceptionShape, inceptionParams

  public var topic: QuizTopic {
    switch self {
    case .convOutput, .flattenSize: return .shapes
    case .convParams, .denseParams, .batchNorm: return .params
    case .poolOutput, .poolingShrink: return .pooling
    case .modelTotal, .modelLayerShape: return .models
    case .residualShape, .residualParams, .inceptionShape, .inceptionParams: return .blocks
    }
  }
}

/// The right answer: a shape without the batch axis, or a number of parameters.
public enum QuizAnswer: Equatable, Sendable, Hashable {
  case shape(FeatureShape)
  case count(Int)

  /// `26x26x64` for shapes (a single size as `43,264`), `649,775` for counts: forms
  /// `QuizAnswerParser` reads back.
  public var text: String {
    switch self {
    case .shape(let s): return s.count == 1 ? NumberText.grouped(s[0]) : ShapeText.compact(s)
    case .count(let n): return NumberText.grouped(n)
    }
  }
}

/// Which of BatchNormalization's numbers a question asks for.
public enum BatchNormPart: String, Sendable, Hashable, CaseIterable {
  case total, trainable, nonTrainable
}

/// What a question is about, as data: the engine answers it and the catalog words it.
public enum QuizAsk: Equatable, Sendable, Hashable {
  /// Output shape of a Conv2D layer on an input.
  case convOutput(input: FeatureShape, layer: LayerSpec)
  /// Output shape of a pooling layer on an input.
  case poolOutput(input: FeatureShape, layer: LayerSpec)
  /// Parameters of a Conv2D layer on an input.
  case convParams(input: FeatureShape, layer: LayerSpec)
  /// Size after Flatten, at the end of a model (the Flatten layer is its last layer).
  case flattenSize(model: SequentialSpec)
  /// Parameters of a Dense layer on an input.
  case denseParams(input: FeatureShape, layer: LayerSpec)
  /// One of BatchNormalization's counts, the layer frozen or not.
  case batchNorm(input: FeatureShape, layer: LayerSpec, part: BatchNormPart)
  /// Total parameters of a model (a named one such as `course1`, or a random one).
  case modelTotal(model: SequentialSpec, name: String?)
  /// Output shape of one layer (0-based index) of a model.
  case modelLayerShape(model: SequentialSpec, layer: Int, name: String?)
  /// How many parameters the Dense layer after Flatten loses when pooling is added after
  /// layer `poolAfter` of `model` (the course: 648,975 - 162,255 = 486,720).
  case poolingShrink(model: SequentialSpec, pooling: LayerSpec, poolAfter: Int)
  /// Output shape of the node `join` (the block's Add or Concatenate) of a block with branches.
  case blockJoinShape(block: GraphSpec, join: String)
  /// Total parameters of a block with branches (Keras's `Total params` of the block as a model).
  case blockParams(block: GraphSpec)
}

/// A screen the explanation can open with its numbers loaded (the playground links to it).
public enum QuizLink: Equatable, Sendable {
  /// The convolution or pooling window screens: this geometry on this input.
  case window(input: FeatureShape, layer: LayerSpec)
  /// The summary screen for this model, with a layer highlighted.
  case summary(model: SequentialSpec, layer: Int?)
  /// The summary screen for a block with branches, with node `node` (index in `block.nodes`)
  /// highlighted: it says which layers feed each Add and Concatenate.
  case blockSummary(block: GraphSpec, node: Int?)
}

/// One generated question.
public struct QuizQuestion: Equatable, Sendable {
  public var kind: QuizKind
  public var topic: QuizTopic { kind.topic }
  public var level: Int
  public var ask: QuizAsk
  /// The engine's answer (`QuizAsk.answer()`), computed once when the question is made.
  public var answer: QuizAnswer

  public init(kind: QuizKind, level: Int, ask: QuizAsk) throws {
    self.kind = kind
    self.level = level
    self.ask = ask
    self.answer = try ask.answer()
  }

  public func prompt(_ language: QuizLanguage) -> String {
    QuizCatalog.prompt(self, language)
  }

  public func explanation(_ language: QuizLanguage) -> [String] {
    QuizCatalog.explanation(self, language)
  }

  /// The model whose summary shows the answer: a question about one layer is the one-layer
  /// model on that input. Tests compare every answer with this model's summary. Nil for a
  /// block with branches, which is no Sequential model: its summary is `block`'s.
  public var model: SequentialSpec? {
    switch ask {
    case .convOutput(let input, let layer), .poolOutput(let input, let layer),
      .convParams(let input, let layer), .denseParams(let input, let layer),
      .batchNorm(let input, let layer, _):
      return SequentialSpec(inputShape: input, layers: [layer])
    case .flattenSize(let model), .modelTotal(let model, _), .modelLayerShape(let model, _, _):
      return model
    case .poolingShrink(let model, _, _):
      return model
    case .blockJoinShape, .blockParams:
      return nil
    }
  }

  /// The block with branches a question shows (nil for the Sequential questions).
  public var block: GraphSpec? {
    switch ask {
    case .blockJoinShape(let block, _), .blockParams(let block): return block
    default: return nil
    }
  }

  public var link: QuizLink {
    switch ask {
    case .convOutput(let input, let layer), .poolOutput(let input, let layer):
      return .window(input: input, layer: layer)
    // Parameter counts: the summary screen shows the count with its formula.
    case .convParams(let input, let layer), .denseParams(let input, let layer), .batchNorm(let input, let layer, _):
      return .summary(model: SequentialSpec(inputShape: input, layers: [layer]), layer: 0)
    case .flattenSize(let model):
      return .summary(model: model, layer: model.layers.count - 1)
    case .modelTotal(let model, _):
      return .summary(model: model, layer: nil)
    case .modelLayerShape(let model, let i, _):
      return .summary(model: model, layer: i)
    case .poolingShrink(let model, let pooling, let after):
      return .summary(model: model.inserting(pooling, after: after), layer: after + 1)
    case .blockJoinShape(let block, let join):
      return .blockSummary(block: block, node: block.nodes.firstIndex { $0.name == join })
    case .blockParams(let block):
      return .blockSummary(block: block, node: nil)
    }
  }
}

extension SequentialSpec {
  /// This model with `layer` inserted after layer `index` (names reassigned Keras's way).
  public func inserting(_ layer: LayerSpec, after index: Int) -> SequentialSpec {
    var ls = layers.map { l -> LayerSpec in
      var c = l
      c.name = ""
      return c
    }
    ls.insert(layer, at: index + 1)
    return SequentialSpec(inputShape: inputShape, layers: ls)
  }

  /// Index of the first Dense layer after the first Flatten, if any.
  public var denseAfterFlatten: Int? {
    guard let f = layers.firstIndex(where: { $0.layer is Flatten }) else { return nil }
    return layers[(f + 1)...].firstIndex { $0.layer is Dense }
  }
}

extension QuizAsk {
  /// The answer, from the engine: `LayerSpec.outputShape`, `LayerSpec.parameters` and
  /// `SequentialSpec.rows()`. Nothing is recomputed here.
  public func answer() throws -> QuizAnswer {
    switch self {
    case .convOutput(let input, let layer), .poolOutput(let input, let layer):
      return .shape(try layer.outputShape(for: input))
    case .convParams(let input, let layer), .denseParams(let input, let layer):
      return .count(layer.parameters(for: input).total)
    case .batchNorm(let input, let layer, let part):
      let p = layer.parameters(for: input)
      switch part {
      case .total: return .count(p.total)
      case .trainable: return .count(p.trainable)
      case .nonTrainable: return .count(p.nonTrainable)
      }
    case .flattenSize(let model):
      return .shape(try model.outputShape())
    case .modelTotal(let model, _):
      return .count(try model.parameterCount().total)
    case .modelLayerShape(let model, let i, _):
      return .shape(try model.rows()[i].outputShape)
    case .poolingShrink(let model, let pooling, let after):
      let (before, withPool) = try shrink(model: model, pooling: pooling, after: after)
      return .count(before.parameters.total - withPool.parameters.total)
    case .blockJoinShape(let block, let join):
      guard let row = try block.rows().first(where: { $0.node.name == join }) else {
        throw ModelSpecError("the block has no layer named '\(join)'")
      }
      return .shape(row.outputShape)
    case .blockParams(let block):
      return .count(try block.parameterCount().total)
    }
  }

  /// The Dense-after-Flatten row without and with the pooling layer.
  func shrink(model: SequentialSpec, pooling: LayerSpec, after: Int) throws
    -> (SequentialSpec.Row, SequentialSpec.Row)
  {
    guard let d = model.denseAfterFlatten else {
      throw ModelSpecError("the model needs Flatten followed by Dense")
    }
    let pooled = model.inserting(pooling, after: after)
    return (try model.rows()[d], try pooled.rows()[d + 1])
  }
}

/// What the learner is told after answering.
public struct QuizFeedback: Equatable, Sendable {
  public var correct: Bool
  /// What the answer was read as; nil when it could not be read.
  public var given: QuizAnswer?
  public var expected: QuizAnswer
  /// `correct`, or `wrong: the answer is 26x26x64`, plus a hint when the answer could not be
  /// read or had the batch axis or channel count wrong.
  public var verdict: String
  public var explanation: [String]
}
