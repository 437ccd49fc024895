import ConvImageIO
import ConvKit
import ConvPretrained
import ConvLocale
import ConvTerminal

/// The image lab: a real photo (or the built-in sample) in the terminal, its gray versions and
/// colour channels, and any kernel slid over it, with a pixel inspector that reads the numbers
/// a network sees and can hand a 5x5 patch to the convolution screen.
///
/// Nothing is computed here that ConvImageIO or ConvKit already does: files are read with
/// `ImageFile.read`, grays made by `GrayMethod`, channels tinted by `Colormap`, the filter is
/// `FilterKernels.convolve` ('same' padding, as `convplay filter`), pixels come from
/// `Normalization`, and `s` writes with `ImageFile.write` (atomic). Every result is computed in
/// `update` and kept, so a frame only samples pictures.
///
/// `g` asks "why did it say tiger?": the Grad-CAM view shows `Network.gradCAM`'s map of a
/// classifier (the built-in digits model, or a model file chosen with `m`) blended over what
/// the network saw, drawn by `GradCAMPicture` (the CLI's `--explain-out` picture). The network
/// runs on the runner's Grad-CAM worker (`Command.explain`), never in `update`.
public struct ImageLabScreen: Screen {
  public enum View: String, CaseIterable, Sendable {
    case original, gray, rgb, filter, gradcam
  }

  /// The views `v` and 1-4 go through (Grad-CAM has its own key, `g`).
  static let pictureViews: [View] = [.original, .gray, .rgb, .filter]

  /// Images over this many pixels are refused with a message (the lab keeps several copies).
  public static let maxPixels = 16_000_000

  /// The picture as read: `[channels, height, width]`, 0...255.
  public private(set) var image: Image
  /// The file's name, or nil for the built-in sample.
  public private(set) var fileName: String?
  /// Gray by luminance (0.3 R + 0.59 G + 0.11 B), rounded to whole numbers as an 8-bit gray
  /// file stores them: what the filter and the inspector read.
  public private(set) var gray: Image
  public private(set) var view: View = .original
  /// `[1, KH, KW]`.
  public private(set) var kernel: Tensor
  /// Index in `KernelPreset.all` while the kernel is an unchanged preset.
  public private(set) var presetIndex: Int?
  public private(set) var normalization: Normalization
  /// The filter's raw result (any real numbers), same size as the image.
  public private(set) var filtered: Image
  public private(set) var zoom = 1
  /// The inspector's pixel, [row, col] as the course writes matrix cells.
  public private(set) var cursor: (row: Int, col: Int)
  /// Where `s` writes (the current folder by default).
  public let saveDirectory: String
  /// The path of the last saved file.
  public private(set) var savedPath: String?
  /// The classifier Grad-CAM explains with.
  public private(set) var classifier: ClassifierChoice
  /// The last map received for the current picture and classifier.
  public private(set) var explanation: GradCAMExplanation?
  /// The request not answered yet.
  public private(set) var waiting: GradCAMRequest?
  /// Why the last request failed (one line, the engine's words).
  public private(set) var camProblem: String?
  /// Where `g` returns.
  var viewBeforeCAM: View = .original
  var requestCount = 0

  var normalizationChosen = false
  var editor: CellEditor?
  var picker: FilePicker?
  var notice: LabNotice?
  // Pictures ready to draw.
  var original: Picture
  var grays: [Picture] = []
  var tints: [Picture] = []
  var result: Picture
  var resultRange: (low: Float, high: Float) = (0, 0)

  static let zoomLevels = [1, 2, 4, 8, 16, 32]

  /// The lab on the built-in sample picture.
  public init(saveDirectory: String = ".", classifier: ClassifierChoice = .builtInDigits) {
    self.init(image: labSamplePicture(), fileName: nil, saveDirectory: saveDirectory, classifier: classifier)
  }

  /// The lab on `path`; when it cannot be read (missing, corrupt, too large) the sample is
  /// shown with the reason.
  public init(path: String, saveDirectory: String = ".", classifier: ClassifierChoice = .builtInDigits) {
    self.init(saveDirectory: saveDirectory, classifier: classifier)
    open(path)
  }

  public init(image: Image, fileName: String?, saveDirectory: String = ".", classifier: ClassifierChoice = .builtInDigits) {
    self.image = image
    self.fileName = fileName
    self.saveDirectory = saveDirectory
    self.classifier = classifier
    let edge = KernelPreset.named("edge")!
    kernel = edge.tensor
    presetIndex = KernelPreset.all.firstIndex(of: edge)
    normalization = Normalization.default(for: edge.family)
    gray = image
    filtered = image
    original = Picture(image)
    result = original
    cursor = (image.height / 2, image.width / 2)
    load(image, name: fileName)
  }

  public var id: String { "image" }
  /// The photo on screen with a Grad-CAM request on its way: "computing...".
  public var isComputing: Bool { waiting != nil }
  public var capturesAllKeys: Bool { editor != nil || picker?.typed != nil }

  // MARK: model

  /// Makes `image` the lab's picture: grays, tints and the filter are recomputed.
  private mutating func load(_ image: Image, name: String?) {
    self.image = image
    fileName = name
    let lum = GrayMethod.luminance.convert(image)
    gray = Image(planes: Tensor(shape: lum.planes.shape, scalars: lum.samples.map { $0.rounded(.toNearestOrEven) }))
    original = Picture(image)
    grays = []
    tints = []
    cursor = (image.height / 2, image.width / 2)
    zoom = 1
    explanation = nil
    waiting = nil
    camProblem = nil
    refilter()
    prepareView()
  }

  /// Computes what the current view shows, once (tints of a large photo take a moment).
  private mutating func prepareView() {
    if view == .gray && grays.isEmpty {
      grays = [Picture(GrayMethod.average.convert(image)), Picture(gray)]
    }
    if view == .rgb && tints.isEmpty {
      let maps: [Colormap] = [.reds, .greens, .blues]
      tints = maps.enumerated().map { i, m in
        Picture(m.tint(image.channels == 3 ? image.channel(i) : image))
      }
    }
  }

  private mutating func refilter() {
    do {
      let g = try WindowGeometry(
        inputRows: gray.height, inputCols: gray.width, kernelRows: kernel.shape[1],
        kernelCols: kernel.shape[2], padding: .same)
      filtered = Image(planes: FilterKernels.convolve(input: gray.planes, kernel: kernel, geometry: g))
    } catch {
      filtered = gray
    }
    renormalize()
  }

  private mutating func renormalize() {
    result = Picture(filtered, normalization: normalization)
    resultRange = filtered.samples.reduce((Float.infinity, -Float.infinity)) { (min($0.0, $1), max($0.1, $1)) }
  }

  /// Reads `path` and shows it; on failure keeps the current picture and says why.
  mutating func open(_ path: String) {
    do {
      let decoded = try ImageFile.read(path, maxPixels: ImageLabScreen.maxPixels)
      let name = path.split(separator: "/").last.map(String.init) ?? path
      load(decoded.image, name: name)
      notice = nil
    } catch {
      if case .tooLarge(let w, let h, _) = error.error {
        notice = .tooLarge(path, w, h)
      } else {
        notice = .openFailed(error)
      }
    }
  }

  private mutating func setPreset(_ i: Int) {
    presetIndex = i
    kernel = KernelPreset.all[i].tensor
    if !normalizationChosen { normalization = Normalization.default(for: KernelPreset.all[i].family) }
    view = .filter
    refilter()
  }

  /// The 5x5 gray patch around the cursor, kept inside the image (smaller for tiny images):
  /// its top-left cell [row, col] and the values, `[1, rows, cols]`.
  public var patch: (row: Int, col: Int, values: Tensor) {
    let rows = min(5, gray.height)
    let cols = min(5, gray.width)
    let c0 = min(max(0, cursor.col - 2), gray.width - cols)
    let r0 = min(max(0, cursor.row - 2), gray.height - rows)
    var t = Tensor(zeros: [1, rows, cols])
    for r in 0..<rows {
      for c in 0..<cols { t[0, r, c] = gray.planes[0, r0 + r, c0 + c] }
    }
    return (r0, c0, t)
  }

  /// What `s` writes for the current view: what is on screen, panes side by side.
  func saveImage() -> (image: Image, normalization: Normalization) {
    func sideBySide(_ parts: [Image]) -> Image {
      let w = parts[0].width
      let h = parts[0].height
      let ch = parts[0].channels
      var t = Tensor(zeros: [ch, h, w * parts.count])
      for (k, p) in parts.enumerated() {
        for c in 0..<ch {
          for y in 0..<h {
            for x in 0..<w { t[c, y, k * w + x] = p.planes[c, y, x] }
          }
        }
      }
      return Image(planes: t)
    }
    switch view {
    case .original: return (image, .clip)
    case .gray: return (sideBySide([GrayMethod.average.convert(image), gray]), .clip)
    case .rgb:
      let maps: [Colormap] = [.reds, .greens, .blues]
      return (sideBySide(maps.enumerated().map { i, m in m.tint(image.channels == 3 ? image.channel(i) : image) }), .clip)
    case .filter: return (filtered, normalization)
    case .gradcam: return (explanation?.overlayImage ?? image, .clip)
    }
  }

  /// The file `s` writes: lab-<view>.png in `saveDirectory`.
  public var savePath: String {
    let name = "lab-\(view.rawValue).png"
    return saveDirectory == "." ? name : saveDirectory + (saveDirectory.hasSuffix("/") ? "" : "/") + name
  }

  private mutating func save() {
    if view == .gradcam && explanation == nil {
      notice = .text(T.labCamNothingYet)
      return
    }
    let (img, norm) = saveImage()
    let path = savePath
    do {
      try ImageFile.write(img, to: path, normalization: norm)
      savedPath = path
      notice = .saved(path, "\(img.width)x\(img.height)")
    } catch {
      notice = .saveFailed(error)
    }
  }

  // MARK: update

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    if case .gradCAM(let event) = msg {
      receive(event)
      return .none
    }
    guard case .key(let key) = msg else { return .none }
    if editor != nil { return edit(key) }
    if picker != nil { return pick(key) }
    notice = nil
    let n = KernelPreset.all.count
    let step = max(1, max(image.width, image.height) / (48 * zoom))
    let views = ImageLabScreen.pictureViews
    if view == .gradcam {
      switch key {
      case .left, .right, .up, .down, .char("+"), .char("-"), .char("0"): return .ignored
      case .char("g"):
        view = viewBeforeCAM
        prepareView()
        return .none
      case .char("]"), .char("["):
        return stepClass(key == .char("]") ? 1 : -1)
      default: break
      }
    }
    switch key {
    case .char("g"):
      viewBeforeCAM = view
      view = .gradcam
      return explanation == nil && waiting == nil ? explain() : .none
    case .char("m"):
      picker = FilePicker(directory: currentDirectory(), purpose: .model)
    case .char("v"):
      view = views[((views.firstIndex(of: view) ?? views.count - 1) + 1) % views.count]
    case .char(let c) where ("1"..."4").contains(c):
      view = views[c.wholeNumberValue! - 1]
    case .char("k"):
      setPreset(((presetIndex ?? n - 1) + 1) % n)
    case .char("K"):
      setPreset(((presetIndex ?? 0) + n - 1) % n)
    case .char("n"):
      let all = Normalization.allCases
      normalization = all[(all.firstIndex(of: normalization)! + 1) % all.count]
      normalizationChosen = true
      view = .filter
      renormalize()
    case .char("e"):
      view = .filter
      editor = CellEditor(target: 0, row: kernel.shape[1] / 2, col: kernel.shape[2] / 2)
    case .left: cursor.col = max(0, cursor.col - step)
    case .right: cursor.col = min(image.width - 1, cursor.col + step)
    case .up: cursor.row = max(0, cursor.row - step)
    case .down: cursor.row = min(image.height - 1, cursor.row + step)
    case .char("+"):
      zoom = ImageLabScreen.zoomLevels.first { $0 > zoom } ?? zoom
    case .char("-"):
      zoom = ImageLabScreen.zoomLevels.last { $0 < zoom } ?? zoom
    case .char("0"):
      zoom = 1
    case .char("c"):
      let p = patch
      let name = presetIndex.map { KernelPreset.all[$0].name }
      return .push(PushedScreen(ConvLabScreen(
        variant: .convolution, input: p.values, kernel: kernel, kernelName: name)))
    case .char("o"):
      picker = FilePicker(directory: currentDirectory())
    case .char("s"):
      save()
    default:
      return .ignored
    }
    prepareView()
    return .none
  }

  private mutating func edit(_ key: Key) -> Effect {
    guard var e = editor else { return .none }
    notice = nil
    switch e.handle(key, shapes: [(rows: kernel.shape[1], cols: kernel.shape[2])]) {
    case .none: break
    case .unused: return .ignored
    case .exit:
      editor = nil
      return .none
    case .invalid:
      notice = .text(T.notANumber)
    case .refused(let line):
      notice = .refused(line)
    case .store(let v):
      // The photo kernel is Float32 (filtering stays fast); a number it would show other than
      // as typed (16777217, 0.1234567891) is refused rather than silently rounded.
      let held = Float(v)
      guard NumberText.format(held) == NumberText.format(v) else {
        notice = .roundedByPhotoKernel(NumberText.format(v), NumberText.format(held))
        break
      }
      kernel[0, e.row, e.col] = held
      presetIndex = nil
      if !normalizationChosen { normalization = Normalization.default(forWeights: kernel.scalars) }
      refilter()
    }
    editor = e
    return .none
  }

  private mutating func pick(_ key: Key) -> Effect {
    guard var p = picker else { return .none }
    let outcome = p.handle(key)
    if p.purpose == .model {
      switch outcome {
      case .stay: picker = p
      case .ignored: return .ignored
      case .close: picker = nil
      case .sample, .open:
        picker = nil
        if case .open(let path) = outcome { classifier = .file(path) } else { classifier = .builtInDigits }
        explanation = nil
        if view != .gradcam { viewBeforeCAM = view }
        view = .gradcam
        return explain()
      }
      return .none
    }
    switch outcome {
    case .stay: picker = p
    case .ignored: return .ignored
    case .close: picker = nil
    case .sample:
      picker = nil
      load(labSamplePicture(), name: nil)
      notice = nil
      prepareView()
    case .open(let path):
      picker = nil
      open(path)
      prepareView()
    }
    // A new picture in the Grad-CAM view is explained at once.
    return view == .gradcam && explanation == nil && waiting == nil ? explain() : .none
  }

  // MARK: Grad-CAM

  /// Asks the worker for the map of `classIndex` (nil: the top class) of the current picture.
  private mutating func explain(classIndex: Int? = nil) -> Effect {
    requestCount += 1
    let request = GradCAMRequest(id: requestCount, classifier: classifier, image: image, classIndex: classIndex)
    waiting = request
    camProblem = nil
    return .perform(.explain(request))
  }

  /// The next (`by` 1) or previous (-1) class by probability, from the one last asked for.
  private mutating func stepClass(_ by: Int) -> Effect {
    guard let e = explanation, !e.ranking.isEmpty else { return .ignored }
    let current = waiting?.classIndex ?? e.map.classIndex
    let rank = e.ranking.firstIndex(of: current) ?? 0
    let next = e.ranking[(rank + by + e.ranking.count) % e.ranking.count]
    return explain(classIndex: next)
  }

  /// The worker's answer: kept when it answers the latest request.
  private mutating func receive(_ event: GradCAMEvent) {
    switch event {
    case .explained(let e) where e.requestID == waiting?.id:
      explanation = e
      waiting = nil
    case .failed(let id, let reason) where id == waiting?.id:
      camProblem = reason
      waiting = nil
    default:
      break
    }
  }

  // MARK: view

  public func title(_ env: Env) -> String { env.t(T.lessonImage) }

  public func status(_ env: Env) -> String {
    view == .gradcam ? "Grad-CAM" : env.t(viewName(view)) + "  " + env.t(T.labZoom, zoom)
  }

  private func viewName(_ v: View) -> T {
    switch v {
    case .original: return T.labOriginal
    case .gray: return T.labGray
    case .rgb: return T.labChannels
    case .filter: return T.labFilter
    case .gradcam: return T.labGradCAM
    }
  }

  public func hints(_ env: Env) -> [KeyHint] {
    if editor != nil { return editorHints(env, tabTargets: env.t(T.kernelWord)) }
    if let picker { return picker.hints(env) }
    if view == .gradcam {
      return [KeyHint("g", env.t(T.keyLabCAMBack))]
        + (explanation == nil ? [] : [KeyHint("[ ]", env.t(T.keyLabClass))])
        + [
          KeyHint("m", env.t(T.keyLabModel)), KeyHint("o", env.t(T.keyLabOpen)), KeyHint("s", env.t(T.keyLabSave)),
          KeyHint("v/1-4", env.t(T.keyLabView)), KeyHint("k/K", env.t(T.keyKernel)),
          KeyHint("n", env.t(T.keyLabNormalize)), KeyHint("c", env.t(T.keyLabPatch)), KeyHint("e", env.t(T.keyEdit)),
        ]
    }
    return [
      KeyHint("v/1-4", env.t(T.keyLabView)), KeyHint("g", env.t(T.keyLabCAM)), KeyHint("k/K", env.t(T.keyKernel)),
      KeyHint("n", env.t(T.keyLabNormalize)), KeyHint("←↑↓→", env.t(T.keyLabCursor)),
      KeyHint("+/-/0", env.t(T.keyLabZoom)), KeyHint("c", env.t(T.keyLabPatch)),
      KeyHint("e", env.t(T.keyEdit)), KeyHint("s", env.t(T.keyLabSave)),
      KeyHint("o", env.t(T.keyLabOpen)), KeyHint("m", env.t(T.keyLabModel)),
    ]
  }

  /// The help lists the Grad-CAM view's keys from any view.
  public func allHints(_ env: Env) -> [KeyHint] {
    let current = hints(env)
    guard editor == nil, picker == nil, view != .gradcam else { return current }
    return current + [KeyHint("[ ]", env.t(T.keyLabClassInCAM))]
  }

  /// The Grad-CAM view explains itself alone (its help fits 80x24); the picture views add a
  /// line pointing to it.
  public func helpText(_ env: Env) -> [String] {
    if view == .gradcam { return [env.t(T.helpLabCAM)] }
    return [env.t(T.helpLab1), env.t(T.helpLab2), env.t(T.helpLab3), env.t(T.helpLab4)]
  }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let sideWidth = area.width >= 110 ? 34 : 30
    let left = Rect(x: area.x, y: area.y, width: area.width - sideWidth - 1, height: area.height)
    let side = Rect(x: left.maxX + 1, y: area.y, width: sideWidth, height: area.height)

    // Top line: what is shown.
    let name = fileName ?? env.t(T.labSample)
    canvas.put(" " + name + "  " + image.summary, x: left.x, y: left.y, style: theme.muted, maxWidth: left.width)
    // Bottom lines: the last save or problem, wrapped (a path can be long), at most three.
    var noticeRows = 1
    if let notice = notice ?? (view == .gradcam ? camProblem.map(LabNotice.camFailed) : nil) {
      let (text, style) = noticeLine(notice, env)
      let lines = wrapText(text, width: area.width - 2, indent: "  ").suffix(3)
      noticeRows = max(1, lines.count)
      for (i, l) in lines.enumerated() {
        canvas.put(" " + l, x: area.x, y: area.maxY - lines.count + i, style: style, maxWidth: area.width)
      }
    }

    let panes: [(String, Picture)]
    switch view {
    case .original: panes = [(env.t(T.labOriginal), original)]
    case .gray:
      panes = [(env.t(T.labGrayAverage), grays.first ?? original), (env.t(T.labGrayLuminance), grays.last ?? original)]
    case .rgb:
      let names = ["R (Reds)", "G (Greens)", "B (Blues)"]
      panes = (0..<3).map { (names[$0], tints.count == 3 ? tints[$0] : original) }
    case .filter:
      let kname = presetIndex.map { KernelPreset.all[$0].name } ?? env.t(T.custom)
      // The longest title that fits the pane (the normalization is also in the side panel).
      let across = (left.width - 1) / 2
      let titles = [env.t(T.labFiltered, kname, normalization.rawValue), env.t(T.labFilteredShort, kname), kname]
      panes = [(env.t(T.labOriginal), original), (titles.first { $0.count <= across } ?? kname, result)]
    case .gradcam: panes = []
    }
    let paneTop = left.y + 1
    let paneHeight = left.height - 1 - noticeRows
    if view == .gradcam {
      let leftRect = Rect(x: left.x, y: paneTop, width: left.width, height: paneHeight)
      if let picker { drawPicker(picker, in: leftRect, &canvas, env) } else { drawCAM(in: leftRect, &canvas, env) }
      drawCAMSide(in: Rect(x: side.x, y: side.y, width: side.width, height: side.height - noticeRows), &canvas, env)
      return
    }
    if picker == nil {
      // Panes side by side or one above the other, whichever shows the picture larger.
      let n = panes.count
      func viewport(_ cols: Int, _ rows: Int) -> Viewport {
        Viewport(width: image.width, height: image.height, paneCols: cols, paneRows: rows - 1, zoom: zoom,
                 cursor: (cursor.col, cursor.row))
      }
      let across = (cols: (left.width - (n - 1)) / n, rows: paneHeight)
      let down = (cols: left.width, rows: paneHeight / n)
      let stacked = n > 1 && down.rows >= 3 && viewport(down.cols, down.rows).step < viewport(across.cols, across.rows).step
      let size = stacked ? down : across
      if size.rows >= 3, size.cols >= 4 {
        let v = viewport(size.cols, size.rows)
        for (i, (title, picture)) in panes.enumerated() {
          let x = left.x + (stacked ? 0 : i * (size.cols + 1))
          let y = paneTop + (stacked ? i * size.rows : 0)
          let dx = (size.cols - v.cols) / 2
          canvas.put(title, x: x + max(0, dx), y: y, style: theme.panelTitle, maxWidth: size.cols)
          drawPicture(
            picture, viewport: v, at: (x + dx, y + 1), cursor: (cursor.col, cursor.row), canvas: &canvas,
            colored: theme.colored)
        }
      }
    }
    if let picker { drawPicker(picker, in: Rect(x: left.x, y: paneTop, width: left.width, height: paneHeight), &canvas, env) }
    drawSide(in: Rect(x: side.x, y: side.y, width: side.width, height: side.height - noticeRows), &canvas, env)
  }

  private func noticeLine(_ n: LabNotice, _ env: Env) -> (String, Style) {
    switch n {
    case .saved(let path, let size): return (env.t(T.labSaved, path, size), env.theme.emphasis)
    case .saveFailed(let e): return (env.t(T.labSaveFailed, e.path + ": " + imageErrorReason(e.error, env)), env.theme.error)
    case .openFailed(let e): return (env.t(T.labOpenFailed, e.path + ": " + imageErrorReason(e.error, env)), env.theme.error)
    case .tooLarge(let path, let w, let h):
      return (env.t(T.labTooLarge, path, w, h, ImageLabScreen.maxPixels / 1_000_000), env.theme.error)
    case .text(let t): return (env.t(t), env.theme.error)
    case .camFailed(let reason): return (env.t(T.labCamFailed, env.lang == .es ? Spanish.line(reason) : reason), env.theme.error)
    case .refused(let line): return (env.lang == .es ? Spanish.line(line) : line, env.theme.error)
    case .roundedByPhotoKernel(let typed, let held): return (env.t(T.notExact, typed, held), env.theme.error)
    }
  }

  /// The photo and, beside it (or under it, whichever is larger), the map over what the network
  /// saw; "computing..." while the worker runs.
  private func drawCAM(in rect: Rect, _ canvas: inout Canvas, _ env: Env) {
    let theme = env.theme
    let shown = explanation.map { theme.colored ? $0.overlay : $0.heat }
    let rightTitle: String
    if let e = explanation {
      rightTitle = env.t(T.labCamOver, className(e.map.classIndex, e, env))
    } else {
      rightTitle = env.t(T.labGradCAM)
    }
    let parts: [(String, Picture?)] = [(env.t(T.labOriginal), original), (rightTitle, shown)]
    func fits(_ cols: Int, _ rows: Int) -> Double {
      // The smaller of the two pictures' scales in cells of this size.
      parts.map { p in
        let (w, h) = p.1.map { ($0.width, $0.height) } ?? (1, 1)
        return min(Double(cols) / Double(w), Double(2 * (rows - 1)) / Double(h))
      }.min() ?? 0
    }
    let across = (cols: (rect.width - 1) / 2, rows: rect.height)
    let down = (cols: rect.width, rows: rect.height / 2)
    let stacked = down.rows >= 3 && fits(down.cols, down.rows) > fits(across.cols, across.rows)
    let size = stacked ? down : across
    guard size.rows >= 3, size.cols >= 4 else { return }
    for (i, (title, picture)) in parts.enumerated() {
      let x = rect.x + (stacked ? 0 : i * (size.cols + 1))
      let y = rect.y + (stacked ? i * size.rows : 0)
      guard let picture else {
        canvas.put(title, x: x, y: y, style: theme.panelTitle, maxWidth: size.cols)
        let text = waiting != nil ? env.t(T.labCamComputing) : ""
        for (k, l) in wrapText(text, width: size.cols - 2).enumerated() where k < size.rows - 2 {
          canvas.put(l, x: x + 1, y: y + 2 + k, style: theme.emphasis, maxWidth: size.cols - 1)
        }
        continue
      }
      let v = Viewport(width: picture.width, height: picture.height, paneCols: size.cols, paneRows: size.rows - 1, zoom: 1,
                       cursor: (picture.width / 2, picture.height / 2))
      let dx = (size.cols - v.cols) / 2
      let fitted = title.count <= size.cols ? title : (i == 1 ? env.t(T.labGradCAM) : title)
      canvas.put(fitted, x: x + max(0, (size.cols - fitted.count) / 2), y: y, style: theme.panelTitle, maxWidth: size.cols)
      drawPicture(picture, viewport: v, at: (x + dx, y + 1), cursor: nil, canvas: &canvas, colored: theme.colored)
    }
  }

  /// The class's name (a named data set's in the screen's language; ImageNet's as Keras writes them).
  private func className(_ index: Int, _ e: GradCAMExplanation, _ env: Env) -> String {
    let name = index < e.names.count ? e.names[index] : String(index)
    // An unnamed output is "class N" (PretrainedModel.classNames): the table's "class {0}".
    if env.lang == .es, name.hasPrefix("class "), Int(name.dropFirst(6)) != nil { return Spanish.line(name) }
    return Spanish.text(name, env.lang)
  }

  /// The Grad-CAM panel: model, class, probability, layer, the top classes, the colours.
  private func drawCAMSide(in rect: Rect, _ canvas: inout Canvas, _ env: Env) {
    let theme = env.theme
    var lines: [(String, Style)] = [("Grad-CAM", theme.panelTitle)]
    let model: String
    switch classifier {
    case .builtInDigits: model = env.t(T.labBuiltInModel)
    case .file(let path, _): model = path.split(separator: "/").last.map(String.init) ?? path
    }
    lines.append((env.t(T.labCamModel, model), theme.text))
    if let e = explanation {
      let c = e.map.classIndex
      let rank = (e.ranking.firstIndex(of: c) ?? 0) + 1
      lines.append((env.t(T.labCamClass, className(c, e, env), rank, env.count(e.names.count)), theme.emphasis))
      lines.append((env.t(T.labCamProbability, NumberText.probability(e.map.probability)), theme.emphasis))
      lines.append((env.t(T.labCamLayer, e.map.layer, e.map.height, e.map.width), theme.text))
      if !e.map.values.contains(where: { $0 > 0 }) { lines.append((env.t(T.labCamZero), theme.muted)) }
    }
    if waiting != nil {
      let loading = explanation == nil || waiting?.classIndex == nil
      lines.append((loading ? env.t(T.labCamComputing) : env.t(T.labCamComputingClass), theme.emphasis))
    }
    var y = rect.y
    func put(_ text: String, _ style: Style) {
      for l in wrapText(text, width: rect.width, indent: "  ") where y < rect.maxY {
        canvas.put(l, x: rect.x, y: y, style: style, maxWidth: rect.width)
        y += 1
      }
    }
    for (text, style) in lines { put(text, style) }
    guard let e = explanation, y + 3 < rect.maxY else { return }
    y += 1
    put(env.t(T.labCamTop), theme.panelTitle)
    // The legend takes the last two rows; the top classes what is left (at most five).
    let room = min(5, e.ranking.count, rect.maxY - y - 3)
    let shownNames = e.ranking.prefix(max(0, room)).map { className($0, e, env) }
    let width = min(rect.width - 10, shownNames.map(\.count).max() ?? 1)
    for (i, c) in e.ranking.prefix(max(0, room)).enumerated() where y < rect.maxY {
      var name = shownNames[i]
      if name.count > width { name = String(name.prefix(max(1, width - 1))) + (canvas.unicode ? "…" : ".") }
      let mark = c == e.map.classIndex ? (canvas.unicode ? "›" : ">") : " "
      let text = mark + " " + name.padding(toLength: width, withPad: " ", startingAt: 0) + " " + NumberText.probability(e.map.probabilities[c])
      canvas.put(text, x: rect.x, y: y, style: c == e.map.classIndex ? theme.selected : theme.text, maxWidth: rect.width)
      y += 1
    }
    guard y + 2 <= rect.maxY else { return }
    y += 1
    // The colour scale: jet from 0 (blue) to the map's maximum (red).
    let low = env.t(T.labCamLow) + " "
    let high = " " + env.t(T.labCamHigh)
    let barWidth = max(4, min(16, rect.width - low.count - high.count))
    var x = canvas.put(low, x: rect.x, y: y, style: theme.muted)
    if theme.colored {
      for i in 0..<barWidth {
        let (r, g, b) = GradCAMPicture.jet(Float(i) / Float(barWidth - 1))
        canvas[x + i, y] = Cell(" ", Style(bg: paletteColor((Int(r), Int(g), Int(b)))))
      }
    } else {
      let ramp = Array(" .:-=+*#%@")
      for i in 0..<barWidth { canvas[x + i, y] = Cell(ramp[i * (ramp.count - 1) / (barWidth - 1)]) }
    }
    x += barWidth
    canvas.put(high, x: x, y: y, style: theme.muted)
  }

  private func drawPicker(_ p: FilePicker, in rect: Rect, _ canvas: inout Canvas, _ env: Env) {
    p.draw(in: rect, canvas: &canvas, env: env)
  }

  /// The kernel, the normalization and the pixel inspector.
  private func drawSide(in rect: Rect, _ canvas: inout Canvas, _ env: Env) {
    let theme = env.theme
    var y = rect.y
    // The kernel's name in the title when it fits there, else on the line under the panel.
    var kTitle = env.t(T.kernelTitle, "\(kernel.shape[1])x\(kernel.shape[2])")
    let kName = presetIndex.map { KernelPreset.all[$0].name } ?? env.t(T.custom)
    let nameInTitle = kTitle.count + 1 + kName.count + 4 <= rect.width
    if nameInTitle { kTitle += " " + kName }
    let e = editor
    let kernelPanel = MatrixPanel(
      title: kTitle, rows: kernel.shape[1], cols: kernel.shape[2],
      cellWidth: max(cellWidth(kernel.scalars), e.map { $0.buffer.count } ?? 0),
      cell: { r, c in
        if let e, e.row == r, e.col == c {
          return (e.buffer.isEmpty ? NumberText.format(kernel[0, r, c]) : e.buffer, theme.cursor)
        }
        return (NumberText.format(kernel[0, r, c]), theme.emphasis)
      },
      focus: e.map { ($0.row, $0.col) })
    let kh = min(kernelPanel.natural.height, rect.height)
    kernelPanel.draw(in: Rect(x: rect.x, y: y, width: min(rect.width, kernelPanel.natural.width), height: kh),
                     canvas: &canvas, env: env)
    y += kh
    var lines: [(String, Style)] = nameInTitle ? [] : [(kName, theme.panelTitle)]
    if let e {
      lines.append((env.t(T.editingCell, env.t(T.kernelWord), e.row, e.col), theme.emphasis))
    }
    lines.append(("n: " + normalization.rawValue + " " + env.t(normalizationSummary(normalization)), theme.text))
    lines.append(("  " + env.t(T.labValues, NumberText.format(resultRange.low), NumberText.format(resultRange.high)), theme.muted))
    for (text, style) in lines where y < rect.maxY {
      for l in wrapText(text, width: rect.width, indent: "  ") where y < rect.maxY {
        canvas.put(l, x: rect.x, y: y, style: style, maxWidth: rect.width)
        y += 1
      }
    }

    // The inspector: the gray values around the cursor, the cursor's own cell highlighted.
    let p = patch
    let pr = p.values.shape[1]
    let pc = p.values.shape[2]
    let patchPanel = MatrixPanel(
      title: env.t(T.labPatch, cursor.row, cursor.col), rows: pr, cols: pc, cellWidth: 3,
      cell: { r, c in
        let mine = p.row + r == cursor.row && p.col + c == cursor.col
        return (NumberText.format(p.values[0, r, c]), mine ? theme.window : theme.text)
      },
      focus: nil)
    let ph = min(patchPanel.natural.height, rect.maxY - y)
    guard ph >= 3 else { return }
    patchPanel.draw(in: Rect(x: rect.x, y: y, width: min(rect.width, patchPanel.natural.width), height: ph),
                    canvas: &canvas, env: env)
    y += ph
    var below: [(String, Style)] = []
    let (r, g, b) = original.rgb(cursor.col, cursor.row)
    below.append(((image.channels == 3 ? "RGB \(r), \(g), \(b)  " : "") + env.t(T.labGrayValue, NumberText.format(gray.planes[0, cursor.row, cursor.col])), theme.text))
    let raw = filtered.planes[0, cursor.row, cursor.col]
    let shown = result.pixels[cursor.row * result.width + cursor.col]
    below.append((env.t(T.labFilterAt, NumberText.format(raw), shown), theme.text))
    below.append((env.t(T.labPatchHint), theme.muted))
    for (text, style) in below where y < rect.maxY {
      for l in wrapText(text, width: rect.width, indent: "  ") where y < rect.maxY {
        canvas.put(l, x: rect.x, y: y, style: style, maxWidth: rect.width)
        y += 1
      }
    }
  }
}

/// A one-off line at the bottom of the lab, until the next key.
enum LabNotice: Equatable, Sendable {
  case saved(String, String)
  case saveFailed(LocatedImageError)
  case openFailed(LocatedImageError)
  case tooLarge(String, Int, Int)
  case text(T)
  /// Grad-CAM could not be computed: the engine's one line.
  case camFailed(String)
  /// A typed number the command line refuses too, as the engine words it (see CellEditor).
  case refused(String)
  /// A typed number the Float32 photo kernel would show otherwise: as typed, as it would be held.
  case roundedByPhotoKernel(String, String)
}

/// Why an image could not be read or written, in the screen's language. The system's own
/// words (libpng's, the OS's) are English: the Spanish screen says what kind of problem it is.
func imageErrorReason(_ e: ImageError, _ env: Env) -> String {
  guard env.lang == .es else { return e.description }
  switch e {
  case .corrupt: return env.t(T.labErrorCorrupt)
  case .unsupported: return env.t(T.labErrorUnsupported)
  case .tooLarge(let w, let h, let limit): return env.t(T.labErrorTooLarge, w, h, limit)
  case .io: return env.t(T.labErrorIO)
  case .outOfMemory: return env.t(T.labErrorMemory)
  }
}

/// The catalog line saying what a normalization does.
func normalizationSummary(_ n: Normalization) -> T {
  switch n {
  case .clip: return T.labNormClip
  case .abs: return T.labNormAbs
  case .minmax: return T.labNormMinmax
  case .offset: return T.labNormOffset
  }
}
