import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import ConvPretrained
import Foundation

/// `convplay classify`: what the course does with VGG16 and the tiger photo.
struct ClassifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "classify",
    abstract: "Classify photos with a pretrained network (imported weights) or walk the shapes with random weights.",
    discussion: """
      Examples:
        convplay classify tiger.jpg --weights vgg16.safetensors
        convplay classify tiger.jpg --arch vgg16 --random-weights
      The first prints one line per class, as Keras's decode_predictions: rank, class
      name, probability, WordNet id. (The course's Keras notebook reads tiger 0.92,
      tiger_cat 0.077, jaguar 0.003 for its photo; that is Keras's output, not a run
      of convplay.)
      The photo is resized to the network's input (nearest neighbour for 'caffe'
      weights, as Keras's load_img does; bilinear otherwise) and prepared as the
      weights file says (Keras 'caffe' for VGG: RGB -> BGR, minus the ImageNet
      means 103.939, 116.779, 123.68, no scaling). Weights come from 'convplay
      import'. With --random-weights the same forward pass runs on Glorot-uniform
      weights: every layer's output shape, the time and the GFLOP/s are printed,
      and the classes mean nothing.
      """)

  @Argument(help: ArgumentHelp("PNG, JPEG or .npy photos.", valueName: "PHOTO"))
  var photos: [String]

  @Option(name: .long, help: ArgumentHelp("A model from 'convplay import'.", valueName: "FILE"))
  var weights: String?

  @Flag(name: .long, help: "Random weights instead of a file (needs --arch): shows the shapes flowing through.")
  var randomWeights = false

  @Option(name: .long, help: ArgumentHelp("With --random-weights: vgg16, vgg19 or a model spec.", valueName: "name|spec"))
  var arch: String?

  @Option(name: .long, help: ArgumentHelp("Input shape for a spec (default 224x224x3).", valueName: "HxWxC"))
  var input: String?

  @Option(name: .long, help: ArgumentHelp("Seed of the random weights.", valueName: "N"))
  var seed: UInt64 = 0

  @Option(name: .long, help: "Override the file's preprocessing (caffe: Keras's VGG; torch: torchvision's).")
  var preprocess: Preprocessing?

  @Option(name: .long, help: ArgumentHelp("How many classes to list.", valueName: "N"))
  var top = 5

  @Flag(name: .long, help: "Print every layer's output shape, and the time and peak memory per photo.")
  var verbose = false

  func validate() throws {
    guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    guard !photos.isEmpty else { throw ValidationError("give at least one photo") }
  }

  func run() throws {
    try reportingErrors { try withPrintableErrors {
      let clock = ContinuousClock()
      let network: InferenceNetwork
      var meta: [String: String] = [:]
      let loadStarted = clock.now
      switch (weights, randomWeights) {
      case (.some, true):
        throw CLIFailure("give either --weights FILE or --random-weights, not both")
      case (nil, false):
        throw CLIFailure(
          "give --weights FILE (from 'convplay import'), or --arch vgg16 --random-weights to see the shapes; "
            + "docs/scripts/export_vgg16_keras.py exports real weights")
      case (.some(let file), false):
        if arch != nil { throw CLIFailure("--arch goes with --random-weights; a weights file names its own architecture") }
        (network, meta) = try PretrainedModel.load(URL(fileURLWithPath: file))
      case (nil, true):
        guard let arch else { throw CLIFailure("--random-weights needs --arch vgg16|vgg19|SPEC") }
        let (name, spec) = try resolveArchitecture(arch, input: input)
        network = try InferenceNetwork(spec: spec, randomSeed: seed)
        meta[PretrainedModel.preprocessingKey] = name == nil ? Preprocessing.unit.rawValue : Preprocessing.caffe.rawValue
      }
      let loadSeconds = (clock.now - loadStarted).seconds
      let preprocessing = preprocess
        ?? Preprocessing(rawValue: meta[PretrainedModel.preprocessingKey] ?? "") ?? .unit
      let inShape = network.inputShape
      guard inShape.count == 3 else {
        throw CLIFailure("classify takes networks whose input is an image (HxWxC); this one takes \(ShapeText.compact(inShape))")
      }
      let classes = network.outputShape.reduce(1, *)
      var names = PretrainedModel.classNames(metadata: meta, classes: classes)
      // A model trained by convplay names its data set; its classes name the outputs.
      if meta[PretrainedModel.classesKey] == nil, let data = meta["dataset"].flatMap(Dataset.init(rawValue:)),
        data.classNames.count == classes
      {
        names = data.classNames.map { ("", $0) }
      }
      let weightBytes = network.parameterCount * 4
      let showShapes = verbose || randomWeights
      let nameWidth = max(16, (network.spec.layers.map(\.name.count).max() ?? 0) + 2)
      let classWidth = max(20, (network.spec.layers.map(\.kind.kerasClass.count).max() ?? 0) + 2)
      if randomWeights {
        print("\(network.spec.layers.count) layers, \(NumberText.grouped(network.parameterCount)) random weights "
          + "(\(megabytes(weightBytes))), drawn in \(String(format: "%.2f", loadSeconds)) s (seed \(seed))")
      } else if verbose {
        print("\(weights!): \(NumberText.grouped(network.parameterCount)) weights (\(megabytes(weightBytes))), loaded in \(String(format: "%.2f", loadSeconds)) s")
      }
      for photo in photos {
        let started = clock.now
        let decoded = try ImageFile.read(photo)
        let resized = preprocessing.resized(decoded.image, height: inShape[0], width: inShape[1])
        let x: [Float]
        do { x = try preprocessing.apply(resized, channels: inShape[2]) } catch let e as ImportError {
          throw CLIFailure("\(photo): \(e.description)")
        }
        if photos.count > 1 || showShapes { print("\(photo):") }
        if showShapes {
          print("  \(decoded.image.summary) -> resized to \(inShape[1])x\(inShape[0]), preprocessing \(preprocessing.rawValue): \(preprocessing.explanation)")
          print("  " + "input".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "InputLayer".padding(toLength: classWidth, withPad: " ", startingAt: 0)
            + ShapeText.tuple([1] + inShape))
        }
        var flops = 0.0
        let forwardStarted = clock.now
        let probabilities = network.forward(x, batch: 1) { report, _ in
          flops += report.flops
          guard showShapes else { return }
          let shape = ShapeText.tuple([1] + report.outputShape).padding(toLength: 20, withPad: " ", startingAt: 0)
          let cost = report.flops > 0 ? String(format: "%7.2f GFLOP", report.flops / 1e9) : String(repeating: " ", count: 13)
          print("  " + report.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            + report.kerasClass.padding(toLength: classWidth, withPad: " ", startingAt: 0) + shape + cost
            + String(format: "  %8.1f ms", report.seconds * 1000))
        }
        let forwardSeconds = (clock.now - forwardStarted).seconds
        let total = (clock.now - started).seconds
        // A linear last layer gives logits (PyTorch's classifiers): softmax makes them probabilities.
        var scores = probabilities
        if case .dense(_, let a, _) = network.spec.layers.last?.kind, a == .linear {
          scores = Activation.softmax.apply(scores, width: classes)
        }
        if randomWeights { print("random weights: the classes below mean nothing yet") }
        let ranked = DigitPreprocessing.top(min(top, classes), of: scores)
        let width = ranked.map { names[$0.label].name.count }.max() ?? 1
        for (rank, entry) in ranked.enumerated() {
          let (id, name) = names[entry.label]
          print("\(rank + 1). \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(format: "%.4f", entry.probability))"
            + (id.isEmpty ? "" : "  \(id)"))
        }
        if showShapes {
          print(String(
            format: "time: %.3f s (forward pass %.3f s: %.2f GFLOP, %.1f GFLOP/s); peak memory %@ (weights %@)",
            total, forwardSeconds, flops / 1e9, flops / 1e9 / max(forwardSeconds, 1e-9),
            megabytes(peakMemoryBytes()), megabytes(weightBytes)))
        }
      }
      if randomWeights {
        print("""
          These weights are random. To classify for real, export trained weights and import them:
            python3 docs/scripts/export_vgg16_keras.py vgg16_keras.npz     (Keras: VGG16(weights="imagenet"))
            python3 docs/scripts/export_vgg16_torch.py vgg16_torch.npz     (PyTorch: torchvision vgg16)
            convplay import vgg16_keras.npz --arch vgg16 --from keras -o vgg16.safetensors
            convplay classify PHOTO --weights vgg16.safetensors
          """)
      }
    } }
  }
}
