import ConvKit
import ConvPlayground
import ConvTerminal
import Foundation
import XCTest

/// Every screen's key table against what its `update` really does, the `?` overlay that shows
/// the table (fits 80x24, scrolls, clears its box), and the too-small message that takes no keys.
final class KeyTableTests: XCTestCase {
  /// Every key a terminal can send convplay (printable ASCII and the named keys).
  static let allKeys: [Key] =
    (32...126).map { Key.char(Character(UnicodeScalar(UInt8($0)))) }
    + [.up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .enter, .escape, .tab, .backTab,
       .backspace, .delete]

  /// Where the lab's `s` writes while keys are tried (never the working folder).
  static let scratch: String = {
    let dir = NSTemporaryDirectory() + "convplay-keytable-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }()

  /// A screen in one of its states: made fresh, then driven by `keys` through the app.
  struct State: Sendable {
    var name: String
    var make: @Sendable () -> any Screen
    var keys: String = ""
  }

  /// The screens this suite covers, in every state with its own keys (the training screen and
  /// the quiz have their own suites).
  static let states: [State] = [
    State(name: "home", make: { HomeScreen() }),
    State(name: "conv", make: { ConvLabScreen(variant: .convolution) }),
    State(name: "conv playing", make: { ConvLabScreen(variant: .convolution) }, keys: "p"),
    State(name: "conv editing", make: { ConvLabScreen(variant: .convolution) }, keys: "e"),
    State(name: "padding", make: { ConvLabScreen(variant: .padding) }),
    State(name: "padding editing", make: { ConvLabScreen(variant: .padding) }, keys: "e Tab"),
    State(name: "pooling", make: { PoolingScreen() }),
    State(name: "pooling editing", make: { PoolingScreen() }, keys: "e"),
    State(name: "rgb", make: { RGBScreen() }),
    State(name: "rgb editing", make: { RGBScreen() }, keys: "e"),
    State(name: "lab", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }),
    State(name: "lab filter", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "4"),
    State(name: "lab editing", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "e"),
    State(name: "lab picker", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "o"),
    State(name: "lab picker typing", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "o /"),
    State(name: "lab model picker", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "m"),
    State(name: "lab gradcam computing", make: { ImageLabScreen(saveDirectory: KeyTableTests.scratch) }, keys: "g"),
    State(name: "lab gradcam", make: {
      ImageLabGradCAMTests.explained(
        ImageLabScreen(image: ImageLabGradCAMTests.sevenOnPaper(), fileName: "seven.png", saveDirectory: KeyTableTests.scratch),
        env: Env(lang: .en, theme: Theme(colored: true)))
    }),
    State(name: "summary", make: { SummaryScreen() }),
    State(name: "summary picker", make: { SummaryScreen() }, keys: "m"),
    State(name: "digit", make: { DigitScreen() }),
  ]

  func app(_ s: State, lang: Lang = .en) -> PlaygroundApp {
    var a = PlaygroundApp(root: s.make(), env: Env(lang: lang, theme: Theme(colored: true)))
    a.send(keys: Key.script(s.keys))
    return a
  }

  func testEveryKeyTableNamesKeysThatExist() {
    for s in KeyTableTests.states {
      let a = app(s)
      for h in a.top.hints(a.env) {
        XCTAssertNotNil(h.matches, "\(s.name): '\(h.keys)' names a key KeyHint does not know")
      }
    }
  }

  /// The class of "the help does not list every key": any key that `update` does not ignore
  /// must be in the table of the state it was pressed in.
  func testEveryKeyAScreenActsOnIsInItsKeyTable() {
    for s in KeyTableTests.states {
      let a = app(s)
      let listed = Set(a.top.hints(a.env).flatMap { $0.matches ?? [] })
      for key in KeyTableTests.allKeys {
        var screen = a.top
        let effect = screen.update(.key(key), env: a.env)
        if effect != .ignored {
          XCTAssertTrue(listed.contains(key), "\(s.name): \(key) is acted on (\(effect)) but not in the key table")
        }
      }
    }
  }

  /// And the other way: a key in the table does something (or is one the app takes).
  func testEveryListedKeyIsActedOn() {
    let appKeys: Set<Key> = [.char("?"), .char("q"), .escape]
    for s in KeyTableTests.states {
      let a = app(s)
      for h in a.top.hints(a.env) {
        for key in h.matches ?? [] where !appKeys.contains(key) {
          var screen = a.top
          XCTAssertNotEqual(screen.update(.key(key), env: a.env), .ignored, "\(s.name): \(key) is listed but ignored")
        }
      }
    }
  }

  /// The overlay at 80x24 and 100x30, in both languages: scrolled from top to bottom it shows
  /// every entry of the key table, nothing is drawn outside its box, and the margin is clear.
  func testHelpOverlayListsEveryKeyAndFits() {
    for s in KeyTableTests.states {
      for lang in Lang.allCases {
        for (w, h) in [(80, 24), (100, 30)] {
          var a = app(s, lang: lang)
          let keys = a.top.hints(a.env)
          let under = a.render(width: w, height: h)
          if a.top.capturesAllKeys { continue }  // ? is typed there; Esc leaves first
          a.size = (w, h)
          a.send(.key(.char("?")))
          XCTAssertTrue(a.showingHelp, "\(s.name): ? opens the help")
          let frame = a.helpOverlay.frame(width: w, height: h, env: a.env)
          var seen = ""
          var previous = -1
          while a.helpOffset != previous {
            previous = a.helpOffset
            let canvas = a.render(width: w, height: h)
            seen += canvas.text + "\n"
            for y in 0..<h {
              for x in 0..<w {
                let inBox = x >= frame.x - 1 && x <= frame.maxX && y >= frame.y - 1 && y <= frame.maxY
                if inBox {
                  let margin = x == frame.x - 1 || x == frame.maxX || y == frame.y - 1 || y == frame.maxY
                  if margin { XCTAssertEqual(canvas[x, y].char, " ", "\(s.name) \(lang) \(w)x\(h): margin at \(x),\(y)") }
                } else {
                  XCTAssertEqual(canvas[x, y], under[x, y], "\(s.name) \(lang) \(w)x\(h): the help drew outside its box")
                }
              }
            }
            a.send(.key(.down))
          }
          XCTAssertTrue(a.showingHelp, "scrolling keeps the help open")
          let lines = seen.split(separator: "\n").map(String.init)
          for k in keys {
            let label = " " + k.label(lang) + "  "
            let word = k.action.split(separator: " ").first.map(String.init) ?? ""
            XCTAssertTrue(lines.contains { $0.contains(label) && $0.contains(word) },
                          "\(s.name) \(lang) \(w)x\(h): the help does not list '\(label) \(k.action)'\n\(seen)")
          }
          a.send(.key(.char("x")))
          XCTAssertFalse(a.showingHelp, "another key closes the help")
        }
      }
    }
  }

  func testSpanishKeyNames() {
    XCTAssertEqual(KeyHint("→/Space", "").label(.es), "→/Espacio")
    XCTAssertEqual(KeyHint("Home/End", "").label(.es), "Inicio/Fin")
    XCTAssertEqual(KeyHint("PgUp/PgDn", "").label(.es), "RePág/AvPág")
    XCTAssertEqual(KeyHint("BSpace", "").label(.es), "Retroceso")
    XCTAssertEqual(KeyHint("+/-/0", "").label(.es), "+/-/0")
    XCTAssertEqual(KeyHint("v/1-4", "").matches, [.char("v"), .char("1"), .char("2"), .char("3"), .char("4")])
    XCTAssertEqual(KeyHint("←↑↓→", "").matches, [.left, .up, .down, .right])
    XCTAssertNil(KeyHint("Spcae", "").matches)
  }

  /// While the terminal is below 80x24 only the too-small message is on screen: no key but q
  /// may change anything.
  func testKeysAreNotActedOnWhileTheWindowIsTooSmall() {
    var a = PlaygroundApp.home(env: Env(lang: .en, theme: Theme(colored: true)))
    a.size = (60, 20)
    a.send(keys: Key.script("Down Enter ? l"))
    XCTAssertEqual(a.stack.count, 1)
    XCTAssertFalse(a.showingHelp)
    XCTAssertEqual(a.env.lang, .en)
    XCTAssertEqual(a.render(width: 80, height: 24).text, PlaygroundApp.home(env: a.env).render(width: 80, height: 24).text)
    a.send(.key(.char("q")))
    XCTAssertTrue(a.finished, "q still quits, as the message says")
    a = PlaygroundApp.home(env: Env(lang: .en, theme: Theme(colored: true)))
    a.size = (80, 24)
    a.send(keys: Key.script("Enter"))
    XCTAssertEqual(a.stack.count, 2, "at 80x24 keys work")
  }
}
