import ConvKit

/// The backward pass as lines of text, in English or Spanish: what `convplay step --backward`
/// prints and what the backprop screen writes under its panels. Built from a `BackwardTrace`
/// only, so the command line and the screen show the same products.
public enum BackwardText {
  /// The step's header: which gradient cell, and its value.
  /// Steps are dL/dK's cells, then dL/dX's, then the SGD step.
  public static func header(_ trace: BackwardTrace, step i: Int, learningRate lr: Float, lang: Lang) -> String {
    let total = trace.kernelSteps.count + trace.inputSteps.count + 1
    if i >= trace.kernelSteps.count + trace.inputSteps.count {
      return XT.bpSgdTitle.text(lang, [String(total), String(total), NumberText.format(lr)])
    }
    let step = trace.steps[i]
    switch step.target {
    case .kernel(let r, let c):
      return XT.bpKernelStep.text(lang, [String(i + 1), String(total), String(r), String(c), NumberText.format(step.value)])
    case .input(let r, let c, let pad):
      let entry: XT = pad ? .bpInputStepPadding : .bpInputStep
      return entry.text(lang, [String(i + 1), String(total), String(r), String(c), NumberText.format(step.value)])
    }
  }

  /// `dK[0,0] = 60*1 + 113*1 + ... = 777`, or the reason a cell has no products.
  public static func equation(_ step: GradientStep, lang: Lang) -> String {
    switch step.target {
    case .kernel(let r, let c):
      return "dK[\(r),\(c)] = " + step.equation
    case .input(let r, let c, _):
      if step.terms.isEmpty { return "dX[\(r),\(c)] = 0  (" + XT.bpNoWindow.text(lang) + ")" }
      return "dX[\(r),\(c)] = " + step.equation
    }
  }

  /// `K'[0,0] = 0 - 0.01*777 = -7.77`, one line per kernel cell, then the bias.
  public static func sgdLines(_ trace: BackwardTrace, learningRate lr: Float) -> [String] {
    let (newKernel, newBias) = trace.sgdStep(learningRate: lr)
    let rate = NumberText.format(lr)
    var lines: [String] = []
    for r in 0..<trace.kernel.shape[1] {
      for c in 0..<trace.kernel.shape[2] {
        lines.append("K'[\(r),\(c)] = \(NumberText.format(trace.kernel[0, r, c])) - \(rate)*\(NumberText.factor(trace.kernelGradient[0, r, c]))"
          + " = \(NumberText.format(newKernel[0, r, c]))")
      }
    }
    lines.append("b' = \(NumberText.format(trace.bias)) - \(rate)*\(NumberText.factor(trace.biasGradient)) = \(NumberText.format(newBias))")
    return lines
  }

  /// Where G came from, in one line.
  public static func upstreamLine(_ trace: BackwardTrace, lang: Lang) -> String {
    switch trace.upstream {
    case .ones: return XT.bpUpstreamOnes.text(lang)
    case .given: return XT.bpUpstreamGiven.text(lang)
    case .target: return XT.bpUpstreamTarget.text(lang)
    }
  }

  /// `dL/db = sum of G = 1 + 1 + ... = 9`.
  public static func biasLine(_ trace: BackwardTrace, lang: Lang) -> String {
    let terms = trace.outputGradient.scalars.map(NumberText.factor).joined(separator: " + ")
    return XT.bpBiasGrad.text(lang, [terms + " = " + NumberText.format(trace.biasGradient)])
  }

  /// The whole report: the set-up, every dK and dX step with its products, the gradients as
  /// matrices, and one SGD step.
  public static func report(_ trace: BackwardTrace, learningRate lr: Float, lang: Lang) -> String {
    let g = trace.geometry
    let shape: (Tensor) -> String = { "\($0.shape[1])x\($0.shape[2])" }
    var lines = [XT.bpIntro.text(lang, [shape(trace.input), shape(trace.kernel), "\(g.outputRows)x\(g.outputCols)"])]
    let size = T.outputSize.text(lang) + ": "
    if g.rows.formula == g.cols.formula {
      lines.append(size + g.rows.formula + "  ->  \(g.outputRows) x \(g.outputCols)")
    } else {
      lines.append(size + T.rowsWord.text(lang) + " " + g.rows.formula + ", " + T.colsWord.text(lang) + " " + g.cols.formula)
    }
    if g.rows.dilation > 1 {
      lines.append(XT.dilationRule.text(lang, [g.rows.kernel, g.rows.dilation, g.rows.effectiveKernel].map(String.init)))
    }
    lines.append("")
    lines.append("Y:")
    lines.append(MatrixText.format(trace.output))
    lines.append(upstreamLine(trace, lang: lang))
    if let loss = trace.loss {
      lines.append(XT.bpLoss.text(lang, [NumberText.format(loss)]))
    }
    lines.append("G = dL/dY:")
    lines.append(MatrixText.format(trace.outputGradient))
    lines.append("")
    lines.append(XT.bpKernelRule.text(lang))
    for (i, step) in trace.kernelSteps.enumerated() {
      lines.append(header(trace, step: i, learningRate: lr, lang: lang))
      lines.append(equation(step, lang: lang))
    }
    lines.append("dL/dK:")
    lines.append(MatrixText.format(trace.kernelGradient))
    lines.append(biasLine(trace, lang: lang))
    lines.append("")
    lines.append(XT.bpInputRule.text(lang))
    lines.append(XT.bpFullConvolution.text(lang))
    for (n, step) in trace.inputSteps.enumerated() {
      lines.append(header(trace, step: trace.kernelSteps.count + n, learningRate: lr, lang: lang))
      lines.append(equation(step, lang: lang))
    }
    lines.append("dL/dX:")
    lines.append(MatrixText.format(trace.inputGradient))
    lines.append("")
    lines.append(XT.bpSgdStep.text(lang, [NumberText.format(lr)]))
    lines += sgdLines(trace, learningRate: lr)
    lines.append("K':")
    lines.append(MatrixText.format(trace.sgdStep(learningRate: lr).kernel))
    return lines.joined(separator: "\n") + "\n"
  }
}
