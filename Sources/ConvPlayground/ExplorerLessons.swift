/// Home's entries for the backpropagation, network and transposed-convolution lessons, kept
/// apart from `Lesson.standard`'s list so that adding them is one line there.
extension Lesson {
  static let explorerLessons: [Lesson] = [
    Lesson(
      id: "network", title: ExplorerText.lessonNetwork, blurb: ExplorerText.lessonNetworkBlurb,
      command: "convplay tui --screen network"
    ) { _ in NetworkScreen.builtIn() },
    Lesson(
      id: "backprop", title: ExplorerText.lessonBackprop, blurb: ExplorerText.lessonBackpropBlurb, command: "convplay step --backward --plain"
    ) { _ in BackpropScreen() },
    Lesson(
      id: "transposed", title: ExplorerText.lessonTransposed, blurb: ExplorerText.lessonTransposedBlurb,
      command: "convplay tui --screen transposed --stride 2"
    ) { _ in TransposedScreen() },
  ]
}
