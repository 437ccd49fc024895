/// Keras's Dense on the last axis: y = activation(x W + b), W `[in, units]`.
public struct Dense: Layer {
  public var units: Int
  public var activation: Activation
  public var useBias: Bool

  public init(units: Int, activation: Activation = .linear, useBias: Bool = true) {
    self.units = units
    self.activation = activation
    self.useBias = useBias
  }

  public static let kerasClass = "Dense"
  public static let nameStem = "dense"
  public static let specWords = ["dense", "linear", "fullyconnected"]
  public static let specHelp = "Dense(units, activation=linear, use_bias=true)"

  public static func parse(_ a: inout LayerArguments) throws -> Dense {
    try a.bind(positional: ["units"], named: ["units", "activation", "use_bias"])
    guard let units = try a.int("units") else { throw a.fail("dense needs units, for example dense(10, softmax)") }
    return Dense(units: units, activation: try a.activation() ?? .linear, useBias: try a.bool("use_bias") ?? true)
  }

  public static func fromKeras(config c: [String: JSONValue]) throws -> Dense {
    Dense(units: try c.int("units"), activation: try c.activation(), useBias: c.bool("use_bias", default: true))
  }

  public var kerasConfig: [String: JSONValue] {
    ["units": .int(units), "activation": .string(activation.rawValue), "use_bias": .bool(useBias)]
  }

  public var specArguments: [String] {
    var args = ["\(units)"]
    if let a = SpecText.activation(activation) { args.append(a) }
    if !useBias { args.append("use_bias=False") }
    return args
  }

  /// Keras applies Dense to the last axis.
  public func outputShape(for inputs: [FeatureShape]) throws -> FeatureShape {
    Array(try single(inputs).dropLast()) + [units]
  }

  public func weights(for inputs: [FeatureShape]) -> [WeightSpec] {
    let fanIn = inputs.first?.last ?? 1
    var w = [WeightSpec("kernel", [fanIn, units], initializer: .glorotUniform(fanIn: fanIn, fanOut: units))]
    if useBias { w.append(WeightSpec("bias", [units])) }
    return w
  }

  public func makeRuntime(_ context: RuntimeContext) throws -> any LayerRuntime { DenseRuntime(self, context) }

  /// `43,264*10 + 10 = 432,650`.
  public func parameterFormula(for inputs: [FeatureShape], total: Int) -> String {
    let g = NumberText.grouped
    let weights = "\(g(inputs.first?.last ?? 1))*\(g(units))"
    return (useBias ? "\(weights) + \(g(units))" : weights) + " = " + g(total)
  }

  public func flops(for inputs: [FeatureShape], output: FeatureShape) -> Double {
    2.0 * (inputs.first ?? [0]).reduce(1.0) { $0 * Double($1) } * Double(units)
  }
}

public final class DenseRuntime: ActivatedRuntime {
  public let trainable: Bool
  public let inputShape: FeatureShape
  public let outputShape: FeatureShape
  public let activation: Activation
  public let units: Int
  public let kernel: Parameter
  public let bias: Parameter?
  public var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }
  /// The last forward pass's pre-activation (a ReLU layer recomputes it when asked, see Conv2DRuntime).
  public var preActivation: Tensor {
    if let storedPreActivation { return storedPreActivation }
    guard input.count > 0 else { return Tensor(zeros: [0]) }
    return Tensor(shape: output.shape, scalars: affine(input, relu: false))
  }
  private var storedPreActivation: Tensor? = Tensor(zeros: [0])
  private var input = Tensor(zeros: [0])
  private var output = Tensor(zeros: [0])
  public var needsInputGradient = true

  public init(_ layer: Dense, _ context: RuntimeContext) {
    inputShape = context.inputShape
    outputShape = context.outputShape
    activation = layer.activation
    units = layer.units
    kernel = context.parameters[0]
    bias = layer.useBias ? context.parameters[1] : nil
    trainable = context.trainable
  }

  public func releaseCaches() {
    input = Tensor(zeros: [0])
    output = Tensor(zeros: [0])
    storedPreActivation = Tensor(zeros: [0])
  }

  /// x W + b (or relu of it) for a batch of rows.
  private func affine(_ x: Tensor, relu: Bool) -> [Float] {
    let fanIn = inputShape.last ?? 1
    let rows = x.count / fanIn
    return uninitializedFloats(rows * units) { zp in
      if let b = bias?.value {
        b.withUnsafeBufferPointer { bp in
          for r in 0..<rows { (zp + r * units).update(from: bp.baseAddress!, count: units) }
        }
      }
      x.scalars.withUnsafeBufferPointer { xp in
        kernel.value.withUnsafeBufferPointer { wp in
          Gemm.sgemm(
            transA: false, transB: false, m: rows, n: units, k: fanIn, a: xp.baseAddress!, lda: fanIn,
            b: wp.baseAddress!, ldb: units, beta: bias == nil ? 0 : 1, c: zp, ldc: units)
        }
      }
      if relu { BlockConv.relu(zp, into: zp, count: rows * units) }
    }
  }

  public func forward(_ x: Tensor, training: Bool) -> Tensor {
    input = x
    let shape = [x.shape[0]] + outputShape
    if activation == .relu {
      storedPreActivation = nil
      output = Tensor(shape: shape, scalars: affine(x, relu: true))
    } else {
      let z = Tensor(shape: shape, scalars: affine(x, relu: false))
      storedPreActivation = z
      output = activation == .linear ? z : Tensor(shape: shape, scalars: activation.apply(z.scalars, width: units))
    }
    return output
  }

  public func backward(_ dOutput: Tensor) -> Tensor {
    let dz: [Float]
    if activation == .relu {
      dz = reluBackward(dOutput.scalars, output: output.scalars)
    } else {
      dz = activation.backward(
        dOutput: dOutput.scalars, preActivation: preActivation.scalars, output: output.scalars, width: units)
    }
    return backward(preActivationGradient: Tensor(shape: dOutput.shape, scalars: dz))
  }

  public func backward(preActivationGradient dZ: Tensor) -> Tensor {
    let fanIn = inputShape.last ?? 1
    let rows = dZ.count / units
    if trainable {
      input.scalars.withUnsafeBufferPointer { xp in
        dZ.scalars.withUnsafeBufferPointer { dp in
          kernel.gradient.withUnsafeMutableBufferPointer { gp in
            // dW [in, units] += x^T [in, rows] x dZ [rows, units]
            Gemm.sgemm(
              transA: true, transB: false, m: fanIn, n: units, k: rows, a: xp.baseAddress!, lda: fanIn,
              b: dp.baseAddress!, ldb: units, beta: 1, c: gp.baseAddress!, ldc: units)
          }
        }
      }
      if let bias {
        dZ.scalars.withUnsafeBufferPointer { dp in
          bias.gradient.withUnsafeMutableBufferPointer { gp in
            for r in 0..<rows { Im2col.addRun(dp.baseAddress! + r * units, into: gp.baseAddress!, count: units) }
          }
        }
      }
    }
    let inShape = [dZ.shape[0]] + inputShape
    guard needsInputGradient else { return Tensor(zeros: inShape) }
    let dx = uninitializedFloats(rows * fanIn) { xp in
      dZ.scalars.withUnsafeBufferPointer { dp in
        kernel.value.withUnsafeBufferPointer { wp in
          // dX [rows, in] = dZ [rows, units] x W^T [units, in]
          Gemm.sgemm(
            transA: false, transB: true, m: rows, n: fanIn, k: units, a: dp.baseAddress!, lda: units,
            b: wp.baseAddress!, ldb: units, beta: 0, c: xp, ldc: fanIn)
        }
      }
    }
    return Tensor(shape: inShape, scalars: dx)
  }
}