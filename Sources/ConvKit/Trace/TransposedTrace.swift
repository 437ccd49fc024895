/// A transposed convolution (Keras's Conv2DTranspose, one channel) as stamps: each input cell
/// multiplies the whole kernel and adds it to the output, `stride` cells after the previous
/// one; overlaps add up; then `padding` cells are cropped from every side. Output size per
/// axis: (N - 1)*S - 2P + K. The same numbers are dL/dX of a convolution with this kernel,
/// stride and padding when dL/dY is the input (`BackwardTrace`), which the tests check, with
/// PyTorch's conv_transpose2d.
public struct TransposedTrace: Equatable, Sendable {
  /// One input cell's stamp.
  public struct Stamp: Equatable, Sendable {
    public var index: Int
    public var inputRow: Int
    public var inputCol: Int
    public var value: Float
    /// Rows and columns it covers in the uncropped output.
    public var rows: ClosedRange<Int>
    public var cols: ClosedRange<Int>
  }

  public enum Problem: Error, Equatable, CustomStringConvertible {
    case tooMuchPadding(padding: Int, uncropped: Int)
    public var description: String {
      switch self {
      case .tooMuchPadding(let p, let n):
        return "padding \(p) crops 2*\(p) = \(2 * p) cells from an output of \(n): nothing would be left"
      }
    }
  }

  /// `[1, N, M]`.
  public var input: Tensor
  /// `[1, K, K']`.
  public var kernel: Tensor
  public var strideRows: Int
  public var strideCols: Int
  public var padding: Int
  public var stamps: [Stamp]
  /// Before cropping: `[1, (N-1)*S + K, (M-1)*S' + K']`.
  public var uncropped: Tensor
  /// `[1, (N-1)*S - 2P + K, ...]`.
  public var output: Tensor

  /// (N - 1)*S - 2P + K.
  public static func outputSize(input n: Int, stride s: Int, padding p: Int, kernel k: Int) -> Int {
    (n - 1) * s - 2 * p + k
  }

  public init(input: Tensor, kernel: Tensor, strideRows: Int = 1, strideCols: Int = 1, padding: Int = 0) throws {
    precondition(input.rank == 3 && input.shape[0] == 1 && kernel.rank == 3 && kernel.shape[0] == 1,
                 "the transposed trace takes one-channel [1, H, W] tensors")
    precondition(strideRows >= 1 && strideCols >= 1 && padding >= 0, "stride >= 1, padding >= 0")
    let (n, m) = (input.shape[1], input.shape[2])
    let (kh, kw) = (kernel.shape[1], kernel.shape[2])
    let fullRows = (n - 1) * strideRows + kh
    let fullCols = (m - 1) * strideCols + kw
    guard fullRows - 2 * padding >= 1, fullCols - 2 * padding >= 1 else {
      throw Problem.tooMuchPadding(padding: padding, uncropped: min(fullRows, fullCols))
    }
    var full = Tensor(zeros: [1, fullRows, fullCols])
    var stamps: [Stamp] = []
    for i in 0..<n {
      for j in 0..<m {
        let v = input[0, i, j]
        let (r0, c0) = (i * strideRows, j * strideCols)
        for a in 0..<kh {
          for b in 0..<kw { full[0, r0 + a, c0 + b] += v * kernel[0, a, b] }
        }
        stamps.append(Stamp(index: stamps.count, inputRow: i, inputCol: j, value: v,
                            rows: r0...(r0 + kh - 1), cols: c0...(c0 + kw - 1)))
      }
    }
    var out = Tensor(zeros: [1, fullRows - 2 * padding, fullCols - 2 * padding])
    for r in 0..<out.shape[1] {
      for c in 0..<out.shape[2] { out[0, r, c] = full[0, r + padding, c + padding] }
    }
    self.input = input
    self.kernel = kernel
    self.strideRows = strideRows
    self.strideCols = strideCols
    self.padding = padding
    self.stamps = stamps
    self.uncropped = full
    self.output = out
  }

  /// The uncropped output after the first `count` stamps.
  public func partial(stamps count: Int) -> Tensor {
    var t = Tensor(zeros: uncropped.shape)
    for s in stamps.prefix(count) {
      for a in 0..<kernel.shape[1] {
        for b in 0..<kernel.shape[2] { t[0, s.rows.lowerBound + a, s.cols.lowerBound + b] += s.value * kernel[0, a, b] }
      }
    }
    return t
  }
}
