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
  public static let layerNames: [(name: String, keras: String)] = [
    ("conv2d", "Conv2D(filters, kernel_size, strides=1, padding=valid, dilation_rate=1, activation=linear, use_bias=true)"),
    ("maxpool", "MaxPooling2D(pool_size=2, strides=pool_size, padding=valid)"),
    ("avgpool", "AveragePooling2D(pool_size=2, strides=pool_size, padding=valid)"),
    ("globalavgpool", "GlobalAveragePooling2D()"),
    ("flatten", "Flatten()"),
    ("dense", "Dense(units, activation=linear, use_bias=true)"),
    ("dropout", "Dropout(rate)"),
    ("batchnorm", "BatchNormalization(epsilon=0.001, momentum=0.99)"),
    ("activation", "Activation(relu|tanh|sigmoid|softmax|linear)"),
  ]

  public static func parse(_ text: String, inputShape: FeatureShape) throws -> SequentialSpec {
    var p = Parser(text: text)
    return try p.run(inputShape: inputShape)
  }
}

// MARK: - Implementation

/// One `key=value` or positional value inside a layer's parentheses, with where it starts.
private struct Argument {
  var key: String?
  var keyAt: Int
  var value: String
  var valueAt: Int
}

private enum LayerWord: String, CaseIterable {
  case conv2d, maxpool, avgpool, globalavgpool, flatten, dense, dropout, batchnorm, activation, input

  /// Accepted spellings after lower-casing and dropping `_` and a `layers.` prefix.
  static let spellings: [String: LayerWord] = {
    var m: [String: LayerWord] = [:]
    let table: [(LayerWord, [String])] = [
      (.conv2d, ["conv2d", "conv", "convolution2d", "conv2"]),
      (.maxpool, ["maxpool", "maxpool2d", "maxpooling2d", "maxpooling", "maxpooling2"]),
      (.avgpool, ["avgpool", "avgpool2d", "averagepooling2d", "averagepooling", "avgpooling2d"]),
      (.globalavgpool, ["globalavgpool", "globalavgpool2d", "globalaveragepooling2d", "globalaveragepooling", "gap"]),
      (.flatten, ["flatten"]),
      (.dense, ["dense"]),
      (.dropout, ["dropout"]),
      (.batchnorm, ["batchnorm", "batchnormalization", "bn"]),
      (.activation, ["activation"]),
      (.input, ["input", "inputlayer"]),
    ]
    for (w, names) in table { for n in names { m[n] = w } }
    return m
  }()

  static func normalize(_ word: String) -> String {
    var w = word.lowercased()
    for prefix in ["tf.keras.layers.", "keras.layers.", "layers.", "nn."] where w.hasPrefix(prefix) {
      w.removeFirst(prefix.count)
      break
    }
    return w.filter { $0 != "_" }
  }
}

private struct Parser {
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

  static func isNewline(_ c: Character) -> Bool { c == "\n" || c == "\r\n" || c == "\r" }

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

  mutating func run(inputShape: FeatureShape) throws -> SequentialSpec {
    let ranges = try items()
    guard !ranges.isEmpty else {
      currentLayer = nil
      throw fail(0, "the model is empty: write layers such as conv2d(64, 3, relu) -> flatten -> dense(10, softmax)")
    }
    var input = inputShape
    var layers: [LayerSpec] = []
    var layerItem: [Int] = []  // item number of each layer
    var layerAt: [Int] = []
    var names: [String: Int] = [:]
    for (n, r) in ranges.enumerated() {
      currentLayer = n + 1
      let (word, wordAt, args) = try split(r)
      let normalized = LayerWord.normalize(word)
      if normalized == "input" || normalized == "inputlayer" {
        guard layers.isEmpty else {
          throw fail(wordAt, "input(...) must come first, before any layer")
        }
        input = try shapeArgument(args, wordAt: wordAt)
        continue
      }
      // Unnamed layers get Keras's names (conv2d, dense_1) from SequentialSpec.
      let (layer, shape) = try build(word: word, wordAt: wordAt, args: args)
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
      layers.append(layer)
      layerItem.append(n + 1)
      layerAt.append(wordAt)
    }
    let spec = SequentialSpec(inputShape: input, layers: layers)
    do {
      _ = try spec.rows()
    } catch let e as ModelSpecError {
      if let i = e.layerIndex, i < layerAt.count {
        currentLayer = layerItem[i]
        throw fail(layerAt[i], e.message)
      }
      currentLayer = nil
      throw fail(0, e.message)
    }
    return spec
  }

  /// `word(args)` -> the word, where it starts, and the arguments.
  func split(_ r: Range<Int>) throws -> (String, Int, [Argument]) {
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
    if i == r.upperBound { return (word, wordStart, []) }
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
    let after = trimmed(closeAt + 1..<r.upperBound)
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
    if pieces.count == 1, trimmed(pieces[0]).isEmpty { return (word, wordStart, []) }  // flatten()
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
    return (word, wordStart, args)
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

  /// Builds one layer from its word and arguments; also returns an `input_shape=` if given.
  func build(word: String, wordAt: Int, args: [Argument]) throws -> (LayerSpec, FeatureShape?) {
    let normalized = LayerWord.normalize(word)
    var kindWord = LayerWord.spellings[normalized]
    var impliedActivation: Activation?
    if kindWord == nil, let a = Activation(rawValue: normalized) {
      // A bare `relu` is Activation('relu').
      kindWord = .activation
      impliedActivation = a
    }
    guard let kindWord else {
      let hint = suggestion(for: normalized, among: ModelSpecParser.layerNames.map(\.name) + Activation.allCases.map(\.rawValue))
      throw fail(wordAt, "unknown layer '\(word)'" + hint + "; layers: " + ModelSpecParser.layerNames.map(\.name).joined(separator: ", "))
    }
    var b = Binder(parser: self, layer: kindWord.rawValue, args: args)
    let layer: LayerSpec
    switch kindWord {
    case .conv2d:
      try b.bind(positional: ["filters", "kernel_size", "strides"],
                 named: ["filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias"])
      guard let filters = try b.int("filters") else { throw fail(wordAt, "conv2d needs filters, for example conv2d(32, 3)") }
      guard let kernel = try b.pair("kernel_size") else {
        throw fail(wordAt, "conv2d needs kernel_size, for example conv2d(\(filters), 3) or kernel_size=(3, 3)")
      }
      let strides = try b.pair("strides") ?? (1, 1)
      let dilation = try b.dilation() ?? 1
      if dilation > 1, strides.rows > 1 || strides.cols > 1, let at = b.position("dilation_rate") {
        throw fail(at, "Keras does not allow strides > 1 together with dilation_rate > 1")
      }
      layer = LayerSpec(.conv2D(
        filters: filters, kernel: kernel, strides: strides,
        padding: try b.padding(allowExplicit: true) ?? .valid, dilation: dilation,
        activation: try b.activation() ?? .linear, useBias: try b.bool("use_bias") ?? true))
    case .maxpool, .avgpool:
      try b.bind(positional: ["pool_size", "strides"], named: ["pool_size", "strides", "padding"])
      let size = try b.pair("pool_size") ?? (2, 2)
      let strides = try b.pair("strides") ?? size
      let padding = try b.padding(allowExplicit: false) ?? .valid
      layer = LayerSpec(kindWord == .maxpool
        ? .maxPool2D(size: size, strides: strides, padding: padding)
        : .averagePool2D(size: size, strides: strides, padding: padding))
    case .globalavgpool:
      try b.bind(positional: [], named: [])
      layer = LayerSpec(.globalAveragePool2D)
    case .flatten:
      try b.bind(positional: [], named: [])
      layer = LayerSpec(.flatten)
    case .dense:
      try b.bind(positional: ["units"], named: ["units", "activation", "use_bias"])
      guard let units = try b.int("units") else { throw fail(wordAt, "dense needs units, for example dense(10, softmax)") }
      layer = LayerSpec(.dense(units: units, activation: try b.activation() ?? .linear, useBias: try b.bool("use_bias") ?? true))
    case .dropout:
      try b.bind(positional: ["rate"], named: ["rate"])
      guard let rate = try b.double("rate") else { throw fail(wordAt, "dropout needs a rate, for example dropout(0.5)") }
      guard rate >= 0, rate < 1 else {
        throw fail(b.position("rate") ?? wordAt, "rate must be at least 0 and below 1 (got \(b.raw("rate") ?? ""))")
      }
      layer = LayerSpec(.dropout(rate: Float(rate)))
    case .batchnorm:
      try b.bind(positional: [], named: ["epsilon", "momentum"])
      let eps = try b.double("epsilon") ?? 0.001
      let momentum = try b.double("momentum") ?? 0.99
      if eps <= 0 { throw fail(b.position("epsilon") ?? wordAt, "epsilon must be above 0") }
      if momentum < 0 || momentum > 1 { throw fail(b.position("momentum") ?? wordAt, "momentum must be between 0 and 1") }
      layer = LayerSpec(.batchNormalization(epsilon: Float(eps), momentum: Float(momentum)))
    case .activation:
      try b.bind(positional: impliedActivation == nil ? ["activation"] : [], named: impliedActivation == nil ? ["activation"] : [])
      guard let a = try impliedActivation ?? b.activation() else {
        throw fail(wordAt, "activation needs a function: relu, tanh, sigmoid, softmax or linear")
      }
      layer = LayerSpec(.activation(a))
    case .input:
      preconditionFailure("input(...) is handled before build")
    }
    var result = layer
    result.name = try b.string("name") ?? ""
    result.trainable = try b.bool("trainable") ?? true
    return (result, try b.shape("input_shape"))
  }
}

/// Matches a layer's arguments to Keras's parameter names, and converts values with errors
/// that point at the value.
private struct Binder {
  let parser: Parser
  let layer: String
  let args: [Argument]
  var values: [String: Argument] = [:]

  init(parser: Parser, layer: String, args: [Argument]) {
    self.parser = parser
    self.layer = layer
    self.args = args
  }

  /// Every layer also takes these.
  static let common = ["name", "trainable", "input_shape"]
  /// Other spellings people write for the same parameter.
  static let aliases: [String: String] = [
    "kernel": "kernel_size", "kernelsize": "kernel_size", "size": "pool_size", "poolsize": "pool_size",
    "stride": "strides", "dilation": "dilation_rate", "dilationrate": "dilation_rate",
    "usebias": "use_bias", "bias": "use_bias", "inputshape": "input_shape", "p": "rate",
  ]

  mutating func bind(positional: [String], named: [String]) throws {
    let accepted = named + Binder.common
    var nextSlot = 0
    for a in args {
      if let key = a.key {
        let lowered = key.lowercased()
        let canonical = accepted.contains(lowered) ? lowered : Binder.aliases[LayerWord.normalize(key)].flatMap { accepted.contains($0) ? $0 : nil }
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
      if named.contains("activation"), Activation(rawValue: word) != nil || word == "none" {
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
  func pair(_ key: String) throws -> (rows: Int, cols: Int)? {
    guard let a = values[key] else { return nil }
    guard let s = ShapeText.parse(unquote(a.value)), s.count == 1 || s.count == 2 else {
      throw parser.fail(a.valueAt, "\(key) must be N, (R, C) or RxC with whole numbers of at least 1 (got '\(a.value)')")
    }
    return (s[0], s.count == 2 ? s[1] : s[0])
  }

  func dilation() throws -> Int? {
    guard let a = values["dilation_rate"], let d = try pair("dilation_rate") else { return nil }
    guard d.rows == d.cols else {
      throw parser.fail(a.valueAt, "dilation_rate must be the same for rows and columns here (got '\(a.value)')")
    }
    return d.rows
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
    if word == "none" { return .linear }
    if let act = Activation(rawValue: word) { return act }
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
      throw parser.fail(a.valueAt, "\(key) must be a shape such as (28, 28, 1) (got '\(a.value)')")
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
