import ConvData
import ConvPretrained
import Foundation
import XCTest

/// `convplay import` and `convplay classify` on the PyTorch fixture of ConvPretrainedTests.
final class PretrainedCommandTests: XCTestCase {
  static let fixtures = CommandRunner.packageRoot.appendingPathComponent("Tests/ConvPretrainedTests/Fixtures")
  static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

  var dir: URL!
  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

  func importFixture(_ file: String, extra: [String] = []) throws -> (CommandResult, String) {
    let out = dir.appendingPathComponent("small.safetensors").path
    let r = try CommandRunner.run(
      ["import", Self.fixture(file), "--arch", Self.fixture("spec.txt"), "--input", "16x16x3", "-o", out] + extra)
    return (r, out)
  }

  func testImportThenClassifyGivesPyTorchsProbabilities() throws {
    let (imported, model) = try importFixture("torch_weights.npz", extra: ["--from", "pytorch", "--verbose"])
    XCTAssertEqual(imported.status, 0, imported.stderr)
    XCTAssertTrue(imported.stdout.contains("7.weight"), imported.stdout)
    XCTAssertTrue(imported.stdout.contains("imported 12 tensors, 8,161 weights (pytorch layout)"), imported.stdout)
    let r = try CommandRunner.run(["classify", Self.fixture("photo.npy"), "--weights", model, "--top", "5"])
    XCTAssertEqual(r.status, 0, r.stderr)
    // "1. class 2  0.2585": ranks and probabilities as PyTorch computed them.
    let expected = try NPZ.read(Self.fixtures.appendingPathComponent("cases.npz")).first { $0.name == "photo_probabilities" }!.values
    let lines = r.stdout.split(separator: "\n")
    XCTAssertEqual(lines.count, 5, r.stdout)
    let order = expected.indices.sorted { expected[$0] > expected[$1] }
    for (rank, line) in lines.enumerated() {
      let words = line.split(separator: " ")
      XCTAssertEqual(words[0], "\(rank + 1).")
      XCTAssertEqual(words[2], "\(order[rank])", r.stdout)
      XCTAssertEqual(Double(words[3])!, Double(expected[order[rank]]), accuracy: 5e-5, r.stdout)
    }
  }

  func testKerasFileImportsByNameWithGuessedLayout() throws {
    let (imported, model) = try importFixture("keras_weights.npz")
    XCTAssertEqual(imported.status, 0, imported.stderr)
    XCTAssertTrue(imported.stdout.contains("(keras layout)"), imported.stdout)
    let r = try CommandRunner.run(["classify", Self.fixture("photo.npy"), "--weights", model, "--top", "1", "--verbose"])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("(1, 6, 6, 12)"), r.stdout)
    XCTAssertTrue(r.stdout.contains("peak memory"), r.stdout)
  }

  func testMismatchAndBadInputAreOneLine() throws {
    let out = dir.appendingPathComponent("x.safetensors").path
    let r = try CommandRunner.run([
      "import", Self.fixture("torch_weights.npz"), "--arch",
      "conv2d(8,5,padding=same,activation=relu) -> maxpool(2) -> conv2d(12,3) -> batchnorm -> activation(relu) -> flatten -> dense(16,relu) -> dense(5,softmax)",
      "--input", "16x16x3", "-o", out,
    ])
    XCTAssertEqual(r.status, 1)
    XCTAssertEqual(
      r.stderr,
      "convplay: conv2d/kernel: expected shape (8, 3, 5, 5) (out, in, height, width: PyTorch's layout), got (8, 3, 3, 3) from tensor 0.weight\n")
    XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    for args in [
      ["import", Self.fixture("photo.npy"), "--arch", "vgg16", "-o", out],
      ["import", Self.fixture("torch_weights.npz"), "--arch", "vgg16", "-o", out],
      ["import", Self.fixture("torch_weights.npz"), "--arch", "resnet50", "-o", out],
      ["classify", Self.fixture("photo.npy"), "--weights", Self.fixture("torch_weights.safetensors")],
      ["classify", Self.fixture("photo.npy")],
    ] {
      let bad = try CommandRunner.run(args)
      XCTAssertEqual(bad.status, 1, "\(args)")
      XCTAssertTrue(bad.stderr.hasPrefix("convplay: ") && bad.stderr.split(separator: "\n").count == 1, "\(args): \(bad.stderr)")
    }
  }

  /// The course's VGG16 with random weights: every shape, the time, and how to get real weights.
  func testVGG16RandomWeightsWalksTheShapes() throws {
    let photo = Self.fixture("photo.npy")
    let r = try CommandRunner.run(["classify", photo, "--arch", "vgg16", "--random-weights", "--top", "3"])
    XCTAssertEqual(r.status, 0, r.stderr)
    for shape in ["(1, 224, 224, 64)", "(1, 112, 112, 128)", "(1, 7, 7, 512)", "(1, 25088)", "(1, 4096)", "(1, 1000)"] {
      XCTAssertTrue(r.stdout.contains(shape), shape)
    }
    XCTAssertTrue(r.stdout.contains("138,357,544 random weights"), r.stdout)
    XCTAssertTrue(r.stdout.contains("30.94 GFLOP"), r.stdout)
    XCTAssertTrue(r.stdout.contains("convplay weights fetch vgg16"), r.stdout)
  }

  /// Keras and PyTorch files straight into classify, told apart by content (the .keras file
  /// renamed to .bin still reads as Keras), giving PyTorch's probabilities for the same weights.
  func testClassifyReadsKerasAndPyTorchFilesDirectly() throws {
    let expected = try NPZ.read(Self.fixtures.appendingPathComponent("cases.npz")).first { $0.name == "photo_probabilities" }!.values
    let renamed = dir.appendingPathComponent("model.bin")
    try FileManager.default.copyItem(atPath: Self.fixture("keras3.keras"), toPath: renamed.path)
    for file in [Self.fixture("keras_legacy.weights.h5"), renamed.path, Self.fixture("torch_legacy.pth"), Self.fixture("torch_zip.pth")] {
      let r = try CommandRunner.run([
        "classify", Self.fixture("photo.npy"), "--weights", file, "--arch", Self.fixture("spec.txt"), "--input", "16x16x3",
        "--preprocess", "unit", "--top", "1",
      ])
      XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
      let best = expected.indices.max { expected[$0] < expected[$1] }!
      let words = r.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })
      XCTAssertEqual(words.count, 4, r.stdout)
      guard words.count == 4, let probability = Double(words[3]) else { continue }
      XCTAssertEqual(words[2], "\(best)", "\(file): \(r.stdout)")
      XCTAssertEqual(probability, Double(expected[best]), accuracy: 5e-5, "\(file): \(r.stdout)")
    }
  }

  func testImportReadsAPthAndAnH5() throws {
    for file in ["torch_zip.pth", "keras_model.h5"] {
      let (r, model) = try importFixture(file)
      XCTAssertEqual(r.status, 0, r.stderr)
      XCTAssertTrue(r.stdout.contains("imported 12 tensors, 8,161 weights"), r.stdout)
      XCTAssertTrue(FileManager.default.fileExists(atPath: model))
    }
    let (bad, _) = try importFixture("torch_forbidden.pth")
    XCTAssertEqual(bad.status, 1)
    XCTAssertTrue(bad.stderr.contains("os.system") && bad.stderr.split(separator: "\n").count == 1, bad.stderr)
  }

  /// --arch alone looks in Keras's cache (KERAS_HOME here: empty), and says how to fill it.
  func testArchAloneLooksInKerassCache() throws {
    let r = try CommandRunner.run(["classify", Self.fixture("photo.npy"), "--arch", "vgg16"], environment: ["KERAS_HOME": dir.path])
    XCTAssertEqual(r.status, 1)
    XCTAssertEqual(
      r.stderr,
      "convplay: no vgg16_weights_tf_dim_ordering_tf_kernels.h5 in \(dir.path)/models: run 'convplay weights fetch vgg16' "
        + "(or copy the file there), or give --weights FILE\n")
    let list = try CommandRunner.run(["weights", "list"], environment: ["KERAS_HOME": dir.path])
    XCTAssertEqual(list.status, 0, list.stderr)
    XCTAssertTrue(list.stdout.contains("not downloaded (convplay weights fetch vgg16 --no-top)"), list.stdout)
  }

  /// `convplay summary FILE`: a Keras full model's architecture from its own config, built by
  /// convplay's layers; the functional one names what feeds each layer.
  func testSummaryOfAKerasFile() throws {
    let r = try CommandRunner.run(["summary", Self.fixture("keras3.keras")])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("Model: \"small_cnn\""), r.stdout)
    XCTAssertTrue(r.stdout.contains("conv2d_1 (Conv2D)            (None, 6, 6, 12)          876"), r.stdout)
    XCTAssertTrue(r.stdout.contains("Total params: 8,161"), r.stdout)
    let h5 = try CommandRunner.run(["summary", Self.fixture("keras_model.h5")])
    XCTAssertEqual(h5.stdout, r.stdout)
    let weightsOnly = try CommandRunner.run(["summary", Self.fixture("keras_legacy.weights.h5")])
    XCTAssertEqual(weightsOnly.status, 1)
    XCTAssertTrue(weightsOnly.stderr.contains("holds weights only"), weightsOnly.stderr)
    // A full model classifies without --arch: the architecture is the file's.
    let c = try CommandRunner.run(["classify", Self.fixture("photo.npy"), "--weights", Self.fixture("keras_model.h5"), "--top", "1"])
    XCTAssertEqual(c.status, 0, c.stderr)
    XCTAssertTrue(c.stdout.hasPrefix("1. class 2  0.2585"), c.stdout)
  }

  /// `convplay summary` on Keras's JSON of MobileNet (`model.to_json()`, what config.json
  /// holds): GlobalAveragePooling2D(keepdims=True) and the reshapes after it, Keras's totals.
  func testSummaryOfMobileNetsKerasConfig() throws {
    let gz = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("applications/mobilenet.json.gz")))
    let json = dir.appendingPathComponent("mobilenet.json")
    try Gzip.decompress(gz).write(to: json)
    let r = try CommandRunner.run(["summary", json.path])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("global_average_pooling2d (Gl (None, 1, 1, 1024)        0"), r.stdout)
    XCTAssertTrue(r.stdout.contains("Total params: 4,253,864\nTrainable params: 4,231,976\nNon-trainable params: 21,888"), r.stdout)
    try "{\"class_name\": \"Functional\"".write(to: json, atomically: true, encoding: .utf8)
    let bad = try CommandRunner.run(["summary", json.path])
    XCTAssertEqual(bad.status, 1)
    XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
    let directory = try CommandRunner.run(["summary", dir.path])
    XCTAssertEqual(directory.status, 1)
    XCTAssertTrue(directory.stderr.hasSuffix("is a directory, not a file\n"), directory.stderr)
  }

  /// One loader behind every --weights: predict, evaluate and the summary screen read the
  /// same files classify reads (here PyTorch's .pth on a spec, and a Keras .keras full model).
  func testWeightsInAnyFormatOnPredictEvaluateAndTheSummaryScreen() throws {
    let photo = Self.fixture("photo.npy")
    let pth = try CommandRunner.run(["predict", photo, "--weights", Self.fixture("torch_zip.pth"), "--arch", Self.fixture("spec.txt")])
    XCTAssertEqual(pth.status, 1)
    // The file was read and matched to the spec on predict's 28x28x1: its 3-channel kernel does not fit.
    XCTAssertTrue(pth.stderr.contains("expected shape (8, 1, 3, 3)"), pth.stderr)
    XCTAssertTrue(pth.stderr.contains("got (8, 3, 3, 3) from tensor 0.weight"), pth.stderr)
    let noArch = try CommandRunner.run(["evaluate", "--weights", Self.fixture("torch_zip.pth")])
    XCTAssertEqual(noArch.status, 1)
    XCTAssertTrue(noArch.stderr.contains("holds weights without a convplay architecture: give --arch"), noArch.stderr)
    let directory = try CommandRunner.run(["predict", photo, "--weights", dir.path])
    XCTAssertEqual(directory.status, 1)
    XCTAssertEqual(directory.stderr, "convplay: cannot read \(dir.path): is a directory, not a file\n")
    let archAlone = try CommandRunner.run(["evaluate", "--arch", "vgg16"])
    XCTAssertEqual(archAlone.status, 64, archAlone.stderr)

    let keras = try CommandRunner.run(["tui", "--screen", "summary", "--weights", Self.fixture("keras3.keras"), "--print", "100x30"])
    XCTAssertEqual(keras.status, 0, keras.stderr)
    XCTAssertTrue(keras.stdout.contains("keras3.keras"), keras.stdout)
    XCTAssertTrue(keras.stdout.contains("conv2d_1"), keras.stdout)
    let torch = try CommandRunner.run([
      "tui", "--screen", "summary", "--model", Self.fixture("spec.txt"), "--input", "16x16x3", "--weights",
      Self.fixture("torch_legacy.pth"), "--print", "100x30",
    ])
    XCTAssertEqual(torch.status, 0, torch.stderr)
    XCTAssertTrue(torch.stdout.contains("torch_legacy.pth"), torch.stdout)
    // The image lab explains with the same file on the same spec: the map of its last convolution.
    let lab = try CommandRunner.run([
      "tui", "--screen", "lab", "--weights", Self.fixture("torch_legacy.pth"), "--model", Self.fixture("spec.txt"),
      "--input", "16x16x3", "--keys", "g", "--print", "100x30",
    ])
    XCTAssertEqual(lab.status, 0, lab.stderr)
    XCTAssertTrue(lab.stdout.contains("Model: torch_legacy.pth"), lab.stdout)
    XCTAssertTrue(lab.stdout.contains("Probability: "), lab.stdout)
    XCTAssertTrue(lab.stdout.contains("Layer: "), lab.stdout)
    let wrongScreen = try CommandRunner.run(["tui", "--screen", "conv", "--weights", Self.fixture("keras3.keras"), "--print", "80x24"])
    XCTAssertEqual(wrongScreen.stderr, "convplay: --weights belongs to --screen summary or lab, or train with --base\n")
  }
}
