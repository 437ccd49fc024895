/// Class names of the named data sets in the playground's languages. The data sets store
/// English names (as Keras documents them), translated by the Spanish table (ConvLocale); a
/// folder's names are the user's own and shown as is.
enum ClassNames {
  static func localized(_ name: String, _ lang: Lang) -> String {
    Spanish.text(name, lang)
  }
}
