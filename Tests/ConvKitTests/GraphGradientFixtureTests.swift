import ConvKit
import Foundation
import XCTest

/// Small graphs with every layer convplay trains (residual Add with fan-out, Inception-style
/// Concatenate, depthwise and separable convolutions, ReLU(6), ZeroPadding2D, LeakyReLU,
/// dilation (2, 1), Conv2DTranspose, Reshape, Dense on a 2-D input, BatchNormalization with
/// and without scale, global pooling, every activation), against Keras 3 on PyTorch
/// (Fixtures/make_graph_gradients.py): the loss, every trainable weight's gradient (1e-4
/// relative to the tensor's largest gradient), and every weight after one Adam step.
final class GraphGradientFixtureTests: XCTestCase {
  struct Fixture: Decodable {
    struct Weight: Decodable {
      var name: String
      var shape: [Int]
      var values: [Float]
    }
    struct Case: Decodable {
      var name: String
      var spec: String
      var input_shape: [Int]
      var x: [Float]
      var labels: [Int]
      var loss: Double
      var weights: [String: [Weight]]
      var gradients: [String: [Float]]
      var after: [String: [Float]]
    }
    var cases: [Case]
  }

  func load() throws -> Fixture {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/graph_gradients", withExtension: "json"))
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  /// |a - b| <= tolerance * (largest |b| of the tensor), element by element.
  func assertClose(_ a: [Float], _ b: [Float], _ tolerance: Float, _ what: String) {
    XCTAssertEqual(a.count, b.count, what)
    // A gradient that is zero in exact arithmetic (a bias before BatchNormalization) is
    // compared with an absolute floor.
    let scale = max(b.map(abs).max() ?? 0, 1e-3)
    var worst: Float = 0
    for (x, y) in zip(a, b) { worst = max(worst, abs(x - y) / scale) }
    XCTAssertLessThanOrEqual(worst, tolerance, "\(what): worst relative difference \(worst)")
  }

  func testGradientsAndOneAdamStepMatchKerasOnPyTorch() throws {
    let fixture = try load()
    XCTAssertEqual(fixture.cases.count, 5)
    var classesSeen = Set<String>()
    for c in fixture.cases {
      let graph = try ModelSpecParser.parseGraph(c.spec, inputShape: c.input_shape, name: c.name)
      var weights: [[Float]] = []
      var kerasName: [String: String] = [:]
      for row in try graph.rows() where !row.node.isInput {
        classesSeen.insert(row.node.kerasClass)
        let specs = row.node.layer.weights(for: row.inputShapes)
        guard !specs.isEmpty else { continue }
        let given = try XCTUnwrap(c.weights[row.node.name], "\(c.name): no weights for \(row.node.name)")
        XCTAssertEqual(given.map(\.shape), specs.map(\.shape), "\(c.name)/\(row.node.name): Keras's order and shapes")
        weights += given.map(\.values)
        // Keras 3 calls DepthwiseConv2D's kernel `kernel`; Keras 2 (and convplay) `depthwise_kernel`.
        for (k, w) in given.enumerated() { kerasName[c.name + "/" + row.node.name + "/" + specs[k].name] = row.node.name + "/" + w.name }
      }
      let network = try Network(graph: graph, weights: weights)
      let x = Tensor(shape: [c.labels.count] + c.input_shape, scalars: c.x)
      let (loss, _) = network.computeGradients(images: x, labels: c.labels)
      XCTAssertEqual(loss, c.loss, accuracy: 1e-5 * max(1, abs(c.loss)), c.name)
      let named = Dictionary(
        uniqueKeysWithValues: network.namedParameters.map { (kerasName[c.name + "/" + $0.name] ?? $0.name, $0.parameter) })
      for (name, expected) in c.gradients {
        let p = try XCTUnwrap(named[name], "\(c.name): convplay has no weight \(name)")
        assertClose(p.gradient, expected, 1e-4, "\(c.name) gradient \(name)")
      }
      XCTAssertEqual(
        Set(c.gradients.keys), Set(network.trainableParameters.compactMap { p in named.first { $0.value === p }?.key }),
        "\(c.name): the same weights train")
      Adam(learningRate: 0.01).step(network.trainableParameters)
      for (name, expected) in c.after {
        assertClose(try XCTUnwrap(named[name]).value, expected, 1e-4, "\(c.name) after Adam \(name)")
      }
    }
    // Every layer type that has a forward and backward pass is in some graph.
    let trained = Set(LayerRegistry.all.map { $0.kerasClass }).subtracting(["InputLayer", "Dropout", "AveragePooling2D"])
    XCTAssertTrue(trained.subtracting(classesSeen).isEmpty, "not covered: \(trained.subtracting(classesSeen).sorted())")
    XCTAssertTrue(classesSeen.contains("AveragePooling2D"))
  }
}
