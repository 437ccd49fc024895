import CLibFuzzer
import Foundation

// One libFuzzer binary for every parser of untrusted input (scripts/fuzz builds it with
// -sanitize=fuzzer,address). CONVPLAY_FUZZ_TARGET names the parser: an environment variable, not
// an argument, so that libFuzzer's fork-mode children inherit it. The program has its own main
// (SwiftPM names every executable's entry point) and hands over to libFuzzer's driver.

let name = ProcessInfo.processInfo.environment["CONVPLAY_FUZZ_TARGET"] ?? ""
guard let target = FuzzTarget.all.first(where: { $0.name == name }) else {
  let names = FuzzTarget.all.map(\.name).joined(separator: " ")
  FileHandle.standardError.write(Data("convplay-fuzz: set CONVPLAY_FUZZ_TARGET to one of: \(names)\n".utf8))
  exit(64)
}
FuzzTarget.selected = target
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })

/// One input. Also under libFuzzer's own name: the runtime's unused main refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  FuzzTarget.selected?.run(UnsafeRawBufferPointer(start: data, count: size))
  return 0
}
