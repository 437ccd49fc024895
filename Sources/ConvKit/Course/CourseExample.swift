/// The course's own worked example: a 5x5 patch of a gray image and the sharpen kernel.
/// Valid padding gives 266 -61 -30 / 116 -47 295 / -135 256 -128; one ring of zeros gives the
/// padded 5x5 table that starts 114 328 -26 470 158.
public enum CourseExample {
  public static let matrixRows: [[Float]] = [
    [60, 113, 56, 139, 85],
    [73, 121, 54, 84, 128],
    [131, 99, 70, 129, 127],
    [80, 57, 115, 69, 134],
    [104, 126, 123, 95, 130],
  ]

  /// `[1, 5, 5]`.
  public static var matrix: Tensor { Tensor(rows: matrixRows) }
  /// `[1, 3, 3]`: 0 -1 0 / -1 5 -1 / 0 -1 0.
  public static var kernel: Tensor { KernelPreset.named("sharpen")!.tensor }
}
