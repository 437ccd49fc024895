import ConvData
import Foundation
import XCTest

/// Without a network (a host that never resolves: `.invalid` is reserved for that), `data fetch`
/// stops at the first try with one message saying where to copy files fetched elsewhere.
final class OfflineFetchTests: XCTestCase {
  func testUnresolvableHostFailsAtOnceWithWhereToPutTheFiles() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("offline-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let retries = Counter()
    let started = Date()
    XCTAssertThrowsError(try CIFAR10.fetch(
      to: dir, url: URL(string: "http://convplay-test.invalid/cifar-10-binary.tar.gz")!, timeout: 10,
      note: { _ in retries.add(1) })) { e in
      let text = "\(e)"
      XCTAssertTrue(text.hasPrefix("no network: cannot reach convplay-test.invalid"), text)
      XCTAssertTrue(text.contains("copy the six .bin files of its cifar-10-batches-bin folder into \(dir.path)"), text)
      XCTAssertFalse(text.contains("\n"), "one line")
    }
    XCTAssertEqual(retries.value, 0, "no retry without a network")
    XCTAssertLessThan(Date().timeIntervalSince(started), 10)

    var fetcher = DatasetFetcher(dataset: .mnist, baseURL: URL(string: "http://convplay-test.invalid/mnist/")!, destination: dir)
    fetcher.note = { _ in retries.add(1) }
    XCTAssertThrowsError(try fetcher.run()) { e in
      XCTAssertTrue("\(e)".hasPrefix("no network: cannot reach convplay-test.invalid"), "\(e)")
      XCTAssertTrue("\(e)".contains("copy them into \(dir.path)"), "\(e)")
    }
    XCTAssertEqual(retries.value, 0)
  }
}
