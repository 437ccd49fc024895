import Foundation

/// A parser under test: a name (also its corpus folder, Fuzz/corpus/<name>) and a body that
/// feeds it one input the way convplay does. A body may throw anything; a trap, a sanitizer
/// report, a hang or an allocation over libFuzzer's limit is a crash.
struct FuzzTarget: Sendable {
  var name: String
  var run: @Sendable (UnsafeRawBufferPointer) -> Void

  static let all: [FuzzTarget] =
    TextTargets.all + DataTargets.all + ImageTargets.all + WeightTargets.all

  /// The target this process feeds (set once by main before libFuzzer starts).
  nonisolated(unsafe) static var selected: FuzzTarget?
}

/// Readers that take a path get the input through one temporary file per process.
func withTemporaryFile(_ bytes: UnsafeRawBufferPointer, suffix: String, _ body: (URL) throws -> Void) {
  let url = URL(fileURLWithPath: NSTemporaryDirectory())
    .appendingPathComponent("convplay-fuzz-\(getpid())\(suffix)")
  guard (try? Data(bytes).write(to: url)) != nil else { return }
  defer { try? FileManager.default.removeItem(at: url) }
  _ = try? body(url)
}

extension UnsafeRawBufferPointer {
  /// The bytes as text (invalid UTF-8 repaired, as the playground's editor hands text over).
  var text: String { String(decoding: self, as: UTF8.self) }
}
