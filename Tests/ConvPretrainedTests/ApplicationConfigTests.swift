import ConvData
import ConvKit
import ConvPretrained
import Foundation
import XCTest

/// The Keras configs of the five networks the course reuses (keras.applications, as
/// `model.to_json()` writes them: the JSON of a .keras file's config.json and of a full .h5's
/// model_config) read into convplay's graph, layer by layer against Keras's own summary.
/// Fixtures: Fixtures/applications, made by make_application_configs.py.
final class ApplicationConfigTests: XCTestCase {
  struct KerasSummary: Decodable {
    var layers: [JSONValue]
    var trainable: Int
    var non_trainable: Int
    var total: Int
  }

  static let summaries: [String: KerasSummary] = {
    let url = PretrainedImportTests.fixture("applications/summaries.json")
    return (try? JSONDecoder().decode([String: KerasSummary].self, from: Data(contentsOf: url))) ?? [:]
  }()

  func config(_ name: String) throws -> KerasModelConfig {
    let gz = try Data(contentsOf: PretrainedImportTests.fixture("applications/\(name).json.gz"))
    return try KerasModelConfig.parse(json: try Gzip.decompress(gz))
  }

  func check(_ name: String) throws {
    let keras = try XCTUnwrap(Self.summaries[name], "summaries.json has no \(name)")
    let graph = try config(name).graph()
    let rows = try graph.rows()
    XCTAssertEqual(rows.count, keras.layers.count, name)
    for (row, layer) in zip(rows, keras.layers) {
      let entry = try XCTUnwrap(layer.array)
      XCTAssertEqual(row.node.name, entry[0].string, name)
      XCTAssertEqual(row.outputShape, entry[1].array?.compactMap(\.int), "\(name) \(row.node.name)")
      XCTAssertEqual(row.parameters.total, entry[2].int, "\(name) \(row.node.name)")
    }
    let count = try graph.parameterCount()
    XCTAssertEqual(count.total, keras.total, name)
    XCTAssertEqual(count.trainable, keras.trainable, name)
    XCTAssertEqual(count.nonTrainable, keras.non_trainable, name)
    // The table prints Keras's totals.
    let table = try SummaryText.render(graph)
    XCTAssertTrue(table.contains(NumberText.grouped(keras.total)), name)
  }

  func testMobileNet() throws { try check("mobilenet") }
  func testResNet50() throws { try check("resnet50") }
  func testInceptionV3() throws { try check("inceptionv3") }
  func testXception() throws { try check("xception") }
  func testVGG16() throws { try check("vgg16") }

  /// Keras's totals, as Keras printed them here (make_application_configs.py): a second,
  /// readable guard on summaries.json itself.
  func testTotalsAreKerassOwn() {
    XCTAssertEqual(Self.summaries["mobilenet"]?.total, 4_253_864)
    XCTAssertEqual(Self.summaries["resnet50"]?.total, 25_636_712)
    XCTAssertEqual(Self.summaries["inceptionv3"]?.total, 23_851_784)
    XCTAssertEqual(Self.summaries["xception"]?.total, 22_910_480)
    XCTAssertEqual(Self.summaries["vgg16"]?.total, 138_357_544)
  }

  func testKeepdimsKeepsTheSpatialAxes() throws {
    let gap = try LayerRegistry.fromKeras(className: "GlobalAveragePooling2D", config: ["keepdims": .bool(true)])
    XCTAssertEqual(try gap.outputShape(for: [[7, 7, 1024]]), [1, 1, 1024])
    let plain = try LayerRegistry.fromKeras(className: "GlobalMaxPooling2D", config: ["keepdims": .bool(false)])
    XCTAssertEqual(try plain.outputShape(for: [[7, 7, 1024]]), [1024])
    // Same values either way: the runtime only changes the shape.
    let x = Tensor(shape: [2, 2, 2, 3], scalars: (0..<24).map(Float.init))
    for keep in [false, true] {
      let graph = try ModelSpecParser.parseGraph("globalavgpool(keepdims=\(keep ? "True" : "False"))", inputShape: [2, 2, 3])
      let net = try InferenceNetwork(graph: graph, weights: [])
      XCTAssertEqual(net.outputShape, keep ? [1, 1, 3] : [3])
      XCTAssertEqual(net.forward(x.scalars, batch: 2), [4.5, 5.5, 6.5, 16.5, 17.5, 18.5])
    }
  }

  func testChannelsFirstAndGroupsAreOneLine() {
    XCTAssertThrowsError(try LayerRegistry.fromKeras(className: "Conv2D", config: [
      "filters": .int(4), "kernel_size": .ints([3, 3]), "data_format": .string("channels_first"),
    ])) { XCTAssertTrue("\($0)".contains("channels_first"), "\($0)") }
    XCTAssertThrowsError(try LayerRegistry.fromKeras(className: "Conv2D", config: [
      "filters": .int(4), "kernel_size": .ints([3, 3]), "groups": .int(2),
    ])) { XCTAssertTrue("\($0)".contains("groups=2"), "\($0)") }
  }
}
