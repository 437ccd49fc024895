/// A depthwise convolution, plainly: one `kh x kw` kernel per input channel and depth
/// multiplier, no mixing across channels. Kernel `[KH, KW, C, M]` (Keras's layout); output
/// channel `c*M + m`. NHWC, so the channels of a pixel are contiguous and the inner loops run
/// along them. Used by DepthwiseConv2D and SeparableConv2D.
enum DepthwiseConvolution {
  struct Shape {
    var batch: Int, height: Int, width: Int, channels: Int, multiplier: Int
    var geometry: WindowGeometry
    var outChannels: Int { channels * multiplier }
  }

  /// Calls `body(oy, ox, tap, iy, ix)` for every output pixel's taps inside the image.
  @inline(__always)
  static func forEachTap(_ s: Shape, _ body: (Int, Int, Int, Int, Int) -> Void) {
    let g = s.geometry
    for oy in 0..<g.outputRows {
      for ox in 0..<g.outputCols {
        for i in 0..<g.rows.kernel {
          let iy = oy * g.rows.stride - g.rows.padBefore + i * g.rows.dilation
          if iy < 0 || iy >= s.height { continue }
          for j in 0..<g.cols.kernel {
            let ix = ox * g.cols.stride - g.cols.padBefore + j * g.cols.dilation
            if ix < 0 || ix >= s.width { continue }
            body(oy, ox, i * g.cols.kernel + j, iy, ix)
          }
        }
      }
    }
  }

  static func forward(_ x: [Float], kernel k: [Float], bias: [Float]?, _ s: Shape) -> [Float] {
    let (c, m, oc) = (s.channels, s.multiplier, s.outChannels)
    let (oh, ow) = (s.geometry.outputRows, s.geometry.outputCols)
    var out = [Float](repeating: 0, count: s.batch * oh * ow * oc)
    x.withUnsafeBufferPointer { xp in
      k.withUnsafeBufferPointer { kp in
        out.withUnsafeMutableBufferPointer { op in
          for b in 0..<s.batch {
            let xb = xp.baseAddress! + b * s.height * s.width * c
            let ob = op.baseAddress! + b * oh * ow * oc
            forEachTap(s) { oy, ox, tap, iy, ix in
              let o = ob + (oy * ow + ox) * oc
              let xi = xb + (iy * s.width + ix) * c
              let kt = kp.baseAddress! + tap * oc
              if m == 1 {
                for ch in 0..<c { o[ch] += xi[ch] * kt[ch] }
              } else {
                for ch in 0..<c { for q in 0..<m { o[ch * m + q] += xi[ch] * kt[ch * m + q] } }
              }
            }
          }
          if let bias {
            for p in 0..<(s.batch * oh * ow) { for ch in 0..<oc { op[p * oc + ch] += bias[ch] } }
          }
        }
      }
    }
    return out
  }

  /// dL/dinput, and (when `dKernel` is given) adds dL/dkernel.
  static func backward(
    _ x: [Float], kernel k: [Float], dOut: [Float], _ s: Shape, needInput: Bool,
    dKernel: UnsafeMutablePointer<Float>?
  ) -> [Float] {
    let (c, m, oc) = (s.channels, s.multiplier, s.outChannels)
    let (oh, ow) = (s.geometry.outputRows, s.geometry.outputCols)
    var dx = [Float](repeating: 0, count: needInput ? x.count : 0)
    x.withUnsafeBufferPointer { xp in
      k.withUnsafeBufferPointer { kp in
        dOut.withUnsafeBufferPointer { dp in
          dx.withUnsafeMutableBufferPointer { dxp in
            for b in 0..<s.batch {
              let xb = xp.baseAddress! + b * s.height * s.width * c
              let db = dp.baseAddress! + b * oh * ow * oc
              let dxb = needInput ? dxp.baseAddress! + b * s.height * s.width * c : nil
              forEachTap(s) { oy, ox, tap, iy, ix in
                let d = db + (oy * ow + ox) * oc
                let xi = xb + (iy * s.width + ix) * c
                let kt = kp.baseAddress! + tap * oc
                if let dxb {
                  let dxi = dxb + (iy * s.width + ix) * c
                  for ch in 0..<c { for q in 0..<m { dxi[ch] += d[ch * m + q] * kt[ch * m + q] } }
                }
                if let dKernel {
                  let dk = dKernel + tap * oc
                  for ch in 0..<c { for q in 0..<m { dk[ch * m + q] += d[ch * m + q] * xi[ch] } }
                }
              }
            }
          }
        }
      }
    }
    return dx
  }

  /// Adds the sum of `dOut` over all pixels into `dBias` (one value per channel).
  static func addBiasGradient(_ dOut: [Float], channels: Int, into dBias: inout [Float]) {
    dOut.withUnsafeBufferPointer { dp in
      dBias.withUnsafeMutableBufferPointer { bp in
        for p in 0..<(dOut.count / max(channels, 1)) { Im2col.addRun(dp.baseAddress! + p * channels, into: bp.baseAddress!, count: channels) }
      }
    }
  }
}
