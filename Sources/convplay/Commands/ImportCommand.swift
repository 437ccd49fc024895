import ArgumentParser
import ConvData
import ConvKit
import ConvPretrained
import Foundation

/// `convplay import`: Keras or PyTorch weights into convplay's model format.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: localized("Bring trained Keras or PyTorch weights (.h5, .keras, .pth, safetensors, .npz) into convplay's model format."),
    discussion: localized("""
      Examples:
        convplay import vgg16_weights_tf_dim_ordering_tf_kernels.h5 --arch vgg16 -o vgg16.safetensors
        convplay import vgg16-397923af.pth --arch vgg16 -o vgg16.safetensors
        convplay import vgg16_keras.npz --arch vgg16 -o vgg16.safetensors
        convplay import vgg16_torch.npz --arch vgg16 --from pytorch -o vgg16.safetensors
        convplay import small.npz --arch model.txt --input 32x32x3 -o small.safetensors
      Keras kernels are (height, width, in, out), PyTorch's (out, in, height,
      width); Dense (in, out) against Linear (out, in); PyTorch flattens channels
      first, so the first Dense after a Flatten has its rows reordered. Every
      tensor's shape is checked; the first that does not fit is named. Tensors
      find their layers by Keras name (block1_conv1/kernel:0), by torchvision's
      VGG names (features.0.weight, classifier.0.weight), or else in order.
      Keras .h5/.keras files are matched layer by layer in Keras's weight order;
      PyTorch .pth files are read without Python (only a state dict's pickle
      opcodes; any other Python global is refused, never run). The format is
      told by content, not by the file name.
      """))

  @Argument(help: ArgumentHelp(localized("Weights: Keras .h5/.keras, PyTorch .pth/.pt, safetensors or NumPy .npz."), valueName: localized("WEIGHTS")))
  var weights: String

  @Option(name: .long, help: ArgumentHelp(localized("vgg16, vgg19, resnet50, inceptionv3, xception, mobilenet, or a model spec (text or file); not needed for a whole Keras model."), valueName: localized("name|spec")))
  var arch: String?

  @Option(name: .long, help: ArgumentHelp(localized("Input shape for a spec (default 224x224x3)."), valueName: localized("HxWxC")))
  var input: String?

  @Option(name: .long, help: helpText("Where the weights come from (default: guessed from the tensor names)."))
  var from: WeightLayout?

  @Option(name: .long, help: helpText("Override the file's preprocessing (caffe: Keras's VGG; torch: torchvision's)."))
  var preprocess: Preprocessing?

  @Option(name: .long, help: ArgumentHelp(localized("imagenet, or a text file with one class name per line."), valueName: localized("names")))
  var classes: String?

  @Option(name: [.customShort("o"), .long], help: ArgumentHelp(localized("Where to write the model (.safetensors)."), valueName: localized("FILE")))
  var output: String

  @Flag(name: .long, help: helpText("Print which file tensor became which layer weight."))
  var verbose = false

  func run() throws {
    try reportingErrors { try withPrintableErrors {
      try checkOutputs([("--output", output)], createsFolders: true)
      // Networks with branches (resnet50, mobilenet, a spec with add/concatenate) and full
      // Keras models (which state their own architecture) go through the loader every
      // command shares; plain stacks keep the name-and-layout matching below.
      guard let arch, let (archName, spec) = try plainStack(arch) else { return try importGraph() }
      let url = URL(fileURLWithPath: weights)
      let clock = ContinuousClock()
      let started = clock.now
      var contents = try WeightImport.readFile(url)
      guard !contents.tensors.isEmpty || !(contents.layers ?? []).allSatisfy({ $0.tensors.isEmpty }) else {
        throw CLIFailure("\(weights): the file holds no tensors")
      }
      var forced: WeightLayout? = nil
      if let from {
        forced = from
      }
      guard let layout = forced ?? contents.layout ?? WeightImport.guessLayout(contents.tensors) else {
        throw CLIFailure("\(weights): cannot tell whether these are Keras or PyTorch weights: give --from keras or --from pytorch")
      }
      let preprocessing = preprocess
        ?? (archName == nil ? .unit : layout == .keras ? .caffe : .torch)
      var classList: String? = nil
      if let classes {
        if classes.lowercased() == "imagenet" {
          classList = "imagenet"
        } else {
          let names = TextLines.split(try readText(classes)).map(String.init).filter { !$0.isEmpty }
          let outputs = try spec.outputShape().reduce(1, *)
          guard names.count == outputs else {
            throw CLIFailure("\(classes): \(names.count) class names, the network has \(outputs) outputs")
          }
          classList = names.joined(separator: "\n")
        }
      }
      let named = contents.tensors.map { ($0.name, $0.shape) } + (contents.layers ?? []).flatMap { $0.tensors.map { ($0.name, $0.shape) } }
      let shapes = Dictionary(named, uniquingKeysWith: { a, _ in a })
      let (converted, matches, _) = try WeightImport.convert(&contents, spec: spec, layout: layout, architecture: archName)
      let network = try InferenceNetwork(spec: spec, weights: converted)
      var meta = [
        PretrainedModel.preprocessingKey: preprocessing.rawValue,
        "imported_from": url.lastPathComponent,
        "imported_layout": layout.rawValue,
      ]
      if let archName { meta["architecture_name"] = archName }
      if let classList { meta[PretrainedModel.classesKey] = classList }
      try PretrainedModel.save(network, metadata: meta, to: URL(fileURLWithPath: output))
      if verbose {
        let width = matches.map(\.source.count).max() ?? 0
        for m in matches {
          let slot = network.slots.first { $0.name == m.target }!
          print("  \(m.source.padding(toLength: width, withPad: " ", startingAt: 0))  \(ShapeText.tuple(shapes[m.source] ?? []))  ->  \(m.target)  \(ShapeText.tuple(slot.shape))")
        }
      }
      let seconds = (clock.now - started).seconds
      print("imported \(matches.count) tensors, \(NumberText.grouped(network.parameterCount)) weights (\(layout.rawValue) layout) "
        + "into \(output) in \(String(format: "%.1f", seconds)) s")
      print("preprocessing for classify: \(preprocessing.rawValue) (\(preprocessing.explanation))")
    } }
  }

  /// `--arch` as a plain stack (vgg16, vgg19, a Sequential spec), nil for a graph.
  private func plainStack(_ arch: String) throws -> (name: String?, spec: SequentialSpec)? {
    let a = try weightsArchitecture(arch, input: input)
    guard ApplicationGraphs.named(arch) == nil || KerasApplications.named(arch) != nil, a.graph.sequential != nil else {
      return nil
    }
    return try resolveArchitecture(arch, input: input)
  }

  /// A graph network's weights (Keras's files layer by layer) or a whole Keras model, read by
  /// `WeightsLoader`, written as a convplay model file.
  private func importGraph() throws {
    if from == .pytorch {
      throw CLIFailure("\(weights): PyTorch weights fit plain stacks (vgg16, vgg19, a Sequential spec); a network with branches reads Keras's .h5 or .keras files")
    }
    let url = URL(fileURLWithPath: weights)
    let clock = ContinuousClock()
    let started = clock.now
    let loaded = try loadWeightsFile(weights, arch: arch, input: input)
    let network = try InferenceNetwork(graph: loaded.graph, weights: loaded.weights)
    var meta = loaded.metadata
    let preprocessing = preprocess ?? meta[PretrainedModel.preprocessingKey].flatMap(Preprocessing.init(rawValue:)) ?? .unit
    meta[PretrainedModel.preprocessingKey] = preprocessing.rawValue
    meta["imported_from"] = url.lastPathComponent
    meta["imported_layout"] = WeightLayout.keras.rawValue
    if let name = arch.flatMap({ WeightsArchitecture.application($0)?.name }) { meta["architecture_name"] = name }
    if let classes {
      let outputs = network.outputShape.reduce(1, *)
      if classes.lowercased() == "imagenet" {
        meta[PretrainedModel.classesKey] = "imagenet"
      } else {
        let names = TextLines.split(try readText(classes)).map(String.init).filter { !$0.isEmpty }
        guard names.count == outputs else {
          throw CLIFailure("\(classes): \(names.count) class names, the network has \(outputs) outputs")
        }
        meta[PretrainedModel.classesKey] = names.joined(separator: "\n")
      }
    }
    try PretrainedModel.save(network, metadata: meta, to: URL(fileURLWithPath: output))
    if verbose {
      for s in network.slots { print("  \(s.name)  \(ShapeText.tuple(s.shape))") }
    }
    let seconds = (clock.now - started).seconds
    print("imported \(network.slots.count) tensors, \(NumberText.grouped(network.parameterCount)) weights (keras layout, "
      + "\(network.layers.count) layers) into \(output) in \(String(format: "%.1f", seconds)) s")
    print("preprocessing for classify: \(preprocessing.rawValue) (\(preprocessing.explanation))")
  }
}
