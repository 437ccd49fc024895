import ConvCourse
import ConvKit
import ConvTerminal

/// What a screen receives: a key, a tick of the play clock, or a worker's report on a command
/// the screen asked for (bubbletea's messages).
public enum Msg: Sendable {
  case key(Key)
  case tick
  /// The training worker's progress and results (`Command.startTraining`, `.saveModel`, `.fetchData`).
  case training(DashboardEvent)
  /// The Grad-CAM worker's answer (`Command.explain`).
  case gradCAM(GradCAMEvent)
}

/// What a screen asks the app to do after an update.
public enum Effect: Equatable, Sendable {
  /// Handled; redraw.
  case none
  /// Not a key this screen uses: the app applies its own (q and Esc go back, ? opens help).
  case ignored
  /// Close this screen.
  case back
  /// Open the lesson with this id (see `Lesson`).
  case open(String)
  case setLanguage(Lang)
  /// Open this screen on top of the current one (the image lab hands a patch to the
  /// convolution screen); q or Esc there comes back.
  case push(PushedScreen)
  /// Work for the runner (a worker thread, a file): screens stay pure, and what the work
  /// reports comes back to the screen as a `Msg` (bubbletea's Cmd).
  case perform(Command)
  /// Several effects, in order (bubbletea's Batch).
  case batch([Effect])
}

/// A screen carried by `Effect.push`. Effects compare by the screen's lesson id only: two
/// screens are not otherwise comparable.
public struct PushedScreen: Equatable, Sendable {
  public let screen: any Screen
  public init(_ screen: any Screen) { self.screen = screen }
  public static func == (a: PushedScreen, b: PushedScreen) -> Bool { a.screen.id == b.screen.id }
}

/// One entry of a screen's key table (the help bar and the `?` overlay): the keys and what
/// they do.
///
/// `keys` is written once, in English key names ("→/Space", "Home/End", "PgUp/PgDn", "[ ]",
/// "1-4", "BSpace"): `label(_:)` names them in the screen's language (Espacio, Inicio/Fin,
/// RePág/AvPág, Retroceso) and `matches` reads them as `Key`s, so a test can check that every
/// key a screen's `update` acts on is in its table.
public struct KeyHint: Equatable, Sendable {
  public var keys: String
  public var action: String
  public init(_ keys: String, _ action: String) {
    self.keys = keys
    self.action = action
  }

  /// The keys as written on screen in `lang`.
  public func label(_ lang: Lang) -> String {
    var out = ""
    var token = ""
    func flush() {
      out += KeyHint.names[token].map { lang == .en ? $0.en : $0.es } ?? token
      token = ""
    }
    for ch in keys {
      if ch == " " || (ch == "/" && !token.isEmpty) {
        flush()
        out.append(ch)
      } else {
        token.append(ch)
      }
    }
    flush()
    return out
  }

  /// The keys this entry stands for; nil when `keys` holds a name this type does not know
  /// (a test then fails: a key table must say exactly which keys it means).
  public var matches: [Key]? {
    var result: [Key] = []
    let arrows: [Character: Key] = ["←": .left, "→": .right, "↑": .up, "↓": .down]
    // "/" separates keys ("k/K"); alone it is the key itself.
    let tokens = keys.split(separator: " ").flatMap { word in
      word == "/" ? [String(word)] : word.split(separator: "/").map(String.init)
    }
    for token in tokens {
      let chars = Array(token)
      if token == "Chars" {
        // Text being typed: every printable character.
        result += (32...126).map { .char(Character(UnicodeScalar(UInt8($0)))) }
      } else if let named = KeyHint.namedKeys[token] {
        result.append(named)
      } else if chars.count == 1 {
        result.append(arrows[chars[0]] ?? .char(chars[0]))
      } else if chars.allSatisfy({ arrows[$0] != nil }) {
        result += chars.map { arrows[$0]! }
      } else if chars.count == 3, chars[1] == "-", let a = chars[0].asciiValue, let b = chars[2].asciiValue, a < b {
        result += (a...b).map { .char(Character(UnicodeScalar($0))) }
      } else {
        return nil
      }
    }
    return result
  }

  /// Key names and how each language writes them on screen.
  static let names: [String: (en: String, es: String)] = [
    "Space": ("Space", "Espacio"), "Home": ("Home", "Inicio"), "End": ("End", "Fin"),
    "PgUp": ("PgUp", "RePág"), "PgDn": ("PgDn", "AvPág"), "BSpace": ("Backspace", "Retroceso"),
    "Del": ("Del", "Supr"), "Enter": ("Enter", "Enter"), "Esc": ("Esc", "Esc"), "Tab": ("Tab", "Tab"),
    "BTab": ("Shift+Tab", "Mayús+Tab"), "Chars": ("a-z 0-9 ./", "a-z 0-9 ./"),
  ]

  static let namedKeys: [String: Key] = [
    "Space": .char(" "), "Home": .home, "End": .end, "PgUp": .pageUp, "PgDn": .pageDown,
    "BSpace": .backspace, "Del": .delete, "Enter": .enter, "Esc": .escape, "Tab": .tab, "BTab": .backTab,
  ]
}

/// What every view needs besides its own model: the language and the colours.
public struct Env: Sendable {
  public var lang: Lang
  public var theme: Theme
  /// Quiz progress: saved by the quiz screen, read by Home's suggestion.
  public var quizProgress: any QuizProgressKeeper
  /// The training screen's last settings, kept by the app (`Command.keepTrainingSettings`).
  public var trainingSettings: TrainingSettingsKeeper
  public init(
    lang: Lang, theme: Theme, quizProgress: any QuizProgressKeeper = MemoryProgressKeeper(),
    trainingSettings: TrainingSettingsKeeper = TrainingSettingsKeeper()
  ) {
    self.lang = lang
    self.theme = theme
    self.quizProgress = quizProgress
    self.trainingSettings = trainingSettings
  }

  /// A whole number in prose, grouped as the language writes it: 43,264 in English, 43.264 in
  /// Spanish (the course's 60.000). Keras's tables keep Keras's commas (NumberText.grouped).
  public func count(_ n: Int) -> String {
    let g = NumberText.grouped(n)
    return lang == .es ? String(g.map { $0 == "," ? "." : $0 }) : g
  }

  /// The text of a catalog entry in the current language, `{0}`, `{1}`... filled with `args`.
  public func t(_ entry: Tr, _ args: CustomStringConvertible...) -> String {
    entry.text(lang, args.map(\.description))
  }
}

/// A playground screen: a model with a pure `update` and a `view` that draws into a canvas.
///
/// Screens never touch the terminal and never compute convolution themselves: the numbers
/// come from ConvKit (StepTrace, WindowGeometry, LayerSpec). The app draws the title bar, the
/// help bar (from `hints`), the help overlay (from `hints` and `helpText`) and the too-small
/// message; `view` fills the area in between. Later lessons (image lab, training, quiz, model
/// summary) plug in by conforming to this protocol and adding a `Lesson` with `make`.
public protocol Screen: Sendable {
  /// The lesson id this screen belongs to ("conv", "padding", ...).
  var id: String { get }
  func title(_ env: Env) -> String
  /// Right-hand side of the title bar (step counter, mode).
  func status(_ env: Env) -> String
  mutating func update(_ msg: Msg, env: Env) -> Effect
  func view(into canvas: inout Canvas, area: Rect, env: Env)
  /// The screen's key table in its current state: every key `update` acts on, most important
  /// first. The help bar shows as many as fit; the `?` overlay (`HelpOverlay`) shows them all.
  func hints(_ env: Env) -> [KeyHint]
  /// Paragraphs for the `?` overlay, above the full list of keys.
  func helpText(_ env: Env) -> [String]
  /// Every key the screen takes in any of its states, for the `?` overlay (the help bar shows
  /// only `hints`, those of the moment). Default: `hints`.
  func allHints(_ env: Env) -> [KeyHint]
  /// Seconds between ticks while animating, nil when idle (the app then sleeps on keys).
  var tickInterval: Double? { get }
  /// True while the screen reads text (cell editing): q, ? and Esc then belong to the screen.
  var capturesAllKeys: Bool { get }
}

extension Screen {
  public func status(_ env: Env) -> String { "" }
  public func helpText(_ env: Env) -> [String] { [] }
  public func allHints(_ env: Env) -> [KeyHint] { hints(env) }
  public var tickInterval: Double? { nil }
  public var capturesAllKeys: Bool { false }
}

/// An entry of the Home menu: every lesson opens a screen.
public struct Lesson: Sendable {
  public var id: String
  public var title: any TextEntry
  public var blurb: any TextEntry
  public var make: @Sendable (Env) -> any Screen
  /// A command that does the same on the command line, shown on Home.
  public var command: String?

  public init(
    id: String, title: any TextEntry, blurb: any TextEntry, command: String? = nil,
    make: @escaping @Sendable (Env) -> any Screen
  ) {
    self.id = id
    self.title = title
    self.blurb = blurb
    self.command = command
    self.make = make
  }

  /// The lessons in the order of the course.
  public static let standard: [Lesson] = [
    Lesson(id: "conv", title: T.lessonConv, blurb: T.lessonConvBlurb, command: "convplay step --plain") { _ in
      ConvLabScreen(variant: .convolution)
    },
    Lesson(
      id: "padding", title: T.lessonPadding, blurb: T.lessonPaddingBlurb,
      command: "convplay conv --padding same --stride 2"
    ) { _ in
      ConvLabScreen(variant: .padding)
    },
    Lesson(
      id: "pooling", title: T.lessonPooling, blurb: T.lessonPoolingBlurb,
      command: "convplay pool --size 2 --mode max"
    ) { _ in
      PoolingScreen()
    },
    Lesson(
      id: "rgb", title: T.lessonRGB, blurb: T.lessonRGBBlurb,
      command: "convplay step --matrix examples/matrices/rgb-5x5.txt --kernel examples/kernels/rgb-3x3x3.txt --bias 1"
    ) { _ in RGBScreen() },
    Lesson(
      id: "image", title: T.lessonImage, blurb: T.lessonImageBlurb,
      command: "convplay filter photo.jpg --kernel edge --out edges.png"
    ) { _ in ImageLabScreen() },
    Lesson(
      id: "training", title: T.lessonTraining, blurb: T.lessonTrainingBlurb,
      command: "convplay train --model course1"
    ) { env in TrainingScreen(settings: env.trainingSettings.load()) },
    Lesson(id: "quiz", title: T.lessonQuiz, blurb: T.lessonQuizBlurb, command: "convplay quiz") { env in
      QuizScreen.practice(env: env)
    },
    Lesson(
      id: "summary", title: T.lessonSummary, blurb: T.lessonSummaryBlurb,
      command: "convplay summary --model vgg16"
    ) { _ in SummaryScreen() },
  ] + explorerLessons

}
