/// Single-precision matrix multiply, the workhorse of Dense and (through im2col) Conv2D layers.
///
/// `C = alpha * op(A) * op(B) + beta * C`, row-major, where op(X) is X or its transpose.
/// op(A) is m x k, op(B) is k x n, C is m x n; `lda`, `ldb`, `ldc` are row strides in elements.
///
/// `sgemm` is the entry point every layer calls; `referenceSgemm` is the plain triple loop that
/// stays in the code so faster versions can be tested against it.
public enum Gemm {
  public static func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    referenceSgemm(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
      ldb: ldb, beta: beta, c: c, ldc: ldc)
  }

  /// The obviously-correct version: one dot product per output element, accumulated in Double.
  public static func referenceSgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k {
          let av = transA ? a[p * lda + i] : a[i * lda + p]
          let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
          sum += Double(av) * Double(bv)
        }
        let prior = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
        c[i * ldc + j] = Float(Double(alpha) * sum + prior)
      }
    }
  }
}
