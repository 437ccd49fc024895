import ConvKit
import ConvPlayground
import ConvTerminal
import XCTest

/// Screens driven by keys, checked against the course's numbers, ConvKit's reference kernels
/// (an implementation the screens do not use) and the styles that carry meaning.
final class ScreenTests: XCTestCase {
  let env = Env(lang: .en, theme: Theme(colored: true))

  func app(_ screen: any Screen, _ keys: String = "", lang: Lang = .en) -> PlaygroundApp {
    var a = PlaygroundApp(root: screen, env: Env(lang: lang, theme: Theme(colored: true)))
    a.send(keys: Key.script(keys))
    return a
  }

  func testConvStartsOnCourseStepOneWithTheCoursesEquation() {
    let canvas = app(ConvLabScreen(variant: .convolution)).render(width: 120, height: 40)
    XCTAssertTrue(canvas.text.contains(
      "60*0 + 113*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 266"))
    XCTAssertTrue(canvas.text.contains("step 1/9"))
  }

  func testEndShowsTheLastCellAndEveryOutputValue() {
    let a = app(ConvLabScreen(variant: .convolution), "End")
    let text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("= -128"))
    // The course's valid output, all nine cells, read off the canvas.
    for row in ["266  -61  -30", "116  -47  295", "-135  256 -128"] {
      XCTAssertTrue(text.contains(row), "missing output row \(row)")
    }
  }

  func testWindowCellsAreHighlightedAndTheCurrentOutputCellToo() {
    let theme = env.theme
    let canvas = app(ConvLabScreen(variant: .convolution), "Right").render(width: 80, height: 24)
    // Step 2: the window covers input columns 1-3 of rows 0-2; row 0 is "60 113 56 139 85".
    let y = 2
    let x113 = canvas.find("113", inRow: y)!
    let x60 = canvas.find(" 60", inRow: y)! + 1
    XCTAssertEqual(canvas[x113, y].style, theme.window)
    XCTAssertEqual(canvas[x60, y].style, theme.text)
    let x61 = canvas.find("-61", inRow: y)!
    XCTAssertEqual(canvas[x61, y].style, theme.current)
  }

  func testMonochromeKeepsEveryHighlightDistinct() {
    let mono = Theme(colored: false)
    let styles = [mono.text, mono.window, mono.padding, mono.paddingInWindow, mono.winner, mono.cursor]
    XCTAssertEqual(Set(styles).count, styles.count)
    XCTAssertTrue(styles.allSatisfy { $0.fg == nil && $0.bg == nil })
  }

  func testScreenOutputsMatchTheReferenceKernels() throws {
    // Random input, a resized input and kernel, another preset, flipped: the output on screen
    // must be ReferenceKernels.convolve of what the screen holds.
    var screen = ConvLabScreen(variant: .padding)
    for k in Key.script("r ] ] } > k k f z s x d") { _ = screen.update(.key(k), env: env) }
    let trace = try XCTUnwrap(screen.trace)
    let g = try WindowGeometry(
      inputRows: screen.input.shape[1], inputCols: screen.input.shape[2],
      kernelRows: screen.kernel.shape[1], kernelCols: screen.kernel.shape[2],
      strideRows: screen.strideRows, strideCols: screen.strideCols, dilation: screen.dilation,
      padding: screen.padding)
    XCTAssertEqual(trace.geometry, g)
    let expected = ReferenceKernels.convolve(input: screen.input.tensor, kernel: screen.kernel.tensor, geometry: g, flip: true)
    XCTAssertEqual(trace.output.tensor, expected)
    XCTAssertEqual(screen.input.shape, [1, 7, 8])
    XCTAssertEqual(screen.padding, .same)
    XCTAssertEqual(screen.strideRows, 2)
    XCTAssertEqual(screen.strideCols, 3)
    XCTAssertEqual(screen.dilation, 2)
  }

  func testEditingAKernelCellChangesTheStep() {
    // Kernel[0,0] = 10: step 1 becomes 266 + 60*10 = 866.
    let a = app(ConvLabScreen(variant: .convolution), "e Tab 1 0 Enter Escape")
    let screen = a.top as! ConvLabScreen
    XCTAssertEqual(screen.kernel[0, 0, 0], 10)
    XCTAssertEqual(screen.currentStep?.value, 866)
    XCTAssertTrue(a.render(width: 120, height: 40).text.contains("60*10 + 113*(-1)"))
  }

  func testEditingIgnoresGarbageAndSaysSo() {
    let a = app(ConvLabScreen(variant: .convolution), "e - - Enter")
    let screen = a.top as! ConvLabScreen
    XCTAssertEqual(screen.input.tensor, CourseExample.matrix)
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("That is not a number"))
    XCTAssertTrue(screen.capturesAllKeys, "still editing: q must not quit while typing")
  }

  func testResizeLimits() {
    var screen = ConvLabScreen(variant: .convolution)
    for k in Key.script("[ [ [ < < < < < ( ) ) ) ) ) )") { _ = screen.update(.key(k), env: env) }
    XCTAssertEqual(screen.input.shape, [1, 3, 3])
    XCTAssertEqual(screen.kernel.shape, [1, 1, 5])
    for _ in 0..<20 { _ = screen.update(.key(.char("]")), env: env) }
    XCTAssertEqual(screen.input.shape, [1, 12, 12])
  }

  func testKernelLargerThanInputExplainsInsteadOfCrashing() {
    // 3x3 input, 5x5 kernel, valid padding: no window fits.
    var a = app(ConvLabScreen(variant: .convolution), "[ [ > >")
    let text = a.render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("the kernel spans 5 but the padded input has only 3"), text)
    a.send(keys: Key.script("Right End p"))
    XCTAssertNil((a.top as! ConvLabScreen).trace)
  }

  func testPlayAdvancesOnTicksAndStopsAtTheEnd() {
    var a = app(ConvLabScreen(variant: .convolution), "p")
    XCTAssertNotNil(a.top.tickInterval)
    for _ in 0..<20 { a.send(.tick) }
    let s = a.top as! ConvLabScreen
    XCTAssertEqual(s.stepIndex, 8)
    XCTAssertFalse(s.playing)
    XCTAssertNil(a.top.tickInterval)
  }

  func testSamePaddingShowsFiveByFiveWithTheFormula() {
    let text = app(ConvLabScreen(variant: .padding), "z").render(width: 80, height: 24).text
    XCTAssertTrue(text.contains("(5 + 2*1 - 3)/1 + 1 = 5  ->  5 x 5"))
    XCTAssertTrue(text.contains("Output 5x5"))
    XCTAssertTrue(text.contains("= 114"), "the course's padded table starts 114")
  }

  func testPaddingRingHasItsOwnStyle() {
    let canvas = app(ConvLabScreen(variant: .padding), "z End").render(width: 80, height: 24)
    // Top padded row: all zeros in the padding style; the last window covers the bottom-right.
    let y = 2
    let x = canvas.find("0", inRow: y)!
    XCTAssertEqual(canvas[x, y].style, env.theme.padding)
    let bottom = 8
    let last = canvas.find("0   0   0", inRow: bottom)!
    // Cells are 3 wide plus a space: the seventh (last) column's digit is 6*4 columns further.
    XCTAssertEqual(canvas[last + 24, bottom].style, env.theme.paddingInWindow)
    XCTAssertEqual(canvas[last + 12, bottom].style, env.theme.padding)
  }

  func testStrideTwoOnSixSameExplainsTheExtraZero() {
    let text = app(ConvLabScreen(variant: .padding), "] z s").render(width: 120, height: 40).text
    XCTAssertTrue(text.contains("padding 'same': 0 above, 1 below, 0 left, 1 right"), text)
    XCTAssertTrue(text.contains("Keras puts 0 before and 1 after"))
    XCTAssertTrue(text.contains("(6 + 0 + 1 - 3)/2 + 1 = 3"))
  }

  func testFloorIsExplained() {
    // 7x7 valid, kernel 3, stride 3: (7-3)/3 = 1.33 -> 2 windows, the last element unused.
    let text = app(ConvLabScreen(variant: .padding), "] ] s s").render(width: 120, height: 40).text
    XCTAssertTrue(text.contains("floor(2.333) = 2"), text)
    XCTAssertTrue(text.contains("is not a multiple of the stride 3"))
  }

  func testPoolingWinnerAndNoParametersAndCourseShrink() {
    let a = app(PoolingScreen())
    let canvas = a.render(width: 80, height: 24)
    XCTAssertTrue(canvas.text.contains("max(60, 113, 73, 121) = 121"))
    XCTAssertTrue(canvas.text.contains("no parameters"))
    let text = a.render(width: 120, height: 40).text
    XCTAssertTrue(text.contains("26x26x64 = 43,264"))
    XCTAssertTrue(text.contains("13x13x64 = 10,816 (75 % fewer)"))
    // 121 is the winner: row 1 of the input ("73 121 ...").
    let y = 3
    let x = canvas.find("121", inRow: y)!
    XCTAssertEqual(canvas[x, y].style, env.theme.winner)
  }

  func testAveragePoolingMatchesTheReference() throws {
    var screen = PoolingScreen()
    for k in Key.script("m r > s z") { _ = screen.update(.key(k), env: env) }
    let trace = try XCTUnwrap(screen.trace)
    XCTAssertEqual(trace.output.tensor, ReferenceKernels.pool(input: screen.input.tensor, geometry: trace.geometry, mode: .avg))
    XCTAssertEqual(screen.mode, .avg)
    XCTAssertEqual(screen.size, 3)
    XCTAssertEqual(screen.effectiveStride, 1)
  }

  func testRGBPartialSumsAndParameters() {
    let a = app(RGBScreen())
    let text = a.render(width: 80, height: 24).text
    // Filter 1 at [0,0]: R -2, G 5, B 1, bias 1 -> 5 (examples/kernels/rgb-3x3x3.txt).
    XCTAssertTrue(text.contains("(-2) + 5 + 1 + 1 (bias) = 5"), text)
    XCTAssertTrue(text.contains("Nf*K*K*Nc + Nf = 2*3*3*3 + 2 = 56"))
    let three = app(RGBScreen(), "]").render(width: 80, height: 24).text
    XCTAssertTrue(three.contains("3*3*3*3 + 3 = 84"))
    XCTAssertTrue(three.contains("Output 3x3x3"))
  }

  func testRGBOutputsMatchTheReference() throws {
    var screen = RGBScreen()
    for k in Key.script("] ] r b b B") { _ = screen.update(.key(k), env: env) }
    XCTAssertEqual(screen.filterCount, 4)
    for (f, trace) in screen.traces.enumerated() {
      let ref = ReferenceKernels.convolve(
        input: screen.input.tensor, kernel: screen.filters[f].tensor, geometry: trace.geometry, bias: Float(screen.biases[f]))
      XCTAssertEqual(trace.output.tensor, ref, "filter \(f + 1)")
    }
    XCTAssertEqual(screen.biases[0], 2)
  }

  func testRGBExampleMatchesTheExampleFiles() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let m = try String(contentsOf: root.appendingPathComponent("examples/matrices/rgb-5x5.txt"), encoding: .utf8)
    let k = try String(contentsOf: root.appendingPathComponent("examples/kernels/rgb-3x3x3.txt"), encoding: .utf8)
    XCTAssertEqual(try MatrixText.parse(m), RGBScreen.exampleInput)
    XCTAssertEqual(try MatrixText.parse(k), RGBScreen.exampleFilters[0].0)
  }

  func testSpanishUsesTheCoursesWords() {
    let text = app(ConvLabScreen(variant: .convolution), lang: .es).render(width: 80, height: 24).text
    for word in ["Entrada", "Kernel", "Salida", "Parámetros"] {
      XCTAssertTrue(text.contains(word), "missing \(word)")
    }
    XCTAssertFalse(text.contains("Output"))
  }

  func testNavigationQuitAndBack() {
    var a = PlaygroundApp.home(env: env)
    a.send(keys: Key.script("Escape"))
    XCTAssertFalse(a.finished, "Esc on Home does nothing")
    a.send(keys: Key.script("Enter"))
    XCTAssertEqual(a.top.id, "conv")
    a.send(keys: Key.script("q"))
    XCTAssertEqual(a.top.id, "home")
    a.send(keys: Key.script("3 Escape"))
    XCTAssertEqual(a.top.id, "home")
    // Every lesson opens its screen by number, and q comes back.
    // Lessons past the ninth have no digit key: they open by the arrows and Enter.
    for (i, lesson) in Lesson.standard.enumerated() {
      a.send(keys: Key.script(i < 9 ? "\(i + 1)" : "Home" + String(repeating: " Down", count: i) + " Enter"))
      XCTAssertEqual(a.top.id, lesson.id, "lesson \(i + 1)")
      a.send(keys: Key.script("q"))
      XCTAssertEqual(a.top.id, "home", "back from \(lesson.id)")
    }
    a.send(keys: Key.script("l"))
    XCTAssertEqual(a.env.lang, .es)
    a.send(keys: Key.script("q"))
    XCTAssertTrue(a.finished)

    var direct = app(RGBScreen())
    direct.send(keys: Key.script("q"))
    XCTAssertTrue(direct.finished, "q quits a screen opened directly")
  }

  func testHelpOpensAndAnyKeyClosesIt() {
    var a = app(PoolingScreen(), "?")
    XCTAssertTrue(a.showingHelp)
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("Help: Pooling"))
    a.send(keys: Key.script("q"))
    XCTAssertFalse(a.showingHelp)
    XCTAssertFalse(a.finished, "the key that closes help does nothing else")
  }

  func testTooSmallTerminalShowsAMessageAtAnySize() {
    for (w, h) in [(79, 24), (80, 23), (40, 10), (5, 2), (0, 0)] {
      let text = PlaygroundApp.home(env: env).render(width: w, height: h).text
      if w >= 40 { XCTAssertTrue(text.contains("80x24") && text.contains("\(w)x\(h)"), "\(w)x\(h)") }
    }
  }

  func testEveryScreenRendersAtManySizes() {
    let screens: [any Screen] = [
      HomeScreen(), ConvLabScreen(variant: .convolution), ConvLabScreen(variant: .padding),
      PoolingScreen(), RGBScreen(),
    ]
    for s in screens {
      var a = app(s, "] ] ] ] ] ] ] ] ] > > z")
      a.send(keys: Key.script("?"))
      for (w, h) in [(80, 24), (81, 25), (100, 30), (120, 40), (200, 60)] {
        for help in [true, false] {
          let canvas = a.render(width: w, height: h)
          XCTAssertEqual(canvas.text.split(separator: "\n", omittingEmptySubsequences: false).count, h)
          if !help { XCTAssertTrue(canvas.row(h - 1).contains("q "), "help bar at \(w)x\(h) for \(s.id)") }
          a.send(keys: [.char("?")])
        }
      }
    }
  }

  func testFullRenderIsFast() {
    // The pure part of a redraw (model -> canvas) for the largest layouts; the terminal part
    // is measured end to end under tmux (PlaygroundEndToEndTests).
    var worst = 0.0
    let clock = ContinuousClock()
    for s in [ConvLabScreen(variant: .padding), PoolingScreen(), RGBScreen()] as [any Screen] {
      let a = app(s, "] ] ] ] ] ] ] > > z Right")
      _ = a.render(width: 200, height: 60)
      let start = clock.now
      for _ in 0..<20 { _ = a.render(width: 200, height: 60) }
      let ms = Double((clock.now - start).components.attoseconds) / 1e15 / 20
        + Double((clock.now - start).components.seconds) * 1000 / 20
      worst = max(worst, ms)
    }
    print("full render 200x60: worst screen \(worst) ms per frame")
    XCTAssertLessThan(worst, 10)
  }
}
