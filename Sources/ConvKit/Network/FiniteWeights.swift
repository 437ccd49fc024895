/// Weights that arrive from a file (a saved model, an imported Keras or PyTorch file) must be
/// numbers: one NaN or infinity turns every prediction into `nan` with no error. Every loaded
/// tensor passes through `check`, which names the tensor instead.
public enum FiniteWeights {
  /// The index of the first NaN or infinity in `values`, nil when every value is finite.
  /// Checked 1,024 values at a time with vectors (x * 0 is 0 only for finite x): VGG16's 138
  /// million weights take a few tens of milliseconds.
  public static func firstNonFinite(_ values: [Float]) -> Int? {
    values.withUnsafeBufferPointer { b -> Int? in
      let n = b.count
      var start = 0
      while start < n {
        let end = min(n, start + 1024)
        var acc = SIMD16<Float>(repeating: 0)
        var i = start
        while i + 16 <= end {
          acc += UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: SIMD16<Float>.self) * 0
          i += 16
        }
        var tail: Float = 0
        while i < end { tail += b[i] * 0; i += 1 }
        if acc.sum() + tail != 0 {
          return (start..<end).first { !b[$0].isFinite }
        }
        start = end
      }
      return nil
    }
  }

  /// Throws one line naming `tensor` when `values` hold a NaN or an infinity.
  public static func check(_ values: [Float], tensor: String) throws(ModelSpecError) {
    guard let i = firstNonFinite(values) else { return }
    throw ModelSpecError(
      "weight tensor \(tensor) holds \(NumberText.format(values[i])) (value \(i + 1) of \(values.count)): "
        + "not a usable model (damaged file, or a training run that diverged)")
  }
}
