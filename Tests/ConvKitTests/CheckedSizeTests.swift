import ConvKit
import XCTest

/// Checked size arithmetic, the memory budget and the lazy step list.
final class CheckedSizeTests: XCTestCase {
  func testOverflowsBecomeErrorsNamingTheField() {
    XCTAssertEqual(try CheckedSize.add(2, 3, field: "f"), 5)
    XCTAssertEqual(try CheckedSize.elements([224, 224, 64], field: "f"), 3_211_264)
    XCTAssertThrowsError(try CheckedSize.add(Int.max, 1, field: "padding")) { e in
      XCTAssert("\(e)".hasPrefix("padding: "), "\(e)")
    }
    XCTAssertThrowsError(try CheckedSize.elements([1 << 30, 1 << 30, 1 << 30], field: "shape"))
    XCTAssertThrowsError(try CheckedSize.elements([3, -1], field: "shape"))
    XCTAssertThrowsError(try CheckedSize.count(UInt64.max, in: 0...100, field: "count"))
    XCTAssertEqual(try CheckedSize.dimension(CheckedSize.maxDimension, field: "d"), 2_147_483_647)
    XCTAssertThrowsError(try CheckedSize.dimension(CheckedSize.maxDimension + 1, field: "d"))
  }

  func testWindowFieldsPastTheLimitAreRefused() throws {
    // Keras's rule for `same`, checked on the largest stride allowed: one window.
    let g = try OutputShape.axis(input: 28, kernel: 2, stride: CheckedSize.maxDimension, padding: .same)
    XCTAssertEqual(g.output, 1)
    XCTAssertEqual(g.padBefore + g.padAfter, 0)
    XCTAssertThrowsError(try OutputShape.axis(input: 28, kernel: 2, stride: Int.max, padding: .same))
    XCTAssertThrowsError(try OutputShape.axis(input: 5, kernel: 3, padding: .explicit(Int.max)))
    XCTAssertThrowsError(try OutputShape.axis(input: 5, kernel: 3, dilation: Int.max, padding: .valid))
  }

  func testTheBudgetParsesSizesAndRefusesWithTheNumbers() throws {
    XCTAssertEqual(MemoryBudget.parse("8G"), 8 << 30)
    XCTAssertEqual(MemoryBudget.parse("512MB"), 512 << 20)
    XCTAssertEqual(MemoryBudget.parse("1.5k"), 1536)
    XCTAssertEqual(MemoryBudget.parse("1000"), 1000)
    for bad in ["", "-1G", "nan", "inf", "1e300", "G", "0"] { XCTAssertNil(MemoryBudget.parse(bad), bad) }
    let budget = MemoryBudget(bytes: 18_000_000_000)
    XCTAssertNoThrow(try budget.check(values: 144_780_072, what: "VGG16"))
    XCTAssertThrowsError(try budget.check(values: 10_000_400_001, what: "the padded input")) { e in
      XCTAssertEqual(
        "\(e)",
        "the padded input would hold 10,000,400,001 values (40 GB), over the memory budget of 18 GB; "
          + "raise it with CONVPLAY_MEMORY_BUDGET (for example CONVPLAY_MEMORY_BUDGET=32G)")
    }
    XCTAssertThrowsError(try budget.check(values: Int.max, what: "x"))
  }

  /// VGG16 on one 224x224x3 image: the figure README gives.
  func testVGG16MemoryFigure() throws {
    let spec = try ModelSpecParser.parse(
      """
      conv2d(64,3,relu,padding=same) -> conv2d(64,3,relu,padding=same) -> maxpool(2)
      -> conv2d(128,3,relu,padding=same) -> conv2d(128,3,relu,padding=same) -> maxpool(2)
      -> conv2d(256,3,relu,padding=same) -> conv2d(256,3,relu,padding=same) -> conv2d(256,3,relu,padding=same) -> maxpool(2)
      -> conv2d(512,3,relu,padding=same) -> conv2d(512,3,relu,padding=same) -> conv2d(512,3,relu,padding=same) -> maxpool(2)
      -> conv2d(512,3,relu,padding=same) -> conv2d(512,3,relu,padding=same) -> conv2d(512,3,relu,padding=same) -> maxpool(2)
      -> flatten -> dense(4096,relu) -> dense(4096,relu) -> dense(1000,softmax)
      """, inputShape: [224, 224, 3])
    XCTAssertEqual(try spec.parameterCount().total, 138_357_544)
    let values = try ModelMemory.values(of: spec.graph(), batch: 1, training: false)
    XCTAssertEqual(values, 138_357_544 + 2 * 224 * 224 * 64)
    XCTAssertEqual(MemoryBudget.text(values * 4), "579 MB")
    // Fits under the default budget of an 8 GB laptop (80%: 6.9 GB).
    XCTAssertNoThrow(try MemoryBudget(bytes: Int(Double(8 << 30) * MemoryBudget.defaultShare)).check(values: values, what: "VGG16"))
  }

  /// The lazy steps give the same steps and output as the course's worked 5x5 example, and a
  /// trace of 36 million steps costs only its output.
  func testStepsAreMadeWhenRead() throws {
    let g = try WindowGeometry(inputRows: 5, inputCols: 5, kernelRows: 3, kernelCols: 3, padding: .valid)
    let t = StepTrace.convolution(input: CourseExample.matrix, kernel: KernelPreset.named("sharpen")!.tensor, geometry: g)
    XCTAssertEqual(t.steps.map(\.value), t.output.values)
    let big = try WindowGeometry(inputRows: 5, inputCols: 5, kernelRows: 3, kernelCols: 3, padding: .explicit(3000))
    let huge = StepTrace.convolution(input: CourseExample.matrix, kernel: KernelPreset.named("sharpen")!.tensor, geometry: big)
    XCTAssertEqual(huge.steps.count, 6003 * 6003)
    let last = huge.steps[huge.steps.count - 1]
    XCTAssertEqual(last.outputRow, 6002)
    XCTAssertEqual(last.value, huge.output.values.last)
    XCTAssertEqual(huge.steps[3000 * 6003 + 3000].value, huge.output[0, 3000, 3000])
  }
}
