import ArgumentParser
import ConvData
import ConvImageIO
import ConvKit
import ConvPretrained
import Foundation

/// `convplay summary`: Keras's `model.summary()` for a spec text, a spec file or a named model.
struct SummaryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "summary",
    abstract: localized("Print a model's layers, output shapes and parameter counts, as Keras's model.summary()."),
    discussion: localized("""
      Examples:
        convplay summary --spec "conv2d(64,3,relu) -> flatten -> dense(10,softmax)" --input 28x28x1
        convplay summary --spec model.txt          (one layer per line, # comments)
        convplay summary --model course3
        convplay summary --list
      Layers: {0}.
      Arguments are Keras's, positional or named: conv2d(32, kernel_size=3, strides=2,
      padding=same, activation=relu), maxpool(2), dense(15, tanh), dropout(0.5), batchnorm,
      trainable=false on any layer.
      """, ModelSpecParser.layerNames.map(\.name).joined(separator: ", ")))

  @Argument(help: ArgumentHelp(localized("A model file: Keras .h5 (full model), .keras or its JSON config, or a convplay model."), valueName: localized("FILE")))
  var file: String?

  @Option(name: .long, help: ArgumentHelp(localized("A model spec, or a file that holds one."), valueName: localized("text|file")))
  var spec: String?

  @Option(name: .long, help: ArgumentHelp(localized("A named model (see --list)."), valueName: localized("name")))
  var model: String?

  @Option(name: .long, help: ArgumentHelp(localized("Input shape for --spec: HxWxC or a flat size."), valueName: localized("HxWxC")))
  var input: String = "28x28x1"

  @Flag(name: .long, help: helpText("List the named models."))
  var list = false

  @Flag(name: .long, help: helpText("After the table, explain each row: the output-size formula and the parameter count."))
  var explain = false

  func run() throws {
    try reportingErrors {
      if list {
        let width = (ModelZoo.all.map(\.name.count) + KerasApplications.all.map(\.name.count)
          + ApplicationGraphs.all.map(\.name.count)).max() ?? 0
        for entry in ModelZoo.all {
          print(entry.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + inRunLanguage(entry.summary))
        }
        for entry in KerasApplications.all {
          print(entry.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + inRunLanguage(entry.summary))
        }
        for entry in ApplicationGraphs.all {
          print(entry.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + inRunLanguage(entry.summary))
        }
        return
      }
      if let file {
        guard spec == nil, model == nil else { throw CLIFailure("give a model FILE, --spec or --model, one of them") }
        try withPrintableErrors {
          let graph = try graphInFile(file)
          print(try SummaryText.render(graph), terminator: "")
          if explain { try printExplanation(graph) }
        }
        return
      }
      switch (spec, model) {
      case (nil, nil):
        throw CLIFailure("give --spec TEXT|FILE or --model NAME (see 'convplay summary --help')")
      case (.some, .some):
        throw CLIFailure("give either --spec or --model, not both")
      case (.some(let spec), nil):
        guard let shape = ShapeText.parse(input) else {
          throw CLIFailure("--input must be a shape such as 28x28x1 or 784, sizes from 1 to \(NumberText.grouped(CheckedSize.maxDimension)) (got '\(input)')")
        }
        let (text, source) = try specText(spec)
        let graph: GraphSpec
        do {
          graph = try ModelSpecParser.parseGraph(text, inputShape: shape)
        } catch let e as ModelSpecParseError {
          throw CLIFailure((source.map { $0 + ": " } ?? "") + e.description)
        }
        guard let parsed = graph.sequential else {
          // Named branches (add, concatenate): Keras's functional summary, with Connected to.
          print(try SummaryText.render(graph), terminator: "")
          if explain { try printExplanation(graph) }
          return
        }
        print(try SummaryText.render(parsed), terminator: "")
        if explain { try printExplanation(parsed) }
      case (nil, .some(let name)):
        if let graph = ApplicationGraphs.named(name) {
          let made = graph.make()
          print(try SummaryText.render(made), terminator: "")
          if explain { try printExplanation(made) }
          return
        }
        if let app = KerasApplications.named(name) {
          print(try SummaryText.render(app.spec, name: app.name, inputLayer: app.inputLayerName), terminator: "")
          if explain { try printExplanation(app.spec) }
          return
        }
        guard let entry = ModelZoo.named(name) else {
          throw CLIFailure(
            "unknown model '\(name)'; known models: "
              + (ModelZoo.all.map(\.name) + KerasApplications.all.map(\.name) + ApplicationGraphs.all.map(\.name))
                .joined(separator: ", "))
        }
        print(try SummaryText.render(entry.spec, name: entry.name), terminator: "")
        if explain { try printExplanation(entry.spec) }
      }
    }
  }

  /// The architecture a model file states: a Keras full model (.h5's model_config, .keras's
  /// config.json), Keras's JSON itself (`model.to_json()`, config.json) or a convplay model
  /// file, told by content.
  func graphInFile(_ path: String) throws -> GraphSpec {
    let url = URL(fileURLWithPath: path)
    // InputFile opens regular files only: a folder or a named pipe is one line, never a wait.
    let handle: FileHandle
    do { handle = try InputFile.handle(path) } catch { throw CLIFailure("\(error)") }
    let first = ((try? handle.read(upToCount: 64)) ?? Data()).first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    try? handle.close()
    if first == UInt8(ascii: "{") { return try KerasModelConfig.parse(json: Data(try readText(path).utf8)).graph() }
    switch try WeightFileFormat.sniff(url) {
    case .kerasH5:
      guard let config = try KerasH5.config(url) else {
        throw CLIFailure("\(url.lastPathComponent) holds weights only (no model_config): 'convplay summary --model NAME' shows a known architecture")
      }
      return try config.graph()
    case .keras:
      return try KerasArchive.config(url).graph()
    case .safetensors:
      let (header, _) = try SafeTensors.read(contentsOf: url)
      guard let arch = header.metadata[ModelFile.architectureKey] else {
        throw CLIFailure("\(url.lastPathComponent) is a safetensors file without a convplay architecture in its metadata")
      }
      return try ArchitectureJSON.decode(arch)
    case .pytorch, .npz:
      throw CLIFailure("\(url.lastPathComponent) holds weights only (PyTorch and .npz files do not describe their architecture)")
    }
  }

  func printExplanation(_ spec: SequentialSpec) throws {
    print("")
    for line in try SummaryText.explain(spec) { print(line) }
  }

  func printExplanation(_ graph: GraphSpec) throws {
    print("")
    for line in try SummaryText.explain(graph) { print(line) }
  }

  /// A spec is read from a file when one exists at that path (a file name never contains the
  /// parentheses or arrows of a spec); otherwise the text is the spec.
  func specText(_ spec: String) throws -> (String, String?) {
    var isDir: ObjCBool = false
    if spec == "-" || (FileManager.default.fileExists(atPath: spec, isDirectory: &isDir) && !isDir.boolValue) {
      return (try readText(spec), spec == "-" ? "stdin" : spec)
    }
    return (spec, nil)
  }
}
