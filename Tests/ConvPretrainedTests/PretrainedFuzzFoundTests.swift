import ConvPretrained
import Foundation
import XCTest

/// Inputs the fuzzer (scripts/fuzz) found crashing ConvPretrained's readers, kept as found in
/// Fixtures/fuzz: each must now be refused in one line. (libFuzzer failed them on the
/// allocation itself; `CONVPLAY_FUZZ_TARGET=npz .build/fuzzpm/release/convplay-fuzz FILE`
/// replays them under its malloc limit.)
final class PretrainedFuzzFoundTests: XCTestCase {
  static func fixture(_ name: String) -> URL {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures/fuzz").appendingPathComponent(name)
  }

  /// npz: a 565-byte zip whose directory claims an f.npy of 3,037,346,458 bytes (977,672,953
  /// compressed). ZipArchive.data reserved the claimed size before reading (a 3 GB malloc).
  func testNPZWhoseDirectoryClaimsGigabytes() {
    XCTAssertThrowsError(try NPZ.read(Self.fixture("npz-lying-sizes.npz"))) { error in
      let text = String(describing: error)
      XCTAssertTrue(text.hasPrefix("npz-lying-sizes.npz: "), text)
      XCTAssertFalse(text.contains("\n"), text)
    }
  }
}
