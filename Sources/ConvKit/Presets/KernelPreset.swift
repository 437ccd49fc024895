/// A named kernel from the course (and the image-processing classics around it).
public struct KernelPreset: Sendable, Equatable {
  /// What a kernel does, which decides how its result is best shown as an image:
  /// edge kernels give negative values (shown as |x|), the others stay in 0...255 (clipped).
  public enum Family: String, Sendable {
    case identity, sharpen, edge, smoothing, emboss
  }

  public var name: String
  public var aliases: [String]
  public var family: Family
  /// One line in English saying what it finds or does.
  public var summary: String
  /// Rows of weights (after the scale is applied).
  public var rows: [[Float]]
  /// How the weights are written for people, e.g. "1/16 x" for the Gaussian.
  public var scaleNote: String?

  /// `[1, KH, KW]` tensor of the weights.
  public var tensor: Tensor { Tensor(rows: rows) }

  public static let all: [KernelPreset] = [
    KernelPreset(
      name: "identity", aliases: [], family: .identity, summary: "leaves the image as it is",
      rows: [[0, 0, 0], [0, 1, 0], [0, 0, 0]], scaleNote: nil),
    KernelPreset(
      name: "sharpen", aliases: [], family: .sharpen,
      summary: "the course's worked example: boosts a pixel against its four neighbours",
      rows: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]], scaleNote: nil),
    KernelPreset(
      name: "edge", aliases: ["laplacian8"], family: .edge,
      summary: "edges in every direction (8-neighbour Laplacian)",
      rows: [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], scaleNote: nil),
    KernelPreset(
      name: "laplacian4", aliases: [], family: .edge,
      summary: "edges in every direction (4-neighbour Laplacian)",
      rows: [[0, -1, 0], [-1, 4, -1], [0, -1, 0]], scaleNote: nil),
    KernelPreset(
      name: "edge-horizontal", aliases: [], family: .edge,
      summary: "horizontal edges: bright above, dark below",
      rows: [[1, 1, 1], [0, 0, 0], [-1, -1, -1]], scaleNote: nil),
    KernelPreset(
      name: "edge-vertical", aliases: [], family: .edge,
      summary: "vertical edges: bright left, dark right",
      rows: [[1, 0, -1], [1, 0, -1], [1, 0, -1]], scaleNote: nil),
    KernelPreset(
      name: "roberts-diagonal", aliases: [], family: .edge,
      summary: "diagonal edges (Roberts cross, the course's first 2x2)",
      rows: [[-1, 0], [0, 1]], scaleNote: nil),
    KernelPreset(
      name: "roberts-antidiagonal", aliases: [], family: .edge,
      summary: "anti-diagonal edges (Roberts cross, the course's second 2x2)",
      rows: [[0, -1], [1, 0]], scaleNote: nil),
    KernelPreset(
      name: "sobel-x", aliases: [], family: .edge,
      summary: "horizontal gradient: vertical edges, smoothed (Sobel)",
      rows: [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], scaleNote: nil),
    KernelPreset(
      name: "sobel-y", aliases: [], family: .edge,
      summary: "vertical gradient: horizontal edges, smoothed (Sobel)",
      rows: [[-1, -2, -1], [0, 0, 0], [1, 2, 1]], scaleNote: nil),
    KernelPreset(
      name: "prewitt-x", aliases: [], family: .edge,
      summary: "horizontal gradient: vertical edges (Prewitt)",
      rows: [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], scaleNote: nil),
    KernelPreset(
      name: "prewitt-y", aliases: [], family: .edge,
      summary: "vertical gradient: horizontal edges (Prewitt)",
      rows: [[-1, -1, -1], [0, 0, 0], [1, 1, 1]], scaleNote: nil),
    KernelPreset(
      name: "box-blur", aliases: ["blur"], family: .smoothing,
      summary: "mean of the 3x3 neighbourhood",
      rows: [[Float]](repeating: [Float](repeating: 1.0 / 9, count: 3), count: 3),
      scaleNote: "1/9 x all ones"),
    KernelPreset(
      name: "gaussian-3x3", aliases: ["gaussian"], family: .smoothing,
      summary: "gentle blur weighted towards the centre",
      rows: scaled([[1, 2, 1], [2, 4, 2], [1, 2, 1]], by: 16), scaleNote: "1/16 x"),
    KernelPreset(
      name: "gaussian-5x5", aliases: [], family: .smoothing,
      summary: "stronger Gaussian blur (binomial 1 4 6 4 1)",
      rows: scaled(outer([1, 4, 6, 4, 1]), by: 256), scaleNote: "1/256 x"),
    KernelPreset(
      name: "emboss", aliases: [], family: .emboss,
      summary: "relief lit from the top left",
      rows: [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], scaleNote: nil),
  ]

  /// The preset called `name` (or one of its aliases), case-insensitively.
  public static func named(_ name: String) -> KernelPreset? {
    let key = name.lowercased()
    return all.first { $0.name == key || $0.aliases.contains(key) }
  }

  private static func scaled(_ rows: [[Float]], by d: Float) -> [[Float]] {
    rows.map { $0.map { $0 / d } }
  }

  private static func outer(_ v: [Float]) -> [[Float]] { v.map { a in v.map { a * $0 } } }
}
