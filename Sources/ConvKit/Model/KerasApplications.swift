/// keras.applications architectures that are plain stacks of layers, with Keras's own layer
/// names, so that `convplay summary --model vgg16` prints what `VGG16().summary()` prints
/// (include_top=True, 224x224x3 input, 1000 classes).
public enum KerasApplications {
  public struct Entry: Sendable {
    public var name: String
    public var summary: String
    public var spec: SequentialSpec
    /// Keras builds these as functional models, whose summary starts with the input layer.
    public var inputLayerName: String
  }

  /// VGG (Simonyan and Zisserman 2014): blocks of 3x3 'same' convolutions with ReLU, each
  /// closed by 2x2 max pooling, then fc1, fc2 (4096 each) and 1000 softmax predictions.
  /// `convsPerBlock` is [2, 2, 3, 3, 3] for VGG16 and [2, 2, 4, 4, 4] for VGG19.
  public static func vgg(convsPerBlock: [Int], classes: Int = 1000) -> SequentialSpec {
    let filters = [64, 128, 256, 512, 512]
    var layers: [LayerSpec] = []
    for (b, count) in convsPerBlock.enumerated() {
      for c in 1...count {
        layers.append(LayerSpec(
          Conv2D(filters: filters[b], kernelSize: Size2(3), padding: .same, activation: .relu),
          name: "block\(b + 1)_conv\(c)"))
      }
      layers.append(LayerSpec(MaxPooling2D(poolSize: Size2(2)), name: "block\(b + 1)_pool"))
    }
    layers.append(LayerSpec(Flatten(), name: "flatten"))
    layers.append(LayerSpec(Dense(units: 4096, activation: .relu), name: "fc1"))
    layers.append(LayerSpec(Dense(units: 4096, activation: .relu), name: "fc2"))
    layers.append(LayerSpec(Dense(units: classes, activation: .softmax), name: "predictions"))
    return SequentialSpec(inputShape: [224, 224, 3], layers: layers)
  }

  public static let all: [Entry] = [
    Entry(name: "vgg16", summary: "keras.applications.VGG16: 13 convolutions in 5 blocks, 3 dense layers",
          spec: vgg(convsPerBlock: [2, 2, 3, 3, 3]), inputLayerName: "input_1"),
    Entry(name: "vgg19", summary: "keras.applications.VGG19: 16 convolutions in 5 blocks, 3 dense layers",
          spec: vgg(convsPerBlock: [2, 2, 4, 4, 4]), inputLayerName: "input_1"),
  ]

  public static func named(_ name: String) -> Entry? {
    all.first { $0.name == name.lowercased() }
  }
}
