import ConvImageIO
import Crypto
import Foundation

/// MD5, only to check downloads against the checksums data sets publish (not for security),
/// through swift-crypto (`Insecure.MD5`).
public struct MD5 {
  private var hasher = Insecure.MD5()
  public init() {}
  public mutating func update(_ data: Data) { hasher.update(data: data) }
  public mutating func finalize() -> String { hexText(hasher.finalize()) }
  /// The hex digest of `data`.
  public static func hex(_ data: Data) -> String { hexText(Insecure.MD5.hash(data: data)) }
}

/// SHA-256 (what keras.applications publishes for its weight files), through swift-crypto.
public struct SHA256Digest {
  private var hasher = SHA256()
  public init() {}
  public mutating func update(_ data: Data) { hasher.update(data: data) }
  public mutating func finalize() -> String { hexText(hasher.finalize()) }
  public static func hex(_ data: Data) -> String { hexText(SHA256.hash(data: data)) }

  /// The hex SHA-256 of a file, read 4 MB at a time (weight files are hundreds of MB).
  public static func hex(fileAt url: URL) throws -> String {
    let handle: FileHandle
    do { handle = try InputFile.handle(url.path) } catch { throw DataError("cannot read \(error)") }
    defer { try? handle.close() }
    var d = SHA256Digest()
    while true {
      let chunk = handle.readData(ofLength: 4 << 20)
      if chunk.isEmpty { break }
      d.update(chunk)
    }
    return d.finalize()
  }
}

private func hexText(_ digest: some Sequence<UInt8>) -> String {
  digest.map { String(format: "%02x", $0) }.joined()
}
