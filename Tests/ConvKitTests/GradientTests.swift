import ConvKit
import XCTest

/// Finite-difference checks of every layer's backward pass: dL/dinput of the layer itself
/// (L = sum(output * R) for a fixed random R), and dL/dweight through whole networks with the
/// softmax cross-entropy loss. Central differences in Float with a step of 1e-2 on smooth,
/// small problems agree with the analytic gradients to about 1e-3 (input checks step by 1e-3, so
/// that ReLU's kink and max pooling's ties are rarely straddled).
final class GradientTests: XCTestCase {
  func randoms(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = RandomSource(seed: seed)
    return (0..<count).map { _ in rng.nextSymmetric(scale) }
  }

  func assertClose(_ analytic: Float, _ numeric: Float, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    let tolerance = 2e-3 + 2e-2 * max(abs(analytic), abs(numeric))
    XCTAssertLessThanOrEqual(abs(analytic - numeric), tolerance, "\(what): analytic \(analytic), numeric \(numeric)", file: file, line: line)
  }

  /// Checks dL/dinput of one layer, L = sum(layer(x) * R).
  func checkInputGradient(_ kind: any Layer, input: FeatureShape, batch: Int = 2, training: Bool = false, seed: UInt64 = 1) throws {
    var rng = RandomSource(seed: seed)
    let layer = try makeLayer(LayerSpec(kind), inputShape: input, rng: &rng)
    let x = Tensor(shape: [batch] + input, scalars: randoms(batch * input.reduce(1, *), seed: seed + 10))
    let y = layer.forward(x, training: training)
    let r = Tensor(shape: y.shape, scalars: randoms(y.count, seed: seed + 20))
    let dx = layer.backward(r)
    func loss(_ v: [Float]) -> Float {
      let out = layer.forward(Tensor(shape: x.shape, scalars: v), training: training)
      var s: Double = 0
      for i in out.scalars.indices { s += Double(out.scalars[i]) * Double(r.scalars[i]) }
      return Float(s)
    }
    let h: Float = 1e-3
    for i in stride(from: 0, to: x.count, by: max(1, x.count / 40)) {
      var plus = x.scalars
      plus[i] += h
      var minus = x.scalars
      minus[i] -= h
      assertClose(dx.scalars[i], (loss(plus) - loss(minus)) / (2 * h), "\(kind.kerasClass) dInput[\(i)]")
    }
  }

  func testConv2DInputGradients() throws {
    for act in [Activation.linear, .tanh, .sigmoid] {
      try checkInputGradient(Conv2D(filters: 3, kernelSize: Size2(3, 3), strides: Size2(1, 1), padding: .valid, dilation: Size2(1), activation: act, useBias: true), input: [5, 5, 2])
    }
    try checkInputGradient(Conv2D(filters: 2, kernelSize: Size2(3, 2), strides: Size2(2, 2), padding: .same, dilation: Size2(1), activation: .linear, useBias: true), input: [6, 7, 2])
    try checkInputGradient(Conv2D(filters: 2, kernelSize: Size2(2, 2), strides: Size2(1, 1), padding: .valid, dilation: Size2(2), activation: .linear, useBias: false), input: [5, 5, 1])
  }

  func testPoolingInputGradients() throws {
    try checkInputGradient(MaxPooling2D(poolSize: Size2(2, 2), strides: Size2(2, 2), padding: .valid), input: [4, 4, 2])
    try checkInputGradient(MaxPooling2D(poolSize: Size2(3, 3), strides: Size2(2, 2), padding: .same), input: [5, 5, 1])
    try checkInputGradient(AveragePooling2D(poolSize: Size2(2, 2), strides: Size2(2, 2), padding: .same), input: [5, 5, 2])
    try checkInputGradient(GlobalAveragePooling2D(), input: [3, 4, 2])
  }

  func testDenseFlattenActivationGradients() throws {
    for act in Activation.allCases {
      try checkInputGradient(Dense(units: 4, activation: act, useBias: true), input: [6])
      try checkInputGradient(ActivationLayer(act), input: [5])
    }
    try checkInputGradient(Flatten(), input: [2, 3, 2])
  }

  func testBatchNormInputGradients() throws {
    try checkInputGradient(BatchNormalization(epsilon: 1e-3, momentum: 0.99), input: [3, 3, 2], batch: 3, training: true)
    try checkInputGradient(BatchNormalization(epsilon: 1e-3, momentum: 0.99), input: [4], batch: 5, training: false)
  }

  /// Dropout's backward uses the same mask as its forward: dx = dy * mask, where mask is 0 or
  /// 1/(1-rate) (inverted dropout), so output / input == gradient / upstream gradient.
  func testDropoutGradientUsesTheForwardMask() throws {
    var rng = RandomSource(seed: 3)
    let layer = try makeLayer(LayerSpec(Dropout(rate: 0.5)), inputShape: [200], rng: &rng)
    let x = Tensor(shape: [1, 200], scalars: (0..<200).map { Float($0 + 1) })
    let y = layer.forward(x, training: true)
    let dx = layer.backward(Tensor(shape: [1, 200], scalars: [Float](repeating: 1, count: 200)))
    var dropped = 0
    for i in 0..<200 {
      XCTAssertEqual(dx.scalars[i], y.scalars[i] / x.scalars[i])
      XCTAssertTrue(dx.scalars[i] == 0 || dx.scalars[i] == 2)
      if dx.scalars[i] == 0 { dropped += 1 }
    }
    XCTAssertGreaterThan(dropped, 60)
    XCTAssertLessThan(dropped, 140)
    XCTAssertEqual(layer.forward(x, training: false), x, "inference leaves values alone")
  }

  /// Every weight gradient of a network against finite differences of its loss.
  func checkWeightGradients(_ layers: [LayerSpec], input: FeatureShape, batch: Int = 3, seed: UInt64 = 5) throws {
    let net = try Network(spec: SequentialSpec(inputShape: input, layers: layers), seed: seed)
    let x = Tensor(shape: [batch] + input, scalars: randoms(batch * input.reduce(1, *), seed: seed + 1))
    let labels = (0..<batch).map { $0 % net.classes }
    net.computeGradients(images: x, labels: labels, training: true)
    let analytic = net.namedParameters.filter { $0.parameter.learnable }.map { ($0.name, $0.parameter, $0.parameter.gradient) }
    let h: Float = 1e-2
    for (name, p, grad) in analytic {
      for i in stride(from: 0, to: p.value.count, by: max(1, p.value.count / 12)) {
        let saved = p.value[i]
        p.value[i] = saved + h
        let plus = net.computeGradients(images: x, labels: labels, training: true).loss
        p.value[i] = saved - h
        let minus = net.computeGradients(images: x, labels: labels, training: true).loss
        p.value[i] = saved
        assertClose(grad[i], Float((plus - minus) / Double(2 * h)), "\(name)[\(i)]")
      }
    }
  }

  func testNetworkWeightGradients() throws {
    try checkWeightGradients(
      [
        LayerSpec(Conv2D(filters: 3, kernelSize: Size2(3, 3), strides: Size2(2, 2), padding: .same, dilation: Size2(1), activation: .tanh, useBias: true)),
        LayerSpec(BatchNormalization(epsilon: 1e-3, momentum: 0.99)),
        LayerSpec(AveragePooling2D(poolSize: Size2(2, 2), strides: Size2(1, 1), padding: .valid)),
        LayerSpec(Conv2D(filters: 2, kernelSize: Size2(2, 2), strides: Size2(1, 1), padding: .valid, dilation: Size2(1), activation: .sigmoid, useBias: true)),
        LayerSpec(Flatten()),
        LayerSpec(Dense(units: 4, activation: .tanh, useBias: true)),
        LayerSpec(Dense(units: 3, activation: .softmax, useBias: true)),
      ], input: [7, 7, 2])
    try checkWeightGradients(
      [
        LayerSpec(Conv2D(filters: 2, kernelSize: Size2(3, 3), strides: Size2(1, 1), padding: .valid, dilation: Size2(2), activation: .linear, useBias: true)),
        LayerSpec(GlobalAveragePooling2D()),
        LayerSpec(Dense(units: 3, activation: .linear, useBias: false)),
      ], input: [6, 6, 1])
  }
}
