import Foundation

/// The runner's side of `Effect.perform`: it owns the worker threads (today the training
/// session), performs screens' commands and hands back what the workers report as messages,
/// addressed to the screen that asked.
public final class Workers: @unchecked Sendable {
  public let training: TrainingSession
  /// The image lab's Grad-CAM (`Command.explain`).
  public let gradCAM: GradCAMWorker
  private let lock = NSLock()
  /// The id of the screen that last gave a training command: its messages go there.
  private var trainingOwner: String?

  public init(training: TrainingSession = TrainingSession(), gradCAM: GradCAMWorker = GradCAMWorker()) {
    self.training = training
    self.gradCAM = gradCAM
  }

  /// Performs `command` for the screen with id `screen`.
  public func perform(_ command: Command, for screen: String) {
    if case .explain(let request) = command {
      gradCAM.submit(request, for: screen)
      return
    }
    lock.withLock { trainingOwner = screen }
    switch command {
    case .startTraining(let config):
      if !training.start(config) { training.push(.failed("the previous run is still stopping: try again in a moment")) }
    case .pauseTraining(let paused): training.setPaused(paused)
    case .stopTraining: training.stop()
    case .saveModel(let path, let metadata):
      do {
        try training.save(to: path, metadata: metadata)
        training.push(.saved(path: path))
      } catch {
        training.push(.saveFailed(String(describing: error)))
      }
    case .fetchData(let dataset, let directory, let environment):
      training.fetch(dataset, into: directory, environment: environment)
    case .keepTrainingSettings:
      break  // kept by the app, which holds the Env (PlaygroundApp.perform)
    case .explain:
      break  // above: its own thread, its own owner
    }
  }

  /// What the workers reported since the last call, each with the id of the screen it is for.
  public func drain() -> [(screen: String, msg: Msg)] {
    let explained = gradCAM.drain().map { ($0.screen, Msg.gradCAM($0.event)) }
    let events = training.drain()
    guard !events.isEmpty, let owner = lock.withLock({ trainingOwner }) else { return explained }
    return events.map { (owner, Msg.training($0)) } + explained
  }
}
