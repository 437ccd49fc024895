import CImageCodecs
import ConvKit

/// The kinds of file convplay reads.
public enum ImageFormat: String, Sendable {
  case png = "PNG"
  case jpeg = "JPEG"
  case npy = "NumPy .npy"
}

/// The colour model a file stores (before convplay composites alpha or expands a palette).
public enum ColorModel: String, Sendable {
  case gray = "gray"
  case grayAlpha = "gray+alpha"
  case rgb = "RGB"
  case rgbAlpha = "RGBA"
  case palette = "palette"
  case cmyk = "CMYK"
}

/// What a file says about itself.
public struct ImageInfo: Equatable, Sendable {
  public var format: ImageFormat
  public var width: Int
  public var height: Int
  public var color: ColorModel
  /// Bits per stored sample: 1, 2, 4, 8 or 16 for PNG, 8 for JPEG, 8/32/64 for .npy.
  public var bitDepth: Int
  /// `uint8`, `float32`... for .npy; nil for PNG and JPEG (unsigned integers).
  public var sampleType: String?
  /// PNG Adam7 interlacing or progressive JPEG.
  public var interlaced: Bool
  /// The file has an alpha channel (or a palette with transparency), composited on white.
  public var hasAlpha: Bool
}

/// A decoded file: its header facts and the picture.
public struct DecodedImage: Sendable {
  public var info: ImageInfo
  public var image: Image
}

/// PNG and JPEG decoding and encoding through the C target `CImageCodecs`.
///
/// Policy (README "Images"): the numbers stored in the file are read, colour-space chunks
/// ignored; alpha is composited on white, `c * a/255 + 255 * (1 - a/255)`, so transparent areas
/// read as white paper, then dropped; 16-bit samples are kept at full precision as `v / 257`
/// (0...255 with fractions); palettes are expanded to RGB; CMYK JPEG and JPEG with missing or
/// damaged data are refused.
public enum ImageCodec {
  /// 100 megapixels: far above any photo of the course, far below what would exhaust memory.
  public static let defaultMaxPixels = 100_000_000

  /// Decodes PNG or JPEG bytes; wraps `cic_decode`. Refuses images over `maxPixels` from the
  /// header, before the pixel buffer is allocated.
  public static func decode(
    _ bytes: [UInt8], maxPixels: Int = defaultMaxPixels
  ) throws(ImageError) -> DecodedImage {
    var raw = cic_image()
    var message = [CChar](repeating: 0, count: 256)
    let status = bytes.withUnsafeBufferPointer { data in
      message.withUnsafeMutableBufferPointer { err in
        cic_decode(
          data.baseAddress, data.count, UInt64(max(0, maxPixels)), &raw, err.baseAddress,
          err.count)
      }
    }
    defer { cic_free(raw.samples) }
    let why = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    switch Int(status) {
    case Int(CIC_OK): break
    case Int(CIC_TOO_LARGE):
      throw .tooLarge(width: Int(raw.width), height: Int(raw.height), limit: maxPixels)
    case Int(CIC_UNSUPPORTED): throw .unsupported(why)
    case Int(CIC_NO_MEMORY): throw .outOfMemory(why)
    default: throw .corrupt(why)
    }
    guard let samples = raw.samples else { throw .corrupt("decoder returned no pixels") }

    let spp = Int(raw.samples_per_pixel)
    let hasAlpha = spp == 2 || spp == 4
    let color: ColorModel
    switch Int(raw.color) {
    case Int(CIC_COLOR_GRAY): color = .gray
    case Int(CIC_COLOR_GRAY_ALPHA): color = .grayAlpha
    case Int(CIC_COLOR_RGB): color = .rgb
    case Int(CIC_COLOR_RGB_ALPHA): color = .rgbAlpha
    case Int(CIC_COLOR_PALETTE): color = .palette
    default: color = .cmyk
    }
    let info = ImageInfo(
      format: Int(raw.format) == Int(CIC_FORMAT_PNG) ? .png : .jpeg,
      width: Int(raw.width), height: Int(raw.height), color: color,
      bitDepth: Int(raw.bit_depth), sampleType: nil, interlaced: raw.interlaced != 0,
      hasAlpha: hasAlpha)
    let image: Image
    if raw.bytes_per_sample == 2 {
      image = planar(
        samples.assumingMemoryBound(to: UInt16.self), info: info, spp: spp,
        premultiplied: true, full: 65535, divisor: 257)
    } else {
      image = planar(
        samples.assumingMemoryBound(to: UInt8.self), info: info, spp: spp,
        premultiplied: false, full: 255, divisor: 1)
    }
    return DecodedImage(info: info, image: image)
  }

  /// Interleaved samples (with alpha last, if any) to planar floats in 0...255, alpha composited
  /// on white. libpng's 16-bit output is premultiplied (colour already scaled by alpha).
  /// 16-bit values are divided by 257 (65535 / 255), as NumPy would, not multiplied by 1/257,
  /// which can differ in the last bit.
  private static func planar<T: BinaryInteger>(
    _ s: UnsafePointer<T>, info: ImageInfo, spp: Int, premultiplied: Bool, full: Float,
    divisor: Float
  ) -> Image {
    let n = info.width * info.height
    let colorChannels = spp >= 3 ? 3 : 1
    let alpha = spp == 2 || spp == 4
    var out = [Float](repeating: 0, count: colorChannels * n)
    out.withUnsafeMutableBufferPointer { o in
      for p in 0..<n {
        let px = s + p * spp
        if alpha {
          let a = Float(px[spp - 1])
          for c in 0..<colorChannels {
            let v = Float(px[c])
            let covered = premultiplied ? v : v * a / full
            o[c * n + p] = (covered + (full - a)) / divisor
          }
        } else if divisor == 1 {
          for c in 0..<colorChannels { o[c * n + p] = Float(px[c]) }
        } else {
          for c in 0..<colorChannels { o[c * n + p] = Float(px[c]) / divisor }
        }
      }
    }
    return Image(width: info.width, height: info.height, channels: colorChannels, samples: out)
  }

  /// Encodes 8-bit samples, interleaved `[height][width][channels]`, channels 1 or 3, as PNG;
  /// wraps `cic_encode_png`.
  public static func encodePNG(
    width: Int, height: Int, channels: Int, interleaved: [UInt8]
  ) throws(ImageError) -> [UInt8] {
    try encode(width: width, height: height, channels: channels, interleaved: interleaved) {
      cic_encode_png($0, $1, $2, $3, $4, $5, $6, $7)
    }
  }

  /// Encodes 8-bit samples as baseline JPEG (quality 1...100); wraps `cic_encode_jpeg`.
  public static func encodeJPEG(
    width: Int, height: Int, channels: Int, interleaved: [UInt8], quality: Int = 92
  ) throws(ImageError) -> [UInt8] {
    try encode(width: width, height: height, channels: channels, interleaved: interleaved) {
      cic_encode_jpeg($0, $1, $2, $3, Int32(quality), $4, $5, $6, $7)
    }
  }

  private typealias Encoder = (
    UnsafePointer<UInt8>?, UInt32, UInt32, Int32, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?,
    UnsafeMutablePointer<Int>?, UnsafeMutablePointer<CChar>?, Int
  ) -> Int32

  private static func encode(
    width: Int, height: Int, channels: Int, interleaved: [UInt8], _ call: Encoder
  ) throws(ImageError) -> [UInt8] {
    precondition(
      interleaved.count == width * height * channels,
      "\(width)x\(height)x\(channels) samples expected, got \(interleaved.count)")
    guard width > 0, height > 0, width <= Int(UInt32.max), height <= Int(UInt32.max) else {
      throw .unsupported("cannot encode a \(width)x\(height) image")
    }
    var out: UnsafeMutablePointer<UInt8>? = nil
    var size = 0
    var message = [CChar](repeating: 0, count: 256)
    let status = interleaved.withUnsafeBufferPointer { px in
      message.withUnsafeMutableBufferPointer { err in
        call(
          px.baseAddress, UInt32(width), UInt32(height), Int32(channels), &out, &size,
          err.baseAddress, err.count)
      }
    }
    defer { cic_free(out) }
    guard Int(status) == Int(CIC_OK), let out else {
      let why = String(
        decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      throw Int(status) == Int(CIC_NO_MEMORY) ? .outOfMemory(why) : .unsupported(why)
    }
    return Array(UnsafeBufferPointer(start: out, count: size))
  }
}
