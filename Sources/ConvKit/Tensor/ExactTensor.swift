/// A small `[C, H, W]` matrix kept as its values were typed: Double holds every integer up to
/// 2^53 exactly, where the engine's Float32 `Tensor` stops at 2^24 (16777217 would become
/// 16777216). The course's step-by-step arithmetic (StepTrace), the matrices typed on the
/// command line and in the playground use it; the engine's layers keep Float32.
public struct ExactTensor: Equatable, Sendable {
  public private(set) var shape: [Int]
  public private(set) var values: [Double]

  /// The largest magnitude below which every integer is a Double: larger typed integers are
  /// refused rather than silently rounded.
  public static let largestExactInteger: Double = 9_007_199_254_740_992  // 2^53

  public init(shape: [Int], values: [Double]) {
    precondition(shape.count == 3 && shape.reduce(1, *) == values.count, "[C, H, W] values")
    self.shape = shape
    self.values = values
  }

  public init(zeros shape: [Int]) {
    self.init(shape: shape, values: [Double](repeating: 0, count: shape.reduce(1, *)))
  }

  /// One channel per block, each `rows x cols`.
  public init(channels: [[[Double]]]) {
    let h = channels.first?.count ?? 0
    let w = channels.first?.first?.count ?? 0
    self.init(shape: [channels.count, h, w], values: channels.flatMap { $0.flatMap { $0 } })
  }

  public init(rows: [[Double]]) { self.init(channels: [rows]) }

  /// The engine's tensor, widened: every Float32 is a Double.
  public init(_ tensor: Tensor) {
    precondition(tensor.rank == 3, "[C, H, W] tensor")
    self.init(shape: tensor.shape, values: tensor.scalars.map(Double.init))
  }

  /// For the engine: rounded to Float32.
  public var tensor: Tensor { Tensor(shape: shape, scalars: values.map { Float($0) }) }

  public subscript(c: Int, r: Int, col: Int) -> Double {
    get { values[(c * shape[1] + r) * shape[2] + col] }
    set { values[(c * shape[1] + r) * shape[2] + col] = newValue }
  }

  public func rows(ofChannel c: Int) -> [[Double]] {
    (0..<shape[1]).map { r in (0..<shape[2]).map { self[c, r, $0] } }
  }

  /// Each channel turned 180 degrees (true convolution flips the kernel).
  public func rotated180() -> ExactTensor {
    var out = self
    let (h, w) = (shape[1], shape[2])
    for c in 0..<shape[0] {
      for r in 0..<h {
        for col in 0..<w { out[c, r, col] = self[c, h - 1 - r, w - 1 - col] }
      }
    }
    return out
  }
}
