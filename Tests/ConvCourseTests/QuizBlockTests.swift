import ConvCourse
import ConvKit
import Foundation
import XCTest

/// The blocks topic: residual and Inception blocks on the engine's one graph, checked against
/// Keras 3 (Fixtures/make_quiz_blocks.py builds each question's block from the code the
/// question shows and records Keras's shapes and parameter counts).
final class QuizBlockTests: XCTestCase {
  struct Fixture: Decodable {
    var keras: String
    var backend: String
    var cases: [Case]
  }

  struct Case: Decodable {
    var seed: UInt64
    var level: Int
    var index: Int
    var question: String
    var code: [String]
    var shapes: [String: [Int]]
    var params: [String: Int]
    var total_params: Int
    var trainable_params: Int
  }

  func fixture() throws -> Fixture {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/quiz_blocks", withExtension: "json"))
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  func questions(level: Int, seed: UInt64, count: Int) -> [QuizQuestion] {
    var g = QuizGenerator(seed: seed, selection: .topic(.blocks), level: level)
    return (0..<count).map { _ in g.next() }
  }

  /// The same questions as the fixture's (same seed, level and place, same code shown), and
  /// every shape, every layer's parameters and the answer equal to Keras's.
  func testAnswersMatchKeras() throws {
    let f = try fixture()
    XCTAssertEqual(f.backend, "torch")
    XCTAssertGreaterThanOrEqual(f.cases.count, 50)
    var kinds = Set<String>()
    for c in f.cases {
      let q = questions(level: c.level, seed: c.seed, count: c.index + 1)[c.index]
      let block = try XCTUnwrap(q.block)
      let label = "seed \(c.seed) level \(c.level) question \(c.index + 1)"
      XCTAssertEqual(QuizBlocks.kerasLines(block), c.code, "\(label): the generator changed; run make_quiz_blocks.py")
      XCTAssertEqual("\(c.index + 1). " + q.prompt(.en).split(separator: "\n")[0], c.question, label)
      let rows = try block.rows()
      XCTAssertEqual(rows.count, c.shapes.count, label)
      for r in rows {
        XCTAssertEqual(r.outputShape, c.shapes[r.node.name], "\(label): \(r.node.name)")
        if !r.node.isInput { XCTAssertEqual(r.parameters.total, c.params[r.node.name], "\(label): \(r.node.name)") }
      }
      let counts = try block.parameterCount()
      XCTAssertEqual(counts.total, c.total_params, label)
      XCTAssertEqual(counts.trainable, c.trainable_params, label)
      switch q.ask {
      case .blockJoinShape(_, let join):
        XCTAssertEqual(q.answer, .shape(try XCTUnwrap(c.shapes[join])), label)
      case .blockParams:
        XCTAssertEqual(q.answer, .count(c.total_params), label)
      default:
        XCTFail("\(label): not a block question: \(q.kind)")
      }
      let code = c.code.joined(separator: " ")
      kinds.insert("\(q.kind) level \(c.level)")
      if code.contains("reduce33") { kinds.insert("reduction") }
      if code.contains("proj = Conv2D") && code.contains("strides=2") { kinds.insert("projection stride 2") }
      if code.contains("proj = Conv2D") && !code.contains("strides=2") { kinds.insert("projection stride 1") }
      if code.contains("add = Add()([conv2, x])") || code.contains("add = Add()([bn2, x])") { kinds.insert("identity") }
      if code.contains("AveragePooling2D") { kinds.insert("average pooling") }
      if code.contains("use_bias=False") { kinds.insert("no bias") }
      if code.contains("Concatenate()([b1, b3, b5, pool])") { kinds.insert("pool branch without 1x1") }
    }
    // The fixture covers every kind at every level and every variant of the blocks.
    for kind in QuizSelection.topic(.blocks).kinds {
      for level in 1...3 { XCTAssertTrue(kinds.contains("\(kind) level \(level)"), "\(kind) level \(level) not in the fixture") }
    }
    for variant in ["reduction", "projection stride 2", "projection stride 1", "identity", "average pooling", "no bias",
                    "pool branch without 1x1"] {
      XCTAssertTrue(kinds.contains(variant), "\(variant) not in the fixture")
    }
  }

  /// Hand-worked: the lesson's Inception block on 28x28x16 has 8 + 12 + 6 + 6 = 32 channels and
  /// 136 + 136 + 876 + 68 + 606 + 102 = 1,924 parameters.
  func testTheLessonsInceptionBlockExplained() throws {
    let block = QuizBlocks.inception(input: [28, 28, 16], b1: 8, reduce3: 8, b3: 12, reduce5: 4, b5: 6, poolProjection: 6)
    let shape = try QuizQuestion(kind: .inceptionShape, level: 2, ask: .blockJoinShape(block: block, join: "mixed"))
    XCTAssertEqual(shape.answer, .shape([28, 28, 32]))
    let en = shape.explanation(.en)
    XCTAssertEqual(en.first, "input: (None, 28, 28, 16)")
    XCTAssertTrue(en.contains("b3 (Conv2D): (28 + 2*1 - 3)/1 + 1 = 28 -> (None, 28, 28, 12)"), en.joined(separator: "\n"))
    XCTAssertTrue(en.contains("b5 (Conv2D): (28 + 2*2 - 5)/1 + 1 = 28 -> (None, 28, 28, 6)"), en.joined(separator: "\n"))
    XCTAssertTrue(en.contains(
      "Concatenate puts the feature maps side by side: rows and columns must match (28x28 on every branch) and the channels add up: 8 + 12 + 6 + 6 = 32"),
      en.joined(separator: "\n"))
    XCTAssertEqual(en.last, "output shape: (None, 28, 28, 32)")
    let es = shape.explanation(.es)
    XCTAssertEqual(es.first, "entrada: (None, 28, 28, 16)")
    XCTAssertTrue(es.contains(
      "Concatenate pone los mapas de características uno al lado del otro: filas y columnas deben coincidir (28x28 en todas las ramas) y los canales se suman: 8 + 12 + 6 + 6 = 32"),
      es.joined(separator: "\n"))
    XCTAssertEqual(es.last, "forma de salida: (None, 28, 28, 32)")

    let params = try QuizQuestion(kind: .inceptionParams, level: 2, ask: .blockParams(block: block))
    XCTAssertEqual(params.answer, .count(1_924))
    let p = params.explanation(.en)
    XCTAssertEqual(p.first, "'Total params' adds up the weights of every layer that has them:")
    XCTAssertTrue(p.contains("b3 (Conv2D): 12*3*3*8 + 12 = 876"), p.joined(separator: "\n"))
    XCTAssertTrue(p.contains("no parameters: pool, mixed"), p.joined(separator: "\n"))
    XCTAssertEqual(p.last, "Total params: 136 + 136 + 876 + 68 + 606 + 102 = 1,924")
    XCTAssertTrue(params.explanation(.es).contains("sin parámetros: pool, mixed"))

    // Without the 1x1 after the pooling, the pooling's channels (the input's 16) join as they are.
    let plain = QuizBlocks.inception(input: [16, 16, 16], b1: 8, reduce3: nil, b3: 12, reduce5: nil, b5: 4, poolProjection: nil)
    let q = try QuizQuestion(kind: .inceptionShape, level: 1, ask: .blockJoinShape(block: plain, join: "mixed"))
    XCTAssertEqual(q.answer, .shape([16, 16, 40]))
    XCTAssertTrue(q.explanation(.en).contains("pool keeps the 16 channels of its input: pooling has no filters"))
    XCTAssertTrue(q.explanation(.es).contains("pool conserva los 16 canales de su entrada: el pooling no tiene filtros"))
    XCTAssertTrue(q.explanation(.en).contains { $0.hasSuffix("8 + 12 + 4 + 16 = 40") })
  }

  /// Hand-worked: a ResNet block with a projection, 15x15x16 -> stride 2 -> 8x8x32:
  /// ceil(15/2) = 8 on the branch ('same' pads (8 - 1)*2 + 3 - 15 = 2 zeros, 1 on each side)
  /// and (15 - 1)/2 + 1 = 8 on the 1x1 shortcut.
  func testAResidualBlockWithAProjectionExplained() throws {
    let block = QuizBlocks.residual(input: [15, 15, 16], filters: 32, strides: 2, projection: true, batchNorm: true)
    let shape = try QuizQuestion(kind: .residualShape, level: 3, ask: .blockJoinShape(block: block, join: "add"))
    XCTAssertEqual(shape.answer, .shape([8, 8, 32]))
    let en = shape.explanation(.en)
    let text = en.joined(separator: "\n")
    XCTAssertTrue(en.contains("conv1 (Conv2D): (15 + 2*1 - 3)/2 + 1 = 8 -> (None, 8, 8, 32)"), text)
    XCTAssertTrue(en.contains(
      "padding='same' (rows and columns): 2 zeros in all, 1 before and 1 after, so the output is ceil(15/2) = 8"), text)
    XCTAssertTrue(shape.explanation(.es).contains(
      "padding='same' (filas y columnas): 2 ceros en total, 1 antes y 1 después, para que la salida sea ceil(15/2) = 8"))
    XCTAssertTrue(en.contains("proj (Conv2D): (15 + 2*0 - 1)/2 + 1 = 8 -> (None, 8, 8, 32)"), text)
    XCTAssertTrue(en.contains("BatchNormalization and ReLU keep the shape"), text)
    XCTAssertTrue(en.contains(
      "the shortcut proj is a 1x1 Conv2D with 32 filters and stride 2: it turns (None, 15, 15, 16) into (None, 8, 8, 32), the branch's shape"), text)
    XCTAssertTrue(en.contains(
      "Add sums its inputs value by value, so they must have the same shape: bn2 (None, 8, 8, 32) and bn_proj (None, 8, 8, 32)"), text)
    XCTAssertEqual(en.last, "output shape: (None, 8, 8, 32)")
    XCTAssertTrue(shape.explanation(.es).contains(
      "Add suma sus entradas valor por valor, así que deben tener la misma forma: bn2 (None, 8, 8, 32) y bn_proj (None, 8, 8, 32)"))

    // 32*3*3*16 + 32 = 4,640; 4*32 = 128; 32*3*3*32 + 32 = 9,248; 128; 32*1*1*16 + 32 = 544; 128.
    let params = try QuizQuestion(kind: .residualParams, level: 3, ask: .blockParams(block: block))
    XCTAssertEqual(params.answer, .count(14_816))
    let p = params.explanation(.en)
    XCTAssertEqual(p.last, "Total params: 4,640 + 128 + 9,248 + 128 + 544 + 128 = 14,816")
    XCTAssertTrue(p.contains("no parameters: relu1, add, out"), p.joined(separator: "\n"))
    XCTAssertTrue(p.contains("of these, 192 are BatchNormalization's moving means and variances: non-trainable, but counted"))
    XCTAssertTrue(params.explanation(.es).contains(
      "de estos, 192 son las medias y varianzas móviles de BatchNormalization: no entrenables, pero se cuentan"))

    // The identity shortcut: the input itself, so the branch must keep its shape.
    let identity = QuizBlocks.residual(input: [14, 14, 8], filters: 8, projection: false, batchNorm: false)
    let q = try QuizQuestion(kind: .residualShape, level: 1, ask: .blockJoinShape(block: identity, join: "add"))
    XCTAssertEqual(q.answer, .shape([14, 14, 8]))
    XCTAssertTrue(q.explanation(.en).contains(
      "the shortcut is the input x itself: the branch must keep its shape (padding='same', stride 1, 8 filters for 8 input channels)"))
    XCTAssertFalse(q.explanation(.en).contains("BatchNormalization and ReLU keep the shape"))
    // A shortcut of another shape cannot be added: the engine refuses the block, no answer.
    let mismatched = QuizBlocks.residual(input: [14, 14, 8], filters: 16, projection: false, batchNorm: false)
    XCTAssertThrowsError(try QuizQuestion(kind: .residualShape, level: 1, ask: .blockJoinShape(block: mismatched, join: "add")))
  }

  /// InceptionV3's reduction: 17x17 with 3x3 windows and stride 2, padding='valid', gives
  /// (17 - 3)/2 + 1 = 8 on every branch; the pooling keeps the input's 64 channels.
  func testTheReductionBlock() throws {
    let block = QuizBlocks.reduction(input: [17, 17, 64], b3: 96, reduce: 32, double: 48)
    let q = try QuizQuestion(kind: .inceptionShape, level: 3, ask: .blockJoinShape(block: block, join: "mixed"))
    XCTAssertEqual(q.answer, .shape([8, 8, 208]))
    XCTAssertTrue(q.explanation(.en).contains { $0.hasSuffix("96 + 48 + 64 = 208") })
    XCTAssertTrue(q.explanation(.en).contains("pool (MaxPooling2D): (17 + 2*0 - 3)/2 + 1 = 8 -> (None, 8, 8, 64)"))
  }

  /// Answers to block questions read as people write them, and the hints for wrong ones.
  func testAnswerParsingAndHints() throws {
    let block = QuizBlocks.inception(input: [16, 16, 16], b1: 8, reduce3: nil, b3: 12, reduce5: nil, b5: 4, poolProjection: nil)
    let q = try QuizQuestion(kind: .inceptionShape, level: 1, ask: .blockJoinShape(block: block, join: "mixed"))
    for text in ["16x16x40", "(None, 16, 16, 40)", "16, 16, 40", "(16, 16, 40)", "answer: 16x16x40", "respuesta: 16 16 40"] {
      XCTAssertTrue(QuizSession.grade(text, for: q, language: .en).correct, text)
    }
    // Forgetting the pooling branch's channels: rows and columns right, channels wrong.
    let forgot = QuizSession.grade("16x16x24", for: q, language: .en)
    XCTAssertFalse(forgot.correct)
    XCTAssertEqual(forgot.verdict, "wrong: the answer is 16x16x40\nrows and columns are right; check the channels")
    XCTAssertEqual(
      QuizSession.grade("16x16x24", for: q, language: .es).verdict,
      "incorrecto: la respuesta es 16x16x40\nfilas y columnas bien; hay que revisar los canales")
    XCTAssertTrue(QuizSession.grade("40", for: q, language: .en).verdict.contains("you gave 1 size; the answer has 3"))

    let params = try QuizQuestion(
      kind: .residualParams, level: 2,
      ask: .blockParams(block: QuizBlocks.residual(input: [28, 28, 16], filters: 32, projection: true, batchNorm: true)))
    XCTAssertEqual(params.answer, .count(14_816))
    for text in ["14816", "14,816", "14.816", "14 816", "answer: 14,816"] {
      XCTAssertTrue(QuizSession.grade(text, for: params, language: .en).correct, text)
    }
    // The trainable count alone (no moving statistics) is wrong, and an unreadable answer says so.
    XCTAssertFalse(QuizSession.grade("14,624", for: params, language: .en).correct)
    XCTAssertTrue(QuizSession.grade("14k", for: params, language: .en).verdict.contains("could not read '14k' as a whole number"))
  }

  /// The code a question shows is short enough for an 80-column screen (78 inside the frame),
  /// and each layer of it reads back through the spec parser as the same layer.
  func testTheCodeShownFitsAndReadsBack() throws {
    for level in 1...3 {
      for seed in UInt64(1)...8 {
        for q in questions(level: level, seed: seed, count: 8) {
          let block = try XCTUnwrap(q.block)
          let lines = q.prompt(.en).split(separator: "\n").dropFirst()
          XCTAssertLessThanOrEqual(lines.count, 10)
          for line in lines { XCTAssertLessThanOrEqual(line.count, 78, String(line)) }
          for node in block.nodes where !node.isInput && node.inputs.count == 1 {
            let code = try XCTUnwrap(lines.first { $0.hasPrefix("  \(node.name) = ") })
            let layer = String(code.dropFirst("  \(node.name) = ".count).dropLast("(\(node.inputs[0]))".count))
            let input = try block.rows().first { $0.node.name == node.inputs[0] }!.outputShape
            let parsed = try ModelSpecParser.parse(layer, inputShape: input)
            XCTAssertEqual(parsed.layers.map(\.kerasCode), [node.layer.kerasCode], layer)
          }
        }
      }
    }
  }

  /// `mixed` still draws from the four Sequential topics only: a seed's mixed questions are the
  /// ones answer keys were made with before blocks came. Blocks are their own topic.
  func testMixedStaysAsItWasAndBlocksIsATopic() throws {
    XCTAssertEqual(QuizSelection("blocks"), .topic(.blocks))
    XCTAssertEqual(
      Set(QuizSelection.mixed.kinds),
      [.convOutput, .flattenSize, .convParams, .denseParams, .batchNorm, .poolOutput, .poolingShrink, .modelTotal,
       .modelLayerShape])
    XCTAssertEqual(Set(QuizSelection.topic(.blocks).kinds), [.residualShape, .residualParams, .inceptionShape, .inceptionParams])
    // Seed 7's first mixed questions (the snapshots' and the README's): unchanged.
    var g = QuizGenerator(seed: 7, selection: .mixed, level: 1)
    XCTAssertEqual(g.next().answer, .count(6_464))
    XCTAssertEqual(g.next().answer, .count(640))
    // Every block explanation ends with the answer, in both languages, and nothing is left in
    // English on the Spanish one but code and Keras's names.
    for level in 1...3 {
      for q in questions(level: level, seed: 42, count: 40) {
        for language in QuizLanguage.allCases {
          let lines = q.explanation(language)
          switch q.answer {
          case .shape(let s): XCTAssertTrue(lines.last!.hasSuffix(ShapeText.batched(s)), lines.joined(separator: "\n"))
          case .count(let n): XCTAssertTrue(lines.last!.hasSuffix("= " + NumberText.grouped(n)), lines.joined(separator: "\n"))
          }
        }
        let es = (q.explanation(.es) + [String(q.prompt(.es).split(separator: "\n")[0])]).joined(separator: "\n")
        for english in ["the ", " and ", "shape", "channels", "parameters", "shortcut", "keeps", "layer "] {
          XCTAssertFalse(es.contains(english), "'\(english)' in: \(es)")
        }
      }
    }
  }
}
