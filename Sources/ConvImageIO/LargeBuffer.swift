#if canImport(Glibc)
import Glibc
#endif

/// Big `[Float]` results (a 12-megapixel filter output is 48 MB) filled in place by `body`.
///
/// The first touch of freshly mapped memory costs a page fault per 4 KiB page, which on a
/// virtual machine can take longer than filtering the image. On Linux the array's memory is
/// marked for transparent huge pages (`madvise(MADV_HUGEPAGE)`, 2 MiB per fault) before `body`
/// touches it; elsewhere, or where the system says no, nothing changes but the speed.
/// `body` must initialize every element.
public func makeLargeFloatArray(
  count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void
) -> [Float] {
  [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    #if canImport(Glibc)
    let hugePage = 2 << 20
    if count * 4 >= 4 * hugePage, let base = buffer.baseAddress {
      let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
      let end = (Int(bitPattern: base) + count * 4) & ~(hugePage - 1)
      if end > start, let p = UnsafeMutableRawPointer(bitPattern: start) {
        _ = madvise(p, end - start, MADV_HUGEPAGE)
      }
    }
    #endif
    body(buffer)
    initialized = count
  }
}
