import Foundation
import XCTest

final class SummaryCommandTests: XCTestCase {
  func testSpecTextPrintsTheCourseNumbers() throws {
    let run = try CommandRunner.run(["summary", "--spec", "conv2d(64,3,relu) -> flatten -> dense(10,softmax)", "--input", "28x28x1"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stdout.contains("conv2d (Conv2D)              (None, 26, 26, 64)        640"), run.stdout)
    XCTAssertTrue(run.stdout.contains("flatten (Flatten)            (None, 43264)             0"))
    XCTAssertTrue(run.stdout.contains("dense (Dense)                (None, 10)                432650"))
    XCTAssertTrue(run.stdout.contains("\nTotal params: 433,290\nTrainable params: 433,290\nNon-trainable params: 0\n"))
  }

  func testNamedModelAndSpecFile() throws {
    let run = try CommandRunner.run(["summary", "--model", "course3"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stdout.contains("max_pooling2d (MaxPooling2D) (None, 13, 13, 64)        0"))
    XCTAssertTrue(run.stdout.contains("Total params: 163,055"))

    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-summary-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("model.txt")
    try "# course2\nconv2d(64, 3, relu)\nflatten\ndense(15, tanh)\ndense(10, softmax)\n".write(to: file, atomically: true, encoding: .utf8)
    let fromFile = try CommandRunner.run(["summary", "--spec", file.path])
    XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
    XCTAssertTrue(fromFile.stdout.contains("dense (Dense)                (None, 15)                648975"))
    XCTAssertTrue(fromFile.stdout.contains("Total params: 649,775"))

    try "conv2d(64, 3)\nflaten\n".write(to: file, atomically: true, encoding: .utf8)
    let bad = try CommandRunner.run(["summary", "--spec", file.path])
    XCTAssertEqual(bad.status, 1)
    XCTAssertEqual(bad.stderr, "convplay: \(file.path): layer 2, line 2, column 1: unknown layer 'flaten' (did you mean flatten?); layers: conv2d, depthwiseconv2d, separableconv2d, conv2dtranspose, dense, maxpool, avgpool, globalavgpool, globalmaxpool, batchnorm, zeropadding2d, activation, ReLU, leakyrelu, dropout, flatten, reshape, add, concatenate\n")
  }

  func testBadInputIsOneLine() throws {
    for args in [
      ["summary", "--spec", "conv2d(32, kernal_size=3)"],
      ["summary", "--model", "nope"],
      ["summary"],
      ["summary", "--spec", "flatten", "--input", "28x"],
      ["summary", "--spec", "conv2d(4, 30)"],
    ] {
      let run = try CommandRunner.run(args)
      XCTAssertEqual(run.status, 1, "\(args)")
      XCTAssertTrue(run.stderr.hasPrefix("convplay: "), run.stderr)
      XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, run.stderr)
      XCTAssertEqual(run.stdout, "")
    }
    let typo = try CommandRunner.run(["summary", "--spec", "conv2d(32, kernal_size=3)"])
    XCTAssertTrue(typo.stderr.hasPrefix("convplay: layer 1, column 12: unknown argument 'kernal_size' (did you mean kernel_size?)"))
  }
}

final class SummaryApplicationsCommandTests: XCTestCase {
  func testVGG16() throws {
    let run = try CommandRunner.run(["summary", "--model", "vgg16"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stdout.contains("predictions (Dense)          (None, 1000)              4097000"))
    XCTAssertTrue(run.stdout.contains("Total params: 138,357,544\n"))
    let list = try CommandRunner.run(["summary", "--list"])
    XCTAssertTrue(list.stdout.contains("vgg19"))
    XCTAssertTrue(list.stdout.contains("course1"))
  }
}

final class SummaryGraphCommandTests: XCTestCase {
  func testBranchingApplications() throws {
    for (name, total) in [("resnet50", "25,636,712"), ("mobilenet", "4,253,864"), ("xception", "22,910,480"), ("inceptionv3", "23,851,784")] {
      let run = try CommandRunner.run(["summary", "--model", name])
      XCTAssertEqual(run.status, 0, run.stderr)
      XCTAssertTrue(run.stdout.contains("\nTotal params: \(total)\n"), name)
    }
  }
}

final class SummaryExplainCommandTests: XCTestCase {
  func testExplain() throws {
    let run = try CommandRunner.run(["summary", "--model", "course1", "--explain"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stdout.hasSuffix(
      "\nconv2d (Conv2D): (28 + 2*0 - 3)/1 + 1 = 26 -> (None, 26, 26, 64); 64*3*3*1 + 64 = 640 parameters\n"
        + "flatten (Flatten): 26*26*64 = 43,264 -> (None, 43264)\n"
        + "dense (Dense): (None, 10); 43,264*10 + 10 = 432,650 parameters\n"), run.stdout)
    // A graph: a line per layer after the input (ResNet50's 176 layers), each Add naming what
    // it sums; the first block's shortcut is the projection's BatchNormalization.
    let graph = try CommandRunner.run(["summary", "--model", "resnet50", "--explain"])
    XCTAssertEqual(graph.status, 0, graph.stderr)
    let explained = graph.stdout.components(separatedBy: "\n\n").last!.split(separator: "\n")
    XCTAssertEqual(explained.count, 176)
    XCTAssertTrue(explained.contains("conv2_block1_add (Add) <- conv2_block1_0_bn, conv2_block1_3_bn: (None, 56, 56, 256)"))
    XCTAssertEqual(explained.first, "conv1_pad (ZeroPadding2D): 224 + 3 + 3 = 230 -> (None, 230, 230, 3)")
    let spanish = try CommandRunner.run(["summary", "--model", "mobilenet", "--explain", "--lang", "es"])
    XCTAssertTrue(spanish.stdout.contains("64*1*1*32 = 2,048 parámetros\n"), spanish.stdout)
    XCTAssertTrue(spanish.stdout.contains("4*512 = 2,048 parámetros (1,024 no entrenables)\n"), spanish.stdout)
    XCTAssertFalse(spanish.stdout.contains("non-trainable)"), spanish.stdout)
  }
}
