import Dispatch

/// Fast 2-D cross-correlation of whole images: what `convplay filter` runs on photos.
///
/// Same contract as `ReferenceKernels.convolve` (which it is tested against): input `[C, H, W]`,
/// kernel `[C, KH, KW]` summed over channels, or `[1, KH, KW]` applied to each channel on its
/// own; zero padding; stride and dilation from `WindowGeometry`.
///
/// How it is fast: output rows are split into bands run on all cores
/// (`DispatchQueue.concurrentPerform`); inside a row, the columns whose taps all fall inside
/// the image (all but a few at each edge) are computed 32 at a time with `SIMD16<Float>`
/// fused multiply-adds (`addingProduct`) over unaligned loads, so each output is written once and
/// no padded copy of the image is made; stride 2 keeps the even lanes of 32 loaded inputs. Edge
/// columns and other strides take a scalar path.
/// Sums are in `Float` (the reference sums in `Double`; tests allow 1e-4 relative).
public enum FilterKernels {
  /// See the type's comment. `parallel: false` keeps to the calling thread (tests compare both).
  public static func convolve(
    input: Tensor, kernel: Tensor, geometry g: WindowGeometry, bias: Float = 0,
    flip: Bool = false, parallel: Bool = true
  ) -> Tensor {
    precondition(input.rank == 3 && kernel.rank == 3, "convolve takes [C, H, W] tensors")
    let k = flip ? kernel.rotated180() : kernel
    let perChannel = k.shape[0] == 1 && input.shape[0] > 1
    let channels = input.shape[0]
    let outChannels = perChannel ? channels : 1
    let count = outChannels * g.outputRows * g.outputCols
    // Left uninitialized: the first channel's pass writes every element, and the pages are
    // first touched by the worker threads instead of by one thread zeroing them all.
    _ = AllocatorTuning.applied
    let out = [Float](unsafeUninitializedCapacity: count) { dst, initialized in
      if let base = dst.baseAddress {
        AllocatorTuning.adviseHugePages(UnsafeMutableRawPointer(base), bytes: count * 4)
      }
      convolve(
        input: input, kernel: k, geometry: g, bias: bias, flip: false, parallel: parallel,
        into: dst)
      initialized = count
    }
    return Tensor(shape: [outChannels, g.outputRows, g.outputCols], scalars: out)
  }

  /// The same, writing into `output` (`[outChannels, OH, OW]` elements, initialized or not):
  /// for callers that filter many images of one size and reuse the memory.
  public static func convolve(
    input: Tensor, kernel: Tensor, geometry g: WindowGeometry, bias: Float = 0,
    flip: Bool = false, parallel: Bool = true, into output: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(input.rank == 3 && kernel.rank == 3, "convolve takes [C, H, W] tensors")
    let k = flip ? kernel.rotated180() : kernel
    let channels = input.shape[0]
    let height = input.shape[1]
    let width = input.shape[2]
    let perChannel = k.shape[0] == 1 && channels > 1
    precondition(perChannel || k.shape[0] == channels, "kernel channels must match the input's")
    precondition(
      g.rows.input == height && g.cols.input == width && g.rows.kernel == k.shape[1]
        && g.cols.kernel == k.shape[2],
      "the geometry was computed for another input or kernel size")
    let outChannels = perChannel ? channels : 1
    let plane = g.outputRows * g.outputCols
    precondition(output.count >= outChannels * plane, "the output buffer is too small")
    let taps = k.shape[1] * k.shape[2]
    input.scalars.withUnsafeBufferPointer { src in
      k.scalars.withUnsafeBufferPointer { weights in
        for oc in 0..<outChannels {
          let sources = perChannel ? oc..<(oc + 1) : 0..<channels
          for (n, c) in sources.enumerated() {
            let kc = perChannel ? 0 : c
            let job = PlaneJob(
              src: src.baseAddress! + c * height * width, height: height, width: width,
              weights: Array(weights[(kc * taps)..<((kc + 1) * taps)]),
              dst: output.baseAddress! + oc * plane, geometry: g,
              start: n == 0 ? .value(bias) : .accumulate)
            job.run(parallel: parallel)
          }
        }
      }
    }
  }
}

/// One input plane correlated into one output plane. Pointers are raw because the bands write
/// disjoint rows of `dst` from several threads.
private struct PlaneJob: @unchecked Sendable {
  enum Start { case value(Float), accumulate }

  /// `[height, width]` input plane.
  let src: UnsafePointer<Float>
  let height: Int
  let width: Int
  /// `[KH * KW]` weights, row-major, already flipped if asked.
  let weights: [Float]
  /// `[outputRows, outputCols]` output plane.
  let dst: UnsafeMutablePointer<Float>
  let geometry: WindowGeometry
  /// Overwrite with `value + sum` or add the sum to what is there (later input channels).
  let start: Start

  func run(parallel: Bool) {
    let rows = geometry.outputRows
    let work = rows * geometry.outputCols * weights.count
    // Small planes are not worth waking threads for. Many more bands than cores lets Dispatch
    // balance them over however many cores there are (and however busy they are).
    let bands = (!parallel || work < 1 << 16) ? 1 : min(rows, 64)
    if bands == 1 {
      runRows(0..<rows)
      return
    }
    let perBand = (rows + bands - 1) / bands
    let job = self
    DispatchQueue.concurrentPerform(iterations: bands) { b in
      let lo = b * perBand
      let hi = min(rows, lo + perBand)
      if lo < hi { job.runRows(lo..<hi) }
    }
  }

  private func runRows(_ range: Range<Int>) {
    let rg = geometry.rows
    let cg = geometry.cols
    let kh = rg.kernel
    let kw = cg.kernel
    let outCols = cg.output
    let sc = cg.stride
    let d = cg.dilation
    let padLeft = cg.padBefore
    // Output columns whose every tap lies inside the row: [first, end).
    let first = min(outCols, (padLeft + sc - 1) / sc)
    let lastStart = width - 1 - (kw - 1) * d + padLeft  // largest allowed ocol * sc
    let end = lastStart < 0 ? first : max(first, min(outCols, lastStart / sc + 1))

    // Taps of the current output row that fall on real input rows: row pointer + weight,
    // with the column offset j*d - padLeft folded into the pointer.
    var tapRows = [UnsafePointer<Float>]()
    var tapWeights = [Float]()
    var tapCols = [Int]()  // j*d - padLeft, for the edge columns' bounds checks
    tapRows.reserveCapacity(kh * kw)
    tapWeights.reserveCapacity(kh * kw)
    tapCols.reserveCapacity(kh * kw)

    for orow in range {
      tapRows.removeAll(keepingCapacity: true)
      tapWeights.removeAll(keepingCapacity: true)
      tapCols.removeAll(keepingCapacity: true)
      for i in 0..<kh {
        let r = rg.inputIndex(window: orow, tap: i)
        guard r >= 0 && r < height else { continue }
        for j in 0..<kw {
          let w = weights[i * kw + j]
          tapRows.append(src + r * width)
          tapWeights.append(w)
          tapCols.append(j * d - padLeft)
        }
      }
      let out = dst + orow * outCols
      let startValue: Float
      let accumulate: Bool
      switch start {
      case .value(let v): startValue = v; accumulate = false
      case .accumulate: startValue = 0; accumulate = true
      }

      tapRows.withUnsafeBufferPointer { rowsP in
        tapWeights.withUnsafeBufferPointer { weightsP in
          tapCols.withUnsafeBufferPointer { colsP in
            let n = rowsP.count
            // Edge (and strided) columns: scalar, bounds-checked against the row.
            func scalar(_ ocol: Int) {
              var sum: Float = accumulate ? out[ocol] : startValue
              let base = ocol * sc
              for t in 0..<n {
                let col = base + colsP[t]
                if col >= 0 && col < width { sum += rowsP[t][col] * weightsP[t] }
              }
              out[ocol] = sum
            }
            for ocol in 0..<first { scalar(ocol) }
            if sc == 1 {
              var x = first
              // 32 outputs per step: two independent accumulators keep both FMA units busy.
              while x + 32 <= end {
                var a0 = accumulate ? load16(out + x) : SIMD16(repeating: startValue)
                var a1 = accumulate ? load16(out + x + 16) : SIMD16(repeating: startValue)
                for t in 0..<n {
                  let p = rowsP[t] + (x + colsP[t])
                  let w = SIMD16<Float>(repeating: weightsP[t])
                  a0 = a0.addingProduct(load16(p), w)
                  a1 = a1.addingProduct(load16(p + 16), w)
                }
                store16(a0, out + x)
                store16(a1, out + x + 16)
                x += 32
              }
              while x + 16 <= end {
                var a0 = accumulate ? load16(out + x) : SIMD16(repeating: startValue)
                for t in 0..<n {
                  let p = rowsP[t] + (x + colsP[t])
                  a0 = a0.addingProduct(load16(p), SIMD16<Float>(repeating: weightsP[t]))
                }
                store16(a0, out + x)
                x += 16
              }
              for ocol in x..<end { scalar(ocol) }
            } else if sc == 2 {
              // Stride 2 (the common downsampling step): 32 consecutive inputs, even lanes kept.
              // The 32nd float is read but not used, so stop where it still lies in the row.
              let lastRead = width - 2 - (kw - 1) * d + padLeft  // largest 2 * ocol allowed
              let end2 = lastRead < 0 ? first : max(first, min(end, lastRead / 2 + 1))
              var x = first
              while x + 16 <= end2 {
                var a0 = accumulate ? load16(out + x) : SIMD16(repeating: startValue)
                for t in 0..<n {
                  let p = rowsP[t] + (2 * x + colsP[t])
                  a0 = a0.addingProduct(load32(p).evenHalf, SIMD16<Float>(repeating: weightsP[t]))
                }
                store16(a0, out + x)
                x += 16
              }
              for ocol in x..<end { scalar(ocol) }
            } else {
              for ocol in first..<end {
                var sum: Float = accumulate ? out[ocol] : startValue
                let base = ocol * sc
                for t in 0..<n { sum += rowsP[t][base + colsP[t]] * weightsP[t] }
                out[ocol] = sum
              }
            }
            for ocol in end..<outCols { scalar(ocol) }
          }
        }
      }
    }
  }
}

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func load32(_ p: UnsafePointer<Float>) -> SIMD32<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD32<Float>.self)
}

@inline(__always)
private func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}
