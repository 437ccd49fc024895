import ConvKit
import XCTest

final class ModelSpecParserTests: XCTestCase {
  let mnist: FeatureShape = [28, 28, 1]

  func parse(_ text: String, input: FeatureShape = [28, 28, 1]) throws -> SequentialSpec {
    try ModelSpecParser.parse(text, inputShape: input)
  }

  func error(_ text: String, input: FeatureShape = [28, 28, 1]) -> String {
    do {
      _ = try parse(text, input: input)
      XCTFail("expected an error for \(text)")
      return ""
    } catch {
      return String(describing: error)
    }
  }

  func testCourseModelsParseToTheZooModels() throws {
    XCTAssertEqual(
      try parse("conv2d(64, 3, relu) -> flatten -> dense(10, softmax)"), ModelZoo.named("course1")!.spec)
    XCTAssertEqual(
      try parse("conv2d(64,3,relu)\nflatten\ndense(15, tanh)\ndense(10, softmax)"), ModelZoo.named("course2")!.spec)
    XCTAssertEqual(
      try parse("Conv2D(64, kernel_size=(3, 3), activation='relu') -> MaxPooling2D(pool_size=(2,2)) -> Flatten() -> Dense(15, activation=\"tanh\") -> Dense(10, activation='softmax')"),
      ModelZoo.named("course3")!.spec)
  }

  func testNamedAndPositionalArguments() throws {
    let spec = try parse("conv2d(32, kernel_size=3, strides=2, padding=same, activation=relu)")
    XCTAssertEqual(
      spec.layers[0].layer as? Conv2D,
      Conv2D(filters: 32, kernelSize: Size2(3, 3), strides: Size2(2, 2), padding: .same, dilation: Size2(1), activation: .relu, useBias: true))
    XCTAssertEqual(try spec.outputShape(), [14, 14, 32])

    let rect = try parse("conv2d(8, 3x5, (2, 1), valid, use_bias=false)")
    XCTAssertEqual(
      rect.layers[0].layer as? Conv2D,
      Conv2D(filters: 8, kernelSize: Size2(3, 5), strides: Size2(2, 1), padding: .valid, dilation: Size2(1), activation: .linear, useBias: false))
    // (28 - 3)/2 + 1 = 13 rows (floored), (28 - 5)/1 + 1 = 24 columns; 3*5*1*8 weights, no bias.
    XCTAssertEqual(try rect.outputShape(), [13, 24, 8])
    XCTAssertEqual(try rect.parameterCount().total, 120)

    let dil = try parse("conv2d(4, 3, dilation_rate=2)")
    XCTAssertEqual(try dil.outputShape(), [24, 24, 4])  // 28 - (2*(3-1)+1) + 1
    let explicit = try parse("conv2d(4, [3, 3], padding=1)")
    XCTAssertEqual(try explicit.outputShape(), [28, 28, 4])
  }

  func testEveryLayerWord() throws {
    let spec = try parse(
      """
      # a file: one layer per line, comments allowed
      input(32, 32, 3)
      conv2d(16, 3, padding=same) -> batchnorm -> activation(relu)
      maxpool(2)
      avgpool(2, strides=1)
      conv2d(8, 1, name=squeeze, trainable=false)
      globalavgpool
      dropout(0.5)
      dense(10)    # logits
      softmax
      """, input: [1, 1, 1])
    XCTAssertEqual(spec.inputShape, [32, 32, 3])
    XCTAssertEqual(
      spec.layers.map(\.kerasClass),
      ["Conv2D", "BatchNormalization", "Activation", "MaxPooling2D", "AveragePooling2D", "Conv2D",
       "GlobalAveragePooling2D", "Dropout", "Dense", "Activation"])
    XCTAssertEqual(spec.layers[5].name, "squeeze")
    XCTAssertFalse(spec.layers[5].trainable)
    XCTAssertEqual(spec.layers[1].name, "batch_normalization")
    XCTAssertEqual(spec.layers[9].layer as? ActivationLayer, ActivationLayer(.softmax))
    let rows = try spec.rows()
    XCTAssertEqual(rows.map(\.outputShape), [[32, 32, 16], [32, 32, 16], [32, 32, 16], [16, 16, 16], [15, 15, 16], [15, 15, 8], [8], [8], [10], [10]])
  }

  func testArrowsAtLineEdgesAndInputShapeArgument() throws {
    let spec = try parse("conv2d(4, 3, input_shape=(10, 10, 2)) ->\n  flatten\n  -> dense(3)")
    XCTAssertEqual(spec.inputShape, [10, 10, 2])
    XCTAssertEqual(try spec.parameterCount().total, 3 * 3 * 2 * 4 + 4 + 8 * 8 * 4 * 3 + 3)
  }

  func testErrorsPointAtLayerAndColumn() {
    XCTAssertEqual(
      error("conv2d(32, kernal_size=3) -> flatten"),
      "layer 1, column 12: unknown argument 'kernal_size' (did you mean kernel_size?) for conv2d; it takes filters, kernel_size, strides, padding, dilation_rate, activation, use_bias")
    XCTAssertEqual(
      error("conv2d(32,3) -> flaten -> dense(10)"),
      "layer 2, column 17: unknown layer 'flaten' (did you mean flatten?); layers: conv2d, depthwiseconv2d, separableconv2d, conv2dtranspose, dense, maxpool, avgpool, globalavgpool, globalmaxpool, batchnorm, zeropadding2d, activation, ReLU, leakyrelu, dropout, flatten, reshape, add, concatenate")
    XCTAssertEqual(error("dense(10, activation=rellu)"),
      "layer 1, column 22: unknown activation 'rellu' (did you mean relu?); use relu, tanh, sigmoid, softmax or linear")
    XCTAssertEqual(error("conv2d(32, 3"), "layer 1, column 7: '(' is never closed")
    XCTAssertEqual(error("flatten -> -> dense(3)"), "layer 2, column 12: nothing before '->': expected a layer such as dense(10)")
    XCTAssertEqual(error("flatten -> dense(3) ->"), "layer 3, column 23: nothing after '->': expected a layer")
    XCTAssertEqual(error("dropout(1.5)"), "layer 1, column 9: rate must be at least 0 and below 1 (got 1.5)")
    XCTAssertEqual(error("dense(0)"), "layer 1, column 7: units must be a whole number of at least 1 (got '0')")
    XCTAssertEqual(error("conv2d(3, 3, 2, dilation_rate=2)"), "layer 1, column 31: Keras does not allow strides > 1 together with dilation_rate > 1")
    XCTAssertEqual(error("conv2d(3)"), "layer 1, column 1: conv2d needs kernel_size, for example conv2d(3, 3) or kernel_size=(3, 3)")
    XCTAssertEqual(error("dense(10, 20)"), "layer 1, column 11: unexpected argument '20': dense takes at most 1 positional (units)")
    XCTAssertEqual(error("dense(10, units=3)"), "layer 1, column 11: units is given twice")
    XCTAssertEqual(error("dense(10) dense(3)"), "layer 1, column 11: unexpected 'dense(3)' after 'dense(...)': separate layers with '->' or a new line")
    XCTAssertEqual(error(""), "column 1: the model is empty: write layers such as conv2d(64, 3, relu) -> flatten -> dense(10, softmax)")
    XCTAssertEqual(error("maxpool(2, padding=1)"), "layer 1, column 20: padding for pooling must be valid or same (got '1')")
    XCTAssertEqual(error("dense(2, name=a) -> dense(2, name=a)"), "layer 2, column 21: the name 'a' is already used by layer 1: names must be unique")
    // Shape errors found by SequentialSpec.rows() point at the layer that does not fit.
    XCTAssertEqual(
      error("conv2d(4, 3) -> flatten -> conv2d(2, 3)"),
      "layer 3, column 28: Conv2D needs an image input (height, width, channels), got (2704,)")
    XCTAssertTrue(error("conv2d(4, 5) -> maxpool(2) -> conv2d(2, 7)", input: [10, 10, 1]).hasPrefix("layer 3, column 31: "))
    // Multi-line text also names the line.
    XCTAssertEqual(error("conv2d(4, 3)\nflatten\ndense(3, activation=tanhh)"),
      "layer 3, line 3, column 21: unknown activation 'tanhh' (did you mean tanh?); use relu, tanh, sigmoid, softmax or linear")
  }

  func testShapeTextParse() {
    XCTAssertEqual(ShapeText.parse("28x28x1"), [28, 28, 1])
    XCTAssertEqual(ShapeText.parse(" 26, 26, 64 "), [26, 26, 64])
    XCTAssertEqual(ShapeText.parse("(None, 26, 26, 64)"), [26, 26, 64])
    XCTAssertEqual(ShapeText.parse("(43264,)"), [43264])
    XCTAssertEqual(ShapeText.parse("[3, 3]"), [3, 3])
    XCTAssertNil(ShapeText.parse(""))
    XCTAssertNil(ShapeText.parse("26x"))
    XCTAssertNil(ShapeText.parse("26 x 0"))
    XCTAssertNil(ShapeText.parse("a, b"))
    XCTAssertNil(ShapeText.parse("(26, 26"))
    XCTAssertNil(ShapeText.parse("-3"))
  }
}
