import ConvData
import ConvKit
import ConvPretrained
import Foundation
import XCTest

/// Blocks of the course's pretrained networks (a ResNet50 conv_block, MobileNet's and
/// Xception's depthwise-separable blocks, an InceptionV3 mixed block) saved by Keras 3 as
/// .keras files with random weights and moving statistics, loaded through `WeightsLoader` (the
/// path every --weights takes) and run in inference mode: Keras's model.predict to 1e-4.
/// Fixtures: Fixtures/blocks, made by make_block_fixtures.py.
final class BlockInferenceTests: XCTestCase {
  func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let cases = try NPZ.read(PretrainedImportTests.fixture("blocks/cases.npz"))
    let inputs = try XCTUnwrap(cases.first { $0.name == name + "_inputs" })
    let expected = try XCTUnwrap(cases.first { $0.name == name + "_outputs" })
    let loaded = try WeightsLoader.load(PretrainedImportTests.fixture("blocks/\(name).keras"), architecture: nil)
    XCTAssertEqual(loaded.format, .keras)
    let network = try InferenceNetwork(graph: loaded.graph, weights: loaded.weights)
    XCTAssertEqual([inputs.shape[0]] + network.outputShape, expected.shape, file: file, line: line)
    let got = network.forward(inputs.values, batch: inputs.shape[0])
    XCTAssertEqual(got.count, expected.values.count, file: file, line: line)
    let scale = max(1, expected.values.map(abs).max() ?? 1)
    let worst = zip(got, expected.values).map { abs($0 - $1) }.max() ?? .infinity
    XCTAssertLessThan(worst / scale, 1e-4, "\(name): largest difference \(worst) (outputs up to \(scale))", file: file, line: line)
  }

  func testResidualBlock() throws { try check("residual") }
  func testDepthwiseSeparableBlocks() throws { try check("separable") }
  func testInceptionBlock() throws { try check("inception") }
}
