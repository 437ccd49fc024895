/// One multiply (convolution) or one candidate cell (pooling) inside a window.
public struct StepTerm: Equatable, Sendable {
  /// Input channel the cell comes from.
  public var channel: Int
  /// Position of the tap inside the kernel or pool window.
  public var kernelRow: Int
  public var kernelCol: Int
  /// Position in the input; outside `0..<rows` / `0..<cols` means a padded zero.
  public var inputRow: Int
  public var inputCol: Int
  public var isPadding: Bool
  /// The input value (0 for padding), as typed (see ExactTensor).
  public var value: Double
  /// The kernel weight (1 for pooling, which has no weights).
  public var weight: Double
  /// value * weight, exact while it stays below 2^53.
  public var product: Double { value * weight }
}

/// One output cell: the window, every product and the sum that fills the cell.
public struct Step: Equatable, Sendable {
  public var index: Int
  /// Output channel (0 unless a 1-channel kernel is applied to each input channel on its own).
  public var outputChannel: Int
  public var outputRow: Int
  public var outputCol: Int
  /// Rows and columns of the window in the padded input (0 = first padded row).
  public var paddedRows: ClosedRange<Int>
  public var paddedCols: ClosedRange<Int>
  /// Every tap, channel by channel, row by row, as the course writes them.
  public var terms: [StepTerm]
  /// Convolution: per input channel sum of products. Pooling: empty.
  public var channelSums: [Double]
  public var bias: Double
  /// The output value.
  public var value: Double
  /// Pooling: the index in `terms` of the winning (max) cell.
  public var winner: Int?
}

/// The ordered steps of a convolution or pooling: what `convplay step` prints and what the
/// playground animates. Built once here so that every front end shows the same arithmetic.
public struct StepTrace: Equatable, Sendable {
  public enum Operation: Equatable, Sendable {
    /// Cross-correlation; `flipped` when the kernel was rotated 180 degrees (true convolution).
    case convolution(flipped: Bool)
    case pooling(PoolMode)
  }

  public var operation: Operation
  public var geometry: WindowGeometry
  /// `[C, H, W]` input. The trace keeps values as typed and adds in Double, so the course's
  /// whole-number arithmetic is exact (Float32 would round 16777217 and any product past 2^24).
  public var input: ExactTensor
  /// The kernel as applied (already rotated when flipped); `nil` for pooling.
  public var kernel: ExactTensor?
  public var bias: Double
  public var steps: [Step]
  /// The complete output, `[C_out, OH, OW]`.
  public var output: ExactTensor

  /// Traces a convolution of the engine's Float32 tensors (widened: exact as they are).
  public static func convolution(
    input: Tensor, kernel: Tensor, geometry g: WindowGeometry, bias: Float = 0, flip: Bool = false
  ) -> StepTrace {
    convolution(input: ExactTensor(input), kernel: ExactTensor(kernel), geometry: g, bias: Double(bias), flip: flip)
  }

  /// Traces a convolution of `input` `[C, H, W]` with `kernel` `[C or 1, KH, KW]`. Without
  /// `keepingSteps` only the output is kept (a large matrix's exact result, not its story).
  public static func convolution(
    input: ExactTensor, kernel: ExactTensor, geometry g: WindowGeometry, bias: Double = 0, flip: Bool = false,
    keepingSteps: Bool = true
  ) -> StepTrace {
    let k = flip ? kernel.rotated180() : kernel
    let channels = input.shape[0]
    let perChannel = k.shape[0] == 1 && channels > 1
    precondition(perChannel || k.shape[0] == channels, "kernel channels must match the input's")
    let outChannels = perChannel ? channels : 1
    var steps: [Step] = []
    var out = ExactTensor(zeros: [outChannels, g.outputRows, g.outputCols])
    for oc in 0..<outChannels {
      for orow in 0..<g.outputRows {
        for ocol in 0..<g.outputCols {
          var terms: [StepTerm] = []
          var sums: [Double] = []
          var total = 0.0
          for c in (perChannel ? oc..<(oc + 1) : 0..<channels) {
            var channelSum = 0.0
            for i in 0..<k.shape[1] {
              for j in 0..<k.shape[2] {
                let t = term(input, channel: c, g: g, orow: orow, ocol: ocol, i: i, j: j,
                             weight: k[perChannel ? 0 : c, i, j])
                channelSum += t.product
                if keepingSteps { terms.append(t) }
              }
            }
            sums.append(channelSum)
            total += channelSum
          }
          let value = total + bias
          out[oc, orow, ocol] = value
          guard keepingSteps else { continue }
          steps.append(
            Step(
              index: steps.count, outputChannel: oc, outputRow: orow, outputCol: ocol,
              paddedRows: window(g.rows, orow), paddedCols: window(g.cols, ocol), terms: terms,
              channelSums: sums, bias: bias, value: value, winner: nil))
        }
      }
    }
    return StepTrace(
      operation: .convolution(flipped: flip), geometry: g, input: input, kernel: k, bias: bias,
      steps: steps, output: out)
  }

  /// Traces pooling of the engine's Float32 tensor (widened: exact as it is).
  public static func pooling(input: Tensor, geometry g: WindowGeometry, mode: PoolMode) -> StepTrace {
    pooling(input: ExactTensor(input), geometry: g, mode: mode)
  }

  /// Traces max or average pooling of each channel of `input` `[C, H, W]`. Padded cells take
  /// no part (max: -infinity, avg: left out of the mean), as Keras does.
  public static func pooling(
    input: ExactTensor, geometry g: WindowGeometry, mode: PoolMode, keepingSteps: Bool = true
  ) -> StepTrace {
    let channels = input.shape[0]
    var steps: [Step] = []
    var out = ExactTensor(zeros: [channels, g.outputRows, g.outputCols])
    for c in 0..<channels {
      for orow in 0..<g.outputRows {
        for ocol in 0..<g.outputCols {
          var terms: [StepTerm] = []
          var winner: Int?
          var sum = 0.0
          var n = 0
          for i in 0..<g.rows.kernel {
            for j in 0..<g.cols.kernel {
              let t = term(input, channel: c, g: g, orow: orow, ocol: ocol, i: i, j: j, weight: 1)
              if !t.isPadding {
                if winner == nil || t.value > terms[winner!].value { winner = terms.count }
                sum += t.value
                n += 1
              }
              terms.append(t)
            }
          }
          let value: Double =
            mode == .max ? (winner.map { terms[$0].value } ?? 0) : sum / Double(max(n, 1))
          out[c, orow, ocol] = value
          guard keepingSteps else { continue }
          steps.append(
            Step(
              index: steps.count, outputChannel: c, outputRow: orow, outputCol: ocol,
              paddedRows: window(g.rows, orow), paddedCols: window(g.cols, ocol), terms: terms,
              channelSums: [], bias: 0, value: value, winner: mode == .max ? winner : nil))
        }
      }
    }
    return StepTrace(
      operation: .pooling(mode), geometry: g, input: input, kernel: nil, bias: 0, steps: steps,
      output: out)
  }

  private static func term(
    _ input: ExactTensor, channel c: Int, g: WindowGeometry, orow: Int, ocol: Int, i: Int, j: Int,
    weight: Double
  ) -> StepTerm {
    let r = g.rows.inputIndex(window: orow, tap: i)
    let col = g.cols.inputIndex(window: ocol, tap: j)
    let inside = r >= 0 && r < input.shape[1] && col >= 0 && col < input.shape[2]
    return StepTerm(
      channel: c, kernelRow: i, kernelCol: j, inputRow: r, inputCol: col, isPadding: !inside,
      value: inside ? input[c, r, col] : 0, weight: weight)
  }

  private static func window(_ a: AxisGeometry, _ i: Int) -> ClosedRange<Int> {
    a.windowStart(i)...(a.windowStart(i) + a.effectiveKernel - 1)
  }
}

extension Step {
  /// The course's equation for this cell.
  ///
  /// Convolution, one channel: `60*0 + 113*(-1) + ... + 70*0 = 266`.
  /// Several channels: one line per channel, then `a + b + c + bias = y`.
  /// Max pooling: `max(60, 113, 73, 121) = 121`; average: `(60 + 113 + 73 + 121)/4 = 91.75`.
  public func equationLines(operation: StepTrace.Operation, channelNames: [String]? = nil)
    -> [String]
  {
    switch operation {
    case .convolution:
      let byChannel = Dictionary(grouping: terms, by: \.channel)
      let channels = byChannel.keys.sorted()
      let products: (Int) -> String = { c in
        byChannel[c]!.map { "\(NumberText.factor($0.value))*\(NumberText.factor($0.weight))" }
          .joined(separator: " + ")
      }
      if channels.count == 1 {
        var line = products(channels[0])
        if bias != 0 { line += " + " + NumberText.factor(bias) }
        return [line + " = " + NumberText.format(value)]
      }
      var lines: [String] = []
      for (n, c) in channels.enumerated() {
        let name = channelNames.flatMap { c < $0.count ? $0[c] : nil } ?? "channel \(c)"
        lines.append("\(name): \(products(c)) = \(NumberText.format(channelSums[n]))")
      }
      var sum = channelSums.map(NumberText.factor).joined(separator: " + ")
      sum += " + " + NumberText.factor(bias) + " (bias)"
      lines.append(sum + " = " + NumberText.format(value))
      return lines
    case .pooling(let mode):
      let cells = terms.filter { !$0.isPadding }.map { NumberText.format($0.value) }
      switch mode {
      case .max:
        return ["max(" + cells.joined(separator: ", ") + ") = " + NumberText.format(value)]
      case .avg:
        return [
          "(" + cells.joined(separator: " + ") + ")/\(cells.count) = " + NumberText.format(value)
        ]
      }
    }
  }
}
