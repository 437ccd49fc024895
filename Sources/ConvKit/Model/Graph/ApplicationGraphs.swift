/// keras.applications' branching networks, layer for layer as Keras 2 builds them
/// (include_top=True, ImageNet's 1000 classes), so that their summaries and parameter counts
/// equal `ResNet50().summary()`, `MobileNet()`, `Xception()` and `InceptionV3()`.
public enum ApplicationGraphs {
  public struct Entry: Sendable {
    public var name: String
    public var summary: String
    public var make: @Sendable () -> GraphSpec
  }

  public static let all: [Entry] = [
    Entry(name: "resnet50", summary: "keras.applications.ResNet50: residual blocks with Add shortcuts (He et al. 2015)", make: resnet50),
    Entry(name: "mobilenet", summary: "keras.applications.MobileNet: depthwise separable convolutions, ReLU(6)", make: mobilenet),
    Entry(name: "xception", summary: "keras.applications.Xception: separable convolutions with residual Adds", make: xception),
    Entry(name: "inceptionv3", summary: "keras.applications.InceptionV3: parallel branches joined by Concatenate", make: inceptionV3),
  ]

  public static func named(_ name: String) -> Entry? {
    let n = name.lowercased().filter { $0 != "_" && $0 != "-" }
    return all.first { $0.name == n }
  }

  static func conv(
    _ filters: Int, _ k: Size2, strides: Size2 = Size2(1), padding: Padding = .valid, activation: Activation = .linear,
    useBias: Bool = true
  ) -> Conv2D {
    Conv2D(filters: filters, kernelSize: k, strides: strides, padding: padding, activation: activation, useBias: useBias)
  }
  static let bn = BatchNormalization()
  static let relu = ActivationLayer(.relu)

  // MARK: ResNet50

  /// keras.applications.resnet: a 7x7/2 stem, then stacks of bottleneck blocks
  /// (1x1, 3x3, 1x1 convolutions; a 1x1 projection on the first block's shortcut).
  @Sendable public static func resnet50() -> GraphSpec {
    var g = GraphBuilder(name: "resnet50")
    // keras.applications.resnet normalizes with epsilon 1.001e-5 (not Keras's default 1e-3).
    let bn = BatchNormalization(epsilon: 1.001e-5)
    var x = g.input([224, 224, 3])
    x = g.add(ZeroPadding2D(top: 3, bottom: 3, left: 3, right: 3), x, name: "conv1_pad")
    x = g.add(conv(64, Size2(7), strides: Size2(2)), x, name: "conv1_conv")
    x = g.add(bn, x, name: "conv1_bn")
    x = g.add(relu, x, name: "conv1_relu")
    x = g.add(ZeroPadding2D(top: 1, bottom: 1, left: 1, right: 1), x, name: "pool1_pad")
    x = g.add(MaxPooling2D(poolSize: Size2(3, 3), strides: Size2(2, 2), padding: .valid), x, name: "pool1_pool")
    for (stack, (filters, blocks)) in [(64, 3), (128, 4), (256, 6), (512, 3)].enumerated() {
      let stride = stack == 0 ? 1 : 2
      for b in 1...blocks {
        let p = "conv\(stack + 2)_block\(b)"
        let s = b == 1 ? stride : 1
        var shortcut = x
        if b == 1 {
          shortcut = g.add(conv(4 * filters, Size2(1), strides: Size2(s)), x, name: p + "_0_conv")
          shortcut = g.add(bn, shortcut, name: p + "_0_bn")
        }
        var y = g.add(conv(filters, Size2(1), strides: Size2(s)), x, name: p + "_1_conv")
        y = g.add(bn, y, name: p + "_1_bn")
        y = g.add(relu, y, name: p + "_1_relu")
        y = g.add(conv(filters, Size2(3), padding: .same), y, name: p + "_2_conv")
        y = g.add(bn, y, name: p + "_2_bn")
        y = g.add(relu, y, name: p + "_2_relu")
        y = g.add(conv(4 * filters, Size2(1)), y, name: p + "_3_conv")
        y = g.add(bn, y, name: p + "_3_bn")
        y = g.add(Add(), shortcut, y, name: p + "_add")
        x = g.add(relu, y, name: p + "_out")
      }
    }
    x = g.add(GlobalAveragePooling2D(), x, name: "avg_pool")
    g.add(Dense(units: 1000, activation: .softmax), x, name: "predictions")
    return g.spec
  }

  // MARK: MobileNet

  /// keras.applications.mobilenet (alpha 1.0, depth multiplier 1, 224x224): a 3x3/2 convolution,
  /// then 13 blocks of depthwise 3x3 + pointwise 1x1, each followed by BatchNormalization and
  /// ReLU(6); strided blocks pad bottom/right by one first. The classifier is a 1x1 convolution.
  @Sendable public static func mobilenet() -> GraphSpec {
    var g = GraphBuilder(name: "mobilenet_1.00_224")
    var x = g.input([224, 224, 3])
    x = g.add(conv(32, Size2(3), strides: Size2(2), padding: .same, useBias: false), x, name: "conv1")
    x = g.add(bn, x, name: "conv1_bn")
    x = g.add(ReLU(maxValue: 6), x, name: "conv1_relu")
    let blocks: [(Int, Int)] = [
      (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1),
      (1024, 2), (1024, 1),
    ]
    for (i, (filters, stride)) in blocks.enumerated() {
      let id = i + 1
      if stride == 2 {
        x = g.add(ZeroPadding2D(top: 0, bottom: 1, left: 0, right: 1), x, name: "conv_pad_\(id)")
      }
      x = g.add(
        DepthwiseConv2D(kernelSize: Size2(3), strides: Size2(stride), padding: stride == 1 ? .same : .valid, useBias: false),
        x, name: "conv_dw_\(id)")
      x = g.add(bn, x, name: "conv_dw_\(id)_bn")
      x = g.add(ReLU(maxValue: 6), x, name: "conv_dw_\(id)_relu")
      x = g.add(conv(filters, Size2(1), padding: .same, useBias: false), x, name: "conv_pw_\(id)")
      x = g.add(bn, x, name: "conv_pw_\(id)_bn")
      x = g.add(ReLU(maxValue: 6), x, name: "conv_pw_\(id)_relu")
    }
    x = g.add(GlobalAveragePooling2D(), x)
    x = g.add(Reshape(targetShape: [1, 1, 1024]), x, name: "reshape_1")
    x = g.add(Dropout(rate: 0.001), x, name: "dropout")
    x = g.add(conv(1000, Size2(1), padding: .same), x, name: "conv_preds")
    x = g.add(Reshape(targetShape: [1000]), x, name: "reshape_2")
    g.add(ActivationLayer(.softmax), x, name: "predictions")
    return g.spec
  }

  // MARK: Xception

  /// keras.applications.xception (299x299): entry flow with strided residual projections,
  /// 8 middle-flow blocks of three 728-filter separable convolutions with identity shortcuts,
  /// exit flow to 2048 channels.
  @Sendable public static func xception() -> GraphSpec {
    var g = GraphBuilder(name: "xception")
    func sep(_ filters: Int, _ x: String, _ name: String) -> SeparableConv2D {
      SeparableConv2D(filters: filters, kernelSize: Size2(3), padding: .same, useBias: false)
    }
    var x = g.input([299, 299, 3])
    x = g.add(conv(32, Size2(3), strides: Size2(2), useBias: false), x, name: "block1_conv1")
    x = g.add(bn, x, name: "block1_conv1_bn")
    x = g.add(relu, x, name: "block1_conv1_act")
    x = g.add(conv(64, Size2(3), useBias: false), x, name: "block1_conv2")
    x = g.add(bn, x, name: "block1_conv2_bn")
    x = g.add(relu, x, name: "block1_conv2_act")
    // Entry flow: blocks 2-4 (block 2 starts without an activation).
    for (i, filters) in [128, 256, 728].enumerated() {
      let b = "block\(i + 2)"
      var residual = g.add(conv(filters, Size2(1), strides: Size2(2), padding: .same, useBias: false), x)
      residual = g.add(bn, residual)
      if i > 0 { x = g.add(relu, x, name: b + "_sepconv1_act") }
      x = g.add(sep(filters, x, ""), x, name: b + "_sepconv1")
      x = g.add(bn, x, name: b + "_sepconv1_bn")
      x = g.add(relu, x, name: b + "_sepconv2_act")
      x = g.add(sep(filters, x, ""), x, name: b + "_sepconv2")
      x = g.add(bn, x, name: b + "_sepconv2_bn")
      x = g.add(MaxPooling2D(poolSize: Size2(3, 3), strides: Size2(2, 2), padding: .same), x, name: b + "_pool")
      x = g.add(Add(), x, residual)
    }
    // Middle flow: blocks 5-12.
    for i in 0..<8 {
      let b = "block\(i + 5)"
      let residual = x
      for c in 1...3 {
        x = g.add(relu, x, name: b + "_sepconv\(c)_act")
        x = g.add(sep(728, x, ""), x, name: b + "_sepconv\(c)")
        x = g.add(bn, x, name: b + "_sepconv\(c)_bn")
      }
      x = g.add(Add(), x, residual)
    }
    // Exit flow.
    var residual = g.add(conv(1024, Size2(1), strides: Size2(2), padding: .same, useBias: false), x)
    residual = g.add(bn, residual)
    x = g.add(relu, x, name: "block13_sepconv1_act")
    x = g.add(sep(728, x, ""), x, name: "block13_sepconv1")
    x = g.add(bn, x, name: "block13_sepconv1_bn")
    x = g.add(relu, x, name: "block13_sepconv2_act")
    x = g.add(sep(1024, x, ""), x, name: "block13_sepconv2")
    x = g.add(bn, x, name: "block13_sepconv2_bn")
    x = g.add(MaxPooling2D(poolSize: Size2(3, 3), strides: Size2(2, 2), padding: .same), x, name: "block13_pool")
    x = g.add(Add(), x, residual)
    for (c, filters) in [1536, 2048].enumerated() {
      x = g.add(sep(filters, x, ""), x, name: "block14_sepconv\(c + 1)")
      x = g.add(bn, x, name: "block14_sepconv\(c + 1)_bn")
      x = g.add(relu, x, name: "block14_sepconv\(c + 1)_act")
    }
    x = g.add(GlobalAveragePooling2D(), x, name: "avg_pool")
    g.add(Dense(units: 1000, activation: .softmax), x, name: "predictions")
    return g.spec
  }

  // MARK: InceptionV3

  /// keras.applications.inception_v3 (299x299): every convolution is `conv2d_bn`
  /// (Conv2D without bias, BatchNormalization without scale, ReLU); mixed0-mixed10 join
  /// parallel branches with Concatenate.
  @Sendable public static func inceptionV3() -> GraphSpec {
    var g = GraphBuilder(name: "inception_v3")
    func cbr(_ x: String, _ filters: Int, _ r: Int, _ c: Int, strides: Int = 1, padding: Padding = .same) -> String {
      var y = g.add(conv(filters, Size2(r, c), strides: Size2(strides), padding: padding, useBias: false), x)
      y = g.add(BatchNormalization(scale: false), y)
      return g.add(relu, y)
    }
    func avg3(_ x: String) -> String {
      g.add(AveragePooling2D(poolSize: Size2(3, 3), strides: Size2(1, 1), padding: .same), x)
    }
    func max3(_ x: String) -> String {
      g.add(MaxPooling2D(poolSize: Size2(3, 3), strides: Size2(2, 2), padding: .valid), x)
    }
    var x = g.input([299, 299, 3])
    x = cbr(x, 32, 3, 3, strides: 2, padding: .valid)
    x = cbr(x, 32, 3, 3, padding: .valid)
    x = cbr(x, 64, 3, 3)
    x = max3(x)
    x = cbr(x, 80, 1, 1, padding: .valid)
    x = cbr(x, 192, 3, 3, padding: .valid)
    x = max3(x)
    // mixed0-2: 35x35.
    for (i, poolFilters) in [32, 64, 64].enumerated() {
      let b1 = cbr(x, 64, 1, 1)
      var b5 = cbr(x, 48, 1, 1)
      b5 = cbr(b5, 64, 5, 5)
      var b3 = cbr(x, 64, 1, 1)
      b3 = cbr(b3, 96, 3, 3)
      b3 = cbr(b3, 96, 3, 3)
      var bp = avg3(x)
      bp = cbr(bp, poolFilters, 1, 1)
      x = g.add(Concatenate(), inputs: [b1, b5, b3, bp], name: "mixed\(i)")
    }
    // mixed3: to 17x17.
    do {
      let b3 = cbr(x, 384, 3, 3, strides: 2, padding: .valid)
      var bd = cbr(x, 64, 1, 1)
      bd = cbr(bd, 96, 3, 3)
      bd = cbr(bd, 96, 3, 3, strides: 2, padding: .valid)
      let bp = max3(x)
      x = g.add(Concatenate(), inputs: [b3, bd, bp], name: "mixed3")
    }
    // mixed4-7: factorized 7x7 convolutions.
    for (i, f) in [128, 160, 160, 192].enumerated() {
      let b1 = cbr(x, 192, 1, 1)
      var b7 = cbr(x, f, 1, 1)
      b7 = cbr(b7, f, 1, 7)
      b7 = cbr(b7, 192, 7, 1)
      var bd = cbr(x, f, 1, 1)
      bd = cbr(bd, f, 7, 1)
      bd = cbr(bd, f, 1, 7)
      bd = cbr(bd, f, 7, 1)
      bd = cbr(bd, 192, 1, 7)
      var bp = avg3(x)
      bp = cbr(bp, 192, 1, 1)
      x = g.add(Concatenate(), inputs: [b1, b7, bd, bp], name: "mixed\(i + 4)")
    }
    // mixed8: to 8x8.
    do {
      var b3 = cbr(x, 192, 1, 1)
      b3 = cbr(b3, 320, 3, 3, strides: 2, padding: .valid)
      var b7 = cbr(x, 192, 1, 1)
      b7 = cbr(b7, 192, 1, 7)
      b7 = cbr(b7, 192, 7, 1)
      b7 = cbr(b7, 192, 3, 3, strides: 2, padding: .valid)
      let bp = max3(x)
      x = g.add(Concatenate(), inputs: [b3, b7, bp], name: "mixed8")
    }
    // mixed9-10: 8x8x2048.
    for i in 0..<2 {
      let b1 = cbr(x, 320, 1, 1)
      var b3 = cbr(x, 384, 1, 1)
      let b3a = cbr(b3, 384, 1, 3)
      let b3b = cbr(b3, 384, 3, 1)
      b3 = g.add(Concatenate(), b3a, b3b, name: "mixed9_\(i)")
      var bd = cbr(x, 448, 1, 1)
      bd = cbr(bd, 384, 3, 3)
      let bda = cbr(bd, 384, 1, 3)
      let bdb = cbr(bd, 384, 3, 1)
      bd = g.add(Concatenate(), bda, bdb)
      var bp = avg3(x)
      bp = cbr(bp, 192, 1, 1)
      x = g.add(Concatenate(), inputs: [b1, b3, bd, bp], name: "mixed\(9 + i)")
    }
    x = g.add(GlobalAveragePooling2D(), x, name: "avg_pool")
    g.add(Dense(units: 1000, activation: .softmax), x, name: "predictions")
    return g.spec
  }
}
