import ConvKit
import ConvPlayground
import ConvTerminal
import XCTest

/// The convolution screens' layout and keys at the minimum terminal: the products panel, wide
/// kernels, the play key's name, and kernel resizing around the centre.
final class ConvLabLayoutTests: XCTestCase {
  func app(_ screen: any Screen, _ keys: String = "", lang: Lang = .en) -> PlaygroundApp {
    var a = PlaygroundApp(root: screen, env: Env(lang: lang, theme: Theme(colored: true)))
    a.send(keys: Key.script(keys))
    return a
  }

  func testProductsPanelShowsForTheCoursesExampleAt80x24() {
    for (lang, title) in [(Lang.en, "Products"), (.es, "Productos")] {
      for variant in [ConvLabScreen.Variant.convolution, .padding] {
        let text = app(ConvLabScreen(variant: variant), "Right", lang: lang).render(width: 80, height: 24).text
        XCTAssertTrue(text.contains(title), "\(variant) \(lang):\n\(text)")
        // Step 2's products: 113*(-1) and 5*54.
        XCTAssertTrue(text.contains("-113") || text.contains("270"), text)
      }
    }
  }

  func testEveryPresetShowsAllItsColumnsAt80x24() {
    for preset in KernelPreset.all {
      for variant in [ConvLabScreen.Variant.convolution, .padding] {
        let canvas = app(ConvLabScreen(variant: variant, kernelName: preset.name)).render(width: 80, height: 24)
        let k = preset.tensor
        for r in 0..<k.shape[1] {
          let values = (0..<k.shape[2]).map { NumberText.format(k[0, r, $0]) }
          let width = (0..<k.shape[1]).flatMap { rr in (0..<k.shape[2]).map { NumberText.format(k[0, rr, $0]).count } }.max()!
          let row = values.map { String(repeating: " ", count: width - $0.count) + $0 }.joined(separator: " ")
          XCTAssertTrue(canvas.text.contains(row), "\(preset.name) \(variant): kernel row \(r) '\(row)' not whole\n\(canvas.text)")
        }
      }
    }
  }

  func testPlayKeySaysPauseWhilePlaying() {
    var a = app(ConvLabScreen(variant: .convolution))
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("p play"))
    a.send(.key(.char("p")))
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("p pause"))
    a.send(.key(.char("p")))
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("p play"))
    for screen in [PoolingScreen() as any Screen, RGBScreen()] {
      var b = app(screen, "p")
      XCTAssertTrue(b.top.hints(b.env).contains(KeyHint("p", "pause")))
      b.send(.key(.char("p")))
      XCTAssertTrue(b.top.hints(b.env).contains(KeyHint("p", "play")))
    }
  }

  /// `<` keeps the centre: sharpen 3x3 -> 2x2 around the 5 -> [5]; `>` grows back around it.
  func testKernelShrinksAndGrowsAroundItsCentre() {
    var a = app(ConvLabScreen(variant: .convolution), "<")
    XCTAssertEqual((a.top as! ConvLabScreen).kernel.tensor, Tensor(shape: [1, 2, 2], scalars: [5, -1, -1, 0]))
    a.send(.key(.char("<")))
    XCTAssertEqual((a.top as! ConvLabScreen).kernel.tensor, Tensor(shape: [1, 1, 1], scalars: [5]))
    a.send(keys: Key.script("> >"))
    XCTAssertEqual((a.top as! ConvLabScreen).kernel.tensor, Tensor(shape: [1, 3, 3], scalars: [0, 0, 0, 0, 5, 0, 0, 0, 0]))
    // Columns only: ( drops a column around the centre.
    let b = app(ConvLabScreen(variant: .convolution, kernelName: "sobel-x"), "( (")
    XCTAssertEqual((b.top as! ConvLabScreen).kernel.tensor, Tensor(shape: [1, 3, 1], scalars: [0, 0, 0]))
    let c = app(ConvLabScreen(variant: .convolution, kernelName: "gaussian-5x5"), "< <")
    let g = KernelPreset.named("gaussian-5x5")!.tensor
    XCTAssertEqual((c.top as! ConvLabScreen).kernel[0, 1, 1], Double(g[0, 2, 2]), "the centre weight stays the centre")
  }

  /// The summary's "output size" for layers without a window: Dense and Flatten change the
  /// shape (the course's 43264 -> 10), Dropout and Add keep it.
  func testSummarySaysWhichLayersKeepTheirShape() throws {
    for lang in Lang.allCases {
      var a = app(try SummaryScreen(model: XCTUnwrap(SummaryModels.named("course1")).load()), lang: lang)
      var seen: [String] = []
      for _ in 0..<4 {
        seen.append(a.render(width: 100, height: 30).text)
        a.send(.key(.down))
      }
      let all = seen.joined(separator: "\n")
      XCTAssertTrue(all.contains("43264 -> 10"), all)
      XCTAssertTrue(all.contains("26*26*64 = 43,264"), all)
      XCTAssertFalse(all.contains(T.sumKeepsShape.text(lang)), "course1 has no layer that keeps its shape")
    }
  }
}
