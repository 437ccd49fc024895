import ArgumentParser
import ConvCourse
import ConvImageIO
import ConvKit
import ConvPretrained

// Enum-like options are typed values: ArgumentParser checks them, lists the choices in --help
// ("values: max, avg") and offers them to shell completion (`convplay --generate-completion-script`).
extension PoolMode: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension Normalization: ExpressibleByArgument {}
extension GrayMethod: ExpressibleByArgument {}
extension Preprocessing: ExpressibleByArgument {}
extension WeightLayout: ExpressibleByArgument {}
extension PretrainedBase.Pooling: ExpressibleByArgument {}

/// `--topic`: one of the quiz's topics, or all of them mixed.
enum QuizTopicChoice: String, CaseIterable, ExpressibleByArgument {
  case shapes, params, pooling, models, blocks, mixed

  var selection: QuizSelection { QuizSelection(rawValue)! }
}

/// `--padding` of pooling: Keras's two keywords.
enum PoolPaddingChoice: String, CaseIterable, ExpressibleByArgument {
  case valid, same

  var padding: Padding { self == .valid ? .valid : .same }
}

/// `--padding` of a convolution: the keywords `valid` and `same`, or N zeros on every side.
/// Help and completion list the keywords; a number is parsed as well.
struct PaddingChoice: ExpressibleByArgument {
  var padding: Padding

  init(_ padding: Padding) { self.padding = padding }

  init?(argument: String) {
    guard let p = Padding(parsing: argument) else { return nil }
    padding = p
  }

  var defaultValueDescription: String { padding.description }
  static var allValueStrings: [String] { ["valid", "same"] }
  static var defaultCompletionKind: CompletionKind { .list(["valid", "same", "0", "1", "2"]) }
}
