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
/// playground animates. Built here so that every front end shows the same arithmetic; the
/// steps are computed when read (`StepList`), so a large matrix costs only the steps shown.
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
  /// Every step, in order: output channel, then row, then column.
  public var steps: StepList
  /// The complete output, `[C_out, OH, OW]`.
  public var output: ExactTensor

  /// Traces a convolution of the engine's Float32 tensors (widened: exact as they are).
  public static func convolution(
    input: Tensor, kernel: Tensor, geometry g: WindowGeometry, bias: Float = 0, flip: Bool = false
  ) -> StepTrace {
    convolution(input: ExactTensor(input), kernel: ExactTensor(kernel), geometry: g, bias: Double(bias), flip: flip)
  }

  /// Traces a convolution of `input` `[C, H, W]` with `kernel` `[C or 1, KH, KW]`.
  public static func convolution(
    input: ExactTensor, kernel: ExactTensor, geometry g: WindowGeometry, bias: Double = 0, flip: Bool = false
  ) -> StepTrace {
    precondition(input.shape.count == 3 && kernel.shape.count == 3, "traces take [C, H, W] tensors")
    let k = flip ? kernel.rotated180() : kernel
    let channels = input.shape[0]
    let perChannel = k.shape[0] == 1 && channels > 1
    precondition(perChannel || k.shape[0] == channels, "kernel channels must match the input's")
    let steps = StepList(
      operation: .convolution(flipped: flip), geometry: g, input: input, kernel: k, bias: bias,
      outputChannels: perChannel ? channels : 1)
    return StepTrace(
      operation: .convolution(flipped: flip), geometry: g, input: input, kernel: k, bias: bias,
      steps: steps, output: steps.output())
  }

  /// Traces pooling of the engine's Float32 tensor (widened: exact as it is).
  public static func pooling(input: Tensor, geometry g: WindowGeometry, mode: PoolMode) -> StepTrace {
    pooling(input: ExactTensor(input), geometry: g, mode: mode)
  }

  /// Traces max or average pooling of each channel of `input` `[C, H, W]`. Padded cells take
  /// no part (max: -infinity, avg: left out of the mean), as Keras does.
  public static func pooling(input: ExactTensor, geometry g: WindowGeometry, mode: PoolMode) -> StepTrace {
    precondition(input.shape.count == 3, "traces take [C, H, W] tensors")
    let steps = StepList(
      operation: .pooling(mode), geometry: g, input: input, kernel: nil, bias: 0, outputChannels: input.shape[0])
    return StepTrace(
      operation: .pooling(mode), geometry: g, input: input, kernel: nil, bias: 0, steps: steps,
      output: steps.output())
  }
}

/// The steps of a trace as a collection that computes each one when it is read.
public struct StepList: RandomAccessCollection, Equatable, Sendable {
  let operation: StepTrace.Operation
  let geometry: WindowGeometry
  let input: ExactTensor
  /// The kernel as applied; nil for pooling.
  let kernel: ExactTensor?
  let bias: Double
  let outputChannels: Int

  public var startIndex: Int { 0 }
  public var endIndex: Int { outputChannels * geometry.outputRows * geometry.outputCols }

  public subscript(index: Int) -> Step {
    precondition(indices.contains(index), "step \(index) is outside 0..<\(endIndex)")
    let perMap = geometry.outputRows * geometry.outputCols
    let oc = index / perMap
    let orow = index % perMap / geometry.outputCols
    let ocol = index % geometry.outputCols
    switch operation {
    case .convolution: return convolutionStep(index, oc, orow, ocol)
    case .pooling(let mode): return poolingStep(index, oc, orow, ocol, mode)
    }
  }

  /// A 1-channel kernel on a several-channel input filters each channel on its own.
  private var perChannel: Bool { outputChannels > 1 && (kernel?.shape[0] ?? 1) == 1 }

  private func convolutionStep(_ index: Int, _ oc: Int, _ orow: Int, _ ocol: Int) -> Step {
    let k = kernel!
    var terms: [StepTerm] = []
    terms.reserveCapacity(k.shape[1] * k.shape[2] * (perChannel ? 1 : input.shape[0]))
    var sums: [Double] = []
    var total = 0.0
    for c in channelRange(oc) {
      var channelSum = 0.0
      for i in 0..<k.shape[1] {
        for j in 0..<k.shape[2] {
          let t = term(channel: c, orow: orow, ocol: ocol, i: i, j: j, weight: k[perChannel ? 0 : c, i, j])
          channelSum += t.product
          terms.append(t)
        }
      }
      sums.append(channelSum)
      total += channelSum
    }
    return Step(
      index: index, outputChannel: oc, outputRow: orow, outputCol: ocol,
      paddedRows: window(geometry.rows, orow), paddedCols: window(geometry.cols, ocol), terms: terms,
      channelSums: sums, bias: bias, value: total + bias, winner: nil)
  }

  private func poolingStep(_ index: Int, _ c: Int, _ orow: Int, _ ocol: Int, _ mode: PoolMode) -> Step {
    var terms: [StepTerm] = []
    var winner: Int?
    var sum = 0.0
    var n = 0
    for i in 0..<geometry.rows.kernel {
      for j in 0..<geometry.cols.kernel {
        let t = term(channel: c, orow: orow, ocol: ocol, i: i, j: j, weight: 1)
        if !t.isPadding {
          if winner == nil || t.value > terms[winner!].value { winner = terms.count }
          sum += t.value
          n += 1
        }
        terms.append(t)
      }
    }
    let value: Double = mode == .max ? (winner.map { terms[$0].value } ?? 0) : sum / Double(Swift.max(n, 1))
    return Step(
      index: index, outputChannel: c, outputRow: orow, outputCol: ocol,
      paddedRows: window(geometry.rows, orow), paddedCols: window(geometry.cols, ocol), terms: terms,
      channelSums: [], bias: 0, value: value, winner: mode == .max ? winner : nil)
  }

  /// The whole output, with the sums the steps show (same order, same Double arithmetic) but
  /// without building the steps' terms.
  func output() -> ExactTensor {
    let g = geometry
    var out = ExactTensor(zeros: [outputChannels, g.outputRows, g.outputCols])
    let (h, w) = (input.shape[1], input.shape[2])
    for oc in 0..<outputChannels {
      for orow in 0..<g.outputRows {
        for ocol in 0..<g.outputCols {
          switch operation {
          case .convolution:
            let k = kernel!
            var total = 0.0
            for c in channelRange(oc) {
              var channelSum = 0.0
              for i in 0..<k.shape[1] {
                let r = g.rows.inputIndex(window: orow, tap: i)
                for j in 0..<k.shape[2] {
                  let col = g.cols.inputIndex(window: ocol, tap: j)
                  let inside = r >= 0 && r < h && col >= 0 && col < w
                  let value = inside ? input[c, r, col] : 0
                  channelSum += value * k[perChannel ? 0 : c, i, j]
                }
              }
              total += channelSum
            }
            out[oc, orow, ocol] = total + bias
          case .pooling(let mode):
            var best: Double?
            var sum = 0.0
            var n = 0
            for i in 0..<g.rows.kernel {
              let r = g.rows.inputIndex(window: orow, tap: i)
              for j in 0..<g.cols.kernel {
                let col = g.cols.inputIndex(window: ocol, tap: j)
                guard r >= 0 && r < h && col >= 0 && col < w else { continue }
                let v = input[oc, r, col]
                if best == nil || v > best! { best = v }
                sum += v
                n += 1
              }
            }
            out[oc, orow, ocol] = mode == .max ? (best ?? 0) : sum / Double(Swift.max(n, 1))
          }
        }
      }
    }
    return out
  }

  private func channelRange(_ oc: Int) -> Range<Int> {
    perChannel ? oc..<(oc + 1) : 0..<input.shape[0]
  }

  private func term(channel c: Int, orow: Int, ocol: Int, i: Int, j: Int, weight: Double) -> StepTerm {
    let r = geometry.rows.inputIndex(window: orow, tap: i)
    let col = geometry.cols.inputIndex(window: ocol, tap: j)
    let inside = r >= 0 && r < input.shape[1] && col >= 0 && col < input.shape[2]
    return StepTerm(
      channel: c, kernelRow: i, kernelCol: j, inputRow: r, inputCol: col, isPadding: !inside,
      value: inside ? input[c, r, col] : 0, weight: weight)
  }

  private func window(_ a: AxisGeometry, _ i: Int) -> ClosedRange<Int> {
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
