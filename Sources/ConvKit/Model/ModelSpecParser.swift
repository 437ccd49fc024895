/// A mistake in a model spec text, located where the person typed it:
/// `layer 2, column 14: unknown argument 'kernal_size' (did you mean kernel_size?)`.
public struct ModelSpecParseError: Error, Equatable, Sendable, CustomStringConvertible {
  /// 1-based position of the layer in the text (the n-th item between `->` or new lines).
  public var layer: Int?
  /// 1-based line and column of the offending text.
  public var line: Int
  public var column: Int
  public var message: String
  /// Whether the text had more than one line: then the line is part of the location.
  public var multiline: Bool

  public init(layer: Int?, line: Int, column: Int, message: String, multiline: Bool) {
    self.layer = layer
    self.line = line
    self.column = column
    self.message = message
    self.multiline = multiline
  }

  public var description: String {
    var place: [String] = []
    if let layer { place.append("layer \(layer)") }
    if multiline { place.append("line \(line)") }
    place.append("column \(column)")
    return place.joined(separator: ", ") + ": " + message
  }
}

/// Reads a model written the way Keras code reads, one layer per item:
///
///     conv2d(32, kernel_size=3, strides=2, padding=same, activation=relu) -> maxpool(2)
///     -> flatten -> dense(15, tanh) -> dropout(0.5) -> dense(10, softmax)
///
/// Items are separated by `->` or new lines (a file works the same way; `#` starts a comment;
/// a new line inside parentheses continues the layer). Names and arguments are Keras's
/// (`Conv2D`, `MaxPooling2D`, `layers.Dense` are accepted too), positional or named. Values may
/// be quoted (`activation='relu'`). Sizes are `3`, `(3, 3)`, `[3, 3]` or `3x3`. Every layer
/// takes `name=` and `trainable=false`. An optional first item `input(28, 28, 1)` (or
/// `input_shape=` on the first layer) overrides the input shape given to `parse`.
///
/// The result is checked by `SequentialSpec.rows()`, so a layer that cannot fit its input (a
/// 5x5 kernel on a 3x3 map, Conv2D after Flatten) is reported at that layer too.
public enum ModelSpecParser {
  /// The layer names shown in errors and help, with what they build.
  public static var layerNames: [(name: String, keras: String)] {
    LayerRegistry.all.filter { $0 != InputLayer.self }.map { ($0.specWords[0], $0.specHelp) }
  }

  /// A Sequential model (each layer reads the one before). A text with named branches
  /// (`add(a, b)`) is a graph: read it with `parseGraph`.
  public static func parse(_ text: String, inputShape: FeatureShape) throws -> SequentialSpec {
    var p = Parser(text: text)
    let graph = try p.run(inputShape: inputShape)
    guard let spec = graph.sequential else {
      throw ModelSpecParseError(
        layer: nil, line: 1, column: 1,
        message: "this model has branches (named layers, add or concatenate): it is a graph, not a Sequential stack",
        multiline: p.multiline)
    }
    return spec
  }

  /// Any model, Sequential or with branches:
  ///
  ///     input(32, 32, 3)
  ///     stem = conv2d(16, 3, padding=same, activation=relu)
  ///     conv2d(16, 3, padding=same, activation=relu)
  ///     conv2d(16, 3, padding=same)
  ///     sum = add(stem, previous)
  ///     relu
  ///     b1 = conv2d(8, 1)(sum)
  ///     b3 = conv2d(8, 3, padding=same)(sum)
  ///     concatenate(b1, b3)
  ///
  /// `name = layer(...)` names a layer; a layer reads the one before unless it says what it
  /// reads, as Keras's functional API writes it: `conv2d(8, 1)(sum)`. `add` and `concatenate`
  /// take the names they join (`previous` is the layer just before).
  public static func parseGraph(_ text: String, inputShape: FeatureShape, name: String = "model") throws -> GraphSpec {
    var p = Parser(text: text)
    var g = try p.run(inputShape: inputShape)
    g.name = name
    return g
  }
}

// MARK: - Implementation

/// One `key=value` or positional value inside a layer's parentheses, with where it starts.
struct Argument {
  var key: String?
  var keyAt: Int
  var value: String
  var valueAt: Int
}

enum LayerWord {
  static func normalize(_ word: String) -> String {
    var w = word.lowercased()
    for prefix in ["tf.keras.layers.", "keras.layers.", "layers.", "nn."] where w.hasPrefix(prefix) {
      w.removeFirst(prefix.count)
      break
    }
    return w.filter { $0 != "_" }
  }
}

struct Parser {
  let chars: [Character]
  let lineOf: [Int]
  let columnOf: [Int]
  let multiline: Bool
  /// 1-based number of the item being read, for error locations.
  var currentLayer: Int?

  init(text: String) {
    var chars: [Character] = []
    var lines: [Int] = []
    var cols: [Int] = []
    var line = 1
    var col = 1
    var inComment = false
    for c in text {
      // A comment runs to the end of its line; its characters become spaces so columns stay.
      if c == "#" { inComment = true }
      if Parser.isNewline(c) { inComment = false }
      chars.append(inComment ? " " : c)
      lines.append(line)
      cols.append(col)
      if Parser.isNewline(c) {
        line += 1
        col = 1
      } else {
        col += 1
      }
    }
    // One past the end, for "missing ')'" at the end of the text.
    lines.append(line)
    cols.append(col)
    self.chars = chars
    self.lineOf = lines
    self.columnOf = cols
    var contentLines = 0
    var lineHasContent = false
    for c in chars {
      if Parser.isNewline(c) {
        if lineHasContent { contentLines += 1 }
        lineHasContent = false
      } else if !c.isWhitespace {
        lineHasContent = true
      }
    }
    if lineHasContent { contentLines += 1 }
    self.multiline = contentLines > 1
  }

  func fail(_ at: Int, _ message: String) -> ModelSpecParseError {
    let i = min(max(at, 0), lineOf.count - 1)
    return ModelSpecParseError(
      layer: currentLayer, line: lineOf[i], column: columnOf[i], message: message, multiline: multiline)
  }

  func text(_ r: Range<Int>) -> String { String(chars[r]) }

  func trimmed(_ r: Range<Int>) -> Range<Int> {
    var lo = r.lowerBound
    var hi = r.upperBound
    while lo < hi, chars[lo].isWhitespace { lo += 1 }
    while hi > lo, chars[hi - 1].isWhitespace { hi -= 1 }
    return lo..<hi
  }

  static func isNewline(_ c: Character) -> Bool { TextLines.isBreak(c) }

  /// Splits the text into items at top-level `->` and new lines. An arrow may end a line or
  /// start the next one; an arrow with no layer on one side is an error.
  mutating func items() throws -> [Range<Int>] {
    var result: [Range<Int>] = []
    var start = 0
    var depth = 0
    var openAt: [Int] = []
    var pendingArrow: Int?  // the last '->' not yet followed by a layer
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "(" || c == "[" {
        depth += 1
        openAt.append(i)
      } else if c == ")" || c == "]" {
        if depth == 0 {
          currentLayer = result.count + 1
          throw fail(i, "unmatched '\(c)'")
        }
        depth -= 1
        openAt.removeLast()
      } else if depth == 0, c == "-", i + 1 < chars.count, chars[i + 1] == ">" {
        let r = trimmed(start..<i)
        if !r.isEmpty {
          result.append(r)
        } else if result.isEmpty || pendingArrow != nil {
          currentLayer = result.count + 1
          throw fail(i, "nothing before '->': expected a layer such as dense(10)")
        }
        pendingArrow = i
        start = i + 2
        i += 2
        continue
      } else if depth == 0, Parser.isNewline(c) {
        let r = trimmed(start..<i)
        if !r.isEmpty {
          result.append(r)
          pendingArrow = nil
        }
        start = i + 1
      }
      i += 1
    }
    if depth > 0 {
      currentLayer = result.count + 1
      throw fail(openAt.last!, "'\(chars[openAt.last!])' is never closed")
    }
    let last = trimmed(start..<chars.count)
    if !last.isEmpty {
      result.append(last)
    } else if pendingArrow != nil {
      currentLayer = result.count + 1
      throw fail(chars.count, "nothing after '->': expected a layer")
    }
    return result
  }

  mutating func run(inputShape: FeatureShape) throws -> GraphSpec {
    let ranges = try items()
    guard !ranges.isEmpty else {
      currentLayer = nil
      throw fail(0, "the model is empty: write layers such as conv2d(64, 3, relu) -> flatten -> dense(10, softmax)")
    }
    var input = inputShape
    var layers: [(spec: LayerSpec, inputs: [String]?, inputsAt: [Int])] = []
    var layerItem: [Int] = []  // item number of each layer
    var layerAt: [Int] = []
    var names: [String: Int] = [:]
    for (n, r) in ranges.enumerated() {
      currentLayer = n + 1
      let (nodeName, body) = try nodeName(r)
      let (word, wordAt, args, calledOn) = try split(body)
      let normalized = LayerWord.normalize(word)
      if normalized == "input" || normalized == "inputlayer" {
        guard layers.isEmpty else {
          throw fail(wordAt, "input(...) must come first, before any layer")
        }
        input = try shapeArgument(args, wordAt: wordAt)
        continue
      }
      // Unnamed layers get Keras's names (conv2d, dense_1) from SequentialSpec.
      var (layer, shape, joined) = try build(word: word, wordAt: wordAt, args: args)
      if let nodeName {
        if !layer.name.isEmpty, layer.name != nodeName.name {
          throw fail(nodeName.at, "the layer is named twice: '\(nodeName.name)' and name='\(layer.name)'")
        }
        layer.name = nodeName.name
      }
      if let shape {
        guard layers.isEmpty else {
          throw fail(wordAt, "input_shape= belongs on the first layer only")
        }
        input = shape
      }
      if !layer.name.isEmpty {
        if let other = names[layer.name] {
          throw fail(wordAt, "the name '\(layer.name)' is already used by layer \(other): names must be unique")
        }
        names[layer.name] = n + 1
      }
      if joined != nil, calledOn != nil {
        throw fail(wordAt, "\(word) names what it joins inside its parentheses, for example add(a, b)")
      }
      let reads = joined ?? calledOn
      layers.append((layer, reads?.map(\.0), reads?.map(\.1) ?? []))
      layerItem.append(n + 1)
      layerAt.append(wordAt)
    }
    // Names: Keras's defaults for unnamed layers (SequentialSpec gives them), then the graph.
    let named = SequentialSpec(inputShape: input, layers: layers.map(\.spec))
    var nodes = [GraphNode(name: "input_layer", layer: InputLayer(shape: input), inputs: [])]
    var defined: Set<String> = ["input_layer", "input"]
    for (i, l) in named.layers.enumerated() {
      currentLayer = layerItem[i]
      let previous = nodes.last!.name
      var reads = layers[i].inputs ?? [previous]
      for (k, r) in reads.enumerated() {
        if r == "previous" {
          reads[k] = previous
        } else if r == "input" {
          reads[k] = "input_layer"
        } else if !defined.contains(r) {
          let at = layers[i].inputsAt.indices.contains(k) ? layers[i].inputsAt[k] : layerAt[i]
          throw fail(at, "'\(r)' is not a layer named before this one" + suggestion(for: r, among: Array(defined)))
        }
      }
      nodes.append(GraphNode(name: l.name, layer: l.layer, inputs: reads, trainable: l.trainable))
      defined.insert(l.name)
    }
    let graph = GraphSpec(name: "model", nodes: nodes)
    do {
      _ = try graph.rows()
    } catch let e as ModelSpecError {
      if let i = nodes.firstIndex(where: { e.message.hasPrefix($0.name + " (") }), i > 0, i - 1 < layerAt.count {
        currentLayer = layerItem[i - 1]
        let prefix = nodes[i].name + " (" + nodes[i].kerasClass + "): "
        throw fail(layerAt[i - 1], e.message.hasPrefix(prefix) ? String(e.message.dropFirst(prefix.count)) : e.message)
      }
      currentLayer = nil
      throw fail(0, e.message)
    }
    return graph
  }

  /// `name = layer(...)`: the name and where it is, and the rest; no name: nil and the item.
  func nodeName(_ r: Range<Int>) throws -> ((name: String, at: Int)?, Range<Int>) {
    var i = r.lowerBound
    while i < r.upperBound, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
    guard i > r.lowerBound, chars[r.lowerBound].isLetter || chars[r.lowerBound] == "_" else { return (nil, r) }
    let name = text(r.lowerBound..<i)
    var j = i
    while j < r.upperBound, chars[j].isWhitespace { j += 1 }
    guard j < r.upperBound, chars[j] == "=" else { return (nil, r) }
    let rest = trimmed(j + 1..<r.upperBound)
    guard !rest.isEmpty else { throw fail(j, "'\(name) =' without a layer after it") }
    if ["previous", "input", "input_layer"].contains(name) {
      throw fail(r.lowerBound, "'\(name)' is a reserved name: choose another")
    }
    return ((name, r.lowerBound), rest)
  }

  /// `word(args)` -> the word, where it starts, and the arguments.
  func split(_ r: Range<Int>) throws -> (String, Int, [Argument], [(String, Int)]?) {
    var i = r.lowerBound
    let wordStart = i
    guard chars[i].isLetter else {
      throw fail(i, "expected a layer name such as conv2d, maxpool, flatten or dense, found '\(chars[i])'")
    }
    while i < r.upperBound, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "." {
      i += 1
    }
    let word = text(wordStart..<i)
    while i < r.upperBound, chars[i].isWhitespace { i += 1 }
    if i == r.upperBound { return (word, wordStart, [], nil) }
    guard chars[i] == "(" else {
      throw fail(i, "unexpected '\(chars[i])' after '\(word)': expected '(' or '->'")
    }
    // Find the matching ')'.
    var depth = 0
    var j = i
    var closeAt = -1
    while j < r.upperBound {
      if chars[j] == "(" || chars[j] == "[" { depth += 1 }
      if chars[j] == ")" || chars[j] == "]" {
        depth -= 1
        if depth == 0 {
          closeAt = j
          break
        }
      }
      j += 1
    }
    guard closeAt >= 0 else { throw fail(i, "'(' is never closed") }
    var after = trimmed(closeAt + 1..<r.upperBound)
    // Keras's functional call: conv2d(8, 1)(x) reads the layer named x.
    var calledOn: [(String, Int)]?
    if !after.isEmpty, chars[after.lowerBound] == "(", chars[after.upperBound - 1] == ")" {
      var names: [(String, Int)] = []
      var start = after.lowerBound + 1
      for k in (after.lowerBound + 1)...(after.upperBound - 1) where k == after.upperBound - 1 || chars[k] == "," {
        let t = trimmed(start..<k)
        guard !t.isEmpty, text(t).allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
          throw fail(t.isEmpty ? k : t.lowerBound, "expected the names of the layers it reads, for example conv2d(8, 1)(x)")
        }
        names.append((text(t), t.lowerBound))
        start = k + 1
      }
      calledOn = names
      after = after.upperBound..<after.upperBound
    }
    if !after.isEmpty {
      throw fail(after.lowerBound, "unexpected '\(text(after))' after '\(word)(...)': separate layers with '->' or a new line")
    }
    // Arguments, split at top-level commas.
    var args: [Argument] = []
    var pieces: [Range<Int>] = []
    var start = i + 1
    depth = 0
    for k in (i + 1)..<closeAt {
      let c = chars[k]
      if c == "(" || c == "[" { depth += 1 }
      if c == ")" || c == "]" { depth -= 1 }
      if c == ",", depth == 0 {
        pieces.append(start..<k)
        start = k + 1
      }
    }
    pieces.append(start..<closeAt)
    if pieces.count > 1, trimmed(pieces.last!).isEmpty { pieces.removeLast() }  // dense(10,)
    if pieces.count == 1, trimmed(pieces[0]).isEmpty { return (word, wordStart, [], calledOn) }  // flatten()
    for piece in pieces {
      let t = trimmed(piece)
      guard !t.isEmpty else { throw fail(piece.lowerBound, "empty argument between commas") }
      var eq: Int?
      var d = 0
      for k in t {
        if chars[k] == "(" || chars[k] == "[" { d += 1 }
        if chars[k] == ")" || chars[k] == "]" { d -= 1 }
        if chars[k] == "=", d == 0 {
          eq = k
          break
        }
      }
      if let eq {
        let key = trimmed(t.lowerBound..<eq)
        let value = trimmed(eq + 1..<t.upperBound)
        guard !key.isEmpty else { throw fail(t.lowerBound, "'=' without an argument name before it") }
        guard !value.isEmpty else { throw fail(eq, "'\(text(key))=' without a value") }
        args.append(Argument(key: text(key), keyAt: key.lowerBound, value: text(value), valueAt: value.lowerBound))
      } else {
        args.append(Argument(key: nil, keyAt: t.lowerBound, value: text(t), valueAt: t.lowerBound))
      }
    }
    return (word, wordStart, args, calledOn)
  }

  func shapeArgument(_ args: [Argument], wordAt: Int) throws -> FeatureShape {
    var parts: [String] = []
    for a in args {
      if let k = a.key {
        guard ["shape", "inputshape"].contains(LayerWord.normalize(k)) else {
          throw fail(a.keyAt, "unknown argument '\(k)' for input (expected shape)")
        }
      }
      parts.append(a.value)
    }
    guard !parts.isEmpty, let shape = ShapeText.parse(parts.joined(separator: ",")) else {
      throw fail(wordAt, "input needs a shape such as input(28, 28, 1) or input(28x28x1)")
    }
    return shape
  }

  /// Builds one layer from its word and arguments; also returns an `input_shape=` if given,
  /// and for add/concatenate the names of the layers joined.
  func build(word: String, wordAt: Int, args: [Argument]) throws -> (LayerSpec, FeatureShape?, [(String, Int)]?) {
    let normalized = LayerWord.normalize(word)
    // `ReLU(6.)` is Keras's ReLU layer; a bare `relu` is Activation('relu').
    let stripped = word.split(separator: ".").last.map(String.init) ?? word
    var type = stripped == "ReLU" ? ReLU.self : LayerRegistry.type(specWord: normalized)
    var impliedActivation: Activation?
    if type == nil, let a = Activation(keras: normalized) {
      type = ActivationLayer.self
      impliedActivation = a
    }
    guard let type, type != InputLayer.self else {
      let known = ModelSpecParser.layerNames.map(\.name)
      let hint = suggestion(for: normalized, among: known + Activation.allCases.map(\.rawValue))
      throw fail(wordAt, "unknown layer '\(word)'" + hint + "; layers: " + known.joined(separator: ", "))
    }
    var joined: [(String, Int)]?
    var rest = args
    if type == Add.self || type == Concatenate.self {
      // add(a, b, ...): the positional arguments name the layers joined.
      joined = args.filter { $0.key == nil }.map { (unquote($0.value), $0.valueAt) }
      rest = args.filter { $0.key != nil }
      if let bad = joined?.first(where: { !$0.0.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) }) {
        throw fail(bad.1, "\(word) takes the names of the layers it joins, for example add(a, b)")
      }
      if joined?.count == 1 { throw fail(wordAt, "\(word) joins two or more layers, for example \(word)(a, b)") }
      if joined?.isEmpty == true { joined = nil }
    }
    var b = LayerArguments(parser: self, layer: type.specWords[0], wordAt: wordAt, args: rest)
    b.impliedActivation = impliedActivation
    let layer = try LayerRegistry.parse(type, &b)
    return (LayerSpec(layer, name: try b.string("name") ?? "", trainable: try b.bool("trainable") ?? true), try b.shape("input_shape"), joined)
  }
}

/// Matches a layer's arguments to Keras's parameter names, and converts values with errors
/// that point at the value.
public struct LayerArguments {
  let parser: Parser
  let layer: String
  let wordAt: Int
  let args: [Argument]
  var values: [String: Argument] = [:]
  /// A bare activation word (`relu`) read as Activation('relu').
  var impliedActivation: Activation?

  init(parser: Parser, layer: String, wordAt: Int, args: [Argument]) {
    self.parser = parser
    self.layer = layer
    self.wordAt = wordAt
    self.args = args
  }

  /// An error at the layer's name.
  func fail(_ message: String) -> ModelSpecParseError { parser.fail(wordAt, message) }

  /// An error at the value of `key` (or the layer's name when it was not given).
  func fail(at key: String, _ message: String) -> ModelSpecParseError { parser.fail(position(key) ?? wordAt, message) }

  /// Every layer also takes these.
  static let common = ["name", "trainable", "input_shape"]
  /// Other spellings people write for the same parameter.
  static let aliases: [String: String] = [
    "kernel": "kernel_size", "kernelsize": "kernel_size", "size": "pool_size", "poolsize": "pool_size",
    "stride": "strides", "dilation": "dilation_rate", "dilationrate": "dilation_rate",
    "usebias": "use_bias", "bias": "use_bias", "inputshape": "input_shape", "p": "rate",
    "depthmultiplier": "depth_multiplier", "maxvalue": "max_value", "negativeslope": "negative_slope",
    "targetshape": "target_shape",
  ]

  mutating func bind(positional: [String], named: [String]) throws {
    let accepted = named + LayerArguments.common
    var nextSlot = 0
    for a in args {
      if let key = a.key {
        let lowered = key.lowercased()
        let canonical = accepted.contains(lowered) ? lowered : LayerArguments.aliases[LayerWord.normalize(key)].flatMap { accepted.contains($0) ? $0 : nil }
        guard let canonical else {
          let hint = suggestion(for: lowered, among: accepted)
          throw parser.fail(a.keyAt, "unknown argument '\(key)'" + hint + " for \(layer)"
            + (named.isEmpty ? " (it takes none but name and trainable)" : "; it takes " + named.joined(separator: ", ")))
        }
        try store(canonical, a)
        continue
      }
      // A positional word that names an activation or a padding fills that parameter:
      // conv2d(64, 3, relu), maxpool(2, same).
      let word = unquote(a.value).lowercased()
      if named.contains("activation"), Activation(keras: word) != nil {
        try store("activation", a)
        continue
      }
      if named.contains("padding"), word == "valid" || word == "same" {
        try store("padding", a)
        continue
      }
      while nextSlot < positional.count, values[positional[nextSlot]] != nil { nextSlot += 1 }
      guard nextSlot < positional.count else {
        let takes = positional.isEmpty ? "no positional arguments" : "at most \(positional.count) positional (" + positional.joined(separator: ", ") + ")"
        throw parser.fail(a.valueAt, "unexpected argument '\(a.value)': \(layer) takes \(takes)")
      }
      try store(positional[nextSlot], a)
      nextSlot += 1
    }
  }

  mutating func store(_ key: String, _ a: Argument) throws {
    if values[key] != nil {
      throw parser.fail(a.key == nil ? a.valueAt : a.keyAt, "\(key) is given twice")
    }
    values[key] = a
  }

  func position(_ key: String) -> Int? { values[key]?.valueAt }
  func raw(_ key: String) -> String? { values[key]?.value }

  func int(_ key: String) throws -> Int? {
    guard let a = values[key] else { return nil }
    guard let n = Int(unquote(a.value)), n >= 1 else {
      throw parser.fail(a.valueAt, "\(key) must be a whole number of at least 1 (got '\(a.value)')")
    }
    guard n <= CheckedSize.maxDimension else {
      throw parser.fail(a.valueAt, "\(key) must be at most \(NumberText.grouped(CheckedSize.maxDimension)) (got '\(a.value)')")
    }
    return n
  }

  func double(_ key: String) throws -> Double? {
    guard let a = values[key] else { return nil }
    guard let x = Double(unquote(a.value)), x.isFinite else {
      throw parser.fail(a.valueAt, "\(key) must be a number (got '\(a.value)')")
    }
    return x
  }

  /// `3`, `(3, 3)`, `[3, 3]` or `3x3`.
  func pair(_ key: String) throws -> Size2? {
    guard let a = values[key] else { return nil }
    guard let s = ShapeText.parse(unquote(a.value)), s.count == 1 || s.count == 2 else {
      throw parser.fail(a.valueAt, "\(key) must be N, (R, C) or RxC with whole numbers from 1 to \(NumberText.grouped(CheckedSize.maxDimension)) (got '\(a.value)')")
    }
    return Size2(s[0], s.count == 2 ? s[1] : s[0])
  }

  func padding(allowExplicit: Bool) throws -> Padding? {
    guard let a = values["padding"] else { return nil }
    let word = unquote(a.value).lowercased()
    if let p = Padding(parsing: word) {
      if case .explicit = p, !allowExplicit {
        throw parser.fail(a.valueAt, "padding for pooling must be valid or same (got '\(a.value)')")
      }
      return p
    }
    let hint = suggestion(for: word, among: ["valid", "same"])
    throw parser.fail(a.valueAt, "padding must be valid, same" + (allowExplicit ? " or a number of zeros" : "") + " (got '\(a.value)')" + hint)
  }

  func activation() throws -> Activation? {
    guard let a = values["activation"] else { return nil }
    let word = unquote(a.value).lowercased()
    if let act = Activation(keras: word) { return act }
    let hint = suggestion(for: word, among: Activation.allCases.map(\.rawValue))
    throw parser.fail(a.valueAt, "unknown activation '\(a.value)'" + hint + "; use relu, tanh, sigmoid, softmax or linear")
  }

  func bool(_ key: String) throws -> Bool? {
    guard let a = values[key] else { return nil }
    switch unquote(a.value).lowercased() {
    case "true", "1", "yes": return true
    case "false", "0", "no": return false
    default: throw parser.fail(a.valueAt, "\(key) must be true or false (got '\(a.value)')")
    }
  }

  func string(_ key: String) throws -> String? {
    guard let a = values[key] else { return nil }
    let s = unquote(a.value)
    guard !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
      throw parser.fail(a.valueAt, "\(key) must be a word of letters, digits, '_' or '-' (got '\(a.value)')")
    }
    return s
  }

  func shape(_ key: String) throws -> FeatureShape? {
    guard let a = values[key] else { return nil }
    guard let s = ShapeText.parse(unquote(a.value)) else {
      throw parser.fail(a.valueAt, "\(key) must be a shape such as (28, 28, 1), sizes from 1 to \(NumberText.grouped(CheckedSize.maxDimension)) (got '\(a.value)')")
    }
    return s
  }
}

private func unquote(_ s: String) -> String {
  if s.count >= 2, let f = s.first, let l = s.last, f == l, f == "'" || f == "\"" {
    return String(s.dropFirst().dropLast())
  }
  return s
}

/// ` (did you mean kernel_size?)` when one known word is a couple of typos away, else "".
func suggestion(for word: String, among candidates: [String]) -> String {
  var best: (String, Int)?
  for c in candidates {
    let d = editDistance(word.lowercased(), c.lowercased())
    if best == nil || d < best!.1 { best = (c, d) }
  }
  guard let (c, d) = best, d > 0, d <= max(1, min(3, c.count / 3)) else { return "" }
  return " (did you mean \(c)?)"
}

/// Levenshtein distance (insertions, deletions, substitutions).
func editDistance(_ a: String, _ b: String) -> Int {
  let x = Array(a)
  let y = Array(b)
  if x.isEmpty { return y.count }
  if y.isEmpty { return x.count }
  var previous = Array(0...y.count)
  var current = [Int](repeating: 0, count: y.count + 1)
  for i in 1...x.count {
    current[0] = i
    for j in 1...y.count {
      let cost = x[i - 1] == y[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    }
    swap(&previous, &current)
  }
  return previous[y.count]
}
