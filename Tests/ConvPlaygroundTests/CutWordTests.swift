import ConvCourse
import ConvKit
import ConvPlayground
import ConvTerminal
import XCTest

/// No word cut, on any screen, in either language, at 80x24 and 100x30, with and without the
/// help open. The check is `Canvas.truncations`: every text a screen wrote that did not fit its
/// box or the terminal's edge, with the whole text it meant to draw; a screen that shortens
/// on purpose does it itself (with an ellipsis) before writing.
final class CutWordTests: XCTestCase {
  /// Every screen, in the states that draw different text: the key-table states, plus notices,
  /// errors and the other screens (training setup, quiz) that draw through the same app.
  static let states: [KeyTableTests.State] = KeyTableTests.states + [
    .init(name: "home every lesson", make: { HomeScreen() }, keys: "Down Down Down Down Down Down Down"),
    .init(name: "conv end", make: { ConvLabScreen(variant: .convolution) }, keys: "End"),
    .init(name: "conv every kernel", make: { ConvLabScreen(variant: .convolution) }, keys: "k k k k k k k k k k k k k k"),
    .init(name: "conv gaussian-5x5", make: { ConvLabScreen(variant: .convolution, kernelName: "gaussian-5x5") }),
    .init(name: "conv large input", make: { ConvLabScreen(variant: .convolution) }, keys: "] ] ] ] ] ] ] > > Right"),
    .init(name: "conv limits", make: { ConvLabScreen(variant: .convolution) }, keys: "< < <"),
    .init(name: "conv flipped", make: { ConvLabScreen(variant: .convolution) }, keys: "f Right"),
    .init(name: "padding floor", make: { ConvLabScreen(variant: .padding) }, keys: "] ] s End"),
    .init(name: "padding odd same", make: { ConvLabScreen(variant: .padding) }, keys: "] z s x d Right"),
    .init(name: "padding kernel too large", make: { ConvLabScreen(variant: .padding) }, keys: "d d"),
    .init(name: "pooling avg", make: { PoolingScreen() }, keys: "m > s z End"),
    .init(name: "rgb filters", make: { RGBScreen() }, keys: "] ] ] ] b End"),
    .init(name: "lab gray", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "2"),
    .init(name: "lab rgb", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "3"),
    .init(name: "lab every kernel", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "k k k k k k k k k k k k k k k n n"),
    .init(name: "lab picker missing path", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) },
          keys: "o / n o - s u c h - f o l d e r - o f - c o n v p l a y - a t - a l l Enter"),
    .init(name: "lab zoomed", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "+ + + Right Right"),
    .init(name: "lab saved", make: { ImageLabScreen(saveDirectory: "/nonexistent-folder-of-convplay") }, keys: "s"),
    .init(name: "lab open failed", make: { ImageLabScreen(path: "/nonexistent-folder-of-convplay/photo.jpg") }),
    .init(name: "summary vgg16", make: { try! SummaryScreen(model: XCTUnwrap(SummaryModels.named("vgg16")).load()) }, keys: "Down Down"),
    .init(name: "summary maps", make: { try! SummaryScreen(model: XCTUnwrap(SummaryModels.named("digits")).load()) }, keys: "Down v"),
    .init(name: "digit drawing", make: { DigitScreen() }, keys: "Space Down Space d Down Down Right"),
    .init(name: "training setup", make: { TrainingScreen(dataAvailable: true) }),
    .init(name: "training missing data", make: { TrainingScreen(dataAvailable: false) }),
    .init(name: "training pretrained base", make: { TrainingScreen(dataAvailable: true) }, keys: "Up Left r Down Down Right"),
    .init(name: "quiz", make: { QuizScreen(seed: 7) }),
    .init(name: "quiz answered", make: { QuizScreen(seed: 7) }, keys: "6 , 4 6 4 Enter"),
    // Blocks: the longest code listings (level 2 and 3) before and after answering, and the link.
    .init(name: "quiz blocks", make: { QuizScreen(seed: 3, selection: .topic(.blocks), level: 2) },
          keys: "1 Enter Enter 1 6 x 1 6 x 6 0 Enter PageDown PageDown Enter"),
    .init(name: "quiz blocks level 3", make: { QuizScreen(seed: 3, selection: .topic(.blocks), level: 3) },
          keys: "1 Enter Enter 1 Enter Enter 8 x 8 x 1 6 Enter g"),
  ]

  func testNoScreenCutsAWord() {
    var failures: [String] = []
    // Quiz progress, so that Home shows its longest suggestion ("practise ... (1 of 4 right)").
    var progress = QuizProgress()
    progress.record(.params, correct: true)
    for _ in 0..<3 { progress.record(.params, correct: false) }
    for s in CutWordTests.states {
      for lang in Lang.allCases {
        for (w, h) in [(80, 24), (100, 30)] {
          let env = Env(lang: lang, theme: Theme(colored: true), quizProgress: MemoryProgressKeeper(progress))
          var a = PlaygroundApp(root: s.make(), env: env)
          a.size = (w, h)
          // Every frame on the way, not only the last: "k k k" shows each kernel in turn.
          for (i, key) in ([nil] + Key.script(s.keys).map(Optional.some)).enumerated() {
            if let key { a.send(.key(key)) }
            for t in a.render(width: w, height: h).truncations {
              failures.append("\(s.name) (after \(i) keys) \(lang) \(w)x\(h): \(t)")
            }
          }
          if !a.top.capturesAllKeys {
            a.send(.key(.char("?")))
            for t in a.render(width: w, height: h).truncations {
              failures.append("\(s.name) help \(lang) \(w)x\(h): \(t)")
            }
          }
        }
      }
    }
    XCTAssert(failures.isEmpty, "\(failures.count) cut texts:\n" + failures.joined(separator: "\n"))
  }

  /// The checker itself: a word that does not fit is reported, trailing spaces are not.
  func testTruncationsAreRecorded() {
    var c = Canvas(width: 10, height: 2)
    c.put("Conjunto de datos", x: 0, y: 0)
    c.put("abc       ", x: 2, y: 1)
    XCTAssertEqual(c.truncations.map(\.shown), ["Conjunto d"])
  }
}
