import ConvImageIO
import ConvKit
import Foundation

/// A model as `--model` (and the playground's model choice) names it, put on a data set.
public struct ResolvedModel: Sendable, Equatable {
  /// The zoo name, the spec file's name without extension, or "model" for spec text.
  public var name: String
  public var spec: SequentialSpec
}

/// What `ModelResolver` refuses, in one line.
public struct ModelResolveError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// The one place a model name, spec text or spec file becomes a Sequential spec for a data
/// set's image shape and class count: `train`, `evaluate`'s siblings, the training dashboard and
/// the summary screen all ask here, so the same words build the same network everywhere.
public enum ModelResolver {
  /// - A course model (ModelZoo): its layers on `inputShape`, the last Dense resized to
  ///   `classes` (the zoo is written for MNIST's ten digits), as a Keras user writes
  ///   `Dense(num_classes)`.
  /// - A file holding a spec, or spec text (`conv2d(32,3,relu) -> flatten -> dense(10,softmax)`):
  ///   parsed on `inputShape` as written; a last Dense with fewer units than `classes` is
  ///   refused (labels would fall outside the outputs).
  /// `classes` nil (no data set, as in `summary`) leaves the head as written.
  public static func resolve(_ text: String, inputShape: FeatureShape, classes: Int?) throws(ModelResolveError)
    -> ResolvedModel
  {
    if let entry = ModelZoo.named(text) {
      let spec = SequentialSpec(inputShape: inputShape, layers: entry.spec.layers)
      return ResolvedModel(name: entry.name, spec: classes.map { withClasses(spec, $0) } ?? spec)
    }
    guard let (specText, isFile) = try specSource(text) else {
      let names = ModelZoo.all.map(\.name).joined(separator: ", ")
      throw ModelResolveError(
        "unknown model '\(text)': choose one of \(names), or write a spec such as \"flatten -> dense(10, softmax)\"")
    }
    let spec: SequentialSpec
    do {
      spec = try ModelSpecParser.parse(specText, inputShape: inputShape)
    } catch let e as ModelSpecParseError {
      throw ModelResolveError((isFile ? text + ": " : "model spec: ") + e.description)
    } catch {
      throw ModelResolveError((isFile ? text + ": " : "model spec: ") + String(describing: error))
    }
    if let head = FineTuning.headIndex(of: spec), head == spec.layers.count - 1 {
      try checkHead(spec.layers[head].layer, classes: classes)
    }
    let name = isFile ? URL(fileURLWithPath: text).deletingPathExtension().lastPathComponent : "model"
    return ResolvedModel(name: name, spec: spec)
  }

  /// `spec` with its last layer, when it is a Dense, resized to `classes` units (same
  /// activation and bias); unchanged for fewer than 2 classes or another last layer.
  public static func withClasses(_ spec: SequentialSpec, _ classes: Int) -> SequentialSpec {
    guard classes >= 2, let head = FineTuning.headIndex(of: spec), head == spec.layers.count - 1,
      var dense = spec.layers[head].layer as? Dense, dense.units != classes
    else { return spec }
    var s = spec
    dense.units = classes
    s.layers[head].layer = dense
    return s
  }

  /// The same words for any model, graphs included: a zoo name as `resolve` gives it (its head
  /// resized to `classes`), or spec text or a spec file with named branches (`add(a, b)`,
  /// `concatenate(a, b)`; see examples/specs/), parsed as a graph on `inputShape`.
  public static func resolveGraph(_ text: String, inputShape: FeatureShape, classes: Int?) throws(ModelResolveError)
    -> (name: String, graph: GraphSpec)
  {
    if ModelZoo.named(text) != nil {
      let m = try resolve(text, inputShape: inputShape, classes: classes)
      return (m.name, m.spec.graph())
    }
    guard let (specText, isFile) = try specSource(text) else {
      // Not a spec: `resolve` names the course models.
      let m = try resolve(text, inputShape: inputShape, classes: classes)
      return (m.name, m.spec.graph())
    }
    let name = isFile ? URL(fileURLWithPath: text).deletingPathExtension().lastPathComponent : "model"
    let graph: GraphSpec
    do {
      graph = try ModelSpecParser.parseGraph(specText, inputShape: inputShape, name: name)
    } catch let e as ModelSpecParseError {
      throw ModelResolveError((isFile ? text + ": " : "model spec: ") + e.description)
    } catch {
      throw ModelResolveError((isFile ? text + ": " : "model spec: ") + String(describing: error))
    }
    if let last = graph.nodes.last { try checkHead(last.layer, classes: classes) }
    return (name, graph)
  }

  /// Spec text and whether it came from a file; nil when `text` is neither a file nor looks like
  /// a spec (a model name). A spec is a few lines: a bigger file (a saved model, a photo) is not one.
  private static func specSource(_ text: String) throws(ModelResolveError) -> (text: String, isFile: Bool)? {
    var isDirectory: ObjCBool = false
    let isFile = FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) && !isDirectory.boolValue
    guard isFile else {
      return text.contains("(") || text.contains("->") || text.contains("\n") ? (text, false) : nil
    }
    let data: Data
    do {
      data = Data(try InputFile.bytes(text, limit: 1 << 20 - 1) { _ in
        "not a model spec (a text file of layers such as \"flatten -> dense(10, softmax)\")"
      })
    } catch { throw ModelResolveError(error.description) }
    guard data.count < 1 << 20, !data.contains(0), let s = String(data: data, encoding: .utf8) else {
      throw ModelResolveError("\(text): not a model spec (a text file of layers such as \"flatten -> dense(10, softmax)\")")
    }
    return (s, true)
  }

  /// A last Dense with fewer units than the data set's classes would leave labels outside the outputs.
  private static func checkHead(_ layer: any Layer, classes: Int?) throws(ModelResolveError) {
    guard let classes, let units = (layer as? Dense)?.units, units < classes else { return }
    throw ModelResolveError(
      "the model ends in Dense(\(units)) but the data set has \(classes) classes: write dense(\(classes), softmax) last")
  }
}
