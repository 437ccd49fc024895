import Dispatch

/// Max pooling on NHWC batches (`[N, H, W, C]`, channels fastest, the network's layout), a
/// vector of channels at a time and the images spread over the cores. Same rules as
/// `ReferenceKernels.pool`, which it is tested against: padded cells never win (Keras), and the
/// first maximum in window order (rows, then columns) wins ties.
public enum FastPool {
  /// `out` `[N, OH, OW, C]` gets each window's maximum; `argmax` (same shape) the flat index in
  /// `x` (over the whole batch) of the value that won, which is where the backward pass sends
  /// that output's gradient.
  public static func maxForward(
    input x: UnsafePointer<Float>, batch n: Int, height: Int, width: Int, channels: Int,
    geometry g: WindowGeometry, output out: UnsafeMutablePointer<Float>,
    argmax: UnsafeMutablePointer<Int32>
  ) {
    precondition(
      n * height * width * channels <= Int(Int32.max), "max pooling indexes the batch with Int32")
    typealias Index = Gemm.Lane.MaskStorage
    let lw = Gemm.Lane.scalarCount
    let oh = g.outputRows
    let ow = g.outputCols
    let lanes = Index((0..<lw).map { Int32($0) })
    let args = PoolPointers(x: x, out: out, argmax: argmax)
    Im2col.forEachImage(n, work: oh * ow * channels * g.rows.kernel * g.cols.kernel) { image in
      let base = image * height * width * channels
      var o = image * oh * ow * channels
      for orow in 0..<oh {
        for ocol in 0..<ow {
          var c = 0
          while c + lw <= channels {
            var best = Gemm.Lane(repeating: -.infinity)
            var at = Index(repeating: -1)
            for i in 0..<g.rows.kernel {
              let r = g.rows.inputIndex(window: orow, tap: i)
              guard r >= 0 && r < height else { continue }
              for j in 0..<g.cols.kernel {
                let col = g.cols.inputIndex(window: ocol, tap: j)
                guard col >= 0 && col < width else { continue }
                let idx = base + (r * width + col) * channels + c
                let v = Gemm.loadLane(args.x + idx)
                // The first tap always wins (even against -inf values), later ones only if larger.
                let wins = (v .> best) .| (at .< 0)
                best.replace(with: v, where: wins)
                at.replace(with: Index(repeating: Int32(idx)) &+ lanes, where: wins)
              }
            }
            Gemm.storeLane(args.out + o + c, best)
            UnsafeMutableRawPointer(args.argmax + o + c).storeBytes(of: at, as: Index.self)
            c += lw
          }
          while c < channels {
            var best = -Float.infinity
            var at = -1
            for i in 0..<g.rows.kernel {
              let r = g.rows.inputIndex(window: orow, tap: i)
              guard r >= 0 && r < height else { continue }
              for j in 0..<g.cols.kernel {
                let col = g.cols.inputIndex(window: ocol, tap: j)
                guard col >= 0 && col < width else { continue }
                let idx = base + (r * width + col) * channels + c
                if at < 0 || args.x[idx] > best {
                  best = args.x[idx]
                  at = idx
                }
              }
            }
            args.out[o + c] = best
            args.argmax[o + c] = Int32(at)
            c += 1
          }
          o += channels
        }
      }
    }
  }

  /// `dx` `[N, H, W, C]` (overwritten) receives each output's gradient `dOut` at the input
  /// index `argmax` recorded by `maxForward`; overlapping windows add up.
  public static func maxBackward(
    dOut: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, batch n: Int, height: Int,
    width: Int, channels: Int, geometry g: WindowGeometry, dInput dx: UnsafeMutablePointer<Float>
  ) {
    let perImageOut = g.outputRows * g.outputCols * channels
    let perImageIn = height * width * channels
    let args = PoolPointers(x: dOut, out: dx, argmax: UnsafeMutablePointer(mutating: argmax))
    Im2col.forEachImage(n, work: perImageIn) { image in
      // Each image's maxima lie in that image, so images never write the same cells.
      (args.out + image * perImageIn).update(repeating: 0, count: perImageIn)
      for o in (image * perImageOut)..<((image + 1) * perImageOut) {
        args.out[Int(args.argmax[o])] += args.x[o]
      }
    }
  }

  struct PoolPointers: @unchecked Sendable {
    var x: UnsafePointer<Float>
    var out: UnsafeMutablePointer<Float>
    var argmax: UnsafeMutablePointer<Int32>
  }
}
