/// A dense, row-major array of `Float` with a shape.
///
/// Layout is plain C order: the last dimension varies fastest. The step-by-step arithmetic uses
/// `[channels, rows, cols]` (a matrix file's blocks are channels); other modules document the
/// layout they choose where they create tensors.
public struct Tensor: Equatable, Sendable {
  public private(set) var shape: [Int]
  public var scalars: [Float]

  public init(shape: [Int], scalars: [Float]) {
    precondition(
      shape.reduce(1, *) == scalars.count,
      "a tensor of shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
  }

  public init(zeros shape: [Int]) {
    self.init(shape: shape, scalars: [Float](repeating: 0, count: shape.reduce(1, *)))
  }

  /// A `[1, rows, cols]` tensor from nested rows (all rows the same length).
  public init(rows: [[Float]]) {
    let r = rows.count
    let c = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == c }, "all rows must have the same length")
    self.init(shape: [1, r, c], scalars: rows.flatMap { $0 })
  }

  /// A `[channels, rows, cols]` tensor from one nested-row matrix per channel.
  public init(channels: [[[Float]]]) {
    precondition(!channels.isEmpty, "at least one channel")
    let r = channels[0].count
    let c = channels[0].first?.count ?? 0
    precondition(
      channels.allSatisfy { $0.count == r && $0.allSatisfy { $0.count == c } },
      "all channels must have the same rows and columns")
    self.init(shape: [channels.count, r, c], scalars: channels.flatMap { $0.flatMap { $0 } })
  }

  public var rank: Int { shape.count }
  public var count: Int { scalars.count }

  /// Strides in elements for each dimension (C order).
  public var strides: [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      s[i] = acc
      acc *= shape[i]
    }
    return s
  }

  /// Same values, new shape with the same number of elements.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    Tensor(shape: newShape, scalars: scalars)
  }

  /// Element of a `[channels, rows, cols]` tensor.
  @inlinable
  public subscript(c: Int, r: Int, col: Int) -> Float {
    get { scalars[(c * shape[1] + r) * shape[2] + col] }
    set { scalars[(c * shape[1] + r) * shape[2] + col] = newValue }
  }

  /// One channel of a `[channels, rows, cols]` tensor as nested rows.
  public func rows(ofChannel c: Int) -> [[Float]] {
    precondition(rank == 3, "rows(ofChannel:) needs a [channels, rows, cols] tensor")
    return (0..<shape[1]).map { r in (0..<shape[2]).map { self[c, r, $0] } }
  }

  /// The kernel turned by 180 degrees in its last two dimensions: what true convolution uses.
  public func rotated180() -> Tensor {
    precondition(rank >= 2, "rotation needs at least two dimensions")
    let h = shape[rank - 2]
    let w = shape[rank - 1]
    let plane = h * w
    var out = scalars
    for base in stride(from: 0, to: scalars.count, by: plane) {
      for i in 0..<plane { out[base + i] = scalars[base + plane - 1 - i] }
    }
    return Tensor(shape: shape, scalars: out)
  }
}
