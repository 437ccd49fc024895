import ConvTerminal

/// The playground's styles by role. With colour, roles differ by colour (and keep bold where it
/// helps); without colour (NO_COLOR, monochrome terminals) meaning is carried by reverse, bold,
/// dim and underline, so every highlight stays visible.
public struct Theme: Sendable {
  public var colored: Bool

  public var title: Style
  public var border: Style
  public var panelTitle: Style
  public var helpKey: Style
  public var helpText: Style
  public var text: Style
  public var muted: Style
  public var emphasis: Style
  /// Input cells under the kernel window.
  public var window: Style
  /// The ring of padding zeros.
  public var padding: Style
  /// Padding zeros under the window.
  public var paddingInWindow: Style
  /// The winning cell of a max-pooling window.
  public var winner: Style
  /// The output cell being computed.
  public var current: Style
  /// Output cells already computed.
  public var done: Style
  /// Output cells still to come.
  public var pending: Style
  /// The cell being edited.
  public var cursor: Style
  public var error: Style
  public var selected: Style
  /// R, G and B channel accents.
  public var channels: [Style]

  public init(colored: Bool) {
    self.colored = colored
    if colored {
      title = Style(fg: Color(231), bg: Color(24), bold: true)
      border = Style(fg: Color(244))
      panelTitle = Style(fg: Color(117), bold: true)
      helpKey = Style(fg: Color(16), bg: Color(250), bold: true)
      helpText = Style(fg: Color(252))
      text = .plain
      muted = Style(fg: Color(245))
      emphasis = Style(fg: Color(221), bold: true)
      window = Style(fg: Color(16), bg: Color(215), bold: true)
      padding = Style(fg: Color(141))
      paddingInWindow = Style(fg: Color(16), bg: Color(183), bold: true)
      winner = Style(fg: Color(16), bg: Color(120), bold: true, underline: true)
      current = Style(fg: Color(16), bg: Color(215), bold: true)
      done = Style(fg: Color(151))
      pending = Style(fg: Color(240))
      cursor = Style(fg: Color(16), bg: Color(51), bold: true, underline: true)
      error = Style(fg: Color(203), bold: true)
      selected = Style(fg: Color(16), bg: Color(117), bold: true)
      channels = [
        Style(fg: Color(203), bold: true), Style(fg: Color(113), bold: true),
        Style(fg: Color(75), bold: true),
      ]
    } else {
      title = Style(reverse: true)
      border = .plain
      panelTitle = Style(bold: true)
      helpKey = Style(reverse: true)
      helpText = .plain
      text = .plain
      muted = Style(dim: true)
      emphasis = Style(bold: true)
      window = Style(reverse: true)
      padding = Style(dim: true)
      paddingInWindow = Style(dim: true, reverse: true)
      winner = Style(bold: true, reverse: true, underline: true)
      current = Style(bold: true, reverse: true)
      done = .plain
      pending = Style(dim: true)
      cursor = Style(bold: true, underline: true)
      error = Style(bold: true)
      selected = Style(reverse: true)
      channels = [Style(bold: true), Style(bold: true), Style(bold: true)]
    }
  }
}
