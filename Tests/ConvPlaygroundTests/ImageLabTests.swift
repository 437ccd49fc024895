import ConvImageIO
import ConvKit
import ConvPlayground
import ConvTerminal
import Foundation
import XCTest

/// The image lab on its built-in picture: numbers checked by hand and against ConvKit's
/// reference kernels (which the lab does not use), colours, saving, errors, the patch hand-off.
final class ImageLabTests: XCTestCase {
  func app(_ screen: ImageLabScreen, _ keys: String = "", colored: Bool = true, lang: Lang = .en) -> PlaygroundApp {
    var a = PlaygroundApp(root: screen, env: Env(lang: lang, theme: Theme(colored: colored)))
    a.send(keys: Key.script(keys))
    return a
  }

  func lab(_ a: PlaygroundApp) -> ImageLabScreen { a.top as! ImageLabScreen }

  func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-lab-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.path
  }

  func testGrayValuesByHand() {
    let s = ImageLabScreen()
    XCTAssertEqual(s.image.summary, "96x64 RGB")
    // A wall pixel is (200, 80, 60): 0.3*200 + 0.59*80 + 0.11*60 = 113.8 -> 114.
    XCTAssertEqual(s.image.planes[0, 45, 20], 200)
    XCTAssertEqual(s.gray.planes[0, 45, 20], 114)
    // Sky at row 32 is (139, 185, 227): 41.7 + 109.15 + 24.97 = 175.82 -> 176.
    XCTAssertEqual(s.gray.planes[0, 32, 48], 176)
  }

  func testFilterMatchesTheReferenceKernelForEveryPreset() throws {
    var a = app(ImageLabScreen())
    for _ in KernelPreset.all {
      a.send(.key(.char("k")))
      let s = lab(a)
      let g = try WindowGeometry(
        inputRows: 64, inputCols: 96, kernelRows: s.kernel.shape[1], kernelCols: s.kernel.shape[2],
        padding: .same)
      let expected = ReferenceKernels.convolve(input: s.gray.planes, kernel: s.kernel, geometry: g)
      XCTAssertEqual(s.filtered.planes.shape, expected.shape)
      for (x, y) in zip(s.filtered.samples, expected.scalars) {
        XCTAssertEqual(x, y, accuracy: 1e-3 * max(1, abs(y)))
      }
    }
  }

  func testNormalizationsOfAFlatAndAnEdgePixel() {
    // Inside a checkerboard square (x 56-61, y 28-33) the 8-neighbour Laplacian is 0; at the
    // square's corner pixel (61, 33), next to two white squares, it is strongly negative.
    var a = app(ImageLabScreen(), "4")
    var s = lab(a)
    XCTAssertEqual(s.normalization, .abs)
    XCTAssertEqual(s.filtered.planes[0, 30, 58], 0)
    let corner = s.filtered.planes[0, 33, 61]
    // Black (20) with 4 white (235) neighbours of 8: 8*20 - (4*20 + 4*235) = -860.
    XCTAssertEqual(corner, -860)
    var seen: [Normalization: (UInt8, UInt8)] = [:]
    var minmaxRange: (UInt8, UInt8) = (0, 0)
    for _ in 0..<4 {
      a.send(.key(.char("n")))
      s = lab(a)
      let text = a.render(width: 120, height: 40).text
      XCTAssertTrue(text.contains("Filtered: edge, \(s.normalization.rawValue)"), text)
      let px = Normalization(rawValue: s.normalization.rawValue)!.pixels(of: s.filtered)
      seen[s.normalization] = (px[30 * 96 + 58], px[33 * 96 + 61])
      if s.normalization == .minmax { minmaxRange = (px.min()!, px.max()!) }
    }
    XCTAssertEqual(seen[.clip]?.0, 0)
    XCTAssertEqual(seen[.clip]?.1, 0)
    XCTAssertEqual(seen[.abs]?.1, 255)
    XCTAssertEqual(seen[.offset]?.0, 128)
    XCTAssertEqual(seen[.offset]?.1, 0)
    XCTAssertLessThan(seen[.minmax]!.1, seen[.minmax]!.0, "minmax keeps the order")
    XCTAssertEqual(minmaxRange.0, 0, "the result's minimum maps to 0")
    XCTAssertEqual(minmaxRange.1, 255, "the result's maximum maps to 255")
  }

  func testInspectorShowsThePatchAroundTheCursor() {
    let a = app(ImageLabScreen(), "Right")
    let s = lab(a)
    let text = a.render(width: 120, height: 40).text
    XCTAssertTrue(text.contains("Pixel [\(s.cursor.row),\(s.cursor.col)] gray"), text)
    let p = s.patch
    XCTAssertEqual(p.values.shape, [1, 5, 5])
    XCTAssertEqual(p.col, s.cursor.col - 2)
    XCTAssertEqual(p.row, s.cursor.row - 2)
    for r in 0..<5 {
      let row = (0..<5).map { c in NumberText.format(s.gray.planes[0, p.row + r, p.col + c]) }
      XCTAssertTrue(text.contains(row.map { String(repeating: " ", count: max(0, 3 - $0.count)) + $0 }.joined(separator: " ")),
                    "patch row \(r) missing")
    }
  }

  func testPatchOpensInTheConvolutionScreenAndComesBack() {
    var a = app(ImageLabScreen(), "4 c")
    let conv = a.top as! ConvLabScreen
    XCTAssertEqual(conv.input.tensor, lab(PlaygroundApp(root: a.stack[0], env: a.env)).patch.values)
    XCTAssertEqual(conv.kernel.tensor, KernelPreset.named("edge")!.tensor)
    XCTAssertEqual(conv.trace?.steps.count, 9)
    a.send(.key(.char("q")))
    XCTAssertTrue(a.top is ImageLabScreen)
  }

  func testColoursAreThePicturesInThePalette() {
    let canvas = app(ImageLabScreen()).render(width: 120, height: 40)
    var colours = Set<UInt8>()
    for y in 0..<canvas.height {
      for x in 0..<canvas.width where canvas[x, y].char == "▀" {
        if let c = canvas[x, y].style.fg { colours.insert(c.index) }
        if let c = canvas[x, y].style.bg { colours.insert(c.index) }
      }
    }
    // Checkerboard black (20,20,20) -> gray 233, white (235,235,235) -> gray 255,
    // sun (255,210,60) -> cube (5,4,1) = 221.
    XCTAssertTrue(colours.isSuperset(of: [233, 255, 221]), "\(colours.sorted())")
  }

  func testMonochromeUsesACharacterRamp() {
    let text = app(ImageLabScreen(), colored: false).render(width: 80, height: 24).text
    XCTAssertFalse(text.contains("▀"))
    XCTAssertTrue(text.contains("@"), text)  // the white squares
  }

  func testSaveWritesTheFilteredPictureAtomically() throws {
    let dir = try temporaryDirectory()
    let a = app(ImageLabScreen(saveDirectory: dir), "4 s")
    let s = lab(a)
    let path = dir + "/lab-filter.png"
    XCTAssertEqual(s.savedPath, path)
    XCTAssertTrue(a.render(width: 120, height: 40).text.contains("Saved \(path)"))
    let back = try ImageFile.read(path)
    XCTAssertEqual(back.image.summary, "96x64 gray")
    XCTAssertEqual(back.image.samples.map { UInt8($0) }, Normalization.abs.pixels(of: s.filtered))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("tmp") }
    XCTAssertEqual(leftovers, [])
    // The gray view saves both grays side by side.
    _ = app(ImageLabScreen(saveDirectory: dir), "2 s")
    XCTAssertEqual(try ImageFile.read(dir + "/lab-gray.png").image.summary, "192x64 gray")
  }

  func testErrorsAreShownNotThrown() throws {
    let bad = app(ImageLabScreen(saveDirectory: "/nonexistent-dir"), "s").render(width: 120, height: 40).text
    XCTAssertTrue(bad.contains("Cannot save: /nonexistent-dir/lab-original.png"), bad)
    let dir = try temporaryDirectory()
    let junk = dir + "/junk.png"
    try Data([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).write(to: URL(fileURLWithPath: junk))
    let s = ImageLabScreen(path: junk)
    XCTAssertNil(s.fileName, "the sample stays")
    let text = app(s).render(width: 120, height: 40).text
    XCTAssertTrue(text.contains("Cannot open \(junk): cannot read image"), text)
    let missing = app(ImageLabScreen(path: dir + "/none.jpg"), lang: .es).render(width: 80, height: 24).text
    XCTAssertTrue(missing.contains("No se puede abrir"), missing)
  }

  func testZoomKeepsTheCursorInView() {
    let a = app(ImageLabScreen(), "+ + + Right Right Right Right Right Right")
    let s = lab(a)
    XCTAssertEqual(s.zoom, 8)
    XCTAssertEqual(s.cursor.col, 48 + 6)
    let canvas = a.render(width: 100, height: 30)
    XCTAssertTrue(canvas.text.contains("┼"), "the cursor is drawn")
    XCTAssertTrue(canvas.text.contains("zoom 8x"))
  }

  func testCustomKernelEdit() {
    // Edit the centre weight of the edge kernel to 9: the kernel sums to 1, a flat area keeps
    // its gray value.
    let a = app(ImageLabScreen(), "e 9 Enter Escape")
    let s = lab(a)
    XCTAssertNil(s.presetIndex)
    XCTAssertEqual(s.kernel[0, 1, 1], 9)
    XCTAssertEqual(s.filtered.planes[0, 30, 58], 20)
    XCTAssertTrue(a.render(width: 120, height: 40).text.contains("Filtered: custom"))
  }

  func testFilePickerListsImagesOfTheFolder() throws {
    let dir = try temporaryDirectory()
    let cwd = FileManager.default.currentDirectoryPath
    defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
    let sample = ImageLabScreen()
    let bytes = try ImageFile.encoded(sample.image, as: .png)
    try Data(bytes).write(to: URL(fileURLWithPath: dir + "/b.png"))
    try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
    _ = FileManager.default.changeCurrentDirectoryPath(dir)
    var a = app(ImageLabScreen(), "o")
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("b.png"))
    XCTAssertFalse(a.render(width: 80, height: 24).text.contains("notes.txt"))
    // The first image is selected: Enter opens it.
    a.send(keys: Key.script("Enter"))
    XCTAssertEqual(lab(a).fileName, "b.png")
    XCTAssertEqual(lab(a).image, sample.image)
  }

  /// The picker goes into folders, back up, and opens a typed path (relative or absolute).
  func testFilePickerWalksFoldersAndTakesATypedPath() throws {
    let dir = try temporaryDirectory()
    let cwd = FileManager.default.currentDirectoryPath
    defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
    let sample = ImageLabScreen()
    let bytes = try ImageFile.encoded(sample.image, as: .png)
    try FileManager.default.createDirectory(atPath: dir + "/photos/deeper", withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: dir + "/photos/deeper/c.png"))
    _ = FileManager.default.changeCurrentDirectoryPath(dir)
    // sample, .., photos/: Down Down selects the folder, Enter goes in, and again.
    var a = app(ImageLabScreen(), "o Down Down Enter")
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("deeper/"), a.render(width: 80, height: 24).text)
    a.send(keys: Key.script("Down Down Enter"))
    XCTAssertTrue(a.render(width: 80, height: 24).text.contains("c.png"))
    // Left goes up, and the folder we came from is selected again.
    a.send(keys: Key.script("Left Enter Enter"))
    XCTAssertEqual(lab(a).fileName, "c.png")
    // A typed relative path, from the folder shown.
    var b = app(ImageLabScreen(), "o /")
    XCTAssertTrue(b.top.capturesAllKeys, "typing a path takes every key, q and ? too")
    b.send(keys: Array("photos/deeper/c.png").map { Key.char($0) } + [.enter])
    XCTAssertEqual(lab(b).fileName, "c.png")
    // A path that does not exist is said, and the picker stays open.
    var c = app(ImageLabScreen(), "o /")
    c.send(keys: Array("nothing-here").map { Key.char($0) } + [.enter])
    XCTAssertTrue(c.render(width: 160, height: 40).text.contains("nothing-here: no such file or folder"), c.render(width: 160, height: 40).text)
    XCTAssertNil(lab(c).fileName)
  }

  /// A PNG whose header says 5000x4000 (20 megapixels) and holds no pixels: refused from the
  /// header, before any pixel memory, and said on the screen.
  func testTooLargeImageIsRefusedOnScreen() throws {
    func crc32(_ bytes: [UInt8]) -> UInt32 {
      var c: UInt32 = 0xFFFF_FFFF
      for b in bytes {
        c ^= UInt32(b)
        for _ in 0..<8 { c = (c >> 1) ^ (c & 1 == 1 ? 0xEDB8_8320 : 0) }
      }
      return ~c
    }
    func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
      let body = Array(type.utf8) + data
      return be(UInt32(data.count)) + body + be(crc32(body))
    }
    let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", be(5000) + be(4000) + [8, 2, 0, 0, 0])
      + chunk("IDAT", []) + chunk("IEND", [])
    let path = try temporaryDirectory() + "/huge.png"
    try Data(png).write(to: URL(fileURLWithPath: path))
    let text = app(ImageLabScreen(path: path)).render(width: 120, height: 40).text
    XCTAssertTrue(text.contains("huge.png is 5000x4000 pixels, over the lab's 16 megapixels"), text)
    XCTAssertTrue(text.contains("built-in sample picture"), text)
  }
}
