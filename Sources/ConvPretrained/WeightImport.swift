import ConvData
import ConvKit
import Foundation

/// Which framework wrote a weights file, which fixes the layout of its tensors.
public enum WeightLayout: String, CaseIterable, Sendable {
  /// Conv2D kernels `(height, width, in, out)` (HWIO), Dense kernels `(in, out)`: convplay's own.
  case keras
  /// Conv2d weights `(out, in, height, width)` (OIHW), Linear weights `(out, in)`, and a
  /// flatten that reads channels first (C, H, W).
  case pytorch

  var kernelLayoutText: String {
    switch self {
    case .keras: return "Keras's layout"
    case .pytorch: return "PyTorch's layout"
    }
  }
}

/// Turns the tensors of a Keras or PyTorch weights file into the weights of a convplay
/// architecture: finds which tensor belongs to which layer, checks every shape, and converts
/// the layout (OIHW -> HWIO, (out, in) -> (in, out), and PyTorch's channels-first flatten
/// order for the first Dense after a Flatten).
///
/// How tensors find their layer (first rule that places every layer wins):
/// 1. by name: a tensor `NAME/kernel:0`, `NAME/kernel` or `NAME.kernel` belongs to the layer
///    `NAME` (Keras's `model.weights` names; the layer names `convplay summary` prints);
/// 2. for VGG from PyTorch: torchvision's module names, `features.N` for the N-th module of the
///    convolutional part (counting ReLU and MaxPool modules) and `classifier.0/3/6` for fc1,
///    fc2 and predictions;
/// 3. by order: tensors grouped by the name before their last `.` or `/`, the groups taken in
///    the file's order (for .npz, the order the arrays were saved; safetensors files store
///    names sorted, so groups are sorted by name with numbers compared as numbers:
///    `0, 3, 10`), matched to the layers with weights in order.
/// Weight names within a group: `kernel` or `weight`; `bias`; BatchNormalization's `gamma`/
/// `weight`, `beta`/`bias`, `moving_mean`/`running_mean`, `moving_variance`/`running_var`
/// (`num_batches_tracked` is ignored).
public enum WeightImport {
  /// Reads a safetensors or .npz file (by content); tensors in the order rule 3 uses.
  public static func readTensors(_ url: URL) throws -> [SourceTensor] {
    let handle = try openForImport(url)
    let prefix = [UInt8](handle.readData(ofLength: 4))
    try? handle.close()
    if NPZ.isZip(prefix) { return try NPZ.read(url) }
    let (header, values) = try SafeTensors.read(contentsOf: url)
    let tensors = zip(header.entries, values).map { SourceTensor(name: $0.name, shape: $0.shape, values: $1) }
    return tensors.sorted { naturalLess($0.name, $1.name) }
  }

  /// One matched tensor: convplay's `layer/weight` and the file's name for it.
  public struct Match: Equatable, Sendable {
    public var target: String
    public var source: String
    public init(target: String, source: String) {
      self.target = target
      self.source = source
    }
  }

  /// Weights parallel to `InferenceNetwork.slots(for: spec)`, and where each came from.
  /// `architecture` picks rule 2 (`vgg16`, `vgg19`). Consumes `tensors` (each source tensor's
  /// memory is released once converted, so a VGG16 import holds the weights about once).
  public static func convert(
    _ tensors: inout [SourceTensor], spec: SequentialSpec, layout: WeightLayout, architecture: String? = nil
  ) throws -> (weights: [[Float]], matches: [Match]) {
    let rows = try spec.rows()
    let slots = try InferenceNetwork.slots(for: spec)
    let weighted = Array(Set(slots.map(\.layerIndex))).sorted()
    // Groups: prefix -> leaf -> tensor index, in the order of first appearance.
    var groupOrder: [String] = []
    var groups: [String: [String: Int]] = [:]
    for (t, tensor) in tensors.enumerated() {
      var name = Substring(tensor.name)
      if let colon = name.lastIndex(of: ":"), name[name.index(after: colon)...].allSatisfy(\.isNumber) {
        name = name[..<colon]
      }
      let cut = name.lastIndex { $0 == "/" || $0 == "." }
      let prefix = cut.map { String(name[..<$0]) } ?? ""
      let leaf = cut.map { String(name[name.index(after: $0)...]) } ?? String(name)
      if leaf == "num_batches_tracked" { continue }
      if groups[prefix] == nil { groupOrder.append(prefix) }
      groups[prefix, default: [:]][leaf] = t
    }
    // Rule 1: by layer name.
    var assignment: [Int: String] = [:]
    for i in weighted {
      let layerName = rows[i].layer.name
      if let g = groupOrder.first(where: { $0 == layerName || $0.hasSuffix("/" + layerName) }) { assignment[i] = g }
    }
    if assignment.count != weighted.count {
      assignment = [:]
      // Rule 2: torchvision's VGG module names.
      if layout == .pytorch, let arch = architecture?.lowercased(), arch.hasPrefix("vgg") {
        var module = 0
        var classifier = 0
        for (i, row) in rows.enumerated() {
          switch row.layer.layer {
          case is Conv2D:
            assignment[i] = "features.\(module)"
            module += 2  // Conv2d, ReLU
          case is MaxPooling2D: module += 1
          case is Dense:
            assignment[i] = "classifier.\(classifier)"
            classifier += 3  // Linear, ReLU, Dropout
          default: break
          }
        }
        if !assignment.values.allSatisfy({ groups[$0] != nil }) { assignment = [:] }
      }
      // Rule 3: by order.
      if assignment.isEmpty {
        guard groupOrder.count == weighted.count else {
          let names = groupOrder.prefix(3).map { $0.isEmpty ? "(no prefix)" : $0 }.joined(separator: ", ")
          throw ImportError(
            "the file holds weights for \(groupOrder.count) layer(s) (\(names)\(groupOrder.count > 3 ? ", ..." : "")), "
              + "the architecture has \(weighted.count) layers with weights, and their names do not match")
        }
        for (i, g) in zip(weighted, groupOrder) { assignment[i] = g }
      }
    }
    let used = Set(assignment.values)
    if let extra = groupOrder.first(where: { !used.contains($0) }), let leaf = groups[extra]?.values.first {
      throw ImportError("tensor \(tensors[leaf].name) does not belong to any layer of the architecture")
    }

    var weights: [[Float]] = []
    var matches: [Match] = []
    var flattened: FeatureShape? = nil  // the [H, W, C] a Flatten turned into a vector, until a Dense reads it
    for (i, row) in rows.enumerated() {
      if row.layer.layer is Flatten, row.inputShape.count == 3 {
        flattened = row.inputShape
        continue
      }
      if row.parameters.total == 0 { continue }
      defer { if row.layer.layer is Dense { flattened = nil } }
      guard let prefix = assignment[i], var group = groups[prefix] else { continue }
      let layerName = row.layer.name
      func take(_ weight: String, _ leaves: [String]) throws -> SourceTensor {
        guard let key = leaves.first(where: { group[$0] != nil }), let t = group[key] else {
          let looked = leaves.map { prefix.isEmpty ? $0 : prefix + "." + $0 }.joined(separator: " or ")
          throw ImportError("\(layerName)/\(weight): no tensor for it in the file (looked for \(looked))")
        }
        group[key] = nil
        let tensor = tensors[t]
        tensors[t].values = []
        matches.append(Match(target: "\(layerName)/\(weight)", source: tensor.name))
        return tensor
      }
      func mismatch(_ weight: String, expected: [Int], got t: SourceTensor, layoutText: String) -> ImportError {
        ImportError(
          "\(layerName)/\(weight): expected shape \(ShapeText.tuple(expected)) (\(layoutText)), "
            + "got \(ShapeText.tuple(t.shape)) from tensor \(t.name)")
      }
      func vector(_ weight: String, _ leaves: [String], _ n: Int) throws -> [Float] {
        let t = try take(weight, leaves)
        guard t.shape == [n] else { throw mismatch(weight, expected: [n], got: t, layoutText: "one value per output") }
        return permutedVector(t.values)
      }
      /// PyTorch's flatten runs channels first: its feature j = c*H*W + h*W + w is convplay's
      /// i = (h*W + w)*C + c.
      func torchFeature(_ i: Int) -> Int {
        guard layout == .pytorch, let s = flattened, s[0] * s[1] > 1, s[2] > 1 else { return i }
        let (h, w, c) = (s[0], s[1], s[2])
        let position = i / c
        return (i % c) * h * w + position
      }
      func permutedVector(_ v: [Float]) -> [Float] {
        guard layout == .pytorch, flattened != nil, row.layer.layer is BatchNormalization else { return v }
        return (0..<v.count).map { v[torchFeature($0)] }
      }
      switch row.layer.layer {
      case let conv as Conv2D:
        let (f, k, useBias) = (conv.filters, conv.kernelSize, conv.useBias)
        let cin = row.inputShape[2]
        let t = try take("kernel", ["kernel", "weight"])
        switch layout {
        case .keras:
          guard t.shape == [k.rows, k.cols, cin, f] else {
            throw mismatch("kernel", expected: [k.rows, k.cols, cin, f], got: t, layoutText: "height, width, in, out: Keras's layout")
          }
          weights.append(t.values)
        case .pytorch:
          guard t.shape == [f, cin, k.rows, k.cols] else {
            throw mismatch("kernel", expected: [f, cin, k.rows, k.cols], got: t, layoutText: "out, in, height, width: PyTorch's layout")
          }
          weights.append(oihwToHWIO(t.values, out: f, in: cin, height: k.rows, width: k.cols))
        }
        if useBias { weights.append(try vector("bias", ["bias"], f)) }
      case let dense as Dense:
        let (units, useBias) = (dense.units, dense.useBias)
        let fanIn = row.inputShape.last ?? 1
        let t = try take("kernel", ["kernel", "weight"])
        switch layout {
        case .keras:
          guard t.shape == [fanIn, units] else {
            throw mismatch("kernel", expected: [fanIn, units], got: t, layoutText: "in, out: Keras's layout")
          }
          weights.append(t.values)
        case .pytorch:
          guard t.shape == [units, fanIn] else {
            throw mismatch("kernel", expected: [units, fanIn], got: t, layoutText: "out, in: PyTorch's layout")
          }
          weights.append(transposed(t.values, rows: units, cols: fanIn, column: torchFeature))
        }
        if useBias { weights.append(try vector("bias", ["bias"], units)) }
      case let bn as BatchNormalization:
        let c = row.inputShape.last ?? 1
        if bn.scale { weights.append(try vector("gamma", ["gamma", "weight"], c)) }
        if bn.center { weights.append(try vector("beta", ["beta", "bias"], c)) }
        weights.append(try vector("moving_mean", ["moving_mean", "running_mean"], c))
        weights.append(try vector("moving_variance", ["moving_variance", "running_var"], c))
      default:
        throw ImportError("\(layerName) (\(row.layer.kerasClass)): importing its weights from this file is not supported")
      }
      if let (leaf, t) = group.first {
        throw ImportError("tensor \(tensors[t].name) (\(leaf)) is not a weight of layer \(layerName) (\(row.layer.kerasClass))")
      }
    }
    return (weights, matches)
  }

  /// `(out, in, kh, kw)` -> `(kh, kw, in, out)`.
  static func oihwToHWIO(_ s: [Float], out f: Int, in cin: Int, height kh: Int, width kw: Int) -> [Float] {
    var t = [Float](repeating: 0, count: s.count)
    for o in 0..<f {
      for c in 0..<cin {
        for i in 0..<kh {
          for j in 0..<kw { t[((i * kw + j) * cin + c) * f + o] = s[((o * cin + c) * kh + i) * kw + j] }
        }
      }
    }
    return t
  }

  /// `s` `(rows, cols)` -> `t` `(cols, rows)` with `t[i][r] = s[r][column(i)]`, in tiles so
  /// that a 4096 x 25088 matrix (VGG's fc1) stays in cache.
  static func transposed(_ s: [Float], rows: Int, cols: Int, column: (Int) -> Int) -> [Float] {
    let map = (0..<cols).map(column)
    let tile = 64
    return [Float](unsafeUninitializedCapacity: s.count) { t, initialized in
      s.withUnsafeBufferPointer { sp in
        var r0 = 0
        while r0 < rows {
          let r1 = min(rows, r0 + tile)
          var i0 = 0
          while i0 < cols {
            let i1 = min(cols, i0 + tile)
            for r in r0..<r1 {
              let src = sp.baseAddress! + r * cols
              for i in i0..<i1 { (t.baseAddress! + i * rows + r).initialize(to: src[map[i]]) }
            }
            i0 = i1
          }
          r0 = r1
        }
      }
      initialized = s.count
    }
  }

  /// Name order with runs of digits compared as numbers: `features.2 < features.10`.
  public static func naturalLess(_ a: String, _ b: String) -> Bool {
    func parts(_ s: String) -> [(String, Int?)] {
      var out: [(String, Int?)] = []
      var current = ""
      var digits = false
      for ch in s {
        if ch.isNumber != digits, !current.isEmpty {
          out.append((current, digits ? Int(current) : nil))
          current = ""
        }
        digits = ch.isNumber
        current.append(ch)
      }
      if !current.isEmpty { out.append((current, digits ? Int(current) : nil)) }
      return out
    }
    let pa = parts(a), pb = parts(b)
    for (x, y) in zip(pa, pb) where x.0 != y.0 {
      if let nx = x.1, let ny = y.1, nx != ny { return nx < ny }
      return x.0 < y.0
    }
    return pa.count < pb.count
  }
}
