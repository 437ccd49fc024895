/// NumPy's `.npy` format (version 1.0 written; 1.0, 2.0 and 3.0 read): a magic string, a
/// Python-dict header (`descr`, `fortran_order`, `shape`) padded to 64 bytes, then the raw data.
///
/// Images are arrays `(height, width)` for gray or `(height, width, 3)` channels-last for RGB,
/// the layout `numpy`, `matplotlib` and `skimage` use. Read: `uint8`, `float32` or `float64`
/// (converted to Float), C order. Written: `float32`, so a filter's raw result can be checked
/// against NumPy exactly.
public enum NumPyFile {
  static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

  /// True when `bytes` start like a `.npy` file.
  public static func looksLikeNPY(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 6 && Array(bytes[0..<6]) == magic
  }

  /// The array as an image. Checks the shape against `maxPixels` before converting the data.
  public static func decode(
    _ bytes: [UInt8], maxPixels: Int = ImageCodec.defaultMaxPixels
  ) throws(ImageError) -> DecodedImage {
    guard looksLikeNPY(bytes), bytes.count >= 10 else {
      throw .corrupt("not a NumPy .npy file")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw .corrupt("truncated .npy header") }
      headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
      headerStart = 12
    default:
      throw .unsupported(".npy format version \(major) (convplay reads 1, 2 and 3)")
    }
    guard headerStart + headerLength <= bytes.count else {
      throw .corrupt("truncated .npy header")
    }
    let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
    guard let descr = value(of: "descr", in: header)?.trimming("'\""),
      let order = value(of: "fortran_order", in: header),
      let shapeText = value(of: "shape", in: header)
    else { throw .corrupt("the .npy header lacks descr, fortran_order or shape") }
    guard order == "False" else {
      throw .unsupported("Fortran-ordered .npy array: save it with numpy.ascontiguousarray first")
    }
    let dims = shapeText.filter { !"() ".contains($0) }.split(separator: ",").map { Int($0) }
    guard !dims.isEmpty, dims.allSatisfy({ $0 != nil && $0! >= 0 }) else {
      throw .corrupt("cannot read the .npy shape \(shapeText)")
    }
    let shape = dims.map { $0! }
    let height: Int
    let width: Int
    let channels: Int
    switch shape.count {
    case 2:
      (height, width, channels) = (shape[0], shape[1], 1)
    case 3 where shape[2] == 1 || shape[2] == 3:
      (height, width, channels) = (shape[0], shape[1], shape[2])
    default:
      throw .unsupported(
        "a .npy image must have shape (height, width) or (height, width, 3); this one is \(shapeText)")
    }
    guard height > 0, width > 0 else { throw .unsupported("empty array of shape \(shapeText)") }
    let (pixels, overflow) = height.multipliedReportingOverflow(by: width)
    guard !overflow, pixels <= maxPixels, pixels <= Int.max / 24 else {
      throw .tooLarge(width: width, height: height, limit: maxPixels)
    }
    let kind: (size: Int, name: String)
    switch descr {
    case "|u1", "<u1", "u1", "|b1": kind = (1, "uint8")
    case "<f4": kind = (4, "float32")
    case "<f8": kind = (8, "float64")
    default:
      throw .unsupported(
        "the .npy data type \(descr): convplay reads uint8, float32 and float64 (little-endian)")
    }
    let count = height * width * channels
    let dataStart = headerStart + headerLength
    guard bytes.count - dataStart >= count * kind.size else {
      throw .corrupt(
        "truncated .npy data: shape \(shapeText) needs \(count * kind.size) bytes, "
          + "the file has \(bytes.count - dataStart)")
    }
    // Channels-last in the file, planar in an Image.
    var planar = [Float](repeating: 0, count: count)
    let n = height * width
    var finite = true
    bytes.withUnsafeBufferPointer { raw in
      let base = UnsafeRawPointer(raw.baseAddress!) + dataStart
      for i in 0..<count {
        let v: Float
        switch kind.size {
        case 1: v = Float(raw[dataStart + i])
        case 4: v = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        default: v = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
        }
        if !v.isFinite { finite = false }
        planar[(i % channels) * n + i / channels] = v
      }
    }
    guard finite else { throw .unsupported("the array holds NaN or infinite values") }
    let info = ImageInfo(
      format: .npy, width: width, height: height, color: channels == 3 ? .rgb : .gray,
      bitDepth: kind.size * 8, sampleType: kind.name, interlaced: false, hasAlpha: false)
    return DecodedImage(
      info: info,
      image: Image(width: width, height: height, channels: channels, samples: planar))
  }

  /// The image as a float32 `.npy` file: `(height, width)` for one channel, else
  /// `(height, width, channels)`.
  public static func encode(_ image: Image) -> [UInt8] {
    let n = image.pixelCount
    let c = image.channels
    let s = image.samples
    // Planar samples to NumPy's (height, width, channels) order.
    var values = [Float](repeating: 0, count: n * c)
    for p in 0..<n { for ch in 0..<c { values[p * c + ch] = s[ch * n + p] } }
    return encode(values, shape: image.channels == 1 ? [image.height, image.width] : [image.height, image.width, c])
  }

  /// Float32 values in C order as a `.npy` file of `shape` (a classifier's photos x classes).
  public static func encode(_ values: [Float], shape: [Int]) -> [UInt8] {
    precondition(shape.reduce(1, *) == values.count, "the shape must hold the values")
    let dims = shape.map(String.init).joined(separator: ", ")
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)\(shape.count == 1 ? "," : "")), }"
    // Magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64.
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var out = magic + [1, 0, UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)]
    out += Array(header.utf8)
    out.reserveCapacity(out.count + 4 * values.count)
    for v in values {
      let bits = v.bitPattern.littleEndian
      withUnsafeBytes(of: bits) { out.append(contentsOf: $0) }
    }
    return out
  }

  /// The text after `'key':` up to the next top-level comma (a shape's commas are inside
  /// parentheses).
  private static func value(of key: String, in header: String) -> String? {
    guard let range = header.firstRange(of: "'\(key)':") else { return nil }
    var depth = 0
    var result = ""
    for ch in header[range.upperBound...] {
      if ch == "(" { depth += 1 }
      if ch == ")" { depth -= 1 }
      if (ch == "," && depth == 0) || ch == "}" { break }
      result.append(ch)
    }
    return result.trimming(" ")
  }
}

extension String {
  /// The string without leading and trailing characters from `set`.
  fileprivate func trimming(_ set: String) -> String {
    var s = Substring(self)
    while let f = s.first, set.contains(f) { s.removeFirst() }
    while let l = s.last, set.contains(l) { s.removeLast() }
    return String(s)
  }
}
