import ConvData
import ConvImageIO
import ConvKit
import ConvPlayground
import ConvPretrained
import ConvTerminal
import Foundation
import XCTest

/// The image lab's Grad-CAM view: the map it shows is `Network.gradCAM`'s on the input predict
/// prepares, its picture is `--explain-out`'s, the work runs on the worker (the screen says
/// "computing..." meanwhile), other classes come by probability, and a bad model is one line.
final class ImageLabGradCAMTests: XCTestCase {
  let env = Env(lang: .en, theme: Theme(colored: true))

  /// A 7 in dark ink on light paper, 48x48 (predict inverts it, as MNIST is light on dark).
  static func sevenOnPaper() -> Image {
    var page = [Float](repeating: 230, count: 48 * 48)
    for x in 10..<38 { for y in 8..<13 { page[y * 48 + x] = 20 } }
    for y in 13..<42 {
      let x = 36 - (y - 13) * 2 / 3
      for dx in -2..<3 { page[y * 48 + x + dx] = 20 }
    }
    return Image(width: 48, height: 48, channels: 1, samples: page)
  }

  /// The screen after `g`, answered by a worker of the test's own (the runner's code path,
  /// without its thread).
  static func explained(_ screen: ImageLabScreen, env: Env) -> ImageLabScreen {
    var s = screen
    guard case .perform(.explain(let request)) = s.update(.key(.char("g")), env: env) else { return s }
    _ = s.update(.gradCAM(GradCAMWorker().compute(request)), env: env)
    return s
  }

  func testTheMapShownIsTheEnginesGradCAMOfPredictsInput() throws {
    let photo = Self.sevenOnPaper()
    var screen = ImageLabScreen(image: photo, fileName: "seven.png")
    let effect = screen.update(.key(.char("g")), env: env)
    guard case .perform(.explain(let request)) = effect else { return XCTFail("g asks the worker: \(effect)") }
    XCTAssertEqual(request.classifier, .builtInDigits)
    XCTAssertNil(request.classIndex)
    XCTAssertTrue(screen.isComputing)
    XCTAssertEqual(screen.view, .gradcam)
    _ = screen.update(.gradCAM(GradCAMWorker().compute(request)), env: env)
    XCTAssertFalse(screen.isComputing)
    let shown = try XCTUnwrap(screen.explanation)

    // Independently: the built-in network, predict's preparation written out, the engine's map.
    let (network, _) = try DefaultModel.load()
    let gray = GrayMethod.luminance.convert(photo)
    let pixels = try DigitPreprocessing.mnistStyle(gray: gray.samples, width: gray.width, height: gray.height)
    let expected = try network.gradCAM(image: pixels)
    XCTAssertEqual(shown.map.layer, expected.layer)
    XCTAssertEqual([shown.map.height, shown.map.width], [expected.height, expected.width])
    XCTAssertEqual(shown.map.classIndex, expected.classIndex)
    XCTAssertEqual(shown.map.classIndex, 7, "the drawn 7 is a 7")
    XCTAssertEqual(shown.map.probability, expected.probability, accuracy: 1e-6)
    for (a, b) in zip(shown.map.values, expected.values) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    XCTAssertEqual(shown.map.values.count, expected.values.count)
    // The top class is predict's: the network's own probabilities, highest first.
    let probabilities = network.predict(Tensor(shape: [1, 28, 28, 1], scalars: pixels)).scalars
    XCTAssertEqual(shown.ranking.first, probabilities.indices.max { probabilities[$0] < probabilities[$1] })
    // The picture is --explain-out's: the one drawing over what the network saw.
    let seen = Image(width: 28, height: 28, channels: 1, samples: pixels.map { $0 * 255 })
    XCTAssertEqual(shown.seen, seen)
    XCTAssertEqual(shown.overlayImage, GradCAMPicture.overlay(expected, over: seen))
  }

  func testBracketsExplainTheOtherClassesByProbability() throws {
    var screen = Self.explained(ImageLabScreen(image: Self.sevenOnPaper(), fileName: "seven.png"), env: env)
    let first = try XCTUnwrap(screen.explanation)
    XCTAssertEqual(first.ranking.count, 10)
    for (step, key, expected) in [(1, "]", first.ranking[1]), (2, "]", first.ranking[2]), (3, "[", first.ranking[1])] {
      guard case .perform(.explain(let r)) = screen.update(.key(.char(Character(key))), env: env) else {
        return XCTFail("step \(step): \(key) asks the worker")
      }
      XCTAssertEqual(r.classIndex, expected, "step \(step)")
      _ = screen.update(.gradCAM(GradCAMWorker().compute(r)), env: env)
      XCTAssertEqual(screen.explanation?.map.classIndex, expected)
      // Each class's map is the engine's for that class.
      let (network, _) = try DefaultModel.load()
      let x = try ClassifierInput.digit.prepare(Self.sevenOnPaper(), inputShape: [28, 28, 1]).values
      XCTAssertEqual(screen.explanation?.map.values, try network.gradCAM(image: x, classIndex: expected).values)
    }
    // From the top class, [ wraps to the least probable one.
    var top = Self.explained(ImageLabScreen(image: Self.sevenOnPaper(), fileName: "seven.png"), env: env)
    guard case .perform(.explain(let r)) = top.update(.key(.char("[")), env: env) else { return XCTFail("[ asks") }
    XCTAssertEqual(r.classIndex, first.ranking.last)
    // g goes back to the picture the lab showed before.
    _ = top.update(.key(.char("g")), env: env)
    XCTAssertEqual(top.view, .original)
  }

  func testAnOldAnswerIsNotShown() throws {
    var screen = ImageLabScreen(image: Self.sevenOnPaper(), fileName: "seven.png")
    guard case .perform(.explain(let first)) = screen.update(.key(.char("g")), env: env) else { return XCTFail() }
    // Another model chosen before the answer: the first answer is dropped.
    _ = screen.update(.key(.char("m")), env: env)
    _ = screen.update(.key(.home), env: env)
    guard case .perform(.explain(let second)) = screen.update(.key(.enter), env: env) else {
      // Enter on the picker's first image-free entry: the built-in model.
      return XCTFail("choosing a model asks the worker")
    }
    XCTAssertNotEqual(first.id, second.id)
    _ = screen.update(.gradCAM(GradCAMWorker().compute(first)), env: env)
    XCTAssertNil(screen.explanation)
    XCTAssertTrue(screen.isComputing)
    _ = screen.update(.gradCAM(GradCAMWorker().compute(second)), env: env)
    XCTAssertNotNil(screen.explanation)
  }

  /// The runner's worker: the screen says "computing..." until the answer comes.
  func testTheAppComputesOffTheLoopAndShowsComputing() throws {
    var app = PlaygroundApp(root: ImageLabScreen(image: Self.sevenOnPaper(), fileName: "seven.png"), env: env)
    app.send(.key(.char("g")))
    let during = app.render(width: 80, height: 24).text
    if app.workers.gradCAM.isBusy {
      XCTAssertTrue(during.contains("computing..."), during)
    }
    app.waitForGradCAM()
    let after = app.render(width: 80, height: 24).text
    XCTAssertTrue(after.contains("Class: 7 (1 of 10)"), after)
    XCTAssertTrue(after.contains("Layer: conv2d_1 (map 11x11)"), after)
    XCTAssertFalse(after.contains("computing..."), after)
  }

  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lab-cam-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  /// A file that is not a model, and a model without a convolution: one line on the lab.
  func testBadModelsAreOneLineOnTheLab() throws {
    let dir = try temporaryDirectory()
    let notModel = dir.appendingPathComponent("notes.safetensors")
    try Data("this is not a model".utf8).write(to: notModel)
    let dense = dir.appendingPathComponent("dense.safetensors")
    let spec = try ModelSpecParser.parse("flatten -> dense(10,softmax)", inputShape: [28, 28, 1])
    try PretrainedModel.save(InferenceNetwork(spec: spec, randomSeed: 1), metadata: ["dataset": "mnist"], to: dense)
    for (file, expected) in [(notModel, "Grad-CAM: "), (dense, "Grad-CAM: the model has no convolutional layer to explain")] {
      for lang in [Lang.en, .es] {
        var app = PlaygroundApp(
          root: ImageLabScreen(image: Self.sevenOnPaper(), fileName: "seven.png", classifier: .file(file.path)),
          env: Env(lang: lang, theme: Theme(colored: true)))
        app.send(.key(.char("g")))
        app.waitForGradCAM()
        let text = app.render(width: 80, height: 24).text
        let lines = text.split(separator: "\n").filter { $0.contains("Grad-CAM: ") }
        XCTAssertEqual(lines.count, 1, text)
        if lang == .en {
          XCTAssertTrue(text.contains(expected), text)
        } else if file == dense {
          XCTAssertTrue(text.contains("el modelo no tiene una capa convolucional que explicar"), text)
        }
      }
    }
  }

  /// A classifier file of its own preprocessing (x/255, bilinear to 20x20x3), as classify prepares it.
  func testALoadedClassifierUsesClassifysPreparation() throws {
    let dir = try temporaryDirectory()
    let file = dir.appendingPathComponent("small.safetensors")
    let spec = try ModelSpecParser.parse("conv2d(4,3,relu) -> conv2d(6,3,relu) -> gap -> dense(3,softmax)", inputShape: [20, 20, 3])
    let net = try InferenceNetwork(spec: spec, randomSeed: 3)
    try PretrainedModel.save(net, metadata: [PretrainedModel.preprocessingKey: "tf", PretrainedModel.classesKey: "red\ngreen\nblue"], to: file)
    let photo = labSamplePicture()
    let screen = Self.explained(ImageLabScreen(image: photo, fileName: nil, classifier: .file(file.path)), env: env)
    let shown = try XCTUnwrap(screen.explanation, "\(String(describing: screen.camProblem))")
    let resized = Preprocessing.tf.resized(photo, height: 20, width: 20)
    let x = try Preprocessing.tf.apply(resized, channels: 3)
    let expected = try net.gradCAM(image: x)
    XCTAssertEqual(shown.map.values, expected.values)
    XCTAssertEqual(shown.seen, resized)
    XCTAssertEqual(shown.names, ["red", "green", "blue"])
    XCTAssertEqual(shown.model, "small.safetensors")
  }
}
