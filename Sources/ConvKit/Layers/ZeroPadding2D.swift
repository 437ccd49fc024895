/// Keras's ZeroPadding2D: rows of zeros above and below, columns left and right
/// (`padding=3`, `((0, 1), (0, 1))` as MobileNet pads before a strided depthwise convolution).
public struct ZeroPadding2D: Layer {
  public var top: Int, bottom: Int, left: Int, right: Int

  public init(top: Int, bottom: Int, left: Int, right: Int) {
    (self.top, self.bottom, self.left, self.right) = (top, bottom, left, right)
  }
  public init(_ n: Int = 1) { self.init(top: n, bottom: n, left: n, right: n) }

  public static let kerasClass = "ZeroPadding2D"
  public static let nameStem = "zero_padding2d"
  public static let specWords = ["zeropadding2d", "zeropadding", "zeropad", "pad"]
  public static let specHelp = "ZeroPadding2D(padding=1 | (rows, cols) | ((top, bottom), (left, right)))"

  public static func parse(_ a: inout LayerArguments) throws -> ZeroPadding2D {
    try a.bind(positional: ["padding"], named: ["padding"])
    guard let raw = a.raw("padding") else { return ZeroPadding2D(1) }
    // Brackets and spaces only group: `((1, 2), (3, 4))`. Every part a whole number of zeros,
    // so that `1e300` or `-1` is refused rather than read as its digits.
    let parts = raw.split(whereSeparator: { "()[] ".contains($0) }).joined().split(separator: ",", omittingEmptySubsequences: false)
    let digits = parts.compactMap { Int($0) }.filter { (0...CheckedSize.maxDimension).contains($0) }
    guard digits.count == parts.count else {
      throw a.fail(at: "padding", "padding must be whole numbers from 0 to \(NumberText.grouped(CheckedSize.maxDimension)) (got '\(raw)')")
    }
    switch digits.count {
    case 1: return ZeroPadding2D(digits[0])
    case 2: return ZeroPadding2D(top: digits[0], bottom: digits[0], left: digits[1], right: digits[1])
    case 4: return ZeroPadding2D(top: digits[0], bottom: digits[1], left: digits[2], right: digits[3])
    default:
      throw a.fail(at: "padding", "padding must be N, (rows, cols) or ((top, bottom), (left, right)) (got '\(raw)')")
    }
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> ZeroPadding2D {
    switch c["padding"] {
    case .number?: return ZeroPadding2D(try c.int("padding"))
    case .array(let a)? where a.count == 2:
      if let r = a[0].int, let col = a[1].int { return ZeroPadding2D(top: r, bottom: r, left: col, right: col) }
      if let r = a[0].array?.compactMap(\.int), let col = a[1].array?.compactMap(\.int), r.count == 2, col.count == 2 {
        return ZeroPadding2D(top: r[0], bottom: r[1], left: col[0], right: col[1])
      }
      throw c.missing("padding")
    default: throw c.missing("padding")
    }
  }

  public var kerasConfig: [String: JSONValue] { ["padding": .array([.ints([top, bottom]), .ints([left, right])])] }

  public var specArguments: [String] {
    if top == bottom, bottom == left, left == right { return ["\(top)"] }
    if top == bottom, left == right { return ["(\(top), \(left))"] }
    return ["((\(top), \(bottom)), (\(left), \(right)))"]
  }

  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    let s = try image(inputs)
    guard min(top, bottom, left, right) >= 0 else { throw ModelSpecError("padding cannot be negative") }
    let rows = try CheckedSize.add(try CheckedSize.add(s[0], top, field: "padding"), bottom, field: "padding")
    let cols = try CheckedSize.add(try CheckedSize.add(s[1], left, field: "padding"), right, field: "padding")
    return [rows, cols, s[2]]
  }

  /// `224 + 3 + 3 = 230`.
  public func shapeFormula(for inputs: [FeatureShape]) -> String? {
    guard let s = inputs.first, s.count == 3 else { return nil }
    let rows = "\(s[0]) + \(top) + \(bottom) = \(s[0] + top + bottom)"
    let cols = "\(s[1]) + \(left) + \(right) = \(s[1] + left + right)"
    return rows == cols ? rows : rows + ", " + cols
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { ZeroPaddingRuntime(self, context) }
}

final class ZeroPaddingRuntime: UnaryRuntime {
  let padding: ZeroPadding2D
  let inputShape: FeatureShape
  let outputShape: FeatureShape

  init(_ padding: ZeroPadding2D, _ context: RuntimeContext) {
    self.padding = padding
    inputShape = context.inputShape
    outputShape = context.outputShape
  }

  /// Copies each input row into its place in the padded (or, backward, from it); only the
  /// padded border is written with zeros, and the rows are shared among the cores.
  private func copyRows(_ from: [Float], batch n: Int, toPadded: Bool) -> [Float] {
    let (h, w, c) = (inputShape[0], inputShape[1], inputShape[2])
    let (ph, pw) = (outputShape[0], outputShape[1])
    let (top, left) = (padding.top, padding.left)
    return from.withUnsafeBufferPointer { src in
      guard let s0 = src.baseAddress else { return [] }
      let source = ChannelKernels.ReadPointer(p: s0)
      return uninitializedFloats(n * (toPadded ? ph * pw : h * w) * c) { out in
        let dst = ChannelKernels.Pointer(p: out)
        if toPadded {
          // One task per padded row: the input row in place, zeros on either side (or a whole
          // row of zeros above and below the image).
          ChannelKernels.forEachRowRange(rows: n * ph, channels: pw * c) { rows in
            for row in rows {
              let (b, r) = row.quotientAndRemainder(dividingBy: ph)
              let line = dst.p + row * pw * c
              guard r >= top, r < top + h else {
                line.initialize(repeating: 0, count: pw * c)
                continue
              }
              line.initialize(repeating: 0, count: left * c)
              (line + left * c).initialize(from: source.p + ((b * h + r - top) * w) * c, count: w * c)
              (line + (left + w) * c).initialize(repeating: 0, count: (pw - left - w) * c)
            }
          }
        } else {
          ChannelKernels.forEachRowRange(rows: n * h, channels: w * c) { rows in
            for row in rows {
              let (b, r) = row.quotientAndRemainder(dividingBy: h)
              (dst.p + row * w * c).initialize(from: source.p + ((b * ph + r + top) * pw + left) * c, count: w * c)
            }
          }
        }
      }
    }
  }

  func forward(_ x: Tensor, training: Bool) -> Tensor {
    let n = x.shape[0]
    return Tensor(shape: [n] + outputShape, scalars: copyRows(x.scalars, batch: n, toPadded: true))
  }

  func backward(_ dOutput: Tensor) -> Tensor {
    let n = dOutput.shape[0]
    return Tensor(shape: [n] + inputShape, scalars: copyRows(dOutput.scalars, batch: n, toPadded: false))
  }
}
