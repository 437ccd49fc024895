import ConvData
import ConvImageIO
import ConvKit
import ConvPretrained
import Foundation

/// A model as the summary screen shows it: its walk (ConvKit's `SummaryWalk`: the rows of
/// Keras's table with shapes, counts and formulas) and, for a model with weights and an input
/// picture, what every layer makes of that picture.
public struct SummaryModel: Sendable {
  public var walk: SummaryWalk
  /// Where it came from, for the title bar and the picker (`vgg16`, `model.safetensors`).
  public var label: String
  /// The picture fed to the network (as the network sees it: resized, scaled back to 0-255).
  var input: Picture?
  /// Says what the input is (the file, or the built-in drawn digit).
  public var inputNote: String?
  /// Per layer index of the sequential spec: the first channels of its output as gray planes
  /// (image-shaped outputs), or its values (flat outputs).
  public var activations: [LayerActivation]
  /// Why there are no activations although an image was given (no weights, a bad image).
  public var problem: String?
  /// Names of the last layer's outputs when the file says what they are (ImageNet's classes).
  public var classNames: [String]?

  public init(walk: SummaryWalk, label: String) {
    self.walk = walk
    self.label = label
    activations = []
  }

  public var hasActivations: Bool { !activations.isEmpty }
}

/// What one layer produced for the input picture.
public enum LayerActivation: Sendable, Equatable {
  /// The first channels of an `[H, W, C]` output (at most `SummaryModel.mapLimit`), averaged
  /// down to at most `SummaryModel.mapSide` pixels a side; `channels` is the layer's full depth.
  case maps([GrayPlane], channels: Int, height: Int, width: Int)
  /// A flat output (Flatten, Dense): its values.
  case values([Float])
}

extension SummaryModel {
  /// Channels kept per layer, and the longest side a kept map is averaged down to: enough for
  /// any screen, small enough that VGG16's 224x224x64 layers cost little memory.
  public static let mapLimit = 32
  public static let mapSide = 56

  /// Runs `network` on `pixels` (`[H, W, C]` in the network's own scale) one layer at a time
  /// and keeps each layer's output for the screen. The same `forward` calls as `predict`.
  public mutating func record(_ network: Network, pixels: [Float]) {
    var out: [LayerActivation] = []
    _ = network.inspect(Tensor(shape: [1] + network.inputShape, scalars: pixels)) { report, x in
      out.append(SummaryModel.activation(of: x.scalars, shape: report.outputShape))
    }
    activations = withInputRow(out, pixels: pixels, shape: network.inputShape)
  }

  /// The same for a network loaded for inference (`convplay import`'s files, which can be as
  /// large as VGG16): each layer's output is kept, reduced, as the forward pass produces it.
  public mutating func record(_ network: InferenceNetwork, pixels: [Float]) {
    var out: [LayerActivation] = []
    _ = network.forward(pixels, batch: 1) { report, values in
      out.append(SummaryModel.activation(of: values, shape: report.outputShape))
    }
    activations = withInputRow(out, pixels: pixels, shape: network.inputShape)
  }

  /// A graph's walk counts its input node as row index 0: the picture itself stands there.
  func withInputRow(_ layers: [LayerActivation], pixels: [Float], shape: FeatureShape) -> [LayerActivation] {
    guard case .graph = walk.source else { return layers }
    return [SummaryModel.activation(of: pixels, shape: shape)] + layers
  }

  /// A Sequential model's walk (no input row, as Keras's Sequential summary), or a graph's.
  static func walk(_ graph: GraphSpec, name: String) throws -> SummaryWalk {
    if let s = graph.sequential { return try SummaryWalk(s, name: name) }
    return try SummaryWalk(graph)
  }

  static func activation(of s: [Float], shape: FeatureShape) -> LayerActivation {
    guard shape.count == 3 else { return .values(Array(s.prefix(65_536))) }
    let (h, w, c) = (shape[0], shape[1], shape[2])
    let f = max(1, (max(h, w) + mapSide - 1) / mapSide)
    let (ph, pw) = ((h + f - 1) / f, (w + f - 1) / f)
    let planes = (0..<min(c, mapLimit)).map { ch -> GrayPlane in
      var v = [Float](repeating: 0, count: ph * pw)
      for y in 0..<ph {
        for x in 0..<pw {
          var sum: Float = 0
          var n: Float = 0
          for yy in (y * f)..<min(h, y * f + f) {
            for xx in (x * f)..<min(w, x * f + f) {
              sum += s[(yy * w + xx) * c + ch]
              n += 1
            }
          }
          v[y * pw + x] = sum / max(n, 1)
        }
      }
      return GrayPlane(width: pw, height: ph, values: v)
    }
    return .maps(planes, channels: c, height: h, width: w)
  }
}

/// The models the summary screen offers, and how a name, spec or file given on the command
/// line becomes a `SummaryModel`.
public enum SummaryModels {
  public struct Choice: Sendable {
    /// Name typed on the command line (`--model vgg16`).
    public var name: String
    /// Input shape, shown in the picker.
    public var input: FeatureShape
    public var total: Int
    public var summary: String
    let make: @Sendable () throws -> SummaryModel
    public func load() throws -> SummaryModel { try make() }

    /// The one-line description in the playground's language (ConvKit's are English; the
    /// Spanish table has them).
    public func summary(in lang: Lang) -> String {
      lang == .es ? Spanish.line(summary) : summary
    }
  }

  static let cifar: FeatureShape = [32, 32, 3]


  /// The course's models (ModelZoo), two of them on CIFAR-10's colour images, the built-in
  /// trained digits model, and keras.applications' architectures.
  public static let all: [Choice] = {
    var out: [Choice] = []
    func add(_ name: String, _ summary: String, _ make: @escaping @Sendable () throws -> SummaryModel) {
      guard let m = try? make() else { return }
      out.append(Choice(name: name, input: m.walk.inputShape, total: m.walk.totals.total, summary: summary, make: make))
    }
    for e in ModelZoo.all {
      add(e.name, e.summary) { SummaryModel(walk: try SummaryWalk(e.spec, name: e.name), label: e.name) }
    }
    for name in ["cnn", "convnet"] {
      guard let e = ModelZoo.named(name) else { continue }
      // As `train --dataset cifar10` builds them: the same layers on 32x32x3.
      let spec = SequentialSpec(inputShape: cifar, layers: e.spec.layers)
      add(name + "-cifar10", "\(name) on CIFAR-10's 32x32 colour images (train --model \(name) --dataset cifar10)") {
        SummaryModel(walk: try SummaryWalk(spec, name: name), label: name + "-cifar10")
      }
    }
    add("digits", "the built-in trained digits model (Keras's mnist_convnet), with its weights") {
      try digitsModel(image: nil)
    }
    for e in KerasApplications.all {
      add(e.name, e.summary) {
        SummaryModel(walk: try SummaryWalk(e.spec, name: e.name, inputLayer: e.inputLayerName), label: e.name)
      }
    }
    for e in ApplicationGraphs.all {
      add(e.name, e.summary) { SummaryModel(walk: try SummaryWalk(e.make()), label: e.name) }
    }
    return out
  }()

  public static func named(_ name: String) -> Choice? {
    let n = name.lowercased()
    return all.first { $0.name == n } ?? ApplicationGraphs.named(n).flatMap { g in all.first { $0.name == g.name } }
  }

  /// The built-in digits model with its activations for `image` (nil: a drawn 7).
  public static func digitsModel(image: Image?, imageName: String? = nil) throws -> SummaryModel {
    let (network, _) = try DefaultModel.load()
    return try withWeights(network, label: "digits", image: image, imageName: imageName)
  }

  /// A network with weights: its walk (trainable flags as saved) and the activations of
  /// `image`, prepared as `convplay predict` prepares a digit for a 28x28x1 network, or resized
  /// and scaled to 0-1 (as the data sets are) for other inputs. Without an image a 28x28x1
  /// network gets the built-in drawn 7 and a colour network the image lab's sample picture.
  public static func withWeights(_ network: Network, label: String, image: Image?, imageName: String? = nil) throws
    -> SummaryModel
  {
    var model = SummaryModel(walk: try SummaryModel.walk(network.graph, name: label), label: label)
    guard let pixels = prepare(&model, shape: network.inputShape, image: image, imageName: imageName, preprocessing: .unit)
    else { return model }
    model.record(network, pixels: pixels)
    return model
  }

  /// A model file loaded for inference (`PretrainedModel.load`: a file saved by `train`,
  /// `finetune` or `import`), its picture prepared with the preprocessing the file names
  /// (Keras's 'caffe' for an imported VGG16; x/255 for convplay's own), the outputs named by
  /// its classes (ImageNet's for a 1000-class import).
  public static func withWeights(
    _ url: URL, architecture: WeightsArchitecture? = nil, image: Image?, imageName: String?
  ) throws -> SummaryModel {
    // The loader every --weights goes through: convplay files, Keras full models, and, on an
    // architecture, Keras weights, PyTorch .pth, .npz and bare safetensors.
    let loaded = try WeightsLoader.load(url, architecture: architecture)
    let network = try InferenceNetwork(graph: loaded.graph, weights: loaded.weights)
    let metadata = loaded.metadata
    let label = url.lastPathComponent
    var model = SummaryModel(walk: try SummaryModel.walk(network.graph, name: label), label: label)
    let preprocessing = metadata[PretrainedModel.preprocessingKey].flatMap { Preprocessing(rawValue: $0) } ?? .unit
    guard let pixels = prepare(&model, shape: network.inputShape, image: image, imageName: imageName, preprocessing: preprocessing)
    else { return model }
    model.record(network, pixels: pixels)
    let classes = network.outputShape.reduce(1, *)
    let names = PretrainedModel.classNames(metadata: metadata, classes: classes).map(\.name)
    if names.first != "class 0" { model.classNames = names }
    return model
  }

  /// The network's input for `image` (nil: the drawn 7 or the lab's sample), and the picture
  /// the screen shows. A 28x28x1 network gets a digit prepared as `convplay predict` prepares
  /// one; others the image resized (`Preprocessing.resized`: nearest for caffe, else bilinear) and put through `preprocessing`. Sets
  /// `model.problem` and returns nil when the image cannot be used.
  static func prepare(
    _ model: inout SummaryModel, shape: FeatureShape, image: Image?, imageName: String?, preprocessing: Preprocessing
  ) -> [Float]? {
    guard shape.count == 3, shape[2] == 1 || shape[2] == 3 else {
      model.problem = "the network takes \(ShapeText.compact(shape)) inputs, not an image"
      return nil
    }
    let (h, w, c) = (shape[0], shape[1], shape[2])
    if h == 28 && w == 28 && c == 1 && (preprocessing == .unit) {
      let pixels: [Float]
      if let image {
        let gray = GrayMethod.luminance.convert(image)
        do {
          pixels = try DigitPreprocessing.mnistStyle(gray: gray.samples, width: gray.width, height: gray.height)
        } catch let e as DigitPreprocessing.Failure {
          model.problem = (imageName.map { $0 + ": " } ?? "") + e.description
          return nil
        } catch {
          model.problem = String(describing: error)
          return nil
        }
        model.inputNote = imageName
      } else {
        pixels = drawnSeven()
        model.inputNote = "drawn 7"
      }
      model.input = Picture(Image(width: 28, height: 28, channels: 1, samples: pixels.map { min(255, max(0, $0 * 255)) }))
      return pixels
    }
    var source = image ?? labSamplePicture()
    if c == 1 && source.channels != 1 { source = GrayMethod.luminance.convert(source) }
    let resized = preprocessing.resized(source, height: h, width: w)
    do {
      let pixels = try preprocessing.apply(resized, channels: c)
      model.input = Picture(resized)
      model.inputNote = imageName ?? "sample picture"
      return pixels
    } catch {
      model.problem = (imageName.map { $0 + ": " } ?? "") + String(describing: error)
      return nil
    }
  }

  /// A 7 drawn with two strokes on a 28x28 canvas, already as MNIST centres digits (light on
  /// black, 0-1): the input the digits model shows when no picture is given.
  static func drawnSeven() -> [Float] {
    var v = [Float](repeating: 0, count: 28 * 28)
    func dot(_ x: Double, _ y: Double) {
      for yy in 0..<28 {
        for xx in 0..<28 {
          let d = ((Double(xx) - x) * (Double(xx) - x) + (Double(yy) - y) * (Double(yy) - y)).squareRoot()
          let value = Float(max(0, min(1, 2.2 - d)))
          v[yy * 28 + xx] = max(v[yy * 28 + xx], value)
        }
      }
    }
    for i in 0...24 { dot(8 + Double(i) * 0.5, 7) }  // the bar
    for i in 0...40 {  // the stem, down and to the left
      let t = Double(i) / 40
      dot(20 - 7 * t, 7 + 15 * t)
    }
    return v
  }

  /// A model from the command line: a name (see `all`), a saved model file (safetensors with a
  /// convplay architecture), or a spec (text, or a file holding one) on `inputShape`.
  public static func resolve(_ text: String, inputShape: FeatureShape?, image: Image?, imageName: String?) throws
    -> SummaryModel
  {
    if let choice = named(text) {
      if inputShape != nil && ModelZoo.named(choice.name) == nil {
        throw SummaryModelError("--input applies to a spec or a course model; \(choice.name) has its own input shape")
      }
      if choice.name == "digits" { return try digitsModel(image: image, imageName: imageName) }
      var m = try choice.load()
      if let inputShape, let zoo = ModelZoo.named(choice.name) {
        // A course model on another input, as `train --model cnn --dataset cifar10` does.
        let spec = try ModelResolver.resolve(zoo.name, inputShape: inputShape, classes: nil).spec
        m = SummaryModel(walk: try SummaryWalk(spec, name: choice.name), label: choice.name)
      }
      if image != nil { m.problem = "--image: \(choice.name) has no weights; feature maps need a saved model file" }
      return m
    }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory), !isDirectory.boolValue {
      let url = URL(fileURLWithPath: text)
      // Only the start of the file decides: a saved model (VGG16's is 553 MB) is read once, by
      // PretrainedModel, one tensor at a time.
      let handle: FileHandle
      do { handle = try InputFile.handle(text) } catch { throw SummaryModelError(error.description) }
      let head = handle.readData(ofLength: 4096)
      let size = Int(handle.seekToEndOfFile())
      handle.closeFile()
      // A binary file is a saved model or nothing: the loader says what is wrong with it.
      if looksLikeSafetensors(head, fileSize: size) || url.pathExtension.lowercased() == "safetensors" || head.contains(0) {
        if inputShape != nil { throw SummaryModelError("--input applies to a spec; a saved model has its own input shape") }
        return try withWeights(url, image: image, imageName: imageName)
      }
      guard let data = try? InputFile.data(text, limit: 1 << 20), let spec = String(data: data, encoding: .utf8) else { throw SummaryModelError("\(text): neither a model spec nor a saved model") }
      return try fromSpec(spec, source: text, label: url.deletingPathExtension().lastPathComponent, inputShape: inputShape, image: image)
    }
    guard text.contains("(") || text.contains("->") || text.contains("\n") || ModelSpecParser.layerNames.contains(where: { text.lowercased().hasPrefix($0.name) }) else {
      throw SummaryModelError("unknown model '\(text)': choose one of \(all.map(\.name).joined(separator: ", ")), a saved model file, or a spec such as \"conv2d(32,3,relu) -> flatten -> dense(10,softmax)\"")
    }
    return try fromSpec(text, source: nil, label: "model", inputShape: inputShape, image: image)
  }

  static func fromSpec(_ text: String, source: String?, label: String, inputShape: FeatureShape?, image: Image?) throws
    -> SummaryModel
  {
    do {
      let spec = try ModelSpecParser.parse(text, inputShape: inputShape ?? [28, 28, 1])
      var m = SummaryModel(walk: try SummaryWalk(spec, name: label), label: label)
      if image != nil { m.problem = "--image: a spec has no weights; feature maps need a saved model file" }
      return m
    } catch let e as ModelSpecParseError {
      throw SummaryModelError((source.map { $0 + ": " } ?? "model spec: ") + e.description)
    }
  }

  /// Safetensors starts with the header's length (8 bytes, little endian) and then `{`.
  static func looksLikeSafetensors(_ head: Data, fileSize: Int) -> Bool {
    guard head.count > 9 else { return false }
    var n: UInt64 = 0
    for i in 0..<8 { n |= UInt64(head[head.startIndex + i]) << (8 * UInt64(i)) }
    return n > 0 && n <= UInt64(max(0, fileSize - 8)) && head[head.startIndex + 8] == UInt8(ascii: "{")
  }
}

/// A model that cannot be opened, in one sentence.
public struct SummaryModelError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
