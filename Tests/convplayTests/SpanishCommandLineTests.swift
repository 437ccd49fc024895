import ConvImageIO
import Foundation
import XCTest

/// `--lang es` (or a Spanish locale) on every subcommand: its help, its usual output and
/// ArgumentParser's own errors carry no English. Words that give English away are looked for
/// in everything but what stays English on purpose: option names, values typed as they are
/// (quoted, code, file names), command lines, Keras's summary tables.
final class SpanishCommandLineTests: XCTestCase {
  static let giveaways: Set<String> = Set("""
    the and of with file files weights input inputs output outputs image images default show print
    from for each every this that when which without only layer layers step steps window channel
    channels rows columns size shape test training error value values missing expected unknown
    must got give both one two is are be use into per than then where whose how what will not
    argument option options see help usage overview subcommands found written saved loaded
    """.split(whereSeparator: \.isWhitespace).map(String.init))

  /// English giveaway words of `text`, with the line they sit in.
  static func englishWords(in text: String) -> [String] {
    var found: [String] = []
    var inSubcommands = false
    // A subcommand named after "convplay" (also across a wrapped line) is a name, not English.
    let text = text.replacing(#/convplay\s+[a-z]+/#, with: "convplay")
    for raw in text.split(separator: "\n") {
      var line = String(raw).trimmingCharacters(in: .whitespaces)
      if !raw.hasPrefix(" ") { inSubcommands = line == "SUBCOMANDOS:" }
      // A subcommand's name (step, weights...) heads its line of the list.
      if inSubcommands, raw.hasPrefix("  "), !raw.hasPrefix("   ") {
        line = line.split(separator: " ", maxSplits: 1).dropFirst().joined()
      }
      // Command lines, Keras's summary tables, usage lines: English on purpose.
      if line.hasPrefix("convplay ") || line.hasPrefix("USO:") || line.hasPrefix("Model:")
        || line.contains("params:") || line.hasPrefix("Layer (type)") || line.hasPrefix("___")
        || line.hasPrefix("===") || line.contains("InputLayer")
      {
        continue
      }
      for quote in ["'", "`", "\""] {
        let parts = line.components(separatedBy: quote)
        line = parts.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: " ")
      }
      let tokens = line.split(separator: " ").filter { token in
        !token.contains { "-./_=()<>$~:[]{}|*+^#0123456789@".contains($0) }
      }
      for token in tokens {
        let word = token.lowercased().trimmingCharacters(in: .punctuationCharacters)
        if giveaways.contains(word) { found.append("'\(word)' in: \(raw)") }
      }
    }
    return found
  }

  func run(_ args: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> CommandResult {
    try CommandRunner.run(args, stdin: stdin, environment: env)
  }

  /// Every subcommand (and theirs: `data fetch`...), from the SUBCOMANDOS section of each help.
  func subcommands(of path: [String]) throws -> [[String]] {
    let help = try run(path + ["--help", "--lang", "es"]).stdout
    var names: [String] = []
    var inside = false
    for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("SUBCOMANDOS:") { inside = true; continue }
      guard inside else { continue }
      if !line.hasPrefix("  ") { inside = false; continue }
      if !line.hasPrefix("   "), let name = line.split(separator: " ").first { names.append(String(name)) }
    }
    return try names.flatMap { [path + [$0]] + (try subcommands(of: path + [$0])) }
  }

  func testEveryHelpIsSpanish() throws {
    let commands = try subcommands(of: [])
    XCTAssertGreaterThan(commands.count, 20, "\(commands)")
    var problems: [String] = []
    for command in [[]] + commands {
      let r = try run(command + ["--help", "--lang", "es"])
      XCTAssertEqual(r.status, 0, "\(command): \(r.stderr)")
      XCTAssertTrue(r.stdout.contains("--lang <en|es>"), "\(command) lists --lang")
      XCTAssertTrue(r.stdout.contains("OPCIONES:"), "\(command)")
      problems += Self.englishWords(in: r.stdout).map { "\(command.joined(separator: " ")) --help: \($0)" }
      for line in r.stdout.split(separator: "\n") where line.count > 80 && !line.hasPrefix("USO:") {
        problems.append("\(command.joined(separator: " ")) --help: longer than 80 columns: \(line)")
      }
    }
    XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"))
    // The same pages in English still say it in English.
    let english = try run(["conv", "--help", "--lang", "en"]).stdout
    XCTAssertTrue(english.contains("OPTIONS:") && english.contains("Show help information."), english)
  }

  func testMainOutputsAreSpanish() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-es-\(UUID())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let pixels = (0..<(32 * 24 * 3)).map { UInt8(($0 * 37) % 256) }
    let photo = dir + "/photo.png"
    try Data(try ImageCodec.encodePNG(width: 32, height: 24, channels: 3, interleaved: pixels)).write(to: URL(fileURLWithPath: photo))
    let matrix = CommandRunner.example("matrices/course-5x5.txt")
    let commands: [[String]] = [
      ["step", "--plain"], ["step", "--plain", "--padding", "1", "--stride", "2"],
      ["step", "--backward", "--plain"], ["conv", "--matrix", matrix, "--stride", "2"],
      ["pool", "--steps", "--plain"], ["kernels"], ["summary", "--model", "course3", "--explain"],
      ["summary", "--list"], ["info", photo], ["gray", photo, "--out", dir + "/g.png"],
      ["channels", photo, "--out-dir", dir + "/ch"], ["filter", photo, "--kernel", "edge", "--out", dir + "/f.png"],
      ["filter", photo, "--out", dir + "/f.npy", "--stride", "2", "--padding", "valid"],
      ["quiz", "--answer-key", "--seed", "3", "--count", "4"], ["predict", photo],
      ["classify", photo, "--arch", "conv2d(4,3,relu) -> flatten -> dense(10,softmax)", "--random-weights", "--input", "16x16x3"],
      ["weights", "list"], ["tui", "--screen", "conv", "--print", "80x24"],
    ]
    var problems: [String] = []
    for command in commands {
      let r = try run(command + ["--lang", "es"], stdin: "")
      XCTAssertEqual(r.status, 0, "\(command): \(r.stderr)")
      problems += Self.englishWords(in: r.stdout + "\n" + r.stderr).map { "\(command.joined(separator: " ")): \($0)" }
    }
    XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"))
  }

  func testErrorsAreSpanish() throws {
    let missing = try run(["gray", "--lang", "es"])
    XCTAssertEqual(missing.status, 64)
    XCTAssertEqual(missing.stderr, "convplay: Falta el argumento obligatorio '<imagen>' (ver 'convplay gray --help')\n")
    let unknown = try run(["conv", "--bogus"], env: ["LANG": "es_AR.UTF-8", "LC_ALL": ""])
    XCTAssertTrue(unknown.stderr.hasPrefix("convplay: Opción desconocida '--bogus'"), unknown.stderr)
    let bad = try run(["step", "--only", "12"], env: ["LANGUAGE": "es_MX:en"])
    XCTAssertEqual(bad.stderr, "convplay: --only debe estar entre 1 y 9 (se recibió 12)\n")
    let file = try run(["conv", "--matrix", "/no/such.txt", "--lang=es"])
    XCTAssertEqual(file.stderr, "convplay: /no/such.txt: no existe el archivo\n")
    // --lang anywhere, also before the subcommand, and English when asked.
    XCTAssertTrue(try run(["--lang", "es", "conv", "--help"]).stdout.hasPrefix("RESUMEN: "))
    XCTAssertEqual(try run(["conv", "--matrix", "/no/such.txt", "--lang", "en"], env: ["LANG": "es_ES.UTF-8"]).stderr,
                   "convplay: /no/such.txt: no such file\n")
  }
}

/// The command line keeps typed whole numbers exact (ExactTensor): 16777217 is not 16777216.
final class ExactIntegerCommandTests: XCTestCase {
  func testStepConvAndPoolKeepWholeNumbersExact() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-exact-\(UUID())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "16777217 3\n4097 123456789\n".write(toFile: dir + "/m.txt", atomically: true, encoding: .utf8)
    try "1 1\n1 1\n".write(toFile: dir + "/ones.txt", atomically: true, encoding: .utf8)
    try "4097\n".write(toFile: dir + "/k.txt", atomically: true, encoding: .utf8)
    let step = try CommandRunner.run(["step", "--plain", "--matrix", dir + "/m.txt", "--kernel", dir + "/ones.txt"])
    XCTAssertTrue(step.stdout.contains("16777217*1 + 3*1 + 4097*1 + 123456789*1 = 140238106\n"), step.stdout)
    let conv = try CommandRunner.run(["conv", "--matrix", dir + "/m.txt", "--kernel", dir + "/k.txt"])
    XCTAssertEqual(conv.stdout, "68736258049 12291\n16785409 505802464533\n")
    let pool = try CommandRunner.run(["pool", "--matrix", dir + "/m.txt", "--size", "1"])
    XCTAssertEqual(pool.stdout, "16777217 3\n4097 123456789\n")
    let huge = try CommandRunner.run(["conv", "--matrix", "-"], stdin: "9007199254740993\n")
    XCTAssertEqual(huge.status, 1)
    XCTAssertEqual(huge.stderr, "convplay: stdin:1: 9007199254740993 is too large to be kept exactly (whole numbers up to 9007199254740992)\n")
  }
}

/// The playground's cells keep typed whole numbers exactly as the command line does: the conv
/// lesson's step after typing 16777217, 123456789 and 4097 is `convplay step`'s for the same
/// matrix and kernel. Values by Python ints: 16777217*4097 - 123456789 - 73 + 121*5 - 54 - 99 =
/// 68612801639 (Float32 gives 68612796416).
final class ExactCellCommandTests: XCTestCase {
  func testConvLessonCellsMatchConvplayStep() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-cells-\(UUID())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
      16777217 123456789 56 139 85
      73 121 54 84 128
      131 99 70 129 127
      80 57 115 69 134
      104 126 123 95 130
      """.write(toFile: dir + "/m.txt", atomically: true, encoding: .utf8)
    try "4097 -1 0\n-1 5 -1\n0 -1 0\n".write(toFile: dir + "/k.txt", atomically: true, encoding: .utf8)
    let step = try CommandRunner.run(["step", "--plain", "--matrix", dir + "/m.txt", "--kernel", dir + "/k.txt"])
    XCTAssertEqual(step.status, 0, step.stderr)
    let first = "16777217*4097 + 123456789*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 68612801639"
    XCTAssertTrue(step.stdout.contains(first), step.stdout)
    let second = "123456789*4097 + 56*(-1) + 139*0 + 121*(-1) + 54*5 + 84*(-1) + 99*0 + 70*(-1) + 129*0 = 505802464472"
    XCTAssertTrue(step.stdout.contains(second), step.stdout)
    let typing = "e 1 6 7 7 7 2 1 7 Enter Right 1 2 3 4 5 6 7 8 9 Enter Tab Left 4 0 9 7 Enter Escape"
    let tui = try CommandRunner.run(["tui", "--screen", "conv", "--keys", typing, "--print", "200x40"])
    XCTAssertEqual(tui.status, 0, tui.stderr)
    XCTAssertTrue(tui.stdout.contains(first), tui.stdout)
    let next = try CommandRunner.run(["tui", "--screen", "conv", "--keys", typing + " Right", "--print", "200x40"])
    XCTAssertTrue(next.stdout.contains(second), next.stdout)
    // The same matrix given to the playground as a file: the same step.
    let file = try CommandRunner.run(
      ["tui", "--screen", "conv", "--matrix", dir + "/m.txt", "--kernel", dir + "/k.txt", "--print", "200x40"])
    XCTAssertTrue(file.stdout.contains(first), file.stdout)
  }

  /// Past 2^53 a cell gets the command line's own refusal, in the run's language.
  func testTooLargeForExactArithmeticIsRefusedAsTheCommandLineDoes() throws {
    let keys = "e 9 0 0 7 1 9 9 2 5 4 7 4 0 9 9 3 Enter"
    let en = try CommandRunner.run(["tui", "--screen", "conv", "--keys", keys, "--print", "120x30"])
    XCTAssertTrue(en.stdout.contains("9007199254740993 is too large to be kept exactly (whole numbers up to"), en.stdout)
    XCTAssertTrue(en.stdout.contains(" 60 "), "the cell keeps its value")
    let es = try CommandRunner.run(["tui", "--screen", "pooling", "--keys", keys, "--print", "120x30", "--lang", "es"])
    XCTAssertTrue(es.stdout.contains("9007199254740993 es demasiado grande para guardarlo exacto"), es.stdout)
    let cli = try CommandRunner.run(["step", "--plain", "--matrix", "-", "--lang", "es"], stdin: "9007199254740993\n")
    XCTAssertEqual(cli.stderr, "convplay: stdin:1: 9007199254740993 es demasiado grande para guardarlo exacto (enteros hasta 9007199254740992)\n")
  }
}
