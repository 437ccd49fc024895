import ConvKit
import XCTest

/// keras.applications' published counts (Total / Trainable / Non-trainable params of
/// ResNet50(), MobileNet(), Xception(), InceptionV3() with include_top=True) and shapes.
final class ApplicationGraphsTests: XCTestCase {
  func graph(_ name: String) throws -> GraphSpec { try XCTUnwrap(ApplicationGraphs.named(name)).make() }

  func shape(_ g: GraphSpec, _ layer: String) throws -> FeatureShape {
    try XCTUnwrap(try g.rows().first { $0.node.name == layer }).outputShape
  }

  func params(_ g: GraphSpec, _ layer: String) throws -> ParameterCount {
    try XCTUnwrap(try g.rows().first { $0.node.name == layer }).parameters
  }

  func testCountsEqualKerasApplications() throws {
    let expected: [(String, Int, Int)] = [
      ("resnet50", 25_636_712, 53_120),
      ("mobilenet", 4_253_864, 21_888),
      ("xception", 22_910_480, 54_528),
      ("inceptionv3", 23_851_784, 34_432),
    ]
    for (name, total, nonTrainable) in expected {
      let p = try graph(name).parameterCount()
      XCTAssertEqual(p.total, total, name)
      XCTAssertEqual(p.nonTrainable, nonTrainable, name)
      let text = try SummaryText.render(try graph(name))
      XCTAssertTrue(text.contains("\nTotal params: \(NumberText.grouped(total))\nTrainable params: \(NumberText.grouped(total - nonTrainable))\nNon-trainable params: \(NumberText.grouped(nonTrainable))\n"), name)
    }
  }

  func testShapesAlongTheWay() throws {
    let r = try graph("resnet50")
    XCTAssertEqual(try shape(r, "conv1_pad"), [230, 230, 3])
    XCTAssertEqual(try shape(r, "conv1_conv"), [112, 112, 64])  // (230 - 7)/2 + 1 = 112
    XCTAssertEqual(try shape(r, "pool1_pool"), [56, 56, 64])  // (114 - 3)/2 + 1 = 56
    XCTAssertEqual(try shape(r, "conv3_block1_out"), [28, 28, 512])
    XCTAssertEqual(try shape(r, "conv5_block3_out"), [7, 7, 2048])
    XCTAssertEqual(try params(r, "conv1_conv").total, 7 * 7 * 3 * 64 + 64)
    XCTAssertEqual(try params(r, "predictions").total, 2048 * 1000 + 1000)

    let m = try graph("mobilenet")
    XCTAssertEqual(try shape(m, "conv_pad_2"), [113, 113, 64])  // bottom/right by one
    XCTAssertEqual(try shape(m, "conv_dw_2"), [56, 56, 64])  // (113 - 3)/2 + 1
    XCTAssertEqual(try shape(m, "conv_pw_13_relu"), [7, 7, 1024])
    XCTAssertEqual(try params(m, "conv_dw_1").total, 3 * 3 * 32)  // one 3x3 kernel per channel, no bias
    XCTAssertEqual(try params(m, "conv_preds").total, 1024 * 1000 + 1000)

    let x = try graph("xception")
    XCTAssertEqual(try shape(x, "block1_conv1"), [149, 149, 32])  // (299 - 3)/2 + 1
    XCTAssertEqual(try shape(x, "block1_conv2"), [147, 147, 64])
    XCTAssertEqual(try shape(x, "block2_pool"), [74, 74, 128])  // same: ceil(147/2)
    XCTAssertEqual(try shape(x, "block14_sepconv2_act"), [10, 10, 2048])
    // Separable: 3*3*64 depthwise + 64*128 pointwise, no bias.
    XCTAssertEqual(try params(x, "block2_sepconv1").total, 3 * 3 * 64 + 64 * 128)

    let i = try graph("inceptionv3")
    XCTAssertEqual(try shape(i, "mixed0"), [35, 35, 256])  // 64 + 64 + 96 + 32
    XCTAssertEqual(try shape(i, "mixed2"), [35, 35, 288])
    XCTAssertEqual(try shape(i, "mixed3"), [17, 17, 768])
    XCTAssertEqual(try shape(i, "mixed8"), [8, 8, 1280])
    XCTAssertEqual(try shape(i, "mixed10"), [8, 8, 2048])
    // BatchNormalization(scale=False): beta trains, the moving mean and variance do not.
    XCTAssertEqual(try params(i, "batch_normalization"), ParameterCount(total: 96, trainable: 32))
    XCTAssertEqual(try params(i, "conv2d").total, 3 * 3 * 3 * 32)
  }

  func testKerasLayerOrderAndLayout() throws {
    let r = try graph("resnet50")
    let order = r.kerasOrder.map(\.name)
    let names = ["conv2_block1_2_relu", "conv2_block1_0_conv", "conv2_block1_3_conv", "conv2_block1_0_bn", "conv2_block1_3_bn", "conv2_block1_add"]
    let positions = names.map { order.firstIndex(of: $0)! }
    XCTAssertEqual(positions, positions.sorted())
    XCTAssertEqual(positions.last! - positions.first!, names.count - 1)
    XCTAssertEqual(Set(order), Set(r.nodes.map(\.name)))
    XCTAssertFalse(r.isChain)
    XCTAssertTrue(try graph("mobilenet").isChain)

    let text = try SummaryText.render(r)
    XCTAssertTrue(text.contains(
      "\nconv2_block1_add (Add)          (None, 56, 56, 256)  0           conv2_block1_0_bn[0][0]          \n"
        + String(repeating: " ", count: 65) + "conv2_block1_3_bn[0][0]          \n"), text)
    XCTAssertTrue(text.contains("\nconv2_block1_0_bn (BatchNormali (None, 56, 56, 256)  1024        conv2_block1_0_conv[0][0]        \n"))
    XCTAssertTrue(text.split(separator: "\n").dropFirst().allSatisfy { $0.count == 98 || $0.hasPrefix("Total") || $0.hasPrefix("Trainable") || $0.hasPrefix("Non-trainable") })
    let mobile = try SummaryText.render(try graph("mobilenet"))
    XCTAssertTrue(mobile.contains("\nconv1_bn (BatchNormalization (None, 112, 112, 32)      128       \n"), mobile)
    XCTAssertTrue(mobile.contains("\ninput_1 (InputLayer)         [(None, 224, 224, 3)]     0         \n"))
  }

  func testGraphErrorsNameTheLayer() {
    var g = GraphBuilder(name: "bad")
    let a = g.input([8, 8, 3])
    let b = g.add(ApplicationGraphsTests.conv(4), a)
    g.add(Add(), a, b, name: "join")
    XCTAssertThrowsError(try g.spec.rows()) { e in
      XCTAssertEqual(String(describing: e), "join (Add): inputs of different shapes cannot be added: (8, 8, 3), (6, 6, 4)")
    }
    var c = GraphBuilder(name: "bad")
    let i = c.input([8, 8, 3])
    let p = c.add(ZeroPadding2D(top: 1, bottom: 1, left: 1, right: 1), i)
    c.add(Concatenate(), i, p, name: "cat")
    XCTAssertThrowsError(try c.spec.rows()) { e in
      XCTAssertEqual(String(describing: e), "cat (Concatenate): inputs must match in all but the channel axis: (8, 8, 3), (10, 10, 3)")
    }
    let dangling = GraphSpec(name: "x", nodes: [GraphNode(name: "d", layer: Add(), inputs: ["nowhere", "nowhere"])])
    XCTAssertThrowsError(try dangling.rows()) { e in
      XCTAssertEqual(String(describing: e), "d: input 'nowhere' is not defined before it")
    }
    var ok = GraphBuilder(name: "ok")
    let q = ok.input([8, 8, 3])
    let l = ok.add(ApplicationGraphsTests.conv(4), q)
    let r2 = ok.add(ApplicationGraphsTests.conv(5), q)
    ok.add(Concatenate(), l, r2)
    XCTAssertEqual(try ok.spec.rows().last?.outputShape, [6, 6, 9])
    XCTAssertEqual(ok.spec.nodes.map(\.name), ["input_1", "conv2d", "conv2d_1", "concatenate"])
  }

  static func conv(_ f: Int) -> Conv2D {
    (Conv2D(filters: f, kernelSize: Size2(3, 3), strides: Size2(1, 1), padding: .valid, dilation: Size2(1), activation: .relu, useBias: true))
  }
}
