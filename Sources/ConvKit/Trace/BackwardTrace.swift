/// One product of a backward step: an output cell's gradient times an input value (for dL/dK)
/// or times a kernel weight (for dL/dX).
public struct GradientTerm: Equatable, Sendable {
  /// The output cell whose gradient flows back.
  public var outputRow: Int
  public var outputCol: Int
  /// The kernel tap that connects the output cell to the input cell.
  public var kernelRow: Int
  public var kernelCol: Int
  /// The input cell (outside `0..<rows` / `0..<cols`: a padded zero).
  public var inputRow: Int
  public var inputCol: Int
  public var isPadding: Bool
  /// dL/dY at the output cell.
  public var gradient: Float
  /// dL/dK: the input value under the tap (0 for padding). dL/dX: the kernel weight.
  public var factor: Float
  public var product: Float { factor * gradient }
}

/// One cell of a gradient: every product and their sum.
public struct GradientStep: Equatable, Sendable {
  public enum Target: Equatable, Sendable {
    /// dL/dK[row, col]: the sum over every window of (input under this tap) * (output gradient).
    case kernel(row: Int, col: Int)
    /// dL/dX[row, col]: every output gradient this input cell fed, times the weight it met.
    /// Row and column are in the input (negative or past the end: a padded cell).
    case input(row: Int, col: Int, isPadding: Bool)
  }

  public var index: Int
  public var target: Target
  public var terms: [GradientTerm]
  public var value: Float

  /// The course's way of writing the sum: `60*1 + 113*1 + ... = 826` (dK: input*gradient;
  /// dX: gradient*weight). An empty sum (no window reaches the cell) is `0`.
  public var equation: String {
    guard !terms.isEmpty else { return "0" }
    let products = terms.map { t -> String in
      switch target {
      case .kernel: return NumberText.factor(t.factor) + "*" + NumberText.factor(t.gradient)
      case .input: return NumberText.factor(t.gradient) + "*" + NumberText.factor(t.factor)
      }
    }
    return products.joined(separator: " + ") + " = " + NumberText.format(value)
  }
}

/// The backward pass of a one-channel convolution Y = X (*) K + b (cross-correlation, as
/// Keras computes it), cell by cell, with stride, padding and dilation.
///
/// Given the upstream gradient G = dL/dY:
/// - dL/dK[i,j] = sum over output cells o of X[window(o) + tap(i,j)] * G[o] (padded taps add 0);
/// - dL/db = sum of G;
/// - dL/dX[r,c] = sum over (o, tap) with window(o) + tap = (r,c) of G[o] * K[tap]: each output
///   gradient scattered back through the kernel. The same numbers are a "full" convolution of
///   G (spread out by the stride) with the kernel turned 180 degrees (`fullConvolutionInputGradient`).
///   Padded cells receive gradient too, and it is dropped: they are not inputs.
/// Built here once so that `convplay step --backward` and the backprop screen show the same
/// arithmetic; tests check it against the engine's `Conv2DRuntime.backward`.
public struct BackwardTrace: Equatable, Sendable {
  /// Where G = dL/dY came from.
  public enum Upstream: Equatable, Sendable {
    /// Every output cell's gradient is 1 (L = sum of Y).
    case ones
    /// A gradient given cell by cell.
    case given(Tensor)
    /// L = 0.5 * sum((Y - T)^2) against the target T, so G = Y - T.
    case target(Tensor)
  }

  public var geometry: WindowGeometry
  /// `[1, H, W]`.
  public var input: Tensor
  /// `[1, KH, KW]`.
  public var kernel: Tensor
  public var bias: Float
  /// The forward pass, `[1, OH, OW]`.
  public var output: Tensor
  public var upstream: Upstream
  /// 0.5 * sum((Y - T)^2) for `.target`, else nil.
  public var loss: Double?
  /// G = dL/dY, `[1, OH, OW]`.
  public var outputGradient: Tensor
  /// One step per kernel cell, row by row.
  public var kernelSteps: [GradientStep]
  /// One step per cell of the padded input, row by row (padded cells included, marked).
  public var inputSteps: [GradientStep]
  /// `[1, KH, KW]`.
  public var kernelGradient: Tensor
  public var biasGradient: Float
  /// `[1, H, W]` (padded cells dropped).
  public var inputGradient: Tensor

  public enum Problem: Error, Equatable, CustomStringConvertible {
    case shape(what: String, expected: [Int], got: [Int])
    public var description: String {
      switch self {
      case .shape(let what, let e, let g):
        let show: ([Int]) -> String = { s in s.dropFirst().map(String.init).joined(separator: "x") }
        return "the \(what) must be \(show(e)) like the output (got \(show(g)))"
      }
    }
  }

  /// Traces the backward pass of `input` `[1, H, W]` convolved with `kernel` `[1, KH, KW]`.
  /// Throws when a given gradient or target is not the output's shape.
  public init(input: Tensor, kernel: Tensor, geometry g: WindowGeometry, bias: Float = 0, upstream: Upstream) throws {
    precondition(input.rank == 3 && input.shape[0] == 1 && kernel.rank == 3 && kernel.shape[0] == 1,
                 "the backward trace takes one-channel [1, H, W] tensors")
    let forward = StepTrace.convolution(input: input, kernel: kernel, geometry: g, bias: bias)
    let y = forward.output.tensor
    let outShape = [1, g.outputRows, g.outputCols]
    var grad: Tensor
    var loss: Double?
    switch upstream {
    case .ones:
      grad = Tensor(shape: outShape, scalars: [Float](repeating: 1, count: g.outputRows * g.outputCols))
    case .given(let t):
      guard t.shape == outShape else { throw Problem.shape(what: "gradient", expected: outShape, got: t.shape) }
      grad = t
    case .target(let t):
      guard t.shape == outShape else { throw Problem.shape(what: "target", expected: outShape, got: t.shape) }
      grad = Tensor(shape: outShape, scalars: zip(y.scalars, t.scalars).map { $0 - $1 })
      loss = 0.5 * grad.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }
    }
    self.geometry = g
    self.input = input
    self.kernel = kernel
    self.bias = bias
    self.output = y
    self.upstream = upstream
    self.loss = loss
    self.outputGradient = grad

    let (h, w) = (input.shape[1], input.shape[2])
    let (kh, kw) = (kernel.shape[1], kernel.shape[2])
    let (oh, ow) = (g.outputRows, g.outputCols)
    func inside(_ r: Int, _ c: Int) -> Bool { r >= 0 && r < h && c >= 0 && c < w }

    // dL/dK: one step per tap, the sum over every window.
    var kSteps: [GradientStep] = []
    var dK = Tensor(zeros: [1, kh, kw])
    for i in 0..<kh {
      for j in 0..<kw {
        var terms: [GradientTerm] = []
        var sum = 0.0
        for orow in 0..<oh {
          for ocol in 0..<ow {
            let r = g.rows.inputIndex(window: orow, tap: i)
            let c = g.cols.inputIndex(window: ocol, tap: j)
            let pad = !inside(r, c)
            let t = GradientTerm(
              outputRow: orow, outputCol: ocol, kernelRow: i, kernelCol: j, inputRow: r, inputCol: c,
              isPadding: pad, gradient: grad[0, orow, ocol], factor: pad ? 0 : input[0, r, c])
            sum += Double(t.factor) * Double(t.gradient)
            terms.append(t)
          }
        }
        dK[0, i, j] = Float(sum)
        kSteps.append(GradientStep(index: kSteps.count, target: .kernel(row: i, col: j), terms: terms, value: Float(sum)))
      }
    }

    // dL/dX: every cell of the padded input collects what reached it.
    let (pr0, pc0) = (g.rows.padBefore, g.cols.padBefore)
    let paddedRows = h + pr0 + g.rows.padAfter
    let paddedCols = w + pc0 + g.cols.padAfter
    var collected = [[GradientTerm]](repeating: [], count: paddedRows * paddedCols)
    for orow in 0..<oh {
      for ocol in 0..<ow {
        for i in 0..<kh {
          for j in 0..<kw {
            let r = g.rows.inputIndex(window: orow, tap: i)
            let c = g.cols.inputIndex(window: ocol, tap: j)
            collected[(r + pr0) * paddedCols + c + pc0].append(GradientTerm(
              outputRow: orow, outputCol: ocol, kernelRow: i, kernelCol: j, inputRow: r, inputCol: c,
              isPadding: !inside(r, c), gradient: grad[0, orow, ocol], factor: kernel[0, i, j]))
          }
        }
      }
    }
    var xSteps: [GradientStep] = []
    var dX = Tensor(zeros: [1, h, w])
    for pr in 0..<paddedRows {
      for pc in 0..<paddedCols {
        let (r, c) = (pr - pr0, pc - pc0)
        let terms = collected[pr * paddedCols + pc]
        let sum = terms.reduce(0.0) { $0 + Double($1.gradient) * Double($1.factor) }
        let pad = !inside(r, c)
        if !pad { dX[0, r, c] = Float(sum) }
        xSteps.append(GradientStep(
          index: xSteps.count, target: .input(row: r, col: c, isPadding: pad), terms: terms, value: Float(sum)))
      }
    }
    kernelSteps = kSteps
    inputSteps = xSteps
    kernelGradient = dK
    biasGradient = Float(grad.scalars.reduce(0.0) { $0 + Double($1) })
    inputGradient = dX
  }

  /// All steps: dL/dK first, then dL/dX.
  public var steps: [GradientStep] { kernelSteps + inputSteps }

  /// dL/dX computed the other way, as a "full" convolution: G spread out by the stride
  /// (stride - 1 zeros between cells), surrounded by effectiveKernel - 1 zeros, cross-correlated
  /// with the kernel turned 180 degrees (and dilated), then cropped by the padding. An
  /// independent route to `inputGradient`, for tests and for the lesson's claim.
  public var fullConvolutionInputGradient: Tensor {
    let g = geometry
    let (h, w) = (input.shape[1], input.shape[2])
    let (kh, kw) = (kernel.shape[1], kernel.shape[2])
    let flipped = kernel.rotated180()
    let (ekh, ekw) = (g.rows.effectiveKernel, g.cols.effectiveKernel)
    // G spread by the stride, in a frame of effectiveKernel - 1 zeros.
    let spreadRows = (g.outputRows - 1) * g.rows.stride + 1 + 2 * (ekh - 1)
    let spreadCols = (g.outputCols - 1) * g.cols.stride + 1 + 2 * (ekw - 1)
    var spread = [Float](repeating: 0, count: spreadRows * spreadCols)
    for orow in 0..<g.outputRows {
      for ocol in 0..<g.outputCols {
        spread[(orow * g.rows.stride + ekh - 1) * spreadCols + ocol * g.cols.stride + ekw - 1] = outputGradient[0, orow, ocol]
      }
    }
    var dX = Tensor(zeros: [1, h, w])
    for r in 0..<h {
      for c in 0..<w {
        // Position r in the padded input is r + padBefore; the full convolution's output p
        // covers spread rows p...p + ekh - 1.
        let (pr, pc) = (r + g.rows.padBefore, c + g.cols.padBefore)
        var sum = 0.0
        for i in 0..<kh {
          for j in 0..<kw {
            let sr = pr + i * g.rows.dilation
            let sc = pc + j * g.cols.dilation
            guard sr < spreadRows, sc < spreadCols else { continue }
            sum += Double(spread[sr * spreadCols + sc]) * Double(flipped[0, i, j])
          }
        }
        dX[0, r, c] = Float(sum)
      }
    }
    return dX
  }

  /// One step of plain gradient descent: K' = K - lr * dL/dK, b' = b - lr * dL/db.
  public func sgdStep(learningRate lr: Float) -> (kernel: Tensor, bias: Float) {
    let k = Tensor(shape: kernel.shape, scalars: zip(kernel.scalars, kernelGradient.scalars).map { $0 - lr * $1 })
    return (k, bias - lr * biasGradient)
  }
}
