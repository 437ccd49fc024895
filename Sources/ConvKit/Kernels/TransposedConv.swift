/// Conv2DTranspose on NHWC batches: input `x` `[N, H, W, Cin]`, kernel `[KH, KW, F, Cin]`
/// (Keras's order: filters before input channels), bias `[F]`, output and `dOut`
/// `[N, OH, OW, F]`.
///
/// A transposed convolution is the input gradient of an ordinary convolution whose input is
/// OH x OW x F and whose output is H x W x Cin, with the same kernel: Keras's kernel
/// `[KH, KW, F, Cin]` is exactly that convolution's `[KH, KW, Cin', Cout']`. So the three passes
/// are `BlockConv`'s, swapped: forward = `BlockConv.inputGradient`, input gradient =
/// `BlockConv.forward`, kernel gradient = `BlockConv.kernelGradient` with the roles of input and
/// output gradient exchanged. `geometry(...)` builds that convolution's geometry the way Keras
/// sizes the layer. Tested against `NHWCReference.transposed*` and PyTorch (`conv_transpose2d`).
public enum TransposedConv {
  /// Errors in a transposed layer's options, each one line a student can act on.
  public enum GeometryError: Error, Equatable, CustomStringConvertible {
    case outputPaddingTooLarge(outputPadding: Int, stride: Int)
    case unsupportedPadding(Padding)
    case nonPositive(what: String, value: Int)

    public var description: String {
      switch self {
      case .outputPaddingTooLarge(let op, let s):
        return "output_padding (\(op)) must be smaller than the stride (\(s))"
      case .unsupportedPadding(let p):
        return "Conv2DTranspose takes padding 'valid' or 'same', not '\(p)'"
      case .nonPositive(let what, let v):
        return "\(what) must be at least 1 (got \(v))"
      }
    }
  }

  /// The geometry of the convolution that one axis of a Conv2DTranspose transposes: its
  /// `input` is the transposed layer's output length, its `output` the transposed layer's input
  /// length `n`, and input pixel i of the transposed layer adds kernel tap t onto its output
  /// pixel i*s + t*d - padBefore.
  ///
  /// Sizes as Keras (TensorFlow and JAX backends) computes them, with K = d*(k-1) + 1:
  /// - valid: out = (n-1)*s + max(K, s), or (n-1)*s + K + output_padding;
  /// - same: out = n*s, or (n-1)*s + K%2 + output_padding.
  /// As in Keras's `_convert_conv_transpose_padding_args_from_keras_to_jax`, the dilated input
  /// gets a total padding `s + K - 2` (or `K + K%2 - 2 + output_padding`), of which
  /// min(ceil(total/2), K-1) on the left: that fixes which cells of the full result are kept.
  ///
  /// Keras 3's PyTorch backend crops the same cells (Fixtures/make_conv_family_fixtures.py checks).
  public static func axis(
    input n: Int, kernel k: Int, stride s: Int = 1, dilation d: Int = 1, padding: Padding,
    outputPadding: Int? = nil
  ) throws -> AxisGeometry {
    if n < 1 { throw GeometryError.nonPositive(what: "input size", value: n) }
    if k < 1 { throw GeometryError.nonPositive(what: "kernel size", value: k) }
    if s < 1 { throw GeometryError.nonPositive(what: "stride", value: s) }
    if d < 1 { throw GeometryError.nonPositive(what: "dilation", value: d) }
    if let op = outputPadding, op < 0 || op >= s {
      if op < 0 { throw GeometryError.nonPositive(what: "output_padding + 1", value: op + 1) }
      throw GeometryError.outputPaddingTooLarge(outputPadding: op, stride: s)
    }
    let span = try CheckedSize.add(try CheckedSize.multiply(d, k - 1, field: "dilation"), 1, field: "kernel_size")
    let left: Int
    let right: Int
    switch padding {
    case .valid:
      let op = outputPadding ?? (max(span, s) - span)
      left = span - 1
      right = span - 1 + op
    case .same:
      let total = outputPadding.map { span + span % 2 - 2 + $0 } ?? (s + span - 2)
      left = min(total / 2 + total % 2, span - 1)
      right = total - left
    case .explicit:
      throw GeometryError.unsupportedPadding(padding)
    }
    // The input dilated by s ((n-1)*s + 1 long), padded left/right, correlated with the flipped kernel.
    let dilated = try CheckedSize.multiply(n - 1, s, field: "strides")
    let length = try CheckedSize.sum([dilated, 1, left, right, -span, 1], field: "output size")
    if length < 1 { throw GeometryError.nonPositive(what: "output size", value: length) }
    let padBefore = span - 1 - left
    // What makes the convolution of `length` come out `n` long (negative when output_padding
    // adds cells no window reaches: they get only the bias).
    let padAfter = (n - 1) * s + span - length - padBefore
    return AxisGeometry(
      input: length, kernel: k, stride: s, dilation: d, padBefore: padBefore, padAfter: padAfter,
      output: n, padding: padding)
  }

  /// Both axes (`dilation` and `padding` shared, as in Keras).
  public static func geometry(
    inputRows: Int, inputCols: Int, kernelRows: Int, kernelCols: Int, strideRows: Int = 1,
    strideCols: Int = 1, dilation: Int = 1, padding: Padding, outputPadding: (Int, Int)? = nil
  ) throws -> WindowGeometry {
    WindowGeometry(
      rows: try axis(
        input: inputRows, kernel: kernelRows, stride: strideRows, dilation: dilation,
        padding: padding, outputPadding: outputPadding?.0),
      cols: try axis(
        input: inputCols, kernel: kernelCols, stride: strideCols, dilation: dilation,
        padding: padding, outputPadding: outputPadding?.1))
  }

  /// `out` `[N, OH, OW, F]` (overwritten), OH x OW = `g.rows.input` x `g.cols.input`.
  public static func forward(
    input x: UnsafePointer<Float>, batch n: Int, channels cin: Int, kernel w: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, filters f: Int, geometry g: WindowGeometry,
    output out: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow) = (g.rows.input, g.cols.input)
    BlockConv.inputGradient(
      dOut: x, kernel: w, batch: n, height: oh, width: ow, channels: f, filters: cin, geometry: g,
      dInput: out)
    if let bias {
      for p in 0..<(n * oh * ow) { Im2col.addRun(bias, into: out + p * f, count: f) }
    }
  }

  /// dL/dx `dInput` `[N, H, W, Cin]` (overwritten): the convolution of `dOut` with the kernel.
  public static func inputGradient(
    dOut: UnsafePointer<Float>, kernel w: UnsafePointer<Float>, batch n: Int, channels cin: Int,
    filters f: Int, geometry g: WindowGeometry, dInput dx: UnsafeMutablePointer<Float>
  ) {
    BlockConv.forward(
      input: dOut, batch: n, height: g.rows.input, width: g.cols.input, channels: f, kernel: w,
      bias: nil, filters: cin, geometry: g, output: dx)
  }

  /// Adds dL/dkernel into `dKernel` `[KH, KW, F, Cin]` and, when given, dL/dbias into `dBias` `[F]`.
  public static func kernelGradient(
    input x: UnsafePointer<Float>, dOut: UnsafePointer<Float>, batch n: Int, channels cin: Int,
    filters f: Int, geometry g: WindowGeometry, dKernel: UnsafeMutablePointer<Float>,
    dBias: UnsafeMutablePointer<Float>? = nil
  ) {
    let (oh, ow) = (g.rows.input, g.cols.input)
    BlockConv.kernelGradient(
      input: dOut, dOut: x, batch: n, height: oh, width: ow, channels: f, filters: cin, geometry: g,
      dKernel: dKernel)
    if let dBias {
      for p in 0..<(n * oh * ow) { Im2col.addRun(dOut + p * f, into: dBias, count: f) }
    }
  }
}
