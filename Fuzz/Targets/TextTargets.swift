import ConvKit
import ConvPretrained
import Foundation

/// The text parsers: matrices, kernels, model specs, Keras's config.json.
enum TextTargets {
  static let all: [FuzzTarget] = [
    // `--matrix FILE`: parsed, then printed back as `conv` prints its output.
    FuzzTarget(name: "matrix") { bytes in
      guard let m = try? MatrixText.parse(bytes.text, source: "fuzz") else { return }
      _ = MatrixText.format(m)
    },
    // `--kernel FILE`: parsed, then slid over the course's matrix as `conv` does (valid and
    // same padding), when its channels fit.
    FuzzTarget(name: "kernel") { bytes in
      guard let k = try? MatrixText.parse(bytes.text, source: "fuzz") else { return }
      let input = CourseExample.matrix
      guard k.shape[0] == 1 || k.shape[0] == input.shape[0] else { return }
      for padding in [Padding.valid, .same] {
        guard let g = try? WindowGeometry(
          inputRows: input.shape[1], inputCols: input.shape[2],
          kernelRows: k.shape[1], kernelCols: k.shape[2], padding: padding)
        else { continue }
        _ = ReferenceKernels.convolve(input: input, kernel: k, geometry: g)
      }
    },
    // `--spec TEXT|FILE` (summary, train, the playground's model editor): parsed as a Sequential
    // spec and as a graph, then walked for `summary`'s rows (shapes, parameters, formulas).
    FuzzTarget(name: "spec") { bytes in
      let text = bytes.text
      for input: FeatureShape in [[28, 28, 1], [32, 32, 3]] {
        if let spec = try? ModelSpecParser.parse(text, inputShape: input) {
          _ = try? SummaryText.render(spec)
          _ = try? SummaryText.explain(spec)
        }
        if let graph = try? ModelSpecParser.parseGraph(text, inputShape: input) {
          _ = try? SummaryText.render(graph)
        }
      }
    },
    // Keras's config.json (inside .keras, and the model_config attribute of .h5): parsed, turned
    // into convplay's graph, and walked for `summary`.
    FuzzTarget(name: "keras-config") { bytes in
      guard let config = try? KerasModelConfig.parse(json: Data(bytes)), let graph = try? config.graph() else { return }
      _ = try? SummaryText.render(graph)
    },
  ]
}
