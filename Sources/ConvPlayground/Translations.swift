import ConvCourse
import ConvData
import ConvKit

/// What checks the translations (ConvLocale's mechanism: keyed catalogs and the Spanish table).
/// The screens' catalogs `T` (Strings.swift) and `ExplorerText`; the Spanish table
/// (ConvLocale/SpanishTable.swift) for kernel presets' names elsewhere, the named data sets'
/// class names, the models' one-line descriptions, the command line and every sentence of the
/// quiz (ConvCourse's `QuizText`). `missing()` lists every item without its Spanish, so a preset,
/// model, class or string added without one fails a test.
public enum Translations {
  public static func missing() -> [String] {
    var out: [String] = []
    for entry in T.allCases {
      if entry.pair.en.isEmpty || entry.pair.es.isEmpty { out.append("T.\(entry.rawValue): empty text") }
      if Placeholders.used(in: entry.pair.en) != Placeholders.used(in: entry.pair.es) {
        out.append("T.\(entry.rawValue): placeholders differ")
      }
    }
    for entry in ExplorerText.allCases {
      if entry.pair.en.isEmpty || entry.pair.es.isEmpty { out.append("ExplorerText.\(entry.rawValue): empty text") }
      if Placeholders.used(in: entry.pair.en) != Placeholders.used(in: entry.pair.es) {
        out.append("ExplorerText.\(entry.rawValue): placeholders differ")
      }
    }
    out += Spanish.malformedEntries().map { "Spanish table: \($0)" }
    for preset in KernelPreset.all where presetSummary(preset.name) == .custom {
      out.append("kernel preset \(preset.name): no catalog entry (presetSummary)")
    }
    for dataset in DataSource.named {
      for name in dataset.knownClassNames ?? [] where Spanish.table[name] == nil && Int(name) == nil {
        out.append("\(dataset.rawValue) class \(name): no Spanish (SpanishTable.swift)")
      }
    }
    for model in SummaryModels.all where model.summary(in: .es) == model.summary && Spanish.table[model.summary] == nil {
      out.append("model \(model.name): no Spanish description (SpanishTable.swift)")
    }
    // "pooling" is the course's Spanish word too: a topic's Spanish name may equal its English.
    // Every sentence the quiz says (topic names included) has its pair in the Spanish table.
    for sentence in QuizText.allCases where Spanish.table[sentence.rawValue] == nil {
      out.append("quiz sentence QuizText.\(sentence): no Spanish (SpanishTable.swift, quiz section)")
    }
    return out
  }
}
