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

  /// hdf5: a 16 KB file whose dataset claims storage that made libhdf5's H5Dread calloc 4 GB
  /// (found by scripts/fuzz's hdf5 target). The shim now compares the element size and the
  /// chunk size with the dataset's values before H5Dread, and refuses in one line.
  func testHDF5WhoseStorageClaimsGigabytes() throws {
    let file = try HDF5File(Self.fixture("hdf5-huge-chunk.h5"), maxElements: 1 << 20)
    var refusals: [String] = []
    var visited = 0
    func walk(_ group: String, depth: Int) {
      guard depth < 6, let names = try? file.children(of: group) else { return }
      for name in names.prefix(64) {
        visited += 1
        if visited > 2000 { return }
        let path = group == "/" ? "/" + name : group + "/" + name
        var datasets = file.isDataset(path) ? [path] : []
        if file.isGroup(path) {
          datasets += ((try? file.stringAttribute("weight_names", of: path)) ?? []).map { path + "/" + $0 }
          walk(path, depth: depth + 1)
        }
        for d in datasets {
          do { _ = try file.floats(d) } catch { refusals.append(String(describing: error)) }
        }
      }
    }
    walk("/", depth: 0)
    XCTAssertTrue(
      refusals.contains { $0.contains("chunks are larger than the dataset") || $0.contains("a float of") },
      refusals.joined(separator: " | "))
    for r in refusals { XCTAssertFalse(r.contains("\n"), r) }
  }

  /// pytorch: a 2,443-byte .pth whose end record lists no entries while its zip64 end record
  /// (which ZIPFoundation reads whenever a zip64 locator is there) puts the directory at byte
  /// 0xfffc000000000738: ZIPFoundation's seek trapped. ZipDirectoryCheck now checks both views.
  func testPTHWhoseZip64DirectoryLiesOutsideTheFile() {
    XCTAssertThrowsError(try ZipArchive(Self.fixture("pth-zip64-directory-offset.pth"))) { error in
      let text = String(describing: error)
      XCTAssertTrue(text.hasPrefix("pth-zip64-directory-offset.pth: "), text)
      XCTAssertTrue(text.contains("central directory offset"), text)
      XCTAssertFalse(text.contains("\n"), text)
    }
  }
}
