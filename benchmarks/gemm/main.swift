// convplay-bench: how fast is Gemm.sgemm on this machine, against the reference triple loop
// and against the machine's fp32 peak.
//
//   swift run -c release convplay-bench [--quick] [--sizes 1024x1024x1024,64x576x288]
//   swift run -c release convplay-bench --conv      the convnet's conv layers (im2col + sgemm
//                                                   against BlockConv) and its pooling layers
//   swift run -c release convplay-bench --filter    a 3x3 filter on a 12-megapixel plane
//   swift run -c release convplay-bench --depthwise MobileNet's depthwise 3x3 layers (GB/s
//                                                   against memcpy) and a pointwise 1x1
//   swift run -c release convplay-bench --finetune [--images 2000] [--joint-images 256]
//                                                   MobileNet base at 128x128: feature extraction,
//                                                   a head epoch, a joint epoch (FinetuneBench.swift)
//   swift run -c release convplay-bench --train [convnet,deep] [--batches 20]
//                                                   CPU ms per layer and images/s of training
//   swift run -c release convplay-bench --inference resnet50 [--batch 16] [--repeats 5]
//                                                   one keras.applications network (random
//                                                   weights): ms per batch, peak memory;
//                                                   --layers adds wall and CPU ms per layer
//
// The peak is measured, not assumed: one and two threads run independent vector FMA chains
// that never touch memory (the most a core can do), and the figure from /proc/cpuinfo
// (cores x MHz x FLOPs per cycle) is printed beside it for comparison.
import ConvKit
import Dispatch
import Foundation

struct Size {
  var m: Int, n: Int, k: Int
  var transA = false, transB = false
  var label: String
  var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

func parseSizes(_ text: String) -> [Size]? {
  var out: [Size] = []
  for item in text.split(separator: ",") {
    let parts = item.split(separator: "x").compactMap { Int($0) }
    guard parts.count == 3, parts.allSatisfy({ $0 > 0 }) else { return nil }
    out.append(Size(m: parts[0], n: parts[1], k: parts[2], label: String(item)))
  }
  return out
}

/// CONVPLAY_BENCH_CPU=1 times with the process's CPU time instead of the wall clock: the work
/// done, whatever else the machine runs (for tuning on a busy machine; not a throughput).
let cpuTimed = ProcessInfo.processInfo.environment["CONVPLAY_BENCH_CPU"] == "1"

/// Seconds of the fastest of `repeats` runs (after one warm-up).
func bestTime(repeats: Int, _ body: () -> Void) -> Double {
  body()
  var best = Double.infinity
  let wall = ContinuousClock()
  for _ in 0..<repeats {
    if cpuTimed {
      let start = clock_t(clock())
      body()
      best = min(best, Double(clock() - start) / Double(CLOCKS_PER_SEC))
    } else {
      let d = wall.measure(body)
      best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
  }
  return best
}

/// FLOP/s of `threads` threads each running 12 independent vector FMA chains in registers.
func measuredPeak(threads: Int) -> Double {
  let iterations = 20_000_000
  typealias V = Gemm.Lane
  let lanes = Double(V.scalarCount)
  let seconds = bestTime(repeats: 3) {
    DispatchQueue.concurrentPerform(iterations: threads) { t in
      let x = V(repeating: 1.000001)
      let y = V(repeating: Float(t) * 1e-9)
      var a0 = V(repeating: 0), a1 = V(repeating: 1), a2 = V(repeating: 2), a3 = V(repeating: 3)
      var a4 = V(repeating: 4), a5 = V(repeating: 5), a6 = V(repeating: 6), a7 = V(repeating: 7)
      var a8 = V(repeating: 8), a9 = V(repeating: 9), a10 = V(repeating: 10), a11 = V(repeating: 11)
      for _ in 0..<iterations {
        #if arch(arm64) || CONVKIT_FMA
        a0 = a0.addingProduct(x, y); a1 = a1.addingProduct(x, y); a2 = a2.addingProduct(x, y)
        a3 = a3.addingProduct(x, y); a4 = a4.addingProduct(x, y); a5 = a5.addingProduct(x, y)
        a6 = a6.addingProduct(x, y); a7 = a7.addingProduct(x, y); a8 = a8.addingProduct(x, y)
        a9 = a9.addingProduct(x, y); a10 = a10.addingProduct(x, y); a11 = a11.addingProduct(x, y)
        #else
        a0 = a0 * x + y; a1 = a1 * x + y; a2 = a2 * x + y; a3 = a3 * x + y
        a4 = a4 * x + y; a5 = a5 * x + y; a6 = a6 * x + y; a7 = a7 * x + y
        a8 = a8 * x + y; a9 = a9 * x + y; a10 = a10 * x + y; a11 = a11 * x + y
        #endif
      }
      let s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
      if s.sum() == 42 { print("") }  // keeps the loop alive
    }
  }
  return Double(threads) * Double(iterations) * 12 * lanes * 2 / seconds
}

/// cores x MHz x FLOPs per cycle from /proc/cpuinfo, with the assumption spelled out.
func nominalPeak() -> (Double, String)? {
  guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
  let lines = info.split(separator: "\n")
  let cores = lines.filter { $0.hasPrefix("processor") }.count
  guard let mhzLine = lines.first(where: { $0.hasPrefix("cpu MHz") }),
    let mhz = Double(mhzLine.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)),
    let flags = lines.first(where: { $0.hasPrefix("flags") })
  else { return nil }
  let amd = info.contains("AuthenticAMD")
  let avx512 = flags.contains(" avx512f")
  let fma = flags.contains(" fma")
  // FLOPs per cycle per core: 2 FMA pipes x vector width x 2. AMD Zen 4 runs AVX-512 on two
  // 256-bit pipes, so it gets the AVX2 figure (32); Intel server cores with AVX-512 get 64.
  let perCycle: Double = fma ? (avx512 && !amd ? 64 : 32) : 16
  let note =
    "\(cores) cores x \(Int(mhz)) MHz (nominal; turbo may be higher) x \(Int(perCycle)) FLOP/cycle"
    + " (\(avx512 ? "AVX-512" : fma ? "AVX2" : "SSE")\(fma ? " FMA" : "")\(amd && avx512 ? ", double-pumped on AMD" : ""))"
  return (Double(cores) * mhz * 1e6 * perCycle, note)
}

func fill(_ count: Int, seed: UInt64) -> [Float] {
  var state = seed
  return (0..<count).map { _ in
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Float(Int(state >> 40) % 2001 - 1000) / 1000
  }
}

func run(_ s: Size, reference: Bool, repeats: Int, peak: Double) {
  let lda = s.transA ? s.m : s.k
  let ldb = s.transB ? s.k : s.n
  let a = fill(s.m * s.k, seed: 1)
  let b = fill(s.k * s.n, seed: 2)
  var c = [Float](repeating: 0, count: s.m * s.n)
  var r = c
  let fast = bestTime(repeats: repeats) {
    Gemm.sgemm(
      transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, a: a, lda: lda, b: b,
      ldb: ldb, c: &c, ldc: s.n)
  }
  var line =
    "\(s.label.padding(toLength: 22, withPad: " ", startingAt: 0))"
    + (cpuTimed
      ? " fast \(fmt(s.flops / fast / 1e9)) GFLOP per CPU-second"
      : " fast \(fmt(s.flops / fast / 1e9)) GFLOP/s (\(fmt(100 * s.flops / fast / peak)) % of peak)")
  if reference {
    let ref = bestTime(repeats: 1) {
      Gemm.referenceSgemm(
        transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, a: a, lda: lda, b: b,
        ldb: ldb, c: &r, ldc: s.n)
    }
    var worst: Float = 0
    for i in 0..<c.count { worst = max(worst, abs(c[i] - r[i]) / max(1, abs(r[i]))) }
    line += "   reference \(fmt(s.flops / ref / 1e9)) GFLOP/s   speed-up \(fmt(ref / fast))x"
    line += "   max rel. diff \(String(format: "%.1e", worst))"
  }
  print(line)
}

func fmt(_ x: Double) -> String { String(format: x >= 100 ? "%.0f" : "%.1f", x) }

/// A 3x3 filter (same padding) on a 4000x3000 float32 plane through `FilterKernels` (what
/// `convplay filter` runs): megapixels per second, with a new output array per call (as the
/// command and scipy.ndimage do) and with a reused one (the arithmetic alone).
func filterBenchmark() {
  let g = try! WindowGeometry(
    inputRows: 3000, inputCols: 4000, kernelRows: 3, kernelCols: 3, padding: .same)
  let input = Tensor(shape: [1, 3000, 4000], scalars: fill(3000 * 4000, seed: 3))
  let kernel = Tensor(shape: [1, 3, 3], scalars: [0, -1, 0, -1, 5, -1, 0, -1, 0])
  var out = [Float](repeating: 0, count: 3000 * 4000)
  let firstStart = ContinuousClock.now
  _ = FilterKernels.convolve(input: input, kernel: kernel, geometry: g)
  let first = (ContinuousClock.now - firstStart).seconds
  let fresh = bestTime(repeats: 5) {
    _ = FilterKernels.convolve(input: input, kernel: kernel, geometry: g)
  }
  let reused = bestTime(repeats: 5) {
    out.withUnsafeMutableBufferPointer {
      FilterKernels.convolve(input: input, kernel: kernel, geometry: g, into: $0)
    }
  }
  print("convplay FilterKernels.convolve megapixels/s: \(fmt(12 / fresh))  (3x3, same, 4000x3000;"
    + " \(fmt(12 / reused)) into a reused output; the process's first call, on memory new from the kernel: \(fmt(12 / first)))")
}

/// The Keras convnet's conv layers on a batch of 128, each way they can be computed.
func convBenchmark() {
  func geometry(_ size: Int) -> WindowGeometry {
    try! WindowGeometry(inputRows: size, inputCols: size, kernelRows: 3, kernelCols: 3, padding: .valid)
  }
  func ms(_ body: () -> Void) -> String { fmt(1000 * bestTime(repeats: 10, body)) + " ms" }
  let n = 128
  for (size, cin, cout) in [(28, 1, 32), (13, 32, 64), (26, 32, 64)] {
    let g = geometry(size)
    let pixels = g.outputRows * g.outputCols
    let k = 9 * cin
    let x = fill(n * size * size * cin, seed: 4)
    let w = fill(k * cout, seed: 5)
    let dOut = fill(n * pixels * cout, seed: 6)
    var out = [Float](repeating: 0, count: n * pixels * cout)
    var cols = [Float](repeating: 0, count: n * pixels * k)
    var dK = [Float](repeating: 0, count: k * cout)
    let viaGemm = ms {
      Im2col.patches(batch: x, images: n, height: size, width: size, channels: cin, geometry: g, into: &cols)
      Gemm.sgemm(transA: false, transB: false, m: n * pixels, n: cout, k: k, a: cols, lda: k, b: w,
        ldb: cout, c: &out, ldc: cout)
    }
    let gradGemm = ms {
      Im2col.patches(batch: x, images: n, height: size, width: size, channels: cin, geometry: g, into: &cols)
      Gemm.sgemm(transA: true, transB: false, m: k, n: cout, k: n * pixels, a: cols, lda: k, b: dOut,
        ldb: cout, beta: 1, c: &dK, ldc: cout)
    }
    let block = ms {
      BlockConv.forward(input: x, batch: n, height: size, width: size, channels: cin, kernel: w,
        bias: nil, filters: cout, geometry: g, output: &out)
    }
    let gradBlock = ms {
      BlockConv.kernelGradient(input: x, dOut: dOut, batch: n, height: size, width: size,
        channels: cin, filters: cout, geometry: g, dKernel: &dK)
    }
    var dx = [Float](repeating: 0, count: x.count)
    let inputBlock = ms {
      BlockConv.inputGradient(dOut: dOut, kernel: w, batch: n, height: size, width: size,
        channels: cin, filters: cout, geometry: g, dInput: &dx)
    }
    let label = "conv \(size)x\(size)x\(cin) -> \(cout), batch 128:"
    print(label)
    print("  forward:         im2col+sgemm \(viaGemm), BlockConv \(block)")
    print("  kernel gradient: im2col+sgemm \(gradGemm), BlockConv \(gradBlock)")
    print("  input gradient:  BlockConv \(inputBlock)")
  }
}

/// The convnet's 2x2 max pooling layers on a batch of 128.
func poolBenchmark() {
  for (size, channels) in [(26, 32), (11, 64)] {
    let g = try! WindowGeometry(
      inputRows: size, inputCols: size, kernelRows: 2, kernelCols: 2, strideRows: 2, strideCols: 2,
      padding: .valid)
    let x = fill(128 * size * size * channels, seed: 7)
    let outCount = 128 * g.outputRows * g.outputCols * channels
    var out = [Float](repeating: 0, count: outCount)
    var argmax = [Int32](repeating: 0, count: outCount)
    var dx = [Float](repeating: 0, count: x.count)
    let forward = 1000 * bestTime(repeats: 10) {
      FastPool.maxForward(input: x, batch: 128, height: size, width: size, channels: channels,
        geometry: g, output: &out, argmax: &argmax)
    }
    let backward = 1000 * bestTime(repeats: 10) {
      FastPool.maxBackward(dOut: out, argmax: argmax, batch: 128, height: size, width: size,
        channels: channels, geometry: g, dInput: &dx)
    }
    print("max pool 2x2 on 128x\(size)x\(size)x\(channels): forward \(fmt(forward)) ms, backward \(fmt(backward)) ms")
  }
}

/// CPU seconds (user + system) of the whole process so far: the work done, whatever else the
/// machine runs.
func cpuSeconds() -> Double {
  var u = rusage()
  getrusage(Int32(RUSAGE_SELF.rawValue), &u)
  return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6 + Double(u.ru_stime.tv_sec)
    + Double(u.ru_stime.tv_usec) * 1e-6
}

/// Trains the benchmark's networks on random images (throughput does not depend on the values)
/// and prints, per layer, the CPU milliseconds of its forward and backward passes per batch,
/// then images per wall-clock second and per CPU second of whole Adam steps.
func trainBenchmark(_ which: [String], batches: Int) {
  let deep = "conv2d(32,3,relu) -> conv2d(64,3,relu) -> maxpool(2) -> dropout(0.25) -> flatten"
    + " -> dense(128,relu) -> dropout(0.5) -> dense(10,softmax)"
  let n = 128
  for name in which {
    let spec: SequentialSpec
    if name == "deep" {
      spec = try! ModelSpecParser.parse(deep, inputShape: [28, 28, 1])
    } else {
      spec = ModelZoo.named(name)!.spec
    }
    let net = try! Network(spec: spec, seed: 1)
    let x = Tensor(shape: [n, 28, 28, 1], scalars: fill(n * 784, seed: 9).map { abs($0) })
    let labels = (0..<n).map { $0 % 10 }
    let adam = Adam()
    // Per layer: forward and backward CPU time, by running the layers by hand.
    var fwd = [Double](repeating: 0, count: net.layers.count)
    var bwd = fwd
    let layered = max(3, batches / 4)
    for step in 0..<(layered + 1) {
      var h = x
      for (i, l) in net.layers.enumerated() {
        let t = cpuSeconds()
        h = l.forward(h, training: true)
        if step > 0 { fwd[i] += cpuSeconds() - t }
      }
      var g = Tensor(shape: h.shape, scalars: h.scalars.map { $0 / Float(n) })
      var i = net.layers.count - 1
      let t0 = cpuSeconds()
      g = (net.layers[i].runtime as! any ActivatedRuntime).backward(preActivationGradient: g)
      if step > 0 { bwd[i] += cpuSeconds() - t0 }
      i -= 1
      while i >= 0 {
        let t = cpuSeconds()
        g = net.layers[i].runtime.backward(g)[0]
        if step > 0 { bwd[i] += cpuSeconds() - t }
        i -= 1
      }
    }
    print("\(name): CPU ms per batch of \(n) (\(layered) batches)")
    for (i, l) in net.layers.enumerated() {
      print("  \(l.name.padding(toLength: 16, withPad: " ", startingAt: 0)) forward \(fmt(1000 * fwd[i] / Double(layered)))  backward \(fmt(1000 * bwd[i] / Double(layered)))")
    }
    for _ in 0..<2 {
      net.computeGradients(images: x, labels: labels)
      adam.step(net.trainableParameters)
    }
    let wall = ContinuousClock.now
    let cpu = cpuSeconds()
    for _ in 0..<batches {
      net.computeGradients(images: x, labels: labels)
      adam.step(net.trainableParameters)
    }
    let w = (ContinuousClock.now - wall).seconds
    let c = cpuSeconds() - cpu
    print("  whole steps: \(fmt(Double(batches * n) / w)) images/s wall, \(fmt(Double(batches * n) / c)) images per CPU-second,"
      + " \(fmt(1000 * c / Double(batches))) CPU ms per batch")
    let inf = ContinuousClock.now
    let cpuInf = cpuSeconds()
    for _ in 0..<batches { _ = net.forward(x) }
    print("  inference: \(fmt(Double(batches * n) / (ContinuousClock.now - inf).seconds)) images/s wall, "
      + "\(fmt(Double(batches * n) / (cpuSeconds() - cpuInf))) images per CPU-second")
  }
}

/// Source and destination of a parallel memcpy, handed to the copying threads.
struct CopyPointers: @unchecked Sendable {
  var input: UnsafePointer<Float>
  var output: UnsafeMutablePointer<Float>
}

/// MobileNet's depthwise 3x3 layers (batch 16) and a pointwise 1x1 after one: the depthwise
/// pass is memory-bound, so it is reported in GB/s (input read + output written, once each)
/// beside a memcpy of the same bytes on the same cores, the most any pass over them can move.
/// `--pointwise`: MobileNet's 1x1 convolutions in a training step (batch 32 at 128x128) through
/// BlockConv (the general kernel) and PointwiseConv (one matrix product), forward and both
/// gradients, best of `repeats`.
func pointwiseBenchmark(repeats: Int) {
  func ms(_ s: Double) -> String { fmt(1000 * s) + " ms" }
  for (size, cin, cout) in [(64, 32, 64), (32, 64, 128), (32, 128, 128), (16, 256, 256), (8, 512, 512), (4, 1024, 1024)] {
    let n = 32
    let p = n * size * size
    let x = fill(p * cin, seed: 11), w = fill(cin * cout, seed: 12), dOut = fill(p * cout, seed: 13)
    var out = [Float](repeating: 0, count: p * cout)
    var dx = [Float](repeating: 0, count: p * cin)
    var dk = [Float](repeating: 0, count: cin * cout)
    let geo = try! WindowGeometry(inputRows: size, inputCols: size, kernelRows: 1, kernelCols: 1, padding: .valid)
    let bf = bestTime(repeats: repeats) {
      BlockConv.forward(input: x, batch: n, height: size, width: size, channels: cin, kernel: w, bias: nil, filters: cout, geometry: geo, output: &out)
    }
    let pf = bestTime(repeats: repeats) {
      x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in out.withUnsafeMutableBufferPointer { op in
        PointwiseConv.forward(input: xp.baseAddress!, pixels: p, channels: cin, kernel: wp.baseAddress!, bias: nil, filters: cout, output: op.baseAddress!)
      } } }
    }
    let bi = bestTime(repeats: repeats) {
      BlockConv.inputGradient(dOut: dOut, kernel: w, batch: n, height: size, width: size, channels: cin, filters: cout, geometry: geo, dInput: &dx)
    }
    let pi = bestTime(repeats: repeats) {
      dOut.withUnsafeBufferPointer { dp in w.withUnsafeBufferPointer { wp in dx.withUnsafeMutableBufferPointer { xp in
        PointwiseConv.inputGradient(dOut: dp.baseAddress!, kernel: wp.baseAddress!, pixels: p, channels: cin, filters: cout, dInput: xp.baseAddress!)
      } } }
    }
    let bk = bestTime(repeats: repeats) {
      BlockConv.kernelGradient(input: x, dOut: dOut, batch: n, height: size, width: size, channels: cin, filters: cout, geometry: geo, dKernel: &dk, dBias: nil)
    }
    let pk = bestTime(repeats: repeats) {
      x.withUnsafeBufferPointer { xp in dOut.withUnsafeBufferPointer { dp in dk.withUnsafeMutableBufferPointer { kp in
        PointwiseConv.kernelGradient(input: xp.baseAddress!, dOut: dp.baseAddress!, pixels: p, channels: cin, filters: cout, dKernel: kp.baseAddress!)
      } } }
    }
    print("1x1 \(size)x\(size) \(cin)->\(cout): forward block \(ms(bf)) gemm \(ms(pf)); dInput block \(ms(bi)) gemm \(ms(pi)); dKernel block \(ms(bk)) gemm \(ms(pk))")
  }
}

func depthwiseBenchmark(repeats: Int) {
  func ms(_ s: Double) -> String { fmt(1000 * s) + " ms" }
  func gbps(_ bytes: Int, _ s: Double) -> String { fmt(Double(bytes) / s / 1e9) + " GB/s" }
  let cores = ProcessInfo.processInfo.activeProcessorCount
  for (n, size, c, stride) in [(16, 112, 32, 1), (16, 56, 128, 1), (16, 112, 64, 2)] {
    let g = try! WindowGeometry(
      inputRows: size, inputCols: size, kernelRows: 3, kernelCols: 3, strideRows: stride,
      strideCols: stride, padding: .same)
    let inCount = n * size * size * c
    let outCount = n * g.outputRows * g.outputCols * c
    let x = fill(inCount, seed: 7)
    let w = fill(9 * c, seed: 8)
    let b = fill(c, seed: 9)
    let dOut = fill(outCount, seed: 10)
    var out = [Float](repeating: 0, count: outCount)
    var dx = [Float](repeating: 0, count: inCount)
    var dk = [Float](repeating: 0, count: 9 * c)
    var db = [Float](repeating: 0, count: c)
    let forward = bestTime(repeats: repeats) {
      DepthwiseConv.forward(
        input: x, batch: n, height: size, width: size, channels: c, kernel: w, bias: b,
        geometry: g, output: &out)
    }
    let inputGrad = bestTime(repeats: repeats) {
      DepthwiseConv.inputGradient(
        dOut: dOut, kernel: w, batch: n, height: size, width: size, channels: c, geometry: g,
        dInput: &dx)
    }
    let kernelGrad = bestTime(repeats: repeats) {
      DepthwiseConv.kernelGradient(
        input: x, dOut: dOut, batch: n, height: size, width: size, channels: c, geometry: g,
        dKernel: &dk, dBias: &db)
    }
    // memcpy of the input's bytes, split over the cores as the kernel is.
    var copy = [Float](repeating: 0, count: inCount)
    let copyTime = bestTime(repeats: repeats) {
      x.withUnsafeBufferPointer { src in
        copy.withUnsafeMutableBufferPointer { dst in
          let s = CopyPointers(input: src.baseAddress!, output: dst.baseAddress!)
          let part = (inCount + cores - 1) / cores
          DispatchQueue.concurrentPerform(iterations: cores) { t in
            let lo = min(inCount, t * part)
            let hi = min(inCount, lo + part)
            memcpy(s.output + lo, s.input + lo, (hi - lo) * 4)
          }
        }
      }
    }
    let bytes = 4 * (inCount + outCount)
    print("depthwise 3x3 \(size)x\(size)x\(c), stride \(stride), same, batch \(n):")
    print("  forward:         \(ms(forward))  \(gbps(bytes, forward))   (memcpy of the input: \(ms(copyTime)), \(gbps(2 * 4 * inCount, copyTime)))")
    print("  input gradient:  \(ms(inputGrad))  \(gbps(bytes, inputGrad))")
    print("  kernel gradient: \(ms(kernelGrad))  \(gbps(bytes, kernelGrad))")
  }
  // The pointwise convolution after the 56x56x128 depthwise layer: 128 -> 128 filters.
  let (p, cin, cout) = (16 * 56 * 56, 128, 128)
  let x = fill(p * cin, seed: 11)
  let w = fill(cin * cout, seed: 12)
  let dOut = fill(p * cout, seed: 13)
  var out = [Float](repeating: 0, count: p * cout)
  var dx = [Float](repeating: 0, count: p * cin)
  var dk = [Float](repeating: 0, count: cin * cout)
  let flops = 2 * Double(p * cin * cout)
  let f = bestTime(repeats: repeats) {
    PointwiseConv.forward(input: x, pixels: p, channels: cin, kernel: w, bias: nil, filters: cout, output: &out)
  }
  let gi = bestTime(repeats: repeats) {
    PointwiseConv.inputGradient(dOut: dOut, kernel: w, pixels: p, channels: cin, filters: cout, dInput: &dx)
  }
  let gk = bestTime(repeats: repeats) {
    PointwiseConv.kernelGradient(input: x, dOut: dOut, pixels: p, channels: cin, filters: cout, dKernel: &dk)
  }
  func gf(_ s: Double) -> String { fmt(flops / s / 1e9) + " GFLOP/s" }
  print("pointwise 1x1 56x56x128 -> 128, batch 16:")
  print("  forward \(ms(f)) \(gf(f)), input gradient \(ms(gi)) \(gf(gi)), kernel gradient \(ms(gk)) \(gf(gk))")
}

/// Inference of a keras.applications network with Keras's random initial weights, one batch
/// of random images at a time (the time does not depend on the values): the best and the
/// median of `repeats` batches after one warm-up, and the process's peak resident memory,
/// which a separate process per network and batch keeps apart. One line a script reads:
/// `inference NAME batch N: best MS ms, median MS ms, CPU MS ms, images/s IPS, peak memory MB MB`
/// (CPU: the median batch's process CPU time, all threads).
func inferenceBenchmark(_ name: String, batch: Int, repeats: Int, layers: Bool = false) {
  guard let entry = ApplicationGraphs.named(name) else {
    FileHandle.standardError.write("convplay-bench: unknown network '\(name)' (\(ApplicationGraphs.all.map(\.name).joined(separator: ", ")))\n".data(using: .utf8)!)
    exit(1)
  }
  let network = try! InferenceNetwork(graph: entry.make(), randomSeed: 1)
  let x = fill(batch * network.inputShape.reduce(1, *), seed: 5)
  var times: [Double] = []
  var cpuTimes: [Double] = []
  var sink: Float = 0
  for r in 0...repeats {
    let start = ContinuousClock.now
    let cpu = cpuSeconds()
    let y = network.forward(x, batch: batch)
    let wall = (ContinuousClock.now - start)
    sink += y[0]
    if r > 0 {  // the first is the warm-up
      times.append(Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18)
      cpuTimes.append(cpuSeconds() - cpu)
    }
  }
  times.sort()
  cpuTimes.sort()
  var u = rusage()
  getrusage(Int32(RUSAGE_SELF.rawValue), &u)
  let peakMB = Double(u.ru_maxrss) * 1024 / 1e6
  let best = times[0], median = times[times.count / 2]
  print("inference \(entry.name) batch \(batch): best \(String(format: "%.1f", best * 1000)) ms, median \(String(format: "%.1f", median * 1000)) ms, "
    + "CPU \(String(format: "%.1f", cpuTimes[cpuTimes.count / 2] * 1000)) ms, images/s \(String(format: "%.1f", Double(batch) / median)), peak memory \(String(format: "%.0f", peakMB)) MB"
    + (sink.isNaN ? " (NaN outputs)" : ""))
  if layers { layerProfile(network, input: x, batch: batch, repeats: repeats) }
}

/// Where one inference pass spends its time: wall and process CPU milliseconds per layer (the
/// CPU time between two layers' reports), summed per Keras class and for the slowest layers,
/// each the median of `repeats` passes.
func layerProfile(_ network: InferenceNetwork, input x: [Float], batch: Int, repeats: Int) {
  var wall: [[Double]] = [], cpu: [[Double]] = []
  var names: [String] = [], classes: [String] = []
  for r in 0..<max(1, repeats) {
    var w: [Double] = [], c: [Double] = []
    var last = cpuSeconds()
    _ = network.forward(x, batch: batch) { report, _ in
      let now = cpuSeconds()
      w.append(report.seconds)
      c.append(now - last)
      last = now
      if r == 0 {
        names.append(report.name)
        classes.append(report.kerasClass)
      }
    }
    wall.append(w)
    cpu.append(c)
  }
  func median(_ rows: [[Double]], _ i: Int) -> Double { rows.map { $0[i] }.sorted()[rows.count / 2] }
  let w = names.indices.map { median(wall, $0) }, c = names.indices.map { median(cpu, $0) }
  var byClass: [String: (Double, Double, Int)] = [:]
  for i in names.indices {
    let v = byClass[classes[i]] ?? (0, 0, 0)
    byClass[classes[i]] = (v.0 + w[i], v.1 + c[i], v.2 + 1)
  }
  print(String(format: "layers: %.1f ms wall, %.1f ms CPU in all", w.reduce(0, +) * 1000, c.reduce(0, +) * 1000))
  for (k, v) in byClass.sorted(by: { $0.value.0 > $1.value.0 }) {
    print(String(format: "  %-24@ %3d layers %8.1f ms wall %8.1f ms CPU", k as NSString, v.2, v.0 * 1000, v.1 * 1000))
  }
  print("slowest layers:")
  for i in names.indices.sorted(by: { c[$0] > c[$1] }).prefix(15) {
    print(String(format: "  %-28@ %-22@ %7.2f ms wall %7.2f ms CPU", names[i] as NSString, classes[i] as NSString, w[i] * 1000, c[i] * 1000))
  }
  // The fused steps `forward` runs, timed the same way.
  var stepNames: [String] = []
  var sw: [[Double]] = [], sc: [[Double]] = []
  for r in 0..<max(1, repeats) {
    var w: [Double] = [], c: [Double] = []
    var lastCPU = cpuSeconds(), lastWall = ContinuousClock.now
    _ = network.forward(x, batch: batch) { name in
      let now = cpuSeconds(), wall = ContinuousClock.now
      w.append((wall - lastWall).seconds)
      c.append(now - lastCPU)
      (lastCPU, lastWall) = (now, wall)
      if r == 0 { stepNames.append(name) }
    }
    sw.append(w)
    sc.append(c)
  }
  let fw = stepNames.indices.map { median(sw, $0) }, fc = stepNames.indices.map { median(sc, $0) }
  print(String(format: "fused steps: %d, %.1f ms wall, %.1f ms CPU in all; slowest:", fw.count, fw.reduce(0, +) * 1000, fc.reduce(0, +) * 1000))
  for i in stepNames.indices.sorted(by: { fc[$0] > fc[$1] }).prefix(15) {
    print(String(format: "  %-56@ %7.2f ms wall %7.2f ms CPU", stepNames[i] as NSString, fw[i] * 1000, fc[i] * 1000))
  }
}

let args = Array(CommandLine.arguments.dropFirst())
let quick = args.contains("--quick")
if let i = args.firstIndex(of: "--inference") {
  guard i + 1 < args.count else {
    FileHandle.standardError.write("convplay-bench: --inference takes a network name\n".data(using: .utf8)!)
    exit(1)
  }
  let number = { (flag: String, d: Int) in args.firstIndex(of: flag).flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil } ?? d }
  inferenceBenchmark(args[i + 1], batch: max(1, number("--batch", 1)), repeats: max(1, number("--repeats", 5)),
    layers: args.contains("--layers"))
  exit(0)
}
if args.contains("--filter") {
  filterBenchmark()
  exit(0)
}
if args.contains("--finetune") {
  func value(_ flag: String) -> Int? { args.firstIndex(of: flag).flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil } }
  finetuneBenchmark(images: value("--images") ?? 2000, jointImages: value("--joint-images") ?? 256)
  exit(0)
}
if let i = args.firstIndex(of: "--train") {
  let which = i + 1 < args.count && !args[i + 1].hasPrefix("--") ? args[i + 1].split(separator: ",").map(String.init) : ["convnet", "deep"]
  let batches = args.firstIndex(of: "--batches").flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil } ?? 20
  trainBenchmark(which, batches: batches)
  exit(0)
}
if args.contains("--pointwise") {
  pointwiseBenchmark(repeats: quick ? 3 : 10)
  exit(0)
}
if args.contains("--depthwise") {
  depthwiseBenchmark(repeats: quick ? 3 : 10)
  exit(0)
}
if args.contains("--conv") {
  convBenchmark()
  poolBenchmark()
  exit(0)
}
var sizes: [Size] = [
  Size(m: 1024, n: 1024, k: 1024, label: "1024x1024x1024"),
  Size(m: 1024, n: 1024, k: 1024, transA: true, transB: true, label: "1024^3 (A^T B^T)"),
  Size(m: 512, n: 512, k: 512, label: "512x512x512"),
  Size(m: 128, n: 128, k: 128, label: "128x128x128"),
  // The Keras convnet's products on a batch of 128 (NHWC im2col: rows are output pixels).
  Size(m: 86528, n: 32, k: 9, label: "conv1 forward"),
  Size(m: 9, n: 32, k: 86528, transA: true, label: "conv1 dKernel (A^T)"),
  Size(m: 15488, n: 64, k: 288, label: "conv2 forward"),
  Size(m: 288, n: 64, k: 15488, transA: true, label: "conv2 dKernel (A^T)"),
  Size(m: 15488, n: 288, k: 64, transB: true, label: "conv2 dInput (B^T)"),
  Size(m: 128, n: 10, k: 1600, label: "dense10 forward"),
]
if let i = args.firstIndex(of: "--sizes") {
  guard i + 1 < args.count, let custom = parseSizes(args[i + 1]) else {
    FileHandle.standardError.write("convplay-bench: --sizes takes MxNxK[,MxNxK...]\n".data(using: .utf8)!)
    exit(1)
  }
  sizes = custom
}
if quick { sizes = Array(sizes.prefix(1)) }

print("sgemm on this machine (Gemm.Lane = \(Gemm.Lane.scalarCount) floats, tile \(Gemm.mr) x \(Gemm.nr))")
let peak1 = measuredPeak(threads: 1)
let peak2 = measuredPeak(threads: 2)
print("measured FMA peak: 1 thread \(fmt(peak1 / 1e9)) GFLOP/s, 2 threads \(fmt(peak2 / 1e9)) GFLOP/s")
if let (nominal, note) = nominalPeak() {
  print("nominal peak: \(fmt(nominal / 1e9)) GFLOP/s = \(note)")
}
// What all cores can do: one core's measured peak times the cores. The two-thread measurement
// falls short of it when other programs share the machine, and so will the figures below.
let cores = ProcessInfo.processInfo.activeProcessorCount
let peak = max(peak2, Double(cores) * peak1)
if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
  print("load average before the run: \(load.split(separator: " ").prefix(3).joined(separator: " "))"
    + " (other programs on the \(cores) cores slow everything below)")
}
print("peak used below: \(fmt(peak / 1e9)) GFLOP/s (\(cores) x one thread's measured peak)")
for s in sizes {
  run(s, reference: !quick && s.flops <= 2.2e9, repeats: s.flops > 1e9 ? 5 : 20, peak: peak)
}
