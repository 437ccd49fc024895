import ConvKit
import Foundation
import XCTest

final class SummaryTextTests: XCTestCase {
  func fixture(_ name: String) throws -> String {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/summaries/\(name)", withExtension: "txt"))
    return try String(contentsOf: url, encoding: .utf8)
  }

  func testCourseModelsPrintKerasSummariesExactly() throws {
    for name in ["course1", "course2", "course3"] {
      let entry = try XCTUnwrap(ModelZoo.named(name))
      XCTAssertEqual(try SummaryText.render(entry.spec, name: name), try fixture(name), name)
    }
  }

  /// The course's numbers, from the rows themselves.
  func testCourseNumbers() throws {
    let c1 = try ModelZoo.named("course1")!.spec.rows()
    XCTAssertEqual(c1.map(\.parameters.total), [640, 0, 432_650])
    XCTAssertEqual(c1[0].outputShape, [26, 26, 64])
    XCTAssertEqual(c1[1].outputShape, [43_264])
    XCTAssertEqual(try ModelZoo.named("course1")!.spec.parameterCount().total, 433_290)
    let c2 = try ModelZoo.named("course2")!.spec.rows()
    XCTAssertEqual(c2.map(\.parameters.total), [640, 0, 648_975, 160])
    XCTAssertEqual(try ModelZoo.named("course2")!.spec.parameterCount().total, 649_775)
    let c3 = try ModelZoo.named("course3")!.spec.rows()
    XCTAssertEqual(c3[1].outputShape, [13, 13, 64])
    XCTAssertEqual(c3[2].outputShape, [10_816])
    XCTAssertEqual(c3.map(\.parameters.total), [640, 0, 0, 162_255, 160])
    XCTAssertEqual(try ModelZoo.named("course3")!.spec.parameterCount().total, 163_055)
  }

  func testBatchNormAndFrozenLayersAreNonTrainable() throws {
    let spec = try ModelSpecParser.parse(
      "conv2d(8, 3, use_bias=false) -> batchnorm -> flatten -> dense(4, trainable=false) -> dense(2)",
      inputShape: [6, 6, 3])
    let rows = try spec.rows()
    // BatchNorm on 8 channels: gamma, beta (trainable) + moving mean, variance (never trained).
    XCTAssertEqual(rows[1].parameters, ParameterCount(total: 32, trainable: 16))
    // Frozen Dense: 4*4*8*4 + 4 = 516 weights, none trainable.
    XCTAssertEqual(rows[3].parameters, ParameterCount(total: 516, trainable: 0))
    let text = try SummaryText.render(spec)
    // 3*3*3*8 = 216; 216 + 32 + 516 + (4*2 + 2 = 10) = 774; non-trainable 16 + 516 = 532.
    XCTAssertTrue(text.hasSuffix(
      "Total params: 774\nTrainable params: 242\nNon-trainable params: 532\n" + String(repeating: "_", count: 65) + "\n"), text)
    let frozenBN = try ModelSpecParser.parse("batchnorm(trainable=false)", inputShape: [4, 4, 5]).rows()
    XCTAssertEqual(frozenBN[0].parameters, ParameterCount(total: 20, trainable: 0))
  }

  func testLongFieldsAreCutAsKerasDoes() {
    // 'global_average_pooling2d (GlobalAveragePooling2D)' is longer than its 29-character column:
    // cut at 29, and its last kept character becomes the space before the next column.
    let row = SummaryText.row(["global_average_pooling2d (GlobalAveragePooling2D)", "(None, 64)", "0"])
    XCTAssertEqual(row, "global_average_pooling2d (Gl (None, 64)                0         ")
    XCTAssertEqual(row.count, 65)
  }

  func testThousandsSeparators() {
    XCTAssertEqual(
      SummaryText.totals(ParameterCount(total: 138_357_544, trainable: 138_357_544)),
      ["Total params: 138,357,544", "Trainable params: 138,357,544", "Non-trainable params: 0"])
  }

  func testExplainShowsTheCoursesFormulas() throws {
    XCTAssertEqual(try SummaryText.explain(ModelZoo.named("course3")!.spec), [
      "conv2d (Conv2D): (28 + 2*0 - 3)/1 + 1 = 26 -> (None, 26, 26, 64); 64*3*3*1 + 64 = 640 parameters",
      "max_pooling2d (MaxPooling2D): (26 + 2*0 - 2)/2 + 1 = 13 -> (None, 13, 13, 64)",
      "flatten (Flatten): 13*13*64 = 10,816 -> (None, 10816)",
      "dense (Dense): (None, 15); 10,816*15 + 15 = 162,255 parameters",
      "dense_1 (Dense): (None, 10); 15*10 + 10 = 160 parameters",
    ])
    let bn = try ModelSpecParser.parse("conv2d(8, 3, padding=same, use_bias=false) -> batchnorm", inputShape: [5, 5, 2])
    XCTAssertEqual(try SummaryText.explain(bn), [
      "conv2d (Conv2D): (5 + 2*1 - 3)/1 + 1 = 5 -> (None, 5, 5, 8); 8*3*3*2 = 144 parameters",
      "batch_normalization (BatchNormalization): (None, 5, 5, 8); 4*8 = 32 parameters (16 non-trainable)",
    ])
  }
  /// A model with branches: a line per layer after the input; Add and Concatenate name the
  /// layers they read, and the concatenation's channels add up (worked by hand: 8 + 12 + 6 + 6).
  func testExplainNamesWhatFeedsEachJoin() throws {
    let inception = try ModelSpecParser.parseGraph(
      """
      stem = conv2d(16, 3, padding=same, activation=relu)
      b1 = conv2d(8, 1, activation=relu)(stem)
      reduce3 = conv2d(8, 1, activation=relu)(stem)
      b3 = conv2d(12, 3, padding=same, activation=relu)
      pool = maxpool(3, strides=1, padding=same)(stem)
      mixed = concatenate(b1, b3, pool)
      """, inputShape: [28, 28, 1])
    let lines = try SummaryText.explain(inception)
    XCTAssertEqual(lines.count, inception.nodes.count - 1)
    XCTAssertEqual(lines.first, "stem (Conv2D): (28 + 2*1 - 3)/1 + 1 = 28 -> (None, 28, 28, 16); 16*3*3*1 + 16 = 160 parameters")
    XCTAssertEqual(lines[3], "b3 (Conv2D): (28 + 2*1 - 3)/1 + 1 = 28 -> (None, 28, 28, 12); 12*3*3*8 + 12 = 876 parameters")
    XCTAssertEqual(lines.last, "mixed (Concatenate) <- b1, b3, pool: 8 + 12 + 16 = 36 -> (None, 28, 28, 36)")
    let residual = try ModelSpecParser.parseGraph(
      "conv2d(4, 3, padding=same)\nblock_in = relu\nconv2d(4, 3, padding=same)\nsum = add(block_in, previous)",
      inputShape: [6, 6, 1])
    XCTAssertEqual(try SummaryText.explain(residual).last, "sum (Add) <- block_in, conv2d_1: (None, 6, 6, 4)")
    // A chain explained as a graph says what the Sequential explanation says.
    let chain = ModelZoo.named("course3")!.spec
    XCTAssertEqual(try SummaryText.explain(chain.graph(name: "course3")), try SummaryText.explain(chain))
  }
}
