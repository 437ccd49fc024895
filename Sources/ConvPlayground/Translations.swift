import ConvCourse
import ConvData
import ConvKit

/// Where the playground's translations live and what checks them. The catalog `T`
/// (Strings.swift) holds the screens' text; three tables hold what is named elsewhere in
/// English: kernel presets (`presetSummary`), the named data sets' class names (`ClassNames`),
/// the models' one-line descriptions (`SummaryModels.spanishSummaries`); the quiz's own texts
/// are the course's (ConvCourse's `QuizCatalog`). `missing()` lists every item without its
/// Spanish, so a preset, model, class or string added without one fails a test.
public enum Translations {
  public static func missing() -> [String] {
    var out: [String] = []
    for entry in T.allCases {
      if entry.pair.en.isEmpty || entry.pair.es.isEmpty { out.append("T.\(entry.rawValue): empty text") }
    }
    for preset in KernelPreset.all where presetSummary(preset.name) == .custom {
      out.append("kernel preset \(preset.name): no catalog entry (presetSummary)")
    }
    for dataset in DataSource.named {
      for name in dataset.knownClassNames ?? [] where ClassNames.spanish[name] == nil && Int(name) == nil {
        out.append("\(dataset.rawValue) class \(name): no Spanish (ClassNames)")
      }
    }
    for model in SummaryModels.all where SummaryModels.spanishSummaries[model.name] == nil {
      out.append("model \(model.name): no Spanish description (SummaryModels.spanishSummaries)")
    }
    // "pooling" is the course's Spanish word too: a topic's Spanish name may equal its English.
    for topic in QuizTopic.allCases where QuizCatalog.text(.topicName(topic), .es).isEmpty {
      out.append("quiz topic \(topic.rawValue): no Spanish name (QuizCatalog)")
    }
    return out
  }
}
