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
      "\(text) has branches (Add/Concatenate), which import and classify do not run yet; "
        + "they take the plain stacks vgg16 and vgg19, or a Sequential spec")
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
