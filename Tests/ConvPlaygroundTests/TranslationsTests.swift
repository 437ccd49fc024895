import ConvPlayground
import XCTest

/// Every preset, model, class name, quiz topic and catalog string has its Spanish.
final class TranslationsTests: XCTestCase {
  func testNothingLacksATranslation() {
    let missing = Translations.missing()
    XCTAssertTrue(missing.isEmpty, missing.joined(separator: "\n"))
  }
}
