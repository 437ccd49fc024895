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
      rows: r0...(r0 + g.rows.effectiveKernel - 1), cols: c0...(c0 + g.cols.effectiveKernel - 1))
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
