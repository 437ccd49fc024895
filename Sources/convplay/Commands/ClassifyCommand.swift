import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import ConvPretrained
import Foundation

/// `convplay classify`: what the course does with VGG16 and the tiger photo.
struct ClassifyCommand: ParsableCommand {
  static let architectures = (KerasApplications.all.map(\.name) + ApplicationGraphs.all.map(\.name)).joined(separator: "|")

  static let configuration = CommandConfiguration(
    commandName: "classify",
    abstract: localized("Classify photos with a pretrained network (Keras, PyTorch or convplay weights) or walk the shapes with random weights."),
    discussion: localized("""
      Examples:
        convplay weights fetch vgg16        (once: Keras's own file, hash checked)
        convplay classify tiger.jpg --arch vgg16
        convplay classify tiger.jpg --weights vgg16_weights_tf_dim_ordering_tf_kernels.h5
        convplay classify tiger.jpg --weights vgg16-397923af.pth --arch vgg16
        convplay classify tiger.jpg --arch vgg16 --random-weights
        convplay classify tiger.jpg --arch vgg16 --explain --explain-out cam.png
      --arch alone uses the file Keras keeps in ~/.keras/models (or $KERAS_HOME).
      The photo is resized to the network's input (nearest neighbour for 'caffe'
      weights, as Keras's load_img does; bilinear otherwise) and prepared as the
      weights say (Keras 'caffe' for VGG: RGB -> BGR, minus the ImageNet means
      103.939, 116.779, 123.68, no scaling; 'torch' for PyTorch's). With
      --random-weights the same forward pass runs on Glorot-uniform weights:
      every layer's output shape, the time and the GFLOP/s are printed, and the
      classes mean nothing.
      """))

  @Argument(help: ArgumentHelp(localized("PNG, JPEG or .npy photos."), valueName: localized("PHOTO")))
  var photos: [String]

  @Option(name: .long, help: ArgumentHelp(
    localized("Weights: a convplay model, Keras .h5/.keras, PyTorch .pth/.pt, safetensors or .npz (told by content)."), valueName: localized("FILE")))
  var weights: String?

  @Flag(name: .long, help: helpText("Random weights instead of a file (needs --arch): shows the shapes flowing through."))
  var randomWeights = false

  @Option(name: .long, help: ArgumentHelp(
    localized("vgg16, vgg19, resnet50, inceptionv3, xception, mobilenet or a model spec: the architecture of a weights file that does not name one, or of --random-weights. Alone: the weights in Keras's cache."),
    valueName: localized("name|spec")))
  var arch: String?

  @Option(name: .long, help: ArgumentHelp(localized("Input shape for a spec (default 224x224x3)."), valueName: localized("HxWxC")))
  var input: String?

  @Option(name: .long, help: ArgumentHelp(localized("Seed of the random weights."), valueName: localized("N")))
  var seed: UInt64 = 0

  @Option(name: .long, help: helpText("Override the file's preprocessing (caffe: Keras's VGG; torch: torchvision's)."))
  var preprocess: Preprocessing?

  @Option(name: .long, help: ArgumentHelp(localized("How many classes to list."), valueName: localized("N")))
  var top = 5

  @Option(name: .long, help: ArgumentHelp(localized("Write every photo's probabilities as a float32 .npy matrix (photos x classes)."), valueName: localized("FILE.npy")))
  var output: String?

  @Flag(name: .long, help: helpText("Print every layer's output shape, and the time and peak memory per photo."))
  var verbose = false

  @OptionGroup var explainOptions: ExplainOptions


  func validate() throws {
    guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    guard !photos.isEmpty else { throw ValidationError("give at least one photo") }
    if explainOptions.wanted && photos.count > 1 && (explainOptions.explainOut != nil || explainOptions.explainNpy != nil) {
      throw ValidationError("--explain-out and --explain-npy take one photo")
    }
  }

  func run() throws {
    try reportingErrors { try withPrintableErrors {
      try checkOutputs([("--output", output)], createsFolders: true)
      try explainOptions.checkOutputPaths()
      let clock = ContinuousClock()
      let network: InferenceNetwork
      var meta: [String: String] = [:]
      let loadStarted = clock.now
      switch (weights, randomWeights) {
      case (.some, true):
        throw CLIFailure("give either --weights FILE or --random-weights, not both")
      case (nil, false):
        // A network named without a file: the weights Keras keeps in its cache, if there.
        guard let arch, let published = PublishedWeights.named(arch, noTop: false) else {
          throw CLIFailure(
            "give --weights FILE (.h5, .keras, .pth, .safetensors or .npz), --arch vgg16 to use the weights "
              + "'convplay weights fetch vgg16' downloads, or --arch vgg16 --random-weights to see the shapes")
        }
        guard let cached = published.cachedFile() else {
          throw CLIFailure(
            "no \(published.fileName) in \(PublishedWeights.cacheDirectory().path): run 'convplay weights fetch \(published.architecture)' "
              + "(or copy the file there), or give --weights FILE")
        }
        (network, meta) = try loadAnyWeights(cached.path, arch: arch, input: input)
      case (.some(let file), false):
        (network, meta) = try loadAnyWeights(file, arch: arch, input: input)
      case (nil, true):
        guard let arch else { throw CLIFailure("--random-weights needs --arch \(Self.architectures)|SPEC") }
        let (_, graph, preprocessing) = try resolveGraph(arch, input: input)
        network = try InferenceNetwork(graph: graph, randomSeed: seed)
        meta[PretrainedModel.preprocessingKey] = preprocessing.rawValue
      }
      let loadSeconds = (clock.now - loadStarted).seconds
      let preprocessing = preprocess
        ?? Preprocessing(rawValue: meta[PretrainedModel.preprocessingKey] ?? "") ?? .unit
      let inShape = network.inputShape
      guard inShape.count == 3 else {
        throw CLIFailure("classify takes networks whose input is an image (HxWxC); this one takes \(ShapeText.compact(inShape))")
      }
      let classes = network.outputShape.reduce(1, *)
      // ImageNet's ids beside the names every classifier gets (a convplay model's data set's).
      let ids = PretrainedModel.classNames(metadata: meta, classes: classes).map(\.id)
      let names: [(id: String, name: String)] = Array(zip(ids, PhotoClassifier.classNames(metadata: meta, classes: classes)))
      let weightBytes = network.parameterCount * 4
      let showShapes = verbose || randomWeights
      let nameWidth = max(16, (network.layers.map(\.name.count).max() ?? 0) + 2)
      let classWidth = max(20, (network.layers.map(\.node.kerasClass.count).max() ?? 0) + 2)
      if randomWeights {
        print("\(network.layers.count) layers, \(NumberText.grouped(network.parameterCount)) random weights "
          + "(\(megabytes(weightBytes))), drawn in \(String(format: "%.2f", loadSeconds)) s (seed \(seed))")
      } else if verbose {
        print("\(weights!): \(NumberText.grouped(network.parameterCount)) weights (\(megabytes(weightBytes))), loaded in \(String(format: "%.2f", loadSeconds)) s")
      }
      var allScores: [Float] = []
      for photo in photos {
        let started = clock.now
        let decoded = try ImageFile.read(photo)
        let x: [Float]
        let resized: Image
        do { (x, resized) = try ClassifierInput.photo(preprocessing).prepare(decoded.image, inputShape: inShape) } catch let e as ClassifierInput.Failure {
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
        // Without --verbose the fused steps run (the same probabilities, faster); --verbose
        // runs the layers one by one to time and show each.
        let probabilities = !showShapes ? network.forward(x, batch: 1) : network.forward(x, batch: 1) { report, _ in
          flops += report.flops
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
        if let last = network.layers.last?.runtime as? any ActivatedRuntime, last.activation == .linear {
          scores = Activation.softmax.apply(scores, width: classes)
        }
        allScores += scores
        if randomWeights { print("random weights: the classes below mean nothing yet") }
        let ranked = DigitPreprocessing.top(min(top, classes), of: scores)
        let width = ranked.map { names[$0.label].name.count }.max() ?? 1
        for (rank, entry) in ranked.enumerated() {
          let (id, name) = names[entry.label]
          print("\(rank + 1). \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(NumberText.probability(entry.probability))"
            + (id.isEmpty ? "" : "  \(id)"))
        }
        if explainOptions.wanted {
          let classNames = names.map(\.name)
          let map = try network.gradCAM(
            image: x, classIndex: try explainOptions.classIndex(names: classNames),
            layerIndex: try explainOptions.layerIndex(network.layers))
          try explainOptions.report(map, image: resized, names: classNames, lang: CommandLineLanguage.current)
        }
        if showShapes {
          print(String(
            format: "time: %.3f s (forward pass %.3f s: %.2f GFLOP, %.1f GFLOP/s); peak memory %@ (weights %@)",
            total, forwardSeconds, flops / 1e9, flops / 1e9 / max(forwardSeconds, 1e-9),
            megabytes(peakMemoryBytes()), megabytes(weightBytes)))
        }
      }
      if let output {
        // One row per photo, in the order given; written whole or not at all.
        let bytes = NumPyFile.encode(allScores, shape: [photos.count, classes])
        try AtomicFile.write(Data(bytes), to: URL(fileURLWithPath: output))
        if showShapes { print("probabilities (\(photos.count) x \(classes), float32) written to \(output)") }
      }
      if randomWeights {
        print("""
          These weights are random. To classify for real, use the published ones:
            convplay weights fetch vgg16        (or copy vgg16_weights_tf_dim_ordering_tf_kernels.h5 into ~/.keras/models)
            convplay classify PHOTO --arch vgg16
          """)
      }
    } }
  }
}
