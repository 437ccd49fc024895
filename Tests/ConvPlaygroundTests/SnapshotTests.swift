import ConvKit
import ConvPlayground
import ConvTerminal
import Foundation
import XCTest

/// Each screen's text at 80x24 and 120x40 after scripted keys, compared with the committed
/// snapshots in Snapshots/. To re-record after a deliberate change:
///   CONVPLAY_RECORD_SNAPSHOTS=1 swift test -c release --filter SnapshotTests
/// then read the diff before committing.
final class SnapshotTests: XCTestCase {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots")

  struct Case {
    var name: String
    var screen: String
    var keys: String
    var lang: Lang = .en
    var unicode = true
    var colored = true
  }

  static let cases: [Case] = [
    Case(name: "home", screen: "home", keys: ""),
    Case(name: "home-es", screen: "home", keys: "l Down Down Down Down"),
    Case(name: "conv-step2", screen: "conv", keys: "Right"),
    Case(name: "conv-end", screen: "conv", keys: "End"),
    Case(name: "conv-es", screen: "conv", keys: "Right Right", lang: .es),
    Case(name: "conv-flip-edit", screen: "conv", keys: "f e Tab 2 Enter Escape"),
    Case(name: "conv-ascii", screen: "conv", keys: "Right", unicode: false),
    Case(name: "conv-resized", screen: "conv", keys: "] ] > ) k End"),
    Case(name: "conv-help", screen: "conv", keys: "?"),
    Case(name: "padding-same", screen: "padding", keys: "z"),
    Case(name: "padding-stride2", screen: "padding", keys: "] z s Right"),
    Case(name: "padding-floor", screen: "padding", keys: "] ] s End"),
    Case(name: "pooling-max", screen: "pooling", keys: "Right"),
    Case(name: "pooling-avg-es", screen: "pooling", keys: "m End", lang: .es),
    Case(name: "rgb", screen: "rgb", keys: "Right"),
    Case(name: "rgb-3filters", screen: "rgb", keys: "] End"),
    Case(name: "lab", screen: "lab", keys: ""),
    Case(name: "lab-filter", screen: "lab", keys: "4 Right Right"),
    Case(name: "lab-gray-es", screen: "lab", keys: "2", lang: .es),
    // Grad-CAM of the built-in digits model on a drawn 7 (each key after the worker's answer).
    Case(name: "lab-gradcam", screen: "lab-seven", keys: "g"),
    Case(name: "lab-gradcam-es", screen: "lab-seven", keys: "g ]", lang: .es),
    Case(name: "lab-gradcam-mono", screen: "lab-seven", keys: "g", colored: false),
    // The quiz with seed 7: question 1's answer is 6,464 and question 2's is 640.
    Case(name: "quiz-typing", screen: "quiz", keys: "2 6 x"),
    Case(name: "quiz-right", screen: "quiz", keys: "6 , 4 6 4 Enter"),
    Case(name: "quiz-wrong-es", screen: "quiz", keys: "6 , 4 6 4 Enter Enter 6 4 1 Enter", lang: .es),
    Case(name: "quiz-link", screen: "quiz", keys: "6 , 4 6 4 Enter Enter 6 4 1 Enter g"),
    // Blocks, seed 3 level 2: a residual block's Total params (14,816), then an Inception
    // block's Concatenate (16x16x76) answered without the pooling branch's channels.
    Case(name: "quiz-blocks", screen: "quiz-blocks", keys: ""),
    Case(name: "quiz-blocks-right", screen: "quiz-blocks", keys: "1 4 , 8 1 6 Enter"),
    Case(name: "quiz-blocks-wrong-es", screen: "quiz-blocks", keys: "1 Enter Enter 1 6 x 1 6 x 6 0 Enter", lang: .es),
    Case(name: "quiz-blocks-link", screen: "quiz-blocks", keys: "1 Enter Enter 1 6 x 1 6 x 6 0 Enter g"),
    Case(name: "backprop", screen: "backprop", keys: ""),
    Case(name: "backprop-input-es", screen: "backprop", keys: "z Tab Right", lang: .es),
    Case(name: "backprop-sgd", screen: "backprop", keys: "g End"),
    Case(name: "transposed-stride2", screen: "transposed", keys: "s Right"),
    // The built-in model on the drawn 7 (no data set needed): the first Conv2D, then a neuron.
    Case(name: "network", screen: "network", keys: ""),
    Case(name: "network-neuron-es", screen: "network", keys: "Right Right Enter End", lang: .es),
  ]

  static func app(_ c: Case) -> PlaygroundApp {
    let env = Env(lang: c.lang, theme: Theme(colored: c.colored))
    var app: PlaygroundApp
    switch c.screen {
    case "home": app = .home(env: env)
    case "backprop": app = PlaygroundApp(root: BackpropScreen(), env: env)
    case "transposed": app = PlaygroundApp(root: TransposedScreen(), env: env)
    case "network":
      let model = try? NetworkActivations.Model.builtIn()
      app = PlaygroundApp(root: NetworkScreen(model: model, digits: nil), env: env)
    case "conv": app = PlaygroundApp(root: ConvLabScreen(variant: .convolution), env: env)
    case "padding": app = PlaygroundApp(root: ConvLabScreen(variant: .padding), env: env)
    case "pooling": app = PlaygroundApp(root: PoolingScreen(), env: env)
    case "rgb": app = PlaygroundApp(root: RGBScreen(), env: env)
    case "lab": app = PlaygroundApp(root: ImageLabScreen(), env: env)
    case "lab-seven":
      app = PlaygroundApp(root: ImageLabScreen(image: ImageLabGradCAMTests.sevenOnPaper(), fileName: "seven.png"), env: env)
    case "quiz": app = PlaygroundApp(root: QuizScreen(seed: 7), env: env)
    case "quiz-blocks": app = PlaygroundApp(root: QuizScreen(seed: 3, selection: .topic(.blocks), level: 2), env: env)
    default: preconditionFailure("unknown screen \(c.screen)")
    }
    for key in Key.script(c.keys) {
      app.send(.key(key))
      app.waitForGradCAM()
    }
    return app
  }

  func testSnapshots() throws {
    let record = ProcessInfo.processInfo.environment["CONVPLAY_RECORD_SNAPSHOTS"] == "1"
    var failures: [String] = []
    for c in SnapshotTests.cases {
      for (w, h) in [(80, 24), (120, 40)] {
        let text = SnapshotTests.app(c).render(width: w, height: h, unicode: c.unicode).text + "\n"
        let file = SnapshotTests.directory.appendingPathComponent("\(c.name)-\(w)x\(h).txt")
        if record {
          try FileManager.default.createDirectory(at: SnapshotTests.directory, withIntermediateDirectories: true)
          try text.write(to: file, atomically: true, encoding: .utf8)
          continue
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
          failures.append("\(file.lastPathComponent) missing (record with CONVPLAY_RECORD_SNAPSHOTS=1)")
          continue
        }
        if expected != text {
          failures.append("\(file.lastPathComponent) differs:\n\(text)")
        }
      }
    }
    XCTAssert(failures.isEmpty, failures.joined(separator: "\n"))
  }
}
