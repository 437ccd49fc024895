import ConvKit
import XCTest

/// The NHWC patch-matrix builders and direct convolution against `ReferenceKernels.convolve`
/// (one image, one filter, `[C, H, W]`, Double sums), on odd sizes, strides, padding and
/// dilation; results equal to 1e-4 relative.
final class Im2colTests: XCTestCase {
  struct Layer: CustomStringConvertible {
    var images = 2
    var height: Int, width: Int, channels: Int, filters: Int
    var kernelRows: Int, kernelCols: Int
    var strideRows = 1, strideCols = 1, dilation = 1
    var padding: Padding = .valid

    var geometry: WindowGeometry {
      try! WindowGeometry(
        inputRows: height, inputCols: width, kernelRows: kernelRows, kernelCols: kernelCols,
        strideRows: strideRows, strideCols: strideCols, dilation: dilation, padding: padding)
    }
    var patchLength: Int { kernelRows * kernelCols * channels }
    var description: String {
      "\(images)x\(height)x\(width)x\(channels) -> \(filters) filters \(kernelRows)x\(kernelCols)"
        + " stride \(strideRows),\(strideCols) dilation \(dilation) padding \(padding)"
    }
  }

  static let layers: [Layer] = [
    Layer(height: 7, width: 9, channels: 1, filters: 32, kernelRows: 3, kernelCols: 3),
    Layer(
      height: 8, width: 8, channels: 3, filters: 5, kernelRows: 3, kernelCols: 3, strideRows: 2,
      strideCols: 2, padding: .same),
    Layer(
      height: 9, width: 7, channels: 2, filters: 33, kernelRows: 3, kernelCols: 2, dilation: 2,
      padding: .same),
    Layer(
      images: 3, height: 6, width: 11, channels: 1, filters: 17, kernelRows: 5, kernelCols: 5,
      strideRows: 1, strideCols: 2, padding: .explicit(2)),
    Layer(height: 5, width: 5, channels: 4, filters: 16, kernelRows: 1, kernelCols: 1),
    Layer(
      images: 1, height: 12, width: 10, channels: 1, filters: 64, kernelRows: 3, kernelCols: 3,
      strideRows: 3, strideCols: 3, dilation: 2, padding: .same),
    Layer(images: 5, height: 13, width: 13, channels: 32, filters: 3, kernelRows: 3, kernelCols: 3),
    // Big enough to be spread over the cores.
    Layer(images: 5, height: 28, width: 28, channels: 2, filters: 32, kernelRows: 3, kernelCols: 3),
    Layer(images: 40, height: 28, width: 28, channels: 1, filters: 32, kernelRows: 3, kernelCols: 3),
  ]

  func values(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(Int(state >> 33) % 2001 - 1000) / 1000
    }
  }

  /// The reference: every image and filter through `ReferenceKernels.convolve`, gathered into
  /// an NHWC `[N, OH, OW, Cout]` array. Kernel layout `[KH, KW, Cin, Cout]`.
  func referenceForward(_ l: Layer, x: [Float], kernel: [Float], bias: [Float]) -> [Float] {
    let g = l.geometry
    let pixels = g.outputRows * g.outputCols
    var out = [Float](repeating: 0, count: l.images * pixels * l.filters)
    for n in 0..<l.images {
      var chw = [Float](repeating: 0, count: l.channels * l.height * l.width)
      for r in 0..<l.height {
        for c in 0..<l.width {
          for ch in 0..<l.channels {
            chw[(ch * l.height + r) * l.width + c] =
              x[((n * l.height + r) * l.width + c) * l.channels + ch]
          }
        }
      }
      let input = Tensor(shape: [l.channels, l.height, l.width], scalars: chw)
      for f in 0..<l.filters {
        var k = [Float](repeating: 0, count: l.patchLength)
        for i in 0..<l.kernelRows {
          for j in 0..<l.kernelCols {
            for ch in 0..<l.channels {
              k[(ch * l.kernelRows + i) * l.kernelCols + j] =
                kernel[((i * l.kernelCols + j) * l.channels + ch) * l.filters + f]
            }
          }
        }
        let filter = Tensor(shape: [l.channels, l.kernelRows, l.kernelCols], scalars: k)
        let y = ReferenceKernels.convolve(input: input, kernel: filter, geometry: g, bias: bias[f])
        for p in 0..<pixels { out[(n * pixels + p) * l.filters + f] = y.scalars[p] }
      }
    }
    return out
  }

  func assertClose(
    _ got: [Float], _ expected: [Float], _ what: String, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    XCTAssertEqual(got.count, expected.count, what, file: file, line: line)
    let meanAbs = expected.reduce(0) { $0 + abs($1) } / Float(max(1, expected.count))
    var bad = 0
    for i in 0..<min(got.count, expected.count) {
      if !(abs(got[i] - expected[i]) <= 1e-4 * max(abs(expected[i]), meanAbs)) {
        bad += 1
        if bad <= 3 {
          XCTFail("\(what): [\(i)] got \(got[i]) expected \(expected[i])", file: file, line: line)
        }
      }
    }
    if bad > 3 { XCTFail("\(what): \(bad) values differ", file: file, line: line) }
  }

  /// Patch matrix times kernel matrix is the convolution: checks `patches` (batched and per
  /// image) through the product the network computes.
  func testPatchesTimesKernelMatchesReference() {
    for l in Self.layers {
      let g = l.geometry
      let rows = l.images * g.outputRows * g.outputCols
      let x = values(l.images * l.height * l.width * l.channels, seed: 4)
      let kernel = values(l.patchLength * l.filters, seed: 5)
      let bias = values(l.filters, seed: 6)
      var cols = [Float](repeating: .nan, count: rows * l.patchLength)
      Im2col.patches(
        batch: x, images: l.images, height: l.height, width: l.width, channels: l.channels,
        geometry: g, into: &cols)
      var out = [Float](repeating: 0, count: rows * l.filters)
      for r in 0..<rows {
        for f in 0..<l.filters { out[r * l.filters + f] = bias[f] }
      }
      Gemm.sgemm(
        transA: false, transB: false, m: rows, n: l.filters, k: l.patchLength, a: cols,
        lda: l.patchLength, b: kernel, ldb: l.filters, beta: 1, c: &out, ldc: l.filters)
      assertClose(out, referenceForward(l, x: x, kernel: kernel, bias: bias), "im2col \(l)")

      // The single-image form writes the same rows.
      var first = [Float](repeating: .nan, count: g.outputRows * g.outputCols * l.patchLength)
      Im2col.patches(
        x, height: l.height, width: l.width, channels: l.channels, geometry: g, into: &first)
      XCTAssertEqual(first, Array(cols.prefix(first.count)), "single image \(l)")
    }
  }

  /// col2im is the adjoint of im2col: <patches(x), y> == <x, accumulate(y)> for any x, y.
  /// Together with the test above (patches is right) this pins accumulate down.
  func testAccumulateIsTheAdjointOfPatches() {
    for l in Self.layers {
      let g = l.geometry
      let rows = l.images * g.outputRows * g.outputCols
      let x = values(l.images * l.height * l.width * l.channels, seed: 7)
      let y = values(rows * l.patchLength, seed: 8)
      var cols = [Float](repeating: 0, count: y.count)
      Im2col.patches(
        batch: x, images: l.images, height: l.height, width: l.width, channels: l.channels,
        geometry: g, into: &cols)
      var dx = [Float](repeating: 0, count: x.count)
      Im2col.accumulate(
        batch: y, images: l.images, height: l.height, width: l.width, channels: l.channels,
        geometry: g, into: &dx)
      var lhs = 0.0
      var rhs = 0.0
      var scale = 0.0
      for i in 0..<y.count {
        lhs += Double(cols[i]) * Double(y[i])
        scale += abs(Double(cols[i]) * Double(y[i]))
      }
      for i in 0..<x.count { rhs += Double(x[i]) * Double(dx[i]) }
      XCTAssertEqual(lhs, rhs, accuracy: 1e-5 * max(scale, 1), "adjoint \(l)")

      // It accumulates: a second call doubles the result.
      let once = dx
      Im2col.accumulate(
        batch: y, images: l.images, height: l.height, width: l.width, channels: l.channels,
        geometry: g, into: &dx)
      assertClose(dx, once.map { 2 * $0 }, "accumulates \(l)")
    }
  }

  /// The kernel gradient of L = sum(out * dOut) against the reference convolution: L is linear
  /// in the kernel, so dL/dK at tap (i, j, c) of filter f is the reference convolution with a
  /// kernel that is 1 at that tap and 0 elsewhere, dotted with dOut's channel f.
  func testKernelGradientMatchesReference() {
    for l in Self.layers {
      let g = l.geometry
      let pixels = g.outputRows * g.outputCols
      let x = values(l.images * l.height * l.width * l.channels, seed: 9)
      let dOut = values(l.images * pixels * l.filters, seed: 10)
      var dKernel = values(l.patchLength * l.filters, seed: 11)
      let start = dKernel
      BlockConv.kernelGradient(
        input: x, dOut: dOut, batch: l.images, height: l.height, width: l.width,
        channels: l.channels, filters: l.filters, geometry: g, dKernel: &dKernel)
      var expected = start
      let zeroBias = [Float](repeating: 0, count: 1)
      for t in 0..<l.patchLength {
        var unit = [Float](repeating: 0, count: l.patchLength)
        unit[t] = 1
        // One filter whose only weight is tap t: its output is the input under that tap.
        let single = Layer(
          images: l.images, height: l.height, width: l.width, channels: l.channels, filters: 1,
          kernelRows: l.kernelRows, kernelCols: l.kernelCols, strideRows: l.strideRows,
          strideCols: l.strideCols, dilation: l.dilation, padding: l.padding)
        let tapValues = referenceForward(single, x: x, kernel: unit, bias: zeroBias)
        for f in 0..<l.filters {
          var s = 0.0
          for p in 0..<(l.images * pixels) {
            s += Double(tapValues[p]) * Double(dOut[p * l.filters + f])
          }
          expected[t * l.filters + f] += Float(s)
        }
      }
      assertClose(dKernel, expected, "kernel gradient \(l)")
    }
  }

  /// `BlockConv.forward(packedKernel:)` (an inference network's convolutions: kernel packed
  /// once with a folded BatchNormalization's per-filter scale, bias, clamp) against the
  /// reference convolution scaled, shifted and clamped by hand; includes batch-1 layers with
  /// fewer blocks than tasks, whose filters are split among the tasks.
  func testPackedForwardScalesShiftsAndClamps() {
    var layers = Self.layers
    layers.append(Layer(images: 1, height: 7, width: 7, channels: 64, filters: 160, kernelRows: 3, kernelCols: 3, padding: .same))
    layers.append(Layer(images: 1, height: 7, width: 7, channels: 48, filters: 70, kernelRows: 3, kernelCols: 3, padding: .same))
    layers.append(Layer(images: 1, height: 14, width: 14, channels: 256, filters: 96, kernelRows: 1, kernelCols: 1, strideRows: 2, strideCols: 2))
    layers.append(Layer(images: 2, height: 7, width: 7, channels: 512, filters: 200, kernelRows: 1, kernelCols: 1))
    for l in layers {
      let g = l.geometry
      let k = l.patchLength
      let x = values(l.images * l.height * l.width * l.channels, seed: 41)
      let kernel = values(k * l.filters, seed: 42)
      let scale = values(l.filters, seed: 43).map { 0.5 + abs($0) }
      let bias = values(l.filters, seed: 44)
      let plain = referenceForward(l, x: x, kernel: kernel, bias: .init(repeating: 0, count: l.filters))
      let packed = BlockConv.packedKernel(kernel, depth: k, filters: l.filters, scale: scale)
      for (lower, upper) in [(-Float.infinity, Float.infinity), (0, .infinity), (0, 0.5)] {
        let expected = plain.indices.map { i -> Float in
          let f = i % l.filters
          return min(max(plain[i] * scale[f] + bias[f], lower), upper)
        }
        var out = [Float](repeating: .nan, count: plain.count)
        BlockConv.forward(
          input: x, batch: l.images, height: l.height, width: l.width, channels: l.channels, packedKernel: packed,
          bias: bias, filters: l.filters, geometry: g, output: &out, lower: lower, upper: upper)
        assertClose(out, expected, "packed conv clamp [\(lower), \(upper)] \(l)")
      }
      // Without scale or bias: the plain convolution.
      var out = [Float](repeating: .nan, count: plain.count)
      BlockConv.forward(
        input: x, batch: l.images, height: l.height, width: l.width, channels: l.channels,
        packedKernel: BlockConv.packedKernel(kernel, depth: k, filters: l.filters), bias: nil, filters: l.filters,
        geometry: g, output: &out, lower: -.infinity, upper: .infinity)
      assertClose(out, plain, "packed conv \(l)")
    }
  }

  /// `BlockConv` (what the layers run) against the reference convolution (forward, with and
  /// without bias and fused ReLU), `Gemm.referenceSgemm` on the stored patch matrix (kernel and
  /// bias gradients) and the adjoint of the patch gather (input gradient), on every layer shape
  /// above, including ones that fill several blocks and tasks.
  func testBlockConvMatchesReference() {
    var layers = Self.layers
    layers.append(Layer(images: 6, height: 13, width: 13, channels: 32, filters: 64, kernelRows: 3, kernelCols: 3))
    layers.append(
      Layer(images: 3, height: 14, width: 12, channels: 5, filters: 40, kernelRows: 3, kernelCols: 3, strideRows: 2,
        strideCols: 1, dilation: 2, padding: .same))
    for l in layers {
      let g = l.geometry
      let pixels = g.outputRows * g.outputCols
      let rows = l.images * pixels
      let k = l.patchLength
      let x = values(l.images * l.height * l.width * l.channels, seed: 31)
      let kernel = values(k * l.filters, seed: 32)
      let bias = values(l.filters, seed: 33)
      let expected = referenceForward(l, x: x, kernel: kernel, bias: bias)
      var out = [Float](repeating: .nan, count: rows * l.filters)
      BlockConv.forward(
        input: x, batch: l.images, height: l.height, width: l.width, channels: l.channels,
        kernel: kernel, bias: bias, filters: l.filters, geometry: g, output: &out)
      assertClose(out, expected, "block conv \(l)")
      var relu = [Float](repeating: .nan, count: rows * l.filters)
      BlockConv.forward(
        input: x, batch: l.images, height: l.height, width: l.width, channels: l.channels,
        kernel: kernel, bias: bias, filters: l.filters, geometry: g, output: &relu, relu: true)
      assertClose(relu, expected.map { max($0, 0) }, "block conv relu \(l)")
      var noBias = [Float](repeating: .nan, count: rows * l.filters)
      BlockConv.forward(
        input: x, batch: l.images, height: l.height, width: l.width, channels: l.channels,
        kernel: kernel, bias: nil, filters: l.filters, geometry: g, output: &noBias)
      assertClose(
        noBias, referenceForward(l, x: x, kernel: kernel, bias: .init(repeating: 0, count: l.filters)),
        "block conv without bias \(l)")

      // Kernel and bias gradients, added onto what is there.
      let dOut = values(rows * l.filters, seed: 34)
      let start = values(k * l.filters, seed: 35)
      let startBias = values(l.filters, seed: 36)
      var cols = [Float](repeating: 0, count: rows * k)
      Im2col.patches(
        batch: x, images: l.images, height: l.height, width: l.width, channels: l.channels,
        geometry: g, into: &cols)
      var expectedK = start
      Gemm.referenceSgemm(
        transA: true, transB: false, m: k, n: l.filters, k: rows, a: cols, lda: k, b: dOut,
        ldb: l.filters, beta: 1, c: &expectedK, ldc: l.filters)
      var expectedBias = startBias
      for r in 0..<rows { for f in 0..<l.filters { expectedBias[f] += dOut[r * l.filters + f] } }
      var dK = start
      var dB = startBias
      BlockConv.kernelGradient(
        input: x, dOut: dOut, batch: l.images, height: l.height, width: l.width,
        channels: l.channels, filters: l.filters, geometry: g, dKernel: &dK, dBias: &dB)
      assertClose(dK, expectedK, "block conv kernel gradient \(l)")
      assertClose(dB, expectedBias, "block conv bias gradient \(l)")

      // ReLU's backward pass fused: dOut kept where the layer's output is positive.
      let y = values(rows * l.filters, seed: 37).map { max($0, 0) }
      let masked = zip(dOut, y).map { $1 > 0 ? $0 : 0 }
      var expectedMaskedK = start
      Gemm.referenceSgemm(
        transA: true, transB: false, m: k, n: l.filters, k: rows, a: cols, lda: k, b: masked,
        ldb: l.filters, beta: 1, c: &expectedMaskedK, ldc: l.filters)
      var expectedMaskedBias = startBias
      for r in 0..<rows { for f in 0..<l.filters { expectedMaskedBias[f] += masked[r * l.filters + f] } }
      var dKMasked = start
      var dBMasked = startBias
      BlockConv.kernelGradient(
        input: x, dOut: dOut, batch: l.images, height: l.height, width: l.width,
        channels: l.channels, filters: l.filters, geometry: g, dKernel: &dKMasked, dBias: &dBMasked,
        reluOutput: y)
      assertClose(dKMasked, expectedMaskedK, "block conv kernel gradient through relu \(l)")
      assertClose(dBMasked, expectedMaskedBias, "block conv bias gradient through relu \(l)")

      // Input gradient: dCols = dOut x kernel^T by the reference product, then the plain col2im.
      var dCols = [Float](repeating: 0, count: rows * k)
      Gemm.referenceSgemm(
        transA: false, transB: true, m: rows, n: k, k: l.filters, a: dOut, lda: l.filters,
        b: kernel, ldb: l.filters, c: &dCols, ldc: k)
      var expectedDx = [Float](repeating: 0, count: x.count)
      let inStride = l.height * l.width * l.channels
      dCols.withUnsafeBufferPointer { cp in
        expectedDx.withUnsafeMutableBufferPointer { dp in
          for n in 0..<l.images {
            referenceCol2im(
              cp.baseAddress! + n * pixels * k, height: l.height, width: l.width, channels: l.channels,
              geometry: g, into: dp.baseAddress! + n * inStride)
          }
        }
      }
      var dx = [Float](repeating: .nan, count: x.count)
      BlockConv.inputGradient(
        dOut: dOut, kernel: kernel, batch: l.images, height: l.height, width: l.width,
        channels: l.channels, filters: l.filters, geometry: g, dInput: &dx)
      assertClose(dx, expectedDx, "block conv input gradient \(l)")
    }
  }

  /// ReLU layers keep only their output: `preActivation` is recomputed from the saved input and
  /// must be the real z (negative values included), with the output equal to max(z, 0).
  func testReluLayersRecomputeTheirPreActivation() throws {
    var rng = RandomSource(seed: 5)
    let conv = try makeLayer(
      LayerSpec(Conv2D(filters: 7, kernelSize: Size2(3, 3), strides: Size2(1, 1), padding: .same, dilation: Size2(1), activation: .relu, useBias: true)),
      inputShape: [6, 5, 2], rng: &rng).runtime as! any ActivatedRuntime
    let dense = try makeLayer(
      LayerSpec(Dense(units: 9, activation: .relu, useBias: true)), inputShape: [13], rng: &rng).runtime as! any ActivatedRuntime
    for (layer, shape) in [(conv, [3, 6, 5, 2]), (dense, [4, 13])] {
      let x = Tensor(shape: shape, scalars: values(shape.reduce(1, *), seed: 41))
      let y = layer.forward(x, training: true)
      let z = layer.preActivation
      XCTAssertEqual(z.shape, y.shape)
      XCTAssertTrue(z.scalars.contains { $0 < 0 }, "the pre-activation keeps negative values")
      XCTAssertEqual(y.scalars, z.scalars.map { max($0, 0) })
    }
  }
}

/// The plain reference for BlockConv's input gradient: the adjoint of im2col: adds each patch entry of `cols` `[OH*OW, KH*KW*C]` back onto the
/// input position it came from, `dx` `[H, W, C]` (accumulates; padding entries are dropped).
private func referenceCol2im(
  _ cols: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
  geometry g: WindowGeometry, into dx: UnsafeMutablePointer<Float>
) {
  let kh = g.rows.kernel, kw = g.cols.kernel
  var p = cols
  for orow in 0..<g.outputRows {
    for ocol in 0..<g.outputCols {
      for i in 0..<kh {
        let r = g.rows.inputIndex(window: orow, tap: i)
        let rowInside = r >= 0 && r < height
        for j in 0..<kw {
          let c = g.cols.inputIndex(window: ocol, tap: j)
          if rowInside && c >= 0 && c < width {
            let d = dx + (r * width + c) * channels
            for ch in 0..<channels { d[ch] += p[ch] }
          }
          p += channels
        }
      }
    }
  }
}
