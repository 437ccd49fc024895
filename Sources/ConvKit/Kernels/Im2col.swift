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
        for image in (gi * perGroup)..<min(n, (gi + 1) * perGroup) {
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
