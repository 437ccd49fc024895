import ConvKit

/// A picture as the course sees it: one matrix of numbers per channel (1 = gray, 3 = R, G, B).
///
/// Samples are `Float` in 0...255 (8-bit files give whole numbers; 16-bit files, alpha
/// compositing and gray conversions give fractions, never rounded until an image is written).
/// Stored planar as a ConvKit `Tensor` `[channels, height, width]`, so the kernels take it as is.
public struct Image: Equatable, Sendable {
  public private(set) var planes: Tensor

  /// Wraps a `[channels, height, width]` tensor.
  public init(planes: Tensor) {
    precondition(planes.rank == 3, "an image is a [channels, height, width] tensor")
    self.planes = planes
  }

  /// An image from planar samples `[channels][height][width]` flattened in that order.
  public init(width: Int, height: Int, channels: Int, samples: [Float]) {
    self.init(planes: Tensor(shape: [channels, height, width], scalars: samples))
  }

  public var channels: Int { planes.shape[0] }
  public var height: Int { planes.shape[1] }
  public var width: Int { planes.shape[2] }
  public var pixelCount: Int { width * height }
  public var samples: [Float] { planes.scalars }

  /// Channel `c` as a one-channel image.
  public func channel(_ c: Int) -> Image {
    precondition(c >= 0 && c < channels, "channel \(c) of a \(channels)-channel image")
    let n = pixelCount
    return Image(
      width: width, height: height, channels: 1,
      samples: Array(planes.scalars[(c * n)..<((c + 1) * n)]))
  }

  /// `"451x300 RGB"` or `"512x512 gray"`.
  public var summary: String {
    "\(width)x\(height) " + (channels == 1 ? "gray" : channels == 3 ? "RGB" : "\(channels) channels")
  }
}
