import Dispatch

/// DepthwiseConv2D on NHWC batches: input `x` `[N, H, W, C]`, kernel `[KH, KW, C, M]` (Keras's
/// order, M = depth_multiplier), bias `[C*M]`, output and `dOut` `[N, OH, OW, C*M]`, where output
/// channel `c*M + m` is input channel c filtered by kernel[:, :, c, m] (Keras's and PyTorch's
/// `groups=C` order). Geometry (stride, dilation, padding) comes from `WindowGeometry`.
///
/// Why this shape of loop: a depthwise 3x3 does 9 multiply-adds per output value, far too few
/// to be limited by arithmetic; its cost is moving the input and output through memory. NHWC
/// puts a pixel's channels side by side, so every tap is a run of channels read a vector at a
/// time, and the few input rows a window touches stay in L1/L2 while a row of output is made.
/// Each output pixel lists the taps that fall inside the image (padding contributes nothing),
/// so the border needs no zero-filled copy.
///
/// The input gradient is the same loop run the other way (for each input pixel, the output
/// pixels whose windows hold it), so it writes each `dx` value once and rows can be shared
/// among the cores. A depth multiplier M > 1 repeats each input channel M times per image
/// (`expand`), after which the M = 1 loop applies unchanged: the kernel `[KH, KW, C, M]` is
/// already the `[KH, KW, C*M]` kernel of the repeated input.
///
/// Tested against `NHWCReference.depthwise*` and PyTorch (`conv2d(groups=C)`).
public enum DepthwiseConv {
  /// `out` `[N, OH, OW, C*M]` (overwritten) = depthwise convolution of `x` plus `bias`,
  /// clamped to [lower, upper] while each row is in cache (an inference network's fused
  /// ReLU(max_value)).
  public static func forward(
    input x: UnsafePointer<Float>, batch n: Int, height: Int, width: Int, channels c: Int,
    kernel w: UnsafePointer<Float>, depthMultiplier m: Int = 1, bias: UnsafePointer<Float>?,
    geometry g: WindowGeometry, output out: UnsafeMutablePointer<Float>,
    lower: Float = -.infinity, upper: Float = .infinity
  ) {
    let clamp = lower > -.infinity || upper < .infinity
    precondition(m >= 1, "depth multiplier must be at least 1")
    let (oh, ow, cm) = (g.outputRows, g.outputCols, c * m)
    if n * oh * ow * cm == 0 { return }
    let rows = TapTable.forward(g.rows, sourceScale: width * cm, tapScale: g.cols.kernel * cm)
    let cols = TapTable.forward(g.cols, sourceScale: cm, tapScale: cm)
    let args = Pointers(a: x, b: nil, w: w, bias: bias, out: out)
    let taps = g.rows.kernel * g.cols.kernel
    let work = oh * ow * cm * taps
    forEachRowRange(images: n, rows: oh, work: work, wholeImages: m > 1) { image, range in
      var src = args.a + image * height * width * c
      let expanded = m > 1 ? scratch(height * width * cm) : nil
      defer { expanded?.deallocate() }
      if let expanded {
        expand(src, pixels: height * width, channels: c, multiplier: m, into: expanded)
        src = UnsafePointer(expanded)
      }
      let dst = args.out + image * oh * ow * cm
      for orow in range {
        channelwiseRow(
          src: src, kernel: args.w, bias: args.bias, dst: dst + orow * ow * cm, dstRow: orow,
          rows: rows, cols: cols, channels: cm)
        if clamp { BlockConv.clamp(dst + orow * ow * cm, count: ow * cm, lower: lower, upper: upper) }
      }
    }
  }

  /// dL/dx `dInput` `[N, H, W, C]` (overwritten) from `dOut` `[N, OH, OW, C*M]`.
  public static func inputGradient(
    dOut: UnsafePointer<Float>, kernel w: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels c: Int, depthMultiplier m: Int = 1, geometry g: WindowGeometry,
    dInput dx: UnsafeMutablePointer<Float>
  ) {
    precondition(m >= 1, "depth multiplier must be at least 1")
    let (oh, ow, cm) = (g.outputRows, g.outputCols, c * m)
    if n * height * width * c == 0 { return }
    if oh * ow * cm == 0 {
      dx.update(repeating: 0, count: n * height * width * c)
      return
    }
    let rows = TapTable.backward(g.rows, sourceScale: ow * cm, tapScale: g.cols.kernel * cm)
    let cols = TapTable.backward(g.cols, sourceScale: cm, tapScale: cm)
    let args = Pointers(a: dOut, b: nil, w: w, bias: nil, out: dx)
    let work = height * width * cm * g.rows.kernel * g.cols.kernel
    forEachRowRange(images: n, rows: height, work: work, wholeImages: false) { image, range in
      let src = args.a + image * oh * ow * cm
      let dst = args.out + image * height * width * c
      // With M > 1 a row of the repeated input's gradient is summed over each channel's M copies.
      let rowScratch = m > 1 ? scratch(width * cm) : nil
      defer { rowScratch?.deallocate() }
      for r in range {
        let row = rowScratch ?? (dst + r * width * c)
        channelwiseRow(
          src: src, kernel: args.w, bias: nil, dst: row, dstRow: r, rows: rows, cols: cols,
          channels: cm)
        if m > 1 {
          let out = dst + r * width * c
          for p in 0..<(width * c) {
            var sum: Float = 0
            for k in 0..<m { sum += row[p * m + k] }
            out[p] = sum
          }
        }
      }
    }
  }

  /// Adds dL/dkernel into `dKernel` `[KH, KW, C, M]` and, when given, dL/dbias into `dBias`
  /// `[C*M]`. Each task sums into its own copy (a few KB), added up at the end.
  public static func kernelGradient(
    input x: UnsafePointer<Float>, dOut: UnsafePointer<Float>, batch n: Int, height: Int,
    width: Int, channels c: Int, depthMultiplier m: Int = 1, geometry g: WindowGeometry,
    dKernel: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>? = nil
  ) {
    precondition(m >= 1, "depth multiplier must be at least 1")
    let (oh, ow, cm) = (g.outputRows, g.outputCols, c * m)
    if n * oh * ow * cm == 0 { return }
    let (kh, kw) = (g.rows.kernel, g.cols.kernel)
    let rows = TapTable.forward(g.rows)
    let partialSize = kh * kw * cm + cm
    let items = n * (m > 1 ? 1 : rowChunks(images: n, rows: oh))
    let work = n * oh * ow * cm * kh * kw
    let tasks = work >= parallelWork ? min(items, maxTasks) : 1
    let partials = scratch(tasks * partialSize)
    partials.initialize(repeating: 0, count: tasks * partialSize)
    defer { partials.deallocate() }
    let args = Pointers(a: x, b: dOut, w: UnsafePointer(partials), bias: nil, out: partials)
    let chunks = items / n
    let perChunk = (oh + chunks - 1) / chunks
    let colAxis = g.cols
    forEachTask(tasks) { t in
      let dw = args.out + t * partialSize
      let db = dw + kh * kw * cm
      let expanded = m > 1 ? scratch(height * width * cm) : nil
      defer { expanded?.deallocate() }
      var item = t
      while item < items {
        let image = item / chunks
        let chunk = item % chunks
        var src = args.a + image * height * width * c
        if let expanded {
          expand(src, pixels: height * width, channels: c, multiplier: m, into: expanded)
          src = UnsafePointer(expanded)
        }
        let d = args.b! + image * oh * ow * cm
        for orow in min(oh, chunk * perChunk)..<min(oh, (chunk + 1) * perChunk) {
          let dRow = d + orow * ow * cm
          for ocol in 0..<ow { Im2col.addRun(dRow + ocol * cm, into: db, count: cm) }
          for e in 0..<rows.count[orow] {
            let entry = orow * rows.width + e
            let r = rows.source[entry]
            let i = rows.tap[entry]
            for j in 0..<kw {
              // The output columns whose tap j lands inside the image: a contiguous run.
              let span = colAxis.windowsInside(tap: j)
              if span.isEmpty { continue }
              let firstCol = colAxis.inputIndex(window: span.lowerBound, tap: j)
              dotRuns(
                a: dRow + span.lowerBound * cm, b: src + (r * width + firstCol) * cm,
                bStep: colAxis.stride * cm, count: span.count, channels: cm,
                into: dw + (i * kw + j) * cm)
            }
          }
        }
        item += tasks
      }
    }
    for t in 0..<tasks {
      Im2col.addRun(partials + t * partialSize, into: dKernel, count: kh * kw * cm)
      if let dBias { Im2col.addRun(partials + t * partialSize + kh * kw * cm, into: dBias, count: cm) }
    }
  }

  // MARK: - Pieces

  /// Below this many multiply-adds a call runs on the calling thread.
  static let parallelWork = 1 << 17
  /// Tasks per parallel loop (more than the cores, so that one slow task does not hold the rest).
  static let maxTasks = 8

  /// For each index along one axis of the destination, the source indices and kernel taps that
  /// meet there: the forward pass's (output index -> input rows of its window inside the image)
  /// or the input gradient's (input index -> output windows that hold it). Both are stored
  /// already multiplied by what turns them into float offsets (`sourceScale`, `tapScale`), so
  /// the inner loops only add.
  final class TapTable: @unchecked Sendable {
    /// Most entries one index can have: the kernel length.
    let width: Int
    let destinations: Int
    let count: UnsafeMutablePointer<Int>
    let source: UnsafeMutablePointer<Int>
    let tap: UnsafeMutablePointer<Int>

    init(destinations: Int, width: Int, sourceScale: Int, tapScale: Int, _ find: (Int, Int) -> Int?) {
      self.width = width
      self.destinations = destinations
      count = .allocate(capacity: max(1, destinations))
      source = .allocate(capacity: max(1, destinations * width))
      tap = .allocate(capacity: max(1, destinations * width))
      for d in 0..<destinations {
        var n = 0
        for t in 0..<width {
          guard let s = find(d, t) else { continue }
          source[d * width + n] = s * sourceScale
          tap[d * width + n] = t * tapScale
          n += 1
        }
        count[d] = n
      }
    }

    deinit {
      count.deallocate()
      source.deallocate()
      tap.deallocate()
    }

    static func forward(_ a: AxisGeometry, sourceScale: Int = 1, tapScale: Int = 1) -> TapTable {
      TapTable(destinations: a.output, width: a.kernel, sourceScale: sourceScale, tapScale: tapScale) { o, t in
        let i = a.inputIndex(window: o, tap: t)
        return i >= 0 && i < a.input ? i : nil
      }
    }

    static func backward(_ a: AxisGeometry, sourceScale: Int = 1, tapScale: Int = 1) -> TapTable {
      TapTable(destinations: a.input, width: a.kernel, sourceScale: sourceScale, tapScale: tapScale) { i, t in
        // Window o holds input i at tap t when o*s + t*d - padBefore == i.
        let q = i + a.padBefore - t * a.dilation
        guard q >= 0 && q % a.stride == 0 && q / a.stride < a.output else { return nil }
        return q / a.stride
      }
    }
  }

  struct Pointers: @unchecked Sendable {
    var a: UnsafePointer<Float>
    var b: UnsafePointer<Float>?
    var w: UnsafePointer<Float>
    var bias: UnsafePointer<Float>?
    var out: UnsafeMutablePointer<Float>
  }

  /// One destination row: `dst[b, :]` = bias + sum over the row and column entries of
  /// `src[row, col, :] * kernel[tapRow, tapCol, :]`, vectorised along the channels. `rows` is
  /// scaled to offsets of whole source rows and kernel rows, `cols` to offsets of pixels and taps.
  @inline(__always)
  static func channelwiseRow(
    src: UnsafePointer<Float>, kernel w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    dst: UnsafeMutablePointer<Float>, dstRow: Int, rows: TapTable, cols: TapTable, channels cm: Int
  ) {
    let rowCount = rows.count[dstRow]
    let rowSource = rows.source + dstRow * rows.width
    let rowTap = rows.tap + dstRow * rows.width
    var b = 0
    let paired = cm % (2 * Gemm.Lane.scalarCount) == 0
    // Two neighbouring pixels with the same column taps (all but the border) at once: twice the
    // independent multiply-add chains, each kernel vector loaded once for both.
    while b < cols.destinations {
      if paired && b + 1 < cols.destinations && cols.count[b] == cols.width
        && cols.count[b + 1] == cols.width
      {
        channelwisePixelPair(
          src: src, kernel: w, rowSource: rowSource, rowTap: rowTap, rowCount: rowCount,
          colSource: cols.source + b * cols.width, nextColSource: cols.source + (b + 1) * cols.width,
          colTap: cols.tap + b * cols.width, colCount: cols.width, bias: bias, dst: dst + b * cm,
          channels: cm)
        b += 2
        continue
      }
      channelwisePixel(
        src: src, kernel: w, rowSource: rowSource, rowTap: rowTap, rowCount: rowCount,
        colSource: cols.source + b * cols.width, colTap: cols.tap + b * cols.width,
        colCount: cols.count[b], bias: bias, dst: dst + b * cm, channels: cm)
      b += 1
    }
  }

  /// `channelwisePixel` for two pixels whose columns use the same taps (`colTap`), two vectors
  /// of channels at a time (`cm` a multiple of two vectors); the second pixel's output follows
  /// the first's.
  @inline(__always)
  static func channelwisePixelPair(
    src: UnsafePointer<Float>, kernel w: UnsafePointer<Float>, rowSource: UnsafePointer<Int>,
    rowTap: UnsafePointer<Int>, rowCount: Int, colSource: UnsafePointer<Int>,
    nextColSource: UnsafePointer<Int>, colTap: UnsafePointer<Int>, colCount: Int,
    bias: UnsafePointer<Float>?, dst: UnsafeMutablePointer<Float>, channels cm: Int
  ) {
    typealias Lane = Gemm.Lane
    let lw = Lane.scalarCount
    var c = 0
    while c + 2 * lw <= cm {
      let b0 = bias.map { Gemm.loadLane($0 + c) } ?? Lane(repeating: 0)
      let b1 = bias.map { Gemm.loadLane($0 + c + lw) } ?? Lane(repeating: 0)
      var (a0, a1, p0, p1) = (b0, b1, b0, b1)
      for e in 0..<rowCount {
        let sRow = src + rowSource[e] + c
        let kRow = w + rowTap[e] + c
        for f in 0..<colCount {
          let s = sRow + colSource[f]
          let t = sRow + nextColSource[f]
          let k0 = Gemm.loadLane(kRow + colTap[f])
          let k1 = Gemm.loadLane(kRow + colTap[f] + lw)
          a0 = Gemm.fma(a0, Gemm.loadLane(s), k0)
          a1 = Gemm.fma(a1, Gemm.loadLane(s + lw), k1)
          p0 = Gemm.fma(p0, Gemm.loadLane(t), k0)
          p1 = Gemm.fma(p1, Gemm.loadLane(t + lw), k1)
        }
      }
      Gemm.storeLane(dst + c, a0)
      Gemm.storeLane(dst + c + lw, a1)
      Gemm.storeLane(dst + cm + c, p0)
      Gemm.storeLane(dst + cm + c + lw, p1)
      c += 2 * lw
    }
  }

  /// `dst[0..<cm]` = bias + the sum over row entries e and column entries f of
  /// `src[rowSource[e] + colSource[f] + c] * kernel[rowTap[e] + colTap[f] + c]`, four vectors of
  /// channels at a time for independent multiply-add chains.
  @inline(__always)
  static func channelwisePixel(
    src: UnsafePointer<Float>, kernel w: UnsafePointer<Float>, rowSource: UnsafePointer<Int>,
    rowTap: UnsafePointer<Int>, rowCount: Int, colSource: UnsafePointer<Int>,
    colTap: UnsafePointer<Int>, colCount: Int, bias: UnsafePointer<Float>?,
    dst: UnsafeMutablePointer<Float>, channels cm: Int
  ) {
    typealias Lane = Gemm.Lane
    let lw = Lane.scalarCount
    var c = 0
    @inline(__always) func start(_ at: Int) -> Lane {
      if let bias { return Gemm.loadLane(bias + at) }
      return Lane(repeating: 0)
    }
    while c + 4 * lw <= cm {
      var (a0, a1, a2, a3) = (start(c), start(c + lw), start(c + 2 * lw), start(c + 3 * lw))
      for e in 0..<rowCount {
        let sRow = src + rowSource[e] + c
        let kRow = w + rowTap[e] + c
        for f in 0..<colCount {
          let s = sRow + colSource[f]
          let k = kRow + colTap[f]
          a0 = Gemm.fma(a0, Gemm.loadLane(s), Gemm.loadLane(k))
          a1 = Gemm.fma(a1, Gemm.loadLane(s + lw), Gemm.loadLane(k + lw))
          a2 = Gemm.fma(a2, Gemm.loadLane(s + 2 * lw), Gemm.loadLane(k + 2 * lw))
          a3 = Gemm.fma(a3, Gemm.loadLane(s + 3 * lw), Gemm.loadLane(k + 3 * lw))
        }
      }
      Gemm.storeLane(dst + c, a0)
      Gemm.storeLane(dst + c + lw, a1)
      Gemm.storeLane(dst + c + 2 * lw, a2)
      Gemm.storeLane(dst + c + 3 * lw, a3)
      c += 4 * lw
    }
    while c + 2 * lw <= cm {
      var (a0, a1) = (start(c), start(c + lw))
      for e in 0..<rowCount {
        let sRow = src + rowSource[e] + c
        let kRow = w + rowTap[e] + c
        for f in 0..<colCount {
          let s = sRow + colSource[f]
          let k = kRow + colTap[f]
          a0 = Gemm.fma(a0, Gemm.loadLane(s), Gemm.loadLane(k))
          a1 = Gemm.fma(a1, Gemm.loadLane(s + lw), Gemm.loadLane(k + lw))
        }
      }
      Gemm.storeLane(dst + c, a0)
      Gemm.storeLane(dst + c + lw, a1)
      c += 2 * lw
    }
    while c + lw <= cm {
      var a0 = start(c)
      for e in 0..<rowCount {
        for f in 0..<colCount {
          a0 = Gemm.fma(
            a0, Gemm.loadLane(src + rowSource[e] + colSource[f] + c),
            Gemm.loadLane(w + rowTap[e] + colTap[f] + c))
        }
      }
      Gemm.storeLane(dst + c, a0)
      c += lw
    }
    while c < cm {
      var a = bias?[c] ?? 0
      for e in 0..<rowCount {
        for f in 0..<colCount {
          a += src[rowSource[e] + colSource[f] + c] * w[rowTap[e] + colTap[f] + c]
        }
      }
      dst[c] = a
      c += 1
    }
  }

  /// `into[c] += sum over t < count of a[t*cm + c] * b[t*bStep + c]` for c < cm: one kernel
  /// tap's gradient over a run of output columns, summed in registers.
  @inline(__always)
  static func dotRuns(
    a: UnsafePointer<Float>, b: UnsafePointer<Float>, bStep: Int, count: Int, channels cm: Int,
    into acc: UnsafeMutablePointer<Float>
  ) {
    typealias Lane = Gemm.Lane
    let lw = Lane.scalarCount
    var c = 0
    while c + 2 * lw <= cm {
      var (s0, s1) = (Lane(repeating: 0), Lane(repeating: 0))
      for t in 0..<count {
        let pa = a + t * cm + c
        let pb = b + t * bStep + c
        s0 = Gemm.fma(s0, Gemm.loadLane(pa), Gemm.loadLane(pb))
        s1 = Gemm.fma(s1, Gemm.loadLane(pa + lw), Gemm.loadLane(pb + lw))
      }
      Gemm.storeLane(acc + c, Gemm.loadLane(acc + c) + s0)
      Gemm.storeLane(acc + c + lw, Gemm.loadLane(acc + c + lw) + s1)
      c += 2 * lw
    }
    while c + lw <= cm {
      var s0 = Lane(repeating: 0)
      for t in 0..<count {
        s0 = Gemm.fma(s0, Gemm.loadLane(a + t * cm + c), Gemm.loadLane(b + t * bStep + c))
      }
      Gemm.storeLane(acc + c, Gemm.loadLane(acc + c) + s0)
      c += lw
    }
    while c < cm {
      var s: Float = 0
      for t in 0..<count { s += a[t * cm + c] * b[t * bStep + c] }
      acc[c] += s
      c += 1
    }
  }

  /// Each input channel repeated `m` times: `[P, C]` -> `[P, C*M]`, channel c*M + k = channel c.
  static func expand(
    _ x: UnsafePointer<Float>, pixels: Int, channels c: Int, multiplier m: Int,
    into out: UnsafeMutablePointer<Float>
  ) {
    for p in 0..<(pixels * c) {
      let v = x[p]
      for k in 0..<m { out[p * m + k] = v }
    }
  }

  static func scratch(_ count: Int) -> UnsafeMutablePointer<Float> {
    UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
  }

  /// How many pieces each image's rows are cut into, so that a small batch still gives every
  /// core work.
  static func rowChunks(images n: Int, rows: Int) -> Int {
    max(1, min(rows, (maxTasks + n - 1) / n))
  }

  /// Runs `body(image, rows)` over every image's rows in pieces, on all cores when the layer
  /// has `work` multiply-adds per image or more in all than `parallelWork`.
  static func forEachRowRange(
    images n: Int, rows: Int, work: Int, wholeImages: Bool,
    _ body: @Sendable (Int, Range<Int>) -> Void
  ) {
    let chunks = wholeImages ? 1 : rowChunks(images: n, rows: rows)
    let perChunk = (rows + chunks - 1) / chunks
    let items = n * chunks
    withoutActuallyEscaping(body) { body in
      let run = { @Sendable (item: Int) in
        let image = item / chunks
        let chunk = item % chunks
        let range = min(rows, chunk * perChunk)..<min(rows, (chunk + 1) * perChunk)
        if !range.isEmpty { body(image, range) }
      }
      if items > 1 && n * work >= parallelWork {
        DispatchQueue.concurrentPerform(iterations: items, execute: run)
      } else {
        for item in 0..<items { run(item) }
      }
    }
  }

  static func forEachTask(_ tasks: Int, _ body: @Sendable (Int) -> Void) {
    if tasks > 1 {
      DispatchQueue.concurrentPerform(iterations: tasks, execute: body)
    } else {
      body(0)
    }
  }
}

extension AxisGeometry {
  /// The windows whose tap `j` lands inside the input (not in padding): a contiguous range.
  func windowsInside(tap j: Int) -> Range<Int> {
    // i*s + j*d - padBefore in [0, input)  <=>  i in [ceil((pb - j*d)/s), floor((input-1+pb-j*d)/s)]
    let shift = padBefore - j * dilation
    let lo = shift <= 0 ? 0 : (shift + stride - 1) / stride
    let top = input - 1 + shift
    if top < 0 { return 0..<0 }
    let hi = min(output - 1, top / stride)
    return lo <= hi ? lo..<(hi + 1) : 0..<0
  }
}
