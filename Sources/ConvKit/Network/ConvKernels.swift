/// Conv2D and pooling kernels for whole batches, the layers' workhorses.
///
/// Layout (Keras's): activations are NHWC, `[N, H, W, C]`, channels fastest. A Conv2D kernel is
/// `[KH, KW, Cin, Cout]` (Keras's HWIO), so read row-major it is already the
/// `[KH*KW*Cin, Cout]` matrix that multiplies the im2col patch matrix:
///
///     cols  [N*OH*OW, KH*KW*Cin]   one row per output pixel, columns ordered (kh, kw, cin)
///     out   [N*OH*OW, Cout]      = cols x kernel  (+ bias)  -- exactly the NHWC output
///
/// Conv2D and max pooling run on the fast kernels of `Kernels/` (`BlockConv`: patches gathered
/// a cache-sized block at a time and multiplied by `Gemm`'s micro-kernel; `FastPool`). Window positions, padding
/// (including Keras's asymmetric `same`), strides and dilation come from `WindowGeometry`, the
/// one shape arithmetic.
/// The plain loops in `ReferenceKernels` are what these are tested against.
public enum ConvKernels {
  /// Conv2D forward: `x` `[N, H, W, Cin]`, `kernel` `[KH, KW, Cin, Cout]`, `bias` `[Cout]` or
  /// nil; returns the pre-activation `[N, OH, OW, Cout]`.
  public static func conv2DForward(
    input x: [Float], batch n: Int, height: Int, width: Int, channels cin: Int,
    kernel: [Float], bias: [Float]?, filters cout: Int, geometry g: WindowGeometry
  ) -> [Float] {
    uninitializedFloats(n * g.outputRows * g.outputCols * cout) { op in
      x.withUnsafeBufferPointer { xp in
        kernel.withUnsafeBufferPointer { wp in
          withOptionalPointer(bias) { bp in
            BlockConv.forward(
              input: xp.baseAddress!, batch: n, height: height, width: width, channels: cin,
              kernel: wp.baseAddress!, bias: bp, filters: cout, geometry: g, output: op)
          }
        }
      }
    }
  }

  /// Max pooling of `x` `[N, H, W, C]`. Returns the output `[N, OH, OW, C]` and, for the
  /// backward pass, the flat input index of each output's maximum (padding never wins, as in
  /// Keras; the first maximum wins ties; a window entirely in explicit padding gives 0 and -1).
  /// Channels are the innermost loop, contiguous in NHWC, so the comparisons vectorize.
  public static func maxPoolForward(
    input x: [Float], batch n: Int, height: Int, width: Int, channels: Int, geometry g: WindowGeometry
  ) -> (output: [Float], argmax: [Int32]) {
    let count = n * g.outputRows * g.outputCols * channels
    guard count > 0 else { return ([], []) }
    var arg: [Int32] = []
    let out = uninitializedFloats(count) { op in
      arg = [Int32](unsafeUninitializedCapacity: count) { ap, initialized in
        FastPool.maxForward(
          input: x, batch: n, height: height, width: width, channels: channels, geometry: g,
          output: op, argmax: ap.baseAddress!)
        initialized = count
      }
    }
    return (out, arg)
  }

  /// Average pooling of `x` `[N, H, W, C]`; padded cells are left out of the mean (Keras).
  public static func avgPoolForward(
    input x: [Float], batch n: Int, height: Int, width: Int, channels: Int, geometry g: WindowGeometry
  ) -> [Float] {
    var out = [Float](repeating: 0, count: n * g.outputRows * g.outputCols * channels)
    forEachWindow(batch: n, height: height, width: width, channels: channels, geometry: g) {
      o, taps, count in
      var s: Float = 0
      for t in taps { s += x[t] }
      out[o] = s / Float(count)
    }
    return out
  }

  /// Average pooling backward: each output's gradient is shared equally by its window's cells.
  public static func avgPoolBackward(
    dOut: [Float], batch n: Int, height: Int, width: Int, channels: Int, geometry g: WindowGeometry
  ) -> [Float] {
    var dx = [Float](repeating: 0, count: n * height * width * channels)
    forEachWindow(batch: n, height: height, width: width, channels: channels, geometry: g) {
      o, taps, count in
      let share = dOut[o] / Float(count)
      for t in taps { dx[t] += share }
    }
    return dx
  }

  /// Calls `body(outputIndex, inputIndices, count)` for every pooling window (inside cells only).
  private static func forEachWindow(
    batch n: Int, height: Int, width: Int, channels: Int, geometry g: WindowGeometry,
    _ body: (Int, ArraySlice<Int>, Int) -> Void
  ) {
    let size = g.rows.kernel * g.cols.kernel
    var cells = [Int](repeating: 0, count: size)
    var taps = [Int](repeating: 0, count: size)
    var o = 0
    for b in 0..<n {
      let base = b * height * width * channels
      for orow in 0..<g.outputRows {
        for ocol in 0..<g.outputCols {
          let count = cells.withUnsafeMutableBufferPointer {
            g.insideCells(
              orow: orow, ocol: ocol, height: height, width: width, channels: channels, base: base,
              into: $0.baseAddress!)
          }
          for ch in 0..<channels {
            for t in 0..<count { taps[t] = cells[t] + ch }
            body(o, taps[0..<count], max(count, 1))
            o += 1
          }
        }
      }
    }
  }
}
