/// Keras's activations, applied elementwise (softmax: along the last axis).
extension Activation {
  /// `y = f(z)` for a tensor whose last axis has `width` entries.
  public func apply(_ z: [Float], width: Int) -> [Float] {
    switch self {
    case .linear: return z
    case .relu: return z.map { max($0, 0) }
    case .tanh: return z.map { Float(_tanh(Double($0))) }
    case .sigmoid: return z.map { Float(1 / (1 + _exp(-Double($0)))) }
    case .softmax:
      var y = z
      let rows = z.count / max(width, 1)
      for r in 0..<rows {
        let base = r * width
        var m = -Float.infinity
        for j in 0..<width { m = max(m, z[base + j]) }
        var s: Float = 0
        for j in 0..<width {
          let e = Float(_exp(Double(z[base + j] - m)))
          y[base + j] = e
          s += e
        }
        for j in 0..<width { y[base + j] /= s }
      }
      return y
    }
  }

  /// dL/dz from dL/dy, given z and y = f(z).
  public func backward(dOutput dy: [Float], preActivation z: [Float], output y: [Float], width: Int) -> [Float] {
    switch self {
    case .linear: return dy
    case .relu:
      var d = dy
      z.withUnsafeBufferPointer { zp in
        d.withUnsafeMutableBufferPointer { dp in
          for i in 0..<dp.count { dp[i] = zp[i] > 0 ? dp[i] : 0 }
        }
      }
      return d
    case .tanh:
      var d = dy
      for i in d.indices { d[i] *= 1 - y[i] * y[i] }
      return d
    case .sigmoid:
      var d = dy
      for i in d.indices { d[i] *= y[i] * (1 - y[i]) }
      return d
    case .softmax:
      // dz_j = y_j * (dy_j - sum_k dy_k y_k)
      var d = dy
      let rows = dy.count / max(width, 1)
      for r in 0..<rows {
        let base = r * width
        var dot: Float = 0
        for j in 0..<width { dot += dy[base + j] * y[base + j] }
        for j in 0..<width { d[base + j] = y[base + j] * (dy[base + j] - dot) }
      }
      return d
    }
  }
}
