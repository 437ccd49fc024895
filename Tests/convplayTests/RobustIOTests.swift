import ConvData
import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// Issue 19's input and output classes, as a user (or a hostile file) meets them: named pipes
/// and symbolic-link loops never hang, CRLF and CR text reads as LF, non-finite numbers and
/// weights are refused, outputs are checked before the work, empty data sets are refused, and a
/// save stopped by SIGTERM leaves no temporary file. Each refusal is one line and a non-zero exit.
final class RobustIOTests: XCTestCase {
  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("robust-io-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  /// One `convplay: ...` line on stderr and exit status 1 (or ArgumentParser's 64).
  func assertRefused(_ r: CommandResult, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(r.timedOut, "hung (killed after the timeout)", file: file, line: line)
    XCTAssertTrue(r.status == 1 || r.status == 64, "status \(r.status): \(r.stderr)", file: file, line: line)
    let lines = r.stderr.split(separator: "\n")
    XCTAssertEqual(lines.count, 1, r.stderr, file: file, line: line)
    XCTAssertTrue(r.stderr.hasPrefix("convplay: "), r.stderr, file: file, line: line)
    XCTAssertTrue(r.stderr.contains(expected), "expected '\(expected)' in '\(r.stderr)'", file: file, line: line)
  }

  func fifo(in dir: URL, named name: String) throws -> String {
    let path = dir.appendingPathComponent(name).path
    XCTAssertEqual(mkfifo(path, 0o600), 0)
    return path
  }

  /// A folder data set of 2 classes (a bright top or bottom half), `perClass` 8x8 PNGs each.
  func folderDataset(in dir: URL, perClass: Int) throws -> URL {
    let root = dir.appendingPathComponent("set")
    for (label, name) in ["top", "bottom"].enumerated() {
      let folder = root.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for i in 0..<perClass {
        var pixels = [UInt8](repeating: UInt8(i * 5), count: 8 * 8 * 3)
        for r in (label * 4)..<(label * 4 + 4) { for c in 0..<(8 * 3) { pixels[r * 8 * 3 + c] = 240 } }
        let png = Data(try ImageCodec.encodePNG(width: 8, height: 8, channels: 3, interleaved: pixels))
        try png.write(to: folder.appendingPathComponent("img\(i).png"))
      }
    }
    return root
  }

  // MARK: 1. Hangs

  /// Before: `convplay info FIFO` blocked in open(2) forever. A named pipe is refused at once,
  /// for every kind of file argument.
  func testNamedPipesAreRefusedNotWaitedOn() throws {
    let dir = try temporaryDirectory()
    let pipe = try fifo(in: dir, named: "pipe.png")
    let start = Date()
    assertRefused(try CommandRunner.run(["info", pipe], timeout: 10), "named pipe")
    assertRefused(try CommandRunner.run(["conv", "--matrix", pipe], timeout: 10), "named pipe")
    assertRefused(try CommandRunner.run(["conv", "--kernel", pipe], timeout: 10), "named pipe")
    assertRefused(try CommandRunner.run(["summary", pipe], timeout: 10), "named pipe")
    assertRefused(try CommandRunner.run(["summary", "--spec", pipe], timeout: 10), "named pipe")
    assertRefused(try CommandRunner.run(["train", "--model", pipe], timeout: 10), "named pipe")
    assertRefused(try CommandRunner.run(["quiz", "--seed", "1", "--answers", pipe], timeout: 10), "named pipe")
    assertRefused(try CommandRunner.run(["evaluate", "--weights", pipe], timeout: 10), "named pipe")
    assertRefused(
      try CommandRunner.run(["import", pipe, "--arch", "vgg16", "-o", dir.appendingPathComponent("m.safetensors").path], timeout: 10),
      "named pipe")
    XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    // A device is not a file either (/dev/zero would never end).
    assertRefused(try CommandRunner.run(["info", "/dev/zero"], timeout: 10), "is a device")
  }

  /// Before: a folder data set with a named pipe among its images, or a symbolic link back up
  /// the tree, hung training. Now the pipe is a skipped file and each folder is walked once.
  func testFolderDatasetWithPipeAndSymlinkLoopTrains() throws {
    let dir = try temporaryDirectory()
    let root = try folderDataset(in: dir, perClass: 5)
    _ = try fifo(in: root.appendingPathComponent("top"), named: "stuck.png")
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("bottom/loop").path, withDestinationPath: "..")
    let args = [
      "train", "--dataset", "folder:" + root.path, "--image-size", "8x8", "--model", "flatten -> dense(2, softmax)",
      "--epochs", "1", "--plain",
    ]
    let r = try CommandRunner.run(args, timeout: 60)
    XCTAssertFalse(r.timedOut, "training hung on the pipe")
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stderr.contains("skipped 1 unreadable image file(s)"), r.stderr)
    XCTAssertTrue(r.stderr.contains("named pipe"), r.stderr)
    XCTAssertTrue(r.stdout.contains("10 images in 2 classes"), r.stdout)
    // Classes read from file names walk the tree recursively: the loop is walked once.
    try FileManager.default.removeItem(atPath: root.appendingPathComponent("top/stuck.png").path)
    var byName = args
    byName[byName.firstIndex(of: "flatten -> dense(2, softmax)")!] = "flatten -> dense(5, softmax)"
    let pattern = try CommandRunner.run(byName + ["--label-pattern", #"img([0-9])\.png$"#], timeout: 60)
    XCTAssertFalse(pattern.timedOut, "the symbolic-link loop was walked forever")
    XCTAssertEqual(pattern.status, 0, pattern.stderr)
    XCTAssertTrue(pattern.stdout.contains("10 images in 5 classes"), pattern.stdout)
  }

  /// `-` (where a command takes it), /dev/stdin and <(cmd) still read: they are descriptors the
  /// process holds, not named pipes it would open and wait on.
  func testStdinStillReads() throws {
    let r = try CommandRunner.run(["conv", "--matrix", "-", "--kernel", "sharpen"], stdin: "1 2 3\n4 5 6\n7 8 9\n", timeout: 10)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdout, "5\n")
  }

  // MARK: 3. CRLF and CR

  func testCRLFAndCRTextReadsAsLF() throws {
    let dir = try temporaryDirectory()
    let matrix = try String(contentsOfFile: CommandRunner.example("matrices/rgb-5x5.txt"), encoding: .utf8)
    let kernel = try String(contentsOfFile: CommandRunner.example("kernels/rgb-3x3x3.txt"), encoding: .utf8)
    var outputs: [String] = []
    for (name, ending) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
      let m = dir.appendingPathComponent("m-\(name).txt")
      let k = dir.appendingPathComponent("k-\(name).txt")
      try Data(matrix.replacingOccurrences(of: "\n", with: ending).utf8).write(to: m)
      try Data(kernel.replacingOccurrences(of: "\n", with: ending).utf8).write(to: k)
      let r = try CommandRunner.run(["conv", "--matrix", m.path, "--kernel", k.path, "--bias", "1"])
      XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
      outputs.append(r.stdout)
      // The parsed tensors themselves are equal.
      XCTAssertEqual(try MatrixText.parse(String(decoding: Data(contentsOf: m), as: UTF8.self)), try MatrixText.parse(matrix), name)
      XCTAssertEqual(try MatrixText.parse(String(decoding: Data(contentsOf: k), as: UTF8.self)), try MatrixText.parse(kernel), name)
    }
    XCTAssertEqual(outputs[0].split(separator: "\n").first, "5 1 1")
    XCTAssertEqual(outputs[1], outputs[0])
    XCTAssertEqual(outputs[2], outputs[0])
  }

  /// Before: a correct answer sheet saved on Windows graded 0/5.
  func testCRLFAnswerSheetGradesLikeLF() throws {
    let dir = try temporaryDirectory()
    let key = try CommandRunner.run(["quiz", "--answer-key", "--seed", "11", "--count", "5"])
    XCTAssertEqual(key.status, 0, key.stderr)
    let answers = key.stdout.split(separator: "\n").filter { $0.hasPrefix("answer: ") }.map { String($0.dropFirst(8)) }
    XCTAssertEqual(answers.count, 5)
    for (name, ending) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
      let sheet = dir.appendingPathComponent("answers-\(name).txt")
      try Data((answers.joined(separator: ending) + ending).utf8).write(to: sheet)
      let graded = try CommandRunner.run(
        ["quiz", "--seed", "11", "--count", "5", "--answers", sheet.path, "--plain"],
        environment: ["CONVPLAY_HOME": dir.path])
      XCTAssertEqual(graded.status, 0, graded.stderr)
      XCTAssertTrue(graded.stdout.hasSuffix("\nscore: 5/5\n"), "\(name): \(graded.stdout)")
    }
  }

  // MARK: 9. Non-finite numbers

  func testNonFiniteFloatOptionsAreRefusedNamingTheOption() throws {
    for value in ["nan", "inf", "-inf", "1e400", "1e39"] {
      assertRefused(try CommandRunner.run(["conv", "--bias", value]), "--bias")
      assertRefused(try CommandRunner.run(["train", "--lr", value]), "--lr")
      assertRefused(try CommandRunner.run(["train", "--momentum", value]), "--momentum")
      assertRefused(try CommandRunner.run(["train", "--validation-split", value]), "--validation-split")
      assertRefused(try CommandRunner.run(["finetune", "--lr", value]), "--lr")
      assertRefused(try CommandRunner.run(["step", "--lr", value]), "--lr")
    }
    // The matrix parser refuses the same values.
    assertRefused(try CommandRunner.run(["conv", "--matrix", "-"], stdin: "1 nan\n2 3\n"), "'nan' is not a number")
    // A finite value still works.
    XCTAssertEqual(try CommandRunner.run(["conv", "--bias", "-2.5", "--matrix", "-"], stdin: "1 2 3\n4 5 6\n7 8 9\n").stdout, "2.5\n")
  }

  /// Before: NaN weights in a model file evaluated to `nan` with exit 0.
  func testNaNWeightsAreRefusedNamingTheTensor() throws {
    let dir = try temporaryDirectory()
    let graph = try ModelSpecParser.parseGraph("flatten -> dense(2, softmax)", inputShape: [8, 8, 3])
    let network = try Network(graph: graph, seed: 1)
    let (name, parameter) = network.namedParameters[0]
    for bad: Float in [.nan, .infinity] {
      parameter.value[7] = bad
      let file = dir.appendingPathComponent("bad.safetensors")
      try ModelFile.save(network, metadata: ["dataset": "folder:x"], to: file)
      XCTAssertThrowsError(try ModelFile.load(file)) { XCTAssertTrue("\($0)".contains(name), "\($0)") }
      let root = try folderDataset(in: dir, perClass: 3)
      let r = try CommandRunner.run(["evaluate", "--weights", file.path, "--dataset", "folder:" + root.path, "--image-size", "8x8"])
      assertRefused(r, "weight tensor \(name) holds \(bad.isNaN ? "nan" : "inf") (value 8 of")
      // The other loader (inference models: classify, the summary screen's feature maps).
      let s = try CommandRunner.run(["tui", "--screen", "summary", "--model", file.path, "--print", "80x24"])
      assertRefused(s, "weight tensor \(name)")
    }
  }

  // MARK: 5. Output paths

  /// Before: `train --save` to a place that cannot be written was found after the training.
  func testOutputPathsAreCheckedBeforeTheWork() throws {
    let dir = try temporaryDirectory()
    let root = try folderDataset(in: dir, perClass: 4)
    let train = [
      "train", "--dataset", "folder:" + root.path, "--image-size", "8x8", "--model", "flatten -> dense(2, softmax)",
      "--epochs", "1", "--plain",
    ]
    // /proc cannot be written even by root; a file where a folder should be; a folder as the file.
    let unwritable = "/proc/convplay-test/model.safetensors"
    let blocker = dir.appendingPathComponent("plain-file")
    try Data("x".utf8).write(to: blocker)
    for (option, path, expected) in [
      ("--save", unwritable, "cannot write in"), ("--save", blocker.path + "/m.safetensors", "is not a directory"),
      ("--save", dir.path, "is a directory"), ("--metrics", unwritable, "cannot write in"),
    ] {
      let r = try CommandRunner.run(train + [option, path])
      assertRefused(r, expected)
      XCTAssertTrue(r.stderr.contains(option), r.stderr)
      XCTAssertEqual(r.stdout, "", "nothing was loaded or trained: \(r.stdout)")
    }
    let photo = try XCTUnwrap(sharedImage("chelsea.png"))
    assertRefused(try CommandRunner.run(["filter", photo, "--kernel", "edge", "--out", dir.path + "/missing/x.png"]), "does not exist")
    assertRefused(try CommandRunner.run(["gray", photo, "--out", "/proc/x.png"]), "--out /proc/x.png")
    assertRefused(
      try CommandRunner.run(["import", photo, "--arch", "vgg16", "--output", unwritable]), "--output \(unwritable)")
    // A writable place still works, and the check leaves nothing behind.
    let ok = try CommandRunner.run(train + ["--save", dir.appendingPathComponent("new/m.safetensors").path])
    XCTAssertEqual(ok.status, 0, ok.stderr)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("new").path), ["m.safetensors"])
  }

  func sharedImage(_ name: String) -> String? {
    let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"]
      ?? CommandRunner.packageRoot.deletingLastPathComponent().appendingPathComponent("shared").path
    let path = shared + "/images/" + name
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }

  // MARK: 6. SIGTERM during a save

  /// Before: the temporary file of an interrupted save stayed beside the target. Now the signal
  /// handler removes it and the process ends with the signal's status.
  func testSigtermDuringASaveLeavesNoTemporaryFile() throws {
    let dir = try temporaryDirectory()
    let root = try folderDataset(in: dir, perClass: 2)
    let out = dir.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    // 8x8x3 -> dense(60000): 11.6 million weights, a 46 MB file.
    let p = Process()
    p.executableURL = CommandRunner.binary
    p.arguments = [
      "train", "--dataset", "folder:" + root.path, "--image-size", "8x8", "--folder-split", "0.5",
      "--model", "flatten -> dense(60000) -> dense(2, softmax)", "--epochs", "1", "--batch", "4", "--plain",
      "--save", out.appendingPathComponent("big.safetensors").path,
    ]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    // Wait for the temporary file to appear, then stop the save.
    let deadline = Date().addingTimeInterval(120)
    var seen: String?
    while seen == nil && p.isRunning && Date() < deadline {
      // Any hidden file: ours (.big.safetensors.tmp-XXXXXX) or, before, Foundation's .dat.nosync.
      seen = (try? FileManager.default.contentsOfDirectory(atPath: out.path))?.first { $0.hasPrefix(".") }
      if seen == nil { usleep(500) }
    }
    let temporary = try XCTUnwrap(seen, "the save never started (or finished before it was seen)")
    kill(p.processIdentifier, SIGTERM)
    p.waitUntilExit()
    XCTAssertEqual(p.terminationReason, .uncaughtSignal)
    XCTAssertEqual(p.terminationStatus, SIGTERM)
    let left = try FileManager.default.contentsOfDirectory(atPath: out.path)
    XCTAssertFalse(left.contains(temporary), "\(temporary) was left behind")
    XCTAssertEqual(left.filter { $0.hasPrefix(".") }, [], "temporary files left behind")
  }

  // MARK: 7. Empty data sets

  /// Before: a set whose split left no test images printed `test accuracy: 0.0000` (or -nan).
  func testEmptyDataSetsAreRefusedBeforeTraining() throws {
    let dir = try temporaryDirectory()
    let root = try folderDataset(in: dir, perClass: 1)
    let train = [
      "train", "--dataset", "folder:" + root.path, "--image-size", "8x8", "--model", "flatten -> dense(2, softmax)",
      "--epochs", "1", "--plain",
    ]
    // 2 images, 20% for testing: none.
    var r = try CommandRunner.run(train)
    assertRefused(r, "no test images")
    XCTAssertFalse(r.stdout.contains("accuracy"), r.stdout)
    r = try CommandRunner.run(train + ["--folder-split", "0"])
    assertRefused(r, "no test images")
    let evaluate = try CommandRunner.run(["evaluate", "--dataset", "folder:" + root.path, "--image-size", "28x28", "--color", "gray"])
    assertRefused(evaluate, "no test images")
    // MNIST-format files that hold zero images.
    let idx = dir.appendingPathComponent("idx")
    try FileManager.default.createDirectory(at: idx, withIntermediateDirectories: true)
    for (name, dims) in [
      ("train-images-idx3-ubyte", [0, 28, 28]), ("train-labels-idx1-ubyte", [0]),
      ("t10k-images-idx3-ubyte", [0, 28, 28]), ("t10k-labels-idx1-ubyte", [0]),
    ] {
      try IDXArray(dimensions: dims, bytes: []).encoded().write(to: idx.appendingPathComponent(name))
    }
    let empty = try CommandRunner.run(
      ["train", "--data", idx.path, "--model", "softmax", "--epochs", "1", "--plain"], environment: ["CONVPLAY_TRUST_DATA": "1"])
    assertRefused(empty, "no training images")
    XCTAssertFalse(empty.stdout.contains("nan"), empty.stdout)
  }

  // MARK: 8. Quiz progress that cannot be read

  /// Before: a progress file that could not be read was overwritten by a fresh one.
  func testUnreadableProgressIsSetAsideNotOverwritten() throws {
    let home = try temporaryDirectory()
    let progress = home.appendingPathComponent("quiz-progress.json")
    // A folder in its place (root reads any file, so permissions cannot make one unreadable here).
    try FileManager.default.createDirectory(at: progress, withIntermediateDirectories: true)
    try Data("80 answers".utf8).write(to: progress.appendingPathComponent("history"))
    let r = try CommandRunner.run(["quiz", "--plain", "--seed", "1", "--count", "1"], stdin: "1\n", environment: ["CONVPLAY_HOME": home.path])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stderr.contains("could not be read: set it aside as \(progress.path).corrupt-1"), r.stderr)
    XCTAssertEqual(try String(contentsOf: progress.appendingPathComponent("../quiz-progress.json.corrupt-1/history").standardized, encoding: .utf8), "80 answers")
    XCTAssertTrue(try String(contentsOf: progress, encoding: .utf8).contains("\"topics\""))
    // In Spanish when the quiz speaks Spanish.
    try "{broken".write(to: progress, atomically: true, encoding: .utf8)
    let es = try CommandRunner.run(
      ["quiz", "--plain", "--seed", "1", "--count", "1", "--lang", "es"], stdin: "1\n", environment: ["CONVPLAY_HOME": home.path])
    XCTAssertTrue(es.stderr.contains("no se pudo leer: se guardó aparte como \(progress.path).corrupt-2"), es.stderr)
  }
}
