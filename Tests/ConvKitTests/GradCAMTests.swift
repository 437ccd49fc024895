import Foundation
import XCTest

import ConvKit

/// Grad-CAM maps equal PyTorch autograd's on the same small networks, weights and images
/// (Fixtures/make_gradcam_fixture.py) to 1e-4.
final class GradCAMTests: XCTestCase {
  struct Case: Decodable {
    var name: String
    var input_shape: [Int]
    var image: [Float]
    var `class`: Int?
    var expected_class: Int
    var layer: String
    var probability: Float
    var weights: [[Float]]
    var cam_shape: [Int]
    var cam: [Float]
  }
  struct Fixture: Decodable { var cases: [Case] }

  func network(for c: Case) throws -> Network {
    var g = GraphBuilder(name: c.name)
    var x = g.input(c.input_shape)
    if c.name.hasPrefix("conv_pool") {
      x = g.add(Conv2D(filters: 4, kernelSize: Size2(3), activation: .relu), x)
      x = g.add(MaxPooling2D(poolSize: Size2(2)), x)
      x = g.add(Conv2D(filters: 6, kernelSize: Size2(3)), x)
      x = g.add(BatchNormalization(), x)
      x = g.add(ReLU(), x)
      x = g.add(GlobalAveragePooling2D(), x)
      g.add(Dense(units: 3, activation: .softmax), x)
    } else {
      x = g.add(Conv2D(filters: 4, kernelSize: Size2(3), activation: .relu), x)
      x = g.add(Conv2D(filters: 5, kernelSize: Size2(3), activation: .relu), x)
      x = g.add(Flatten(), x)
      g.add(Dense(units: 3, activation: .softmax), x)
    }
    return try Network(graph: g.spec, weights: c.weights)
  }

  func testMapsEqualPyTorchAutograd() throws {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/gradcam_cases", withExtension: "json"))
    let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    XCTAssertEqual(fixture.cases.count, 3)
    for c in fixture.cases {
      let net = try network(for: c)
      let map = try net.gradCAM(image: c.image, classIndex: c.class)
      XCTAssertEqual(map.layer, c.layer, c.name)
      XCTAssertEqual(map.classIndex, c.expected_class, c.name)
      XCTAssertEqual(map.probability, c.probability, accuracy: 1e-5, c.name)
      XCTAssertEqual([map.height, map.width], c.cam_shape, c.name)
      XCTAssertEqual(map.values.count, c.cam.count)
      for (i, (got, want)) in zip(map.values, c.cam).enumerated() {
        XCTAssertEqual(got, want, accuracy: 1e-4, "\(c.name) cell \(i)")
      }
    }
  }

  func testTheNetworkIsLeftAsItWas() throws {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/gradcam_cases", withExtension: "json"))
    let c = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cases[2]
    let net = try network(for: c)
    let before = net.namedParameters.map(\.parameter.value)
    let x = Tensor(shape: [1] + c.input_shape, scalars: c.image)
    let p0 = net.forward(x).scalars
    _ = try net.gradCAM(image: c.image)
    XCTAssertEqual(net.namedParameters.map(\.parameter.value), before)
    XCTAssertEqual(net.forward(x).scalars, p0)
    XCTAssertThrowsError(try net.gradCAM(image: c.image, classIndex: 3))
    XCTAssertThrowsError(try net.gradCAM(image: [1, 2, 3]))
  }
}
