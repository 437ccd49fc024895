import ConvData
import ConvUserData

/// Work a screen asks the runner to do (`Effect.perform`). The screen never starts threads or
/// writes files itself; `Workers` performs these and its reports come back as `Msg`s.
public enum Command: Equatable, Sendable {
  /// Train (or fine-tune) on the worker thread; progress arrives as `Msg.training`.
  case startTraining(TrainingConfig)
  case pauseTraining(Bool)
  case stopTraining
  /// Save the last trained network: `.saved` or `.saveFailed` comes back.
  case saveModel(path: String, metadata: [String: String])
  /// Download a data set: `.fetchProgress`, then `.fetched` or `.failed`.
  case fetchData(DataSource, directory: String?, environment: [String: String])
  /// Remember the training screen's settings (the app's `Env.trainingSettings`: memory and the
  /// user's data directory), so that reopening the screen starts from them.
  case keepTrainingSettings(TrainingSettings)
  /// Grad-CAM of a photo (the image lab): `Msg.gradCAM` comes back.
  case explain(GradCAMRequest)
}
