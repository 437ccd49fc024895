import ConvCourse
import ArgumentParser
import ConvKit
import ConvUserData
import Foundation

/// `convplay quiz`: output shapes and parameter counts, graded and explained.
struct QuizCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quiz",
    abstract: localized("Questions on output shapes and parameter counts, graded and explained with the formula."),
    discussion: localized("""
      Reads one answer per line from stdin: shapes as 26x26x64, "26, 26, 64" or
      "(None, 26, 26, 64)", counts as 640, 649,775 or 649775. Prints the question, the verdict
      and the explanation, and finally 'score: X/K'.
      Examples:
        convplay quiz --plain --seed 7 --count 5 --topic params
        convplay quiz --answer-key --seed 7 --count 20 > key.txt    (homework with its key)
        convplay quiz --seed 7 --count 20 --answers student.txt      (grade a file of answers)
      Progress per topic is kept in $CONVPLAY_HOME, else $XDG_DATA_HOME/convplay, else
      ~/.local/share/convplay (not with --answers or --answer-key).
      """))

  @Flag(name: .long, help: helpText("Plain text without colours, for pipes and scripts."))
  var plain = false

  @Option(name: .long, help: helpText("Same seed, same questions (default: a new seed, printed on stderr)."))
  var seed: UInt64?

  @Option(name: .long, help: helpText("Number of questions."))
  var count: Int = 10

  @Option(name: .long, help: helpText("What the questions are about."))
  var topic: QuizTopicChoice = .mixed

  @Option(name: .long, help: ArgumentHelp(localized("Difficulty: 1 (the course's cases), 2 or 3."), valueName: localized("1|2|3")))
  var level: Int = 1

  @Flag(name: .customLong("answer-key"), help: helpText("Print each question and a line 'answer: X', nothing else."))
  var answerKey = false

  @Option(name: .long, help: ArgumentHelp(localized("Grade the answers in this file (one per line) instead of reading stdin."), valueName: localized("file")))
  var answers: String?

  func run() throws {
    try reportingErrors {
      if count < 1 || count > 10_000 { throw CLIFailure("--count must be between 1 and 10000 (got \(count))") }
      if !(1...3).contains(level) { throw CLIFailure("--level must be 1, 2 or 3 (got \(level))") }
      if answerKey && answers != nil { throw CLIFailure("--answer-key and --answers do not go together") }
      let selection = topic.selection
      let language = try resolvedLanguage()
      let seed = self.seed ?? {
        let s = UInt64(Date().timeIntervalSince1970 * 1000) & 0xFFFF_FFFF
        printNote("seed \(s) (use --seed \(s) to get these questions again)")
        return s
      }()
      if answerKey {
        printAnswerKey(seed: seed, selection: selection, language: language)
        return
      }
      let style = Style(color: !plain && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
      if let answers {
        var lines = TextLines.split(try readText(answers)).map(String.init)
        while lines.last.map({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) == true { lines.removeLast() }
        // An answer key (--answer-key's output) is graded by its 'answer:' lines alone.
        let keyLines = lines.filter { $0.lowercased().hasPrefix("answer:") }
        if !keyLines.isEmpty { lines = keyLines }
        var next = lines.makeIterator()
        _ = runSession(seed: seed, selection: selection, language: language, style: style,
                       progress: QuizProgress(), answer: { next.next() })
        return
      }
      let store = QuizProgressStore(language: language)
      let (saved, notice) = store.load()
      if let notice { printNote(notice) }
      let progress = runSession(seed: seed, selection: selection, language: language, style: style,
                                progress: saved, answer: { readLine(strippingNewline: true) })
      do {
        try store.save(progress)
      } catch {
        printNote("progress not saved: \(error)")
      }
    }
  }

  /// The language of questions and explanations: `--lang` or the locale (CommandLineLanguage).
  func resolvedLanguage() throws -> QuizLanguage { CommandLineLanguage.current }

  func printAnswerKey(seed: UInt64, selection: QuizSelection, language: QuizLanguage) {
    var generator = QuizGenerator(seed: seed, selection: selection, level: level)
    for i in 1...count {
      let q = generator.next()
      if i > 1 { print("") }
      print("\(i). " + q.prompt(language))
      print("answer: " + q.answer.text)
    }
  }

  struct Style {
    var color: Bool
    func good(_ s: String) -> String { color ? "\u{1B}[32m\(s)\u{1B}[0m" : s }
    func bad(_ s: String) -> String { color ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
  }

  /// Asks `count` questions, taking each answer from `answer` (nil: no more answers), and
  /// returns the progress with these answers recorded.
  func runSession(
    seed: UInt64, selection: QuizSelection, language: QuizLanguage, style: Style, progress: QuizProgress,
    answer: () -> String?
  ) -> QuizProgress {
    var session = QuizSession(seed: seed, selection: selection, level: level, language: language, progress: progress)
    // A person at a terminal gets a prompt; pipes and answer files do not.
    let interactive = answers == nil && isatty(STDIN_FILENO) == 1
    var unanswered = 0
    for i in 1...count {
      if i > 1 {
        session.next()
        print("")
      }
      let q = session.current
      let header = QuizCatalog.text(.question(i, count), language) + " ("
        + QuizCatalog.text(.topicName(q.topic), language) + ", " + QuizCatalog.text(.levelName(q.level), language) + ")"
      print(style.bold(header))
      print(q.prompt(language))
      if interactive {
        print("> ", terminator: "")
        fflush(nil)  // all C streams: naming `stdout` is not concurrency-safe in Swift 6
      }
      guard let text = answer() else {
        unanswered = count - i + 1
        print(QuizCatalog.text(.noAnswer, language))
        break
      }
      if !interactive {  // at a terminal the answer is already on the screen
        print(QuizCatalog.text(.yourAnswer(text.trimmingCharacters(in: .whitespaces)), language))
      }
      let f = session.submit(text)
      let verdictLines = f.verdict.split(separator: "\n").map(String.init)
      print(f.correct ? style.good(verdictLines[0]) : style.bad(verdictLines[0]))
      for line in verdictLines.dropFirst() { print(line) }
      for line in f.explanation { print("  " + line) }
    }
    if unanswered > 0 {
      printNote("no more answers: \(unanswered) question\(unanswered == 1 ? "" : "s") left unanswered")
    }
    print("")
    print(QuizCatalog.text(.scoreLine(session.correct, count), language))
    return session.progress
  }
}
