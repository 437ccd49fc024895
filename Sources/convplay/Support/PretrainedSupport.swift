import ConvData
import ConvKit
import ConvPretrained
import Foundation

/// `--arch`: a keras.applications stack (vgg16, vgg19) or a model spec (text or file) on
/// `input`. Returns the name the import's mapping rules use (`vgg16`, or nil for a spec).
func resolveArchitecture(_ text: String, input: String?) throws -> (name: String?, spec: SequentialSpec) {
  if let entry = KerasApplications.named(text) {
    if let input, ShapeText.parse(input) != entry.spec.inputShape {
      throw CLIFailure("\(entry.name) takes \(ShapeText.compact(entry.spec.inputShape)) images; --input \(input) does not fit it")
    }
    return (entry.name, entry.spec)
  }
  if ApplicationGraphs.named(text) != nil {
    throw CLIFailure(
      "import reads Keras/PyTorch weights for the plain stacks vgg16 and vgg19, or a Sequential spec; "
        + "for \(text) give classify its Keras .h5 weights: convplay classify PHOTO --arch \(text) --weights FILE.h5")
  }
  let shapeText = input ?? "224x224x3"
  guard let shape = ShapeText.parse(shapeText) else {
    throw CLIFailure("--input must be a shape such as 224x224x3 (got '\(shapeText)')")
  }
  let looksLikeSpec = text.contains("(") || text.contains("->") || text.contains("\n") || FileManager.default.fileExists(atPath: text)
  guard looksLikeSpec else {
    throw CLIFailure("unknown architecture '\(text)': use vgg16, vgg19, or a model spec such as \"conv2d(8,3,relu) -> flatten -> dense(10,softmax)\"")
  }
  return (nil, try resolveModel(text, inputShape: shape).spec)
}

/// `classify --arch`: any keras.applications network (vgg16, vgg19, resnet50, inceptionv3,
/// xception, mobilenet) or a model spec, as a graph, with its name and Keras's preprocessing.
func resolveGraph(_ text: String, input: String?) throws -> (name: String?, graph: GraphSpec, preprocessing: Preprocessing) {
  let a = try weightsArchitecture(text, input: input)
  return (a.name, a.graph, a.preprocessing)
}

/// `--arch`: a keras.applications network on its own input, or a model spec on `input`
/// (default 224x224x3).
func weightsArchitecture(_ text: String, input: String?) throws -> WeightsArchitecture {
  if let app = WeightsArchitecture.application(text) {
    if let input, ShapeText.parse(input) != app.graph.inputShape {
      throw CLIFailure("\(app.name!) takes \(ShapeText.compact(app.graph.inputShape)) images; --input \(input) does not fit it")
    }
    return app
  }
  let known = (KerasApplications.all.map(\.name) + ApplicationGraphs.all.map(\.name)).joined(separator: ", ")
  let shapeText = input ?? "224x224x3"
  guard let shape = ShapeText.parse(shapeText) else {
    throw CLIFailure("--input must be a shape such as 224x224x3 (got '\(shapeText)')")
  }
  let looksLikeSpec = text.contains("(") || text.contains("->") || text.contains("\n") || FileManager.default.fileExists(atPath: text)
  guard looksLikeSpec else {
    throw CLIFailure("unknown architecture '\(text)'" + suggestionText(text, among: known.components(separatedBy: ", "))
      + ": use \(known), or a model spec such as \"conv2d(8,3,relu) -> flatten -> dense(10,softmax)\"")
  }
  return WeightsArchitecture(name: nil, graph: try resolveGraphModel(text, inputShape: shape), preprocessing: .unit)
}

/// ` (did you mean X?)` for a near miss.
func suggestionText(_ word: String, among: [String]) -> String {
  let w = word.lowercased()
  guard let best = among.min(by: { levenshtein($0, w) < levenshtein($1, w) }), levenshtein(best, w) <= 3 else { return "" }
  return " (did you mean \(best)?)"
}

private func levenshtein(_ a: String, _ b: String) -> Int {
  let x = Array(a), y = Array(b)
  var row = Array(0...y.count)
  for i in 1...max(x.count, 1) where !x.isEmpty {
    var next = [i] + [Int](repeating: 0, count: y.count)
    for j in 1...max(y.count, 1) where !y.isEmpty {
      next[j] = min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
    }
    row = next
  }
  return row[y.count]
}

/// The process's peak resident memory so far, in bytes (getrusage; Linux reports kilobytes).
func peakMemoryBytes() -> Int {
  var usage = rusage()
  #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
  #else
    getrusage(RUSAGE_SELF, &usage)
  #endif
  #if os(Linux)
    return Int(usage.ru_maxrss) * 1024
  #else
    return Int(usage.ru_maxrss)
  #endif
}

/// `553 MB`.
func megabytes(_ bytes: Int) -> String {
  bytes < 10_000_000 ? String(format: "%.2f MB", Double(bytes) / 1e6) : "\(Int((Double(bytes) / 1e6).rounded())) MB"
}

/// Runs `body`, making any error one printable line: names and shapes read from a damaged or
/// hostile weights file may hold newlines or control characters.
func withPrintableErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let e as CLIFailure {
    throw e
  } catch {
    let text = String(describing: error).unicodeScalars.map { s -> String in
      s.properties.generalCategory == .control || s == "\u{FFFD}" ? "?" : String(s)
    }.joined()
    throw CLIFailure(text)
  }
}

/// A network and its metadata from any weights file, through the one loader every command
/// shares (`WeightsLoader`): convplay's own model files as they are; Keras (.h5, .keras),
/// PyTorch (.pth/.pt), safetensors and .npz files on `--arch` or on the architecture a
/// published file's name gives. The format is told by content.
func loadAnyWeights(_ path: String, arch: String?, input: String?) throws -> (network: InferenceNetwork, metadata: [String: String]) {
  let loaded = try loadWeightsFile(path, arch: arch, input: input)
  return (try InferenceNetwork(graph: loaded.graph, weights: loaded.weights), loaded.metadata)
}

/// The same, as a network that can train or be evaluated (`predict`, `evaluate`, `finetune --base`).
func loadTrainableWeights(_ path: String, arch: String?, input: String? = nil) throws -> (network: Network, metadata: [String: String]) {
  let loaded = try loadWeightsFile(path, arch: arch, input: input)
  do {
    return (try Network(graph: loaded.graph, weights: loaded.weights), loaded.metadata)
  } catch let e as ModelSpecError {
    throw CLIFailure("\(URL(fileURLWithPath: path).lastPathComponent): \(e.message)")
  }
}

func loadWeightsFile(_ path: String, arch: String?, input: String?) throws -> LoadedWeights {
  let architecture = try arch.map { try weightsArchitecture($0, input: input) }
  var loaded: LoadedWeights!
  try withPrintableErrors { loaded = try WeightsLoader.load(URL(fileURLWithPath: path), architecture: architecture) }
  return loaded
}
