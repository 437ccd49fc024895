import ConvKit
import XCTest

/// Random data and tolerant comparison shared by the depthwise, pointwise and transposed tests.
struct SeededFloats {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  /// Uniform in [-1, 1).
  mutating func next() -> Float {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Float(Int(state >> 40) % 2000 - 1000) / 1000
  }

  mutating func array(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
}

/// Every element within `relative` of the expected value's magnitude (at least 1).
func assertAllClose(
  _ actual: [Float], _ expected: [Float], relative: Float = 1e-4, _ message: String,
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(actual.count, expected.count, "\(message): sizes", file: file, line: line)
  guard actual.count == expected.count else { return }
  var worst = (index: -1, error: Float(0))
  for i in 0..<actual.count {
    let error = abs(actual[i] - expected[i]) / max(1, abs(expected[i]))
    if !(error <= worst.error) { worst = (i, error.isNaN ? .infinity : error) }
  }
  XCTAssertLessThanOrEqual(
    worst.error, relative,
    "\(message): element \(worst.index) is \(worst.index >= 0 ? actual[worst.index] : 0), expected \(worst.index >= 0 ? expected[worst.index] : 0)",
    file: file, line: line)
}
