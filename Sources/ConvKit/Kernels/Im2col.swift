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
/// `KW*C` neighbouring values is one copy). The layers run `BlockConv`, which works on blocks of
/// patches that stay in cache and uses `Im2col`'s gather and run helpers; the whole-batch patch
/// matrix here is what its tests and `convplay-bench` compare it with.
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
