import Foundation

// libFuzzer target: a zip (.keras, .pth, .npz) from any bytes, through ZipArchive (ZIPFoundation
// with convplay's bounds: declared sizes, inflated-size limit, CRC-32). Never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func zipFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("convplay-zipfuzz-\(getpid()).zip")
  guard (try? Data(bytes: data, count: size).write(to: url)) != nil else { return 0 }
  defer { try? FileManager.default.removeItem(at: url) }
  guard let zip = try? ZipArchive(url) else { return 0 }
  for name in zip.entryNames.prefix(16) { _ = try? zip.data(name, maxBytes: 1 << 24) }
  return 0
}
