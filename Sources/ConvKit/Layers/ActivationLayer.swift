/// Keras's Activation layer: a function applied to every value (softmax along the last axis).
/// The struct is `ActivationLayer` because `Activation` names the functions themselves.
public struct ActivationLayer: Layer {
  public var activation: Activation
  public init(_ activation: Activation) { self.activation = activation }

  public static let kerasClass = "Activation"
  public static let nameStem = "activation"
  public static let specWords = ["activation"]
  public static let specHelp = "Activation(relu|tanh|sigmoid|softmax|linear|gelu|...)"

  public static func parse(_ a: inout LayerArguments) throws -> ActivationLayer {
    if let implied = a.impliedActivation {
      try a.bind(positional: [], named: [])
      return ActivationLayer(implied)
    }
    try a.bind(positional: ["activation"], named: ["activation"])
    guard let f = try a.activation() else {
      throw a.fail("activation needs a function: relu, tanh, sigmoid, softmax or linear")
    }
    return ActivationLayer(f)
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> ActivationLayer {
    ActivationLayer(try c.activation())
  }

  public var kerasConfig: [String: JSONValue] { ["activation": .string(activation.rawValue)] }
  public var specArguments: [String] { ["'\(activation.rawValue)'"] }
  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape { try single(inputs) }
  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime {
    ActivationRuntime(activation, width: context.inputShape.last ?? 1)
  }
}

/// Applies an activation function, keeping its input and output for backward.
public final class ActivationRuntime: ActivatedRuntime {
  public let activation: Activation
  let width: Int
  public private(set) var preActivation = Tensor(zeros: [0])
  private var output = Tensor(zeros: [0])

  init(_ activation: Activation, width: Int) {
    self.activation = activation
    self.width = width
  }

  public func releaseCaches() {
    preActivation = Tensor(zeros: [0])
    output = Tensor(zeros: [0])
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    preActivation = x
    output = Tensor(shape: x.shape, scalars: activation.apply(x.scalars, width: width))
    return output
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    Tensor(
      shape: dOutput.shape,
      scalars: activation.backward(
        dOutput: dOutput.scalars, preActivation: preActivation.scalars, output: output.scalars, width: width))
  }

  public func backward(preActivationGradient dZ: Tensor) -> Tensor { dZ }
}
