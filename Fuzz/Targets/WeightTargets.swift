import ConvPretrained
import Foundation

/// Pretrained weights: NumPy's .npz, Keras's .keras and .h5, PyTorch's .pth, and the pickle,
/// zip and HDF5 layers under them.
enum WeightTargets {
  static let all: [FuzzTarget] = [
    FuzzTarget(name: "npz") { bytes in
      withTemporaryFile(bytes, suffix: ".npz") { _ = try NPZ.read($0) }
    },
    // A .keras archive: config.json into a graph, model.weights.h5 through KerasH5.
    FuzzTarget(name: "keras") { bytes in
      withTemporaryFile(bytes, suffix: ".keras") { url in
        let contents = try KerasArchive.read(url)
        _ = try contents.config?.graph()
      }
    },
    // A PyTorch checkpoint (zip with data.pkl and storages, or the legacy pickles in a row).
    FuzzTarget(name: "pytorch") { bytes in
      withTemporaryFile(bytes, suffix: ".pth") { _ = try PyTorchCheckpoint.read($0) }
    },
    // PyTorchPickle.load alone: the legacy format is several pickles in a row, read as many as
    // there are.
    FuzzTarget(name: "pickle") { bytes in
      var at = 0
      for _ in 0..<6 {
        guard at < bytes.count, let (_, next) = try? PyTorchPickle.load(bytes, from: at) else { break }
        at = next
      }
    },
    // ZipArchive (ZIPFoundation with convplay's bounds: declared sizes, inflated-size limit, CRC-32).
    FuzzTarget(name: "zip") { bytes in
      withTemporaryFile(bytes, suffix: ".zip") { url in
        let zip = try ZipArchive(url)
        for name in zip.entryNames.prefix(16) { _ = try? zip.data(name, maxBytes: 1 << 24) }
      }
    },
    // An HDF5 file walked the way KerasH5 walks Keras files (root attributes, layer groups,
    // weight_names, datasets read as float32) through HDF5File and the CHDF5 shim, with a small
    // element limit; then KerasH5 itself. libhdf5 is not instrumented.
    FuzzTarget(name: "hdf5") { bytes in
      withTemporaryFile(bytes, suffix: ".h5") { url in
        walkHDF5(url)
        _ = try KerasH5.read(url, maxElements: 1 << 20)
      }
    },
  ]

  static func walkHDF5(_ url: URL) {
    guard let file = try? HDF5File(url, maxElements: 1 << 20) else { return }
    _ = try? file.stringAttribute("model_config")
    _ = try? file.stringAttribute("layer_names")
    var visited = 0
    func walk(_ group: String, depth: Int) {
      guard depth < 6, let names = try? file.children(of: group) else { return }
      for name in names.prefix(64) {
        visited += 1
        if visited > 2000 { return }
        let path = group == "/" ? "/" + name : group + "/" + name
        if file.isDataset(path) { _ = try? file.floats(path) }
        if file.isGroup(path) {
          for w in (try? file.stringAttribute("weight_names", of: path)) ?? [] { _ = try? file.floats(path + "/" + w) }
          walk(path, depth: depth + 1)
        }
      }
    }
    walk("/", depth: 0)
  }
}
