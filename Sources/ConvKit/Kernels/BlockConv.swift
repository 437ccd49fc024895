import Dispatch

/// Conv2D for training and inference on NHWC batches, in blocks of output pixels that stay in
/// cache: what the network layers call. Same layouts as `Im2col`: `x` `[N, H, W, Cin]`, kernel
/// `[KH, KW, Cin, Cout]`, output and `dOut` `[N, OH, OW, Cout]`, patch length K = KH*KW*Cin.
///
/// Why blocks: a whole batch's patch matrix is 9 times the input (85 MB for a 26x26x32 layer
/// of 128 images), so writing it out and reading it back costs more memory traffic than the
/// arithmetic. Here each task works on about a hundred output pixels at a time with a
/// register-tile micro-kernel (`Gemm.microKernel`'s 6 x 2-vector tile):
///
///     forward          out block  [P, Cout]  = patches [P, K] x kernel [K, Cout], + bias, ReLU
///     kernel gradient  dK         [K, Cout] += patches^T [K, P] x dOut block [P, Cout]
///     input gradient   dCols      [P, K]     = dOut block [P, Cout] x kernel^T, added into dx
///
/// The forward pass reads each patch straight from the image (`windowKernel`: tap t of a
/// window is a fixed offset from its first cell; a padded layer's input is first copied with
/// its zero border), K a chunk at a time; the kernel gradient gathers the block's
/// patches into L2 (128 KB), except for thin patches (a first layer's K = 9), read in place
/// too; the input gradient keeps its dCols block in L2 and scatters it back.
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
    if n * g.outputRows * g.outputCols == 0 || cout == 0 { return }
    let packed = packPanels(w, depth: k, width: cout, ld: cout, transposed: false)
    defer { packed.deallocate() }
    forward(
      input: x, batch: n, height: height, width: width, channels: cin, packedKernel: packed, bias: bias,
      filters: cout, geometry: g, output: z, lower: relu ? 0 : -.infinity, upper: .infinity)
  }

  /// The kernel `[KH, KW, Cin, Cout]` as `forward(packedKernel:)` reads it: nr-wide panels of
  /// the K = KH*KW*Cin taps, zero past Cout, each column j multiplied by `scale[j]` when given
  /// (a BatchNormalization folded into the convolution). Packed once, it serves every call of
  /// an inference network instead of being packed again per batch.
  public static func packedKernel(
    _ w: UnsafePointer<Float>, depth k: Int, filters cout: Int, scale: UnsafePointer<Float>? = nil
  ) -> [Float] {
    let nr = Gemm.nr
    let panels = (cout + nr - 1) / nr
    return uninitializedFloats(max(1, panels * k * nr)) { dst in
      if panels * k == 0 {
        dst[0] = 0
        return
      }
      for jp in 0..<panels {
        let cols = min(nr, cout - jp * nr)
        for d in 0..<k {
          let o = dst + (jp * k + d) * nr
          let row = w + d * cout + jp * nr
          if let scale {
            for j in 0..<cols { o[j] = row[j] * scale[jp * nr + j] }
          } else {
            o.update(from: row, count: cols)
          }
          for j in cols..<nr { o[j] = 0 }
        }
      }
    }
  }

  /// The forward pass with a kernel packed by `packedKernel`: z = patches x kernel + bias,
  /// clamped to [lower, upper] (ReLU: [0, inf); ReLU(max_value=6): [0, 6]) while each block is
  /// in cache.
  ///
  /// A padded layer first copies its input into a zero-bordered buffer (one pass over the
  /// input, far less than the product), so that every window is read in place by
  /// `windowKernel`. The patch length K is taken `depthChunk` taps at a time: one chunk of a
  /// kernel panel (32 KB) stays in L1 while every micro-tile of the block passes it, instead
  /// of a whole panel (up to 590 KB for a 3x3x512 layer) being streamed again for every six
  /// pixels. Later chunks start their sums from what the earlier ones stored, so each output is
  /// the same chain of multiply-adds, in the same order, as without chunks.
  /// Blocks of output pixels are shared among the cores; when a layer has fewer blocks than
  /// tasks (a 7x7 map of one image), each block's filters are split among the tasks too.
  public static func forward(
    input x: UnsafePointer<Float>, batch n: Int, height: Int, width: Int, channels cin: Int,
    packedKernel packed: UnsafePointer<Float>, bias: UnsafePointer<Float>?, filters cout: Int,
    geometry g: WindowGeometry, output z: UnsafeMutablePointer<Float>, lower: Float, upper: Float
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let rows = n * g.outputRows * g.outputCols
    if rows == 0 || cout == 0 { return }
    let padded = g.rows.padBefore + g.rows.padAfter + g.cols.padBefore + g.cols.padAfter > 0
    let copy = padded ? paddedCopy(x, batch: n, height: height, width: width, channels: cin, geometry: g) : nil
    defer { copy?.buffer.deallocate() }
    let source =
      copy.map { PatchSource(x: UnsafePointer($0.buffer), height: $0.height, width: $0.width, channels: cin, geometry: $0.geometry) }
      ?? PatchSource(x: x, height: height, width: width, channels: cin, geometry: g)
    let nr = Gemm.nr
    let panels = (cout + nr - 1) / nr
    let chunk = min(k, depthChunk)
    let p = max(Gemm.mr, min(2040, blockFloats / max(1, chunk)) / Gemm.mr * Gemm.mr)
    let blocks = (rows + p - 1) / p
    let parallel = rows * k * cout >= parallelWork
    // Filter groups per block: enough units for every task when the blocks alone are too few.
    let groups = parallel && blocks < maxTasks ? min(panels, (maxTasks + blocks - 1) / blocks) : 1
    let units = blocks * groups
    let tasks = parallel ? min(units, maxTasks) : 1
    let args = Args(x: x, a: packed, b: packed, bias: bias, out: z, out2: nil)
    let offsets = Offsets(source)
    let relu = lower == 0 && upper == .infinity
    let clamp = !relu && (lower > -.infinity || upper < .infinity)
    forEachTask(tasks) { t in
      for unit in blockRange(t, tasks: tasks, blocks: units) {
        let block = unit / groups
        let panelRange = blockRange(unit % groups, tasks: groups, blocks: panels)
        let first = block * p
        let count = min(p, rows - first)
        let out = args.out + first * cout
        chunkedBlock(
          source, first: first, count: count, offsets: offsets, kernel: args.b, filters: cout,
          panels: panelRange, chunk: chunk, out: out)
        // Bias and the clamp while the block is still in cache.
        let col = panelRange.lowerBound * nr
        let cols = min(cout, panelRange.upperBound * nr) - col
        for r in 0..<count {
          let row = out + r * cout + col
          if let b = args.bias { Im2col.addRun(b + col, into: row, count: cols) }
          if relu { BlockConv.relu(row, into: row, count: cols) }
          if clamp { BlockConv.clamp(row, count: cols, lower: lower, upper: upper) }
        }
      }
    }
  }

  /// Taps per chunk of the patch length in `forward(packedKernel:)`.
  static let depthChunk = 256

  /// The input with its padding written out as zeros, and the geometry of a padding-free
  /// layer on it (same windows, same output). Images are copied in parallel.
  static func paddedCopy(
    _ x: UnsafePointer<Float>, batch n: Int, height: Int, width: Int, channels c: Int, geometry g: WindowGeometry
  ) -> (buffer: UnsafeMutablePointer<Float>, height: Int, width: Int, geometry: WindowGeometry) {
    let (top, left) = (g.rows.padBefore, g.cols.padBefore)
    let h = height + top + g.rows.padAfter
    let w = width + left + g.cols.padAfter
    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, n * h * w * c))
    var geometry = g
    geometry.rows.input = h
    geometry.rows.padBefore = 0
    geometry.rows.padAfter = 0
    geometry.cols.input = w
    geometry.cols.padBefore = 0
    geometry.cols.padAfter = 0
    let args = Args(x: x, a: x, b: x, bias: nil, out: buffer, out2: nil)
    let tasks = n * h * w * c >= 1 << 16 ? min(n, maxTasks) : 1
    forEachTask(tasks) { t in
      for image in blockRange(t, tasks: tasks, blocks: n) {
        let src = args.x + image * height * width * c
        let dst = args.out + image * h * w * c
        for r in 0..<h {
          let row = dst + r * w * c
          let inside = r - top
          guard inside >= 0 && inside < height else {
            row.update(repeating: 0, count: w * c)
            continue
          }
          row.update(repeating: 0, count: left * c)
          copyFloats(src + inside * width * c, into: row + left * c, count: width * c)
          (row + (left + width) * c).update(repeating: 0, count: (w - left - width) * c)
        }
      }
    }
    return (buffer, h, w, geometry)
  }

  /// One block of a padding-free layer (every window inside the input): for each chunk of
  /// taps, each filter panel of `panels`, each run of `mr` output pixels, the micro-kernel read
  /// in place (`windowKernel`); the first chunk overwrites `out`, the others add onto it.
  static func chunkedBlock(
    _ source: PatchSource, first: Int, count: Int, offsets: Offsets,
    kernel packed: UnsafePointer<Float>, filters cout: Int, panels: Range<Int>, chunk: Int,
    out: UnsafeMutablePointer<Float>
  ) {
    let (mr, nr) = (Gemm.mr, Gemm.nr)
    let g = source.geometry
    let k = source.length
    let (oh, ow) = (g.outputRows, g.outputCols)
    let c = source.channels
    let inStride = source.height * source.width * c
    typealias Starts = (
      UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
      UnsafePointer<Float>, UnsafePointer<Float>
    )
    // Where each pixel's window starts, mr at a time (a short last run repeats its last pixel).
    let runs = (count + mr - 1) / mr
    var starts = [Starts](repeating: (source.x, source.x, source.x, source.x, source.x, source.x), count: runs)
    var image = first / (oh * ow)
    let q = first - image * oh * ow
    var orow = q / ow
    var ocol = q - orow * ow
    starts.withUnsafeMutableBytes { raw in
      let p = raw.baseAddress!.assumingMemoryBound(to: UnsafePointer<Float>.self)
      for i in 0..<count {
        p[i] =
          source.x + image * inStride
          + (g.rows.inputIndex(window: orow, tap: 0) * source.width + g.cols.inputIndex(window: ocol, tap: 0)) * c
        ocol += 1
        if ocol == ow {
          ocol = 0
          orow += 1
          if orow == oh {
            orow = 0
            image += 1
          }
        }
      }
      for i in count..<(runs * mr) { p[i] = p[count - 1] }
    }
    offsets.values.withUnsafeBufferPointer { off in
      starts.withUnsafeBufferPointer { runStarts in
        var t0 = 0
        while t0 < k {
          let depth = min(chunk, k - t0)
          let accumulate = t0 > 0
          for jp in panels {
            let col = jp * nr
            let cols = min(nr, cout - col)
            let b = packed + jp * k * nr + t0 * nr
            for run in 0..<runs {
              let rows = min(mr, count - run * mr)
              let c = out + run * mr * cout + col
              if rows == mr && cols == nr {
                windowKernel(
                  k: depth, starts: runStarts[run], offsets: off.baseAddress! + t0, b: b, c: c, ldc: cout,
                  accumulate: accumulate)
                continue
              }
              var scratchTile = Gemm.Tile()
              withUnsafeMutableBytes(of: &scratchTile) { raw in
                let s = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                if accumulate {
                  for r in 0..<rows { s.advanced(by: r * nr).update(from: c + r * cout, count: cols) }
                }
                windowKernel(
                  k: depth, starts: runStarts[run], offsets: off.baseAddress! + t0, b: b, c: s, ldc: nr,
                  accumulate: accumulate)
                for r in 0..<rows { (c + r * cout).update(from: s + r * nr, count: cols) }
              }
            }
          }
          t0 += depth
        }
      }
    }
  }

  /// Adds patches^T x dOut into `dKernel` `[KH, KW, Cin, Cout]` and, when given, the sums of
  /// `dOut`'s rows into `dBias` `[Cout]` (`dOut`: the gradient of the pre-activation).
  /// With `reluOutput` (a ReLU layer's output y, laid out like dOut), `dOut` is dL/dy instead
  /// and ReLU's backward pass (keep dOut where y > 0) is applied as it is read: a first layer,
  /// which needs no input gradient, then never writes dL/dz out.
  public static func kernelGradient(
    input x: UnsafePointer<Float>, dOut: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels cin: Int, filters cout: Int, geometry g: WindowGeometry,
    dKernel: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>? = nil,
    reluOutput: UnsafePointer<Float>? = nil
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let rows = n * g.outputRows * g.outputCols
    if rows == 0 || cout == 0 { return }
    let source = PatchSource(x: x, height: height, width: width, channels: cin, geometry: g)
    let (mr, nr) = (Gemm.mr, Gemm.nr)
    let panels = (cout + nr - 1) / nr
    let p = blockPixels(k: k)
    let blocks = (rows + p - 1) / p
    // Each task sums into its own dK and dBias; keep those copies under 16 MB in all.
    let copies = max(1, min(maxTasks, (4 << 20) / max(1, k * cout + cout)))
    let tasks = rows * k * cout >= parallelWork ? min(blocks, copies) : 1
    let partialSize = k * cout + cout
    let inPlace = cout % nr == 0 && reluOutput == nil
    // Thin patches are read in place (see `thinGradientBlock`) when dOut's rows can be too.
    let thin = cout % nr == 0 && k <= thinPatch
    let offsets = Offsets(source)
    let partials = scratch(tasks * partialSize)
    defer { partials.deallocate() }
    let args = Args(x: x, a: dOut, b: dOut, bias: nil, out: partials, out2: nil, mask: reluOutput)
    forEachTask(tasks) { t in
      let patch = scratch((p + mr) * k + mr)
      let packedD = scratch(inPlace && !thin ? 1 : panels * p * nr)
      defer {
        patch.deallocate()
        packedD.deallocate()
      }
      let dk = args.out + t * partialSize
      let db = dk + k * cout
      for block in blockRange(t, tasks: tasks, blocks: blocks) {
        let first = block * p
        let count = min(p, rows - first)
        let mask = args.mask.map { $0 + first * cout }
        if thin {
          let d = args.a + first * cout
          for r in 0..<count {
            if let mask {
              addMasked(d + r * cout, where: mask + r * cout, into: db, count: cout)
            } else {
              Im2col.addRun(d + r * cout, into: db, count: cout)
            }
          }
          thinGradientBlock(
            source, first: first, count: count, offsets: offsets, dOut: d, mask: mask,
            filters: cout, patch: patch, packed: packedD, blockPixels: p, dKernel: dk)
          continue
        }
        source.gatherRows(first: first, count: count, into: patch)
        // dOut's rows as nr-wide panels (zero past Cout; read in place when Cout is a
        // multiple of nr), summed for the bias on the way.
        let d = args.a + first * cout
        for r in 0..<count {
          let row = d + r * cout
          if inPlace {
            Im2col.addRun(row, into: db, count: cout)
            continue
          }
          for jp in 0..<panels {
            let dst = packedD + jp * p * nr + r * nr
            let col = jp * nr
            let cols = min(nr, cout - col)
            if let mask {
              let m = mask + r * cout + col
              for j in 0..<cols { dst[j] = m[j] > 0 ? row[col + j] : 0 }
            } else {
              for j in 0..<cols { dst[j] = row[col + j] }
            }
            for j in cols..<nr { dst[j] = 0 }
            Im2col.addRun(dst, into: db + col, count: cols)
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
    if n * pixels == 0 || cout == 0 || k == 0 {
      dx.update(repeating: 0, count: n * inStride)
      return
    }
    let source = PatchSource(x: UnsafePointer(dx), height: height, width: width, channels: cin, geometry: g)
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
      (args.out + images.lowerBound * inStride).update(repeating: 0, count: images.count * inStride)
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

  /// Patches up to this long are read in place by the kernel gradient (`thinGradientBlock`);
  /// longer ones are gathered, which lets each micro-kernel call run over a whole block.
  static let thinPatch = 32

  /// Where each tap of a window lies relative to the window's first cell, in floats:
  /// tap (i, j, c) at i*dilation*W*C + j*dilation*C + c.
  struct Offsets: @unchecked Sendable {
    let values: [Int]

    init(_ s: PatchSource) {
      let g = s.geometry
      var v: [Int] = []
      v.reserveCapacity(s.length)
      for i in 0..<g.rows.kernel {
        for j in 0..<g.cols.kernel {
          for c in 0..<s.channels {
            v.append((i * g.rows.dilation * s.width + j * g.cols.dilation) * s.channels + c)
          }
        }
      }
      values = v
    }
  }

  /// The kernel gradient of one block of a thin-patch layer (Cout a multiple of nr) without
  /// gathering: for each run of neighbouring output pixels of one output row whose windows lie
  /// inside the image, `mr` taps at a time are read straight from the input against dOut's rows
  /// in place (`thinGradientKernel`); the other pixels are gathered into `patch` (their dOut
  /// rows into `packed`, nr-wide panels of `blockPixels` rows) and summed as in the general case.
  static func thinGradientBlock(
    _ source: PatchSource, first: Int, count: Int, offsets: Offsets,
    dOut d: UnsafePointer<Float>, mask: UnsafePointer<Float>?, filters cout: Int,
    patch: UnsafeMutablePointer<Float>,
    packed: UnsafeMutablePointer<Float>, blockPixels p: Int, dKernel dk: UnsafeMutablePointer<Float>
  ) {
    let (mr, nr) = (Gemm.mr, Gemm.nr)
    let g = source.geometry
    let k = source.length
    let panels = cout / nr
    let (oh, ow) = (g.outputRows, g.outputCols)
    let c = source.channels
    let inStride = source.height * source.width * c
    let pixelStep = g.cols.stride * c
    let lastRowTap = (g.rows.kernel - 1) * g.rows.dilation
    let lastColTap = (g.cols.kernel - 1) * g.cols.dilation
    var image = first / (oh * ow)
    let q = first - image * oh * ow
    var orow = q / ow
    var ocol = q - orow * ow
    var gathered = 0
    offsets.values.withUnsafeBufferPointer { off in
      var i = 0
      while i < count {
        let r0 = g.rows.inputIndex(window: orow, tap: 0)
        let rowInside = r0 >= 0 && r0 + lastRowTap < source.height
        // This output row's pixels from ocol on whose windows lie inside the image.
        var run = 0
        if rowInside {
          while run < count - i && ocol + run < ow {
            let c0 = g.cols.inputIndex(window: ocol + run, tap: 0)
            if c0 < 0 || c0 + lastColTap >= source.width { break }
            run += 1
          }
        }
        if run > 0 {
          let a = source.x + image * inStride + (r0 * source.width + g.cols.inputIndex(window: ocol, tap: 0)) * c
          var t0 = 0
          while t0 < k {
            let rows = min(mr, k - t0)
            // Taps past the last one repeat it (their sums are dropped).
            let o = off.baseAddress! + t0
            let last = rows - 1
            for jp in 0..<panels {
              let b = d + i * cout + jp * nr
              let c = dk + t0 * cout + jp * nr
              if let mask {
                thinGradientKernel(
                  k: run, p0: a + o[0], p1: a + o[min(1, last)], p2: a + o[min(2, last)],
                  p3: a + o[min(3, last)], p4: a + o[min(4, last)], p5: a + o[min(5, last)],
                  pixelStep: pixelStep, b: b, mask: mask + i * cout + jp * nr, bStep: cout, c: c,
                  ldc: cout, rows: rows)
              } else {
                thinGradientKernel(
                  k: run, p0: a + o[0], p1: a + o[min(1, last)], p2: a + o[min(2, last)],
                  p3: a + o[min(3, last)], p4: a + o[min(4, last)], p5: a + o[min(5, last)],
                  pixelStep: pixelStep, b: b, mask: nil, bStep: cout, c: c, ldc: cout, rows: rows)
              }
            }
            t0 += mr
          }
        } else {
          run = 1
          source.gatherRows(first: first + i, count: 1, into: patch + gathered * k)
          let row = d + i * cout
          for jp in 0..<panels {
            let dst = packed + jp * p * nr + gathered * nr
            if let mask {
              let m = mask + i * cout + jp * nr
              for j in 0..<nr { dst[j] = m[j] > 0 ? row[jp * nr + j] : 0 }
            } else {
              dst.update(from: row + jp * nr, count: nr)
            }
          }
          gathered += 1
        }
        i += run
        ocol += run
        while ocol >= ow {
          ocol -= ow
          orow += 1
          if orow == oh {
            orow = 0
            image += 1
          }
        }
      }
    }
    if gathered == 0 { return }
    for jp in 0..<panels {
      var ip = 0
      while ip < k {
        tile(
          k: gathered, a: patch + ip, rowStep: 1, kStep: k, b: UnsafePointer(packed + jp * p * nr),
          bStep: nr, c: dk + ip * cout + jp * nr, ldc: cout, rows: min(mr, k - ip), cols: nr,
          add: true)
        ip += mr
      }
    }
  }

  /// `C[0..<rows, 0..<nr] += sum over k pixels of A (mr taps read at p0...p5, pixels
  /// `pixelStep` apart) times B (dOut's rows, `bStep` apart)`.
  @inline(__always)
  static func thinGradientKernel(
    k: Int, p0: UnsafePointer<Float>, p1: UnsafePointer<Float>, p2: UnsafePointer<Float>,
    p3: UnsafePointer<Float>, p4: UnsafePointer<Float>, p5: UnsafePointer<Float>,
    pixelStep: Int, b: UnsafePointer<Float>, mask: UnsafePointer<Float>?, bStep: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int
  ) {
    typealias L = Gemm.Lane
    let w = L.scalarCount
    var c00 = L(), c01 = L(), c10 = L(), c11 = L(), c20 = L(), c21 = L()
    var c30 = L(), c31 = L(), c40 = L(), c41 = L(), c50 = L(), c51 = L()
    var pb = b
    var pm = mask ?? b
    let zero = L()
    var x = 0
    for _ in 0..<k {
      var b0 = Gemm.loadLane(pb)
      var b1 = Gemm.loadLane(pb + w)
      if mask != nil {
        b0.replace(with: zero, where: Gemm.loadLane(pm) .<= zero)
        b1.replace(with: zero, where: Gemm.loadLane(pm + w) .<= zero)
        pm += bStep
      }
      var av = L(repeating: p0[x])
      c00 = Gemm.fma(c00, av, b0)
      c01 = Gemm.fma(c01, av, b1)
      av = L(repeating: p1[x])
      c10 = Gemm.fma(c10, av, b0)
      c11 = Gemm.fma(c11, av, b1)
      av = L(repeating: p2[x])
      c20 = Gemm.fma(c20, av, b0)
      c21 = Gemm.fma(c21, av, b1)
      av = L(repeating: p3[x])
      c30 = Gemm.fma(c30, av, b0)
      c31 = Gemm.fma(c31, av, b1)
      av = L(repeating: p4[x])
      c40 = Gemm.fma(c40, av, b0)
      c41 = Gemm.fma(c41, av, b1)
      av = L(repeating: p5[x])
      c50 = Gemm.fma(c50, av, b0)
      c51 = Gemm.fma(c51, av, b1)
      x += pixelStep
      pb += bStep
    }
    @inline(__always) func add(_ r: Int, _ v0: L, _ v1: L) {
      guard r < rows else { return }
      let p = c + r * ldc
      Gemm.storeLane(p, Gemm.loadLane(p) + v0)
      Gemm.storeLane(p + w, Gemm.loadLane(p + w) + v1)
    }
    add(0, c00, c01)
    add(1, c10, c11)
    add(2, c20, c21)
    add(3, c30, c31)
    add(4, c40, c41)
    add(5, c50, c51)
  }

  /// `Gemm.microKernel` for a convolution read in place: A's element (r, t) is
  /// `starts.r[offsets[t]]` (the window of output pixel r, tap t), B a packed kernel panel;
  /// C is overwritten.
  @inline(__always)
  static func windowKernel(
    k: Int,
    starts: (
      UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
      UnsafePointer<Float>, UnsafePointer<Float>
    ),
    offsets: UnsafePointer<Int>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool = false
  ) {
    typealias L = Gemm.Lane
    let w = L.scalarCount
    var c00 = L(), c01 = L(), c10 = L(), c11 = L(), c20 = L(), c21 = L()
    var c30 = L(), c31 = L(), c40 = L(), c41 = L(), c50 = L(), c51 = L()
    if accumulate {
      // Continue the sums an earlier chunk of taps stored.
      (c00, c01) = (Gemm.loadLane(c), Gemm.loadLane(c + w))
      (c10, c11) = (Gemm.loadLane(c + ldc), Gemm.loadLane(c + ldc + w))
      (c20, c21) = (Gemm.loadLane(c + 2 * ldc), Gemm.loadLane(c + 2 * ldc + w))
      (c30, c31) = (Gemm.loadLane(c + 3 * ldc), Gemm.loadLane(c + 3 * ldc + w))
      (c40, c41) = (Gemm.loadLane(c + 4 * ldc), Gemm.loadLane(c + 4 * ldc + w))
      (c50, c51) = (Gemm.loadLane(c + 5 * ldc), Gemm.loadLane(c + 5 * ldc + w))
    }
    let (a0, a1, a2, a3, a4, a5) = starts
    var pb = b
    for t in 0..<k {
      let o = offsets[t]
      let b0 = Gemm.loadLane(pb)
      let b1 = Gemm.loadLane(pb + w)
      var av = L(repeating: a0[o])
      c00 = Gemm.fma(c00, av, b0)
      c01 = Gemm.fma(c01, av, b1)
      av = L(repeating: a1[o])
      c10 = Gemm.fma(c10, av, b0)
      c11 = Gemm.fma(c11, av, b1)
      av = L(repeating: a2[o])
      c20 = Gemm.fma(c20, av, b0)
      c21 = Gemm.fma(c21, av, b1)
      av = L(repeating: a3[o])
      c30 = Gemm.fma(c30, av, b0)
      c31 = Gemm.fma(c31, av, b1)
      av = L(repeating: a4[o])
      c40 = Gemm.fma(c40, av, b0)
      c41 = Gemm.fma(c41, av, b1)
      av = L(repeating: a5[o])
      c50 = Gemm.fma(c50, av, b0)
      c51 = Gemm.fma(c51, av, b1)
      pb += 2 * w
    }
    Gemm.storeLane(c, c00)
    Gemm.storeLane(c + w, c01)
    Gemm.storeLane(c + ldc, c10)
    Gemm.storeLane(c + ldc + w, c11)
    Gemm.storeLane(c + 2 * ldc, c20)
    Gemm.storeLane(c + 2 * ldc + w, c21)
    Gemm.storeLane(c + 3 * ldc, c30)
    Gemm.storeLane(c + 3 * ldc + w, c31)
    Gemm.storeLane(c + 4 * ldc, c40)
    Gemm.storeLane(c + 4 * ldc + w, c41)
    Gemm.storeLane(c + 5 * ldc, c50)
    Gemm.storeLane(c + 5 * ldc + w, c51)
  }

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

  /// `dst += src` where `mask > 0` (ReLU's backward pass summed), a vector at a time.
  @inline(__always)
  static func addMasked(
    _ src: UnsafePointer<Float>, where mask: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>,
    count: Int
  ) {
    let lw = Gemm.Lane.scalarCount
    let zero = Gemm.Lane()
    var i = 0
    while i + lw <= count {
      var v = Gemm.loadLane(src + i)
      v.replace(with: zero, where: Gemm.loadLane(mask + i) .<= zero)
      Gemm.storeLane(dst + i, Gemm.loadLane(dst + i) + v)
      i += lw
    }
    while i < count {
      if mask[i] > 0 { dst[i] += src[i] }
      i += 1
    }
  }

  /// `row = min(max(row, lower), upper)` in place, a vector at a time.
  @inline(__always)
  static func clamp(_ row: UnsafeMutablePointer<Float>, count: Int, lower: Float, upper: Float) {
    let lw = Gemm.Lane.scalarCount
    let lo = Gemm.Lane(repeating: lower), hi = Gemm.Lane(repeating: upper)
    var i = 0
    while i + lw <= count {
      var v = Gemm.loadLane(row + i)
      v.replace(with: lo, where: v .< lo)
      v.replace(with: hi, where: v .> hi)
      Gemm.storeLane(row + i, v)
      i += lw
    }
    while i < count {
      row[i] = min(max(row[i], lower), upper)
      i += 1
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
    var mask: UnsafePointer<Float>? = nil
  }
}

/// Where a layer's patch matrix comes from, without storing it: row i is output pixel i of the
/// batch (image, then row, then column), column t is tap (kh, kw, cin) of its window.
struct PatchSource: @unchecked Sendable {
  var x: UnsafePointer<Float>
  var height: Int
  var width: Int
  var channels: Int
  var geometry: WindowGeometry

  /// K = KH*KW*Cin, the length of one patch.
  var length: Int { geometry.rows.kernel * geometry.cols.kernel * channels }

  /// Gathers the patches of batch pixels `first ..< first+count` as rows of `dst` (K floats
  /// each, K = `length`). Windows wholly inside the image (all but a border ring) are KH runs
  /// of KW*C neighbouring floats, copied a vector at a time; the others go through
  /// `Im2col.gatherPatch`, which zero-fills padding.
  func gatherRows(first: Int, count: Int, into dst: UnsafeMutablePointer<Float>) {
    let g = geometry
    let ow = g.outputCols
    let oh = g.outputRows
    let k = length
    let c = channels
    let inStride = height * width * c
    let rowStep = width * c
    let kh = g.rows.kernel
    let run = g.cols.kernel * c
    let rowTap = g.rows.dilation * rowStep
    let contiguousTaps = g.cols.dilation == 1
    var image = first / (oh * ow)
    var q = first - image * oh * ow
    var orow = q / ow
    var ocol = q - orow * ow
    for r in 0..<count {
      let out = dst + r * k
      let r0 = g.rows.inputIndex(window: orow, tap: 0)
      let c0 = g.cols.inputIndex(window: ocol, tap: 0)
      if contiguousTaps && r0 >= 0 && g.rows.inputIndex(window: orow, tap: kh - 1) < height && c0 >= 0
        && c0 + run / c <= width
      {
        var src = x + image * inStride + r0 * rowStep + c0 * c
        var o = out
        for _ in 0..<kh {
          copyFloats(src, into: o, count: run)
          src += rowTap
          o += run
        }
      } else {
        Im2col.gatherPatch(
          x + image * inStride, height: height, width: width, channels: c, geometry: g,
          orow: orow, ocol: ocol, into: out)
      }
      ocol += 1
      if ocol == ow {
        ocol = 0
        orow += 1
        if orow == oh {
          orow = 0
          image += 1
        }
      }
      q += 1
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

/// A short copy, a vector at a time (a memmove call costs more than the few floats of a patch
/// row).
@inline(__always)
func copyFloats(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
  let lw = Gemm.Lane.scalarCount
  var t = 0
  while t + lw <= count {
    Gemm.storeLane(dst + t, Gemm.loadLane(src + t))
    t += lw
  }
  while t < count {
    dst[t] = src[t]
    t += 1
  }
}
