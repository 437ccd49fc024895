import ConvData
import ConvImageIO
import ConvKit
import Foundation

/// How a photo's pixels (0...255, RGB) become the numbers a pretrained network was trained on.
/// Keras's `preprocess_input` modes, plus convplay's own.
public enum Preprocessing: String, CaseIterable, Sendable {
  /// Keras 'caffe' (VGG16, VGG19, ResNet50): RGB -> BGR, then subtract the ImageNet means
  /// 103.939, 116.779, 123.68 (B, G, R); no scaling.
  case caffe
  /// Keras 'torch' and torchvision: x/255, minus (0.485, 0.456, 0.406), divided by
  /// (0.229, 0.224, 0.225), RGB.
  case torch
  /// Keras 'tf' (Inception, Xception, MobileNet): x/127.5 - 1.
  case tf
  /// x/255: what convplay's own training uses.
  case unit
  /// The values as they are, 0...255.
  case raw

  public var explanation: String {
    switch self {
    case .caffe: return "RGB -> BGR, minus the ImageNet means 103.939, 116.779, 123.68 (Keras 'caffe')"
    case .torch: return "x/255, minus (0.485, 0.456, 0.406), over (0.229, 0.224, 0.225) (PyTorch, Keras 'torch')"
    case .tf: return "x/127.5 - 1 (Keras 'tf')"
    case .unit: return "x/255"
    case .raw: return "0..255 as they are"
    }
  }

  /// `image` at the network's input size, resized the way the weights' own tools feed them:
  /// nearest neighbour for Keras's 'caffe' models (`load_img(target_size=...)`'s default, as in
  /// the course's VGG16 example), bilinear otherwise.
  public func resized(_ image: Image, height: Int, width: Int) -> Image {
    self == .caffe
      ? image.resizedNearest(height: height, width: width) : image.resizedBilinear(height: height, width: width)
  }

  /// The network's input `[H, W, C]` (NHWC, one image) from an image of the same size.
  /// Three-channel modes need 3 channels; a gray photo is repeated into R, G and B first.
  public func apply(_ image: Image, channels: Int) throws -> [Float] {
    var img = image
    if channels == 3 && img.channels == 1 {
      img = Image(width: img.width, height: img.height, channels: 3, samples: Array([img.samples, img.samples, img.samples].joined()))
    } else if channels == 1 && img.channels == 3 {
      img = GrayMethod.luminance.convert(img)
    }
    guard img.channels == channels else {
      throw ImportError("the network takes \(channels)-channel images, the photo has \(image.channels)")
    }
    if channels != 3 && (self == .caffe || self == .torch) {
      throw ImportError("preprocessing '\(rawValue)' needs a 3-channel network, this one takes \(channels)")
    }
    let n = img.pixelCount
    let s = img.samples
    var out = [Float](repeating: 0, count: n * channels)
    let caffeMeans: [Float] = [103.939, 116.779, 123.68]  // B, G, R
    let torchMeans: [Float] = [0.485, 0.456, 0.406], torchStd: [Float] = [0.229, 0.224, 0.225]
    for p in 0..<n {
      for c in 0..<channels {
        let v = s[c * n + p]
        switch self {
        case .caffe: out[p * 3 + c] = s[(2 - c) * n + p] - caffeMeans[c]
        case .torch: out[p * 3 + c] = (v / 255 - torchMeans[c]) / torchStd[c]
        case .tf: out[p * channels + c] = v / 127.5 - 1
        case .unit: out[p * channels + c] = v / 255
        case .raw: out[p * channels + c] = v
        }
      }
    }
    return out
  }
}

/// A pretrained network in convplay's model format (`ModelFile`'s safetensors, readable by
/// `convplay evaluate` for small models): `layer/weight` tensors in Keras's layout, the
/// architecture, and what `classify` needs in the metadata: `convplay.preprocessing`
/// (a `Preprocessing` name) and `convplay.classes` (`imagenet`, or class names joined by
/// newlines). Saved and loaded one tensor at a time (see `SafeTensors.read(contentsOf:)`).
public enum PretrainedModel {
  public static let preprocessingKey = "convplay.preprocessing"
  public static let classesKey = ModelFile.classesKey

  public static func save(_ network: InferenceNetwork, metadata: [String: String], to url: URL) throws {
    var meta = metadata
    meta["format"] = "convplay"
    meta[ModelFile.architectureKey] = try ArchitectureJSON.encode(network.graph)
    let tensors = zip(network.slots, network.weights).map { (name: $0.name, shape: $0.shape, values: $1) }
    try SafeTensors.write(tensors, metadata: meta, to: url)
  }

  /// The network and the file's other metadata. Every tensor the architecture needs must be
  /// present with its shape, and nothing else.
  public static func load(_ url: URL) throws -> (network: InferenceNetwork, metadata: [String: String]) {
    let (graph, weights, meta) = try loadWeights(url)
    return (try InferenceNetwork(graph: graph, weights: weights), meta)
  }

  /// The architecture, the weights (parallel to `InferenceNetwork.slots`) and the other
  /// metadata of a convplay model file.
  public static func loadWeights(_ url: URL) throws -> (graph: GraphSpec, weights: [[Float]], metadata: [String: String]) {
    let name = url.lastPathComponent
    let (header, values) = try SafeTensors.read(contentsOf: url)
    guard let arch = header.metadata[ModelFile.architectureKey] else {
      throw ImportError(
        "\(name): not a convplay model (no \(ModelFile.architectureKey) in its metadata); "
          + "give --arch, or bring Keras or PyTorch weights in with 'convplay import \(name) --arch ... -o model.safetensors'")
    }
    let graph = try ArchitectureJSON.decode(arch)
    // A description bigger than the memory budget is refused before any tensor is compared.
    try ModelMemory.check(graph, batch: 1, training: false)
    let slots = try InferenceNetwork.slots(for: graph)
    var byName: [String: Int] = [:]
    for (i, e) in header.entries.enumerated() { byName[e.name] = i }
    var weights: [[Float]] = []
    for s in slots {
      guard let i = byName.removeValue(forKey: s.name) else { throw ImportError("\(name): tensor \(s.name) is missing") }
      guard header.entries[i].shape == s.shape, header.entries[i].dtype == "F32" else {
        throw ImportError("\(name): tensor \(s.name) has shape \(header.entries[i].shape), the model needs \(s.shape)")
      }
      weights.append(values[i])
    }
    if let extra = byName.keys.sorted().first {
      throw ImportError("\(name): tensor \(extra) does not belong to the model described in the file")
    }
    var meta = header.metadata
    meta[ModelFile.architectureKey] = nil
    return (graph, weights, meta)
  }

  /// Class names for a model's outputs: ImageNet's, the file's own list, or "class N".
  public static func classNames(metadata: [String: String], classes: Int) -> [(id: String, name: String)] {
    if metadata[classesKey] == "imagenet" || (metadata[classesKey] == nil && classes == 1000) {
      return ImageNetClasses.all
    }
    if let list = metadata[classesKey].map { TextLines.split($0).map(String.init) }, list.count == classes {
      return list.map { ("", $0) }
    }
    return (0..<classes).map { ("", "class \($0)") }
  }
}
