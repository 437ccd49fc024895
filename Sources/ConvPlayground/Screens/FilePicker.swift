import ConvTerminal
import Glibc

/// The image lab's file picker: the built-in sample, the parent folder, the subfolders and the
/// PNG and JPEG files of a folder (or, to choose a classifier, the built-in digits model and
/// the model files: convplay's, Keras's, PyTorch's). Enter opens a file or goes into a folder, ← or Backspace goes
/// up, and / types a path (relative to the folder shown, ~ for the home folder).
///
/// The picker only says what the user chose (`Outcome`); the lab opens the file.
struct FilePicker: Equatable, Sendable {
  enum Entry: Equatable, Sendable {
    case sample, parent, folder(String), image(String)
  }

  /// What is being chosen: a picture, or a model (then `.sample` is the built-in digits model).
  enum Purpose: Equatable, Sendable {
    case image, model

    /// The file name endings listed.
    var extensions: [String] {
      switch self {
      case .image: return [".png", ".jpg", ".jpeg"]
      case .model: return [".safetensors", ".h5", ".keras", ".pth", ".pt", ".npz"]
      }
    }
  }

  enum Outcome: Equatable {
    /// Still choosing (or typing).
    case stay
    /// Not a picker key.
    case ignored
    case close
    case sample
    case open(String)
  }

  /// The folder listed, as an absolute path without a trailing slash (except "/").
  private(set) var directory: String
  let purpose: Purpose
  private(set) var entries: [Entry] = []
  var selected = 0
  /// The path being typed after `/`, nil while choosing from the list.
  private(set) var typed: String?
  /// A path that was typed and does not exist (shown until the next key).
  private(set) var missing: String?

  /// Folders with more entries are listed up to this many (a picker, not a file manager).
  static let maxEntries = 2000

  init(directory: String, purpose: Purpose = .image) {
    self.directory = FilePicker.normalized(directory)
    self.purpose = purpose
    list()
  }

  /// Loads the entries of `directory` and selects the first image, if any.
  private mutating func list() {
    let (folders, images) = listFolder(directory, limit: FilePicker.maxEntries, extensions: purpose.extensions)
    entries = [.sample] + (directory == "/" ? [] : [.parent]) + folders.map(Entry.folder) + images.map(Entry.image)
    selected = entries.firstIndex { if case .image = $0 { return true } else { return false } } ?? 0
  }

  private func path(of name: String) -> String {
    directory == "/" ? "/" + name : directory + "/" + name
  }

  private mutating func enter(_ folder: String) {
    directory = FilePicker.normalized(folder)
    list()
  }

  private mutating func goUp() {
    guard directory != "/" else { return }
    let parts = directory.split(separator: "/")
    let child = parts.last.map(String.init)
    enter("/" + parts.dropLast().joined(separator: "/"))
    // Keep the folder we came from selected, as file managers do.
    if let child, let i = entries.firstIndex(of: .folder(child)) { selected = i }
  }

  mutating func handle(_ key: Key) -> Outcome {
    missing = nil
    if typed != nil { return handleTyping(key) }
    let count = entries.count
    switch key {
    case .up: selected = (selected + count - 1) % count
    case .down: selected = (selected + 1) % count
    case .home: selected = 0
    case .end: selected = count - 1
    case .pageUp: selected = max(0, selected - 10)
    case .pageDown: selected = min(count - 1, selected + 10)
    case .left, .backspace: goUp()
    case .enter, .right:
      switch entries[selected] {
      case .sample: return .sample
      case .parent: goUp()
      case .folder(let name): enter(path(of: name))
      case .image(let name): return .open(path(of: name))
      }
    case .char("/"):
      typed = directory == "/" ? "/" : directory + "/"
    case .escape, .char("o"), .char("q"):
      return .close
    default:
      return .ignored
    }
    return .stay
  }

  private mutating func handleTyping(_ key: Key) -> Outcome {
    guard var text = typed else { return .stay }
    switch key {
    case .escape:
      typed = nil
      return .stay
    case .backspace:
      if !text.isEmpty { text.removeLast() }
    case .enter:
      let target = resolve(text)
      typed = nil
      switch fileKind(target) {
      case .folder: enter(target)
      case .file: return .open(target)
      case .none: missing = text
      }
      return .stay
    case .char(let c):
      if text.count < 4096 { text.append(c) }
    default:
      return .ignored
    }
    typed = text
    return .stay
  }

  /// A typed path made absolute: `~` is the home folder, a relative path starts at `directory`.
  func resolve(_ text: String) -> String {
    var t = text
    if t == "~" || t.hasPrefix("~/"), let home = getenv("HOME") {
      t = String(cString: home) + t.dropFirst()
    }
    if !t.hasPrefix("/") { t = path(of: t) }
    return t
  }

  /// "/a/./b/../c/" -> "/a/c".
  static func normalized(_ path: String) -> String {
    var parts: [Substring] = []
    for p in path.split(separator: "/") {
      if p == "." || p.isEmpty { continue }
      if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
      parts.append(p)
    }
    return "/" + parts.joined(separator: "/")
  }

  func hints(_ env: Env) -> [KeyHint] {
    if typed != nil {
      return [
        KeyHint("Chars", env.t(T.labKeyTypePath)), KeyHint("Enter", env.t(T.keyOpen)),
        KeyHint("BSpace", env.t(T.keyQuizErase)),
        KeyHint("Esc", env.t(T.labKeyCancelPath)),
      ]
    }
    return [
      KeyHint("↑↓", env.t(T.keyChoose)), KeyHint("Enter/→", env.t(T.keyOpen)),
      KeyHint("←/BSpace", env.t(T.labKeyUp)), KeyHint("/", env.t(T.labKeyTypePath)),
      KeyHint("Home/End", env.t(T.keyFirstLast)), KeyHint("PgUp/PgDn", env.t(T.labKeyPage)),
      KeyHint("Esc/o/q", env.t(T.keyBack)),
    ]
  }

  func draw(in rect: Rect, canvas: inout Canvas, env: Env) {
    let theme = env.theme
    let ellipsis = canvas.unicode ? "…" : "..."
    // A path's end says where it leads: a path too long for `room` keeps its end.
    func fit(_ path: String, _ room: Int) -> String {
      path.count <= room ? path : ellipsis + String(path.suffix(max(1, room - ellipsis.count)))
    }
    let title = purpose == .image ? T.labPickerTitle : T.labModelPickerTitle
    let shown = fit(directory, rect.width - 4 - env.t(title, "").count)
    canvas.box(rect, title: env.t(title, shown), style: theme.border, titleStyle: theme.panelTitle)
    let labels = entries.map { e -> String in
      switch e {
      case .sample: return "* " + env.t(purpose == .image ? T.labSample : T.labBuiltInModel)
      case .parent: return "../"
      case .folder(let name): return name + "/"
      case .image(let name): return name
      }
    }
    // The last inside rows are kept for the typed path or the problem (wrapped, up to three).
    let problem = missing.map {
      wrapText(env.t(T.labNoSuchPath, fit($0, rect.width - 6)), width: rect.width - 4).prefix(3)
    } ?? []
    let footer = typed != nil ? 1 : problem.count
    let rows = max(1, rect.height - 2 - footer)
    let first = min(max(0, selected - rows / 2), max(0, labels.count - rows))
    for (i, label) in labels.enumerated().dropFirst(first).prefix(rows) {
      let style = i == selected ? theme.selected : theme.text
      canvas.put(" " + label.padding(to: rect.width - 3), x: rect.x + 1, y: rect.y + 1 + i - first, style: style,
                 maxWidth: rect.width - 2)
    }
    if !entries.contains(where: { if case .image = $0 { return true } else { return false } }),
      rect.height > labels.count + 3
    {
      canvas.put(env.t(purpose == .image ? T.labNoFiles : T.labNoModels), x: rect.x + 2, y: rect.y + 1 + labels.count, style: theme.muted,
                 maxWidth: rect.width - 4)
    }
    let y = rect.maxY - 2
    if let typed {
      // The end of the path, where the typing happens.
      let label = env.t(T.labPathLabel) + " "
      let width = rect.width - 4 - label.count - 1
      let tail = fit(typed, width)
      canvas.fill(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1))
      let x = canvas.put(label, x: rect.x + 2, y: y, style: theme.emphasis)
      let end = canvas.put(tail, x: x, y: y, style: theme.text)
      canvas.put(" ", x: end, y: y, style: theme.cursor)
    } else if !problem.isEmpty {
      let top = rect.maxY - 1 - problem.count
      canvas.fill(Rect(x: rect.x + 1, y: top, width: rect.width - 2, height: problem.count))
      for (i, l) in problem.enumerated() {
        canvas.put(l, x: rect.x + 2, y: top + i, style: theme.error, maxWidth: rect.width - 4)
      }
    }
  }
}

enum FileKind { case folder, file }

/// Whether `path` is a folder, another file, or nothing (nil).
func fileKind(_ path: String) -> FileKind? {
  var st = stat()
  guard stat(path, &st) == 0 else { return nil }
  return (st.st_mode & S_IFMT) == S_IFDIR ? .folder : .file
}

/// The process's current folder, absolute ("." when it cannot be read).
func currentDirectory() -> String {
  var buffer = [CChar](repeating: 0, count: 4096)
  guard getcwd(&buffer, buffer.count) != nil else { return "." }
  return String(cString: buffer)
}

/// The subfolders and the files of `directory` whose names end in one of `extensions` (any
/// case; PNG and JPEG by default), each sorted by name; hidden entries left out, at most
/// `limit` in all. Empty when the folder cannot be read.
func listFolder(_ directory: String, limit: Int, extensions: [String] = FilePicker.Purpose.image.extensions)
  -> (folders: [String], images: [String])
{
  guard let dir = opendir(directory) else { return ([], []) }
  defer { closedir(dir) }
  var folders: [String] = []
  var images: [String] = []
  while folders.count + images.count < limit, let entry = readdir(dir) {
    let name = withUnsafePointer(to: entry.pointee.d_name) {
      $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
    }
    guard !name.hasPrefix(".") else { continue }
    let full = directory == "/" ? "/" + name : directory + "/" + name
    let lower = name.lowercased()
    if extensions.contains(where: { lower.hasSuffix($0) }) {
      if fileKind(full) == .file { images.append(name) }
    } else if fileKind(full) == .folder {
      folders.append(name)
    }
  }
  return (folders.sorted(), images.sorted())
}
