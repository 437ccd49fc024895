/// `InferenceNetwork`'s fast path: the network's layers with, once when it is built, what only
/// inference allows.
///
/// - A BatchNormalization whose only input is a convolution (Conv2D or DepthwiseConv2D) read by
///   nothing else is folded into it: inference normalizes with the moving statistics, which do
///   not change, so y = (z - mean) / sqrt(var + eps) * gamma + beta is z * s + t per channel, and
///   s multiplies the kernel's columns once, t becomes the bias.
/// - A ReLU after it (Activation('relu'), ReLU(max_value=6)) becomes a clamp applied while each
///   block of output is still in cache; so does a ReLU after an Add (ResNet's block output).
/// - A ZeroPadding2D read only by the convolution becomes the convolution's own padding (the
///   taps that fall in it are skipped, as with padding='same'): no padded copy is made.
/// - Conv2D kernels are packed into the micro-kernel's panels once, not on every call.
/// - An Add writes into an input that nothing else reads afterwards instead of a new array.
///
/// Every other layer runs as `Network.run` runs it. Feature maps are let go as soon as their
/// last reader has run. Tested against the layer-by-layer pass (`InferencePlanTests`).
final class InferencePlan {
  /// `[lower, upper]`, applied to a step's output; (-inf, inf) for none.
  struct Clamp: Equatable {
    var lower: Float
    var upper: Float
    static let none = Clamp(lower: -.infinity, upper: .infinity)
    static let relu = Clamp(lower: 0, upper: .infinity)
  }

  /// A Conv2D with its folded BatchNormalization, padding and activation.
  struct ConvStep {
    var packed: [Float]
    var bias: [Float]?
    var geometry: WindowGeometry
    var input: FeatureShape
    var filters: Int
    var clamp: Clamp
  }

  /// A DepthwiseConv2D with its folded BatchNormalization, padding and activation.
  struct DepthwiseStep {
    var kernel: [Float]
    var bias: [Float]?
    var geometry: WindowGeometry
    var input: FeatureShape
    var multiplier: Int
    var clamp: Clamp
  }

  enum Operation {
    case conv(ConvStep)
    case depthwise(DepthwiseStep)
    case add(Clamp)
    case layer(any LayerRuntime)
  }

  struct Step {
    /// The layers it runs, joined by `+` (`conv1_pad+conv1_conv+conv1_bn+conv1_relu`).
    var name: String
    var operation: Operation
    /// Steps whose outputs it reads (-1: the network's input).
    var inputs: [Int]
    var inputShapes: [FeatureShape]
    var outputShape: FeatureShape
  }

  let steps: [Step]
  /// How many steps read each step's output (the last step's counts one more: the caller).
  private let readerCounts: [Int]

  init(_ network: Network) {
    let layers = network.layers
    var readers = [[Int]](repeating: [], count: layers.count)
    for (i, l) in layers.enumerated() { for j in l.inputIndices where j >= 0 { readers[j].append(i) } }
    readers[layers.count - 1].append(layers.count)  // the caller reads the output
    /// The one layer reading layer i, if exactly one does.
    func onlyReader(_ i: Int) -> Int? {
      guard readers[i].count == 1, readers[i][0] < layers.count else { return nil }
      return readers[i][0]
    }

    var absorbed = Set<Int>()
    var groups: [Int: Group] = [:]
    for i in layers.indices {
      if let g = Self.convGroup(i, layers, onlyReader) {
        groups[i] = g
        absorbed.formUnion(g.members.filter { $0 != i })
      }
    }
    for (i, layer) in layers.enumerated() where layer.node.layer is Add && !absorbed.contains(i) {
      var g = Group(members: [i], first: i, last: i)
      if let r = onlyReader(i), let c = Self.clamp(of: layers[r]) {
        g.members.append(r)
        g.last = r
        g.clamp = c
      }
      groups[i] = g
      absorbed.formUnion(g.members.filter { $0 != i })
    }

    var stepOf = [Int](repeating: -1, count: layers.count)
    var built: [Step] = []
    for (i, layer) in layers.enumerated() where !absorbed.contains(i) {
      let group = groups[i] ?? Group(members: [i], first: i, last: i)
      let first = layers[group.first]
      let inputs = first.inputIndices.map { $0 < 0 ? -1 : stepOf[$0] }
      let name = group.members.sorted().map { layers[$0].name }.joined(separator: "+")
      let operation: Operation
      if layer.node.layer is Conv2D || layer.node.layer is DepthwiseConv2D {
        operation = Self.convOperation(group, layers)
      } else if layer.node.layer is Add {
        operation = .add(group.clamp)
      } else {
        operation = .layer(layer.runtime)
      }
      built.append(
        Step(
          name: name, operation: operation, inputs: inputs, inputShapes: first.inputShapes,
          outputShape: layers[group.last].outputShape))
      for m in group.members { stepOf[m] = built.count - 1 }
    }
    steps = built
    var counts = [Int](repeating: 0, count: built.count)
    for s in built { for j in s.inputs where j >= 0 { counts[j] += 1 } }
    counts[built.count - 1] += 1
    readerCounts = counts
  }

  /// Layers run as one step: `first` reads the step's inputs, `last` makes its output.
  private struct Group {
    var members: [Int]
    var first: Int
    var last: Int
    var clamp = Clamp.none
    var padding: ZeroPadding2D?
    var batchNorm: Int?
  }

  /// The clamp an activation layer is, when it is a ReLU (with or without max_value).
  private static func clamp(of layer: NetworkLayer) -> Clamp? {
    switch layer.node.layer {
    case let a as ActivationLayer:
      switch a.activation {
      case .relu: return .relu
      case .relu6: return Clamp(lower: 0, upper: 6)
      default: return nil
      }
    case let r as ReLU where r.negativeSlope == 0 && r.threshold == 0 && (r.maxValue ?? 0) >= 0:
      return Clamp(lower: 0, upper: r.maxValue ?? .infinity)
    default:
      return nil
    }
  }

  /// Conv2D or DepthwiseConv2D at `i` with the ZeroPadding2D before it, the
  /// BatchNormalization and ReLU after it, each taken when only the next one reads it.
  private static func convGroup(_ i: Int, _ layers: [NetworkLayer], _ onlyReader: (Int) -> Int?) -> Group? {
    let layer = layers[i]
    let activation: Activation
    switch layer.node.layer {
    case let c as Conv2D: activation = c.activation
    case let d as DepthwiseConv2D: activation = d.activation
    default: return nil
    }
    var g = Group(members: [i], first: i, last: i)
    if let j = layer.inputIndices.first, j >= 0, let pad = layers[j].node.layer as? ZeroPadding2D, onlyReader(j) == i {
      g.members.append(j)
      g.first = j
      g.padding = pad
    }
    switch activation {
    case .linear: break
    case .relu:
      g.clamp = .relu
      return g
    case .relu6:
      g.clamp = Clamp(lower: 0, upper: 6)
      return g
    default: return nil
    }
    var last = i
    if let r = onlyReader(last), layers[r].node.layer is BatchNormalization, layers[r].runtime is BatchNormRuntime {
      g.members.append(r)
      g.batchNorm = r
      last = r
    }
    if let r = onlyReader(last), let c = clamp(of: layers[r]) {
      g.members.append(r)
      g.clamp = c
      last = r
    }
    g.last = last
    return g
  }

  /// The step of a convolution group: padding moved into the geometry, the normalization's
  /// scale multiplied into the kernel and its shift into the bias (in Double).
  private static func convOperation(_ g: Group, _ layers: [NetworkLayer]) -> Operation {
    let conv = layers[g.members[0]]
    var geometry: WindowGeometry
    let input = layers[g.first].inputShape
    let channels = conv.outputShape[2]
    var kernel: [Float]
    var bias: [Float]?
    var multiplier = 1
    if let c = conv.runtime as? Conv2DRuntime {
      geometry = c.geometry
      kernel = c.kernel.value
      bias = c.bias?.value
    } else {
      let d = conv.runtime as! DepthwiseRuntime
      geometry = d.shape.geometry
      kernel = d.kernel.value
      bias = d.bias?.value
      multiplier = d.shape.multiplier
    }
    if let pad = g.padding {
      geometry.rows.input = input[0]
      geometry.rows.padBefore += pad.top
      geometry.rows.padAfter += pad.bottom
      geometry.cols.input = input[1]
      geometry.cols.padBefore += pad.left
      geometry.cols.padAfter += pad.right
    }
    var scale: [Float]?
    if let b = g.batchNorm, let bn = layers[b].runtime as? BatchNormRuntime {
      let gamma = bn.gamma?.value, beta = bn.beta?.value
      let mean = bn.movingMean.value, variance = bn.movingVariance.value
      var s = [Float](repeating: 1, count: channels)
      var t = [Float](repeating: 0, count: channels)
      for j in 0..<channels {
        let inv = 1 / (Double(variance[j]) + Double(bn.epsilon)).squareRoot()
        let sj = inv * Double(gamma?[j] ?? 1)
        s[j] = Float(sj)
        t[j] = Float((Double(bias?[j] ?? 0) - Double(mean[j])) * sj + Double(beta?[j] ?? 0))
      }
      scale = s
      bias = t
    }
    if conv.runtime is Conv2DRuntime {
      let k = geometry.rows.kernel * geometry.cols.kernel * input[2]
      let packed = kernel.withUnsafeBufferPointer { w in
        withOptionalPointer(scale) { BlockConv.packedKernel(w.baseAddress!, depth: k, filters: channels, scale: $0) }
      }
      return .conv(
        ConvStep(packed: packed, bias: bias, geometry: geometry, input: input, filters: channels, clamp: g.clamp))
    }
    if let scale {
      for i in kernel.indices { kernel[i] *= scale[i % channels] }
    }
    return .depthwise(
      DepthwiseStep(
        kernel: kernel, bias: bias, geometry: geometry, input: input, multiplier: multiplier, clamp: g.clamp))
  }

  /// Runs `n` images `[N] + inputShape` through every step; `stepTime` sees each step's
  /// wall-clock seconds as it ends.
  func run(_ x: [Float], batch n: Int, inputShape: FeatureShape, stepTime: ((Step, Double) -> Void)? = nil) -> [Float] {
    let clock = ContinuousClock()
    var outputs = [[Float]?](repeating: nil, count: steps.count)
    var readers = readerCounts
    for (i, step) in steps.enumerated() {
      let started = clock.now
      let out: [Float]
      switch step.operation {
      case .conv(let c):
        out = Self.convolve(c, step.inputs[0] < 0 ? x : outputs[step.inputs[0]]!, batch: n, output: step.outputShape)
      case .depthwise(let d):
        out = Self.depthwise(d, step.inputs[0] < 0 ? x : outputs[step.inputs[0]]!, batch: n, output: step.outputShape)
      case .add(let clamp):
        // Sum into an input nothing reads after this step (its array is then not copied).
        var sum: [Float]
        var rest = step.inputs
        if let k = rest.firstIndex(where: { j in j >= 0 && readers[j] == 1 && rest.filter { $0 == j }.count == 1 }) {
          let j = rest.remove(at: k)
          sum = outputs[j]!
          outputs[j] = nil
        } else {
          let j = rest.removeFirst()
          sum = j < 0 ? x : outputs[j]!
        }
        Self.add(rest.map { $0 < 0 ? x : outputs[$0]! }, into: &sum, clamp: clamp)
        out = sum
      case .layer(let runtime):
        let inputs = zip(step.inputs, step.inputShapes).map { j, shape in
          Tensor(shape: [n] + shape, scalars: j < 0 ? x : outputs[j]!)
        }
        out = runtime.forward(inputs, training: false).scalars
        runtime.releaseCaches()
      }
      for j in step.inputs where j >= 0 {
        readers[j] -= 1
        if readers[j] == 0 { outputs[j] = nil }
      }
      outputs[i] = out
      stepTime?(step, (clock.now - started).seconds)
    }
    return outputs[steps.count - 1]!
  }

  private static func convolve(_ c: ConvStep, _ x: [Float], batch n: Int, output: FeatureShape) -> [Float] {
    uninitializedFloats(n * output.reduce(1, *)) { out in
      x.withUnsafeBufferPointer { xp in
        c.packed.withUnsafeBufferPointer { wp in
          withOptionalPointer(c.bias) { bp in
            BlockConv.forward(
              input: xp.baseAddress!, batch: n, height: c.input[0], width: c.input[1], channels: c.input[2],
              packedKernel: wp.baseAddress!, bias: bp, filters: c.filters, geometry: c.geometry, output: out,
              lower: c.clamp.lower, upper: c.clamp.upper)
          }
        }
      }
    }
  }

  private static func depthwise(_ d: DepthwiseStep, _ x: [Float], batch n: Int, output: FeatureShape) -> [Float] {
    uninitializedFloats(n * output.reduce(1, *)) { out in
      x.withUnsafeBufferPointer { xp in
        d.kernel.withUnsafeBufferPointer { wp in
          withOptionalPointer(d.bias) { bp in
            DepthwiseConv.forward(
              input: xp.baseAddress!, batch: n, height: d.input[0], width: d.input[1], channels: d.input[2],
              kernel: wp.baseAddress!, depthMultiplier: d.multiplier, bias: bp, geometry: d.geometry, output: out,
              lower: d.clamp.lower, upper: d.clamp.upper)
          }
        }
      }
    }
  }

  /// `sum += each of terms`, then the clamp; large maps in chunks on all cores.
  static func add(_ terms: [[Float]], into sum: inout [Float], clamp: Clamp) {
    let total = sum.count
    guard total > 0 else { return }
    let chunk = 1 << 15
    let chunks = (total + chunk - 1) / chunk
    let tasks = min(chunks, BlockConv.maxTasks)
    let clamps = clamp != .none
    sum.withUnsafeMutableBufferPointer { s in
      let out = SendableFloats(pointer: s.baseAddress!)
      for (k, term) in terms.enumerated() {
        let last = k == terms.count - 1
        term.withUnsafeBufferPointer { t in
          let source = SendableFloats(pointer: UnsafeMutablePointer(mutating: t.baseAddress!))
          BlockConv.forEachTask(tasks) { task in
            let range = BlockConv.blockRange(task, tasks: tasks, blocks: chunks)
            let start = range.lowerBound * chunk
            let count = min(total, range.upperBound * chunk) - start
            Im2col.addRun(source.pointer + start, into: out.pointer + start, count: count)
            if last && clamps { BlockConv.clamp(out.pointer + start, count: count, lower: clamp.lower, upper: clamp.upper) }
          }
        }
      }
      if terms.isEmpty && clamps {
        BlockConv.clamp(out.pointer, count: total, lower: clamp.lower, upper: clamp.upper)
      }
    }
  }

  private struct SendableFloats: @unchecked Sendable { var pointer: UnsafeMutablePointer<Float> }
}
