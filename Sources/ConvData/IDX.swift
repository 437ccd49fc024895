import ConvKit
import Foundation

/// What is wrong with an IDX file, naming the file.
public struct IDXError: Error, CustomStringConvertible, Equatable {
  public var description: String
}

/// An IDX array of unsigned bytes (the MNIST format): a 4-byte magic `00 00 08 D`, where 08 is
/// "unsigned byte" and D the number of dimensions, then D big-endian 32-bit sizes, then the
/// values in C order.
public struct IDXArray: Equatable, Sendable {
  public var dimensions: [Int]
  public var bytes: [UInt8]

  public init(dimensions: [Int], bytes: [UInt8]) {
    precondition(dimensions.reduce(1, *) == bytes.count, "IDX dimensions \(dimensions) need \(dimensions.reduce(1, *)) bytes")
    self.dimensions = dimensions
    self.bytes = bytes
  }

  /// Parses IDX bytes (gzip is undone first when the data starts with gzip's magic).
  /// `name` is used in error messages.
  public init(data raw: Data, name: String = "IDX file") throws {
    let data: Data
    if Gzip.isGzip(raw) {
      do { data = try Gzip.decompress(raw) } catch { throw IDXError(description: "\(name): \(error)") }
    } else {
      data = raw
    }
    let b = [UInt8](data)
    guard b.count >= 4 else { throw IDXError(description: "\(name): too short to be an IDX file (\(b.count) bytes)") }
    guard b[0] == 0, b[1] == 0 else {
      throw IDXError(description: "\(name): not an IDX file (bad magic number \(b[0...3].map { String($0, radix: 16) }.joined(separator: " ")))")
    }
    guard b[2] == 0x08 else {
      throw IDXError(description: "\(name): IDX value type 0x\(String(b[2], radix: 16)) is not supported (only unsigned bytes, 0x08)")
    }
    let rank = Int(b[3])
    guard rank >= 1 && rank <= 4 else { throw IDXError(description: "\(name): IDX file with \(rank) dimensions") }
    guard b.count >= 4 + 4 * rank else { throw IDXError(description: "\(name): truncated IDX header") }
    var dims: [Int] = []
    for i in 0..<rank {
      let o = 4 + 4 * i
      dims.append(Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]))
    }
    let have = b.count - 4 - 4 * rank
    // Four 32-bit sizes can multiply past Int.max: an overflowing product is a lying header.
    let (expected, overflow) = dims.reduce((1, false)) { p, d in
      let (n, o) = p.0.multipliedReportingOverflow(by: d)
      return (n, p.1 || o)
    }
    guard !overflow else {
      throw IDXError(description: "\(name): the header promises \(dims.map(String.init).joined(separator: "x")) values, more than any file holds (this one has \(have))")
    }
    guard have == expected else {
      throw IDXError(
        description: "\(name): the header promises \(dims.map(String.init).joined(separator: "x")) = \(expected) values but the file has \(have)"
          + (have < expected ? " (truncated?)" : ""))
    }
    dimensions = dims
    bytes = Array(b[(4 + 4 * rank)...])
  }

  public init(contentsOf url: URL) throws {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw IDXError(description: "cannot read \(url.path): \(error.localizedDescription)")
    }
    try self.init(data: data, name: url.lastPathComponent)
  }

  /// Serializes as uncompressed IDX (used by tests and tools that write small data sets).
  public func encoded() -> Data {
    var out: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
    for d in dimensions { out += [UInt8(d >> 24 & 0xff), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff)] }
    return Data(out + bytes)
  }
}

extension LabeledImages {
  /// An images file `[N, H, W]` and a labels file `[N]` as `[N, H, W, 1]` values in [0, 1]
  /// (pixel / 255, as the Keras examples scale MNIST).
  public init(images: IDXArray, labels: IDXArray, name: String = "data set") throws {
    guard images.dimensions.count == 3 else {
      throw IDXError(description: "\(name): an images file needs 3 dimensions (count, rows, cols), got \(images.dimensions.count)")
    }
    guard labels.dimensions.count == 1 else {
      throw IDXError(description: "\(name): a labels file needs 1 dimension, got \(labels.dimensions.count)")
    }
    guard images.dimensions[0] == labels.dimensions[0] else {
      throw IDXError(description: "\(name): \(images.dimensions[0]) images but \(labels.dimensions[0]) labels")
    }
    let scale: Float = 1 / 255
    self.init(
      images: Tensor(shape: images.dimensions + [1], scalars: images.bytes.map { Float($0) * scale }),
      labels: labels.bytes.map(Int.init))
  }
}
