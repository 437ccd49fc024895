import Dispatch

/// Fast building blocks for Conv2D on NHWC batches, the layout of the network layers (Keras's):
/// activations `[N, H, W, C]` with channels fastest, kernels `[KH, KW, Cin, Cout]` (HWIO), which
/// read row-major are the `[KH*KW*Cin, Cout]` matrix that multiplies the patch matrix
/// `[N*OH*OW, KH*KW*Cin]` (one row per output pixel, columns ordered kh, kw, cin):
///
///     forward          out    [N*OH*OW, Cout]  = patches x kernel (+ bias)
///     kernel gradient  dK     [K, Cout]       += patches^T x dOut
///     input gradient   dCols  [N*OH*OW, K]     = dOut x kernel^T, then col2im into dx
///
/// `Im2col` builds and scatters patch matrices faster than a tap-by-tap copy (each run of
/// `KW*C` neighbouring values is one copy) and spreads whole batches over the cores.
/// `DirectConv` skips the patch matrix altogether where it costs more than it saves: layers with
/// few input channels (the first layer of an MNIST network has K = 9), whose patch matrix is 9
/// times the input and whose product is too thin to keep the GEMM micro-kernel busy.
///
/// Window positions, padding (Keras's asymmetric `same` included), strides and dilation all come
/// from `WindowGeometry`. Everything here is tested against `ReferenceKernels.convolve`.
public enum Im2col {
  /// Patch matrix of one image: `x` `[H, W, C]` -> `cols` `[OH*OW, KH*KW*C]`, zeros for padding.
  public static func patches(
    _ x: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
    geometry g: WindowGeometry, into cols: UnsafeMutablePointer<Float>
  ) {
    let row = g.rows.kernel * g.cols.kernel * channels
    for orow in 0..<g.outputRows {
      for ocol in 0..<g.outputCols {
        gatherPatch(
          x, height: height, width: width, channels: channels, geometry: g, orow: orow, ocol: ocol,
          into: cols + (orow * g.outputCols + ocol) * row)
      }
    }
  }

  /// Patch matrices of `n` images at once: `x` `[N, H, W, C]` -> `cols` `[N*OH*OW, KH*KW*C]`.
  /// Images are shared among the cores when the batch is big enough to pay for it.
  public static func patches(
    batch x: UnsafePointer<Float>, images n: Int, height: Int, width: Int, channels: Int,
    geometry g: WindowGeometry, into cols: UnsafeMutablePointer<Float>
  ) {
    let inStride = height * width * channels
    let outStride = g.outputRows * g.outputCols * g.rows.kernel * g.cols.kernel * channels
    let shared = SharedPointers(input: x, output: cols)
    forEachImage(n, work: outStride) { i in
      patches(
        shared.input + i * inStride, height: height, width: width, channels: channels,
        geometry: g, into: shared.output + i * outStride)
    }
  }

  /// The adjoint of `patches` (col2im): adds each entry of `cols` `[OH*OW, KH*KW*C]` onto the
  /// input position it was copied from in `dx` `[H, W, C]`. Entries that came from padding are
  /// dropped. `dx` accumulates: clear it first for a fresh gradient.
  public static func accumulate(
    _ cols: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
    geometry g: WindowGeometry, into dx: UnsafeMutablePointer<Float>
  ) {
    let kh = g.rows.kernel
    let kw = g.cols.kernel
    let run = kw * channels
    let contiguous = g.cols.dilation == 1
    var p = cols
    for orow in 0..<g.outputRows {
      for ocol in 0..<g.outputCols {
        let c0 = g.cols.inputIndex(window: ocol, tap: 0)
        let cLast = g.cols.inputIndex(window: ocol, tap: kw - 1)
        for i in 0..<kh {
          let r = g.rows.inputIndex(window: orow, tap: i)
          if r >= 0 && r < height {
            let base = dx + r * width * channels
            if contiguous && c0 >= 0 && cLast < width {
              addRun(p, into: base + c0 * channels, count: run)
            } else {
              for j in 0..<kw {
                let c = g.cols.inputIndex(window: ocol, tap: j)
                if c >= 0 && c < width {
                  addRun(p + j * channels, into: base + c * channels, count: channels)
                }
              }
            }
          }
          p += run
        }
      }
    }
  }

  /// `accumulate` for `n` images: `cols` `[N*OH*OW, KH*KW*C]` onto `dx` `[N, H, W, C]`, images
  /// shared among the cores (each image's gradient is its own, so they never collide).
  public static func accumulate(
    batch cols: UnsafePointer<Float>, images n: Int, height: Int, width: Int, channels: Int,
    geometry g: WindowGeometry, into dx: UnsafeMutablePointer<Float>
  ) {
    let dxStride = height * width * channels
    let colStride = g.outputRows * g.outputCols * g.rows.kernel * g.cols.kernel * channels
    let shared = SharedPointers(input: cols, output: dx)
    forEachImage(n, work: colStride) { i in
      accumulate(
        shared.input + i * colStride, height: height, width: width, channels: channels,
        geometry: g, into: shared.output + i * dxStride)
    }
  }

  // MARK: - Shared pieces

  /// Copies the `KH*KW*C` values under one window into `patch` (zeros where it covers padding):
  /// one row of the patch matrix. With dilation 1 and the window inside the image, each of
  /// the KH rows is a single run of KW*C neighbouring values.
  @inline(__always)
  static func gatherPatch(
    _ x: UnsafePointer<Float>, height: Int, width: Int, channels: Int, geometry g: WindowGeometry,
    orow: Int, ocol: Int, into patch: UnsafeMutablePointer<Float>
  ) {
    let kh = g.rows.kernel
    let kw = g.cols.kernel
    let run = kw * channels
    let c0 = g.cols.inputIndex(window: ocol, tap: 0)
    let cLast = g.cols.inputIndex(window: ocol, tap: kw - 1)
    let contiguous = g.cols.dilation == 1 && c0 >= 0 && cLast < width
    var p = patch
    for i in 0..<kh {
      let r = g.rows.inputIndex(window: orow, tap: i)
      if r < 0 || r >= height {
        for t in 0..<run { p[t] = 0 }
      } else if contiguous {
        copyRun(x + (r * width + c0) * channels, into: p, count: run)
      } else {
        for j in 0..<kw {
          let c = g.cols.inputIndex(window: ocol, tap: j)
          let dst = p + j * channels
          if c >= 0 && c < width {
            copyRun(x + (r * width + c) * channels, into: dst, count: channels)
          } else {
            for t in 0..<channels { dst[t] = 0 }
          }
        }
      }
      p += run
    }
  }

  /// A short copy: a plain loop beats a memmove call for the few floats of a small layer.
  @inline(__always)
  static func copyRun(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
    if count > 32 {
      dst.update(from: src, count: count)
    } else {
      for t in 0..<count { dst[t] = src[t] }
    }
  }

  @inline(__always)
  static func addRun(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
    let w = Gemm.Lane.scalarCount
    var t = 0
    while t + w <= count {
      let sum = Gemm.loadLane(dst + t) + Gemm.loadLane(src + t)
      Gemm.storeLane(dst + t, sum)
      t += w
    }
    while t < count {
      dst[t] += src[t]
      t += 1
    }
  }

  /// Input and output base pointers handed to concurrent per-image work; each image reads and
  /// writes only its own slices.
  struct SharedPointers: @unchecked Sendable {
    var input: UnsafePointer<Float>
    var output: UnsafeMutablePointer<Float>
  }

  /// Runs `body(image)` for every image, on all cores when there is enough work (`work` floats
  /// written per image) to outweigh handing it out.
  static func forEachImage(_ n: Int, work: Int, _ body: @Sendable (Int) -> Void) {
    if n > 1 && n * work >= 1 << 16 {
      DispatchQueue.concurrentPerform(iterations: n, execute: body)
    } else {
      for i in 0..<n { body(i) }
    }
  }
}

/// Conv2D without a patch matrix, for layers with few input channels (see `Im2col`).
/// Same layouts: `x` `[N, H, W, Cin]`, kernel `[KH, KW, Cin, Cout]`, output `[N, OH, OW, Cout]`.
public enum DirectConv {
  /// Whether the direct kernels beat im2col + GEMM for a layer: when one patch (`KH*KW*Cin`
  /// values) is short, the GEMM's k loop is too short to amortize its tile loads and stores.
  public static func isFaster(kernelRows kh: Int, kernelCols kw: Int, channels cin: Int) -> Bool {
    kh * kw * cin <= 32
  }

  /// `out[n, oh, ow, f] = bias[f] + sum over (i, j, c) x[n, oh*s+i*d-pad, ow*s+j*d-pad, c] *
  /// kernel[i, j, c, f]`: the pre-activation of a Conv2D layer. `out` is overwritten.
  public static func forward(
    input x: UnsafePointer<Float>, batch n: Int, height: Int, width: Int, channels cin: Int,
    kernel w: UnsafePointer<Float>, bias: UnsafePointer<Float>?, filters cout: Int,
    geometry g: WindowGeometry, output out: UnsafeMutablePointer<Float>
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let pixels = g.outputRows * g.outputCols
    let inStride = height * width * cin
    let args = Pointers(x: x, w: w, bias: bias, out: out)
    Im2col.forEachImage(n, work: pixels * (cout + k)) { image in
      withUnsafeTemporaryAllocation(of: Float.self, capacity: k) { buffer in
        let patch = buffer.baseAddress!
        let xi = args.x + image * inStride
        var o = args.out + image * pixels * cout
        for orow in 0..<g.outputRows {
          for ocol in 0..<g.outputCols {
            Im2col.gatherPatch(
              xi, height: height, width: width, channels: cin, geometry: g, orow: orow,
              ocol: ocol, into: patch)
            dotRows(patch: patch, k: k, kernel: args.w, filters: cout, bias: args.bias, into: o)
            o += cout
          }
        }
      }
    }
  }

  /// Adds the kernel gradient `dK[i, j, c, f] += sum over (n, oh, ow) of the input value under
  /// tap (i, j, c) times dOut[n, oh, ow, f]` into `dKernel` `[KH, KW, Cin, Cout]`.
  /// `dOut` is `[N, OH, OW, Cout]`, the gradient of the pre-activation. Groups of images are
  /// summed on separate cores into their own scratch gradients, added at the end.
  public static func kernelGradient(
    input x: UnsafePointer<Float>, dOut: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels cin: Int, filters cout: Int, geometry g: WindowGeometry,
    dKernel: UnsafeMutablePointer<Float>
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let pixels = g.outputRows * g.outputCols
    let inStride = height * width * cin
    let groups = n * pixels * k * cout >= 1 << 18 ? min(n, 4) : 1
    let perGroup = (n + groups - 1) / groups
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: groups * k * cout)
    scratch.initialize(repeating: 0, count: groups * k * cout)
    defer { scratch.deallocate() }
    let args = Pointers(x: x, w: dOut, bias: nil, out: scratch)
    let group = { @Sendable (gi: Int) in
      withUnsafeTemporaryAllocation(of: Float.self, capacity: k) { buffer in
        let patch = buffer.baseAddress!
        let acc = args.out + gi * k * cout
        for image in min(n, gi * perGroup)..<min(n, (gi + 1) * perGroup) {
          let xi = args.x + image * inStride
          var d = args.w + image * pixels * cout
          for orow in 0..<g.outputRows {
            for ocol in 0..<g.outputCols {
              Im2col.gatherPatch(
                xi, height: height, width: width, channels: cin, geometry: g, orow: orow,
                ocol: ocol, into: patch)
              for t in 0..<k {
                axpy(patch[t], d, into: acc + t * cout, count: cout)
              }
              d += cout
            }
          }
        }
      }
    }
    if groups > 1 {
      DispatchQueue.concurrentPerform(iterations: groups, execute: group)
    } else {
      group(0)
    }
    for gi in 0..<groups {
      Im2col.addRun(scratch + gi * k * cout, into: dKernel, count: k * cout)
    }
  }

  /// `out[f] = bias[f] + sum over t of patch[t] * kernel[t, f]` for one output pixel, two
  /// vectors of filters at a time.
  @inline(__always)
  static func dotRows(
    patch: UnsafePointer<Float>, k: Int, kernel w: UnsafePointer<Float>, filters cout: Int,
    bias: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>
  ) {
    let lw = Gemm.Lane.scalarCount
    var f = 0
    while f + 2 * lw <= cout {
      var a0 = bias.map { Gemm.loadLane($0 + f) } ?? Gemm.Lane()
      var a1 = bias.map { Gemm.loadLane($0 + f + lw) } ?? Gemm.Lane()
      var wp = w + f
      for t in 0..<k {
        let s = Gemm.Lane(repeating: patch[t])
        a0 = Gemm.fma(a0, s, Gemm.loadLane(wp))
        a1 = Gemm.fma(a1, s, Gemm.loadLane(wp + lw))
        wp += cout
      }
      Gemm.storeLane(out + f, a0)
      Gemm.storeLane(out + f + lw, a1)
      f += 2 * lw
    }
    while f + lw <= cout {
      var a0 = bias.map { Gemm.loadLane($0 + f) } ?? Gemm.Lane()
      var wp = w + f
      for t in 0..<k {
        a0 = Gemm.fma(a0, Gemm.Lane(repeating: patch[t]), Gemm.loadLane(wp))
        wp += cout
      }
      Gemm.storeLane(out + f, a0)
      f += lw
    }
    while f < cout {
      var s = bias?[f] ?? 0
      for t in 0..<k { s += patch[t] * w[t * cout + f] }
      out[f] = s
      f += 1
    }
  }

  /// `acc[0..<count] += s * v[0..<count]`.
  @inline(__always)
  static func axpy(
    _ s: Float, _ v: UnsafePointer<Float>, into acc: UnsafeMutablePointer<Float>, count: Int
  ) {
    let lw = Gemm.Lane.scalarCount
    let sv = Gemm.Lane(repeating: s)
    var f = 0
    while f + lw <= count {
      Gemm.storeLane(acc + f, Gemm.fma(Gemm.loadLane(acc + f), sv, Gemm.loadLane(v + f)))
      f += lw
    }
    while f < count {
      acc[f] += s * v[f]
      f += 1
    }
  }

  /// Base pointers handed to concurrent per-image work (disjoint outputs per task).
  struct Pointers: @unchecked Sendable {
    var x: UnsafePointer<Float>
    var w: UnsafePointer<Float>
    var bias: UnsafePointer<Float>?
    var out: UnsafeMutablePointer<Float>
  }
}

/// Conv2D as matrix products whose patch matrix is never written out ("implicit GEMM"): the
/// GEMM's A-packing step gathers each block of patches straight from the images, so the
/// patches live only in cache. Same layouts as `Im2col`: `x` `[N, H, W, Cin]`, kernel
/// `[KH, KW, Cin, Cout]`, output and `dOut` `[N, OH, OW, Cout]`.
public enum ConvGemm {
  /// Pre-activation `[N, OH, OW, Cout]` = patches `[N*OH*OW, K]` x kernel `[K, Cout]` + bias.
  /// `out` is overwritten.
  public static func forward(
    input x: UnsafePointer<Float>, batch n: Int, height: Int, width: Int, channels cin: Int,
    kernel w: UnsafePointer<Float>, bias: UnsafePointer<Float>?, filters cout: Int,
    geometry g: WindowGeometry, output out: UnsafeMutablePointer<Float>
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let rows = n * g.outputRows * g.outputCols
    if let bias {
      for r in 0..<rows { (out + r * cout).update(from: bias, count: cout) }
    }
    let source = PatchSource(x: x, height: height, width: width, channels: cin, geometry: g)
    let packer = Gemm.APacker { first, count, depth, kc, dst in
      source.packRows(first: first, count: count, depth: depth, kc: kc, into: dst)
    }
    Gemm.run(
      Gemm.Problem(
        transA: false, transB: false, m: rows, n: cout, k: k, alpha: 1, a: w, lda: k, b: w,
        ldb: cout, beta: bias == nil ? 0 : 1, c: out, ldc: cout, aPacker: packer))
  }

  /// Adds the kernel gradient patches^T `[K, N*OH*OW]` x dOut `[N*OH*OW, Cout]` into `dKernel`
  /// `[KH, KW, Cin, Cout]` (`dOut`: the gradient of the pre-activation).
  public static func kernelGradient(
    input x: UnsafePointer<Float>, dOut: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels cin: Int, filters cout: Int, geometry g: WindowGeometry,
    dKernel: UnsafeMutablePointer<Float>
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let pixels = n * g.outputRows * g.outputCols
    let source = PatchSource(x: x, height: height, width: width, channels: cin, geometry: g)
    let packer = Gemm.APacker { first, count, depth, kc, dst in
      source.packColumns(first: first, count: count, depth: depth, kc: kc, into: dst)
    }
    Gemm.run(
      Gemm.Problem(
        transA: true, transB: false, m: k, n: cout, k: pixels, alpha: 1, a: dOut, lda: k,
        b: dOut, ldb: cout, beta: 1, c: dKernel, ldc: cout, aPacker: packer))
  }

  /// The gradient of the input, `dx` `[N, H, W, Cin]` (overwritten): dCols = dOut x kernel^T,
  /// scattered back by col2im. `scratch` holds the dCols of `chunk` images at a time
  /// (`chunk * OH*OW * K` floats); bigger chunks make fewer, larger products.
  public static func inputGradient(
    dOut: UnsafePointer<Float>, kernel w: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels cin: Int, filters cout: Int, geometry g: WindowGeometry,
    dInput dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, chunk: Int
  ) {
    precondition(chunk >= 1, "inputGradient needs room for at least one image's patches")
    let k = g.rows.kernel * g.cols.kernel * cin
    let pixels = g.outputRows * g.outputCols
    dx.update(repeating: 0, count: n * height * width * cin)
    var start = 0
    while start < n {
      let count = min(chunk, n - start)
      Gemm.sgemm(
        transA: false, transB: true, m: count * pixels, n: k, k: cout, a: dOut + start * pixels * cout,
        lda: cout, b: w, ldb: cout, c: scratch, ldc: k)
      Im2col.accumulate(
        batch: scratch, images: count, height: height, width: width, channels: cin, geometry: g,
        into: dx + start * height * width * cin)
      start += count
    }
  }

  /// Where the patch matrix's values come from: row i is output pixel i of the batch (image,
  /// then row, then column), column t is tap (kh, kw, cin) of its window.
  struct PatchSource: @unchecked Sendable {
    var x: UnsafePointer<Float>
    var height: Int
    var width: Int
    var channels: Int
    var geometry: WindowGeometry

    var length: Int { geometry.rows.kernel * geometry.cols.kernel * channels }

    /// Gathers the patch of batch pixel `i` into `patch` (`length` floats).
    @inline(__always)
    func gather(pixel i: Int, into patch: UnsafeMutablePointer<Float>) {
      let ow = geometry.outputCols
      let perImage = geometry.outputRows * ow
      let image = i / perImage
      let p = i - image * perImage
      Im2col.gatherPatch(
        x + image * height * width * channels, height: height, width: width, channels: channels,
        geometry: geometry, orow: p / ow, ocol: p % ow, into: patch)
    }

    /// Packs patches[first ..< first+count, depth ..< depth+kc] as Gemm's A panels (forward).
    func packRows(
      first: Int, count: Int, depth: Int, kc: Int, into dst: UnsafeMutablePointer<Float>
    ) {
      let mr = Gemm.mr
      withUnsafeTemporaryAllocation(of: Float.self, capacity: length) { buffer in
        let patch = buffer.baseAddress!
        let panels = (count + mr - 1) / mr
        for ip in 0..<panels {
          let out = dst + ip * kc * mr
          for r in 0..<mr {
            let row = ip * mr + r
            if row < count {
              gather(pixel: first + row, into: patch)
              let src = patch + depth
              for c in 0..<kc { out[c * mr + r] = src[c] }
            } else {
              for c in 0..<kc { out[c * mr + r] = 0 }
            }
          }
        }
      }
    }

    /// Packs patches^T[first ..< first+count, depth ..< depth+kc] as Gemm's A panels (kernel
    /// gradient: rows are taps, the depth runs over pixels).
    func packColumns(
      first: Int, count: Int, depth: Int, kc: Int, into dst: UnsafeMutablePointer<Float>
    ) {
      let mr = Gemm.mr
      withUnsafeTemporaryAllocation(of: Float.self, capacity: length) { buffer in
        let patch = buffer.baseAddress!
        let panels = (count + mr - 1) / mr
        for c in 0..<kc {
          gather(pixel: depth + c, into: patch)
          for ip in 0..<panels {
            let out = dst + ip * kc * mr + c * mr
            let t0 = first + ip * mr
            let valid = min(mr, first + count - t0)
            for r in 0..<valid { out[r] = patch[t0 + r] }
            for r in valid..<mr { out[r] = 0 }
          }
        }
      }
    }
  }
}

/// The fastest way this file knows to run each part of a Conv2D layer on a batch, chosen per
/// layer shape: what a network layer should call. Same layouts as `Im2col`: `x`
/// `[N, H, W, Cin]`, kernel `[KH, KW, Cin, Cout]`, output and `dOut` `[N, OH, OW, Cout]`.
///
/// Thin patches (K = KH*KW*Cin <= 32, a first layer) go through `DirectConv`; others store the
/// patches of a chunk of images (`Im2col.patches`, at most `maxPatchFloats` at a time) and
/// multiply them with `Gemm.sgemm`, which measured faster than gathering them inside the GEMM
/// (`ConvGemm`), at the cost of that scratch memory.
public enum FastConv {
  /// Largest patch matrix stored at once (floats, 16 MB) unless a call gives its own
  /// `patchBudget`; bigger batches go in chunks of images.
  public static let maxPatchFloats = 4 << 20

  /// Pre-activation `[N, OH, OW, Cout]` (overwritten) = patches x kernel + bias.
  public static func forward(
    input x: UnsafePointer<Float>, batch n: Int, height: Int, width: Int, channels cin: Int,
    kernel w: UnsafePointer<Float>, bias: UnsafePointer<Float>?, filters cout: Int,
    geometry g: WindowGeometry, output out: UnsafeMutablePointer<Float>,
    patchBudget: Int = maxPatchFloats
  ) {
    if DirectConv.isFaster(kernelRows: g.rows.kernel, kernelCols: g.cols.kernel, channels: cin) {
      DirectConv.forward(
        input: x, batch: n, height: height, width: width, channels: cin, kernel: w, bias: bias,
        filters: cout, geometry: g, output: out)
      return
    }
    let k = g.rows.kernel * g.cols.kernel * cin
    let pixels = g.outputRows * g.outputCols
    forEachChunk(n, patchFloats: pixels * k, budget: patchBudget) { start, count, cols in
      Im2col.patches(
        batch: x + start * height * width * cin, images: count, height: height, width: width,
        channels: cin, geometry: g, into: cols)
      let o = out + start * pixels * cout
      if let bias {
        for r in 0..<(count * pixels) { (o + r * cout).update(from: bias, count: cout) }
      }
      Gemm.sgemm(
        transA: false, transB: false, m: count * pixels, n: cout, k: k, a: cols, lda: k, b: w,
        ldb: cout, beta: bias == nil ? 0 : 1, c: o, ldc: cout)
    }
  }

  /// Adds patches^T x dOut into `dKernel` `[KH, KW, Cin, Cout]`.
  public static func kernelGradient(
    input x: UnsafePointer<Float>, dOut: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels cin: Int, filters cout: Int, geometry g: WindowGeometry,
    dKernel: UnsafeMutablePointer<Float>, patchBudget: Int = maxPatchFloats
  ) {
    if DirectConv.isFaster(kernelRows: g.rows.kernel, kernelCols: g.cols.kernel, channels: cin) {
      DirectConv.kernelGradient(
        input: x, dOut: dOut, batch: n, height: height, width: width, channels: cin,
        filters: cout, geometry: g, dKernel: dKernel)
      return
    }
    let k = g.rows.kernel * g.cols.kernel * cin
    let pixels = g.outputRows * g.outputCols
    forEachChunk(n, patchFloats: pixels * k, budget: patchBudget) { start, count, cols in
      Im2col.patches(
        batch: x + start * height * width * cin, images: count, height: height, width: width,
        channels: cin, geometry: g, into: cols)
      Gemm.sgemm(
        transA: true, transB: false, m: k, n: cout, k: count * pixels, a: cols, lda: k,
        b: dOut + start * pixels * cout, ldb: cout, beta: 1, c: dKernel, ldc: cout)
    }
  }

  /// The input gradient `dx` `[N, H, W, Cin]` (overwritten): dOut x kernel^T, then col2im.
  public static func inputGradient(
    dOut: UnsafePointer<Float>, kernel w: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels cin: Int, filters cout: Int, geometry g: WindowGeometry,
    dInput dx: UnsafeMutablePointer<Float>, patchBudget: Int = maxPatchFloats
  ) {
    let k = g.rows.kernel * g.cols.kernel * cin
    let pixels = g.outputRows * g.outputCols
    let chunk = max(1, min(n, patchBudget / max(1, pixels * k)))
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: chunk * pixels * k)
    defer { scratch.deallocate() }
    ConvGemm.inputGradient(
      dOut: dOut, kernel: w, batch: n, height: height, width: width, channels: cin,
      filters: cout, geometry: g, dInput: dx, scratch: scratch, chunk: chunk)
  }

  /// Calls `body(firstImage, images, patchBuffer)` for chunks of images whose patch matrix
  /// (`patchFloats` per image) fits in `budget` floats (one image at least).
  static func forEachChunk(
    _ n: Int, patchFloats: Int, budget: Int,
    _ body: (Int, Int, UnsafeMutablePointer<Float>) -> Void
  ) {
    let chunk = max(1, min(n, budget / max(1, patchFloats)))
    let cols = UnsafeMutablePointer<Float>.allocate(capacity: chunk * patchFloats)
    defer { cols.deallocate() }
    var start = 0
    while start < n {
      let count = min(chunk, n - start)
      body(start, count, cols)
      start += count
    }
  }
}
