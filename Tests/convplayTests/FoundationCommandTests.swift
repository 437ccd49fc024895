import Foundation
import XCTest

/// `conv`, `step`, `pool` and `kernels` as the foundation issue's contract states them.
final class FoundationCommandTests: XCTestCase {
  let course = CommandRunner.example("matrices/course-5x5.txt")

  func testConvValid() throws {
    let r = try CommandRunner.run(["conv", "--matrix", course, "--kernel", "sharpen"])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdout, "266 -61 -30\n116 -47 295\n-135 256 -128\n")
    XCTAssertEqual(r.stderr, "")
  }

  func testConvSame() throws {
    let r = try CommandRunner.run(["conv", "--matrix", course, "--kernel", "sharpen", "--padding", "same"])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdout, """
      114 328 -26 470 158
      53 266 -61 -30 344
      403 116 -47 295 244
      108 -135 256 -128 344
      314 346 279 153 421

      """)
  }

  func testKernelFromFileAndStdin() throws {
    let r = try CommandRunner.run(["conv", "--matrix", "-", "--kernel", CommandRunner.example("kernels/sharpen.txt")],
                                  stdin: try String(contentsOfFile: course, encoding: .utf8))
    XCTAssertEqual(r.stdout, "266 -61 -30\n116 -47 295\n-135 256 -128\n")
  }

  func testStepPlain() throws {
    let r = try CommandRunner.run(["step", "--matrix", course, "--kernel", "sharpen", "--plain"])
    XCTAssertEqual(r.status, 0, r.stderr)
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    XCTAssertEqual(lines[0], "step 1/9: output[0,0], window rows 0-2, cols 0-2")
    XCTAssertEqual(lines[1], "60*0 + 113*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 266")
    XCTAssertTrue(lines.contains("step 9/9: output[2,2], window rows 2-4, cols 2-4"))
    XCTAssertTrue(lines.contains("70*0 + 129*(-1) + 127*0 + 115*(-1) + 69*5 + 134*(-1) + 123*0 + 95*(-1) + 130*0 = -128"))
    XCTAssertEqual(lines.last(where: { !$0.isEmpty }), "output size: (5 + 2*0 - 3)/1 + 1 = 3  ->  3 x 3")
    XCTAssertFalse(r.stdout.contains("\u{1B}"), "plain output has no escape codes")
  }

  func testStepWithPaddingNamesThePaddedInput() throws {
    let r = try CommandRunner.run(["step", "--matrix", course, "--padding", "1", "--plain", "--only", "1"])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("padding '1': 1 above, 1 below, 1 left, 1 right; padded input 7 x 7"))
    XCTAssertTrue(r.stdout.contains("= 114\n"))
    XCTAssertTrue(r.stdout.hasSuffix("output size: (5 + 2*1 - 3)/1 + 1 = 5  ->  5 x 5\n"))
  }

  func testKerasSameStrideTwoInStep() throws {
    let r = try CommandRunner.run(["step", "--matrix", course, "--padding", "same", "--stride", "2", "--plain", "--only", "1"])
    // n=5, k=3, s=2: out 3, total pad = 2*2 + 3 - 5 = 2: one zero on each side.
    XCTAssertTrue(r.stdout.contains("output size: (5 + 2*1 - 3)/2 + 1 = 3  ->  3 x 3"), r.stdout)
    let four = try CommandRunner.run(["step", "--matrix", "-", "--kernel", "identity", "--padding", "same", "--stride", "2", "--plain", "--only", "1"],
                                     stdin: "1 2 3 4\n5 6 7 8\n9 10 11 12\n13 14 15 16\n")
    // n=4, k=3, s=2: out 2, total = 2 + 3 - 4 = 1: 0 above/left, 1 below/right.
    XCTAssertTrue(four.stdout.contains("padding 'same': 0 above, 1 below, 0 left, 1 right"), four.stdout)
  }

  /// Every padding floors as 'valid' does (Keras and PyTorch): explicit 0 equals valid, and the
  /// note names the rows and columns never visited.
  func testExplicitPaddingFloorsLikeValid() throws {
    let zero = try CommandRunner.run(["conv", "--matrix", course, "--padding", "0", "--stride", "2", "--kernel", "roberts-diagonal"])
    let valid = try CommandRunner.run(["conv", "--matrix", course, "--padding", "valid", "--stride", "2", "--kernel", "roberts-diagonal"])
    XCTAssertEqual(zero.status, 0, zero.stderr)
    XCTAssertEqual(zero.stdout, valid.stdout)
    XCTAssertEqual(zero.stdout.split(separator: "\n").count, 2)
    XCTAssertEqual(zero.stderr, """
      note: (5 + 2*0 - 2)/2 + 1 = floor(2.5) = 2: row 4 of the input is never visited
      note: (5 + 2*0 - 2)/2 + 1 = floor(2.5) = 2: column 4 of the input is never visited

      """)
    let two = try CommandRunner.run(["conv", "--matrix", course, "--padding", "2", "--stride", "4x1", "--kernel", "identity"])
    XCTAssertEqual(two.status, 0, two.stderr)
    // Rows: (5 + 4 - 3)/4 + 1 = 2 windows at padded rows 0-2 and 4-6, input rows -2..0 and 2..4:
    // row 1 falls between them. Columns (stride 1) are all visited: no note.
    XCTAssertEqual(two.stderr, "note: (5 + 2*2 - 3)/4 + 1 = floor(2.5) = 2: row 1 of the input is never visited\n")
    XCTAssertEqual(two.stdout.split(separator: "\n").count, 2)
    let steps = try CommandRunner.run(["step", "--matrix", course, "--padding", "0", "--stride", "2", "--kernel", "roberts-diagonal", "--plain"])
    XCTAssertEqual(steps.status, 0, steps.stderr)
    XCTAssertTrue(steps.stdout.contains("note: (5 + 2*0 - 2)/2 + 1 = floor(2.5) = 2: row 4 of the input is never visited"), steps.stdout)
  }

  /// `--option -2` works as `--option=-2` does, for every numeric option (ArgumentParser alone
  /// reads `-2` as an unknown short option).
  func testNegativeNumbersAfterOptions() throws {
    let spaced = try CommandRunner.run(["conv", "--matrix", course, "--bias", "-2"])
    let joined = try CommandRunner.run(["conv", "--matrix", course, "--bias=-2"])
    XCTAssertEqual(spaced.status, 0, spaced.stderr)
    XCTAssertEqual(spaced.stdout, "264 -63 -32\n114 -49 293\n-137 254 -130\n")
    XCTAssertEqual(spaced.stdout, joined.stdout)
    let step = try CommandRunner.run(["step", "--matrix", course, "--bias", "-0.5", "--plain", "--only", "1"])
    XCTAssertTrue(step.stdout.contains("265.5"), step.stdout)
    // Negative values reach the command's own checks, which name the option.
    let refused: [([String], String)] = [
      (["step", "--only", "-1"], "--only must be between 1 and 9"),
      (["conv", "--dilation", "-1"], "dilation must be at least 1"),
      (["conv", "--stride", "-2"], "--stride must be at least 1"),
      (["conv", "--padding", "-1"], "--padding"),
      (["quiz", "--count", "-3"], "--count"),
      (["filter", CommandRunner.example("matrices/course-5x5.txt"), "--out", "x.png", "--repeat-count", "-1"], "--repeat-count"),
      (["train", "--epochs", "-1"], "--epochs"),
      (["train", "--lr", "-1e-3"], "--lr"),
    ]
    for (args, expected) in refused {
      let r = try CommandRunner.run(args)
      XCTAssertNotEqual(r.status, 0, "\(args)")
      XCTAssertTrue(r.stderr.contains(expected), "\(args): expected '\(expected)' in '\(r.stderr)'")
      XCTAssertFalse(r.stderr.contains("Unknown option"), "\(args): \(r.stderr)")
    }
  }

  /// A pipe (`--matrix <(cmd)`, /dev/fd/N, /dev/stdin when piped) reads like a file, for matrix,
  /// kernel and image arguments alike.
  func testPipesReadLikeFiles() throws {
    let text = try String(contentsOfFile: course, encoding: .utf8)
    let r = try CommandRunner.run(["conv", "--matrix", "/dev/stdin", "--kernel", "sharpen"], stdin: text)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdout, "266 -61 -30\n116 -47 295\n-135 256 -128\n")
    let k = try CommandRunner.run(["conv", "--matrix", course, "--kernel", "/dev/stdin"], stdin: "0 -1 0\n-1 5 -1\n0 -1 0\n")
    XCTAssertEqual(k.stdout, r.stdout, k.stderr)
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] else { throw XCTSkip("CONVPLAY_SHARED is not set") }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", "cat \"$1\" | \"$2\" info /dev/stdin", "sh", shared + "/images/chelsea.png", CommandRunner.binary.path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    XCTAssertEqual(p.terminationStatus, 0, printed)
    XCTAssertTrue(printed.contains("size:     451 x 300"), printed)
    XCTAssertTrue(printed.contains("numpy:    (300, 451, 3) (rows, columns, channels) as skimage.io.imread returns it; as_gray=True gives (300, 451)"), printed)
  }

  func testPoolMaxAndAvg() throws {
    let max = try CommandRunner.run(["pool", "--matrix", course, "--size", "2", "--mode", "max"])
    XCTAssertEqual(max.status, 0, max.stderr)
    XCTAssertEqual(max.stdout, "121 139\n131 129\n")
    XCTAssertTrue(max.stderr.hasPrefix("note: (5 + 2*0 - 2)/2 + 1 = floor(2.5) = 2"), max.stderr)
    let avg = try CommandRunner.run(["pool", "--matrix", course, "--size", "2", "--mode", "avg", "--padding", "same"])
    XCTAssertEqual(avg.stdout, "91.75 83.25 106.5\n91.75 95.75 130.5\n115 109 130\n")
    let steps = try CommandRunner.run(["pool", "--matrix", course, "--size", "2", "--steps", "--plain"])
    XCTAssertTrue(steps.stdout.contains("max(60, 113, 73, 121) = 121"))
  }

  func testRGBWithBias() throws {
    let r = try CommandRunner.run(["conv", "--matrix", CommandRunner.example("matrices/rgb-5x5.txt"),
                                   "--kernel", CommandRunner.example("kernels/rgb-3x3x3.txt"), "--bias", "1"])
    XCTAssertEqual(r.status, 0, r.stderr)
    // Hand-worked first cell: R -2, G 5, B 1, bias 1 -> 5 (see StepTraceTests for the terms).
    XCTAssertEqual(r.stdout.split(separator: "\n").first, "5 1 1")
  }

  func testKernelsListsPresetsWithValues() throws {
    let r = try CommandRunner.run(["kernels"])
    XCTAssertEqual(r.status, 0)
    for name in ["identity", "sharpen", "edge (also: laplacian8)", "edge-horizontal", "edge-vertical",
                 "roberts-diagonal", "roberts-antidiagonal", "sobel-x", "sobel-y", "prewitt-x", "prewitt-y",
                 "box-blur", "gaussian-3x3", "gaussian-5x5", "emboss"] {
      XCTAssertTrue(r.stdout.contains(name), name)
    }
    XCTAssertTrue(r.stdout.contains("-1  5 -1"))
  }

  /// Every kind of bad input: one line on stderr naming the problem, exit status 1.
  func testBadInputIsOneLineAndNonZero() throws {
    let cases: [([String], String?, String)] = [
      (["conv", "--matrix", "-"], "1 2 3\n4 5\n", "ragged rows"),
      (["conv", "--matrix", "-"], "1 two 3\n", "'two' is not a number"),
      (["conv", "--matrix", "-"], "# empty\n", "no numbers found"),
      (["conv", "--matrix", "/nonexistent/m.txt"], nil, "no such file"),
      (["conv", "--kernel", "nope"], nil, "unknown kernel 'nope'"),
      (["conv", "--matrix", "-", "--kernel", "gaussian-5x5"], "1 2\n3 4\n", "the kernel spans 5 rows"),
      (["conv", "--stride", "0"], nil, "--stride must be at least 1"),
      (["conv", "--stride", "2x"], nil, "--stride must be N or RxC"),
      (["conv", "--dilation", "0"], nil, "dilation must be at least 1"),
      (["step", "--only", "10"], nil, "--only must be between 1 and 9"),
      (["conv", "--matrix", CommandRunner.example("matrices/rgb-5x5.txt"), "--kernel", "-"], "1 2\n3 4\n\n1 2\n3 4\n", "the kernel has 2 channels but the input has 3"),
    ]
    for (args, stdin, expected) in cases {
      let r = try CommandRunner.run(args, stdin: stdin)
      XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
      XCTAssertTrue(r.stderr.contains(expected), "\(args): expected '\(expected)' in '\(r.stderr)'")
      XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): one line, got '\(r.stderr)'")
      XCTAssertTrue(r.stderr.hasPrefix("convplay: "), r.stderr)
      XCTAssertEqual(r.stdout, "")
    }
  }

  /// A command line ArgumentParser cannot parse is bad input too: one line naming the problem and
  /// the help to read (not a usage dump), exit status 64 (EX_USAGE); `--help` still prints in full.
  func testUnparsableCommandLineIsOneLine() throws {
    let cases: [([String], String)] = [
      (["conv", "--bogus"], "Unknown option '--bogus'. Did you mean '--bias'? (see 'convplay conv --help')"),
      (["filter"], "Missing expected argument '<image>' (see 'convplay filter --help')"),
      (["nonsense"], "Unexpected argument 'nonsense' (see 'convplay --help')"),
      // Typed choices: ArgumentParser names the option and the value.
      (["conv", "--padding", "full"], "The value 'full' is invalid for '--padding <valid|same|N>'. Please provide one of 'valid' and 'same'. (see 'convplay conv --help')"),
      (["pool", "--mode", "median"], "The value 'median' is invalid for '--mode <mode>'. Please provide one of 'max' and 'avg'. (see 'convplay pool --help')"),
    ]
    for (args, expected) in cases {
      let r = try CommandRunner.run(args)
      XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
      XCTAssertEqual(r.stderr, "convplay: " + expected + "\n", "\(args)")
      XCTAssertEqual(r.stdout, "")
    }
    let help = try CommandRunner.run(["conv", "--help"])
    XCTAssertEqual(help.status, 0)
    XCTAssertTrue(help.stdout.contains("USAGE: convplay conv"), help.stdout)
    // Enum-like options list their choices in --help.
    let choices: [([String], String)] = [
      (["pool", "--help"], "values: max, avg"), (["pool", "--help"], "values: valid, same"),
      (["conv", "--help"], "values: valid, same"), (["train", "--help"], "values: sgd, adam, rmsprop"),
      (["filter", "--help"], "values: clip, abs, minmax, offset"), (["quiz", "--help"], "values: shapes, params, pooling, models, blocks, mixed"),
    ]
    for (args, expected) in choices {
      let out = try CommandRunner.run(args).stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
      XCTAssertTrue(out.contains(expected), "\(args): \(expected)")
    }
    let language = try CommandRunner.run(["--lang", "xx"])
    XCTAssertEqual(language.status, 1)
    XCTAssertEqual(language.stderr, "convplay: --lang must be en or es (got 'xx')\n")
  }
}
