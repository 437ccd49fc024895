#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading images from and writing them to files: PNG, JPEG and NumPy `.npy`.
///
/// The format is read from the first bytes, not the name. Output goes by the name's extension
/// and is written atomically: a temporary file in the same directory, renamed over the target
/// once complete, so a failure never leaves a partial file.
public enum ImageFile {
  /// What an output path's extension asks for.
  public enum OutputKind: String, Sendable {
    case png, jpeg, npy

    /// `.png`, `.jpg`/`.jpeg` or `.npy` (any case); nil otherwise.
    public init?(path: String) {
      let name = path.split(separator: "/").last.map(String.init) ?? path
      guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
      switch name[name.index(after: dot)...].lowercased() {
      case "png": self = .png
      case "jpg", "jpeg": self = .jpeg
      case "npy": self = .npy
      default: return nil
      }
    }
  }

  /// Reads and decodes a PNG, JPEG or `.npy` file, refusing more than `maxPixels` pixels before
  /// allocating them. Errors carry the path.
  public static func read(
    _ path: String, maxPixels: Int = ImageCodec.defaultMaxPixels
  ) throws(LocatedImageError) -> DecodedImage {
    do {
      // An encoded image never needs more than about 24 bytes per pixel (a float64 RGB .npy);
      // refusing bigger files keeps a mistyped path (a disk image, /dev/zero) from filling memory.
      let (limit, overflow) = maxPixels.multipliedReportingOverflow(by: 24)
      let bytes = try readBytes(path, limit: overflow ? Int.max : limit + (1 << 20))
      if NumPyFile.looksLikeNPY(bytes) {
        return try NumPyFile.decode(bytes, maxPixels: maxPixels)
      }
      return try ImageCodec.decode(bytes, maxPixels: maxPixels)
    } catch {
      throw error.at(path)
    }
  }

  /// Writes `image` to `path` in the format its extension names: `.npy` gets the samples as
  /// float32 unchanged; `.png` and `.jpg` get 8-bit pixels made by `normalization`.
  public static func write(
    _ image: Image, to path: String, normalization: Normalization = .clip
  ) throws(LocatedImageError) {
    guard let kind = OutputKind(path: path) else {
      throw ImageError.unsupported("output name must end in .png, .jpg, .jpeg or .npy").at(path)
    }
    do {
      try writeAtomically(try encoded(image, as: kind, normalization: normalization), to: path)
    } catch {
      throw error.at(path)
    }
  }

  /// The bytes of `image` in the file format `kind`.
  public static func encoded(
    _ image: Image, as kind: OutputKind, normalization: Normalization = .clip
  ) throws(ImageError) -> [UInt8] {
    switch kind {
    case .npy:
      return NumPyFile.encode(image)
    case .png, .jpeg:
      guard image.channels == 1 || image.channels == 3 else {
        throw .unsupported("PNG and JPEG hold 1 or 3 channels, not \(image.channels)")
      }
      let pixels = normalization.pixels(of: image)
      if kind == .png {
        return try ImageCodec.encodePNG(
          width: image.width, height: image.height, channels: image.channels, interleaved: pixels)
      }
      return try ImageCodec.encodeJPEG(
        width: image.width, height: image.height, channels: image.channels, interleaved: pixels)
    }
  }

  /// The whole content of a regular file (or an inherited pipe: `<(cmd)`, /dev/stdin) of at
  /// most `limit` bytes, through `InputFile`: a named pipe or a device is refused, not waited on.
  static func readBytes(_ path: String, limit: Int) throws(ImageError) -> [UInt8] {
    do {
      return try InputFile.bytes(path, limit: limit) { size in
        size.map { "file of \($0) bytes is too big for the pixel limit (see --max-pixels)" }
          ?? "more than \(limit) bytes from a pipe: too big for the pixel limit (see --max-pixels)"
      }
    } catch {
      throw .io(error.why)
    }
  }

  /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ImageError) {
    do {
      try writeAllAtomically([(path, bytes)])
    } catch {
      throw error.error
    }
  }

  /// Several files as a set (the six images of `channels`): every one is written to its
  /// temporary file first (`PendingFile`), and only when all of them are complete are they
  /// renamed into place, so a full disk or a bad directory leaves none of them. Errors name the file.
  public static func writeAllAtomically(_ files: [(path: String, bytes: [UInt8])]) throws(LocatedImageError) {
    var pending: [PendingFile] = []
    do throws(FileAccessError) {
      for (path, bytes) in files {
        let p = try PendingFile(beside: path)
        pending.append(p)
        try p.write(bytes)
      }
      for p in pending { try p.commit() }
    } catch {
      for p in pending { p.abandon() }
      throw ImageError.io(error.why).at(error.path)
    }
  }
}
