import ConvKit
import XCTest

/// `InferenceNetwork.forward`'s fused steps (BatchNormalization folded into the convolution
/// before it, ReLU/ReLU(6) as a clamp, ZeroPadding2D as the convolution's padding, Add + ReLU
/// in place) against the layer-by-layer pass (`forward(observe:)`) on small ResNet- and
/// MobileNet-shaped graphs with random weights and non-trivial moving statistics.
final class InferencePlanTests: XCTestCase {
  /// Random weights for every slot: kernels in +-1.5/sqrt(fan-in) (feature maps stay of order
  /// one, so the clamps cut some values and not all), biases in [-1, 1), gamma in [0.5, 1.5),
  /// beta and moving mean in [-0.5, 0.5), moving variance in [0.25, 2.25).
  func randomWeights(_ graph: GraphSpec, seed: UInt64) throws -> [[Float]] {
    var random = SeededFloats(seed: seed)
    return try InferenceNetwork.slots(for: graph).map { slot in
      let v = random.array(slot.count)
      switch slot.weight {
      case "gamma": return v.map { 1 + $0 / 2 }
      case "beta", "moving_mean": return v.map { $0 / 2 }
      case "moving_variance": return v.map { 1.25 + $0 }
      case "kernel": return v.map { $0 * 1.5 / Float(slot.count / slot.shape.last!).squareRoot() }
      case "depthwise_kernel": return v.map { $0 * 1.5 / Float(slot.shape[0] * slot.shape[1]).squareRoot() }
      default: return v
      }
    }
  }

  /// Both passes on `images` random images; returns the fused pass's step names.
  @discardableResult
  func assertPlanMatchesLayers(_ graph: GraphSpec, images n: Int, seed: UInt64, _ what: String) throws -> [String] {
    let network = try InferenceNetwork(graph: graph, weights: randomWeights(graph, seed: seed))
    var random = SeededFloats(seed: seed + 100)
    let x = random.array(n * network.inputShape.reduce(1, *)).map { $0 * 2 }
    var layers = 0
    let expected = network.forward(x, batch: n, observe: { _, _ in layers += 1 })
    var steps: [String] = []
    let fused = network.forward(x, batch: n, afterStep: { steps.append($0) })
    XCTAssertEqual(network.forward(x, batch: n), fused, "\(what): forward is the fused pass")
    assertAllClose(fused, expected, relative: 1e-4, "\(what): fused against layer by layer")
    XCTAssertLessThan(steps.count, layers, "\(what): some layers were fused")
    // The output has values on both sides of the clamps (the test can fail where they are).
    XCTAssertGreaterThan(Set(expected).count, expected.count / 4, "\(what): outputs vary")
    return steps
  }

  /// conv1_pad + 7x7/2 conv + BN + ReLU, a projection block (1x1/2 shortcut, Add + ReLU) and a
  /// block whose BatchNormalization's input is also read by the Add (not foldable).
  func resnetLike() -> GraphSpec {
    var g = GraphBuilder(name: "resnet_like")
    let bn = BatchNormalization(epsilon: 1.001e-5)
    var x = g.input([19, 17, 3])
    x = g.add(ZeroPadding2D(top: 3, bottom: 3, left: 3, right: 3), x, name: "conv1_pad")
    x = g.add(Conv2D(filters: 8, kernelSize: Size2(7), strides: Size2(2)), x, name: "conv1")
    x = g.add(bn, x, name: "conv1_bn")
    x = g.add(ActivationLayer(.relu), x, name: "conv1_relu")
    x = g.add(ZeroPadding2D(1), x, name: "pool_pad")
    x = g.add(MaxPooling2D(poolSize: Size2(3, 3), strides: Size2(2, 2), padding: .valid), x, name: "pool")
    var s = g.add(Conv2D(filters: 16, kernelSize: Size2(1), strides: Size2(2)), x, name: "b1_0_conv")
    s = g.add(bn, s, name: "b1_0_bn")
    var y = g.add(Conv2D(filters: 6, kernelSize: Size2(1), strides: Size2(2)), x, name: "b1_1_conv")
    y = g.add(bn, y, name: "b1_1_bn")
    y = g.add(ActivationLayer(.relu), y, name: "b1_1_relu")
    y = g.add(Conv2D(filters: 6, kernelSize: Size2(3), padding: .same), y, name: "b1_2_conv")
    y = g.add(bn, y, name: "b1_2_bn")
    y = g.add(ActivationLayer(.relu), y, name: "b1_2_relu")
    y = g.add(Conv2D(filters: 16, kernelSize: Size2(1)), y, name: "b1_3_conv")
    y = g.add(bn, y, name: "b1_3_bn")
    y = g.add(Add(), s, y, name: "b1_add")
    x = g.add(ActivationLayer(.relu), y, name: "b1_out")
    let c = g.add(Conv2D(filters: 16, kernelSize: Size2(3), padding: .same), x, name: "b2_conv")
    y = g.add(bn, c, name: "b2_bn")
    y = g.add(Add(), c, y, x, name: "b2_add")
    g.add(ReLU(maxValue: 6), y, name: "b2_out")
    return g.spec
  }

  /// 3x3/2 conv + BN + ReLU(6), depthwise blocks (stride 1 'same'; stride 2 after a
  /// bottom/right ZeroPadding2D; multiplier 2 with bias and BN without scale), a conv with its
  /// own ReLU, and MobileNet's head (pooling, reshape, dropout, 1x1 conv, softmax).
  func mobilenetLike() -> GraphSpec {
    var g = GraphBuilder(name: "mobilenet_like")
    let bn = BatchNormalization()
    var x = g.input([18, 16, 3])
    x = g.add(Conv2D(filters: 8, kernelSize: Size2(3), strides: Size2(2), padding: .same, useBias: false), x, name: "conv1")
    x = g.add(bn, x, name: "conv1_bn")
    x = g.add(ReLU(maxValue: 6), x, name: "conv1_relu")
    x = g.add(DepthwiseConv2D(kernelSize: Size2(3), strides: Size2(1), padding: .same, useBias: false), x, name: "dw1")
    x = g.add(bn, x, name: "dw1_bn")
    x = g.add(ReLU(maxValue: 6), x, name: "dw1_relu")
    x = g.add(Conv2D(filters: 16, kernelSize: Size2(1), padding: .same, useBias: false), x, name: "pw1")
    x = g.add(bn, x, name: "pw1_bn")
    x = g.add(ReLU(maxValue: 6), x, name: "pw1_relu")
    x = g.add(ZeroPadding2D(top: 0, bottom: 1, left: 0, right: 1), x, name: "pad2")
    x = g.add(DepthwiseConv2D(kernelSize: Size2(3), strides: Size2(2), padding: .valid, useBias: false), x, name: "dw2")
    x = g.add(bn, x, name: "dw2_bn")
    x = g.add(ReLU(maxValue: 6), x, name: "dw2_relu")
    x = g.add(DepthwiseConv2D(kernelSize: Size2(3), padding: .same, depthMultiplier: 2), x, name: "dw3")
    x = g.add(BatchNormalization(scale: false), x, name: "dw3_bn")
    x = g.add(Conv2D(filters: 24, kernelSize: Size2(1), activation: .relu), x, name: "pw3")
    x = g.add(GlobalAveragePooling2D(), x)
    x = g.add(Reshape(targetShape: [1, 1, 24]), x, name: "reshape_1")
    x = g.add(Dropout(rate: 0.001), x, name: "dropout")
    x = g.add(Conv2D(filters: 10, kernelSize: Size2(1), padding: .same), x, name: "conv_preds")
    x = g.add(Reshape(targetShape: [10]), x, name: "reshape_2")
    g.add(ActivationLayer(.softmax), x, name: "predictions")
    return g.spec
  }

  func testResNetLikeMatchesLayerByLayer() throws {
    for n in [1, 3] {
      let steps = try assertPlanMatchesLayers(resnetLike(), images: n, seed: 7, "resnet-like batch \(n)")
      XCTAssertTrue(steps.contains("conv1_pad+conv1+conv1_bn+conv1_relu"), "\(steps)")
      XCTAssertTrue(steps.contains("b1_0_conv+b1_0_bn"), "\(steps)")
      XCTAssertTrue(steps.contains("b1_add+b1_out"), "\(steps)")
      // b2_conv's output is read twice: its BatchNormalization stays a layer of its own.
      XCTAssertTrue(steps.contains("b2_conv") && steps.contains("b2_bn"), "\(steps)")
      XCTAssertTrue(steps.contains("pool_pad"), "\(steps)")
    }
  }

  func testMobileNetLikeMatchesLayerByLayer() throws {
    for n in [1, 2] {
      let steps = try assertPlanMatchesLayers(mobilenetLike(), images: n, seed: 11, "mobilenet-like batch \(n)")
      XCTAssertTrue(steps.contains("pad2+dw2+dw2_bn+dw2_relu"), "\(steps)")
      XCTAssertTrue(steps.contains("dw3+dw3_bn"), "\(steps)")
      XCTAssertTrue(steps.contains("conv1+conv1_bn+conv1_relu"), "\(steps)")
    }
  }

  /// The Keras graphs of the benchmark, fused: each block becomes one step per convolution.
  func testApplicationGraphsFuseEveryBlock() throws {
    let resnet = try InferenceNetwork(graph: ApplicationGraphs.resnet50(), randomSeed: 1)
    var steps: [String] = []
    let x = [Float](repeating: 0.5, count: resnet.inputShape.reduce(1, *))
    _ = resnet.forward(x, batch: 1, afterStep: { steps.append($0) })
    XCTAssertFalse(steps.contains { $0.hasSuffix("_bn") && !$0.contains("+") }, "every BatchNormalization folded: \(steps)")
    XCTAssertEqual(steps.filter { $0.contains("_add+") && $0.hasSuffix("_out") }.count, 16, "\(steps)")
    XCTAssertTrue(steps.contains("conv1_pad+conv1_conv+conv1_bn+conv1_relu"), "\(steps)")
  }
}
