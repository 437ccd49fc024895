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
    let taps = g.rows.kernel * g.cols.kernel
    Im2col.forEachImage(n, work: oh * ow * channels * taps) { image in
      let base = image * height * width * channels
      var o = image * oh * ow * channels
      withUnsafeTemporaryAllocation(of: Int.self, capacity: max(1, taps)) { offsets in
        for orow in 0..<oh {
          for ocol in 0..<ow {
            let count = g.insideCells(
              orow: orow, ocol: ocol, height: height, width: width, channels: channels, base: base,
              into: offsets.baseAddress!)
            if count == 0 {
              // A window entirely in explicit padding.
              for c in 0..<channels {
                args.out[o + c] = -.infinity
                args.argmax[o + c] = -1
              }
              o += channels
              continue
            }
            var c = 0
            while c + lw <= channels {
              // The first cell starts as the maximum; later ones win only when larger, so the
              // first maximum wins ties.
              var best = Gemm.loadLane(args.x + offsets[0] + c)
              var at = Index(repeating: Int32(offsets[0] + c))
              for t in 1..<count {
                let v = Gemm.loadLane(args.x + offsets[t] + c)
                let wins = v .> best
                best.replace(with: v, where: wins)
                at.replace(with: Index(repeating: Int32(offsets[t] + c)), where: wins)
              }
              Gemm.storeLane(args.out + o + c, best)
              UnsafeMutableRawPointer(args.argmax + o + c).storeBytes(of: at &+ lanes, as: Index.self)
              c += lw
            }
            while c < channels {
              var best = args.x[offsets[0] + c]
              var at = offsets[0] + c
              for t in 1..<count where args.x[offsets[t] + c] > best {
                best = args.x[offsets[t] + c]
                at = offsets[t] + c
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
        let at = Int(args.argmax[o])
        if at >= 0 { args.out[at] += args.x[o] }
      }
    }
  }

  struct PoolPointers: @unchecked Sendable {
    var x: UnsafePointer<Float>
    var out: UnsafeMutablePointer<Float>
    var argmax: UnsafeMutablePointer<Int32>
  }
}

extension WindowGeometry {
  /// The cells of window (orow, ocol) that lie inside a `height` x `width` x `channels` NHWC image
  /// starting at flat index `base`, as the flat indices of their channel 0, in window order
  /// (padding cells left out, as pooling leaves them out); returns how many were written.
  @inline(__always)
  func insideCells(
    orow: Int, ocol: Int, height: Int, width: Int, channels: Int, base: Int,
    into cells: UnsafeMutablePointer<Int>
  ) -> Int {
    var count = 0
    for i in 0..<rows.kernel {
      let r = rows.inputIndex(window: orow, tap: i)
      guard r >= 0 && r < height else { continue }
      for j in 0..<cols.kernel {
        let c = cols.inputIndex(window: ocol, tap: j)
        guard c >= 0 && c < width else { continue }
        cells[count] = base + (r * width + c) * channels
        count += 1
      }
    }
    return count
  }
}
