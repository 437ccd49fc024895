// Elementary functions without Foundation: the standard library has no exp/tanh, but the C
// library is linked into every Swift program on the platforms convplay supports.
#if canImport(Glibc)
  import Glibc
  @inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
  @inline(__always) func _tanh(_ x: Double) -> Double { Glibc.tanh(x) }
  @inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
  @inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#elseif canImport(Darwin)
  import Darwin
  @inline(__always) func _exp(_ x: Double) -> Double { Darwin.exp(x) }
  @inline(__always) func _tanh(_ x: Double) -> Double { Darwin.tanh(x) }
  @inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
  @inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
