import ConvData
import ConvPretrained
import Foundation
import XCTest

/// `convplay import` of a Keras legacy HDF5 file of a network with branches (a mini ResNet
/// with an Add shortcut, written as a convplay graph spec), then `classify` with the model file
/// it writes: the probabilities are Keras's `model.predict` (make_graph_import_fixtures.py).
final class GraphImportCommandTests: XCTestCase {
  static let fixtures = CommandRunner.packageRoot.appendingPathComponent("Tests/ConvPretrainedTests/Fixtures")
  static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

  var dir: URL!
  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-graph-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

  func testLegacyH5OfAResidualNetworkImportsAndClassifiesAsKeras() throws {
    let model = dir.appendingPathComponent("residual.safetensors").path
    let imported = try CommandRunner.run([
      "import", Self.fixture("graph_import/residual.weights.h5"), "--arch", Self.fixture("graph_import/residual.txt"),
      "--input", "16x16x3", "-o", model,
    ])
    XCTAssertEqual(imported.status, 0, imported.stderr)
    XCTAssertTrue(imported.stdout.contains("imported 19 tensors, 1,525 weights (keras layout, 12 layers)"), imported.stdout)

    // The file states its graph: classify needs no --arch.
    let probabilities = dir.appendingPathComponent("p.npy").path
    let r = try CommandRunner.run(["classify", Self.fixture("photo.npy"), "--weights", model, "--top", "1", "--output", probabilities])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.hasPrefix("1. class 3  0.5523"), r.stdout)
    let keras = try XCTUnwrap(
      try NPZ.read(Self.fixtures.appendingPathComponent("graph_import/cases.npz")).first { $0.name == "residual_probabilities" })
    // A float32 .npy of shape (1, 5): its header says so, the last 20 bytes are the values.
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: probabilities)))
    XCTAssertTrue(String(decoding: bytes.prefix(128), as: UTF8.self).contains("'shape': (1, 5)"))
    let ours = stride(from: bytes.count - 20, to: bytes.count, by: 4).map { i in
      Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
    }
    XCTAssertEqual(keras.values.count, 5)
    for (a, b) in zip(ours, keras.values) { XCTAssertEqual(a, b, accuracy: 1e-4) }

    // The summary of the imported file shows the Add and what feeds it.
    let s = try CommandRunner.run(["summary", model])
    XCTAssertEqual(s.status, 0, s.stderr)
    XCTAssertTrue(s.stdout.contains("add (Add)"), s.stdout)
    XCTAssertTrue(s.stdout.contains("stem_relu[0][0]") && s.stdout.contains("c2_bn[0][0]"), s.stdout)
  }

  func testPyTorchLayoutOnABranchedNetworkIsOneLine() throws {
    let r = try CommandRunner.run([
      "import", Self.fixture("graph_import/residual.weights.h5"), "--arch", Self.fixture("graph_import/residual.txt"),
      "--input", "16x16x3", "--from", "pytorch", "-o", dir.appendingPathComponent("x.safetensors").path,
    ])
    XCTAssertNotEqual(r.status, 0)
    XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    XCTAssertTrue(r.stderr.hasPrefix("convplay: "), r.stderr)
  }

  func testWrongArchitectureForTheFileNamesTheLayer() throws {
    let r = try CommandRunner.run([
      "import", Self.fixture("graph_import/residual.weights.h5"), "--arch", "resnet50",
      "-o", dir.appendingPathComponent("x.safetensors").path,
    ])
    XCTAssertNotEqual(r.status, 0)
    XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.safetensors").path))
  }
}
