/// Plain, obviously-correct NHWC versions of the depthwise, pointwise (1x1) and transposed
/// convolutions and of their gradients: one loop over every (output, tap) pair, sums in
/// `Double`. They stay in the code so that `DepthwiseConv`, `PointwiseConv` and
/// `TransposedConv` are always tested against them. Layouts are those of the fast kernels.
public enum NHWCReference {
  /// The gradients of one layer, each in its parameter's layout.
  public struct Gradients: Equatable, Sendable {
    public var dInput: [Float]
    public var dKernel: [Float]
    public var dBias: [Float]
  }

  /// Calls `visit(image, outputIndex, inputIndex)` for every output pixel of a window layer and
  /// every kernel tap of it that lands inside the image, with the flat pixel indices (no channels)
  /// and the tap (i, j).
  static func forEachTap(
    batch n: Int, height: Int, width: Int, geometry g: WindowGeometry,
    _ visit: (_ out: Int, _ in: Int, _ tap: Int) -> Void
  ) {
    let (oh, ow) = (g.outputRows, g.outputCols)
    for b in 0..<n {
      for orow in 0..<oh {
        for ocol in 0..<ow {
          for i in 0..<g.rows.kernel {
            let r = g.rows.inputIndex(window: orow, tap: i)
            guard r >= 0 && r < height else { continue }
            for j in 0..<g.cols.kernel {
              let c = g.cols.inputIndex(window: ocol, tap: j)
              guard c >= 0 && c < width else { continue }
              visit((b * oh + orow) * ow + ocol, (b * height + r) * width + c, i * g.cols.kernel + j)
            }
          }
        }
      }
    }
  }

  // MARK: - Depthwise

  /// DepthwiseConv2D: `x` `[N, H, W, C]`, kernel `[KH, KW, C, M]`, bias `[C*M]` ->
  /// `[N, OH, OW, C*M]`, output channel c*M + m from input channel c.
  public static func depthwise(
    input x: [Float], batch n: Int, height: Int, width: Int, channels c: Int, kernel w: [Float],
    depthMultiplier m: Int, bias: [Float]?, geometry g: WindowGeometry
  ) -> [Float] {
    let cm = c * m
    var sums = [Double](repeating: 0, count: n * g.outputRows * g.outputCols * cm)
    forEachTap(batch: n, height: height, width: width, geometry: g) { o, i, t in
      for ch in 0..<c {
        for k in 0..<m {
          sums[o * cm + ch * m + k] += Double(x[i * c + ch]) * Double(w[t * cm + ch * m + k])
        }
      }
    }
    return sums.enumerated().map { Float($0.element + Double(bias?[$0.offset % cm] ?? 0)) }
  }

  /// The depthwise layer's gradients for the output gradient `dOut` `[N, OH, OW, C*M]`.
  public static func depthwiseGradients(
    input x: [Float], dOut: [Float], batch n: Int, height: Int, width: Int, channels c: Int,
    kernel w: [Float], depthMultiplier m: Int, geometry g: WindowGeometry
  ) -> Gradients {
    let cm = c * m
    var dx = [Double](repeating: 0, count: x.count)
    var dw = [Double](repeating: 0, count: w.count)
    var db = [Double](repeating: 0, count: cm)
    for (o, d) in dOut.enumerated() { db[o % cm] += Double(d) }
    forEachTap(batch: n, height: height, width: width, geometry: g) { o, i, t in
      for ch in 0..<c {
        for k in 0..<m {
          let d = Double(dOut[o * cm + ch * m + k])
          dx[i * c + ch] += d * Double(w[t * cm + ch * m + k])
          dw[t * cm + ch * m + k] += d * Double(x[i * c + ch])
        }
      }
    }
    return Gradients(dInput: dx.map(Float.init), dKernel: dw.map(Float.init), dBias: db.map(Float.init))
  }

  // MARK: - Pointwise

  /// A 1x1 convolution: `x` `[P, Cin]` (P = N*H*W pixels), kernel `[Cin, Cout]`, bias `[Cout]`
  /// -> `[P, Cout]`.
  public static func pointwise(
    input x: [Float], pixels p: Int, channels cin: Int, kernel w: [Float], filters cout: Int,
    bias: [Float]?
  ) -> [Float] {
    var out = [Float](repeating: 0, count: p * cout)
    for q in 0..<p {
      for f in 0..<cout {
        var sum = Double(bias?[f] ?? 0)
        for c in 0..<cin { sum += Double(x[q * cin + c]) * Double(w[c * cout + f]) }
        out[q * cout + f] = Float(sum)
      }
    }
    return out
  }

  public static func pointwiseGradients(
    input x: [Float], dOut: [Float], pixels p: Int, channels cin: Int, kernel w: [Float],
    filters cout: Int
  ) -> Gradients {
    var dx = [Double](repeating: 0, count: p * cin)
    var dw = [Double](repeating: 0, count: cin * cout)
    var db = [Double](repeating: 0, count: cout)
    for q in 0..<p {
      for f in 0..<cout {
        let d = Double(dOut[q * cout + f])
        db[f] += d
        for c in 0..<cin {
          dx[q * cin + c] += d * Double(w[c * cout + f])
          dw[c * cout + f] += d * Double(x[q * cin + c])
        }
      }
    }
    return Gradients(dInput: dx.map(Float.init), dKernel: dw.map(Float.init), dBias: db.map(Float.init))
  }

  // MARK: - Transposed

  /// Conv2DTranspose: `x` `[N, H, W, Cin]`, kernel `[KH, KW, F, Cin]` (Keras's order), bias
  /// `[F]` -> `[N, OH, OW, F]`. `g` is the geometry of the convolution this layer transposes
  /// (`TransposedConv.geometry`): its input is the OH x OW output, its output the H x W input.
  /// Input pixel (r, c) adds x * kernel[i, j] onto output pixel (r*s + i*d - padTop, ...).
  public static func transposed(
    input x: [Float], batch n: Int, channels cin: Int, kernel w: [Float], filters f: Int,
    bias: [Float]?, geometry g: WindowGeometry
  ) -> [Float] {
    let (oh, ow) = (g.rows.input, g.cols.input)
    var sums = [Double](repeating: 0, count: n * oh * ow * f)
    // The transposed layer's input pixel is the convolution's output pixel `o`, its output
    // pixel the convolution's input pixel `i`.
    forEachTap(batch: n, height: oh, width: ow, geometry: g) { o, i, t in
      for fo in 0..<f {
        var sum = 0.0
        for c in 0..<cin { sum += Double(x[o * cin + c]) * Double(w[(t * f + fo) * cin + c]) }
        sums[i * f + fo] += sum
      }
    }
    return sums.enumerated().map { Float($0.element + Double(bias?[$0.offset % f] ?? 0)) }
  }

  /// The transposed layer's gradients for `dOut` `[N, OH, OW, F]`.
  public static func transposedGradients(
    input x: [Float], dOut: [Float], batch n: Int, channels cin: Int, kernel w: [Float],
    filters f: Int, geometry g: WindowGeometry
  ) -> Gradients {
    let (oh, ow) = (g.rows.input, g.cols.input)
    var dx = [Double](repeating: 0, count: x.count)
    var dw = [Double](repeating: 0, count: w.count)
    var db = [Double](repeating: 0, count: f)
    for (i, d) in dOut.enumerated() { db[i % f] += Double(d) }
    forEachTap(batch: n, height: oh, width: ow, geometry: g) { o, i, t in
      for fo in 0..<f {
        let d = Double(dOut[i * f + fo])
        for c in 0..<cin {
          dx[o * cin + c] += d * Double(w[(t * f + fo) * cin + c])
          dw[(t * f + fo) * cin + c] += d * Double(x[o * cin + c])
        }
      }
    }
    return Gradients(dInput: dx.map(Float.init), dKernel: dw.map(Float.init), dBias: db.map(Float.init))
  }
}
