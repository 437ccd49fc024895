import Dispatch

/// The optimizers `train --optimizer` offers, with Keras 3's update rules and defaults.
public enum OptimizerKind: String, CaseIterable, Sendable {
  case sgd, adam, rmsprop

  /// Keras's default learning rate: SGD 0.01, Adam and RMSprop 0.001.
  public var defaultLearningRate: Float {
    switch self {
    case .sgd: return 0.01
    case .adam, .rmsprop: return 0.001
    }
  }

  public func make(learningRate: Float? = nil, momentum: Float = 0) -> Optimizer {
    let lr = learningRate ?? defaultLearningRate
    switch self {
    case .sgd: return SGD(learningRate: lr, momentum: momentum)
    case .adam: return Adam(learningRate: lr)
    case .rmsprop: return RMSprop(learningRate: lr, momentum: momentum)
    }
  }
}

/// Changes weights from their gradients. `step` is called once per batch with the parameters
/// that may change (learnable ones of trainable layers); state is kept per parameter.
public protocol Optimizer: AnyObject {
  var learningRate: Float { get set }
  func step(_ parameters: [Parameter])
}

/// Stochastic gradient descent, optionally with (heavy-ball) momentum, as Keras:
/// v = momentum * v - lr * g; w += v (momentum 0: w -= lr * g).
public final class SGD: Optimizer {
  public var learningRate: Float
  public let momentum: Float
  private var velocity: [ObjectIdentifier: [Float]] = [:]

  public init(learningRate: Float = 0.01, momentum: Float = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
  }

  public func step(_ parameters: [Parameter]) {
    for p in parameters {
      if momentum == 0 {
        for i in p.value.indices { p.value[i] -= learningRate * p.gradient[i] }
        continue
      }
      var v = velocity[ObjectIdentifier(p), default: [Float](repeating: 0, count: p.value.count)]
      for i in p.value.indices {
        v[i] = momentum * v[i] - learningRate * p.gradient[i]
        p.value[i] += v[i]
      }
      velocity[ObjectIdentifier(p)] = v
    }
  }
}

/// Adam (Kingma and Ba) as Keras 3 writes it, with epsilon outside the bias correction
/// ("epsilon hat"): m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
/// alpha = lr * sqrt(1 - b2^t) / (1 - b1^t); w -= alpha * m / (sqrt(v) + eps).
/// Defaults: lr 0.001, b1 0.9, b2 0.999, eps 1e-7.
public final class Adam: Optimizer {
  public var learningRate: Float
  public let beta1: Float, beta2: Float, epsilon: Float
  public private(set) var iterations = 0
  private var moments: [ObjectIdentifier: (m: [Float], v: [Float])] = [:]

  public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  public func step(_ parameters: [Parameter]) {
    iterations += 1
    let t = Double(iterations)
    let alpha = Float(
      Double(learningRate) * (1 - _pow(Double(beta2), t)).squareRoot() / (1 - _pow(Double(beta1), t)))
    for p in parameters {
      let key = ObjectIdentifier(p)
      var (m, v) = moments[key] ?? ([Float](repeating: 0, count: p.value.count), [Float](repeating: 0, count: p.value.count))
      moments[key] = nil  // keep the arrays uniquely referenced while updating them
      let (b1, b2, eps) = (beta1, beta2, epsilon)
      p.gradient.withUnsafeBufferPointer { gp in
        p.value.withUnsafeMutableBufferPointer { wp in
          m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in
              let ptrs = AdamPointers(g: gp.baseAddress, w: wp.baseAddress, m: mp.baseAddress, v: vp.baseAddress)
              // A big kernel (a dense layer's million weights) is updated in chunks on all cores.
              let total = wp.count
              let chunk = 1 << 16
              let chunks = (total + chunk - 1) / chunk
              let update = { @Sendable (c: Int) in
                guard let g = ptrs.g, let w = ptrs.w, let m = ptrs.m, let v = ptrs.v else { return }
                for i in (c * chunk)..<min(total, (c + 1) * chunk) {
                  let gi = g[i]
                  m[i] += (gi - m[i]) * (1 - b1)
                  v[i] += (gi * gi - v[i]) * (1 - b2)
                  w[i] -= alpha * m[i] / (v[i].squareRoot() + eps)
                }
              }
              if chunks > 1 {
                DispatchQueue.concurrentPerform(iterations: chunks, execute: update)
              } else if chunks == 1 {
                update(0)
              }
            }
          }
        }
      }
      moments[key] = (m, v)
    }
  }
}

/// RMSprop as Keras 3: s = rho * s + (1 - rho) g^2; step = lr * g / sqrt(s + eps);
/// with momentum: u = momentum * u + step, w -= u. Defaults: lr 0.001, rho 0.9, eps 1e-7.
public final class RMSprop: Optimizer {
  public var learningRate: Float
  public let rho: Float, momentum: Float, epsilon: Float
  private var meanSquare: [ObjectIdentifier: [Float]] = [:]
  private var velocity: [ObjectIdentifier: [Float]] = [:]

  public init(learningRate: Float = 0.001, rho: Float = 0.9, momentum: Float = 0, epsilon: Float = 1e-7) {
    self.learningRate = learningRate
    self.rho = rho
    self.momentum = momentum
    self.epsilon = epsilon
  }

  public func step(_ parameters: [Parameter]) {
    for p in parameters {
      let key = ObjectIdentifier(p)
      var s = meanSquare.removeValue(forKey: key) ?? [Float](repeating: 0, count: p.value.count)
      var u = momentum > 0 ? (velocity.removeValue(forKey: key) ?? [Float](repeating: 0, count: p.value.count)) : []
      for i in p.value.indices {
        let g = p.gradient[i]
        s[i] = rho * s[i] + (1 - rho) * g * g
        let increment = learningRate * g / (s[i] + epsilon).squareRoot()
        if momentum > 0 {
          u[i] = momentum * u[i] + increment
          p.value[i] -= u[i]
        } else {
          p.value[i] -= increment
        }
      }
      meanSquare[key] = s
      if momentum > 0 { velocity[key] = u }
    }
  }
}

/// Adam's arrays handed to concurrent chunks (each writes only its own range).
private struct AdamPointers: @unchecked Sendable {
  var g: UnsafePointer<Float>?
  var w: UnsafeMutablePointer<Float>?
  var m: UnsafeMutablePointer<Float>?
  var v: UnsafeMutablePointer<Float>?
}
