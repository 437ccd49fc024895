import ConvKit
import Foundation
import XCTest

/// FilterKernels (the fast, threaded, SIMD filter) against the plain reference and against
/// SciPy fixtures made by Fixtures/make_filter_fixtures.py.
final class FilterKernelsTests: XCTestCase {
  /// A deterministic generator so failures reproduce.
  typealias Generator = SplitMix64

  func randomTensor(_ shape: [Int], _ g: inout Generator, range: ClosedRange<Float> = -2...2) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float.random(in: range, using: &g) })
  }

  func assertClose(
    _ a: Tensor, _ b: Tensor, relative: Float = 1e-4, _ what: String, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    XCTAssertEqual(a.shape, b.shape, what, file: file, line: line)
    guard a.shape == b.shape else { return }
    let scale = max(1, b.scalars.map(abs).max() ?? 1)
    for i in 0..<a.count where abs(a.scalars[i] - b.scalars[i]) > relative * scale {
      XCTFail("\(what): element \(i) is \(a.scalars[i]), expected \(b.scalars[i])", file: file, line: line)
      return
    }
  }

  /// Every combination of odd sizes, kernel sizes, strides, dilation and padding the CLI can ask
  /// for, single- and multi-threaded, against ReferenceKernels.convolve.
  func testMatchesReferenceOnManyGeometries() throws {
    var g = Generator(seed: 42)
    var checked = 0
    for (h, w) in [(1, 1), (5, 7), (13, 61), (9, 33), (40, 70)] {
      for (kh, kw) in [(1, 1), (2, 2), (3, 3), (5, 3)] {
        for stride in [(1, 1), (2, 2), (1, 3)] {
          for dilation in [1, 2] {
            for padding in [Padding.valid, .same, .explicit(1)] {
              guard
                let geometry = try? WindowGeometry(
                  inputRows: h, inputCols: w, kernelRows: kh, kernelCols: kw,
                  strideRows: stride.0, strideCols: stride.1, dilation: dilation,
                  padding: padding)
              else { continue }  // kernel larger than the padded input
              let input = randomTensor([1, h, w], &g)
              let kernel = randomTensor([1, kh, kw], &g)
              let expected = ReferenceKernels.convolve(
                input: input, kernel: kernel, geometry: geometry, bias: 0.5)
              for parallel in [false, true] {
                let got = FilterKernels.convolve(
                  input: input, kernel: kernel, geometry: geometry, bias: 0.5, parallel: parallel)
                assertClose(
                  got, expected,
                  "\(h)x\(w) kernel \(kh)x\(kw) stride \(stride) dilation \(dilation) padding \(padding) parallel \(parallel)")
              }
              checked += 1
            }
          }
        }
      }
    }
    XCTAssertGreaterThan(checked, 300)
  }

  /// Large enough to be split into bands over threads, with flip, multi-channel sums and the
  /// per-channel case.
  func testChannelsFlipAndThreads() {
    var g = Generator(seed: 7)
    let input = randomTensor([3, 157, 203], &g, range: 0...255)
    for kernelChannels in [1, 3] {
      let kernel = randomTensor([kernelChannels, 3, 3], &g)
      for (flip, stride) in [(false, 1), (true, 1), (false, 2), (true, 2)] {
        let geometry = try! WindowGeometry(
          inputRows: 157, inputCols: 203, kernelRows: 3, kernelCols: 3, strideRows: stride,
          strideCols: stride, padding: .same)
        let expected = ReferenceKernels.convolve(
          input: input, kernel: kernel, geometry: geometry, bias: -1, flip: flip)
        let got = FilterKernels.convolve(
          input: input, kernel: kernel, geometry: geometry, bias: -1, flip: flip)
        assertClose(got, expected, "\(kernelChannels)-channel kernel, flip \(flip), stride \(stride)")
      }
    }
  }

  /// The in-place variant writes every element even into memory that held garbage.
  func testIntoBufferOverwritesEverything() {
    var g = Generator(seed: 9)
    let input = randomTensor([1, 31, 45], &g)
    let kernel = randomTensor([1, 3, 3], &g)
    let geometry = try! WindowGeometry(
      inputRows: 31, inputCols: 45, kernelRows: 3, kernelCols: 3, padding: .same)
    var buffer = [Float](repeating: .nan, count: 31 * 45)
    buffer.withUnsafeMutableBufferPointer {
      FilterKernels.convolve(input: input, kernel: kernel, geometry: geometry, into: $0)
    }
    let expected = ReferenceKernels.convolve(input: input, kernel: kernel, geometry: geometry)
    assertClose(Tensor(shape: [1, 31, 45], scalars: buffer), expected, "into:")
  }

  /// A hand-checked case: 0..<16 as a 4x4 image, the 3x3 'edge' kernel, padding same.
  /// Corner (0,0): 8*0 - (1 + 4 + 5) = -10. Centre (1,1): 8*5 - (0+1+2+4+6+8+9+10) = 0.
  func testHandWorkedEdge() throws {
    let input = Tensor(shape: [1, 4, 4], scalars: (0..<16).map(Float.init))
    let kernel = KernelPreset.named("edge")!.tensor
    let geometry = try WindowGeometry(
      inputRows: 4, inputCols: 4, kernelRows: 3, kernelCols: 3, padding: .same)
    let out = FilterKernels.convolve(input: input, kernel: kernel, geometry: geometry)
    XCTAssertEqual(out[0, 0, 0], -10)
    XCTAssertEqual(out[0, 1, 1], 0)
  }

  // MARK: SciPy fixtures

  func fixture(_ name: String) throws -> Tensor {
    let url = try XCTUnwrap(
      Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures"),
      "missing fixture \(name).txt")
    return try MatrixText.parse(try String(contentsOf: url, encoding: .utf8), source: name)
  }

  func testAgainstSciPyFixtures() throws {
    let image = try fixture("filter_input")
    let gray = Tensor(shape: [1, 13, 61], scalars: Array(image.scalars[0..<(13 * 61)]))
    let rgbKernel = try fixture("filter_rgb_kernel")
    // name, kernel, stride, padding, dilation, flip, input (as make_filter_fixtures.py lists them)
    let cases: [(String, Tensor, (Int, Int), Padding, Int, Bool, Tensor)] = [
      ("sobel_same", preset("sobel-x"), (1, 1), .same, 1, false, gray),
      ("edge_valid_stride2", preset("edge"), (2, 2), .valid, 1, false, gray),
      ("gauss5_same_dilation2", preset("gaussian-5x5"), (1, 1), .same, 2, false, gray),
      ("roberts_same", preset("roberts-diagonal"), (1, 1), .same, 1, false, gray),
      ("edge_pad1_stride2x3", preset("edge"), (2, 3), .explicit(1), 1, false, gray),
      ("emboss_flip_same", preset("emboss"), (1, 1), .same, 1, true, gray),
      ("sobel_same_stride2", preset("sobel-x"), (2, 2), .same, 1, false, gray),
      ("edge_per_channel_same", preset("edge"), (1, 1), .same, 1, false, image),
      ("rgb_kernel_valid", rgbKernel, (1, 1), .valid, 1, false, image),
    ]
    for (name, kernel, stride, padding, dilation, flip, input) in cases {
      let geometry = try WindowGeometry(
        inputRows: input.shape[1], inputCols: input.shape[2], kernelRows: kernel.shape[1],
        kernelCols: kernel.shape[2], strideRows: stride.0, strideCols: stride.1,
        dilation: dilation, padding: padding)
      let expected = try fixture("filter_\(name)")
      let got = FilterKernels.convolve(input: input, kernel: kernel, geometry: geometry, flip: flip)
      assertClose(got, expected, name)
    }
  }

  func preset(_ name: String) -> Tensor { KernelPreset.named(name)!.tensor }
}
