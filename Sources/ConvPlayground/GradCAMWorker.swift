import ConvImageIO
import ConvKit
import ConvPretrained
import Foundation

/// The classifier the image lab explains with.
public enum ClassifierChoice: Equatable, Sendable {
  /// The digit model convplay ships, fed as `convplay predict` feeds it.
  case builtInDigits
  /// A model file (any format `WeightsLoader` reads), on `architecture` when the file does not
  /// name one (`tui --weights FILE --model vgg16`).
  case file(String, architecture: ArchitectureChoice? = nil)
}

/// An architecture given by name or spec, compared by that text (a `WeightsArchitecture` holds
/// a whole graph).
public struct ArchitectureChoice: Equatable, Sendable {
  public var text: String
  public var architecture: WeightsArchitecture
  public init(text: String, architecture: WeightsArchitecture) {
    self.text = text
    self.architecture = architecture
  }
  public static func == (a: ArchitectureChoice, b: ArchitectureChoice) -> Bool { a.text == b.text }
}

/// Explain `image` with `classifier`: Grad-CAM for `classIndex` (nil: the top class).
public struct GradCAMRequest: Equatable, Sendable {
  /// Answers carry it back, so a screen keeps only the answer to its latest question.
  public var id: Int
  public var classifier: ClassifierChoice
  /// The photo, 0...255.
  public var image: Image
  public var classIndex: Int?
}

/// What the worker found: the engine's map and what the lab draws from it.
public struct GradCAMExplanation: Equatable, Sendable {
  public var requestID: Int
  /// "built-in digits model" or the file's name.
  public var model: String
  /// `Network.gradCAM`'s answer, as it gave it.
  public var map: GradCAMMap
  public var names: [String]
  /// The class indices by probability, highest first.
  public var ranking: [Int]
  /// What the network saw (0...255, its input size).
  public var seen: Image
  /// `GradCAMPicture.overlay(map, over: seen)`: the picture `--explain-out` writes.
  var overlay: Picture
  /// The map alone in gray, for terminals without colour.
  var heat: Picture

  public var overlayImage: Image { GradCAMPicture.overlay(map, over: seen) }
}

public enum GradCAMEvent: Equatable, Sendable {
  case explained(GradCAMExplanation)
  /// One line saying why (a file that is not a classifier, a model without a convolution...).
  case failed(requestID: Int, String)
}

/// The runner's Grad-CAM thread: loading a model and running it forward and back can take
/// seconds (VGG16), so it happens here, never in a screen's `update`. Only the latest request
/// waits (a key pressed again replaces the one not started); the last classifier stays loaded,
/// so explaining another class does not read the file again.
public final class GradCAMWorker: @unchecked Sendable {
  private let lock = NSLock()
  private var pending: (request: GradCAMRequest, screen: String)?
  private var running = false
  private var events: [(screen: String, event: GradCAMEvent)] = []
  /// Touched only by the thread running `compute` (one at a time).
  private var loaded: (choice: ClassifierChoice, classifier: PhotoClassifier)?

  public init() {}

  /// Queues `request` for the screen with id `screen` and starts the thread if it is idle.
  public func submit(_ request: GradCAMRequest, for screen: String) {
    let start = lock.withLock { () -> Bool in
      pending = (request, screen)
      if running { return false }
      running = true
      return true
    }
    guard start else { return }
    let thread = Thread { [self] in
      while let next = lock.withLock({ () -> (request: GradCAMRequest, screen: String)? in
        let p = pending
        pending = nil
        if p == nil { running = false }
        return p
      }) {
        let event = compute(next.request)
        lock.withLock { events.append((next.screen, event)) }
      }
    }
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// True while a request waits or runs.
  public var isBusy: Bool { lock.withLock { running || pending != nil } }

  /// Answers since the last call, oldest first, each with the screen that asked.
  public func drain() -> [(screen: String, event: GradCAMEvent)] {
    lock.withLock {
      let e = events
      events.removeAll()
      return e
    }
  }

  /// Answers `request` on the calling thread (the worker's; tests call it directly on a worker
  /// of their own): the classifier (loaded once), its input, `PhotoClassifier.explain`.
  public func compute(_ request: GradCAMRequest) -> GradCAMEvent {
    do {
      let classifier = try self.classifier(request.classifier)
      let (map, seen) = try classifier.explain(request.image, classIndex: request.classIndex)
      let ranking = map.probabilities.indices.sorted { map.probabilities[$0] > map.probabilities[$1] }
      let overlay = GradCAMPicture.overlay(map, over: seen)
      let heat = GradCAMPicture.heat(map, height: overlay.height, width: overlay.width)
      return .explained(GradCAMExplanation(
        requestID: request.id, model: classifier.label, map: map, names: classifier.names, ranking: ranking,
        seen: seen, overlay: Picture(overlay), heat: Picture(heat)))
    } catch {
      return .failed(requestID: request.id, GradCAMWorker.line(error))
    }
  }

  private func classifier(_ choice: ClassifierChoice) throws -> PhotoClassifier {
    if let loaded, loaded.choice == choice { return loaded.classifier }
    loaded = nil  // the old network's memory goes before the new one is read
    let c: PhotoClassifier
    switch choice {
    case .builtInDigits: c = try PhotoClassifier.builtInDigits()
    case .file(let path, let architecture):
      c = try PhotoClassifier.load(URL(fileURLWithPath: path), architecture: architecture?.architecture)
    }
    loaded = (choice, c)
    return c
  }

  /// An error as one printable line: names read from a damaged file may hold control characters.
  static func line(_ error: any Error) -> String {
    let text: String
    if let e = error as? ModelSpecError { text = e.message } else { text = String(describing: error) }
    return String(text.unicodeScalars.map { s -> Character in
      s.properties.generalCategory == .control || s == "\u{FFFD}" ? " " : Character(s)
    })
  }
}
