/// A key press, independent of ncurses: what screens receive and tests script.
public enum Key: Hashable, Sendable {
  case char(Character)
  case up, down, left, right
  case home, end, pageUp, pageDown
  case enter, escape, tab, backTab, backspace, delete
  /// The terminal changed size.
  case resize

  /// Keys written as tmux names them, for scripted tests: "Right", "Space", "End", "q", "BTab".
  public init?(name: String) {
    switch name {
    case "Up": self = .up
    case "Down": self = .down
    case "Left": self = .left
    case "Right": self = .right
    case "Home": self = .home
    case "End": self = .end
    case "PageUp", "PPage": self = .pageUp
    case "PageDown", "NPage": self = .pageDown
    case "Enter": self = .enter
    case "Escape", "Esc": self = .escape
    case "Tab": self = .tab
    case "BTab": self = .backTab
    case "BSpace": self = .backspace
    case "DC": self = .delete
    case "Space": self = .char(" ")
    default:
      guard name.count == 1, let c = name.first else { return nil }
      self = .char(c)
    }
  }

  /// A space-separated list of key names, e.g. "Right Right End q".
  public static func script(_ names: String) -> [Key] {
    names.split(separator: " ").map { name in
      guard let k = Key(name: String(name)) else {
        preconditionFailure("unknown key name '\(name)' in a test script")
      }
      return k
    }
  }
}
