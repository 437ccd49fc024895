import ConvData
import ConvImageIO
import ConvKit
import Foundation

/// Data sets and convplay's own weight files.
enum DataTargets {
  static let all: [FuzzTarget] = [
    // MNIST's IDX files, plain or gzipped (IDXArray undoes gzip by its magic); an image file
    // and a label file as `DataSource` pairs them.
    FuzzTarget(name: "idx") { bytes in
      guard let array = try? IDXArray(data: Data(bytes), name: "fuzz"), array.dimensions[0] <= 1 << 16 else { return }
      let labels = IDXArray(dimensions: [array.dimensions[0]], bytes: [UInt8](repeating: 0, count: array.dimensions[0]))
      _ = try? LabeledImages(images: array, labels: labels)
    },
    // A .npy image (`--image x.npy`, `gray`, `filter`), as ImageFile.read decodes it.
    FuzzTarget(name: "npy") { bytes in
      _ = try? NumPyFile.decode(Array(bytes), maxPixels: 1 << 22)
    },
    // safetensors: the in-memory reader and the streaming one (`--weights x.safetensors`).
    FuzzTarget(name: "safetensors") { bytes in
      _ = try? SafeTensors(data: Data(bytes), name: "fuzz")
      withTemporaryFile(bytes, suffix: ".safetensors") { _ = try SafeTensors.read(contentsOf: $0) }
    },
    // convplay's model file (safetensors with the architecture and classes in its metadata):
    // decoded into a Network, as `predict`, `evaluate` and the playground load it.
    FuzzTarget(name: "modelfile") { bytes in
      _ = try? ModelFile.decode(Data(bytes), name: "fuzz")
    },
  ]
}
