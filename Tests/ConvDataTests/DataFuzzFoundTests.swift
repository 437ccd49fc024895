import ConvData
import ConvKit
import Foundation
import XCTest

/// Inputs the fuzzer (scripts/fuzz) found crashing ConvData's readers, kept as they were found:
/// each must now be refused in one line.
final class DataFuzzFoundTests: XCTestCase {
  func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch { return String(describing: error) }
  }

  /// idx: three sizes of 2^26, 2^24, 2^25 multiplied past Int.max (a Swift trap).
  func testIDXSizesWhoseProductOverflows() {
    let input = Data([
      0x00, 0x00, 0x08, 0x03, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x2b, 0x27, 0x00, 0x00, 0x00, 0x08, 0x03, 0x03, 0x00, 0x01, 0x02, 0x02, 0xfb, 0xff,
      0xff, 0x07, 0x08, 0x25, 0x0d, 0x0a, 0x0b,
    ])
    let text = message { _ = try IDXArray(data: input, name: "x.idx") }
    XCTAssertTrue(text.hasPrefix("x.idx: the header's sizes"), text)
    XCTAssertFalse(text.contains("\n"))
  }

  /// modelfile: a model file whose architecture claims a Dense of 1e11 units made the network
  /// allocate 400 GB of weights (an allocation failure) before the tensors were compared.
  func testModelFileWhoseArchitectureNeedsMoreWeightsThanItHolds() throws {
    let graph = try ModelSpecParser.parseGraph("flatten -> dense(10, softmax)", inputShape: [4, 4, 1])
    let honest = try SafeTensors(data: try ModelFile.encode(try Network(graph: graph)))
    var metadata = honest.metadata
    let architecture = try XCTUnwrap(metadata[ModelFile.architectureKey])
    XCTAssertTrue(architecture.contains("\"units\":10"))
    metadata[ModelFile.architectureKey] = architecture.replacingOccurrences(of: "\"units\":10", with: "\"units\":100000000000")
    let lying = try SafeTensors(tensors: honest.tensors, metadata: metadata).encoded()
    let text = message { _ = try ModelFile.decode(lying, name: "m.safetensors") }
    XCTAssertTrue(text.contains("over the memory budget"), text)
    XCTAssertFalse(text.contains("\n"))
  }
}
