import ConvKit
import ConvTerminal

/// Which step of a trace is shown, and the play clock: the keys every step-by-step lesson
/// shares (Right/Space, Left, Home, End, p, +/-).
struct StepClock: Equatable, Sendable {
  var index = 0
  var playing = false
  var speedIndex = 2

  var interval: Double? { playing ? 1 / playSpeeds[speedIndex] : nil }

  /// Keeps the index inside `0..<count` after the trace changed.
  mutating func clamp(_ count: Int) {
    index = min(index, max(0, count - 1))
    if count == 0 { playing = false }
  }

  /// Applies a navigation key or tick; false when the message is not one of these.
  mutating func handle(_ msg: Msg, count: Int) -> Bool {
    let last = max(0, count - 1)
    switch msg {
    case .tick:
      if playing {
        if index < last { index += 1 } else { playing = false }
      }
    case .key(.right), .key(.char(" ")): index = min(last, index + 1)
    case .key(.left): index = max(0, index - 1)
    case .key(.home): index = 0
    case .key(.end): index = last
    case .key(.char("p")):
      if index == last && !playing { index = 0 }
      playing.toggle()
    case .key(.char("+")): speedIndex = min(playSpeeds.count - 1, speedIndex + 1)
    case .key(.char("-")): speedIndex = max(0, speedIndex - 1)
    default:
      return false
    }
    return true
  }

  func status(_ env: Env, count: Int) -> String {
    guard count > 0 else { return "" }
    var s = env.t(T.stepOf, index + 1, count)
    if playing { s += "  " + env.t(T.playingAt, NumberText.format(playSpeeds[speedIndex])) }
    return s
  }

  /// The clock's keys; p says what it will do now (play, or pause while playing).
  func hints(_ env: Env) -> [KeyHint] {
    [
      KeyHint("→/Space", env.t(T.keyNext)), KeyHint("←", env.t(T.keyPrev)),
      KeyHint("Home/End", env.t(T.keyFirstLast)), KeyHint("p", env.t(playing ? T.keyPause : T.keyPlay)),
      KeyHint("+/-", env.t(T.keySpeed)),
    ]
  }
}
