import ConvKit
import Foundation

/// The arithmetic behind one cell of a layer's output, recomputed from the layer's input and
/// weights in Double (the engine's value agrees to float rounding): a convolution neuron's
/// window and partial sums, a pooling window, a dense unit's products, the softmax.
enum CellComputation {
  /// One Conv2D neuron: output cell (row, col) of filter `filter`.
  struct Neuron {
    var kernelRows: Int
    var kernelCols: Int
    /// Per input channel: the window's values (0 where padded), row by row.
    var windows: [[Float]]
    var padded: [Bool]
    /// Per input channel: the filter's weights for that channel, row by row.
    var weights: [[Float]]
    /// Per input channel: sum of window * weights.
    var partialSums: [Double]
    var bias: Float
    /// Sum of the partial sums plus the bias: the value before the activation.
    var z: Double
    var activation: Activation
    /// Rows and columns of the window in the layer's input (may reach into padding).
    var rows: ClosedRange<Int>
    var cols: ClosedRange<Int>
    /// The input channel of each window (0-based) and how many the input has: every channel
    /// for Conv2D, the output channel's own one for DepthwiseConv2D.
    var channelNumbers: [Int] = []
    var inputChannels = 0
    /// DepthwiseConv2D: one channel, its own kernel, no sum across channels.
    var depthwise = false

    var value: Double { activation == .relu ? max(0, z) : Double(activation.apply([Float(z)], width: 1)[0]) }
  }

  static func neuron(_ a: NetworkActivations, layer i: Int, row: Int, col: Int, filter f: Int) -> Neuron? {
    let layer = a.layers[i]
    guard case .conv(let filters, let kh, let kw, let g, let activation) = layer.role, let kernel = layer.kernel else { return nil }
    let input = a.layerInput(i)
    let (h, w, cin) = (layer.inputShape[0], layer.inputShape[1], layer.inputShape[2])
    var windows = [[Float]](repeating: [], count: cin)
    var weights = [[Float]](repeating: [], count: cin)
    var padded = [Bool]()
    var partial = [Double](repeating: 0, count: cin)
    for ki in 0..<kh {
      for kj in 0..<kw {
        let r = g.rows.inputIndex(window: row, tap: ki)
        let c = g.cols.inputIndex(window: col, tap: kj)
        let inside = r >= 0 && r < h && c >= 0 && c < w
        padded.append(!inside)
        for ch in 0..<cin {
          let x = inside ? input[(r * w + c) * cin + ch] : 0
          let wt = kernel[((ki * kw + kj) * cin + ch) * filters + f]
          windows[ch].append(x)
          weights[ch].append(wt)
          partial[ch] += Double(x) * Double(wt)
        }
      }
    }
    let bias = layer.bias?[f] ?? 0
    let r0 = g.rows.inputIndex(window: row, tap: 0)
    let c0 = g.cols.inputIndex(window: col, tap: 0)
    return Neuron(
      kernelRows: kh, kernelCols: kw, windows: windows, padded: padded, weights: weights, partialSums: partial,
      bias: bias, z: partial.reduce(0, +) + Double(bias), activation: activation,
      rows: r0...(r0 + g.rows.effectiveKernel - 1), cols: c0...(c0 + g.cols.effectiveKernel - 1),
      channelNumbers: Array(0..<cin), inputChannels: cin)
  }

  /// One DepthwiseConv2D neuron: output channel `channel` = input channel `channel / M` under
  /// its own kernel `channel % M` (M = depth_multiplier); nothing from the other channels.
  static func depthwiseNeuron(_ a: NetworkActivations, layer i: Int, row: Int, col: Int, channel: Int) -> Neuron? {
    let layer = a.layers[i]
    guard case .depthwise(let m, let kh, let kw, let g, let activation) = layer.role, let kernel = layer.kernel,
      layer.inputShape.count == 3
    else { return nil }
    let input = a.layerInput(i)
    let (h, w, cin) = (layer.inputShape[0], layer.inputShape[1], layer.inputShape[2])
    let c = channel / m
    let k = channel % m
    guard c < cin, kernel.count == kh * kw * cin * m else { return nil }
    var window: [Float] = []
    var weights: [Float] = []
    var padded: [Bool] = []
    var sum = 0.0
    for ki in 0..<kh {
      for kj in 0..<kw {
        let r = g.rows.inputIndex(window: row, tap: ki)
        let cc = g.cols.inputIndex(window: col, tap: kj)
        let inside = r >= 0 && r < h && cc >= 0 && cc < w
        padded.append(!inside)
        let x = inside ? input[(r * w + cc) * cin + c] : 0
        let wt = kernel[((ki * kw + kj) * cin + c) * m + k]
        window.append(x)
        weights.append(wt)
        sum += Double(x) * Double(wt)
      }
    }
    let bias = layer.bias?[channel] ?? 0
    let r0 = g.rows.inputIndex(window: row, tap: 0)
    let c0 = g.cols.inputIndex(window: col, tap: 0)
    return Neuron(
      kernelRows: kh, kernelCols: kw, windows: [window], padded: padded, weights: [weights], partialSums: [sum],
      bias: bias, z: sum + Double(bias), activation: activation,
      rows: r0...(r0 + g.rows.effectiveKernel - 1), cols: c0...(c0 + g.cols.effectiveKernel - 1),
      channelNumbers: [c], inputChannels: cin, depthwise: true)
  }

  /// One cell of an Add layer: the same cell and channel of every input, and their sum.
  struct AddCell {
    var terms: [(name: String, value: Float)]
    var sum: Double
    var shape: FeatureShape
  }

  static func add(_ a: NetworkActivations, layer i: Int, index: Int) -> AddCell? {
    let layer = a.layers[i]
    guard case .add = layer.role else { return nil }
    var terms: [(name: String, value: Float)] = []
    for (k, name) in layer.inputNames.enumerated() {
      let v = a.layerInput(i, k)
      guard index < v.count else { return nil }
      terms.append((name, v[index]))
    }
    return AddCell(terms: terms, sum: terms.reduce(0.0) { $0 + Double($1.value) }, shape: layer.outputShape)
  }

  /// One channel of a Concatenate layer: which input it comes from and which of its channels.
  struct ConcatChannel {
    /// Each input: its name, its first channel in the output (0-based) and its channel count.
    var parts: [(name: String, first: Int, count: Int)]
    /// The input the chosen channel comes from (index in `parts`) and its channel there.
    var part: Int
    var channelInPart: Int
    var value: Float
  }

  static func concatenate(_ a: NetworkActivations, layer i: Int, channel: Int, value: Float) -> ConcatChannel? {
    let layer = a.layers[i]
    guard case .concatenate = layer.role else { return nil }
    var parts: [(name: String, first: Int, count: Int)] = []
    var first = 0
    for (name, shape) in zip(layer.inputNames, layer.inputShapes) {
      let c = shape.last ?? 0
      parts.append((name, first, c))
      first += c
    }
    guard let part = parts.firstIndex(where: { channel >= $0.first && channel < $0.first + $0.count }) else { return nil }
    return ConcatChannel(parts: parts, part: part, channelInPart: channel - parts[part].first, value: value)
  }

  /// A BatchNormalization value worked out: (x - mean) / sqrt(variance + epsilon) * gamma + beta.
  struct BatchNormCell {
    var x: Float
    var mean: Float
    var variance: Float
    var epsilon: Float
    var gamma: Float
    var beta: Float
    var y: Double { (Double(x) - Double(mean)) / (Double(variance) + Double(epsilon)).squareRoot() * Double(gamma) + Double(beta) }
  }

  static func batchNorm(_ a: NetworkActivations, layer i: Int, index: Int, channel: Int) -> BatchNormCell? {
    let layer = a.layers[i]
    guard case .batchNorm(let eps) = layer.role else { return nil }
    let input = a.layerInput(i)
    guard index < input.count, let mean = layer.weights["moving_mean"], let variance = layer.weights["moving_variance"],
      channel < mean.count, channel < variance.count
    else { return nil }
    return BatchNormCell(
      x: input[index], mean: mean[channel], variance: variance[channel], epsilon: eps,
      gamma: layer.weights["gamma"]?[channel] ?? 1, beta: layer.weights["beta"]?[channel] ?? 0)
  }

  /// A pooling cell: the window's values in the previous layer's channel and the result.
  struct PoolWindow {
    var mode: PoolMode
    var values: [Float]
    var rows: ClosedRange<Int>
    var cols: ClosedRange<Int>
    var value: Float
  }

  static func pool(_ a: NetworkActivations, layer i: Int, row: Int, col: Int, channel ch: Int) -> PoolWindow? {
    let layer = a.layers[i]
    guard case .pool(let mode, let g) = layer.role else { return nil }
    let input = a.layerInput(i)
    let (h, w, c) = (layer.inputShape[0], layer.inputShape[1], layer.inputShape[2])
    var values: [Float] = []
    for ki in 0..<g.rows.kernel {
      for kj in 0..<g.cols.kernel {
        let r = g.rows.inputIndex(window: row, tap: ki)
        let cc = g.cols.inputIndex(window: col, tap: kj)
        if r >= 0 && r < h && cc >= 0 && cc < w { values.append(input[(r * w + cc) * c + ch]) }
      }
    }
    let value = mode == .max ? (values.max() ?? 0) : values.reduce(0, +) / Float(max(1, values.count))
    let r0 = g.rows.inputIndex(window: row, tap: 0)
    let c0 = g.cols.inputIndex(window: col, tap: 0)
    return PoolWindow(
      mode: mode, values: values, rows: r0...(r0 + g.rows.kernel - 1), cols: c0...(c0 + g.cols.kernel - 1), value: value)
  }

  /// A dense unit: every input * weight, the bias and the value before the activation.
  struct DenseUnit {
    var products: [(input: Int, x: Float, weight: Float, product: Double)]
    var bias: Float
    var z: Double
    var activation: Activation
  }

  static func dense(_ a: NetworkActivations, layer i: Int, unit j: Int) -> DenseUnit? {
    let layer = a.layers[i]
    guard case .dense(let units, let activation) = layer.role, let kernel = layer.kernel else { return nil }
    let input = a.layerInput(i)
    let products = input.indices.map { k in
      (input: k, x: input[k], weight: kernel[k * units + j], product: Double(input[k]) * Double(kernel[k * units + j]))
    }
    let bias = layer.bias?[j] ?? 0
    return DenseUnit(
      products: products, bias: bias, z: products.reduce(0.0) { $0 + $1.product } + Double(bias), activation: activation)
  }

  /// Softmax of logits, as the engine computes it: exp(z - max), their sum, each divided by it.
  struct Softmax {
    var logits: [Double]
    var maximum: Double
    var exps: [Double]
    var sum: Double
    var probabilities: [Double]
  }

  static func softmax(_ logits: [Float]) -> Softmax {
    let z = logits.map(Double.init)
    let m = z.max() ?? 0
    let e = z.map { exp($0 - m) }
    let s = e.reduce(0, +)
    return Softmax(logits: z, maximum: m, exps: e, sum: s, probabilities: e.map { $0 / s })
  }
}
