import ConvImageIO
import ConvPretrained
import XCTest

final class PreprocessingTests: XCTestCase {
  /// One RGB pixel (10, 20, 30), worked by hand.
  let pixel = Image(width: 1, height: 1, channels: 3, samples: [10, 20, 30])

  func testCaffeIsBGRMinusTheImageNetMeans() throws {
    let x = try Preprocessing.caffe.apply(pixel, channels: 3)
    XCTAssertEqual(x[0], 30 - 103.939, accuracy: 1e-4)  // B
    XCTAssertEqual(x[1], 20 - 116.779, accuracy: 1e-4)  // G
    XCTAssertEqual(x[2], 10 - 123.68, accuracy: 1e-4)   // R
  }

  /// Keras's VGG ('caffe') is fed as load_img feeds it, nearest neighbour; the others bilinear.
  func testCaffeResizesLikeLoadImg() {
    let image = Image(width: 4, height: 1, channels: 1, samples: [0, 10, 20, 30])
    XCTAssertEqual(Preprocessing.caffe.resized(image, height: 1, width: 2).samples, [10, 30])
    XCTAssertEqual(Preprocessing.torch.resized(image, height: 1, width: 2).samples, [5, 25])
  }

  func testTorchTfUnitRaw() throws {
    let t = try Preprocessing.torch.apply(pixel, channels: 3)
    XCTAssertEqual(t[0], (10 / 255 - 0.485) / 0.229, accuracy: 1e-5)
    XCTAssertEqual(t[2], (30 / 255 - 0.406) / 0.225, accuracy: 1e-5)
    let tf: [Float] = [10 / 127.5 - 1, 20 / 127.5 - 1, 30 / 127.5 - 1]
    XCTAssertEqual(try Preprocessing.tf.apply(pixel, channels: 3), tf)
    let unit: [Float] = [10 / 255, 20 / 255, 30 / 255]
    XCTAssertEqual(try Preprocessing.unit.apply(pixel, channels: 3), unit)
    XCTAssertEqual(try Preprocessing.raw.apply(pixel, channels: 3), [10, 20, 30])
  }

  func testChannelsLastAndGrayRepeated() throws {
    // Two pixels, planar R = (1, 2), G = (3, 4), B = (5, 6) -> NHWC (1, 3, 5, 2, 4, 6).
    let two = Image(width: 2, height: 1, channels: 3, samples: [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(try Preprocessing.raw.apply(two, channels: 3), [1, 3, 5, 2, 4, 6])
    let gray = Image(width: 1, height: 1, channels: 1, samples: [50])
    XCTAssertEqual(try Preprocessing.raw.apply(gray, channels: 3), [50, 50, 50])
  }

  func testImageNetClassesAreTheCoursesNames() {
    let all = ImageNetClasses.all
    XCTAssertEqual(all.count, 1000)
    XCTAssertEqual(all[292].id, "n02129604")
    XCTAssertEqual(all[292].name, "tiger")
    XCTAssertEqual(all[282].name, "tiger_cat")
    XCTAssertEqual(all[290].name, "jaguar")
    XCTAssertEqual(all[287].name, "lynx")
    XCTAssertEqual(all[288].name, "leopard")
    XCTAssertEqual(all.first?.name, "tench")
    XCTAssertEqual(all.last?.name, "toilet_tissue")
    XCTAssertEqual(all.map(\.id), all.map(\.id).sorted())
  }
}
