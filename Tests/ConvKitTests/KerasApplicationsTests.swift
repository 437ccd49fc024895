import ConvKit
import XCTest

/// keras.applications' published counts (VGG16().summary(), VGG19().summary()).
final class KerasApplicationsTests: XCTestCase {
  func testVGG16MatchesKeras() throws {
    let app = try XCTUnwrap(KerasApplications.named("vgg16"))
    let rows = try app.spec.rows()
    let conv512 = 3 * 3 * 512 * 512 + 512  // 2,359,808
    XCTAssertEqual(
      rows.map(\.parameters.total),
      [1792, 36928, 0, 73856, 147_584, 0, 295_168, 590_080, 590_080, 0, 1_180_160, conv512, conv512, 0,
       conv512, conv512, conv512, 0, 0, 102_764_544, 16_781_312, 4_097_000])
    XCTAssertEqual(rows[17].outputShape, [7, 7, 512])
    XCTAssertEqual(rows[18].outputShape, [25088])
    XCTAssertEqual(try app.spec.parameterCount(), ParameterCount(total: 138_357_544, trainable: 138_357_544))
    let text = try SummaryText.render(app.spec, name: "vgg16", inputLayer: app.inputLayerName)
    XCTAssertTrue(text.hasPrefix("Model: \"vgg16\"\n" + String(repeating: "_", count: 65)
      + "\nLayer (type)                 Output Shape              Param #   \n" + String(repeating: "=", count: 65)
      + "\ninput_1 (InputLayer)         [(None, 224, 224, 3)]     0         \n"), text)
    XCTAssertTrue(text.contains("\nblock5_pool (MaxPooling2D)   (None, 7, 7, 512)         0         \n"))
    XCTAssertTrue(text.contains("\nfc1 (Dense)                  (None, 4096)              102764544 \n"))
    XCTAssertTrue(text.contains("\nTotal params: 138,357,544\nTrainable params: 138,357,544\nNon-trainable params: 0\n"))
  }

  func testVGG19MatchesKeras() throws {
    let app = try XCTUnwrap(KerasApplications.named("vgg19"))
    XCTAssertEqual(try app.spec.parameterCount().total, 143_667_240)
    XCTAssertEqual(app.spec.layers.filter { $0.kerasClass == "Conv2D" }.count, 16)
    XCTAssertEqual(app.spec.layers.map(\.name).filter { $0.hasPrefix("block4") }, ["block4_conv1", "block4_conv2", "block4_conv3", "block4_conv4", "block4_pool"])
  }
}
