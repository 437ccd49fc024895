/// Pooling reduces each window to one number.
public enum PoolMode: String, Sendable, CaseIterable {
  case max
  case avg
}

/// Plain, obviously-correct convolution and pooling. They stay in the code for good: every
/// faster kernel, the step traces and the layers are tested against them.
///
/// Tensors are `[channels, rows, cols]`. Sums accumulate in `Double` so that the reference is
/// at least as exact as anything compared with it.
public enum ReferenceKernels {
  /// Cross-correlation of `input` `[C, H, W]` with one filter `kernel` `[C, KH, KW]`, the
  /// channel sums added together plus `bias`: what one Conv2D filter computes.
  /// `flip` rotates the kernel 180 degrees first (true convolution, as the course defines it).
  ///
  /// A single-channel kernel over a multi-channel input is applied to each channel on its own
  /// (the output then has `C` channels), as a photo's R, G, B planes are filtered one by one.
  ///
  /// Returns `[1, OH, OW]` (or `[C, OH, OW]` in the per-channel case).
  public static func convolve(
    input: Tensor, kernel: Tensor, geometry g: WindowGeometry, bias: Float = 0, flip: Bool = false
  ) -> Tensor {
    precondition(input.rank == 3 && kernel.rank == 3, "convolve takes [C, H, W] tensors")
    let k = flip ? kernel.rotated180() : kernel
    let channels = input.shape[0]
    let perChannel = k.shape[0] == 1 && channels > 1
    precondition(perChannel || k.shape[0] == channels, "kernel channels must match the input's")
    let outChannels = perChannel ? channels : 1
    var out = Tensor(zeros: [outChannels, g.outputRows, g.outputCols])
    for oc in 0..<outChannels {
      for orow in 0..<g.outputRows {
        for ocol in 0..<g.outputCols {
          var sum = 0.0
          let sourceChannels = perChannel ? oc..<(oc + 1) : 0..<channels
          for c in sourceChannels {
            let kc = perChannel ? 0 : c
            for i in 0..<k.shape[1] {
              let r = g.rows.inputIndex(window: orow, tap: i)
              guard r >= 0 && r < input.shape[1] else { continue }
              for j in 0..<k.shape[2] {
                let col = g.cols.inputIndex(window: ocol, tap: j)
                guard col >= 0 && col < input.shape[2] else { continue }
                sum += Double(input[c, r, col]) * Double(k[kc, i, j])
              }
            }
          }
          out[oc, orow, ocol] = Float(sum + Double(bias))
        }
      }
    }
    return out
  }

  /// Max or average pooling of each channel of `input` `[C, H, W]`. Padded cells are ignored,
  /// as Keras does: max treats them as -infinity, avg leaves them out of the mean.
  public static func pool(input: Tensor, geometry g: WindowGeometry, mode: PoolMode) -> Tensor {
    precondition(input.rank == 3, "pool takes a [C, H, W] tensor")
    let channels = input.shape[0]
    var out = Tensor(zeros: [channels, g.outputRows, g.outputCols])
    for c in 0..<channels {
      for orow in 0..<g.outputRows {
        for ocol in 0..<g.outputCols {
          var best = -Float.infinity
          var sum = 0.0
          var n = 0
          for i in 0..<g.rows.kernel {
            let r = g.rows.inputIndex(window: orow, tap: i)
            guard r >= 0 && r < input.shape[1] else { continue }
            for j in 0..<g.cols.kernel {
              let col = g.cols.inputIndex(window: ocol, tap: j)
              guard col >= 0 && col < input.shape[2] else { continue }
              let v = input[c, r, col]
              best = max(best, v)
              sum += Double(v)
              n += 1
            }
          }
          out[c, orow, ocol] = mode == .max ? best : Float(sum / Double(max(n, 1)))
        }
      }
    }
    return out
  }
}
