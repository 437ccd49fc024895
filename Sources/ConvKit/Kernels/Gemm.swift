import Dispatch

/// Single-precision matrix multiply, the workhorse of Dense and (through im2col) Conv2D layers.
///
/// `C = alpha * op(A) * op(B) + beta * C`, row-major, where op(X) is X or its transpose.
/// op(A) is m x k, op(B) is k x n, C is m x n; `lda`, `ldb`, `ldc` are row strides in elements.
///
/// `sgemm` is the entry point every layer calls; `referenceSgemm` is the plain triple loop that
/// stays in the code so faster versions can be tested against it.
///
/// The fast path follows the classic Goto/BLIS plan: op(B) is copied ("packed") in slices of
/// `kc` rows into panels `nr` columns wide, op(A) in blocks of `mc` rows into panels `mr` rows
/// tall, so that the innermost micro-kernel reads both operands contiguously and keeps an
/// `mr x nr` tile of C in vector registers for `kc` fused multiply-adds per element. Packing also
/// absorbs the transposes, the strides and the ragged edges (panels are zero padded), so one
/// micro-kernel serves every case. When `beta` is 0, C is only written, never read (it may hold
/// garbage or NaN), as in BLAS.
public enum Gemm {
  public static func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    precondition(m >= 0 && n >= 0 && k >= 0, "sgemm sizes must not be negative")
    precondition(ldc >= n, "ldc must be at least n (C is m x n, row-major)")
    precondition(lda >= (transA ? m : k), "lda must be at least the width of A as stored")
    precondition(ldb >= (transB ? k : n), "ldb must be at least the width of B as stored")
    run(
      Problem(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
        ldb: ldb, beta: beta, c: c, ldc: ldc))
  }

  /// The fast path for a checked problem (also used by products whose A is gathered on the fly).
  static func run(_ problem: Problem) {
    let (m, n, k) = (problem.m, problem.n, problem.k)
    if m == 0 || n == 0 { return }
    if k == 0 || problem.alpha == 0 {
      scaleC(m: m, n: n, beta: problem.beta, c: problem.c, ldc: problem.ldc)
      return
    }
    switch route(m: m, n: n, k: k) {
    case .splitK: splitK(problem)
    case .parallelBlocks: blocked(problem, parallel: true)
    case .serial: blocked(problem, parallel: false)
    }
  }

  /// How `sgemm` shares a product out: on one thread, tiles of C over threads, or (too few tiles
  /// of C, as a small layer's weight gradient summed over a whole batch) slices of the sum over
  /// k. Public so tests can check that their cases take the path they mean to test.
  public enum Route: Equatable, Sendable { case serial, parallelBlocks, splitK }

  /// The route of an m x n x k product (k >= 1, alpha != 0).
  public static func route(m: Int, n: Int, k: Int) -> Route {
    guard m * n * k >= parallelThreshold else { return .serial }
    return m <= mc && n <= nr && k >= 4 * kc ? .splitK : .parallelBlocks
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

  // MARK: - Tuning

  /// The SIMD vector the micro-kernel is written in. Its width is fixed at compile time: 16
  /// floats where the build machine has AVX-512 (32 zmm registers hold the 6 x 32 tile), else 8
  /// (two AVX2 ymm or two NEON q registers per vector; the 6 x 16 tile fits 16 ymm registers).
  /// `CONVKIT_AVX512` is defined by Package.swift for release builds tuned to such a host.
  #if CONVKIT_AVX512
  public typealias Lane = SIMD16<Float>
  #else
  public typealias Lane = SIMD8<Float>
  #endif

  /// Rows of the register tile (each row of the tile is two `Lane`s wide).
  public static let mr = 6
  /// Columns of the register tile: two vectors.
  public static let nr = 2 * Lane.scalarCount
  /// Depth of a packed slice: one `kc x nr` panel of B (16 or 32 KB) stays in L1 while the
  /// micro-kernel sweeps the `mc` rows of packed A (in L2) past it.
  static let kc = 256
  /// Rows of A packed at once (a multiple of `mr`); about 150 KB at kc 256, well inside L2.
  static let mc = 144
  /// Columns of B packed at once (a multiple of `nr`); kc x nc is 4 MB at most.
  static let nc = 4096
  /// Tasks with at most this many B panels read an untransposed A in place instead of packing.
  static let directPanels = 4
  /// Below this many multiply-adds (m*n*k) a second thread costs more than it brings.
  static let parallelThreshold = 1 << 20

  // MARK: - Blocked driver

  /// The arguments of one call, so helpers pass one value around.
  struct Problem: @unchecked Sendable {
    var transA: Bool
    var transB: Bool
    var m: Int
    var n: Int
    var k: Int
    var alpha: Float
    var a: UnsafePointer<Float>
    var lda: Int
    var b: UnsafePointer<Float>
    var ldb: Int
    var beta: Float
    var c: UnsafeMutablePointer<Float>
    var ldc: Int
  }

  /// A raw buffer handed to concurrent tasks (each task writes only its own part).
  struct Shared: @unchecked Sendable {
    var pointer: UnsafeMutablePointer<Float>
  }

  /// Loops jc (nc columns) -> pc (kc deep: pack B) -> tasks of (mc rows of A, a range of B
  /// panels): pack A, run the micro-kernel over the tiles. Tasks write disjoint tiles of C, so
  /// they run concurrently; the k slices run in order because each adds onto the last.
  static func blocked(_ p: Problem, parallel: Bool) {
    let ncMax = min(nc, roundUp(p.n, nr))
    let packedB = UnsafeMutablePointer<Float>.allocate(capacity: kc * ncMax)
    defer { packedB.deallocate() }
    let sharedB = Shared(pointer: packedB)
    for jc in stride(from: 0, to: p.n, by: nc) {
      let ncur = min(nc, p.n - jc)
      let bPanels = (ncur + nr - 1) / nr
      for pc in stride(from: 0, to: p.k, by: kc) {
        let kcur = min(kc, p.k - pc)
        // The first slice applies beta; later slices add onto what the first wrote.
        let beta: Float = pc == 0 ? p.beta : 1
        // Row blocks of equal height (a multiple of mr) so the tasks take about the same time.
        let rowBlocks = (p.m + mc - 1) / mc
        let mcur = roundUp((p.m + rowBlocks - 1) / rowBlocks, mr)
        // Split the B panels into chunks too when there are few row blocks, so that both
        // cores get work for short-and-wide products (a conv layer's few filters).
        let chunks = parallel ? max(1, min(bPanels, (4 + rowBlocks - 1) / rowBlocks)) : 1
        let panelsPerChunk = (bPanels + chunks - 1) / chunks
        let tasks = rowBlocks * chunks
        if parallel {
          DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let first = min(bPanels, chunk * panelsPerChunk)
            packB(
              p, rows: pc, kc: kcur, cols: jc, panels: first..<min(bPanels, first + panelsPerChunk),
              ncur: ncur, into: sharedB.pointer)
          }
        } else {
          packB(p, rows: pc, kc: kcur, cols: jc, panels: 0..<bPanels, ncur: ncur, into: packedB)
        }
        let task = { @Sendable (t: Int) in
          let ic = (t / chunks) * mcur
          let firstPanel = min(bPanels, (t % chunks) * panelsPerChunk)
          let panels = firstPanel..<min(bPanels, firstPanel + panelsPerChunk)
          if panels.isEmpty { return }
          if ic >= p.m { return }
          let rows = min(mcur, p.m - ic)
          // Few B panels reuse each A panel too little to pay for copying it: a stored,
          // untransposed A is then read in place (a conv layer's patches times its few filters).
          let direct = !p.transA && panels.count <= directPanels
          let packedA = UnsafeMutablePointer<Float>.allocate(
            capacity: (direct ? mr : roundUp(rows, mr)) * kcur)
          defer { packedA.deallocate() }
          if direct {
            // Only a last, partial panel is packed (zero rows keep the kernel inside A).
            let full = rows / mr * mr
            if full < rows {
              packA(p, rows: ic + full, mcur: rows - full, depth: pc, kc: kcur, into: packedA)
            }
          } else {
            packA(p, rows: ic, mcur: rows, depth: pc, kc: kcur, into: packedA)
          }
          macroKernel(
            p, packedA: packedA, direct: direct, depth: pc, packedB: sharedB.pointer, ic: ic,
            mcur: rows, jc: jc, ncur: ncur, panels: panels, kc: kcur, beta: beta)
        }
        if parallel && tasks > 1 {
          DispatchQueue.concurrentPerform(iterations: tasks, execute: task)
        } else {
          for t in 0..<tasks { task(t) }
        }
      }
    }
  }

  /// C = alpha * sum over k slices + beta * C, the slices computed concurrently: the first one
  /// straight into C (it applies beta), the others into scratch matrices added on at the end.
  static func splitK(_ p: Problem) {
    let parts = 4
    let slice = roundUp((p.k + parts - 1) / parts, kc)
    let count = (p.k + slice - 1) / slice
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, (count - 1) * p.m * p.n))
    defer { scratch.deallocate() }
    let shared = Shared(pointer: scratch)
    DispatchQueue.concurrentPerform(iterations: count) { part in
      var q = p
      let start = part * slice
      q.k = min(slice, p.k - start)
      q.a = p.transA ? p.a + start * p.lda : p.a + start
      q.b = p.transB ? p.b + start : p.b + start * p.ldb
      if part > 0 {
        q.c = shared.pointer + (part - 1) * p.m * p.n
        q.ldc = p.n
        q.beta = 0
      }
      blocked(q, parallel: false)
    }
    for part in 1..<count {
      let partial = scratch + (part - 1) * p.m * p.n
      for i in 0..<p.m {
        let row = p.c + i * p.ldc
        let add = partial + i * p.n
        for j in 0..<p.n { row[j] += add[j] }
      }
    }
  }

  /// All `mr x nr` tiles of one packed A block against the given B panels. Edge tiles are
  /// computed into a scratch tile and only their valid part is merged into C.
  @inline(__always)
  static func macroKernel(
    _ p: Problem, packedA: UnsafeMutablePointer<Float>, direct: Bool, depth: Int,
    packedB: UnsafeMutablePointer<Float>, ic: Int, mcur: Int, jc: Int, ncur: Int,
    panels: Range<Int>, kc: Int, beta: Float
  ) {
    let aPanels = (mcur + mr - 1) / mr
    var scratch = Tile()
    for jp in panels {
      let b = UnsafePointer(packedB + jp * kc * nr)
      let col = jc + jp * nr
      let cols = min(nr, jc + ncur - col)
      for ip in 0..<aPanels {
        let row = ic + ip * mr
        let rows = min(mr, p.m - row)
        // A panel: packed (step mr per k, rows adjacent) or in place (rows lda apart).
        var a = UnsafePointer(packedA + ip * kc * mr)
        var rowStep = 1
        var kStep = mr
        if direct {
          if rows == mr {
            a = p.a + row * p.lda + depth
            rowStep = p.lda
            kStep = 1
          } else {
            a = UnsafePointer(packedA)
          }
        }
        let cTile = p.c + row * p.ldc + col
        if rows == mr && cols == nr {
          microKernel(
            kc: kc, a: a, rowStep: rowStep, kStep: kStep, b: b, c: cTile, ldc: p.ldc,
            alpha: p.alpha, beta: beta)
        } else {
          withUnsafeMutableBytes(of: &scratch) { raw in
            let t = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            microKernel(
              kc: kc, a: a, rowStep: rowStep, kStep: kStep, b: b, c: t, ldc: nr, alpha: p.alpha,
              beta: 0)
            for r in 0..<rows {
              for j in 0..<cols {
                let dst = cTile + r * p.ldc + j
                let v = t[r * nr + j]
                dst.pointee = beta == 0 ? v : v + beta * dst.pointee
              }
            }
          }
        }
      }
    }
  }

  /// Room for one `mr x nr` tile (6 x 32 floats at most).
  struct Tile {
    var rows: (Lane, Lane, Lane, Lane, Lane, Lane, Lane, Lane, Lane, Lane, Lane, Lane) =
      (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
  }

  // MARK: - Packing

  /// Packs op(B)[depth ..< depth+kc, cols ..< cols+ncur] as panels of `nr` columns: panel j
  /// holds, for each of the kc rows, `nr` consecutive values (zero past column ncur).
  /// Only the panels in `panels` are written (concurrent callers take disjoint ranges).
  static func packB(
    _ p: Problem, rows depth: Int, kc: Int, cols: Int, panels: Range<Int>, ncur: Int,
    into dst: UnsafeMutablePointer<Float>
  ) {
    for jp in panels {
      let out = dst + jp * kc * nr
      let j0 = cols + jp * nr
      let width = min(nr, cols + ncur - j0)
      if !p.transB {
        // Row-major B: each row of the panel is contiguous in memory.
        for r in 0..<kc {
          let src = p.b + (depth + r) * p.ldb + j0
          let o = out + r * nr
          if width == nr {
            storeLane(o, loadLane(src))
            storeLane(o + Lane.scalarCount, loadLane(src + Lane.scalarCount))
          } else {
            for j in 0..<width { o[j] = src[j] }
            for j in width..<nr { o[j] = 0 }
          }
        }
      } else {
        // B stored transposed (n x k): column j of op(B) is contiguous; scatter it.
        for j in 0..<nr {
          if j < width {
            let src = p.b + (j0 + j) * p.ldb + depth
            for r in 0..<kc { out[r * nr + j] = src[r] }
          } else {
            for r in 0..<kc { out[r * nr + j] = 0 }
          }
        }
      }
    }
  }

  /// Packs op(A)[rows ..< rows+mcur, depth ..< depth+kc] as panels of `mr` rows: panel i holds,
  /// for each of the kc columns, `mr` consecutive values (zero past row mcur).
  static func packA(
    _ p: Problem, rows: Int, mcur: Int, depth: Int, kc: Int, into dst: UnsafeMutablePointer<Float>
  ) {
    let aPanels = (mcur + mr - 1) / mr
    for ip in 0..<aPanels {
      let out = dst + ip * kc * mr
      let i0 = rows + ip * mr
      let height = min(mr, rows + mcur - i0)
      if !p.transA {
        // Row-major A: read the panel's rows side by side, each one sequentially.
        if height == mr {
          let s0 = p.a + i0 * p.lda + depth
          let s1 = s0 + p.lda
          let s2 = s1 + p.lda
          let s3 = s2 + p.lda
          let s4 = s3 + p.lda
          let s5 = s4 + p.lda
          for c in 0..<kc {
            let o = out + c * mr
            o[0] = s0[c]
            o[1] = s1[c]
            o[2] = s2[c]
            o[3] = s3[c]
            o[4] = s4[c]
            o[5] = s5[c]
          }
        } else {
          for c in 0..<kc {
            let o = out + c * mr
            for r in 0..<mr { o[r] = r < height ? p.a[(i0 + r) * p.lda + depth + c] : 0 }
          }
        }
      } else {
        // A stored transposed (k x m): the panel's mr values for one column are contiguous.
        for c in 0..<kc {
          let src = p.a + (depth + c) * p.lda + i0
          let o = out + c * mr
          for r in 0..<mr { o[r] = r < height ? src[r] : 0 }
        }
      }
    }
  }

  // MARK: - Micro-kernel

  @inline(__always)
  static func loadLane(_ p: UnsafePointer<Float>) -> Lane {
    UnsafeRawPointer(p).loadUnaligned(as: Lane.self)
  }

  @inline(__always)
  static func loadLane(_ p: UnsafeMutablePointer<Float>) -> Lane {
    UnsafeRawPointer(p).loadUnaligned(as: Lane.self)
  }

  @inline(__always)
  static func storeLane(_ p: UnsafeMutablePointer<Float>, _ v: Lane) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lane.self)
  }

  /// `acc + a * b`, fused where the target has FMA. Without an FMA-capable target (a portable
  /// x86-64 build) `addingProduct` becomes a library call per lane, so a multiply and an add
  /// are used instead. arm64 always has vector FMA.
  @inline(__always)
  static func fma(_ acc: Lane, _ a: Lane, _ b: Lane) -> Lane {
    #if arch(arm64) || CONVKIT_FMA
    return acc.addingProduct(a, b)
    #else
    return acc + a * b
    #endif
  }

  /// `C[0..<6, 0..<nr] = alpha * (A panel * B panel) + beta * C` (C not read when beta is 0).
  /// `b` is a packed B panel (kc x nr); A's element (r, p) is at `a[r * rowStep + p * kStep]`:
  /// a packed panel has rowStep 1 and kStep mr, a row-major A read in place rowStep lda and
  /// kStep 1. B's rows are `bStep` apart (nr when packed). The 12 accumulators live in registers for the whole loop: 2 vector loads and 6
  /// broadcasts feed 12 FMAs.
  @inline(__always)
  static func microKernel(
    kc: Int, a: UnsafePointer<Float>, rowStep: Int, kStep: Int, b: UnsafePointer<Float>,
    bStep: Int = nr, c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
  ) {
    let w = Lane.scalarCount
    var c00 = Lane(), c01 = Lane(), c10 = Lane(), c11 = Lane(), c20 = Lane(), c21 = Lane()
    var c30 = Lane(), c31 = Lane(), c40 = Lane(), c41 = Lane(), c50 = Lane(), c51 = Lane()
    var pa = a
    let (r1, r2, r3, r4, r5) = (rowStep, 2 * rowStep, 3 * rowStep, 4 * rowStep, 5 * rowStep)
    var pb = b
    for _ in 0..<kc {
      let b0 = loadLane(pb)
      let b1 = loadLane(pb + w)
      var av = Lane(repeating: pa[0])
      c00 = fma(c00, av, b0)
      c01 = fma(c01, av, b1)
      av = Lane(repeating: pa[r1])
      c10 = fma(c10, av, b0)
      c11 = fma(c11, av, b1)
      av = Lane(repeating: pa[r2])
      c20 = fma(c20, av, b0)
      c21 = fma(c21, av, b1)
      av = Lane(repeating: pa[r3])
      c30 = fma(c30, av, b0)
      c31 = fma(c31, av, b1)
      av = Lane(repeating: pa[r4])
      c40 = fma(c40, av, b0)
      c41 = fma(c41, av, b1)
      av = Lane(repeating: pa[r5])
      c50 = fma(c50, av, b0)
      c51 = fma(c51, av, b1)
      pa += kStep
      pb += bStep
    }
    var row = c
    store(row, c00, c01, alpha, beta)
    row += ldc
    store(row, c10, c11, alpha, beta)
    row += ldc
    store(row, c20, c21, alpha, beta)
    row += ldc
    store(row, c30, c31, alpha, beta)
    row += ldc
    store(row, c40, c41, alpha, beta)
    row += ldc
    store(row, c50, c51, alpha, beta)
  }

  /// Writes one tile row: alpha * acc (+ beta * old when beta is not 0).
  @inline(__always)
  static func store(
    _ p: UnsafeMutablePointer<Float>, _ v0: Lane, _ v1: Lane, _ alpha: Float, _ beta: Float
  ) {
    let w = Lane.scalarCount
    var o0 = v0 * alpha
    var o1 = v1 * alpha
    if beta != 0 {
      o0 = fma(o0, loadLane(p), Lane(repeating: beta))
      o1 = fma(o1, loadLane(p + w), Lane(repeating: beta))
    }
    storeLane(p, o0)
    storeLane(p + w, o1)
  }

  /// C = beta * C, for the degenerate cases (k == 0 or alpha == 0) where no product is added.
  static func scaleC(m: Int, n: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    for i in 0..<m {
      let row = c + i * ldc
      for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
    }
  }

  @inline(__always)
  static func roundUp(_ x: Int, _ multiple: Int) -> Int { (x + multiple - 1) / multiple * multiple }
}
