import ConvKit
import XCTest

/// The plain kernels against the course's worked example and hand-worked cases.
final class ReferenceKernelsTests: XCTestCase {
  func geometry(_ input: Tensor, _ kernel: Tensor, padding: Padding = .valid, stride: Int = 1, dilation: Int = 1) throws -> WindowGeometry {
    try WindowGeometry(
      inputRows: input.shape[1], inputCols: input.shape[2], kernelRows: kernel.shape[1],
      kernelCols: kernel.shape[2], strideRows: stride, strideCols: stride, dilation: dilation,
      padding: padding)
  }

  func testCourseExampleValid() throws {
    let x = CourseExample.matrix
    let k = CourseExample.kernel
    let out = ReferenceKernels.convolve(input: x, kernel: k, geometry: try geometry(x, k))
    XCTAssertEqual(out.shape, [1, 3, 3])
    XCTAssertEqual(out.scalars, [266, -61, -30, 116, -47, 295, -135, 256, -128])
  }

  func testCourseExamplePaddedTable() throws {
    let x = CourseExample.matrix
    let k = CourseExample.kernel
    let expected: [Float] = [
      114, 328, -26, 470, 158,
      53, 266, -61, -30, 344,
      403, 116, -47, 295, 244,
      108, -135, 256, -128, 344,
      314, 346, 279, 153, 421,
    ]
    for padding in [Padding.same, .explicit(1)] {
      let out = ReferenceKernels.convolve(input: x, kernel: k, geometry: try geometry(x, k, padding: padding))
      XCTAssertEqual(out.shape, [1, 5, 5])
      XCTAssertEqual(out.scalars, expected, "padding \(padding)")
    }
  }

  func testFlipRotatesTheKernel() throws {
    // 0..<9 as a 3x3 input, kernel [[1,2],[3,4]].
    // correlation at (0,0): 0*1 + 1*2 + 3*3 + 4*4 = 27; convolution uses [[4,3],[2,1]]: 0*4+1*3+3*2+4*1 = 13
    let x = Tensor(rows: [[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    let k = Tensor(rows: [[1, 2], [3, 4]])
    let g = try geometry(x, k)
    XCTAssertEqual(ReferenceKernels.convolve(input: x, kernel: k, geometry: g).scalars, [27, 37, 57, 67])
    XCTAssertEqual(ReferenceKernels.convolve(input: x, kernel: k, geometry: g, flip: true).scalars, [13, 23, 43, 53])
  }

  func testSymmetricKernelIgnoresFlip() throws {
    let x = CourseExample.matrix
    let k = CourseExample.kernel
    let g = try geometry(x, k)
    XCTAssertEqual(
      ReferenceKernels.convolve(input: x, kernel: k, geometry: g, flip: true),
      ReferenceKernels.convolve(input: x, kernel: k, geometry: g))
  }

  func testDilationSkipsCells() throws {
    // 5x5 input 0..<25, 2x2 kernel of ones dilated by 2: taps (0,0),(0,2),(2,0),(2,2).
    // out[0,0] = 0 + 2 + 10 + 12 = 24; 3x3 output, each step +1 along a row, +5 down.
    let x = Tensor(shape: [1, 5, 5], scalars: (0..<25).map(Float.init))
    let k = Tensor(rows: [[1, 1], [1, 1]])
    let out = ReferenceKernels.convolve(input: x, kernel: k, geometry: try geometry(x, k, dilation: 2))
    XCTAssertEqual(out.shape, [1, 3, 3])
    XCTAssertEqual(out.scalars, [24, 28, 32, 44, 48, 52, 64, 68, 72])
  }

  func testStrideTwo() throws {
    let x = CourseExample.matrix
    let k = CourseExample.kernel
    let out = ReferenceKernels.convolve(input: x, kernel: k, geometry: try geometry(x, k, stride: 2))
    XCTAssertEqual(out.scalars, [266, -30, -135, -128])
  }

  func testMultiChannelSumsWithBias() throws {
    // Channel c is filled with c+1; kernel channel c is all ones times (c+1).
    // One 2x2 window: sum over c of 4*(c+1)^2 = 4*(1+4+9) = 56, plus bias 0.5.
    let x = Tensor(shape: [3, 2, 2], scalars: [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
    let k = Tensor(shape: [3, 2, 2], scalars: [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
    let out = ReferenceKernels.convolve(input: x, kernel: k, geometry: try geometry(x, k), bias: 0.5)
    XCTAssertEqual(out.shape, [1, 1, 1])
    XCTAssertEqual(out.scalars, [56.5])
  }

  func testSingleChannelKernelFiltersEachChannel() throws {
    let x = Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 10, 20, 30, 40])
    let k = Tensor(rows: [[1, 1], [1, 1]])
    let out = ReferenceKernels.convolve(input: x, kernel: k, geometry: try geometry(x, k))
    XCTAssertEqual(out.shape, [2, 1, 1])
    XCTAssertEqual(out.scalars, [10, 100])
  }

  func testMaxAndAveragePooling() throws {
    let x = CourseExample.matrix
    let g = try WindowGeometry(inputRows: 5, inputCols: 5, kernelRows: 2, kernelCols: 2, strideRows: 2, strideCols: 2, padding: .valid)
    XCTAssertEqual(ReferenceKernels.pool(input: x, geometry: g, mode: .max).scalars, [121, 139, 131, 129])
    // (60+113+73+121)/4 = 91.75, (56+139+54+84)/4 = 83.25, (131+99+80+57)/4 = 91.75, (70+129+115+69)/4 = 95.75
    XCTAssertEqual(ReferenceKernels.pool(input: x, geometry: g, mode: .avg).scalars, [91.75, 83.25, 91.75, 95.75])
  }

  func testSamePoolingIgnoresPaddedCells() throws {
    // 5x5 pooled 2x2 stride 2 'same': one padded row/column at the bottom/right.
    // Bottom-right window holds only 130: max 130 and mean 130 (not 130/4).
    let x = CourseExample.matrix
    let g = try WindowGeometry(inputRows: 5, inputCols: 5, kernelRows: 2, kernelCols: 2, strideRows: 2, strideCols: 2, padding: .same)
    XCTAssertEqual(g.rows.padBefore, 0)
    XCTAssertEqual(g.rows.padAfter, 1)
    let avg = ReferenceKernels.pool(input: x, geometry: g, mode: .avg)
    XCTAssertEqual(avg.shape, [1, 3, 3])
    XCTAssertEqual(avg[0, 2, 2], 130)
    // (104 + 126)/2 = 115 for the bottom-left window.
    XCTAssertEqual(avg[0, 2, 0], 115)
    let negative = Tensor(rows: [[-5, -3, -1], [-2, -8, -9], [-7, -6, -4]])
    let g3 = try WindowGeometry(inputRows: 3, inputCols: 3, kernelRows: 2, kernelCols: 2, strideRows: 2, strideCols: 2, padding: .same)
    // Padding must not win against negative values.
    XCTAssertEqual(ReferenceKernels.pool(input: negative, geometry: g3, mode: .max).scalars, [-2, -1, -6, -4])
  }
}
