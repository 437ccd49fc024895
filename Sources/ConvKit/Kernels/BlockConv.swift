import Dispatch

/// Conv2D for training and inference on NHWC batches, in blocks of output pixels that stay in
/// cache: what the network layers call. Same layouts as `Im2col`: `x` `[N, H, W, Cin]`, kernel
/// `[KH, KW, Cin, Cout]`, output and `dOut` `[N, OH, OW, Cout]`, patch length K = KH*KW*Cin.
///
/// Why blocks: a whole batch's patch matrix is 9 times the input (85 MB for a 26x26x32 layer
/// of 128 images), so writing it out and reading it back costs more memory traffic than the
/// arithmetic. Here each task gathers the patches of about a hundred pixels (128 KB, in L2)
/// and runs `Gemm.microKernel` on them at once:
///
///     forward          out block  [P, Cout]  = patches [P, K] x kernel [K, Cout], + bias, ReLU
///     kernel gradient  dK         [K, Cout] += patches^T [K, P] x dOut block [P, Cout]
///     input gradient   dCols      [P, K]     = dOut block [P, Cout] x kernel^T, added into dx
///
/// Whole blocks (forward, kernel gradient) or whole images (input gradient, whose windows
/// overlap) are shared among the cores, so one parallel loop covers a layer instead of one per
/// matrix product; each kernel-gradient task sums into its own copy, added up at the end.
/// Everything here is tested against `ReferenceKernels.convolve` and `Gemm.referenceSgemm`.
public enum BlockConv {
  /// Target size of one block of patches in floats (128 KB).
  static let blockFloats = 32 * 1024
  /// Tasks per parallel loop: more than the cores so that a busy core does not hold the others up.
  static let maxTasks = 8
  /// Below this many multiply-adds a layer runs on the calling thread.
  static let parallelWork = 1 << 18

  /// Output pixels per block: a multiple of the micro-kernel's rows, about `blockFloats / K`.
  static func blockPixels(k: Int) -> Int {
    let mr = Gemm.mr
    return max(mr, min(2040, blockFloats / max(1, k)) / mr * mr)
  }

  /// The pre-activation z `[N, OH, OW, Cout]` = patches x kernel + bias into `output`
  /// (overwritten), or with `relu`, max(z, 0) (a ReLU layer's output, in the same pass).
  public static func forward(
    input x: UnsafePointer<Float>, batch n: Int, height: Int, width: Int, channels cin: Int,
    kernel w: UnsafePointer<Float>, bias: UnsafePointer<Float>?, filters cout: Int,
    geometry g: WindowGeometry, output z: UnsafeMutablePointer<Float>, relu: Bool = false
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let rows = n * g.outputRows * g.outputCols
    if rows == 0 || cout == 0 { return }
    let source = ConvGemm.PatchSource(x: x, height: height, width: width, channels: cin, geometry: g)
    let (mr, nr) = (Gemm.mr, Gemm.nr)
    let panels = (cout + nr - 1) / nr
    let packed = packPanels(w, depth: k, width: cout, ld: cout, transposed: false)
    defer { packed.deallocate() }
    let p = blockPixels(k: k)
    let blocks = (rows + p - 1) / p
    let tasks = rows * k * cout >= parallelWork ? min(blocks, maxTasks) : 1
    let args = Args(x: x, a: w, b: UnsafePointer(packed), bias: bias, out: z, out2: nil)
    forEachTask(tasks) { t in
      let patch = scratch((p + mr) * k + mr)
      defer { patch.deallocate() }
      for block in blockRange(t, tasks: tasks, blocks: blocks) {
        let first = block * p
        let count = min(p, rows - first)
        source.gatherRows(first: first, count: count, into: patch)
        let out = args.out + first * cout
        for jp in 0..<panels {
          let col = jp * nr
          let cols = min(nr, cout - col)
          var ip = 0
          while ip < count {
            tile(
              k: k, a: patch + ip * k, rowStep: k, kStep: 1, b: args.b + jp * k * nr,
              c: out + ip * cout + col, ldc: cout, rows: min(mr, count - ip), cols: cols, add: false)
            ip += mr
          }
        }
        // Bias and ReLU while the block is still in cache.
        for r in 0..<count {
          let row = out + r * cout
          if let b = args.bias { Im2col.addRun(b, into: row, count: cout) }
          if relu { BlockConv.relu(row, into: row, count: cout) }
        }
      }
    }
  }

  /// Adds patches^T x dOut into `dKernel` `[KH, KW, Cin, Cout]` and, when given, the sums of
  /// `dOut`'s rows into `dBias` `[Cout]` (`dOut`: the gradient of the pre-activation).
  public static func kernelGradient(
    input x: UnsafePointer<Float>, dOut: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels cin: Int, filters cout: Int, geometry g: WindowGeometry,
    dKernel: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>? = nil
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let rows = n * g.outputRows * g.outputCols
    if rows == 0 || cout == 0 { return }
    let source = ConvGemm.PatchSource(x: x, height: height, width: width, channels: cin, geometry: g)
    let (mr, nr) = (Gemm.mr, Gemm.nr)
    let panels = (cout + nr - 1) / nr
    let p = blockPixels(k: k)
    let blocks = (rows + p - 1) / p
    // Each task sums into its own dK and dBias; keep those copies under 16 MB in all.
    let copies = max(1, min(maxTasks, (4 << 20) / max(1, k * cout + cout)))
    let tasks = rows * k * cout >= parallelWork ? min(blocks, copies) : 1
    let partialSize = k * cout + cout
    let inPlace = cout % nr == 0
    let partials = scratch(tasks * partialSize)
    defer { partials.deallocate() }
    let args = Args(x: x, a: dOut, b: dOut, bias: nil, out: partials, out2: nil)
    forEachTask(tasks) { t in
      let patch = scratch((p + mr) * k + mr)
      let packedD = scratch(inPlace ? 1 : panels * p * nr)
      defer {
        patch.deallocate()
        packedD.deallocate()
      }
      let dk = args.out + t * partialSize
      let db = dk + k * cout
      for block in blockRange(t, tasks: tasks, blocks: blocks) {
        let first = block * p
        let count = min(p, rows - first)
        source.gatherRows(first: first, count: count, into: patch)
        // dOut's rows as nr-wide panels (zero past Cout; read in place when Cout is a
        // multiple of nr), summed for the bias on the way.
        let d = args.a + first * cout
        for r in 0..<count {
          let row = d + r * cout
          Im2col.addRun(row, into: db, count: cout)
          if inPlace { continue }
          for jp in 0..<panels {
            let dst = packedD + jp * p * nr + r * nr
            let col = jp * nr
            let cols = min(nr, cout - col)
            for j in 0..<cols { dst[j] = row[col + j] }
            for j in cols..<nr { dst[j] = 0 }
          }
        }
        for jp in 0..<panels {
          let col = jp * nr
          let cols = min(nr, cout - col)
          var ip = 0
          while ip < k {
            // Taps ip..<ip+mr of every pixel: a row of A^T is a column of the patches.
            tile(
              k: count, a: patch + ip, rowStep: 1, kStep: k,
              b: inPlace ? d + col : UnsafePointer(packedD + jp * p * nr), bStep: inPlace ? cout : nr,
              c: dk + ip * cout + col, ldc: cout, rows: min(mr, k - ip), cols: cols, add: true)
            ip += mr
          }
        }
      }
    }
    for t in 0..<tasks {
      Im2col.addRun(partials + t * partialSize, into: dKernel, count: k * cout)
      if let dBias { Im2col.addRun(partials + t * partialSize + k * cout, into: dBias, count: cout) }
    }
  }

  /// dL/dinput `dx` `[N, H, W, Cin]` (overwritten): each block's dOut x kernel^T, scattered
  /// back onto the input positions its patches came from (the adjoint of the gather).
  public static func inputGradient(
    dOut: UnsafePointer<Float>, kernel w: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels cin: Int, filters cout: Int, geometry g: WindowGeometry,
    dInput dx: UnsafeMutablePointer<Float>
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let pixels = g.outputRows * g.outputCols
    let inStride = height * width * cin
    dx.update(repeating: 0, count: n * inStride)
    if n * pixels == 0 || cout == 0 || k == 0 { return }
    let source = ConvGemm.PatchSource(x: UnsafePointer(dx), height: height, width: width, channels: cin, geometry: g)
    let (mr, nr) = (Gemm.mr, Gemm.nr)
    let panels = (k + nr - 1) / nr
    let ldk = panels * nr
    // kernel^T [Cout, K] as nr-wide panels of taps.
    let packed = packPanels(w, depth: cout, width: k, ld: cout, transposed: true)
    defer { packed.deallocate() }
    let p = blockPixels(k: ldk)
    // Whole images per task: windows of one image overlap, those of two images never do.
    let tasks = n * pixels * k * cout >= parallelWork ? min(n, maxTasks) : 1
    let args = Args(x: dOut, a: dOut, b: UnsafePointer(packed), bias: nil, out: dx, out2: nil)
    forEachTask(tasks) { t in
      let dCols = scratch((p + mr) * ldk)
      let edge = scratch(mr * cout)
      defer {
        dCols.deallocate()
        edge.deallocate()
      }
      let images = blockRange(t, tasks: tasks, blocks: n)
      var first = images.lowerBound * pixels
      let end = images.upperBound * pixels
      while first < end {
        let count = min(p, end - first)
        var ip = 0
        while ip < count {
          var a = args.a + (first + ip) * cout
          let rows = min(mr, count - ip)
          if rows < mr {
            // The last rows of dOut: copy them so that the micro-kernel reads no further.
            edge.update(from: a, count: rows * cout)
            (edge + rows * cout).update(repeating: 0, count: (mr - rows) * cout)
            a = UnsafePointer(edge)
          }
          for jp in 0..<panels {
            Gemm.microKernel(
              kc: cout, a: a, rowStep: cout, kStep: 1, b: args.b + jp * cout * nr,
              c: dCols + ip * ldk + jp * nr, ldc: ldk, alpha: 1, beta: 0)
          }
          ip += mr
        }
        source.scatterRows(first: first, count: count, from: dCols, ld: ldk, into: args.out)
        first += count
      }
    }
  }

  // MARK: - Pieces

  /// One `mr x nr` tile of C from `k` steps of the micro-kernel, written (or with `add`, added)
  /// into its `rows x cols` valid part: whole tiles straight into C, edge tiles through a
  /// scratch tile so that nothing outside the valid part is touched.
  @inline(__always)
  static func tile(
    k: Int, a: UnsafePointer<Float>, rowStep: Int, kStep: Int, b: UnsafePointer<Float>,
    bStep: Int = Gemm.nr, c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, add: Bool
  ) {
    let (mr, nr) = (Gemm.mr, Gemm.nr)
    if rows == mr && cols == nr {
      Gemm.microKernel(
        kc: k, a: a, rowStep: rowStep, kStep: kStep, b: b, bStep: bStep, c: c, ldc: ldc, alpha: 1,
        beta: add ? 1 : 0)
      return
    }
    var scratchTile = Gemm.Tile()
    withUnsafeMutableBytes(of: &scratchTile) { raw in
      let s = raw.baseAddress!.assumingMemoryBound(to: Float.self)
      Gemm.microKernel(
        kc: k, a: a, rowStep: rowStep, kStep: kStep, b: b, bStep: bStep, c: s, ldc: nr, alpha: 1,
        beta: 0)
      for r in 0..<rows {
        let dst = c + r * ldc
        let src = s + r * nr
        if add {
          for j in 0..<cols { dst[j] += src[j] }
        } else {
          for j in 0..<cols { dst[j] = src[j] }
        }
      }
    }
  }

  /// `dst = max(src, 0)`, a vector at a time.
  @inline(__always)
  static func relu(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
    let lw = Gemm.Lane.scalarCount
    let zero = Gemm.Lane()
    var i = 0
    while i + lw <= count {
      var v = Gemm.loadLane(src + i)
      v.replace(with: zero, where: v .< zero)
      Gemm.storeLane(dst + i, v)
      i += lw
    }
    while i < count {
      dst[i] = src[i] < 0 ? 0 : src[i]
      i += 1
    }
  }

  /// A matrix B as the micro-kernel reads it: nr-wide panels of `depth` rows, zero past
  /// `width`; B(d, j) is `m[d * ld + j]`, or `m[j * ld + d]` when `transposed`.
  static func packPanels(
    _ m: UnsafePointer<Float>, depth: Int, width: Int, ld: Int, transposed: Bool
  ) -> UnsafeMutablePointer<Float> {
    let nr = Gemm.nr
    let panels = (width + nr - 1) / nr
    let dst = UnsafeMutablePointer<Float>.allocate(capacity: max(1, panels * depth * nr))
    for jp in 0..<panels {
      let cols = min(nr, width - jp * nr)
      for d in 0..<depth {
        let o = dst + (jp * depth + d) * nr
        for j in 0..<nr {
          let col = jp * nr + j
          o[j] = j < cols ? (transposed ? m[col * ld + d] : m[d * ld + col]) : 0
        }
      }
    }
    return dst
  }

  /// Zeroed scratch memory (freed by the caller).
  static func scratch(_ count: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
    p.initialize(repeating: 0, count: max(1, count))
    return p
  }

  /// Task `t`'s share of `blocks` consecutive blocks (the first tasks take one more).
  @inline(__always)
  static func blockRange(_ t: Int, tasks: Int, blocks: Int) -> Range<Int> {
    let base = blocks / tasks
    let extra = blocks % tasks
    let start = t * base + min(t, extra)
    return start..<(start + base + (t < extra ? 1 : 0))
  }

  static func forEachTask(_ tasks: Int, _ body: @Sendable (Int) -> Void) {
    if tasks > 1 {
      DispatchQueue.concurrentPerform(iterations: tasks, execute: body)
    } else {
      body(0)
    }
  }

  /// Base pointers handed to concurrent tasks (each writes only its own part).
  struct Args: @unchecked Sendable {
    var x: UnsafePointer<Float>
    var a: UnsafePointer<Float>
    var b: UnsafePointer<Float>
    var bias: UnsafePointer<Float>?
    var out: UnsafeMutablePointer<Float>
    var out2: UnsafeMutablePointer<Float>?
  }
}

extension ConvGemm.PatchSource {
  /// Gathers the patches of batch pixels `first ..< first+count` as rows of `dst` (K floats
  /// each, K = `length`).
  func gatherRows(first: Int, count: Int, into dst: UnsafeMutablePointer<Float>) {
    let ow = geometry.outputCols
    let perImage = geometry.outputRows * ow
    let k = length
    let inStride = height * width * channels
    for r in 0..<count {
      let i = first + r
      let image = i / perImage
      let q = i - image * perImage
      Im2col.gatherPatch(
        x + image * inStride, height: height, width: width, channels: channels,
        geometry: geometry, orow: q / ow, ocol: q % ow, into: dst + r * k)
    }
  }

  /// The adjoint of `gatherRows`: adds row r of `rows` (`ld` apart) onto the input positions
  /// (in `dx`, laid out like `x`) that batch pixel `first + r`'s patch was gathered from;
  /// entries that came from padding are dropped.
  func scatterRows(
    first: Int, count: Int, from rows: UnsafePointer<Float>, ld: Int,
    into dx: UnsafeMutablePointer<Float>
  ) {
    let ow = geometry.outputCols
    let perImage = geometry.outputRows * ow
    let inStride = height * width * channels
    let g = geometry
    let kh = g.rows.kernel
    let kw = g.cols.kernel
    let run = kw * channels
    for r in 0..<count {
      let i = first + r
      let image = i / perImage
      let q = i - image * perImage
      let orow = q / ow
      let ocol = q % ow
      let base = dx + image * inStride
      var p = rows + r * ld
      let c0 = g.cols.inputIndex(window: ocol, tap: 0)
      let cLast = g.cols.inputIndex(window: ocol, tap: kw - 1)
      let contiguous = g.cols.dilation == 1 && c0 >= 0 && cLast < width
      for a in 0..<kh {
        let row = g.rows.inputIndex(window: orow, tap: a)
        if row >= 0 && row < height {
          let line = base + row * width * channels
          if contiguous {
            Im2col.addRun(p, into: line + c0 * channels, count: run)
          } else {
            for j in 0..<kw {
              let c = g.cols.inputIndex(window: ocol, tap: j)
              if c >= 0 && c < width {
                Im2col.addRun(p + j * channels, into: line + c * channels, count: channels)
              }
            }
          }
        }
        p += run
      }
    }
  }
}
