import ConvKit
import XCTest

/// The fast `Gemm.sgemm` against `Gemm.referenceSgemm` (a Double-accumulated triple loop):
/// odd sizes that leave ragged register tiles, every transpose, padded strides, alpha and beta,
/// and products big enough to take the blocked, multi-threaded path.
final class GemmTests: XCTestCase {
  /// Deterministic values in [-1, 1] (or small integers), so failures reproduce.
  struct Values {
    var state: UInt64
    mutating func next() -> Float {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(Int(state >> 33) % 2001 - 1000) / 1000
    }
    mutating func integer() -> Float {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(Int(state >> 33) % 9 - 4)
    }
  }

  struct Case {
    var m: Int, n: Int, k: Int
    var transA = false, transB = false
    var alpha: Float = 1, beta: Float = 0
    /// Extra elements at the end of each stored row of A, B, C.
    var padA = 0, padB = 0, padC = 0
  }

  /// Runs one case through both kernels on identical inputs and compares every element of C,
  /// including the padding between rows, which neither may touch.
  func check(_ t: Case, integers: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
    var values = Values(state: UInt64(t.m * 1_000_003 + t.n * 1009 + t.k))
    let rowsA = t.transA ? t.k : t.m
    let lda = (t.transA ? t.m : t.k) + t.padA
    let rowsB = t.transB ? t.n : t.k
    let ldb = (t.transB ? t.k : t.n) + t.padB
    let ldc = t.n + t.padC
    let a = (0..<(rowsA * lda)).map { _ in integers ? values.integer() : values.next() }
    let b = (0..<(rowsB * ldb)).map { _ in integers ? values.integer() : values.next() }
    // With beta 0 the old C must not be read: fill it with NaN (except the padding).
    let c0 = (0..<(t.m * ldc)).map { i -> Float in
      if i % ldc >= t.n { return 7 }
      return t.beta == 0 ? .nan : values.next()
    }
    var fast = c0
    var reference = c0
    Gemm.sgemm(
      transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha, a: a, lda: lda,
      b: b, ldb: ldb, beta: t.beta, c: &fast, ldc: ldc)
    Gemm.referenceSgemm(
      transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha, a: a, lda: lda,
      b: b, ldb: ldb, beta: t.beta, c: &reference, ldc: ldc)
    // 1e-4 relative to the element, or to the mean magnitude of C for elements that cancel
    // to nearly zero (their rounding error follows the size of the terms, not of the sum).
    let meanAbs = reference.reduce(0) { $0 + abs($1) } / Float(max(1, reference.count))
    var failures = 0
    for i in 0..<reference.count {
      let r = reference[i]
      let f = fast[i]
      let tolerance: Float = integers ? 0 : 1e-4 * max(abs(r), meanAbs)
      if !(abs(f - r) <= tolerance) {
        failures += 1
        if failures <= 3 {
          XCTFail(
            "\(t): C[\(i / ldc), \(i % ldc)] fast \(f) reference \(r)", file: file, line: line)
        }
      }
    }
    if failures > 3 { XCTFail("\(t): \(failures) elements differ", file: file, line: line) }
  }

  func testOddSizesEveryTranspose() {
    let sizes = [1, 3, 17, 33, 127, 129]
    for transA in [false, true] {
      for transB in [false, true] {
        for m in sizes {
          for n in sizes {
            for k in [1, 3, 17, 129] {
              check(Case(m: m, n: n, k: k, transA: transA, transB: transB))
            }
          }
        }
      }
    }
  }

  func testPaddedStridesAlphaBeta() {
    for transA in [false, true] {
      for transB in [false, true] {
        for (alpha, beta) in [(Float(1), Float(1)), (0.5, 2), (-1.5, 0), (2, -0.25)] {
          check(
            Case(
              m: 37, n: 45, k: 29, transA: transA, transB: transB, alpha: alpha, beta: beta,
              padA: 3, padB: 5, padC: 7))
          check(
            Case(
              m: 7, n: 70, k: 300, transA: transA, transB: transB, alpha: alpha, beta: beta,
              padA: 1, padB: 17, padC: 2))
        }
      }
    }
  }

  /// Deep and wide enough for several k slices, row blocks, B chunks and two threads.
  func testLargeProductsTakeTheParallelPath() {
    // Each case below must take the path it is here for, or it would test the serial one again.
    XCTAssertEqual(Gemm.route(m: 301, n: 211, k: 1100), .parallelBlocks)
    XCTAssertEqual(Gemm.route(m: 64, n: 1025, k: 288), .parallelBlocks)
    XCTAssertEqual(Gemm.route(m: 500, n: 10, k: 777), .parallelBlocks)
    XCTAssertEqual(Gemm.route(m: 9, n: 32, k: 20_000), 32 <= Gemm.nr ? .splitK : .parallelBlocks)
    XCTAssertEqual(Gemm.route(m: 5, n: 3, k: 70_001), .splitK)
    XCTAssertEqual(Gemm.route(m: 129, n: 65, k: 513), .parallelBlocks)
    XCTAssertEqual(Gemm.route(m: 7, n: 70, k: 300), .serial)
    check(Case(m: 301, n: 211, k: 1100))
    check(Case(m: 301, n: 211, k: 1100, transA: true, transB: true, alpha: 0.5, beta: 1.5))
    check(Case(m: 64, n: 1025, k: 288, transB: true, padC: 3))
    check(Case(m: 500, n: 10, k: 777, transA: true, beta: 1))
    // One tile of C, a long sum: split over k across threads (a first layer's kernel gradient).
    check(Case(m: 9, n: 32, k: 20_000, transA: true, beta: 1))
    check(Case(m: 5, n: 3, k: 70_001, alpha: -0.5, beta: 0.5, padA: 2, padB: 1, padC: 4))
    // More columns than one packed slice of B holds (4096).
    check(Case(m: 7, n: 4100, k: 40, padB: 1))
  }

  /// Small integers keep every partial sum exact in Float: the fast kernel must then agree
  /// with the reference bit for bit, whatever order it adds in.
  func testExactOnIntegers() {
    check(Case(m: 129, n: 65, k: 513), integers: true)
    check(Case(m: 33, n: 127, k: 1000, transA: true, transB: true), integers: true)
  }

  /// A hand-worked product: [[1,2],[3,4]] * [[5,6],[7,8]] = [[19,22],[43,50]], then
  /// C = 2 * A*B + 1 * C with C starting at all ones.
  func testHandWorked() {
    let a: [Float] = [1, 2, 3, 4]
    let b: [Float] = [5, 6, 7, 8]
    var c: [Float] = [1, 1, 1, 1]
    Gemm.sgemm(
      transA: false, transB: false, m: 2, n: 2, k: 2, alpha: 2, a: a, lda: 2, b: b, ldb: 2,
      beta: 1, c: &c, ldc: 2)
    XCTAssertEqual(c, [39, 45, 87, 101])
    // A^T * B^T = (B * A)^T: [[5,6],[7,8]] * [[1,2],[3,4]] = [[23,34],[31,46]], transposed.
    var d: [Float] = [0, 0, 0, 0]
    Gemm.sgemm(
      transA: true, transB: true, m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: &d, ldc: 2)
    XCTAssertEqual(d, [23, 31, 34, 46])
  }

  /// k == 0 leaves beta * C; empty shapes touch nothing.
  func testDegenerateShapes() {
    let a: [Float] = [1]
    var c: [Float] = [2, 4, 6]
    Gemm.sgemm(
      transA: false, transB: false, m: 1, n: 3, k: 0, a: a, lda: 1, b: a, ldb: 3, beta: 0.5,
      c: &c, ldc: 3)
    XCTAssertEqual(c, [1, 2, 3])
    Gemm.sgemm(
      transA: false, transB: false, m: 0, n: 3, k: 4, a: a, lda: 4, b: a, ldb: 3, c: &c, ldc: 3)
    XCTAssertEqual(c, [1, 2, 3])
  }
}
