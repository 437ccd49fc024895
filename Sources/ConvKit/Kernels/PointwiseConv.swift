/// A 1x1 convolution with stride 1 (the pointwise half of SeparableConv2D, MobileNet's
/// `conv_pw_*`, ResNet's bottleneck 1x1s) on NHWC batches is one matrix product: the pixels of
/// the whole batch are the rows. Input `x` `[P, Cin]` (P = N*H*W), kernel `[Cin, Cout]` (Keras's
/// `[1, 1, Cin, Cout]`), bias `[Cout]`, output and `dOut` `[P, Cout]`.
///
/// No im2col, no copy: `Gemm.sgemm` reads the activations in place, with the transposes the two
/// gradients need. A strided 1x1 (ResNet's downsampling shortcut) skips pixels and goes through
/// `BlockConv` instead. Tested against `NHWCReference.pointwise*`.
public enum PointwiseConv {
  /// `out` `[P, Cout]` (overwritten) = x * kernel + bias.
  public static func forward(
    input x: UnsafePointer<Float>, pixels p: Int, channels cin: Int, kernel w: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, filters cout: Int, output out: UnsafeMutablePointer<Float>
  ) {
    if p == 0 || cout == 0 { return }
    Gemm.sgemm(
      transA: false, transB: false, m: p, n: cout, k: cin, a: x, lda: max(1, cin), b: w,
      ldb: cout, c: out, ldc: cout)
    if let bias {
      for q in 0..<p { Im2col.addRun(bias, into: out + q * cout, count: cout) }
    }
  }

  /// dL/dx `dInput` `[P, Cin]` (overwritten) = dOut * kernel^T.
  public static func inputGradient(
    dOut: UnsafePointer<Float>, kernel w: UnsafePointer<Float>, pixels p: Int, channels cin: Int,
    filters cout: Int, dInput dx: UnsafeMutablePointer<Float>
  ) {
    if p == 0 || cin == 0 { return }
    Gemm.sgemm(
      transA: false, transB: true, m: p, n: cin, k: cout, a: dOut, lda: max(1, cout), b: w,
      ldb: max(1, cout), c: dx, ldc: cin)
  }

  /// Adds x^T * dOut into `dKernel` `[Cin, Cout]` and the column sums of `dOut` into `dBias`.
  public static func kernelGradient(
    input x: UnsafePointer<Float>, dOut: UnsafePointer<Float>, pixels p: Int, channels cin: Int,
    filters cout: Int, dKernel: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>? = nil
  ) {
    if cin == 0 || cout == 0 { return }
    Gemm.sgemm(
      transA: true, transB: false, m: cin, n: cout, k: p, a: x, lda: cin, b: dOut, ldb: cout,
      beta: 1, c: dKernel, ldc: cout)
    if let dBias {
      for q in 0..<p { Im2col.addRun(dOut + q * cout, into: dBias, count: cout) }
    }
  }
}
