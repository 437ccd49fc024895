import ConvCourse
import ConvKit
import ConvPlayground
import Foundation
import XCTest

/// Every Spanish text convplay shows (the playground's catalog, the summary's model list, the
/// quiz's questions and explanations) and writes (docs/es, the README's Spanish parts) in the
/// course's register: impersonal or infinitive instructions, no voseo, no tú, no Spain-only
/// words, the course's one term per concept, and no English left on a Spanish screen.
final class SpanishTests: XCTestCase {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// (pattern, why): case-insensitive regular expressions matched against Spanish prose.
  static let forbidden: [(String, String)] = [
    (#"\bordenador"#, "Spain-only: computadora"),
    (#"\bfichero"#, "Spain-only: archivo"),
    (#"\bpuls(a|e|ar|ando|en|ad)\b"#, "Spain-only: presionar"),
    (#"línea de órdenes"#, "Spain-only: línea de comandos"),
    (#"\bcoger\b"#, "Spain-only"),
    (#"\bvale\b"#, "Spain-only"),
    (#"\bjers(ey|éis)\b"#, "Spain-only: suéter"),
    (#"\b(pod|ten|quer|sab|hac|deb|pon|ve|us|prob|ejecut)(éis|áis)\b|\bvosotros\b"#, "vosotros: the course writes impersonally"),
    // Voseo: imperatives with a stressed final vowel and the vos present.
    (#"\b(tom|mir|prob|us|ejecut|guard|carg|entren|descarg|instal|copi|peg|compar|calcul|cambi|and|dibuj|escuch|bot)á(lo|la|los|las)?\b"#, "voseo"),
    (#"\b(hac|pon|ten|corr|le|ve)é\b|\b(eleg|escrib|abr|segu|ven|dec|sal)í(lo|la)?\b"#, "voseo"),
    (#"\b(prob|ejecut|us|mir|tom|guard|carg|descarg|dibuj|cambi)alo\b|\bfijate\b"#, "voseo"),
    (#"\b(pod|ten|quer|sab|deb|hac|pon|ves|le)és\b|\b(escrib|abr|eleg|sal|segu)ís\b"#, "voseo"),
    // Tú: the course writes instructions impersonally or in the infinitive.
    (#"(\A|[.:;!?(][ \t]+|^[ \t]*[-*][ \t]+|^#+[ \t]+)(elige|escribe|prueba|mira|aplica|entrena|dibuja|calcula|agranda|reduce|presiona|abre|ejecuta|descarga|guarda|cambia|usa|copia|compara|instala|practica|empieza|fíjate|recuerda|observa|intenta)\b"#, "tú imperative: use the infinitive"),
    (#"\b(descárgalo|pruébalo|ejecútalo|ábrelo|guárdalo|míralo|úsalo|redúcela|escríbela|calcúlalo|expórtalos?|cópialo|instálalo)\b"#, "tú imperative: use the infinitive"),
    (#"\b(tu|tus|tuyo|tuya|puedes|tienes|quieres|sabes|debes|verás|obtendrás)\b"#, "tú: use an impersonal form"),
    (#"\b(descarg|entren|guard|us|prob|ejecut|instal|cambi)aste\b|\b(dist|hicist|pudist|escribist|abrist)e\b"#, "tú: use an impersonal form"),
    (#"\b(desempaquétalo|pásala|pásalo|cámbialo|elígelo|escríbelo)\b"#, "tú imperative: use the infinitive"),
    // One term per concept, the course's.
    (#"\bprecisi[oó]n\b"#, "accuracy is 'accuracy' (or 'exactitud (accuracy)')"),
    (#"\bsesgos?\b"#, "the course says 'bias'"),
    (#"\benfoque\b"#, "sharpen is 'realce'"),
    (#"épocas juntas"#, "'épocas conjuntas'"),
    // English left on a Spanish screen, and plurals after 1.
    (#"\b(score|answer|trainable|dilation|press|the|and|layer|filters)\b"#, "English word"),
    (#"\b(Space|Home|End|PgUp|PgDn|Backspace)\b"#, "English key name: Espacio, Inicio, Fin, RePág, AvPág, Retroceso"),
    (#"\b1 (veces|ceros|filas|columnas|filtros|unidades|valores|capas|canales|imágenes|épocas|píxeles|elementos)\b"#, "plural after 1"),
]

  /// The Spanish prose of a text: code (in backticks, fenced blocks) and Keras names removed.
  static func prose(_ text: String) -> String {
    var t = text
    for pattern in [#"```[\s\S]*?```"#, #"`[^`]*`"#, #"\b[\w.]+\([^)]*\)"#, #"\b\w+=\w+"#, #"\b[\w.]+\.\w+ = \w+"#, #"--[\w-]+"#,
                    #"\b\w+_\w+\b"#, #"'[^']*'"#, #"https?://\S+"#, #"\[[^\]]*\]\([^)]*\)"#, #"\(show_trainable\)"#,
                    #"Trainable( params)?"#, #"Non-trainable params"#, #"Total params"#] {
      // A placeholder word, not a space: "`--normalize` elige" must not read as a sentence
      // that starts with "elige".
      t = t.replacingOccurrences(of: pattern, with: "X", options: .regularExpression)
    }
    return t
  }

  static func problems(in text: String, source: String) -> [String] {
    let p = prose(text)
    var found: [String] = []
    for (pattern, why) in forbidden {
      let re = try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .anchorsMatchLines])
      for m in re.matches(in: p, range: NSRange(p.startIndex..., in: p)) {
        let word = (p as NSString).substring(with: m.range)
        found.append("\(source): '\(word.trimmingCharacters(in: .whitespaces))' (\(why))")
      }
    }
    return found
  }

  func testThePlaygroundsSpanishIsTheCourses() {
    var failures: [String] = []
    for entry in T.allCases {
      failures += SpanishTests.problems(in: entry.pair.es, source: "T.\(entry.rawValue)")
    }
    for model in SummaryModels.all {
      failures += SpanishTests.problems(in: model.summary(in: .es), source: "summary model \(model.name)")
    }
    XCTAssert(failures.isEmpty, failures.joined(separator: "\n"))
  }

  func testTheQuizsSpanishIsTheCourses() {
    var failures = Set<String>()
    for topic in QuizTopic.allCases {
      for level in 1...3 {
        var g = QuizGenerator(seed: 11, selection: .topic(topic), level: level)
        for _ in 0..<30 {
          let q = g.next()
          for p in SpanishTests.problems(in: q.prompt(.es), source: "quiz \(topic) prompt") { failures.insert(p) }
          for line in q.explanation(.es) {
            for p in SpanishTests.problems(in: line, source: "quiz \(topic) explanation") { failures.insert(p) }
          }
        }
      }
    }
    XCTAssert(failures.isEmpty, failures.sorted().joined(separator: "\n"))
  }

  func testDocsInSpanishAreTheCourses() throws {
    var failures: [String] = []
    let dir = SpanishTests.root.appendingPathComponent("docs/es")
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".md") {
      let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
      failures += SpanishTests.problems(in: text, source: "docs/es/\(name)")
    }
    // The README's Spanish parts: from a heading "## ... (español)" or "## En español" to the
    // next English heading.
    let readme = try String(contentsOf: SpanishTests.root.appendingPathComponent("README.md"), encoding: .utf8)
    failures += SpanishTests.problems(in: SpanishTests.spanishParts(of: readme), source: "README.md (es)")
    XCTAssert(failures.isEmpty, "\(failures.count) problems:\n" + failures.joined(separator: "\n"))
  }

  /// Sections whose heading says they are Spanish.
  static func spanishParts(of markdown: String) -> String {
    var out: [Substring] = []
    var inSpanish = false
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("#") {
        let l = line.lowercased()
        inSpanish = l.contains("español") || l.contains("espanol")
      }
      if inSpanish { out.append(line) }
    }
    return out.joined(separator: "\n")
  }

  /// Each English lesson has its Spanish twin with as many examples (fenced blocks).
  func testDocsInSpanishKeepStepWithEnglish() throws {
    let pairs = [
      ("padding", "padding"), ("stride", "stride"), ("convolutional-layer", "capa-convolucional"),
      ("mnist-exercise", "ejercicio-mnist"), ("convolution-step-by-step", "convolucion-paso-a-paso"),
      ("digital-image", "imagen-digital"), ("spatial-filters", "filtros-espaciales"), ("pooling", "pooling"),
      ("cifar10", "cifar10"), ("fine-tuning", "ajuste-fino"), ("pretrained-models", "modelos-preentrenados"),
      ("teachers", "docentes"),
    ]
    let docs = SpanishTests.root.appendingPathComponent("docs")
    // An example is a "$ convplay" line of a console block, read as its subcommand and the
    // options it uses (values, comments and --lang differ between the languages).
    func examples(_ path: String) throws -> [String] {
      let text = try String(contentsOf: docs.appendingPathComponent(path), encoding: .utf8)
      return text.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("$ convplay ") else { return nil }
        let command = line.split(separator: "#").first.map(String.init) ?? String(line)
        let words = command.split(separator: " ").map(String.init)
        let options = Set(words.filter { $0.hasPrefix("--") && $0 != "--lang" }).sorted()
        return ([words[2]] + options).joined(separator: " ")
      }
    }
    for (en, es) in pairs {
      let spanish = try examples("es/\(es).md")
      for e in try examples("en/\(en).md") where !spanish.contains(e) {
        XCTFail("docs/es/\(es).md lacks the example of docs/en/\(en).md: convplay \(e)")
      }
    }
  }
}
