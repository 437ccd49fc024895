extension GraphNode {
  /// The window geometry of a convolution, depthwise/separable convolution or pooling node on
  /// an `[H, W, C]` input (nil for other nodes): the same `WindowGeometry` `GraphSpec` sizes it with.
  public func window(on input: FeatureShape) throws -> WindowGeometry? {
    guard input.count == 3 else { return nil }
    switch op {
    case .layer(let kind):
      return try LayerSpec(kind).window(on: input)
    case .depthwiseConv2D(let k, let s, let p, _, _), .separableConv2D(_, let k, let s, let p, _, _):
      return try WindowGeometry(
        inputRows: input[0], inputCols: input[1], kernelRows: k.rows, kernelCols: k.cols,
        strideRows: s.rows, strideCols: s.cols, padding: p)
    default:
      return nil
    }
  }

  /// How the node's output size is made, with the numbers: the window formula
  /// (`(224 + 2*1 - 3)/1 + 1 = 224`), ZeroPadding's sum (`224 + 3 + 3 = 230`), Concatenate's
  /// channel sum (`64 + 64 + 96 + 32 = 256`); nil when the node keeps its input's size.
  public func shapeFormula(for inputs: [FeatureShape]) -> String? {
    switch op {
    case .layer(let kind):
      guard let input = inputs.first else { return nil }
      return LayerSpec(kind).shapeFormula(for: input)
    case .depthwiseConv2D, .separableConv2D:
      guard let input = inputs.first, let g = try? window(on: input) else { return nil }
      return g.rows.formula == g.cols.formula ? g.rows.formula : g.rows.formula + ", " + g.cols.formula
    case .zeroPadding2D(let t, let b, let l, let r):
      guard let s = inputs.first, s.count == 3 else { return nil }
      let rows = "\(s[0]) + \(t) + \(b) = \(s[0] + t + b)"
      let cols = "\(s[1]) + \(l) + \(r) = \(s[1] + l + r)"
      return rows == cols ? rows : rows + ", " + cols
    case .concatenate:
      let channels = inputs.compactMap(\.last)
      guard channels.count == inputs.count, channels.count > 1 else { return nil }
      return channels.map(String.init).joined(separator: " + ") + " = " + String(channels.reduce(0, +))
    case .reshape(let target):
      guard let s = inputs.first else { return nil }
      return s.map(String.init).joined(separator: "*") + " = " + target.map(String.init).joined(separator: "*")
    case .input, .batchNormalization, .relu, .add:
      return nil
    }
  }

  /// Keras's parameter count with its formula filled in, as `LayerSpec.parameterFormula` writes
  /// it for plain layers: depthwise `3*3*32 = 288` (kernel rows * cols * channels * multiplier),
  /// separable `3*3*64 + 64*128 = 8,768` (depthwise + pointwise), BatchNormalization `4*64 = 256`
  /// (gamma, beta, moving mean and variance; 3 per channel without its scale). The number after
  /// `=` is `parameters`, the count `GraphSpec.rows()` gives: the text only shows how it is made.
  public func parameterFormula(for inputs: [FeatureShape], parameters: ParameterCount) -> String {
    let g = NumberText.grouped
    let total = g(parameters.total)
    let cin = inputs.first?.last ?? 1
    switch op {
    case .layer(let kind):
      return LayerSpec(kind).parameterFormula(for: inputs.first ?? [])
    case .batchNormalization(let center, let scale):
      let perChannel = 2 + (center ? 1 : 0) + (scale ? 1 : 0)
      return "\(perChannel)*\(g(cin)) = " + total
    case .depthwiseConv2D(let k, _, _, let dm, let bias):
      let m = dm == 1 ? "" : "*\(dm)"
      let weights = "\(k.rows)*\(k.cols)*\(g(cin))\(m)"
      return (bias ? weights + " + \(g(cin * dm))" : weights) + " = " + total
    case .separableConv2D(let filters, let k, _, _, let dm, let bias):
      let m = dm == 1 ? "" : "*\(dm)"
      let depthwise = "\(k.rows)*\(k.cols)*\(g(cin))\(m)"
      let pointwise = "\(g(cin * dm))*\(g(filters))"
      return depthwise + " + " + pointwise + (bias ? " + \(g(filters))" : "") + " = " + total
    case .input, .zeroPadding2D, .relu, .reshape, .add, .concatenate:
      return total
    }
  }
}
