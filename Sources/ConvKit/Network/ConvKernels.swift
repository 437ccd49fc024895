/// Conv2D and pooling kernels for whole batches, the layers' workhorses.
///
/// Layout (Keras's): activations are NHWC, `[N, H, W, C]`, channels fastest. A Conv2D kernel is
/// `[KH, KW, Cin, Cout]` (Keras's HWIO), so read row-major it is already the
/// `[KH*KW*Cin, Cout]` matrix that multiplies the im2col patch matrix:
///
///     cols  [N*OH*OW, KH*KW*Cin]   one row per output pixel, columns ordered (kh, kw, cin)
///     out   [N*OH*OW, Cout]      = cols x kernel  (+ bias)  -- exactly the NHWC output
///
/// All matrix products go through `Gemm.sgemm`. Window positions, padding (including Keras's
/// asymmetric `same`), strides and dilation come from `WindowGeometry`, the one shape arithmetic.
/// The plain loops in `ReferenceKernels` are what these are tested against.
public enum ConvKernels {
  /// Largest patch matrix built at once (floats); bigger batches are done in chunks of images.
  public static let maxPatchFloats = 4 << 20

  /// Patch matrix of one image. `x`: `[H, W, C]`; `cols`: `[OH*OW, KH*KW*C]`. Padding is zeros.
  public static func im2col(
    _ x: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
    geometry g: WindowGeometry, into cols: UnsafeMutablePointer<Float>
  ) {
    let kh = g.rows.kernel, kw = g.cols.kernel
    var p = cols
    for orow in 0..<g.outputRows {
      for ocol in 0..<g.outputCols {
        for i in 0..<kh {
          let r = g.rows.inputIndex(window: orow, tap: i)
          let rowInside = r >= 0 && r < height
          for j in 0..<kw {
            let c = g.cols.inputIndex(window: ocol, tap: j)
            if rowInside && c >= 0 && c < width {
              p.update(from: x + (r * width + c) * channels, count: channels)
            } else {
              p.update(repeating: 0, count: channels)
            }
            p += channels
          }
        }
      }
    }
  }

  /// The adjoint of `im2col`: adds each patch entry of `cols` `[OH*OW, KH*KW*C]` back onto the
  /// input position it came from, `dx` `[H, W, C]` (accumulates; padding entries are dropped).
  public static func col2im(
    _ cols: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
    geometry g: WindowGeometry, into dx: UnsafeMutablePointer<Float>
  ) {
    let kh = g.rows.kernel, kw = g.cols.kernel
    var p = cols
    for orow in 0..<g.outputRows {
      for ocol in 0..<g.outputCols {
        for i in 0..<kh {
          let r = g.rows.inputIndex(window: orow, tap: i)
          let rowInside = r >= 0 && r < height
          for j in 0..<kw {
            let c = g.cols.inputIndex(window: ocol, tap: j)
            if rowInside && c >= 0 && c < width {
              let d = dx + (r * width + c) * channels
              for ch in 0..<channels { d[ch] += p[ch] }
            }
            p += channels
          }
        }
      }
    }
  }

  /// Images per im2col chunk so that the patch matrix stays under `maxPatchFloats`.
  static func chunkSize(images: Int, patchFloatsPerImage: Int) -> Int {
    max(1, min(images, maxPatchFloats / max(1, patchFloatsPerImage)))
  }

  /// Conv2D forward: `x` `[N, H, W, Cin]`, `kernel` `[KH, KW, Cin, Cout]`, `bias` `[Cout]` or
  /// nil; returns the pre-activation `[N, OH, OW, Cout]`.
  public static func conv2DForward(
    input x: [Float], batch n: Int, height: Int, width: Int, channels cin: Int,
    kernel: [Float], bias: [Float]?, filters cout: Int, geometry g: WindowGeometry
  ) -> [Float] {
    let pixels = g.outputRows * g.outputCols
    let k = g.rows.kernel * g.cols.kernel * cin
    precondition(x.count == n * height * width * cin, "conv2DForward: input size does not match its shape")
    precondition(kernel.count == k * cout, "conv2DForward: kernel size does not match its shape")
    var out = [Float](repeating: 0, count: n * pixels * cout)
    let chunk = chunkSize(images: n, patchFloatsPerImage: pixels * k)
    var cols = [Float](repeating: 0, count: chunk * pixels * k)
    x.withUnsafeBufferPointer { xp in
      kernel.withUnsafeBufferPointer { wp in
        out.withUnsafeMutableBufferPointer { op in
          cols.withUnsafeMutableBufferPointer { cp in
            var start = 0
            while start < n {
              let count = min(chunk, n - start)
              for i in 0..<count {
                im2col(
                  xp.baseAddress! + (start + i) * height * width * cin, height: height, width: width,
                  channels: cin, geometry: g, into: cp.baseAddress! + i * pixels * k)
              }
              let o = op.baseAddress! + start * pixels * cout
              if let bias {
                for r in 0..<(count * pixels) { (o + r * cout).update(from: bias, count: cout) }
              }
              Gemm.sgemm(
                transA: false, transB: false, m: count * pixels, n: cout, k: k, a: cp.baseAddress!,
                lda: k, b: wp.baseAddress!, ldb: cout, beta: bias == nil ? 0 : 1, c: o, ldc: cout)
              start += count
            }
          }
        }
      }
    }
    return out
  }

  /// Conv2D backward. `dOut` `[N, OH, OW, Cout]` is the gradient of the pre-activation.
  /// Adds dL/dkernel into `dKernel` `[KH, KW, Cin, Cout]` and dL/dbias into `dBias` `[Cout]`
  /// when given (frozen layers pass nil), and returns dL/dinput `[N, H, W, Cin]` when
  /// `needInputGradient` (the first layer does not need it).
  public static func conv2DBackward(
    input x: [Float], dOut: [Float], batch n: Int, height: Int, width: Int, channels cin: Int,
    kernel: [Float], filters cout: Int, geometry g: WindowGeometry,
    dKernel: UnsafeMutablePointer<Float>?, dBias: UnsafeMutablePointer<Float>?,
    needInputGradient: Bool
  ) -> [Float]? {
    let pixels = g.outputRows * g.outputCols
    let k = g.rows.kernel * g.cols.kernel * cin
    precondition(dOut.count == n * pixels * cout, "conv2DBackward: gradient size does not match the output")
    if let dBias {
      dOut.withUnsafeBufferPointer { dp in
        for r in 0..<(n * pixels) {
          let row = dp.baseAddress! + r * cout
          for f in 0..<cout { dBias[f] += row[f] }
        }
      }
    }
    guard dKernel != nil || needInputGradient else { return nil }
    var dx = needInputGradient ? [Float](repeating: 0, count: x.count) : []
    let chunk = chunkSize(images: n, patchFloatsPerImage: pixels * k)
    var cols = [Float](repeating: 0, count: chunk * pixels * k)
    x.withUnsafeBufferPointer { xp in
      dOut.withUnsafeBufferPointer { dp in
        kernel.withUnsafeBufferPointer { wp in
          cols.withUnsafeMutableBufferPointer { cp in
            dx.withUnsafeMutableBufferPointer { dxp in
              var start = 0
              while start < n {
                let count = min(chunk, n - start)
                let d = dp.baseAddress! + start * pixels * cout
                if let dKernel {
                  for i in 0..<count {
                    im2col(
                      xp.baseAddress! + (start + i) * height * width * cin, height: height,
                      width: width, channels: cin, geometry: g, into: cp.baseAddress! + i * pixels * k)
                  }
                  // dKernel [k, cout] += cols^T [k, rows] x dOut [rows, cout]
                  Gemm.sgemm(
                    transA: true, transB: false, m: k, n: cout, k: count * pixels,
                    a: cp.baseAddress!, lda: k, b: d, ldb: cout, beta: 1, c: dKernel, ldc: cout)
                }
                if needInputGradient {
                  // dCols [rows, k] = dOut [rows, cout] x kernel^T [cout, k]
                  Gemm.sgemm(
                    transA: false, transB: true, m: count * pixels, n: k, k: cout, a: d, lda: cout,
                    b: wp.baseAddress!, ldb: cout, beta: 0, c: cp.baseAddress!, ldc: k)
                  for i in 0..<count {
                    col2im(
                      cp.baseAddress! + i * pixels * k, height: height, width: width, channels: cin,
                      geometry: g, into: dxp.baseAddress! + (start + i) * height * width * cin)
                  }
                }
                start += count
              }
            }
          }
        }
      }
    }
    return needInputGradient ? dx : nil
  }

  /// Max pooling of `x` `[N, H, W, C]`. Returns the output `[N, OH, OW, C]` and, for the
  /// backward pass, the flat input index of each output's maximum (padding never wins, as in
  /// Keras; the first maximum wins ties; a window entirely in explicit padding gives 0 and -1).
  /// Channels are the innermost loop, contiguous in NHWC, so the comparisons vectorize.
  public static func maxPoolForward(
    input x: [Float], batch n: Int, height: Int, width: Int, channels: Int, geometry g: WindowGeometry
  ) -> (output: [Float], argmax: [Int32]) {
    let oh = g.outputRows, ow = g.outputCols
    var out = [Float](repeating: 0, count: n * oh * ow * channels)
    var arg = [Int32](repeating: -1, count: out.count)
    x.withUnsafeBufferPointer { xp in
      out.withUnsafeMutableBufferPointer { op in
        arg.withUnsafeMutableBufferPointer { ap in
          for b in 0..<n {
            let base = b * height * width * channels
            for orow in 0..<oh {
              for ocol in 0..<ow {
                let o = ((b * oh + orow) * ow + ocol) * channels
                var first = true
                for i in 0..<g.rows.kernel {
                  let r = g.rows.inputIndex(window: orow, tap: i)
                  guard r >= 0 && r < height else { continue }
                  for j in 0..<g.cols.kernel {
                    let c = g.cols.inputIndex(window: ocol, tap: j)
                    guard c >= 0 && c < width else { continue }
                    let src = base + (r * width + c) * channels
                    if first {
                      for ch in 0..<channels {
                        op[o + ch] = xp[src + ch]
                        ap[o + ch] = Int32(src + ch)
                      }
                      first = false
                    } else {
                      for ch in 0..<channels where xp[src + ch] > op[o + ch] {
                        op[o + ch] = xp[src + ch]
                        ap[o + ch] = Int32(src + ch)
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return (out, arg)
  }

  /// Max pooling backward: each output's gradient goes to the input that was its maximum.
  public static func maxPoolBackward(dOut: [Float], argmax: [Int32], inputCount: Int) -> [Float] {
    var dx = [Float](repeating: 0, count: inputCount)
    dx.withUnsafeMutableBufferPointer { dp in
      for (i, a) in argmax.enumerated() where a >= 0 { dp[Int(a)] += dOut[i] }
    }
    return dx
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
    var taps = [Int](repeating: 0, count: g.rows.kernel * g.cols.kernel)
    var o = 0
    for b in 0..<n {
      let base = b * height * width * channels
      for orow in 0..<g.outputRows {
        for ocol in 0..<g.outputCols {
          for ch in 0..<channels {
            var count = 0
            for i in 0..<g.rows.kernel {
              let r = g.rows.inputIndex(window: orow, tap: i)
              guard r >= 0 && r < height else { continue }
              for j in 0..<g.cols.kernel {
                let c = g.cols.inputIndex(window: ocol, tap: j)
                guard c >= 0 && c < width else { continue }
                taps[count] = base + (r * width + c) * channels + ch
                count += 1
              }
            }
            body(o, taps[0..<count], max(count, 1))
            o += 1
          }
        }
      }
    }
  }
}
