extension LayerSpec {
  /// The layer as Keras code, which `ModelSpecParser` also reads back:
  /// `Conv2D(64, kernel_size=(3, 3), activation='relu')`, `MaxPooling2D(pool_size=(2, 2))`.
  /// Arguments equal to Keras's defaults are left out, as people write them.
  public var kerasCode: String {
    func pair(_ p: (rows: Int, cols: Int)) -> String { "(\(p.rows), \(p.cols))" }
    func paddingArg(_ p: Padding) -> String? {
      switch p {
      case .valid: return nil
      case .same: return "padding='same'"
      case .explicit(let n): return "padding=\(n)"
      }
    }
    var args: [String]
    switch kind {
    case .conv2D(let filters, let k, let s, let p, let d, let a, let bias):
      args = ["\(filters)", "kernel_size=" + pair(k)]
      if s != (1, 1) { args.append("strides=" + pair(s)) }
      if let pa = paddingArg(p) { args.append(pa) }
      if d != 1 { args.append("dilation_rate=\(d)") }
      if a != .linear { args.append("activation='\(a.rawValue)'") }
      if !bias { args.append("use_bias=False") }
    case .maxPool2D(let k, let s, let p), .averagePool2D(let k, let s, let p):
      args = ["pool_size=" + pair(k)]
      if s != k { args.append("strides=" + pair(s)) }
      if let pa = paddingArg(p) { args.append(pa) }
    case .globalAveragePool2D, .flatten:
      args = []
    case .dense(let units, let a, let bias):
      args = ["\(units)"]
      if a != .linear { args.append("activation='\(a.rawValue)'") }
      if !bias { args.append("use_bias=False") }
    case .dropout(let rate):
      args = [NumberText.format(rate)]
    case .batchNormalization(let eps, let momentum):
      args = []
      if eps != 0.001 { args.append("epsilon=" + NumberText.format(eps)) }
      if momentum != 0.99 { args.append("momentum=" + NumberText.format(momentum)) }
    case .activation(let a):
      args = ["'\(a.rawValue)'"]
    }
    if !trainable { args.append("trainable=False") }
    return kind.kerasClass + "(" + args.joined(separator: ", ") + ")"
  }

  /// Keras's parameter count with its formula filled in, the way the course explains it:
  /// `64*3*3*1 + 64 = 640` (filters*rows*cols*channels + biases), `43,264*10 + 10 = 432,650`,
  /// `4*64 = 256` for BatchNormalization, `0` for layers without weights.
  /// The number after `=` is `parameters(for:)`: the text only shows how it is made.
  public func parameterFormula(for input: FeatureShape) -> String {
    let total = NumberText.grouped(parameters(for: input).total)
    let g = NumberText.grouped
    let cin = input.last ?? 1
    switch kind {
    case .conv2D(let filters, let k, _, _, _, _, let bias):
      let weights = "\(g(filters))*\(k.rows)*\(k.cols)*\(g(cin))"
      return (bias ? "\(weights) + \(g(filters))" : weights) + " = " + total
    case .dense(let units, _, let bias):
      let weights = "\(g(cin))*\(g(units))"
      return (bias ? "\(weights) + \(g(units))" : weights) + " = " + total
    case .batchNormalization:
      return "4*\(g(cin)) = " + total
    default:
      return total
    }
  }

  /// How the layer's output size is made, with the numbers: the window formula for conv and
  /// pooling (`(28 + 2*0 - 3)/1 + 1 = 26`, one per axis when they differ), the product for
  /// Flatten (`26*26*64 = 43,264`); nil for layers that keep or simply set the size.
  public func shapeFormula(for input: FeatureShape) -> String? {
    if let g = try? window(on: input) {
      return g.rows.formula == g.cols.formula ? g.rows.formula : g.rows.formula + ", " + g.cols.formula
    }
    if kind == .flatten, let out = try? outputShape(for: input) {
      return input.map(String.init).joined(separator: "*") + " = " + NumberText.grouped(out.reduce(1, *))
    }
    return nil
  }
}
