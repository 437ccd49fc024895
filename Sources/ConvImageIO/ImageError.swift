/// Why an image could not be read or written, in words a user can act on.
public enum ImageError: Error, Equatable, CustomStringConvertible {
  /// The bytes are not a readable image: empty, truncated, corrupt, or an unknown format.
  case corrupt(String)
  /// Width x height over the pixel limit, found from the header before any pixel memory is
  /// taken.
  case tooLarge(width: Int, height: Int, limit: Int)
  /// A valid file of a kind convplay does not handle (CMYK JPEG, a 4-D array...).
  case unsupported(String)
  /// The operating system refused a read or write.
  case io(String)
  case outOfMemory(String)

  /// Prefixes the message with the file it concerns.
  public func at(_ path: String) -> LocatedImageError { LocatedImageError(path: path, error: self) }

  public var description: String {
    switch self {
    case .corrupt(let why): return "cannot read image: \(why)"
    case .tooLarge(let w, let h, let limit):
      return "image is \(w)x\(h) = \(w * h) pixels, over the limit of \(limit) "
        + "(raise it with --max-pixels)"
    case .unsupported(let why): return "unsupported image: \(why)"
    case .io(let why): return why
    case .outOfMemory(let why): return why
    }
  }
}

/// An `ImageError` with the path it happened at: `photo.png: cannot read image: ...`.
public struct LocatedImageError: Error, Equatable, CustomStringConvertible {
  public var path: String
  public var error: ImageError
  public var description: String { "\(path): \(error)" }
}
