import ConvKit
import XCTest

/// The summary screen's rows: the same lines, shapes and counts as `SummaryText`, formulas whose
/// numbers agree with the counts, and freezing that moves weights between the totals by the
/// hand-worked amounts.
final class SummaryWalkTests: XCTestCase {
  /// The table lines of `SummaryText.render` (between the `=` rules, without the `_` separators
  /// and the `Connected to` continuation lines), cut to `width` and right-trimmed.
  func renderedRows(_ text: String, width: Int) -> [String] {
    let lines = text.split(separator: "\n").map(String.init)
    let start = lines.firstIndex { $0.hasPrefix("==") }! + 1
    let end = lines.lastIndex { $0.hasPrefix("==") }!
    return lines[start..<end].filter { !$0.hasPrefix("__") && !$0.hasPrefix(" ") }
      .map { trimmed(String($0.prefix(width))) }
  }

  func trimmed(_ s: String) -> String { String(s.reversed().drop { $0 == " " }.reversed()) }

  func walkLines(_ walk: SummaryWalk) -> [String] {
    walk.rows.indices.map { trimmed(walk.tableLine($0, showTrainable: false)) }
  }

  func testRowsAreSummaryTextsRows() throws {
    for e in ModelZoo.all {
      let walk = try SummaryWalk(e.spec, name: e.name)
      XCTAssertEqual(walkLines(walk), renderedRows(try SummaryText.render(e.spec, name: e.name), width: 65), e.name)
      XCTAssertEqual(walk.totals, try e.spec.parameterCount(), e.name)
    }
    for e in KerasApplications.all {
      let walk = try SummaryWalk(e.spec, name: e.name, inputLayer: e.inputLayerName)
      let text = try SummaryText.render(e.spec, name: e.name, inputLayer: e.inputLayerName)
      XCTAssertEqual(walkLines(walk), renderedRows(text, width: 65), e.name)
      XCTAssertEqual(walk.headerLine(showTrainable: false), text.split(separator: "\n")[2].description)
    }
    for e in ApplicationGraphs.all {
      let graph = e.make()
      let walk = try SummaryWalk(graph)
      XCTAssertEqual(walkLines(walk), renderedRows(try SummaryText.render(graph), width: 65), e.name)
      XCTAssertEqual(walk.totals, try graph.parameterCount(), e.name)
    }
  }

  func testVGG16FirstConvolution() throws {
    let e = try XCTUnwrap(KerasApplications.named("vgg16"))
    let walk = try SummaryWalk(e.spec, name: e.name, inputLayer: e.inputLayerName)
    XCTAssertEqual(walk.rows.count, 23)
    XCTAssertEqual(walk.totals.total, 138_357_544)
    let input = walk.rows[0]
    XCTAssertTrue(input.isInput)
    XCTAssertEqual(input.outputShape, [224, 224, 3])
    let conv = walk.rows[1]
    XCTAssertEqual(conv.name, "block1_conv1")
    XCTAssertEqual(conv.inputs, ["input_1"])
    XCTAssertEqual(conv.inputShapes, [[224, 224, 3]])
    XCTAssertEqual(conv.outputShape, [224, 224, 64])
    // Hand-worked: 'same' pads 1 each side; 3*3*3 weights per filter plus a bias, 64 filters.
    XCTAssertEqual(conv.shapeFormula, "(224 + 2*1 - 3)/1 + 1 = 224")
    XCTAssertEqual(conv.parameterFormula, "64*3*3*3 + 64 = 1,792")
    XCTAssertEqual(walk.tableLine(1), "block1_conv1 (Conv2D)        (None, 224, 224, 64)      1792      Y          ")
    XCTAssertEqual(walk.headerLine(), "Layer (type)                 Output Shape              Param #   Trainable  ")
    let pool = walk.rows[3]
    XCTAssertEqual(pool.shapeFormula, "(224 + 2*0 - 2)/2 + 1 = 112")
    XCTAssertEqual(walk.rows[19].shapeFormula, "7*7*512 = 25,088")
    XCTAssertEqual(walk.rows[20].parameterFormula, "25,088*4,096 + 4,096 = 102,764,544")
  }

  func testFreezingMovesWeightsToNonTrainable() throws {
    let e = try XCTUnwrap(KerasApplications.named("vgg16"))
    var walk = try SummaryWalk(e.spec, name: e.name, inputLayer: e.inputLayerName)
    try walk.setTrainable(false, row: 1)
    XCTAssertEqual(walk.totals.total, 138_357_544)
    XCTAssertEqual(walk.totals.trainable, 138_355_752)  // 138,357,544 - 1,792
    XCTAssertEqual(walk.totals.nonTrainable, 1_792)
    XCTAssertTrue(walk.tableLine(1).hasSuffix("N          "))
    XCTAssertEqual(walk.sequentialSpec?.layers[0].trainable, false)
    // The InputLayer has nothing to freeze.
    try walk.setTrainable(false, row: 0)
    XCTAssertTrue(walk.rows[0].trainable)
    try walk.setTrainable(true, row: 1)
    XCTAssertEqual(walk.totals.nonTrainable, 0)

    // ResNet50: conv2_block1_3_bn has 4*256 weights; gamma and beta (512) train, the moving
    // statistics (512) never do. Keras: 53,120 non-trainable; frozen, 53,120 + 512 = 53,632.
    var resnet = try SummaryWalk(ApplicationGraphs.resnet50())
    XCTAssertEqual(resnet.totals.nonTrainable, 53_120)
    let bn = try XCTUnwrap(resnet.rows.firstIndex { $0.name == "conv2_block1_3_bn" })
    XCTAssertEqual(resnet.rows[bn].parameterFormula, "4*256 = 1,024")
    try resnet.setTrainable(false, row: bn)
    XCTAssertEqual(resnet.totals.nonTrainable, 53_632)
    XCTAssertEqual(resnet.totals.total, 25_636_712)
  }

  func testGraphRowsNameTheirBranches() throws {
    let resnet = try SummaryWalk(ApplicationGraphs.resnet50())
    XCTAssertTrue(resnet.isGraph)
    let add = try XCTUnwrap(resnet.rows.first { $0.name == "conv2_block1_add" })
    XCTAssertEqual(add.kerasClass, "Add")
    XCTAssertEqual(add.inputs, ["conv2_block1_0_bn", "conv2_block1_3_bn"])
    XCTAssertEqual(add.inputShapes, [[56, 56, 256], [56, 56, 256]])
    XCTAssertNil(add.shapeFormula)
    let pad = try XCTUnwrap(resnet.rows.first { $0.name == "conv1_pad" })
    XCTAssertEqual(pad.shapeFormula, "224 + 3 + 3 = 230")
    let conv1 = try XCTUnwrap(resnet.rows.first { $0.name == "conv1_conv" })
    XCTAssertEqual(conv1.shapeFormula, "(230 + 2*0 - 7)/2 + 1 = floor(112.5) = 112")
    XCTAssertEqual(conv1.parameterFormula, "64*7*7*3 + 64 = 9,472")

    let inception = try SummaryWalk(ApplicationGraphs.inceptionV3())
    let mixed0 = try XCTUnwrap(inception.rows.first { $0.name == "mixed0" })
    XCTAssertEqual(mixed0.inputs.count, 4)
    XCTAssertEqual(mixed0.shapeFormula, "64 + 64 + 96 + 32 = 256")
    // BatchNormalization(scale=False): beta and the two moving statistics, 3 per channel.
    let bn = try XCTUnwrap(inception.rows.first { $0.name == "batch_normalization" })
    XCTAssertEqual(bn.parameterFormula, "3*32 = 96")

    let mobilenet = try SummaryWalk(ApplicationGraphs.mobilenet())
    XCTAssertFalse(mobilenet.isGraph, "a chain prints as a Sequential table")
    let dw = try XCTUnwrap(mobilenet.rows.first { $0.name == "conv_dw_1" })
    XCTAssertEqual(dw.parameterFormula, "3*3*32 = 288")
    XCTAssertEqual(dw.shapeFormula, "(112 + 2*1 - 3)/1 + 1 = 112")

    let xception = try SummaryWalk(ApplicationGraphs.xception())
    let sep = try XCTUnwrap(xception.rows.first { $0.name == "block2_sepconv1" })
    XCTAssertEqual(sep.parameterFormula, "3*3*64 + 64*128 = 8,768")
  }

  /// Over every row of every model convplay names: the number a formula ends with is the
  /// row's count, and a window formula ends with the output's rows (columns when they differ).
  func testFormulasAgreeWithTheCounts() throws {
    var walks: [SummaryWalk] = try ModelZoo.all.map { try SummaryWalk($0.spec) }
    walks += try KerasApplications.all.map { try SummaryWalk($0.spec, inputLayer: $0.inputLayerName) }
    walks += try ApplicationGraphs.all.map { try SummaryWalk($0.make()) }
    var checked = 0
    for walk in walks {
      for r in walk.rows {
        let count = r.parameterFormula.components(separatedBy: " = ").last ?? ""
        XCTAssertEqual(count, NumberText.grouped(r.parameters.total), "\(walk.name) \(r.name): \(r.parameterFormula)")
        if let g = r.window {
          XCTAssertEqual([g.outputRows, g.outputCols], Array(r.outputShape.prefix(2)), "\(walk.name) \(r.name)")
          let last = r.shapeFormula?.components(separatedBy: " = ").last
          XCTAssertEqual(last, String(g.outputCols), "\(walk.name) \(r.name)")
        }
        checked += 1
      }
    }
    XCTAssertGreaterThan(checked, 750)
  }
}

extension String {
  fileprivate func components(separatedBy separator: String) -> [String] {
    var parts: [String] = []
    var rest = Substring(self)
    while let r = rest.firstRange(of: separator) {
      parts.append(String(rest[..<r.lowerBound]))
      rest = rest[r.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }
}
