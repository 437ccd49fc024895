/// Class names of the named data sets in the playground's languages. The data sets store
/// English names (as Keras documents them); a folder's names are the user's own and shown as is.
enum ClassNames {
  /// Spanish for CIFAR-10's and Fashion-MNIST's English class names.
  static let spanish: [String: String] = [
    // CIFAR-10
    "airplane": "avión", "automobile": "automóvil", "bird": "pájaro", "cat": "gato", "deer": "ciervo",
    "dog": "perro", "frog": "rana", "horse": "caballo", "ship": "barco", "truck": "camión",
    // Fashion-MNIST
    "T-shirt/top": "Camiseta", "Trouser": "Pantalón", "Pullover": "Suéter", "Dress": "Vestido", "Coat": "Abrigo",
    "Sandal": "Sandalia", "Shirt": "Camisa", "Sneaker": "Zapatilla", "Bag": "Bolso", "Ankle boot": "Botín",
  ]

  static func localized(_ name: String, _ lang: Lang) -> String {
    lang == .es ? spanish[name] ?? name : name
  }
}
