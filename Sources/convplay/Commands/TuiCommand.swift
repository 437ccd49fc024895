import ConvCourse
import ArgumentParser
import ConvImageIO
import ConvKit
import ConvPlayground
import Foundation
import ConvTerminal
import ConvUserData

/// `convplay tui`: the playground, on Home or directly on one lesson.
struct TuiCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tui",
    abstract: localized("Open the playground (ncurses): Home, or one lesson with --screen."),
    discussion: localized("""
      Examples:
        convplay tui                                   Home: choose a lesson
        convplay tui --screen conv                     the course's 5x5 matrix and sharpen kernel
        convplay tui --screen padding --padding same --stride 2
        convplay tui --screen pooling --mode avg
        convplay tui --screen rgb --lang es
        convplay tui --screen lab --image photo.jpg       the image lab (no --image: the sample)
        convplay tui --screen train --model cnn --limit 1000 --epochs 2
        convplay tui --screen train --dataset cifar10 --limit 5000   colour images (or folder:PATH --image-size 32x32)
        convplay tui --screen train --finetune --dataset fashion-mnist --limit 6000   the digits model fine-tuned
        convplay tui --screen digit                    draw a digit, see the top 3
        convplay tui --screen quiz --seed 7 --topic params   the same questions as 'convplay quiz --seed 7 --topic params'
        convplay tui --screen summary --model vgg16    walk Keras's summary table layer by layer
        convplay tui --screen summary --model examples/specs/small-cifar.txt --input 32x32x3
        convplay tui --screen summary --model digits --image seven.png   feature maps of a picture
        convplay tui --screen backprop                 backpropagation through a convolution, cell by cell
        convplay tui --screen network --image 7        a test digit through the digits model, layer by layer
        convplay tui --screen transposed --stride 2    transposed convolution (Conv2DTranspose)
        convplay tui --screen conv --keys "Right End" --print 80x24   one frame as text
      In a lesson, the bottom lines list its keys and ? explains it; q goes back (and quits
      a lesson opened with --screen).
      """))

  enum ScreenName: String, ExpressibleByArgument, CaseIterable {
    case home, conv, padding, pooling, rgb, train, digit, quiz
    case lab
    case summary
    case backprop, network, transposed
  }

  @Option(name: .long, help: helpText("The lesson to open: home, conv, padding, pooling, rgb, train, digit, lab, quiz, summary, network, backprop or transposed."))
  var screen: ScreenName = .home

  @OptionGroup var matrix: MatrixOptions

  @Option(
    name: .long,
    help: ArgumentHelp(localized("A preset name or a matrix file (rgb: one 3-channel filter)."), valueName: localized("name|file")))
  var kernel: String?

  @Flag(name: .long, help: helpText("Start with the kernel turned 180 degrees (true convolution)."))
  var flip = false

  @Option(name: .long, help: helpText("The bias of the (first) filter."), transform: finiteFloatRangeDouble)
  var bias: Double?

  @OptionGroup var window: WindowOptions

  @Option(name: .long, help: ArgumentHelp(localized("Pooling: max or avg."), valueName: localized("max|avg")))
  var mode: PoolMode = .max

  @Option(name: .long, help: ArgumentHelp(localized("Pooling: window size."), valueName: localized("N")))
  var size: Int = 2

  @Option(name: .long, help: helpText("Quiz: same seed, same questions (as 'convplay quiz --seed')."))
  var seed: UInt64?

  @Option(name: .long, help: helpText("Quiz: what the questions are about."))
  var topic: QuizTopicChoice?

  @Option(name: .long, help: ArgumentHelp(localized("Quiz: difficulty 1, 2 or 3."), valueName: localized("n")))
  var level: Int?

  @Option(name: .long, help: ArgumentHelp(localized("Image lab: a PNG or JPEG to open (default: the built-in sample); summary: the picture whose feature maps a model with weights shows."), valueName: localized("file")))
  var image: String?

  @Option(name: .long, help: ArgumentHelp(localized("network: the MNIST test digit to show (0-9999; needs the data set, see 'convplay data')."), valueName: localized("N")))
  var digit: Int?

  @Option(name: .long, help: ArgumentHelp(localized("summary: input shape for a model spec or a course model (default 28x28x1); lab: for the spec --weights go on (default 224x224x3)."), valueName: localized("HxWxC")))
  var input: String?


  @OptionGroup var training: TuiTrainingOptions

  @Option(
    name: .long,
    help: ArgumentHelp(localized("summary, lab: weights in any format (.h5, .keras, .pth, safetensors, .npz); --model names their architecture when the file does not."),
      valueName: localized("FILE")))
  var weights: String?

  @Option(
    name: .long,
    help: ArgumentHelp(localized("Keys to send first, as tmux names them (\"Right Space End z\")."), valueName: localized("keys")))
  var keys: String?

  @Option(
    name: .long,
    help: ArgumentHelp(localized("Print one frame of this size as text instead of running (no terminal needed)."), valueName: localized("WxH")))
  var print: String?

  func run() throws {
    try reportingErrors {
      try checkOutputs([("--save", training.save)], createsFolders: true)
      // A printed frame never writes the user's progress; the playground saves after each answer.
      let progressStore = QuizProgressStore(language: CommandLineLanguage.current == .es ? .es : .en)
      let keeper: any QuizProgressKeeper =
        print == nil ? FileProgressKeeper(store: progressStore) : MemoryProgressKeeper(progressStore.load().progress)
      // The training screen's settings are kept beside quiz progress (a printed frame only reads them).
      let settingsStore = TrainingSettingsStore()
      let settings = print == nil
        ? TrainingSettingsKeeper(store: settingsStore) : TrainingSettingsKeeper(initial: settingsStore.load())
      let env = Env(
        lang: CommandLineLanguage.current, theme: Theme(colored: false), quizProgress: keeper,
        trainingSettings: settings)
      var app = try makeApp(env: env)
      if let keys {
        var parsed: [Key] = []
        for name in keys.split(separator: " ") {
          guard let k = Key(name: String(name)) else {
            throw CLIFailure("--keys: unknown key '\(name)' (use names such as Right, Left, Space, End, Enter, Escape, or one character)")
          }
          parsed.append(k)
        }
        // Each key after the Grad-CAM worker's answer to the one before, as a person would wait.
        for key in parsed {
          app.send(.key(key))
          app.waitForGradCAM()
        }
      }
      if let print {
        let (w, h) = try parsePair(print, option: "--print")
        // A frame is a Cell per position, then its text: both compared with the budget first.
        let cells = try CheckedSize.multiply(w, h, field: "--print")
        try MemoryBudget.check(values: cells, bytesPerValue: MemoryLayout<Cell>.stride * 2, what: "a frame of \(w)x\(h)")
        Swift.print(app.render(width: w, height: h, unicode: localeIsUTF8()).text)
        return
      }
      try runInTerminal(app)
    }
  }

  private func makeApp(env: Env) throws -> PlaygroundApp {
    if screen != .quiz && (seed != nil || topic != nil || level != nil) {
      throw CLIFailure("--seed, --topic and --level belong to --screen quiz")
    }
    if image != nil && screen != .lab && screen != .summary && screen != .network {
      throw CLIFailure("--image belongs to --screen lab, summary or network")
    }
    if input != nil && screen != .summary && !(screen == .lab && weights != nil) {
      throw CLIFailure(screen == .lab ? "--input belongs to --screen summary, or lab with --weights" : "--input belongs to --screen summary")
    }
    if weights != nil && screen != .summary && screen != .lab && !(screen == .train && training.base != nil) {
      throw CLIFailure("--weights belongs to --screen summary or lab, or train with --base")
    }
    if screen == .summary {
      return PlaygroundApp(root: try summaryScreen(), env: env)
    }
    if screen == .home {
      return PlaygroundApp.home(env: env)
    }
    if let explorer = try explorerScreen() {
      return PlaygroundApp(root: explorer, env: env)
    }
    if screen == .lab {
      // A file that cannot be read is reported on the lab's screen (the sample is shown).
      // So is a model that cannot be loaded, when g first asks it for a map.
      let classifier = try labClassifier()
      return PlaygroundApp(
        root: image.map { ImageLabScreen(path: $0, classifier: classifier) } ?? ImageLabScreen(classifier: classifier), env: env)
    }
    // As typed (whole numbers exact up to 2^53), as `convplay step` reads them.
    let input = try matrix.matrix.map { _ in try matrix.loadExact() }
    let kernelTensor = try kernel.map { try KernelOptions.resolveExact($0) }
    let stride = try window.parsedStride()
    let padding = try window.parsedPadding()
    func oneChannel(_ t: ExactTensor?, _ what: String) throws -> ExactTensor? {
      guard let t else { return nil }
      if t.shape[0] != 1 {
        throw CLIFailure("--screen \(screen.rawValue) takes a one-channel \(what) (this one has \(t.shape[0]) channels); use --screen rgb for colour")
      }
      return t
    }
    func sized(_ t: ExactTensor?, _ what: String, _ range: ClosedRange<Int>) throws -> ExactTensor? {
      guard let t else { return nil }
      if !range.contains(t.shape[1]) || !range.contains(t.shape[2]) {
        throw CLIFailure("the playground shows a \(what) of \(range.lowerBound) to \(range.upperBound) rows and columns (this one is \(t.shape[1])x\(t.shape[2])); use 'convplay step' for larger ones")
      }
      return t
    }
    let root: any Screen
    switch screen {
    case .home, .lab, .summary, .backprop, .network, .transposed:
      fatalError("handled above")
    case .quiz:
      let selection = (topic ?? .mixed).selection
      if let level, !(1...3).contains(level) { throw CLIFailure("--level must be 1, 2 or 3 (got \(level))") }
      root = QuizScreen(
        seed: seed ?? UInt64.random(in: 1...999_999), selection: selection, level: level ?? 1,
        keeper: env.quizProgress)
    case .conv, .padding:
      if screen == .conv && (padding != .valid || stride != (1, 1) || window.dilation != 1) {
        throw CLIFailure("--padding, --stride and --dilation belong to --screen padding")
      }
      guard (1...3).contains(window.dilation) else {
        throw CLIFailure("--dilation must be 1, 2 or 3 in the playground (got \(window.dilation))")
      }
      root = ConvLabScreen(
        variant: screen == .conv ? .convolution : .padding,
        input: try sized(oneChannel(input, "matrix"), "matrix", 3...12) ?? ExactTensor(CourseExample.matrix),
        kernel: try sized(oneChannel(kernelTensor, "kernel"), "kernel", 1...5),
        kernelName: kernel ?? "sharpen", padding: padding, stride: stride,
        dilation: window.dilation, flip: flip, bias: bias ?? 0)
    case .pooling:
      let m = mode
      guard (1...5).contains(size) else { throw CLIFailure("--size must be between 1 and 5 (got \(size))") }
      if stride.rows != stride.cols || stride.rows > 3 {
        throw CLIFailure("the pooling screen takes one --stride from 1 to 3 (got '\(window.stride)')")
      }
      if case .explicit = padding { throw CLIFailure("pooling takes --padding valid or same (as Keras)") }
      root = PoolingScreen(
        input: try sized(oneChannel(input, "matrix"), "matrix", 3...12) ?? ExactTensor(CourseExample.matrix), mode: m, size: size,
        stride: window.stride == "1" ? nil : stride.rows, padding: padding)
    case .train:
      root = try training.screen(kept: env.trainingSettings.load(), weights: weights, seed: seed)
    case .digit:
      root = DigitScreen()
    case .rgb:
      if let input, input.shape[0] != 3 {
        throw CLIFailure("--screen rgb needs a 3-channel matrix (three blocks separated by a blank line); this one has \(input.shape[0])")
      }
      if let k = kernelTensor, k.shape[0] != 3 {
        throw CLIFailure("--screen rgb needs a 3-channel kernel (one block per channel); this one has \(k.shape[0])")
      }
      root = RGBScreen(
        input: try sized(input, "matrix", 3...12) ?? ExactTensor(RGBScreen.exampleInput),
        firstFilter: try sized(kernelTensor, "kernel", 1...5), firstBias: bias)
    }
    return PlaygroundApp(root: root, env: env)
  }
}

extension TuiCommand {
  /// `--screen lab`'s classifier: `--model FILE` (a file that names its architecture: convplay's
  /// models, Keras full models, published weights), `--weights FILE` with `--model ARCH` when it
  /// does not, or the built-in digits model.
  func labClassifier() throws -> ClassifierChoice {
    if let weights {
      let architecture = try training.model.map { ArchitectureChoice(text: $0 + " " + (input ?? ""), architecture: try weightsArchitecture($0, input: input)) }
      return .file(weights, architecture: architecture)
    }
    guard let model = training.model, model != "digits" else { return .builtInDigits }
    return .file(model)
  }

  /// `--screen summary`: `--model` (a name, a spec, a spec file or a saved model file; the
  /// built-in digits model when absent), `--input` for specs, `--image` for feature maps.
  func summaryScreen() throws -> SummaryScreen {
    var shape: FeatureShape?
    if let input {
      guard let s = ShapeText.parse(input), s.count == 3 else {
        throw CLIFailure("--input must be a shape such as 28x28x1 or 32x32x3 (got '\(input)')")
      }
      shape = s
    }
    let picture = try image.map { try ImageFile.read($0).image }
    let name = image.map { URL(fileURLWithPath: $0).lastPathComponent }
    if let weights {
      // The same loader as classify's --weights; --model, when given, is the architecture.
      let architecture = try training.model.map { try weightsArchitecture($0, input: input) }
      var model: SummaryModel!
      try withPrintableErrors {
        model = try SummaryModels.withWeights(URL(fileURLWithPath: weights), architecture: architecture, image: picture, imageName: name)
      }
      return SummaryScreen(model: model, image: picture, imageName: name)
    }
    do {
      let model = try SummaryModels.resolve(training.model ?? "digits", inputShape: shape, image: picture, imageName: name)
      return SummaryScreen(model: model, image: picture, imageName: name)
    } catch let e as SummaryModelError {
      throw CLIFailure(e.description)
    }
  }
}

/// Runs the playground on the terminal; a signal ends it with the conventional 128 + signal
/// status, after the terminal has been restored.
func runInTerminal(_ app: PlaygroundApp) throws {
  guard standardStreamsAreTerminals() else {
    throw CLIFailure("the playground needs a terminal (stdin and stdout); without one try 'convplay step --plain' or 'convplay tui --print 80x24'")
  }
  var app = app
  let environment = currentEnvironment()
  app.env.theme = Theme(colored: true)
  do {
    let exit = try PlaygroundRunner.run(app, environment: environment)
    if case .signal(let s) = exit { throw ExitCode(128 + s) }
  } catch let e as TerminalError {
    throw CLIFailure(e.description)
  }
}
