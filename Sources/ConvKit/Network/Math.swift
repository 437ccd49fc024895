// Elementary functions without Foundation: the standard library has no exp/tanh, but the C
// library is linked into every Swift program on the platforms convplay supports.
#if canImport(Glibc)
  import Glibc
  @inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
  @inline(__always) func _tanh(_ x: Double) -> Double { Glibc.tanh(x) }
  @inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
  @inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
  @inline(__always) func _erf(_ x: Double) -> Double { Glibc.erf(x) }
  @inline(__always) func _log1p(_ x: Double) -> Double { Glibc.log1p(x) }
#elseif canImport(Darwin)
  import Darwin
  @inline(__always) func _exp(_ x: Double) -> Double { Darwin.exp(x) }
  @inline(__always) func _tanh(_ x: Double) -> Double { Darwin.tanh(x) }
  @inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
  @inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
  @inline(__always) func _erf(_ x: Double) -> Double { Darwin.erf(x) }
  @inline(__always) func _log1p(_ x: Double) -> Double { Darwin.log1p(x) }
#endif

/// How the C library's allocator treats the engine's big, short-lived arrays (a batch's
/// activations and gradients, 10 to 50 MB each, allocated and freed every step).
///
/// By default glibc gives blocks above a (self-adjusting, at most 32 MB) threshold their own
/// mapping and returns them to the kernel when freed, so every training step page-faults its
/// arrays in again: measured here as a quarter of a convnet step's CPU time (200,000 faults per
/// 60 steps). Keeping such blocks in the heap, and freed memory in the process up to 512 MB,
/// lets each step reuse the last step's pages. Applied once, on first use of the network or the
/// filter kernels; elsewhere (macOS, musl) nothing changes.
enum AllocatorTuning {
  static let applied: Bool = {
    #if canImport(Glibc)
      // mallopt is not in Swift's Glibc module (malloc.h): look it up, called as C.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "mallopt") else { return false }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      let (mmapThreshold, trimThreshold): (Int32, Int32) = (-3, -1)  // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
      _ = mallopt(mmapThreshold, 256 << 20)
      _ = mallopt(trimThreshold, 512 << 20)
      return true
    #else
      return false
    #endif
  }()

  /// Asks for 2 MB pages on the whole 2 MB-aligned part of a fresh buffer (Linux, where
  /// transparent huge pages are on "madvise"): a 48 MB image then takes 24 page faults instead
  /// of 12,000. Harmless elsewhere or when the kernel says no.
  static func adviseHugePages(_ p: UnsafeMutableRawPointer, bytes: Int) {
    #if os(Linux) && canImport(Glibc)
      let huge = 2 << 20
      guard bytes >= 2 * huge else { return }
      let start = (Int(bitPattern: p) + huge - 1) / huge * huge
      let end = (Int(bitPattern: p) + bytes) / huge * huge
      guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
      _ = madvise(aligned, end - start, MADV_HUGEPAGE)
    #endif
  }
}
