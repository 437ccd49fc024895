import ConvImageIO
import CHDF5
import Foundation
import ConvKit

/// A problem reading an HDF5 file, in one line.
public struct HDF5Error: Error, CustomStringConvertible, Equatable {
  public enum Kind: Sendable, Equatable { case failed, notFound, tooLarge, unsupported }
  public var kind: Kind
  public var description: String
}

/// An HDF5 file opened read-only through libhdf5 (the C shim CHDF5 keeps libhdf5's error
/// stack and identifiers on its side). Everything read is bounded: attribute text, group
/// listings and each dataset (`maxElements`), because the file comes from someone else.
public final class HDF5File {
  /// Largest dataset read, in float32 elements (2 GiB).
  public static let defaultMaxElements = 1 << 29
  /// Largest attribute or group listing, in bytes (Keras's `model_config` of big models is
  /// a few hundred kB).
  public static let maxTextBytes = 64 << 20

  public let name: String
  public let maxElements: Int
  private let id: Int64

  /// Whether the file begins with HDF5's 8-byte signature.
  public static func hasSignature(_ prefix: [UInt8]) -> Bool {
    prefix.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])
  }

  public init(_ url: URL, maxElements: Int = HDF5File.defaultMaxElements) throws {
    name = url.lastPathComponent
    self.maxElements = maxElements
    var file: Int64 = -1
    var message = [CChar](repeating: 0, count: Int(CH5_MESSAGE_LENGTH))
    // libhdf5 opens the path itself: a named pipe would block it.
    do { try InputFile.checkRegular(url.path) } catch { throw ImportError("cannot read \(error)") }
    let code = ch5_open(url.path, &file, &message)
    if code != 0 { throw Self.error(code, message, "\(url.lastPathComponent)") }
    id = file
  }

  deinit { ch5_close(id) }

  private static func error(_ code: Int32, _ message: [CChar], _ context: String) -> HDF5Error {
    let kind: HDF5Error.Kind
    switch Int(code) {
    case Int(CH5_NOT_FOUND): kind = .notFound
    case Int(CH5_TOO_LARGE): kind = .tooLarge
    case Int(CH5_UNSUPPORTED): kind = .unsupported
    default: kind = .failed
    }
    let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return HDF5Error(kind: kind, description: "\(context): \(text)")
  }

  private func strings(_ buffer: UnsafeMutablePointer<CChar>?, length: Int) -> [String] {
    guard let buffer, length > 0 else { return [] }
    defer { ch5_free(buffer) }
    let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
    return bytes.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
  }

  /// The strings of a text attribute (one for a scalar), or nil when there is none. Keras
  /// splits an attribute too large for an object header into `name0`, `name1`, ...: those
  /// are joined.
  public func stringAttribute(_ attribute: String, of object: String = "/") throws -> [String]? {
    if let whole = try readStringAttribute(attribute, of: object) { return whole }
    var parts: [String] = []
    var chunk = 0
    while let part = try readStringAttribute("\(attribute)\(chunk)", of: object) {
      parts += part
      chunk += 1
    }
    return chunk == 0 ? nil : parts
  }

  private func readStringAttribute(_ attribute: String, of object: String) throws -> [String]? {
    var out: UnsafeMutablePointer<CChar>? = nil
    var length = 0, count = 0
    var message = [CChar](repeating: 0, count: Int(CH5_MESSAGE_LENGTH))
    let code = ch5_string_attribute(id, object, attribute, Self.maxTextBytes, &out, &length, &count, &message)
    if Int(code) == Int(CH5_NOT_FOUND) { return nil }
    if code != 0 { throw Self.error(code, message, "\(name): \(object) attribute \(attribute)") }
    let list = strings(out, length: length)
    guard list.count == count else { throw HDF5Error(kind: .failed, description: "\(name): attribute \(attribute) is damaged") }
    return list
  }

  /// The names of a group's members, or nil when there is no such group.
  public func children(of group: String) throws -> [String]? {
    var out: UnsafeMutablePointer<CChar>? = nil
    var length = 0, count = 0
    var message = [CChar](repeating: 0, count: Int(CH5_MESSAGE_LENGTH))
    let code = ch5_children(id, group, Self.maxTextBytes, &out, &length, &count, &message)
    if Int(code) == Int(CH5_NOT_FOUND) { return nil }
    if code != 0 { throw Self.error(code, message, "\(name): \(group)") }
    return strings(out, length: length)
  }

  public func isGroup(_ path: String) -> Bool { ch5_kind(id, path) == 2 }
  public func isDataset(_ path: String) -> Bool { ch5_kind(id, path) == 1 }

  /// A float dataset (float16, float32 or float64 in the file) as float32, C order, with its
  /// shape. Refused past `maxElements` before anything is allocated.
  public func floats(_ path: String) throws -> (shape: [Int], values: [Float]) {
    var dims = [Int64](repeating: 0, count: Int(CH5_MAX_RANK))
    var rank: Int32 = 0, isFloat: Int32 = 0
    var message = [CChar](repeating: 0, count: Int(CH5_MESSAGE_LENGTH))
    var code = ch5_dataset_shape(id, path, &dims, &rank, &isFloat, &message)
    if code != 0 { throw Self.error(code, message, "\(name): \(path)") }
    let shape = dims.prefix(Int(rank)).map { Int($0) }
    guard isFloat == 1 else {
      throw HDF5Error(kind: .unsupported, description: "\(name): \(path) holds no floating-point numbers")
    }
    var count = 1
    for d in shape {
      let (p, overflow) = count.multipliedReportingOverflow(by: d)
      guard d >= 0, !overflow, p <= maxElements else {
        throw HDF5Error(kind: .tooLarge, description: "\(name): \(path) has shape \(shape), over the limit of \(maxElements) values")
      }
      count = p
    }
    try MemoryBudget.check(values: count, what: "\(name): \(path)")
    let values = try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      code = ch5_read_floats(id, path, buffer.baseAddress, count, &message)
      if code != 0 { throw Self.error(code, message, "\(name): \(path)") }
      initialized = count
    }
    return (shape, values)
  }
}
