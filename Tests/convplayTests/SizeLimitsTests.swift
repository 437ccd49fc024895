import CSystemZlib
import Foundation
import XCTest

/// Issue 19's sizes, through the built binary: numbers from options, specs and file headers are
/// refused with one line and exit 1 or 64 (never a trap), memory is compared with the budget
/// before it is taken, and steps cost what is shown.
final class SizeLimitsTests: XCTestCase {
  static let intMax = "9223372036854775807"

  private var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-sizes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: scratch)
  }

  /// One line on stderr, exit 1 or 64, the line containing every piece of `expecting`.
  @discardableResult
  func assertRefused(
    _ args: [String], _ expecting: [String], environment: [String: String] = [:],
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> String {
    let r = try CommandRunner.run(args, environment: environment)
    XCTAssert([1, 64].contains(r.status), "exit \(r.status) for \(args): \(r.stderr.prefix(300))", file: file, line: line)
    let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
    XCTAssertEqual(lines.count, 1, "stderr of \(args): \(r.stderr.prefix(500))", file: file, line: line)
    XCTAssert(r.stderr.hasPrefix("convplay: "), r.stderr, file: file, line: line)
    for piece in expecting {
      XCTAssert(r.stderr.contains(piece), "'\(piece)' not in: \(r.stderr)", file: file, line: line)
    }
    return r.stderr
  }

  // MARK: checked size arithmetic

  func testHugePaddingNamesTheOption() throws {
    try assertRefused(["conv", "--padding", Self.intMax], ["padding", "2,147,483,647"])
  }

  func testHugePoolingStrideInASpec() throws {
    try assertRefused(
      ["summary", "--spec", "conv2d(8, 3) -> maxpool(2, strides=\(Self.intMax), padding=same) -> flatten -> dense(10, softmax)"],
      ["strides"])
  }

  func testHugeInputShape() throws {
    try assertRefused(
      ["summary", "--spec", "conv2d(8, 3) -> flatten -> dense(10)", "--input", "\(Self.intMax)x\(Self.intMax)x3"], ["--input"])
    // Each size in range, the product not: 2^30 x 2^30 x 2^30 overflows 64 bits.
    try assertRefused(
      ["summary", "--spec", "flatten -> dense(10)", "--input", "1073741824x1073741824x1073741824"],
      ["do not fit in a 64-bit integer"])
  }

  func testHugeBatch() throws {
    try assertRefused(["train", "--model", "softmax", "--batch", Self.intMax], ["--batch", "2,147,483,647"])
  }

  // MARK: the memory budget

  func testPaddingOverTheBudget() throws {
    try assertRefused(
      ["conv", "--padding", "100000"],
      ["the padded input would hold 40,002,000,025 values (160 GB), over the memory budget of 8.6 GB", "CONVPLAY_MEMORY_BUDGET"],
      environment: ["CONVPLAY_MEMORY_BUDGET": "8G"])
  }

  func testTheGlobalOptionSetsTheBudget() throws {
    try assertRefused(["--memory-budget", "1M", "conv", "--padding", "1000"], ["over the memory budget of 1 MB"])
    try assertRefused(["conv", "--memory-budget=lots"], ["--memory-budget"])
    let r = try CommandRunner.run(["conv", "--padding", "1000"], environment: ["CONVPLAY_MEMORY_BUDGET": "1M"])
    XCTAssertEqual(r.status, 1)
    let fits = try CommandRunner.run(["--memory-budget", "1G", "conv", "--padding", "1"])
    XCTAssertEqual(fits.status, 0, fits.stderr)
  }

  func testAHugeDenseLayer() throws {
    // In a spec: a layer width past 2^31 - 1 is refused where it is written.
    try assertRefused(["summary", "--spec", "flatten -> dense(100000000000)"], ["units must be at most 2,147,483,647"])
    // In range but over the budget when the network is built.
    try assertRefused(
      ["train", "--model", "flatten -> dense(2000000000, softmax)", "--limit", "10"],
      ["the model", "over the memory budget"], environment: ["CONVPLAY_MEMORY_BUDGET": "8G"] + mnist())
  }

  func testAHugePrintedFrame() throws {
    try assertRefused(["tui", "--screen", "conv", "--print", "100000x100000"], ["a frame of 100000x100000", "over the memory budget"])
  }

  func testAnIDXHeaderClaimingHugeSizes() throws {
    let dir = try mnistCopy(replacing: "train-images-idx3-ubyte", with: Data([0, 0, 8, 3] + [UInt8](repeating: 0xff, count: 12) + [0, 0, 0, 0]))
    try assertRefused(
      ["train", "--model", "softmax", "--data", dir.path], ["4294967295x4294967295x4294967295", "64-bit"],
      environment: ["CONVPLAY_TRUST_DATA": "1"])
  }

  func testAGzipThatInflatesPastWhatItsHeaderDeclares() throws {
    func idxHeader(_ count: UInt32) -> [UInt8] {
      var header: [UInt8] = [0, 0, 8, 3]
      for d: UInt32 in [count, 28, 28] { header += withUnsafeBytes(of: d.bigEndian) { Array($0) } }
      return header
    }
    // 200 MB of zeros in 200 KB of gzip.
    let zeros = 200 << 20
    // A header claiming 300,000 images: over the budget before anything else is inflated.
    let claimsMany = try mnistCopy(replacing: "train-images-idx3-ubyte.gz", with: try gzip(idxHeader(300_000), zeros: zeros))
    try assertRefused(
      ["train", "--model", "softmax", "--data", claimsMany.path], ["300000x28x28", "over the memory budget of 67 MB"],
      environment: ["CONVPLAY_TRUST_DATA": "1", "CONVPLAY_MEMORY_BUDGET": "64M"])
    // A header claiming 10 images: inflation stops just past their 7,840 bytes.
    let gz = try gzip(idxHeader(10), zeros: zeros)
    XCTAssertLessThan(gz.count, 1 << 20)
    let claimsFew = try mnistCopy(replacing: "train-images-idx3-ubyte.gz", with: gz)
    try assertRefused(
      ["train", "--model", "softmax", "--data", claimsFew.path], ["inflates past the 7856 bytes its IDX header declares"],
      environment: ["CONVPLAY_TRUST_DATA": "1"])
  }

  func testAModelFileClaimingHugeLayers() throws {
    // The convplay model format: safetensors whose metadata describes the network.
    func modelFile(_ layers: String) throws -> String {
      let arch = #"{"name": "m", "nodes": [{"class_name": "InputLayer", "name": "in", "config": {"batch_shape": [null, 28, 28, 1]}, "inputs": [], "trainable": true}, "#
        + layers + "]}"
      let header = try JSONSerialization.data(withJSONObject: ["__metadata__": ["format": "convplay", "convplay.architecture": arch]])
      var data = Data(withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) })
      data.append(header)
      let url = scratch.appendingPathComponent("model-\(UUID().uuidString).safetensors")
      try data.write(to: url)
      return url.path
    }
    let units = try modelFile(
      #"{"class_name": "Flatten", "name": "f", "config": {}, "inputs": ["in"], "trainable": true}, "#
        + #"{"class_name": "Dense", "name": "d", "config": {"units": 100000000000, "activation": "softmax"}, "inputs": ["f"], "trainable": true}"#)
    try assertRefused(["evaluate", "--weights", units, "--test-limit", "10"], ["over the memory budget"], environment: mnist())
    let window = try modelFile(
      #"{"class_name": "MaxPooling2D", "name": "p", "config": {"pool_size": [1000000000, 1000000000]}, "inputs": ["in"], "trainable": true}"#)
    try assertRefused(["evaluate", "--weights", window, "--test-limit", "10"], ["kernel"], environment: mnist())
  }

  // MARK: zip headers

  /// A .npz whose zip64 end record claims counts, sizes and offsets near 2^64 (ZIPFoundation
  /// traps on them unchecked).
  func testZip64NumbersNearTheTopOfTheRange() throws {
    for (count, size, offset) in [(UInt64.max, UInt64.max, UInt64.max), (1, 46, UInt64(Int.max) - 15), (UInt64(Int.max), 46, 0)] {
      var b: [UInt8] = []
      func le<T: FixedWidthInteger>(_ v: T) { b += withUnsafeBytes(of: v.littleEndian) { Array($0) } }
      le(UInt32(0x0606_4b50)); le(UInt64(44)); le(UInt16(45)); le(UInt16(45)); le(UInt32(0)); le(UInt32(0))
      le(count); le(count); le(size); le(offset)
      le(UInt32(0x0706_4b50)); le(UInt32(0)); le(UInt64(0)); le(UInt32(1))
      le(UInt32(0x0605_4b50)); le(UInt16(0)); le(UInt16(0)); le(UInt16(0xFFFF)); le(UInt16(0xFFFF))
      le(UInt32(0xFFFF_FFFF)); le(UInt32(0xFFFF_FFFF)); le(UInt16(0))
      let url = scratch.appendingPathComponent("z64.npz")
      // A local file header first, so the file is recognised as a zip.
      try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26) + b).write(to: url)
      let out = scratch.appendingPathComponent("out.safetensors")
      try assertRefused(
        ["import", url.path, "--arch", "flatten -> dense(2, softmax)", "--input", "2x2x1", "-o", out.path], ["z64.npz"])
      XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
  }

  // MARK: steps are made one at a time

  /// Under a 1.5 GB address-space limit: building every step of a padding of 3000 (36 million
  /// steps of 9 products) would need several GB; `--only 1` needs one.
  func testOneStepOfAHugePaddingCostsOneStep() throws {
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/bin/sh")
    shell.arguments = ["-c", "ulimit -v 1500000; exec \"$0\" step --plain --only 1 --padding 3000", CommandRunner.binary.path]
    let out = Pipe()
    shell.standardOutput = out
    shell.standardError = Pipe()
    try shell.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    shell.waitUntilExit()
    XCTAssertEqual(shell.terminationStatus, 0)
    XCTAssert(text.contains("step 1/36036009: output[0,0]"), String(text.prefix(300)))
    XCTAssert(text.contains("(5 + 2*3000 - 3)/1 + 1 = 6003"), text)
  }

  func testOnlyOneStepOfALargeMatrix() throws {
    // 2000x2000 (8 MB of text, under the 16 MB a matrix file may have).
    var text = ""
    text.reserveCapacity(8_000_000)
    let row = (0..<2000).map { String($0 % 10) }.joined(separator: " ") + "\n"
    for _ in 0..<2000 { text += row }
    let url = scratch.appendingPathComponent("big.txt")
    try text.write(to: url, atomically: true, encoding: .utf8)
    let r = try CommandRunner.run(["step", "--plain", "--only", "3992001", "--matrix", url.path])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssert(r.stdout.hasPrefix("step 3992001/3992004: output[1997,1994], window rows 1997-1999, cols 1994-1996"), String(r.stdout.prefix(200)))
  }

  // MARK: every numeric option and spec field through edge values

  static let edgeValues = ["0", "-1", "2147483648", "4611686018427387904", intMax, "1e300", "nan", "inf"]
  /// The values no size may take: past 2^31 - 1, or not whole numbers.
  static let hugeValues: Set<String> = ["2147483648", "4611686018427387904", intMax, "1e300", "nan", "inf"]

  struct Case {
    var args: [String]
    /// True when every huge value must be refused (a size); false for options where a huge
    /// number has a meaning (a seed, a limit past the data's end) or that another part checks.
    var isSize: Bool
    var output: String?
  }

  /// Every numeric option of the subcommands that take sizes, and every numeric field of the
  /// spec language, with `V` where the value goes.
  func cases(_ v: String, out: String) -> [Case] {
    let spec = { (s: String) in Case(args: ["summary", "--spec", s, "--input", "28x28x1"], isSize: true) }
    let train = ["train", "--model", "softmax", "--limit", "50", "--test-limit", "50", "--epochs", "1", "--plain", "--save", out]
    return [
      Case(args: ["conv", "--padding", v], isSize: true),
      Case(args: ["conv", "--stride", v], isSize: true),
      Case(args: ["conv", "--stride", "1x" + v], isSize: true),
      Case(args: ["conv", "--dilation", v], isSize: true),
      Case(args: ["conv", "--bias", v], isSize: false),
      Case(args: ["step", "--plain", "--padding", v], isSize: true),
      Case(args: ["step", "--plain", "--only", v], isSize: true),
      Case(args: ["step", "--backward", "--plain", "--lr", v], isSize: false),
      Case(args: ["pool", "--size", v], isSize: true),
      Case(args: ["pool", "--size", "2", "--stride", v], isSize: true),
      Case(args: ["pool", "--padding", v], isSize: true),
      Case(args: ["filter", CommandRunner.packageRoot.appendingPathComponent("Tests/ConvImageIOTests/Fixtures/rgb_7x5.png").path, "--kernel", "edge", "--padding", v, "--out", out], isSize: true, output: out),
      Case(args: ["filter", CommandRunner.packageRoot.appendingPathComponent("Tests/ConvImageIOTests/Fixtures/rgb_7x5.png").path, "--kernel", "edge", "--repeat-count", v, "--out", out], isSize: true, output: out),
      Case(args: ["tui", "--screen", "conv", "--print", v + "x24"], isSize: true),
      Case(args: ["tui", "--screen", "pooling", "--size", v, "--print", "80x24"], isSize: true),
      Case(args: ["tui", "--screen", "conv", "--padding", v, "--print", "80x24"], isSize: true),
      Case(args: ["quiz", "--plain", "--answer-key", "--count", v], isSize: true),
      Case(args: ["quiz", "--plain", "--answer-key", "--level", v], isSize: true),
      Case(args: ["quiz", "--plain", "--answer-key", "--count", "1", "--seed", v], isSize: false),
      Case(args: ["summary", "--spec", "flatten -> dense(10)", "--input", v + "x28x1"], isSize: true),
      spec("conv2d(\(v), 3) -> flatten -> dense(10)"),
      spec("conv2d(8, \(v)) -> flatten -> dense(10)"),
      spec("conv2d(8, 3, strides=\(v)) -> flatten -> dense(10)"),
      spec("conv2d(8, 3, padding=\(v)) -> flatten -> dense(10)"),
      spec("maxpool(\(v)) -> flatten -> dense(10)"),
      spec("maxpool(2, strides=\(v), padding=same) -> flatten -> dense(10)"),
      spec("avgpool(2, strides=\(v)) -> flatten -> dense(10)"),
      spec("flatten -> dense(\(v))"),
      spec("flatten -> dropout(\(v)) -> dense(10)"),
      spec("zeropadding2d(\(v)) -> flatten -> dense(10)"),
      spec("conv2dtranspose(4, 3, strides=\(v)) -> flatten -> dense(10)"),
      spec("depthwiseconv2d(3, depth_multiplier=\(v)) -> flatten -> dense(10)"),
      spec("reshape((\(v), 1)) -> flatten -> dense(10)"),
      Case(args: train + ["--batch", v], isSize: true, output: out),
      Case(args: ["train", "--model", "softmax", "--limit", "50", "--test-limit", "50", "--plain", "--save", out, "--epochs", v], isSize: true, output: out),
      Case(args: ["train", "--model", "softmax", "--epochs", "1", "--test-limit", "50", "--plain", "--save", out, "--limit", v], isSize: false, output: out),
      Case(args: train + ["--lr", v], isSize: false, output: out),
      Case(args: train + ["--validation-split", v], isSize: false, output: out),
    ]
  }

  /// Runs every case with every edge value, a few processes at a time, and checks: exit 0, 1
  /// or 64 (never a signal); on a refusal exactly one line on stderr and no output file; a
  /// size given a huge value refused.
  func testEveryNumericOptionAndSpecFieldThroughEdgeValues() throws {
    let env = mnist()
    guard env["CONVPLAY_DATA"] != nil else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    var jobs: [(Case, String, URL)] = []
    for (i, v) in Self.edgeValues.enumerated() {
      for (j, c) in cases(v, out: "OUT").enumerated() {
        let out = scratch.appendingPathComponent("out-\(i)-\(j).png")
        var c = c
        c.args = c.args.map { $0 == "OUT" ? out.path : $0 }
        c.output = c.output == nil ? nil : out.path
        jobs.append((c, v, out))
      }
    }
    let failures = FailureList()
    let all = jobs
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      for k in stride(from: worker, to: all.count, by: 4) {
        let (c, v, _) = all[k]
        do {
          let r = try CommandRunner.run(c.args, environment: env.merging(["CONVPLAY_MEMORY_BUDGET": "4G"]) { $1 })
          var problems: [String] = []
          if ![0, 1, 64].contains(r.status) { problems.append("exit \(r.status)") }
          if r.status != 0 {
            let lines = r.stderr.split(separator: "\n").count
            if lines != 1 { problems.append("\(lines) lines on stderr") }
            if let o = c.output, FileManager.default.fileExists(atPath: o) { problems.append("output file written") }
          }
          if c.isSize && Self.hugeValues.contains(v) && r.status == 0 { problems.append("a huge size accepted") }
          if !problems.isEmpty {
            failures.add("\(c.args.joined(separator: " ")): " + problems.joined(separator: ", ") + " | " + r.stderr.prefix(300))
          }
        } catch {
          failures.add("\(c.args): \(error)")
        }
      }
    }
    XCTAssertEqual(failures.all, [], "\(jobs.count) runs")
  }

  // MARK: helpers

  /// CONVPLAY_DATA for the shared MNIST files, or empty when they are absent.
  func mnist() -> [String: String] {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] else { return [:] }
    let dir = URL(fileURLWithPath: shared).appendingPathComponent("data")
    guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("mnist").path) else { return [:] }
    return ["CONVPLAY_DATA": dir.path]
  }

  /// A copy of the shared MNIST folder with one file replaced.
  func mnistCopy(replacing name: String, with data: Data) throws -> URL {
    guard let shared = mnist()["CONVPLAY_DATA"] else { throw XCTSkip("CONVPLAY_SHARED/data/mnist is absent") }
    let source = URL(fileURLWithPath: shared).appendingPathComponent("mnist")
    let dir = scratch.appendingPathComponent("mnist-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
      let stem = file.hasSuffix(".gz") ? String(file.dropLast(3)) : file
      if stem == name || file == name || stem + ".gz" == name { continue }
      try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: dir.appendingPathComponent(file))
    }
    try data.write(to: dir.appendingPathComponent(name))
    return dir
  }

  /// gzip of `prefix` followed by `zeros` zero bytes, compressed a megabyte at a time.
  func gzip(_ prefix: [UInt8], zeros: Int) throws -> Data {
    var stream = z_stream()
    guard deflateInit2_(&stream, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw XCTSkip("zlib's deflate did not start")
    }
    defer { deflateEnd(&stream) }
    var out = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    func feed(_ input: [UInt8], finish: Bool) {
      var input = input
      input.withUnsafeMutableBufferPointer { inp in
        stream.next_in = inp.baseAddress
        stream.avail_in = uInt(inp.count)
        repeat {
          buffer.withUnsafeMutableBufferPointer { o in
            stream.next_out = o.baseAddress
            stream.avail_out = uInt(o.count)
            _ = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
            out.append(o.baseAddress!, count: o.count - Int(stream.avail_out))
          }
        } while stream.avail_out == 0
      }
    }
    feed(prefix, finish: false)
    let chunk = [UInt8](repeating: 0, count: 1 << 20)
    for _ in 0..<(zeros >> 20) { feed(chunk, finish: false) }
    feed([], finish: true)
    return out
  }
}

/// Failures collected from several threads.
private final class FailureList: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [String] = []
  func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
  var all: [String] { lock.lock(); defer { lock.unlock() }; return items.sorted() }
}

private func + (a: [String: String], b: [String: String]) -> [String: String] { a.merging(b) { $1 } }
