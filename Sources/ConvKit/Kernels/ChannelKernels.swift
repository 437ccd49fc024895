import Dispatch

/// Passes over NHWC activations seen as rows of `channels` values: BatchNormalization's
/// per-channel sums, scale-and-shift and backward, and elementwise activations. They are
/// memory-bound, so they run on all cores (a single-threaded pass was a fifth of a MobileNet
/// training step) and write into uninitialized arrays instead of zeroing them first.
///
/// Sums stay as exact as a Double two-pass reference (ChannelKernelsTests): each block of
/// `blockRows` rows is summed in Float, eight channels at a time in vector registers, and the
/// block's totals are added in Double. The split into tasks depends on the size only, never
/// on the machine's core count or on timing, so a training run gives the same numbers on every
/// computer.
public enum ChannelKernels {
  /// Rows summed in Float before the totals move to Double.
  static let blockRows = 64
  /// Values below which one core does the pass: handing out work would cost more.
  static let parallelThreshold = 1 << 15
  /// At most this many tasks (enough to balance two to eight cores).
  static let maximumTasks = 8

  struct Pointer: @unchecked Sendable { var p: UnsafeMutablePointer<Float> }
  struct ReadPointer: @unchecked Sendable { var p: UnsafePointer<Float> }
  struct DoublePointer: @unchecked Sendable { var p: UnsafeMutablePointer<Double> }

  /// How many row ranges a pass over `rows` x `channels` values is split into.
  static func taskCount(rows: Int, channels: Int) -> Int {
    guard rows > 1, rows * channels >= parallelThreshold else { return 1 }
    return min(maximumTasks, rows, max(1, rows * channels / parallelThreshold))
  }

  /// Rows `0..<rows` split into `tasks` consecutive ranges, the t-th one.
  @inline(__always)
  static func range(_ t: Int, of tasks: Int, rows: Int) -> Range<Int> {
    let per = (rows + tasks - 1) / tasks
    return min(rows, t * per)..<min(rows, (t + 1) * per)
  }

  /// Runs `body` on consecutive row ranges covering `0..<rows`, concurrently when large.
  static func forEachRowRange(rows: Int, channels: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let tasks = taskCount(rows: rows, channels: channels)
    if tasks == 1 {
      body(0..<rows)
    } else {
      DispatchQueue.concurrentPerform(iterations: tasks) { t in body(range(t, of: tasks, rows: rows)) }
    }
  }

  /// `width` per-channel totals over all rows: `accumulate(rows, acc)` adds a block's
  /// contributions into `acc` (Float, zeroed, `width` long); the blocks' totals are added in
  /// Double, and the tasks' in task order.
  static func sums(
    rows: Int, channels: Int, width: Int,
    _ accumulate: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void
  ) -> [Double] {
    let tasks = taskCount(rows: rows, channels: channels)
    let partials = UnsafeMutablePointer<Double>.allocate(capacity: tasks * width)
    partials.initialize(repeating: 0, count: tasks * width)
    defer { partials.deallocate() }
    let shared = DoublePointer(p: partials)
    @Sendable func task(_ t: Int) {
      let acc = UnsafeMutablePointer<Float>.allocate(capacity: width)
      defer { acc.deallocate() }
      let total = shared.p + t * width
      let mine = range(t, of: tasks, rows: rows)
      var r = mine.lowerBound
      while r < mine.upperBound {
        let next = min(mine.upperBound, r + blockRows)
        acc.initialize(repeating: 0, count: width)
        accumulate(r..<next, acc)
        for j in 0..<width { total[j] += Double(acc[j]) }
        r = next
      }
    }
    if tasks == 1 { task(0) } else { DispatchQueue.concurrentPerform(iterations: tasks) { task($0) } }
    var result = [Double](repeating: 0, count: width)
    for t in 0..<tasks { for j in 0..<width { result[j] += partials[t * width + j] } }
    return result
  }

  typealias Vector = SIMD8<Float>
  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Vector {
    UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
  }
  @inline(__always) static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
  }
  static let lanes = Vector.scalarCount

  /// The batch's mean and biased variance per channel (two passes: the mean, then the squared
  /// distances from it, so a large mean does not cancel the variance away).
  public static func meanAndVariance(_ x: UnsafePointer<Float>, rows: Int, channels c: Int) -> (mean: [Double], variance: [Double]) {
    let xs = ReadPointer(p: x)
    // Summed as distances from the first row, so that a large mean does not eat the Float
    // digits of the spread within a block.
    let first = ReadPointer(p: x)
    var mean = sums(rows: rows, channels: c, width: c) { range, acc in
      var j = 0
      while j + lanes <= c {
        let f = load(first.p + j)
        var s = Vector()
        for r in range { s += load(xs.p + (r &* c &+ j)) - f }
        store(s, acc + j)
        j += lanes
      }
      while j < c {
        var s: Float = 0
        for r in range { s += xs.p[r &* c &+ j] - first.p[j] }
        acc[j] = s
        j += 1
      }
    }
    for j in 0..<c { mean[j] = Double(x[j]) + mean[j] / Double(rows) }
    // The mean as a Float and the Float of what that leaves out: x - high is exact when x is
    // near the mean, so the distances keep Double's accuracy even when the mean dwarfs the spread.
    let high = mean.map { Float($0) }
    let low = (0..<c).map { Float(mean[$0] - Double(high[$0])) }
    var variance = high.withUnsafeBufferPointer { hp in
      low.withUnsafeBufferPointer { lp in
        let h = ReadPointer(p: hp.baseAddress!), l = ReadPointer(p: lp.baseAddress!)
        return sums(rows: rows, channels: c, width: c) { range, acc in
          var j = 0
          while j + lanes <= c {
            let hv = load(h.p + j), lv = load(l.p + j)
            var s = Vector()
            for r in range {
              let d = (load(xs.p + (r &* c &+ j)) - hv) - lv
              s += d * d
            }
            store(s, acc + j)
            j += lanes
          }
          while j < c {
            var s: Float = 0
            for r in range {
              let d = (xs.p[r &* c &+ j] - h.p[j]) - l.p[j]
              s += d * d
            }
            acc[j] = s
            j += 1
          }
        }
      }
    }
    for j in 0..<c { variance[j] /= Double(rows) }
    return (mean, variance)
  }

  /// y = x * scale + shift per channel.
  public static func scaleShift(_ x: UnsafePointer<Float>, rows: Int, channels c: Int, scale: [Float], shift: [Float]) -> [Float] {
    let xs = ReadPointer(p: x)
    return scale.withUnsafeBufferPointer { sp in
      shift.withUnsafeBufferPointer { bp in
        let s = ReadPointer(p: sp.baseAddress!), b = ReadPointer(p: bp.baseAddress!)
        return uninitializedFloats(rows * c) { out in
          let o = Pointer(p: out)
          forEachRowRange(rows: rows, channels: c) { range in
            for r in range {
              let xr = xs.p + r &* c, yr = o.p + r &* c
              var j = 0
              while j + lanes <= c {
                store(load(xr + j) * load(s.p + j) + load(b.p + j), yr + j)
                j += lanes
              }
              while j < c {
                yr[j] = xr[j] * s.p[j] + b.p[j]
                j += 1
              }
            }
          }
        }
      }
    }
  }

  /// Per channel, sum(dy) and sum(dy * (x - mean)), as one array of 2 * channels values.
  public static func gradientSums(
    dy: UnsafePointer<Float>, x: UnsafePointer<Float>, mean: [Float], rows: Int, channels c: Int
  ) -> [Double] {
    let dys = ReadPointer(p: dy), xs = ReadPointer(p: x)
    return mean.withUnsafeBufferPointer { mp in
      let m = ReadPointer(p: mp.baseAddress!)
      return sums(rows: rows, channels: c, width: 2 * c) { range, acc in
        var j = 0
        while j + lanes <= c {
          let mv = load(m.p + j)
          var sumDy = Vector(), sumDyX = Vector()
          for r in range {
            let i = r &* c &+ j
            let d = load(dys.p + i)
            sumDy += d
            sumDyX += d * (load(xs.p + i) - mv)
          }
          store(sumDy, acc + j)
          store(sumDyX, acc + c + j)
          j += lanes
        }
        while j < c {
          var sumDy: Float = 0, sumDyX: Float = 0
          for r in range {
            let i = r &* c &+ j
            sumDy += dys.p[i]
            sumDyX += dys.p[i] * (xs.p[i] - m.p[j])
          }
          acc[j] = sumDy
          acc[c + j] = sumDyX
          j += 1
        }
      }
    }
  }

  /// dx = a * dy + b * (x - mean) + k per channel: BatchNormalization's input gradient with the
  /// batch's statistics, its three coefficients worked out once per channel.
  public static func affineGradient(
    dy: UnsafePointer<Float>, x: UnsafePointer<Float>, mean: [Float], a: [Float], b: [Float], k: [Float],
    rows: Int, channels c: Int
  ) -> [Float] {
    let dys = ReadPointer(p: dy), xs = ReadPointer(p: x)
    return mean.withUnsafeBufferPointer { mp in
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          k.withUnsafeBufferPointer { kp in
            let m = ReadPointer(p: mp.baseAddress!), av = ReadPointer(p: ap.baseAddress!)
            let bv = ReadPointer(p: bp.baseAddress!), kv = ReadPointer(p: kp.baseAddress!)
            return uninitializedFloats(rows * c) { out in
              let o = Pointer(p: out)
              forEachRowRange(rows: rows, channels: c) { range in
                for r in range {
                  let dr = dys.p + r &* c, xr = xs.p + r &* c, gr = o.p + r &* c
                  var j = 0
                  while j + lanes <= c {
                    let g = load(av.p + j) * load(dr + j) + load(bv.p + j) * (load(xr + j) - load(m.p + j)) + load(kv.p + j)
                    store(g, gr + j)
                    j += lanes
                  }
                  while j < c {
                    gr[j] = av.p[j] * dr[j] + bv.p[j] * (xr[j] - m.p[j]) + kv.p[j]
                    j += 1
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// ReLU and LeakyReLU: x between threshold and maxValue, clipped at maxValue above,
  /// slope * (x - threshold) below threshold (and NaN stays NaN, so a diverging run is seen).
  public static func piecewiseLinear(_ x: [Float], slope: Float, threshold: Float, maxValue: Float) -> [Float] {
    x.withUnsafeBufferPointer { xp in
      guard let x0 = xp.baseAddress else { return [] }
      let xs = ReadPointer(p: x0), n = x.count
      return uninitializedFloats(n) { out in
        let o = Pointer(p: out)
        forEachRowRange(rows: n, channels: 1) { range in
          var i = range.lowerBound
          while i + lanes <= range.upperBound {
            let v = load(xs.p + i)
            let below = slope * (v - threshold)
            let clipped = v.replacing(with: maxValue, where: v .> maxValue)
            store(below.replacing(with: clipped, where: v .>= threshold), o.p + i)
            i += lanes
          }
          while i < range.upperBound {
            let v = xs.p[i]
            o.p[i] = v >= threshold ? min(v, maxValue) : slope * (v - threshold)
            i += 1
          }
        }
      }
    }
  }

  /// The gradient through `piecewiseLinear`: dy where x lies between threshold and maxValue,
  /// 0 above maxValue, slope * dy below threshold.
  public static func piecewiseLinearGradient(_ dy: [Float], input x: [Float], slope: Float, threshold: Float, maxValue: Float) -> [Float] {
    dy.withUnsafeBufferPointer { dp in
      x.withUnsafeBufferPointer { xp in
        guard let d0 = dp.baseAddress, let x0 = xp.baseAddress else { return [] }
        let ds = ReadPointer(p: d0), xs = ReadPointer(p: x0), n = dy.count
        return uninitializedFloats(n) { out in
          let o = Pointer(p: out)
          forEachRowRange(rows: n, channels: 1) { range in
            var i = range.lowerBound
            while i + lanes <= range.upperBound {
              let v = load(xs.p + i), d = load(ds.p + i)
              let inside = d.replacing(with: 0, where: v .>= maxValue)
              store((slope * d).replacing(with: inside, where: v .>= threshold), o.p + i)
              i += lanes
            }
            while i < range.upperBound {
              let v = xs.p[i]
              o.p[i] = ds.p[i] * (v >= threshold ? (v < maxValue ? 1 : 0) : slope)
              i += 1
            }
          }
        }
      }
    }
  }
}
