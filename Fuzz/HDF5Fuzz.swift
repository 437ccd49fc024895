import Foundation

// libFuzzer target: an HDF5 file from any bytes, read as Keras weights (KerasH5 through the
// CHDF5 shim and libhdf5), with a small element limit. Never a trap in convplay's code.
@_cdecl("LLVMFuzzerTestOneInput")
public func hdf5Fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("convplay-h5fuzz-\(getpid()).h5")
  guard (try? Data(bytes: data, count: size).write(to: url)) != nil else { return 0 }
  defer { try? FileManager.default.removeItem(at: url) }
  _ = try? KerasH5.read(url, maxElements: 1 << 20)
  return 0
}
