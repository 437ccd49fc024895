import ConvData
import ConvKit
import ConvTerminal
import Foundation

/// Classifies drawn digits with a network. A class with a lock: `Network` is a reference type
/// whose layers keep their last activations, so calls are serialized.
public final class DigitPredictor: @unchecked Sendable {
  private let lock = NSLock()
  private let network: Network?
  public let problem: String?

  /// The model convplay ships (ConvData's DefaultModel), or the reason it failed to load.
  public static let builtIn: DigitPredictor = {
    do {
      return DigitPredictor(network: try DefaultModel.load().network)
    } catch {
      return DigitPredictor(problem: String(describing: error))
    }
  }()

  public init(network: Network) {
    self.network = network
    problem = nil
  }

  init(problem: String) {
    network = nil
    self.problem = problem
  }

  /// Class probabilities of one 28x28 image (values in [0, 1]).
  public func probabilities(_ pixels: [Float]) -> [Float]? {
    guard let network else { return nil }
    return lock.withLock { network.predict(Tensor(shape: [1, 28, 28, 1], scalars: pixels)).scalars }
  }
}

/// Draw-a-digit: a 28x28 canvas painted with the keys, and the built-in model's top 3, updated
/// after each stroke. The drawing is prepared as `predict` prepares a photo (cropped, scaled
/// to 20x20 and centred by mass, as MNIST was made), so a digit drawn off-centre still works.
public struct DigitScreen: Screen {
  public let id = "digit"
  public private(set) var pixels = [Float](repeating: 0, count: 28 * 28)
  public private(set) var cursor = (x: 14, y: 14)
  public private(set) var penDown = false
  public private(set) var erasing = false
  public private(set) var top: [(label: Int, probability: Float)] = []
  var problem: String?
  let predictor: DigitPredictor

  public init(predictor: DigitPredictor = .builtIn) {
    self.predictor = predictor
    problem = predictor.problem
  }

  public func title(_ env: Env) -> String { env.t(T.digitTitle) }
  public func status(_ env: Env) -> String { env.t(T.digitPosition, cursor.y, cursor.x) }

  public func hints(_ env: Env) -> [KeyHint] {
    [
      KeyHint("←↑↓→", env.t(T.digitKeyMove)), KeyHint("Space", env.t(T.digitKeyPaint)), KeyHint("d", env.t(T.digitKeyPen)),
      KeyHint("e", env.t(T.digitKeyErase)), KeyHint("c", env.t(T.digitKeyClear)),
      KeyHint("Enter", env.t(XT.netKeyLayers)),
    ]
  }

  public func helpText(_ env: Env) -> [String] { [env.t(T.helpDigit1)] }

  public mutating func update(_ msg: Msg, env: Env) -> Effect {
    guard case .key(let key) = msg else { return .none }
    switch key {
    case .left: move(-1, 0)
    case .right: move(1, 0)
    case .up: move(0, -1)
    case .down: move(0, 1)
    case .char(" "): paint()
    case .char("d"):
      penDown.toggle()
      if penDown { paint() }
    case .char("e"): erasing.toggle()
    case .char("c"):
      pixels = [Float](repeating: 0, count: 28 * 28)
      top = []
    case .enter:
      // The drawing through the network explorer, layer by layer down to the softmax.
      guard !top.isEmpty, let screen = NetworkScreen.drawing(pixels) else { return .none }
      return .push(PushedScreen(screen))
    default: return .ignored
    }
    return .none
  }

  private mutating func move(_ dx: Int, _ dy: Int) {
    cursor = (min(27, max(0, cursor.x + dx)), min(27, max(0, cursor.y + dy)))
    if penDown { paint() }
  }

  /// A soft round brush about two pixels wide, like MNIST's pen strokes.
  private mutating func paint() {
    for dy in -1...1 {
      for dx in -1...1 {
        let x = cursor.x + dx
        let y = cursor.y + dy
        guard x >= 0, x < 28, y >= 0, y < 28 else { continue }
        let strength: Float = dx == 0 && dy == 0 ? 1 : (dx == 0 || dy == 0 ? 0.6 : 0.25)
        let i = y * 28 + x
        pixels[i] = erasing ? max(0, pixels[i] - strength) : max(pixels[i], strength)
      }
    }
    predict()
  }

  private mutating func predict() {
    guard pixels.contains(where: { $0 > 0.5 }) else {
      top = []
      return
    }
    do {
      let prepared = try DigitPreprocessing.mnistStyle(gray: pixels.map { $0 * 255 }, width: 28, height: 28)
      if let p = predictor.probabilities(prepared) { top = DigitPreprocessing.top(3, of: p) }
    } catch {
      top = []
    }
  }

  public func view(into canvas: inout Canvas, area: Rect, env: Env) {
    let theme = env.theme
    let box = Rect(x: area.x + 1, y: area.y, width: 28 + 2, height: 14 + 2)
    canvas.box(box, title: "28x28", style: theme.border, titleStyle: theme.panelTitle)
    drawPlane(GrayPlane(width: 28, height: 28, values: pixels), x: box.x + 1, y: box.y + 1, low: 0, high: 1,
              canvas: &canvas, theme: theme)
    // The cursor: its cell is marked, and the half (top/bottom pixel) it is on.
    let cx = box.x + 1 + cursor.x
    let cy = box.y + 1 + cursor.y / 2
    let glyph: Character = canvas.unicode ? (cursor.y % 2 == 0 ? "▀" : "▄") : "+"
    canvas[cx, cy] = Cell(glyph, theme.colored ? Style(fg: erasing ? Color(203) : Color(51)) : theme.cursor)
    var y = area.y
    let x = box.maxX + 3
    let width = area.maxX - x - 1
    for l in wrapText(env.t(T.digitPrompt), width: width) {
      canvas.put(l, x: x, y: y, style: theme.text)
      y += 1
    }
    y += 1
    canvas.put(env.t(T.digitPen, env.t(penDown ? T.digitOn : T.digitOff), env.t(erasing ? T.digitKeyErase : T.digitKeyPaint)),
               x: x, y: y, style: theme.muted)
    y += 2
    if let problem {
      for l in wrapText(env.t(T.trFailed, problem), width: width) {
        canvas.put(l, x: x, y: y, style: theme.error)
        y += 1
      }
      return
    }
    canvas.put(env.t(T.digitTop), x: x, y: y, style: theme.panelTitle)
    y += 1
    if top.isEmpty {
      for l in wrapText(env.t(T.digitEmpty), width: width) {
        canvas.put(l, x: x, y: y, style: theme.muted)
        y += 1
      }
      return
    }
    for (rank, entry) in top.enumerated() {
      let bar = progressBar(Double(entry.probability), width: max(5, min(20, width - 16)), unicode: canvas.unicode)
      let p = NumberText.probability(entry.probability)
      canvas.put("\(rank + 1). \(entry.label)  \(p) \(bar)", x: x, y: y, style: rank == 0 ? theme.emphasis : theme.text)
      y += 1
    }
  }
}
