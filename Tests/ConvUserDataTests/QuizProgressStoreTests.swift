import ConvCourse
import ConvKit
import ConvUserData
import Foundation
import XCTest

final class QuizProgressStoreTests: XCTestCase {
  var dir: URL!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-progress-\(UUID().uuidString)")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: dir)
  }

  func testSaveAndLoadRoundTrip() throws {
    let store = QuizProgressStore(directory: dir)
    XCTAssertEqual(store.load().progress, QuizProgress())  // nothing saved yet: empty, no notice
    XCTAssertNil(store.load().notice)
    var p = QuizProgress()
    p.record(.shapes, correct: true)
    p.record(.params, correct: false)
    p.record(.params, correct: true)
    try store.save(p)
    let (loaded, notice) = store.load()
    XCTAssertNil(notice)
    XCTAssertEqual(loaded, p)
    XCTAssertEqual(loaded.stats(.params), QuizProgress.Stats(asked: 2, correct: 1))
    // No temporary file is left beside it.
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["quiz-progress.json"])
  }

  func testCorruptFileIsSetAsideNotFatal() throws {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let store = QuizProgressStore(directory: dir)
    for (i, bad) in ["{not json", "{\"version\": 1, \"topics\": {\"shapes\": {\"asked\": 1, \"correct\": 5}}}", ""].enumerated() {
      try Data(bad.utf8).write(to: store.file)
      let (p, notice) = store.load()
      XCTAssertEqual(p, QuizProgress())
      XCTAssertTrue(notice?.contains("quiz-progress.json.corrupt-\(i + 1)") == true, notice ?? "no notice")
      XCTAssertFalse(FileManager.default.fileExists(atPath: store.file.path))
      XCTAssertEqual(FileManager.default.contents(atPath: store.file.path + ".corrupt-\(i + 1)"), Data(bad.utf8))
    }
  }

  func testDirectoryFromEnvironment() {
    XCTAssertEqual(UserDataDirectory.url(environment: ["CONVPLAY_HOME": "/tmp/x", "XDG_DATA_HOME": "/d", "HOME": "/h"]).path, "/tmp/x")
    XCTAssertEqual(UserDataDirectory.url(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]).path, "/d/convplay")
    XCTAssertEqual(UserDataDirectory.url(environment: ["XDG_DATA_HOME": "relative", "HOME": "/h"]).path, "/h/.local/share/convplay")
    XCTAssertEqual(UserDataDirectory.url(environment: ["HOME": "/h"]).path, "/h/.local/share/convplay")
  }

  func testWeakestTopic() {
    var p = QuizProgress()
    XCTAssertEqual(p.weakestTopic, .shapes)  // nothing tried: the course's first topic
    for _ in 0..<3 { p.record(.shapes, correct: true) }
    p.record(.params, correct: true)
    XCTAssertEqual(p.weakestTopic, .pooling)  // untried (1/2) comes before answered well
    p.record(.models, correct: false)
    p.record(.models, correct: false)
    XCTAssertEqual(p.weakestTopic, .models)  // 1/4
  }
}
