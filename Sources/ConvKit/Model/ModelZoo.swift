/// The named models convplay knows: the course's three MNIST models and the built-in training
/// models. `convplay summary --model NAME` and `convplay train --model NAME` look them up here.
public enum ModelZoo {
  public struct Entry: Sendable {
    public var name: String
    public var summary: String
    public var spec: SequentialSpec
  }

  static let mnist: FeatureShape = [28, 28, 1]

  static func conv(_ f: Int, _ k: Int, _ a: Activation = .relu, padding: Padding = .valid) -> LayerSpec {
    LayerSpec(Conv2D(filters: f, kernelSize: Size2(k), padding: padding, activation: a))
  }
  static func maxPool(_ k: Int) -> LayerSpec {
    LayerSpec(MaxPooling2D(poolSize: Size2(k)))
  }
  static func dense(_ units: Int, _ a: Activation) -> LayerSpec {
    LayerSpec(Dense(units: units, activation: a))
  }
  static let flatten = LayerSpec(Flatten())
  static func dropout(_ r: Float) -> LayerSpec { LayerSpec(Dropout(rate: r)) }
  /// Keras's defaults: epsilon 0.001, momentum 0.99.
  static let batchNorm = LayerSpec(BatchNormalization(epsilon: 1e-3, momentum: 0.99))

  public static let all: [Entry] = [
    Entry(
      name: "course1", summary: "the course's first model: Conv2D(64, 3) -> Flatten -> Dense(10)",
      spec: SequentialSpec(inputShape: mnist, layers: [conv(64, 3), flatten, dense(10, .softmax)])),
    Entry(
      name: "course2", summary: "course1 with a Dense(15, tanh) hidden layer",
      spec: SequentialSpec(
        inputShape: mnist, layers: [conv(64, 3), flatten, dense(15, .tanh), dense(10, .softmax)])),
    Entry(
      name: "course3", summary: "course2 with MaxPooling2D(2) after the convolution",
      spec: SequentialSpec(
        inputShape: mnist,
        layers: [conv(64, 3), maxPool(2), flatten, dense(15, .tanh), dense(10, .softmax)])),
    Entry(
      name: "softmax", summary: "softmax regression: Flatten -> Dense(10, softmax)",
      spec: SequentialSpec(inputShape: mnist, layers: [flatten, dense(10, .softmax)])),
    Entry(
      name: "mlp", summary: "multilayer perceptron: two hidden Dense(256, relu) layers with dropout",
      spec: SequentialSpec(
        inputShape: mnist,
        layers: [flatten, dense(256, .relu), dropout(0.2), dense(256, .relu), dropout(0.2), dense(10, .softmax)])),
    // Two same-padded conv-pool stages keep 28 -> 14 -> 7 and cost a third of Keras's mnist_cnn
    // (no 24x24x64 layer); light dropout lets 5 epochs of Adam reach 99 % on the MNIST test set.
    Entry(
      name: "cnn", summary: "conv32(same)-pool-conv64(same)-pool-flatten-dense128-dropout0.25-dense10",
      spec: SequentialSpec(
        inputShape: mnist,
        layers: [
          conv(32, 3, padding: .same), maxPool(2), conv(64, 3, padding: .same), maxPool(2),
          flatten, dense(128, .relu), dropout(0.25), dense(10, .softmax),
        ])),
    Entry(
      name: "convnet", summary: "Keras's mnist_convnet example: conv32-pool-conv64-pool-flatten-dropout-dense10",
      spec: SequentialSpec(
        inputShape: mnist,
        layers: [conv(32, 3), maxPool(2), conv(64, 3), maxPool(2), flatten, dropout(0.5), dense(10, .softmax)])),
  ]

  public static func named(_ name: String) -> Entry? {
    all.first { $0.name == name.lowercased() }
  }
}
