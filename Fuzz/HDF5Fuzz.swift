import Foundation

// libFuzzer target: an HDF5 file from any bytes, walked the way KerasH5 walks Keras files
// (root attributes, layer groups, weight_names, datasets read as float32) through HDF5File and
// the CHDF5 shim, with a small element limit. Never a trap in convplay's code.
@_cdecl("LLVMFuzzerTestOneInput")
public func hdf5Fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("convplay-h5fuzz-\(getpid()).h5")
  guard (try? Data(bytes: data, count: size).write(to: url)) != nil else { return 0 }
  defer { try? FileManager.default.removeItem(at: url) }
  guard let file = try? HDF5File(url, maxElements: 1 << 20) else { return 0 }
  _ = try? file.stringAttribute("model_config")
  var visited = 0
  func walk(_ group: String, depth: Int) {
    guard depth < 6, let names = try? file.children(of: group) else { return }
    for name in names.prefix(64) {
      visited += 1
      if visited > 2000 { return }
      let path = group == "/" ? "/" + name : group + "/" + name
      if file.isDataset(path) { _ = try? file.floats(path) }
      if file.isGroup(path) {
        for w in (try? file.stringAttribute("weight_names", of: path)) ?? [] ?? [] { _ = try? file.floats(path + "/" + w) }
        walk(path, depth: depth + 1)
      }
    }
  }
  _ = try? file.stringAttribute("layer_names")
  walk("/", depth: 0)
  return 0
}
