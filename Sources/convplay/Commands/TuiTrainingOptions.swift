import ArgumentParser
import ConvData
import ConvKit
import ConvPlayground

/// `tui --screen train`'s starting choices (all can be changed on the screen).
struct TuiTrainingOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("train: a model name, a model spec, or a file holding one.", valueName: "NAME|SPEC|FILE"))
  var model: String?

  @Option(name: .long, help: ArgumentHelp("train: mnist or fashion-mnist.", valueName: "NAME"))
  var dataset: String?

  @Option(name: .long, help: ArgumentHelp("train: folder with the four IDX files.", valueName: "DIR"))
  var data: String?

  @Option(name: .long, help: ArgumentHelp("train: use only the first N training and N test images.", valueName: "N"))
  var limit: Int?

  @Option(name: .long, help: ArgumentHelp("train: passes over the training images.", valueName: "N"))
  var epochs: Int?

  @Option(name: .long, help: ArgumentHelp("train: where w saves the trained weights.", valueName: "FILE"))
  var save: String?

  func screen() throws -> TrainingScreen {
    let (name, spec) = try resolveModel(model ?? "cnn", inputShape: [28, 28, 1])
    guard case .idx(let set) = try DatasetOptions.parse(dataset.map { ["--dataset", $0] } ?? []).resolveDataset() else {
      throw CLIFailure("the training screen reads mnist or fashion-mnist; train on \(dataset ?? "") with `convplay train --dataset \(dataset ?? "")`")
    }
    if let limit, limit < 1 { throw CLIFailure("--limit must be at least 1 (got \(limit))") }
    if let epochs, !(1...50).contains(epochs) { throw CLIFailure("--epochs must be between 1 and 50 (got \(epochs))") }
    let config = TrainingConfig(
      modelName: name, spec: spec, dataset: set, epochs: epochs ?? 3, limit: limit, dataDirectory: data)
    return TrainingScreen(config: config, savePath: save)
  }
}
