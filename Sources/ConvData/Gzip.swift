import CSystemZlib
import ConvKit
import Foundation

/// Errors of the gzip reader.
public struct GzipError: Error, CustomStringConvertible, Equatable {
  public var description: String
}

/// gzip decompression through zlib.
public enum Gzip {
  /// True when `data` starts with gzip's magic bytes 1f 8b.
  public static func isGzip(_ data: Data) -> Bool {
    data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
  }

  /// Inflates a gzip stream (several concatenated members are read one after another).
  /// Wraps zlib's `inflateInit2_` (the `inflateInit2` macro, window 16 + MAX_WBITS for the gzip
  /// header), `inflate` and `inflateEnd`; a cut or corrupt stream throws. Inflation stops with
  /// an error as soon as the output passes `limit` bytes (default: the memory budget), so a
  /// small file that inflates to gigabytes is refused before it takes them.
  public static func decompress(_ data: Data, limit: Int? = nil) throws -> Data {
    try inflating(data, limit: try limit ?? MemoryBudget.current().bytes, stopAtLimit: false)
  }

  /// The first `count` bytes of the inflated stream (fewer if it is shorter): enough to read a
  /// header and check what it declares before inflating the rest.
  public static func prefix(_ data: Data, count: Int) throws -> Data {
    try inflating(data, limit: count, stopAtLimit: true)
  }

  private static func inflating(_ data: Data, limit: Int, stopAtLimit: Bool) throws -> Data {
    var output = Data()
    output.reserveCapacity(min(data.count * 4, limit))
    let chunk = 1 << 20
    var buffer = [UInt8](repeating: 0, count: chunk)
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      guard let base = raw.bindMemory(to: UInt8.self).baseAddress else {
        throw GzipError(description: "empty gzip file")
      }
      var offset = 0
      repeat {
        var stream = z_stream()
        var status = inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipError(description: "zlib could not start (code \(status))") }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: base + offset)
        stream.avail_in = uInt(raw.count - offset)
        repeat {
          status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
            stream.next_out = out.baseAddress
            stream.avail_out = uInt(chunk)
            return inflate(&stream, Z_NO_FLUSH)
          }
          guard status == Z_OK || status == Z_STREAM_END else {
            if status == Z_BUF_ERROR && stream.avail_in == 0 {
              throw GzipError(description: "the gzip data is truncated")
            }
            let why = stream.msg.map { String(cString: $0) } ?? "code \(status)"
            throw GzipError(description: "corrupt gzip data (\(why))")
          }
          let produced = chunk - Int(stream.avail_out)
          if stopAtLimit && produced >= limit - output.count {
            output.append(buffer, count: limit - output.count)
            return
          }
          guard produced <= limit - output.count else {
            try MemoryBudget(bytes: limit).check(values: output.count + produced, bytesPerValue: 1, what: "the inflated gzip data")
            throw GzipError(description: "the gzip data inflates past \(limit) bytes")
          }
          output.append(buffer, count: produced)
        } while status != Z_STREAM_END
        offset = raw.count - Int(stream.avail_in)
        // Skip zero padding some tools leave after the last member.
        while offset < raw.count && base[offset] == 0 { offset += 1 }
      } while offset + 1 < raw.count && base[offset] == 0x1f && base[offset + 1] == 0x8b
    }
    return output
  }
}
