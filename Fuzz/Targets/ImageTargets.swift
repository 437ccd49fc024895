import ConvImageIO
import Foundation

/// PNG and JPEG through the C codecs (libpng, libjpeg behind Sources/CImageCodecs), as
/// ImageFile.read calls them. Two targets on one body: each has its own seeds and dictionary.
enum ImageTargets {
  static func decode(_ bytes: UnsafeRawBufferPointer) {
    // 4 megapixels keeps one input's pixels small; the limit itself is checked from the header.
    guard let decoded = try? ImageCodec.decode(Array(bytes), maxPixels: 1 << 22) else { return }
    _ = decoded.image
  }

  static let all: [FuzzTarget] = [
    FuzzTarget(name: "png", run: decode),
    FuzzTarget(name: "jpeg", run: decode),
  ]
}
