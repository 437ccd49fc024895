import ConvKit
import XCTest

/// `ChannelKernels` (BatchNormalization's sums and passes, ReLU/LeakyReLU) against plain loops
/// written here in Double, for shapes below and above the parallel threshold, channel counts
/// that are and are not multiples of the vector width, and ragged element counts.
final class ChannelKernelsTests: XCTestCase {
  let shapes: [(rows: Int, channels: Int)] = [
    (1, 1), (5, 3), (64, 8), (65, 17), (4096, 32), (32 * 16 * 16, 64), (2 * 7 * 7, 1024), (1000, 3),
  ]

  func testMeanAndVarianceMatchDoubleTwoPass() {
    for (index, s) in shapes.enumerated() {
      var random = SeededFloats(seed: UInt64(300 + index))
      // A mean far from zero next to a small spread: a one-pass formula would lose the variance.
      let x = random.array(s.rows * s.channels).enumerated().map { i, v in Float(i % s.channels) * 50 + v * 0.01 }
      let (mean, variance) = x.withUnsafeBufferPointer {
        ChannelKernels.meanAndVariance($0.baseAddress!, rows: s.rows, channels: s.channels)
      }
      for j in 0..<s.channels {
        let column = (0..<s.rows).map { Double(x[$0 * s.channels + j]) }
        let m = column.reduce(0, +) / Double(s.rows)
        let v = column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(s.rows)
        XCTAssertEqual(mean[j], m, accuracy: 1e-6 * max(1, abs(m)), "case \(index) mean \(j)")
        XCTAssertEqual(variance[j], v, accuracy: 1e-4 * v + 1e-12, "case \(index) variance \(j)")
      }
    }
  }

  func testScaleShiftAndGradientsMatchPlainLoops() {
    for (index, s) in shapes.enumerated() {
      var random = SeededFloats(seed: UInt64(400 + index))
      let c = s.channels
      let x = random.array(s.rows * c), dy = random.array(s.rows * c)
      let mean = random.array(c), a = random.array(c), b = random.array(c), k = random.array(c)
      let label = "case \(index) \(s)"
      let y = x.withUnsafeBufferPointer {
        ChannelKernels.scaleShift($0.baseAddress!, rows: s.rows, channels: c, scale: a, shift: b)
      }
      assertAllClose(y, x.indices.map { x[$0] * a[$0 % c] + b[$0 % c] }, relative: 1e-6, "\(label) scaleShift")

      let sums = dy.withUnsafeBufferPointer { d in
        x.withUnsafeBufferPointer { xp in
          ChannelKernels.gradientSums(dy: d.baseAddress!, x: xp.baseAddress!, mean: mean, rows: s.rows, channels: c)
        }
      }
      for j in 0..<c {
        var sumDy = 0.0, sumDyX = 0.0
        for r in 0..<s.rows {
          let i = r * c + j
          sumDy += Double(dy[i])
          sumDyX += Double(dy[i]) * (Double(x[i]) - Double(mean[j]))
        }
        XCTAssertEqual(sums[j], sumDy, accuracy: 1e-5 * max(1, Double(s.rows).squareRoot()), "\(label) sum dy \(j)")
        XCTAssertEqual(sums[c + j], sumDyX, accuracy: 1e-5 * max(1, Double(s.rows).squareRoot()), "\(label) sum dy*x \(j)")
      }

      let dx = dy.withUnsafeBufferPointer { d in
        x.withUnsafeBufferPointer { xp in
          ChannelKernels.affineGradient(
            dy: d.baseAddress!, x: xp.baseAddress!, mean: mean, a: a, b: b, k: k, rows: s.rows, channels: c)
        }
      }
      assertAllClose(
        dx, x.indices.map { i in a[i % c] * dy[i] + b[i % c] * (x[i] - mean[i % c]) + k[i % c] }, relative: 1e-5,
        "\(label) affineGradient")
    }
  }

  /// ReLU(6), LeakyReLU(0.2), ReLU with a threshold: values on both sides of every corner, and
  /// the gradient 0 above the clip, slope below the threshold.
  func testPiecewiseLinearAndGradient() {
    let cases: [(slope: Float, threshold: Float, maxValue: Float)] = [(0, 0, 6), (0.2, 0, .infinity), (0.1, 0.5, 2)]
    for count in [0, 1, 7, 8, 9, 100, 70_001] {
      var random = SeededFloats(seed: UInt64(500 + count))
      let x = random.array(count).map { $0 * 8 } + (count > 3 ? [0, 6, 0.5] : [])
      let dy = random.array(x.count)
      for c in cases {
        let y = ChannelKernels.piecewiseLinear(x, slope: c.slope, threshold: c.threshold, maxValue: c.maxValue)
        let expected = x.map { v in v >= c.threshold ? min(v, c.maxValue) : c.slope * (v - c.threshold) }
        XCTAssertEqual(y, expected, "count \(count) \(c) forward")
        let dx = ChannelKernels.piecewiseLinearGradient(
          dy, input: x, slope: c.slope, threshold: c.threshold, maxValue: c.maxValue)
        let expectedDx = x.indices.map { i in
          dy[i] * (x[i] >= c.threshold ? (x[i] < c.maxValue ? 1 : 0) : c.slope)
        }
        XCTAssertEqual(dx, expectedDx, "count \(count) \(c) gradient")
      }
    }
  }

  /// A diverging run must be seen: NaN stays NaN through ReLU6, in the vector lanes and the tail.
  func testNaNPassesThroughReLU6() {
    var x = [Float](repeating: 1, count: 19)
    x[3] = .nan
    x[18] = .nan
    let y = ChannelKernels.piecewiseLinear(x, slope: 0, threshold: 0, maxValue: 6)
    XCTAssertTrue(y[3].isNaN)
    XCTAssertTrue(y[18].isNaN)
    XCTAssertEqual(y[0], 1)
  }
}

/// ZeroPadding2D's rows copied on several cores: a batch big enough to be split, asymmetric
/// padding, against positions worked out here; backward takes the border away again.
final class ZeroPaddingRowsTests: XCTestCase {
  func testPaddedBatchAndGradientMatchPositions() throws {
    let (n, h, w, c) = (16, 20, 19, 8)
    let (top, bottom, left, right) = (1, 2, 3, 0)
    var rng = RandomSource(seed: 1)
    let layer = try makeLayer(
      LayerSpec(ZeroPadding2D(top: top, bottom: bottom, left: left, right: right)), inputShape: [h, w, c], rng: &rng)
    var random = SeededFloats(seed: 77)
    let x = Tensor(shape: [n, h, w, c], scalars: random.array(n * h * w * c))
    let y = layer.forward(x, training: true)
    let (ph, pw) = (h + top + bottom, w + left + right)
    XCTAssertEqual(y.shape, [n, ph, pw, c])
    var expected = [Float](repeating: 0, count: n * ph * pw * c)
    for b in 0..<n { for r in 0..<h { for q in 0..<w { for k in 0..<c {
      expected[((b * ph + r + top) * pw + q + left) * c + k] = x.scalars[((b * h + r) * w + q) * c + k]
    } } } }
    XCTAssertEqual(y.scalars, expected)
    let dx = layer.backward(Tensor(shape: y.shape, scalars: expected))
    XCTAssertEqual(dx.shape, x.shape)
    XCTAssertEqual(dx.scalars, x.scalars)
  }
}
