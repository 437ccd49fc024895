import ConvPlayground
import ConvTerminal
import XCTest

final class CatalogTests: XCTestCase {
  /// Every entry exists in both languages with the same placeholders, so no screen can show
  /// a raw `{2}` or lose a number in one language.
  func testEveryEntryHasBothLanguagesWithTheSamePlaceholders() {
    func placeholders(_ s: String) -> [String] {
      (0..<10).map { "{\($0)}" }.filter { s.contains($0) }
    }
    for entry in T.allCases {
      let (en, es) = entry.pair
      XCTAssertFalse(en.isEmpty, "\(entry) en")
      XCTAssertFalse(es.isEmpty, "\(entry) es")
      XCTAssertEqual(placeholders(en), placeholders(es), "\(entry)")
    }
  }

  func testFillsPlaceholders() {
    XCTAssertEqual(T.stepOf.text(.es, ["1", "9"]), "paso 1/9")
  }

  func testLanguageFromEnvironment() {
    XCTAssertEqual(Lang.fromEnvironment(["LANG": "es_ES.UTF-8"]), .es)
    XCTAssertEqual(Lang.fromEnvironment(["LANG": "es_ES.UTF-8", "LC_ALL": "en_US.UTF-8"]), .en)
    XCTAssertEqual(Lang.fromEnvironment(["LANG": "C.UTF-8"]), .en)
    XCTAssertEqual(Lang.fromEnvironment([:]), .en)
  }

  func testColourDepthRespectsNoColor() {
    XCTAssertEqual(TerminalCapabilities.colorDepth(terminalColors: 256, environment: [:]), 256)
    XCTAssertEqual(TerminalCapabilities.colorDepth(terminalColors: 256, environment: ["NO_COLOR": ""]), 0)
    XCTAssertEqual(TerminalCapabilities.colorDepth(terminalColors: 8, environment: [:]), 8)
    XCTAssertEqual(TerminalCapabilities.colorDepth(terminalColors: 256, environment: ["TERM": "dumb"]), 0)
  }

  func testColorsMapDownToANSI() {
    XCTAssertEqual(Color(196).nearestANSI(count: 8), 1)  // bright red -> red
    XCTAssertEqual(Color(21).nearestANSI(count: 8), 4)  // blue
    XCTAssertEqual(Color(3).nearestANSI(count: 8), 3)
  }

  func testKeyNames() {
    XCTAssertEqual(Key.script("Right Space End q BTab"), [.right, .char(" "), .end, .char("q"), .backTab])
    XCTAssertNil(Key(name: "Nope"))
  }

  func testCanvasClipsAndBoxesInASCII() {
    var c = Canvas(width: 6, height: 3, unicode: false)
    c.box(c.bounds)
    c.put("abcdefgh", x: 1, y: 1, maxWidth: 4)
    XCTAssertEqual(c.text, "+----+\n|abcd|\n+----+")
  }
}
