import ConvData
import ConvKit
import Foundation
import XCTest

/// One `--dataset` vocabulary for train, evaluate, finetune and the dashboard.
final class DataSourceTests: XCTestCase {
  func testNamesParse() throws {
    XCTAssertEqual(try DataSource(parsing: "mnist"), .mnist)
    XCTAssertEqual(try DataSource(parsing: "Fashion-MNIST"), .fashionMNIST)
    XCTAssertEqual(try DataSource(parsing: "cifar-10"), .cifar10)
    XCTAssertEqual(try DataSource(parsing: "folder:photos/x"), .folder("photos/x"))
    XCTAssertEqual(DataSource.folder("a").rawValue, "folder:a")
    XCTAssertThrowsError(try DataSource(parsing: "folder:")) { XCTAssertTrue("\($0)".contains("needs a folder"), "\($0)") }
    XCTAssertThrowsError(try DataSource(parsing: "imagenet")) { e in
      XCTAssertEqual("\(e)", "unknown data set 'imagenet': choose mnist, fashion-mnist, cifar10, folder:PATH")
    }
    XCTAssertEqual(DataSource.cifar10.imageShape(), [32, 32, 3])
    XCTAssertEqual(DataSource.folder("x").imageShape(folder: FolderSettings(height: 20, width: 30, gray: true)), [20, 30, 1])
    XCTAssertEqual(DataSource.cifar10.knownClassNames?[1], "automobile")
    XCTAssertNil(DataSource.folder("/nonexistent").classNamesBeforeLoading)
    XCTAssertThrowsError(try FolderSettings(size: "12x", color: "rgb")) { XCTAssertTrue("\($0)".contains("HxW"), "\($0)") }
    XCTAssertThrowsError(try FolderSettings(size: "12x12", color: "sepia"))
  }

  /// A CIFAR-10 set in the binary format (3 records per file) found through $CONVPLAY_DATA.
  func testLoadsCIFAR10ThroughTheEnvironment() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ds-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("cifar10"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for (i, f) in CIFAR10.files.enumerated() {
      var bytes: [UInt8] = []
      for r in 0..<3 {
        bytes.append(UInt8((i + r) % 10))
        bytes += [UInt8](repeating: UInt8(10 * r), count: 3072)
      }
      try Data(bytes).write(to: dir.appendingPathComponent("cifar10").appendingPathComponent(f))
    }
    let locator = DatasetLocator(environment: ["CONVPLAY_DATA": dir.path, "HOME": dir.path])
    XCTAssertNoThrow(try DataSource.cifar10.check(locator))
    let loaded = try DataSource.cifar10.load(locator, limit: 4)
    XCTAssertEqual(loaded.classNames, CIFAR10.classNames)
    XCTAssertEqual(loaded.splits.training.images.shape, [4, 32, 32, 3])
    XCTAssertEqual(loaded.splits.training.labels, [0, 1, 2, 1])
    XCTAssertEqual(loaded.splits.test.count, 3)
    XCTAssertEqual(loaded.splits.training.images.scalars[3072], 10 / 255, accuracy: 1e-7)
    let missing = DatasetLocator(environment: ["CONVPLAY_DATA": "/nonexistent", "HOME": "/nonexistent"])
    XCTAssertThrowsError(try DataSource.cifar10.check(missing)) {
      XCTAssertTrue("\($0)".contains("convplay data fetch cifar10"), "\($0)")
    }
  }
}
