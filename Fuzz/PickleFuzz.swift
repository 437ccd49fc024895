// libFuzzer target: PyTorchPickle.load on any bytes must return a value or throw, never trap
// or read out of bounds. Built by scripts/fuzz with -sanitize=fuzzer,address.
@_cdecl("LLVMFuzzerTestOneInput")
public func pickleFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  var at = 0
  // The legacy format is several pickles in a row: read as many as there are.
  for _ in 0..<6 {
    guard at < size, let (_, next) = try? PyTorchPickle.load(bytes, from: at) else { break }
    at = next
  }
  return 0
}
