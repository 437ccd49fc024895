import ConvKit
import XCTest

/// Shapes and parameter counts of the course's three MNIST models, as printed by Keras.
final class ModelSpecTests: XCTestCase {
  func rows(_ name: String) throws -> [SequentialSpec.Row] {
    try XCTUnwrap(ModelZoo.named(name)).spec.rows()
  }

  func testCourseModelOne() throws {
    let r = try rows("course1")
    XCTAssertEqual(r.map(\.outputShape), [[26, 26, 64], [43264], [10]])
    XCTAssertEqual(r.map(\.parameters.total), [640, 0, 432_650])
    XCTAssertEqual(try ModelZoo.named("course1")!.spec.parameterCount().total, 433_290)
    XCTAssertEqual(r.map(\.layer.name), ["conv2d", "flatten", "dense"])
  }

  func testCourseModelTwo() throws {
    let r = try rows("course2")
    XCTAssertEqual(r.map(\.parameters.total), [640, 0, 648_975, 160])
    XCTAssertEqual(try ModelZoo.named("course2")!.spec.parameterCount().total, 649_775)
    XCTAssertEqual(r.map(\.layer.name), ["conv2d", "flatten", "dense", "dense_1"])
  }

  func testCourseModelThreePoolingShrinksByThreeQuarters() throws {
    let r = try rows("course3")
    XCTAssertEqual(r[1].outputShape, [13, 13, 64])
    XCTAssertEqual(r[2].outputShape, [10816])
    XCTAssertEqual(r.map(\.parameters.total), [640, 0, 0, 162_255, 160])
    XCTAssertEqual(try ModelZoo.named("course3")!.spec.parameterCount().total, 163_055)
  }

  func testBatchNormHasTwoNonTrainablePerChannel() throws {
    let spec = SequentialSpec(inputShape: [8, 8, 3], layers: [
      LayerSpec(Conv2D(filters: 16, kernelSize: Size2(3, 3), strides: Size2(1, 1), padding: .same, dilation: Size2(1), activation: .linear, useBias: false)),
      LayerSpec(BatchNormalization(epsilon: 0.001, momentum: 0.99)),
    ])
    let p = try spec.parameterCount()
    XCTAssertEqual(p.total, 3 * 3 * 3 * 16 + 64)
    XCTAssertEqual(p.nonTrainable, 32)
  }

  func testFrozenLayersAreNonTrainable() throws {
    var layers = ModelZoo.named("course1")!.spec.layers
    layers[0].trainable = false
    let p = try SequentialSpec(inputShape: [28, 28, 1], layers: layers).parameterCount()
    XCTAssertEqual(p.total, 433_290)
    XCTAssertEqual(p.trainable, 432_650)
    XCTAssertEqual(p.nonTrainable, 640)
  }

  func testMismatchNamesTheLayer() {
    let spec = SequentialSpec(inputShape: [28, 28, 1], layers: [
      LayerSpec(Flatten()),
      LayerSpec(Conv2D(filters: 8, kernelSize: Size2(3, 3), strides: Size2(1, 1), padding: .valid, dilation: Size2(1), activation: .relu, useBias: true)),
    ])
    XCTAssertThrowsError(try spec.rows()) { e in
      XCTAssertTrue(String(describing: e).hasPrefix("layer 2: Conv2D needs an image input"), "\(e)")
    }
  }
}
