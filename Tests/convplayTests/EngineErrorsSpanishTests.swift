import ConvData
import ConvImageIO
import ConvKit
import ConvLocale
import Foundation
import XCTest

/// The engine's error lines in Spanish: every message the engine modules make (found by
/// scripts/list-engine-messages) has its entry in the Spanish table, and the real command line
/// says each of 40-odd engine errors in Spanish, on one line, with a non-zero exit.
final class EngineErrorsSpanishTests: XCTestCase {
  /// English words that give a line away (Spanish words such as "no", "error" or "a" are not
  /// among them). Quoted text, code (anything with `_ . / ( ) =` or digits) and paths are left
  /// out before looking, as SpanishCommandLineTests does.
  static let giveaways: Set<String> = Set("""
    the and of with file files weights input inputs output outputs image images from for each
    every this that when which without only layer layers channel channels rows columns size shape
    value values missing expected unknown must got give both one two is are be use into per than
    then where whose how what will not found cannot can has have does its it an needs takes holds
    number numbers too large small empty damaged truncated read write folder needs given named
    model network data set but or at least more most over limit try
    """.split(whereSeparator: \.isWhitespace).map(String.init))

  /// The giveaway words left in `line`.
  static func englishWords(in line: String) -> [String] {
    var text = line
    for quote in ["'", "`", "\""] {
      text = text.components(separatedBy: quote).enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        .joined(separator: " ")
    }
    return text.split(separator: " ")
      .filter { token in !token.contains { "-./_=()<>$~:[]{}|*+^#0123456789@\\".contains($0) } }
      .map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) }
      .filter { giveaways.contains($0) }
  }

  /// What is wrong with `spanish` as the translation of `english` (nil when nothing).
  static func problem(english: String, spanish: String) -> String? {
    if spanish == english { return "left in English: \(english)" }
    let words = englishWords(in: spanish)
    if !words.isEmpty { return "English words \(words) left in: \(spanish)   (from: \(english))" }
    return nil
  }

  // MARK: - Every message the script finds

  /// Templates the engine builds in pieces: the script finds each piece, these are whole lines
  /// made of them, as the engine makes them.
  static let composed: [String: [String]] = [
    "cifar-10-binary.tar.gz: {0}": ["cifar-10-binary.tar.gz: the gzip data is truncated"],
    "model spec: ": ["model spec: column 5: '(' is never closed"],
    "must be at least {0} (got {1})": ["kernel rows: must be at least 1 (got 0)", "stride: must be at least 1 (got 0)"],
    "{0} is larger than {1}, the largest size convplay takes": [
      "input size: 3,000,000,000 is larger than 2,147,483,647, the largest size convplay takes"
    ],
    "a dimension of {0} is negative": ["the output shape (2, -3): a dimension of -3 is negative"],
    "{0} values do not fit in a 64-bit integer": ["the parameter count: 99999x99999x99999x99999 values do not fit in a 64-bit integer"],
    "{0} is outside {1}...{2}": ["w.keras: the zip's entry size: 70000 is outside 0...65535"],
    "{0} does not fit in a 64-bit integer: the number is too large": [
      "dilation: 9223372036854775807*2 does not fit in a 64-bit integer: the number is too large"
    ],
    " would take {0} bytes ({1})": [
      "the inflated gzip data would take 2,000,000 bytes (2 MB), over the memory budget of 1 MB; raise it with CONVPLAY_MEMORY_BUDGET (for example CONVPLAY_MEMORY_BUDGET=32G)"
    ],
    " would hold {0} values ({1})": [
      "the padded input would hold 12,345,678 values (49 MB), over the memory budget of 1 MB; raise it with CONVPLAY_MEMORY_BUDGET (for example CONVPLAY_MEMORY_BUDGET=32G)"
    ],
    ", over the memory budget of {0}; raise it with {1} (for example {2}=32G)": [
      "the output would hold 5,000 values (20 KB), over the memory budget of 1 KB; raise it with CONVPLAY_MEMORY_BUDGET (for example CONVPLAY_MEMORY_BUDGET=32G)"
    ],
    "{0} bytes": [
      "the model would hold 100 values (400 bytes), over the memory budget of 100 bytes; raise it with CONVPLAY_MEMORY_BUDGET (for example CONVPLAY_MEMORY_BUDGET=32G)"
    ],
    " with a batch of {0}": [
      "the model with a batch of 64 would hold 1,000,000 values (4 MB), over the memory budget of 1 MB; raise it with CONVPLAY_MEMORY_BUDGET (for example CONVPLAY_MEMORY_BUDGET=32G)"
    ],
    " in training": [
      "the model with a batch of 64 in training would hold more values than fit in a 64-bit integer",
      "the model in training would hold 1,000,000 values (4 MB), over the memory budget of 1 MB; raise it with CONVPLAY_MEMORY_BUDGET (for example CONVPLAY_MEMORY_BUDGET=32G)",
    ],
    "kernel {0}": ["kernel rows must be at least 1 (got 0)", "kernel columns: must be at least 1 (got 0)"],
    "output_padding + 1": ["output_padding + 1 must be at least 1 (got 0)"],
    "inputs of different shapes cannot be added: ": ["layer 3: inputs of different shapes cannot be added: (4, 4, 8), (4, 4, 16)"],
    "inputs must match in all but the channel axis: ": ["inputs must match in all but the channel axis: (4, 4, 8), (2, 2, 8)"],
    "unknown layer class {0}{1}": [
      "unknown layer class Conv3D; convplay knows Conv2D, Dense",
      "unknown layer class Conv2d (did you mean Conv2D?); convplay knows Conv2D, Dense",
    ],
    "{0}; convplay knows ": ["unknown layer class Foo; convplay knows Conv2D, Dense"],
    "layer {0}": ["layer 2, column 5: '(' is never closed"],
    "line {0}": ["layer 2, line 3, column 1: nothing after '->': expected a layer", "line 3, column 1: unmatched ')'"],
    "column {0}": ["column 1: the model is empty: write layers such as conv2d(64, 3, relu) -> flatten -> dense(10, softmax)"],
    "unknown layer '{0}'{1}; layers: ": [
      "layer 1, column 1: unknown layer 'conv3d' (did you mean conv2d?); layers: conv2d, dense",
      "layer 1, column 1: unknown layer 'foo'; layers: conv2d, dense",
    ],
    "unknown argument '{0}'{1} for {2}": [
      "unknown argument 'foo' for conv2d; it takes filters, kernel_size",
      "unknown argument 'fitlers' (did you mean filters?) for conv2d; it takes filters, kernel_size",
    ],
    " (it takes none but name and trainable)": ["unknown argument 'foo' for flatten (it takes none but name and trainable)"],
    "; it takes ": ["unknown argument 'foo' for dense; it takes units, activation, use_bias"],
    "padding must be valid, same": ["padding must be valid, same (got 'foo')"],
    " or a number of zeros": ["layer 1, column 22: padding must be valid, same or a number of zeros (got 'foo')"],
    " (got '{0}'){1}": ["padding must be valid, same or a number of zeros (got 'valdi') (did you mean valid?)"],
    " (did you mean {0}?)": ["unknown activation 'relux' (did you mean relu?); use relu, tanh, sigmoid, softmax or linear"],
    "the file has weights for {0} layer(s), {1} has {2} layers with weights{3}": [
      "the file has weights for 5 layer(s), vgg16 has 16 layers with weights",
      "the file has weights for 5 layer(s), vgg16 has 16 layers with weights (no block1_conv1 in the file)",
    ],
    "layer {0} of the file has {1} weight(s), {2} needs {3} (": ["layer conv1 of the file has 1 weight(s), conv1 needs 2 (kernel, bias)"],
    "{0}: {1} attribute {2}": ["w.h5: / attribute layer_names: attribute layer_names is not text"],
    "{0} ({1}) holds weights without a convplay architecture: give --arch ": [
      "w.h5 (keras) holds weights without a convplay architecture: give --arch vgg16|vgg19|SPEC"
    ],
  ]

  /// Not prose: a command line that stays as typed.
  static let notProse: Set<String> = ["convplay weights fetch {0} --no-top"]

  /// The template with sample values: a number for each placeholder, except one right after
  /// another placeholder (an optional tail such as " (did you mean x?)"), left empty.
  static func sample(_ template: String) -> String {
    var s = template.replacing(#/\}'?\{\d\}/#) { m in String(m.output.dropLast(3)) }
    for n in 0..<10 { s = s.replacing("{\(n)}", with: String(n + 7)) }
    return s
  }

  /// The engine's messages, from the script: (where, template).
  static func engineMessages() throws -> [(String, String)] {
    guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else { throw XCTSkip("python3 is not installed: scripts/list-engine-messages cannot run") }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = [CommandRunner.packageRoot.appendingPathComponent("scripts/list-engine-messages").path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    XCTAssertEqual(p.terminationStatus, 0)
    return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
      let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
      return parts.count == 2 ? (parts[0], parts[1].replacing("\\n", with: "\n")) : nil
    }
  }

  func testEveryEngineMessageHasItsSpanish() throws {
    let messages = try Self.engineMessages()
    XCTAssertGreaterThan(messages.count, 400, "the script finds the engine's messages")
    var problems: [String] = []
    var checked = 0
    for (place, template) in messages where !Self.notProse.contains(template) {
      let lines = Self.composed[template] ?? [Self.sample(template)]
      for english in lines {
        checked += 1
        if let p = Self.problem(english: english, spanish: Spanish.line(english)) { problems.append("\(place): \(p)") }
      }
    }
    XCTAssertTrue(problems.isEmpty, "\(problems.count) of \(checked) lines:\n" + problems.joined(separator: "\n"))
    // Every composed line still stands for a template the script finds.
    let found = Set(messages.map(\.1))
    XCTAssertEqual(Set(Self.composed.keys).subtracting(found), [], "composed lines for messages no longer made")
    XCTAssertEqual(Spanish.malformedEntries(), [])
    XCTAssertEqual(Spanish.duplicateKeys(), [], "one entry per English text")
  }

  /// The matcher keeps the parts it carries: a located message keeps its path, a phrase in a
  /// part is translated, a grouped count is written the Spanish way.
  func testLocatedMessagesPhrasesAndCounts() {
    XCTAssertEqual(Spanish.line("photos/x.png: cannot read image: corrupt PNG: IHDR: CRC error"),
                   "photos/x.png: no se puede leer la imagen: PNG dañado: IHDR: error de CRC")
    XCTAssertEqual(Spanish.line("w.h5: not a readable HDF5 file (unable to open file)"),
                   "w.h5: no es un archivo HDF5 legible (no se puede abrir el archivo)")
    XCTAssertEqual(Spanish.line("kernel rows: 3,000,000,000 is larger than 2,147,483,647, the largest size convplay takes"),
                   "filas del kernel: 3.000.000.000 es mayor que 2.147.483.647, el tamaño más grande que acepta convplay")
    XCTAssertEqual(Spanish.line("w.keras: the zip's entry size: 70000 is outside 0...65535"),
                   "w.keras: tamaño de la entrada del zip: 70000 está fuera de 0...65535")
    // A line that only ends like an entry is read by the entry for its middle.
    XCTAssertEqual(Spanish.line("x.png: cannot read image: empty file"), "x.png: no se puede leer la imagen: archivo vacío")
    // A line nothing matches stays as it is.
    XCTAssertEqual(Spanish.line("x.png: zzz qqq"), "x.png: zzz qqq")
  }

  // MARK: - Readers the command line reaches only behind other checks

  /// IDX files are checked against MNIST's published MD5s before they are parsed, so their own
  /// errors (and gzip's, tar's, CIFAR-10's, the geometry's) are made here by the engine calls.
  func testReaderErrorsAreSpanish() throws {
    func message(_ body: () throws -> Void) -> String {
      do { try body() } catch { return String(describing: error) }
      return "no error"
    }
    let idxHeader: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28]
    let lines = [
      message { _ = try IDXArray(data: Data([0, 0]), name: "train-images-idx3-ubyte") },
      message { _ = try IDXArray(data: Data([0x12, 0x34, 8, 3] + [UInt8](repeating: 0, count: 40)), name: "t10k-images-idx3-ubyte") },
      message { _ = try IDXArray(data: Data(idxHeader + [UInt8](repeating: 0, count: 100)), name: "train-images-idx3-ubyte") },
      message { _ = try IDXArray(data: Data([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]), name: "labels") },
      message { _ = try Gzip.decompress(Data([0x1f, 0x8b, 8, 0] + [UInt8](repeating: 0xff, count: 40))) },
      message { _ = try Gzip.decompress(Data([0x1f, 0x8b])) },
      message { _ = try Tar.entries(Data([UInt8](repeating: 0x41, count: 512)), name: "cifar-10-binary.tar") },
      message { _ = try CIFAR10.decodeBatch(Data([UInt8](repeating: 0, count: 100)), name: "data_batch_1.bin") },
      message { _ = try OutputShape.axis(input: 5, kernel: 3, stride: 0, padding: .valid) },
      message { _ = try OutputShape.axis(input: 2, kernel: 5, padding: .valid, axisName: "columns") },
      message { try MemoryBudget(bytes: 1000).check(values: 5000, what: "the padded input") },
    ]
    XCTAssertFalse(lines.contains("no error"), lines.joined(separator: "\n"))
    let problems = lines.compactMap { Self.problem(english: $0, spanish: Spanish.line($0)) }
    XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"))
    XCTAssertEqual(Spanish.line(lines[0]), "train-images-idx3-ubyte: demasiado corto para ser un archivo IDX (2 bytes)")
  }

  // MARK: - The engine's errors through the real command line

  struct Case {
    var args: [String]
    var stdin: String? = nil
    var env: [String: String] = [:]
  }

  var work: URL!

  override func setUpWithError() throws {
    work = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-engine-es-\(UUID())")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: work)
  }

  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let url = work.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url.path
  }

  func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

  func fixture(_ path: String) -> String {
    CommandRunner.packageRoot.appendingPathComponent("Tests").appendingPathComponent(path).path
  }

  /// A safetensors file: its 8-byte length, the header, then `data`.
  func safetensors(_ name: String, header: String, data: [UInt8] = []) throws -> String {
    let h = Array(header.utf8)
    let length = withUnsafeBytes(of: UInt64(h.count).littleEndian, Array.init)
    return try write(name, length + h + data)
  }

  /// A folder data set of `classes` classes, `perClass` 8x8 gray PNGs each.
  func folderDataset(_ name: String, classes: Int, perClass: Int) throws -> String {
    for c in 0..<classes {
      for i in 0..<perClass {
        let pixels = (0..<64).map { UInt8(($0 * (c + 3) + i * 17) % 256) }
        let png = try ImageCodec.encodePNG(width: 8, height: 8, channels: 1, interleaved: pixels)
        _ = try write("\(name)/c\(c)/\(i).png", Array(png))
      }
    }
    return work.appendingPathComponent(name).path
  }

  func engineCases() throws -> [Case] {
    let pretrained = "ConvPretrainedTests/Fixtures/"
    let images = "ConvImageIOTests/Fixtures/"
    let keras = try Data(contentsOf: URL(fileURLWithPath: fixture(pretrained + "keras_model.h5")))
    let archive = try Data(contentsOf: URL(fileURLWithPath: fixture(pretrained + "keras3.keras")))
    var random = SystemRandomNumberGenerator()
    let noise = (0..<300).map { _ in UInt8.random(in: 0...255, using: &random) } 
    let out = work.appendingPathComponent("out.safetensors").path
    func importing(_ file: String, arch: [String] = ["--arch", "vgg16"]) -> Case {
      Case(args: ["import", file] + arch + ["-o", out])
    }
    var cases: [Case] = [
      // model specs (ConvKit's parser and layers)
      Case(args: ["summary", "--spec", "conv2d(32 3"]),
      Case(args: ["summary", "--spec", "conv2d(0, 3) -> flatten"]),
      Case(args: ["summary", "--spec", "conv3d(3)"]),
      Case(args: ["summary", "--spec", "conv2d(8, 3, padding=foo)"]),
      Case(args: ["summary", "--spec", "dense(10, activation=relux)"]),
      Case(args: ["summary", "--spec", "conv2d(8, 30) -> flatten", "--input", "28x28x1"]),
      Case(args: ["summary", "--spec", "dropout(1.5)"]),
      Case(args: ["summary", "--spec", "conv2d(8, 3, foo=1)"]),
      Case(args: ["summary", "--spec", " "]),
      Case(args: ["summary", "--spec", "a = conv2d(8,3)\nadd(a)"]),
      Case(args: ["summary", "--spec", "reshape((5,5))", "--input", "28x28x1"]),
      Case(args: ["summary", "--spec", "conv2d(8,3,strides=2,dilation_rate=2)"]),
      Case(args: ["summary", "--spec", "maxpool(2, padding=3)"]),
      Case(args: ["summary", "--spec", "conv2d(8, 3, name=a) -> conv2d(8, 3, name=a)"]),
      Case(args: ["summary", "--spec", "flatten(foo=1)"]),
      // images (ConvImageIO, the PNG and JPEG codecs)
      Case(args: ["info", fixture(images + "fortran.npy")]),
      Case(args: ["info", fixture(images + "four_channels.npy")]),
      Case(args: ["info", fixture(images + "int64.npy")]),
      Case(args: ["info", fixture(images + "cmyk.jpg")]),
      Case(args: ["info", fixture(images + "huge_header.png")]),
      Case(args: ["info", try write("noise.png", noise)]),
      Case(args: ["filter", fixture(images + "rgb_7x5.png"), "--out", work.appendingPathComponent("x.txt").path]),
      Case(args: ["filter", fixture(images + "rgb_7x5.png"), "--out", work.appendingPathComponent("no/such/x.png").path]),
      // weight files (ConvPretrained, ConvData's safetensors)
      importing(fixture(pretrained + "torch_forbidden.pth")),
      importing(fixture(pretrained + "torch_legacy_lying.pth")),
      importing(fixture(pretrained + "bomb.npz")),
      importing(fixture(pretrained + "keras3.weights.h5")),
      importing(fixture(pretrained + "torch_zip.pth")),
      importing(fixture(pretrained + "torch_weights.npz"), arch: ["--arch", "conv2d(4, 3) -> flatten -> dense(10)", "--input", "8x8x1"]),
      importing(fixture(pretrained + "torch_weights.safetensors"), arch: []),
      importing(try write("random.pth", noise)),
      importing(try write("empty.pth", [UInt8]())),
      importing(try write("truncated.h5", Array(keras.prefix(600)))),
      importing(try write("truncated.keras", Array(archive.prefix(300)))),
      importing(try safetensors("notjson.safetensors", header: "hello")),
      importing(try safetensors("f16.safetensors", header: #"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])),
      importing(try safetensors("list.safetensors", header: "[1, 2]")),
      importing(try safetensors("offsets.safetensors", header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])),
      // data sets (ConvData, ConvImageIO's folders)
      Case(args: ["train", "--dataset", "folder:" + work.appendingPathComponent("nonexistent").path, "--epochs", "1"]),
      Case(args: ["train", "--dataset", "folder:" + work.appendingPathComponent("emptyfolder").path, "--epochs", "1"]),
      Case(args: ["train", "--dataset", "folder:" + work.appendingPathComponent("classes").path, "--epochs", "1"]),
      Case(args: ["train", "--data", work.appendingPathComponent("emptyfolder").path, "--epochs", "1"]),
      Case(args: ["train", "--dataset", "folder:" + (try folderDataset("tiny", classes: 2, perClass: 4)), "--augment", "spin=3", "--epochs", "1"]),
      Case(args: ["train", "--dataset", "folder:" + work.appendingPathComponent("tiny").path, "--model", "flatten -> dense(1, softmax)", "--epochs", "1"]),
      // matrices (ConvKit's matrix text)
      Case(args: ["conv", "--matrix", try write("ragged.txt", "1 2 3\n4 5\n")]),
      Case(args: ["conv", "--matrix", try write("word.txt", "1 two\n3 4\n")]),
      Case(args: ["conv", "--matrix", "-"], stdin: "\n\n"),
    ]
    try FileManager.default.createDirectory(at: work.appendingPathComponent("emptyfolder"), withIntermediateDirectories: true)
    _ = try write("classes/a/x.txt", "not an image")
    // The damaged images of the shared course data, when it is there.
    let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"]
      ?? CommandRunner.packageRoot.deletingLastPathComponent().appendingPathComponent("shared").path
    let bad = URL(fileURLWithPath: shared).appendingPathComponent("images/bad")
    if let names = try? FileManager.default.contentsOfDirectory(atPath: bad.path) {
      cases += names.sorted().map { Case(args: ["info", bad.appendingPathComponent($0).path]) }
    }
    return cases
  }

  func testEngineErrorsOfTheCommandLineAreSpanish() throws {
    let cases = try engineCases()
    var problems: [String] = []
    var distinct: Set<String> = []
    for c in cases {
      let en = try CommandRunner.run(c.args + ["--lang", "en"], stdin: c.stdin, environment: c.env, timeout: 120)
      let es = try CommandRunner.run(c.args + ["--lang", "es"], stdin: c.stdin, environment: c.env, timeout: 120)
      let name = c.args.prefix(4).joined(separator: " ")
      XCTAssertNotEqual(es.status, 0, "\(name): \(es.stderr)")
      XCTAssertEqual(es.status, en.status, name)
      XCTAssertFalse(es.timedOut, name)
      XCTAssertTrue(es.stderr.hasPrefix("convplay: ") && es.stderr.hasSuffix("\n"), "\(name): \(es.stderr)")
      XCTAssertEqual(es.stderr.filter { $0 == "\n" }.count, 1, "one line: \(name): \(es.stderr)")
      let english = en.stderr.trimmingCharacters(in: .newlines)
      let spanish = es.stderr.trimmingCharacters(in: .newlines)
      if let p = Self.problem(english: english, spanish: spanish) { problems.append("\(name): \(p)") }
      distinct.insert(english)
    }
    XCTAssertGreaterThanOrEqual(distinct.count, 40, "distinct engine errors triggered")
    XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"))
  }
}
