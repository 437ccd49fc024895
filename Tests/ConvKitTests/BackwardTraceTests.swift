import ConvKit
import Foundation
import XCTest

/// The backward trace is what `step --backward` prints and the backprop screen animates: its
/// sums must be the engine's own gradients (Conv2DLayer.backward, what the trainer uses), a
/// hand-worked case, PyTorch's autograd (Fixtures/make_backward_fixture.py) and the "full
/// convolution with the flipped kernel" route.
final class BackwardTraceTests: XCTestCase {
  func geometry(_ x: Tensor, _ k: Tensor, stride: (Int, Int) = (1, 1), padding: Padding = .valid, dilation: Int = 1) throws -> WindowGeometry {
    try WindowGeometry(
      inputRows: x.shape[1], inputCols: x.shape[2], kernelRows: k.shape[1], kernelCols: k.shape[2],
      strideRows: stride.0, strideCols: stride.1, dilation: dilation, padding: padding)
  }

  /// 3x3 input, 2x2 kernel, G = ones: dK is the sum of each 2x2 block, dX counts the kernel
  /// weights each cell met (worked on paper).
  func testHandWorkedCase() throws {
    let x = Tensor(rows: [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    let k = Tensor(rows: [[1, 2], [3, 4]])
    let t = try BackwardTrace(input: x, kernel: k, geometry: try geometry(x, k), upstream: .ones)
    XCTAssertEqual(t.kernelGradient, Tensor(rows: [[12, 16], [24, 28]]))
    XCTAssertEqual(t.inputGradient, Tensor(rows: [[1, 3, 2], [4, 10, 6], [3, 7, 4]]))
    XCTAssertEqual(t.biasGradient, 4)
    XCTAssertEqual(t.kernelSteps[0].equation, "1*1 + 2*1 + 4*1 + 5*1 = 12")
    XCTAssertEqual(t.inputSteps[4].equation, "1*4 + 1*3 + 1*2 + 1*1 = 10")
    XCTAssertEqual(t.inputSteps[0].terms.count, 1)
    let sgd = t.sgdStep(learningRate: 0.01)
    let expected: [Float] = [0.88, 1.84, 2.76, 3.72]
    for (got, want) in zip(sgd.kernel.scalars, expected) { XCTAssertEqual(got, want, accuracy: 1e-6) }
    XCTAssertEqual(sgd.bias, -0.04, accuracy: 1e-7)
  }

  func testCourseExampleWithOnes() throws {
    let x = CourseExample.matrix
    let k = CourseExample.kernel
    let t = try BackwardTrace(input: x, kernel: k, geometry: try geometry(x, k), upstream: .ones)
    XCTAssertEqual(t.kernelSteps.count, 9)
    XCTAssertEqual(t.inputSteps.count, 25)
    XCTAssertEqual(t.kernelSteps[0].equation, "60*1 + 113*1 + 56*1 + 73*1 + 121*1 + 54*1 + 131*1 + 99*1 + 70*1 = 777")
    XCTAssertEqual(t.kernelGradient[0, 0, 0], 777)
  }

  /// The engine's Conv2D layer, one filter, linear: forward, then backward from G.
  func engineGradients(_ x: Tensor, _ k: Tensor, bias: Float, g: WindowGeometry, stride: (Int, Int), padding: Padding,
                       dilation: Int, upstream: Tensor) throws -> (dK: [Float], db: Float, dX: [Float]) {
    var rng = RandomSource(seed: 1)
    let conv = Conv2D(
      filters: 1, kernelSize: Size2(k.shape[1], k.shape[2]), strides: Size2(stride.0, stride.1), padding: padding,
      dilation: Size2(dilation), activation: .linear, useBias: true)
    let layer = try XCTUnwrap(try makeLayer(LayerSpec(conv), inputShape: [x.shape[1], x.shape[2], 1], rng: &rng).runtime as? Conv2DRuntime)
    layer.kernel.value = k.scalars
    layer.bias!.value = [bias]
    let y = layer.forward(Tensor(shape: [1, x.shape[1], x.shape[2], 1], scalars: x.scalars), training: true)
    XCTAssertEqual(y.shape, [1, g.outputRows, g.outputCols, 1])
    let dx = layer.backward(Tensor(shape: y.shape, scalars: upstream.scalars))
    return (layer.kernel.gradient, layer.bias!.gradient[0], dx.scalars)
  }

  struct Case: Decodable {
    var name: String
    var input: [[Float]]
    var kernel: [[Float]]
    var bias: Float
    var stride: [Int]
    var padding: [Int]
    var dilation: Int
    var grad: [[Float]]?
    var target: [[Float]]?
    var output: [[Float]]
    var loss: Double?
    var dK: [[Float]]
    var db: Float
    var dX: [[Float]]
  }

  func testEqualsEngineAndPyTorch() throws {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/backward_cases", withExtension: "json"))
    let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    XCTAssertEqual(cases.count, 6)
    for c in cases {
      let x = Tensor(rows: c.input)
      let k = Tensor(rows: c.kernel)
      let padding: Padding = c.padding[0] == 0 ? .valid : .explicit(c.padding[0])
      let stride = (c.stride[0], c.stride[1])
      let g = try geometry(x, k, stride: stride, padding: padding, dilation: c.dilation)
      let upstream: BackwardTrace.Upstream =
        c.target.map { .target(Tensor(rows: $0)) } ?? c.grad.map { .given(Tensor(rows: $0)) } ?? .ones
      let t = try BackwardTrace(input: x, kernel: k, geometry: g, bias: c.bias, upstream: upstream)
      XCTAssertEqual(t.output, Tensor(rows: c.output), c.name)
      XCTAssertEqual(t.kernelGradient, Tensor(rows: c.dK), c.name)
      XCTAssertEqual(t.biasGradient, c.db, c.name)
      XCTAssertEqual(t.inputGradient, Tensor(rows: c.dX), c.name)
      XCTAssertEqual(t.fullConvolutionInputGradient, Tensor(rows: c.dX), "full convolution, \(c.name)")
      if let loss = c.loss { XCTAssertEqual(try XCTUnwrap(t.loss), loss, accuracy: 1e-6, c.name) }
      // Each step's sum is its products' sum, and is the gradient's cell.
      for s in t.kernelSteps {
        guard case .kernel(let r, let col) = s.target else { return XCTFail("kernel step") }
        XCTAssertEqual(s.value, t.kernelGradient[0, r, col], c.name)
        XCTAssertEqual(s.terms.count, g.outputRows * g.outputCols)
      }
      for s in t.inputSteps {
        guard case .input(let r, let col, let pad) = s.target else { return XCTFail("input step") }
        if !pad { XCTAssertEqual(s.value, t.inputGradient[0, r, col], c.name) }
      }
      // The engine: the same numbers the trainer uses.
      let e = try engineGradients(x, k, bias: c.bias, g: g, stride: stride, padding: padding, dilation: c.dilation,
                                  upstream: t.outputGradient)
      XCTAssertEqual(e.dK, t.kernelGradient.scalars, "engine dK, \(c.name)")
      XCTAssertEqual(e.db, t.biasGradient, "engine db, \(c.name)")
      XCTAssertEqual(e.dX, t.inputGradient.scalars, "engine dX, \(c.name)")
    }
  }

  func testPaddedCellsReceiveGradientThatIsDropped() throws {
    let x = CourseExample.matrix
    let k = CourseExample.kernel
    let t = try BackwardTrace(input: x, kernel: k, geometry: try geometry(x, k, padding: .same), upstream: .ones)
    XCTAssertEqual(t.inputSteps.count, 49)
    let corner = t.inputSteps[0]
    XCTAssertEqual(corner.target, .input(row: -1, col: -1, isPadding: true))
    // The padded corner (-1,-1) is under tap (0,0) of window (0,0) only: 1*0.
    XCTAssertEqual(corner.terms.count, 1)
    let edge = t.inputSteps[1]
    XCTAssertEqual(edge.value, -1)  // (-1,0): taps (0,0) and (0,1) and (0,2) of three windows: 0 - 1 + 0
  }

  func testWrongShapedGradientIsAProblem() throws {
    let x = CourseExample.matrix
    let k = CourseExample.kernel
    XCTAssertThrowsError(try BackwardTrace(input: x, kernel: k, geometry: try geometry(x, k), upstream: .given(Tensor(zeros: [1, 2, 2])))) {
      XCTAssertEqual(String(describing: $0), "the gradient must be 3x3 like the output (got 2x2)")
    }
  }
}
