// swift-tools-version:6.0
// convplay: a terminal playground for learning how convolutional networks see images.
//
// The arrows point one way: convplay (CLI) -> ConvKit (engine, Swift standard library only).
// Image, terminal and playground modules join as they land; only they may import C.
import Foundation
import PackageDescription

/// Release builds target the build machine's own vector unit: without an FMA-capable target,
/// `addingProduct` on SIMD types becomes a library call per lane (DESIGN.md: 0.8 vs 112 GFLOP/s).
/// Debug builds stay portable and debuggable. CONVPLAY_PORTABLE=1 turns this off for binaries
/// that must run on another CPU.
let hostTuning: [SwiftSetting] = {
  if Context.environment["CONVPLAY_PORTABLE"] == "1" { return [] }
  #if arch(x86_64)
  // Swift has no compile-time test for CPU features, so the manifest tells the kernels what the
  // host has (Gemm.Lane: 16-float vectors with AVX-512; fused multiply-add only with FMA).
  let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
  let defines: [SwiftSetting] = [("fma", "CONVKIT_FMA"), ("avx512f", "CONVKIT_AVX512")]
    .filter { cpu.contains(" \($0.0) ") || cpu.contains(" \($0.0)\n") }
    .map { .define($0.1, .when(configuration: .release)) }
  return [.unsafeFlags(["-Xcc", "-march=native"], .when(configuration: .release))] + defines
  #elseif arch(arm64)
  return [.unsafeFlags(["-Xcc", "-mcpu=native"], .when(configuration: .release))]
  #else
  return []
  #endif
}()

/// scripts/fuzz sets CONVPLAY_FUZZ=1 to add the libFuzzer targets (Fuzz/), built with
/// -sanitize=fuzzer,address in their own build directory; ordinary builds never see them.
/// convplay's own C (the codecs, the HDF5 shim) is then instrumented too; dependencies' C is not.
let fuzzing = Context.environment["CONVPLAY_FUZZ"] == "1"
let fuzzC: [CSetting] = fuzzing ? [.unsafeFlags(["-fsanitize=fuzzer-no-link,address"])] : []
let fuzzTargets: [Target] = fuzzing
  ? [
    .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
    .executableTarget(
      name: "convplay-fuzz", dependencies: ["CLibFuzzer", "ConvKit", "ConvData", "ConvImageIO", "ConvPretrained"],
      path: "Fuzz/Targets"),
  ]
  : []

let package = Package(
  name: "convplay",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "convplay", targets: ["convplay"]),
    .library(name: "ConvKit", targets: ["ConvKit"]),
    .library(name: "ConvData", targets: ["ConvData"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // Zip archives (.npz, .keras, PyTorch's .pth) and digests (MD5/SHA-256 of downloads).
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    // The engine: tensors, shape arithmetic, reference and fast kernels, step traces.
    .target(name: "ConvKit", swiftSettings: hostTuning),
    // Languages and translations: `Lang`, the keyed catalogs' protocol and the Spanish table of
    // everything written in English where it is used (help, output, errors, names). No dependencies.
    .target(name: "ConvLocale"),
    // The course's content: the quiz (questions from the engine's arithmetic, its texts in en
    // and es, answers, sessions); kept out of the engine.
    .target(name: "ConvCourse", dependencies: ["ConvKit", "ConvLocale"]),
    // What convplay keeps about its user (quiz progress, training settings), in the XDG data directory.
    .target(name: "ConvUserData", dependencies: ["ConvKit", "ConvCourse", "ConvImageIO"]),
    // Whole-call PNG/JPEG decode and encode in C: libjpeg's longjmp errors never reach Swift.
    .target(
      name: "CImageCodecs",
      cSettings: fuzzC,
      linkerSettings: [.linkedLibrary("png"), .linkedLibrary("jpeg")]),
    // Images: codecs with typed errors, .npy, gray and channel conversions, atomic writes.
    .target(name: "ConvImageIO", dependencies: ["ConvKit", "CImageCodecs"], swiftSettings: hostTuning),
    // Whole-call reads of HDF5 files (Keras's .h5) in C: libhdf5's error stack stays in C.
    // Debian's libhdf5-dev puts the serial headers and library under their own names.
    .target(
      name: "CHDF5",
      cSettings: [.unsafeFlags(["-I/usr/include/hdf5/serial"], .when(platforms: [.linux]))] + fuzzC,
      linkerSettings: [
        .linkedLibrary("hdf5_serial", .when(platforms: [.linux])),
        .linkedLibrary("hdf5", .when(platforms: [.macOS])),
      ]),
    // zlib for gzipped IDX files (Foundation on Linux has no gzip). Not named CZlib: that is
    // ZIPFoundation's own zlib module on Linux, and two modules may not share a name.
    .systemLibrary(name: "CSystemZlib", path: "Sources/CSystemZlib"),
    // Data sets (IDX, download, checksums through swift-crypto) and weights files (safetensors).
    .target(
      name: "ConvData",
      dependencies: ["ConvKit", "CSystemZlib", "ConvImageIO", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: hostTuning),
    // Pretrained networks: Keras/PyTorch weight import (.h5, .keras, .pth, .npz, safetensors), ImageNet classes, preprocessing.
    .target(
      name: "ConvPretrained",
      dependencies: ["ConvKit", "ConvData", "ConvImageIO", "CHDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation")], swiftSettings: hostTuning),
    // Wide-character ncurses (system library: module.modulemap + shim.h, linked directly).
    .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
    // The only code that calls ncurses: Terminal, Key, Canvas.
    .target(name: "ConvTerminal", dependencies: ["CNcursesw"]),
    // The playground's screens (model / update / view), app loop and strings (en, es).
    .target(name: "ConvPlayground", dependencies: ["ConvKit", "ConvLocale", "ConvCourse", "ConvTerminal", "ConvUserData", "ConvData", "ConvImageIO", "ConvPretrained"]),
    .executableTarget(
      name: "convplay",
      dependencies: [
        "ConvKit",
        "ConvLocale",
        "ConvCourse",
        "ConvUserData",
        "ConvImageIO",
        "ConvData",
        "ConvPlayground",
        "ConvPretrained",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: hostTuning),
    // examples/: a Keras user's program against the library (built, so it stays in step with the API).
    .executableTarget(
      name: "keras-style-example", dependencies: ["ConvKit", "ConvData"], path: "examples/keras-style",
      swiftSettings: hostTuning),
    // Micro benchmark of the kernels: swift run -c release convplay-bench
    .executableTarget(
      name: "convplay-bench", dependencies: ["ConvKit"], path: "benchmarks/gemm",
      swiftSettings: hostTuning),
    .testTarget(name: "ConvKitTests", dependencies: ["ConvKit"], resources: [.copy("Fixtures")]),
    .testTarget(name: "ConvCourseTests", dependencies: ["ConvCourse", "ConvKit"], resources: [.copy("Fixtures")]),
    .testTarget(name: "ConvUserDataTests", dependencies: ["ConvUserData", "ConvCourse"]),
    .testTarget(name: "convplayTests", dependencies: ["convplay", "ConvLocale", "ConvCourse", "ConvImageIO", "ConvData", "ConvPretrained", "ConvPlayground"]),
    .testTarget(
      name: "ConvImageIOTests", dependencies: ["ConvImageIO"], resources: [.copy("Fixtures")]),
    .testTarget(name: "ConvDataTests", dependencies: ["ConvData"]),
    .testTarget(
      name: "ConvPretrainedTests", dependencies: ["ConvPretrained", "ConvKit", "ConvData"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "ConvPlaygroundTests", dependencies: ["ConvPlayground", "ConvLocale", "ConvCourse", "ConvTerminal", "ConvKit", "ConvUserData", "ConvData", "ConvImageIO", "ConvPretrained"],
      exclude: ["Snapshots"]),
  ] + fuzzTargets
)
