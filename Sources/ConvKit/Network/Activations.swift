/// Keras's activations, applied elementwise (softmax: along the last axis).
extension Activation {
  /// `y = f(z)` for a tensor whose last axis has `width` entries.
  public func apply(_ z: [Float], width: Int) -> [Float] {
    switch self {
    case .linear: return z
    case .relu: return z.map { max($0, 0) }
    case .tanh: return z.map { Float(_tanh(Double($0))) }
    case .sigmoid: return z.map { Float(1 / (1 + _exp(-Double($0)))) }
    case .gelu: return z.map { Float(0.5 * Double($0) * (1 + _erf(Double($0) / 2.0.squareRoot()))) }
    case .elu: return z.map { $0 > 0 ? $0 : Float(_exp(Double($0)) - 1) }
    case .selu: return z.map { Activation.seluScale * ($0 > 0 ? $0 : Activation.seluAlpha * Float(_exp(Double($0)) - 1)) }
    case .softplus: return z.map { Activation.softplus($0) }
    case .softsign: return z.map { $0 / (1 + abs($0)) }
    case .silu: return z.map { Float(Double($0) / (1 + _exp(-Double($0)))) }
    case .relu6: return z.map { min(max($0, 0), 6) }
    case .exponential: return z.map { Float(_exp(Double($0))) }
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
    case .gelu:
      // d/dz [z Phi(z)] = Phi(z) + z phi(z)
      var d = dy
      for i in d.indices {
        let x = Double(z[i])
        let phi = _exp(-x * x / 2) / (2 * Double.pi).squareRoot()
        d[i] *= Float(0.5 * (1 + _erf(x / 2.0.squareRoot())) + x * phi)
      }
      return d
    case .elu:
      var d = dy
      for i in d.indices where z[i] <= 0 { d[i] *= y[i] + 1 }
      return d
    case .selu:
      var d = dy
      for i in d.indices { d[i] *= z[i] > 0 ? Activation.seluScale : y[i] + Activation.seluScale * Activation.seluAlpha }
      return d
    case .softplus:
      var d = dy
      for i in d.indices { d[i] *= Float(1 / (1 + _exp(-Double(z[i])))) }
      return d
    case .softsign:
      var d = dy
      for i in d.indices { d[i] /= (1 + abs(z[i])) * (1 + abs(z[i])) }
      return d
    case .silu:
      var d = dy
      for i in d.indices {
        let s = Float(1 / (1 + _exp(-Double(z[i]))))
        d[i] *= s * (1 + z[i] * (1 - s))
      }
      return d
    case .relu6:
      var d = dy
      for i in d.indices where z[i] <= 0 || z[i] >= 6 { d[i] = 0 }
      return d
    case .exponential:
      var d = dy
      for i in d.indices { d[i] *= y[i] }
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

extension Activation {
  static let seluAlpha: Float = 1.6732632423543772
  static let seluScale: Float = 1.0507009873554805

  /// log(1 + e^z) without overflow.
  static func softplus(_ z: Float) -> Float {
    let x = Double(z)
    return Float(max(x, 0) + _log1p(_exp(-abs(x))))
  }

  /// Keras's spellings: `swish` is `silu`, `None` is `linear`.
  public init?(keras name: String) {
    let n = name.lowercased()
    switch n {
    case "swish": self = .silu
    case "none": self = .linear
    default:
      guard let a = Activation(rawValue: n) else { return nil }
      self = a
    }
  }
}
