import ConvTerminal

/// What a screen receives: a key, or a tick of the play clock.
public enum Msg: Hashable, Sendable {
  case key(Key)
  case tick
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
}

/// A screen carried by `Effect.push`. Effects compare by the screen's lesson id only: two
/// screens are not otherwise comparable.
public struct PushedScreen: Equatable, Sendable {
  public let screen: any Screen
  public init(_ screen: any Screen) { self.screen = screen }
  public static func == (a: PushedScreen, b: PushedScreen) -> Bool { a.screen.id == b.screen.id }
}

/// One entry of the help bar and of the help overlay: the key as written on screen and what it does.
public struct KeyHint: Equatable, Sendable {
  public var keys: String
  public var action: String
  public init(_ keys: String, _ action: String) {
    self.keys = keys
    self.action = action
  }
}

/// What every view needs besides its own model: the language and the colours.
public struct Env: Sendable {
  public var lang: Lang
  public var theme: Theme
  /// Quiz progress: saved by the quiz screen, read by Home's suggestion.
  public var quizProgress: any QuizProgressKeeper
  public init(lang: Lang, theme: Theme, quizProgress: any QuizProgressKeeper = MemoryProgressKeeper()) {
    self.lang = lang
    self.theme = theme
    self.quizProgress = quizProgress
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
  /// Keys shown in the help bar, most important first.
  func hints(_ env: Env) -> [KeyHint]
  /// Paragraphs for the `?` overlay, above the full list of keys.
  func helpText(_ env: Env) -> [String]
  /// Seconds between ticks while animating, nil when idle (the app then sleeps on keys).
  var tickInterval: Double? { get }
  /// True while the screen reads text (cell editing): q, ? and Esc then belong to the screen.
  var capturesAllKeys: Bool { get }
}

extension Screen {
  public func status(_ env: Env) -> String { "" }
  public func helpText(_ env: Env) -> [String] { [] }
  public var tickInterval: Double? { nil }
  public var capturesAllKeys: Bool { false }
}

/// An entry of the Home menu: every lesson opens a screen.
public struct Lesson: Sendable {
  public var id: String
  public var title: Tr
  public var blurb: Tr
  public var make: @Sendable (Env) -> any Screen
  /// A command that does the same on the command line, shown on Home.
  public var command: String?

  public init(
    id: String, title: Tr, blurb: Tr, command: String? = nil,
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
    ) { _ in TrainingScreen() },
    Lesson(id: "quiz", title: T.lessonQuiz, blurb: T.lessonQuizBlurb, command: "convplay quiz") { env in
      QuizScreen.practice(env: env)
    },
    Lesson(
      id: "summary", title: T.lessonSummary, blurb: T.lessonSummaryBlurb,
      command: "convplay summary --model vgg16"
    ) { _ in SummaryScreen() },
  ]
}
