/// Keras 2's `model.summary()` as text, character for character:
///
///     Model: "sequential"
///     _________________________________________________________________
///     Layer (type)                 Output Shape              Param #
///     =================================================================
///     conv2d (Conv2D)              (None, 26, 26, 64)        640
///     _________________________________________________________________
///     ...
///     =================================================================
///     Total params: 433,290
///     Trainable params: 433,290
///     Non-trainable params: 0
///     _________________________________________________________________
///
/// The table's numbers are whatever `SequentialSpec.rows()` says: there is no second
/// implementation of shapes or counts here, only layout.
public enum SummaryText {
  /// Keras 2's layout for sequential models: 65 characters, columns ending at 45 %, 85 % and 100 %.
  public static let lineLength = 65
  public static let positions = [29, 55, 65]

  /// One table row, cut and padded as Keras 2's `print_row` does: each field is cut at its
  /// column's end, and a field that filled its column loses its last character to a space.
  public static func row(_ fields: [String], positions: [Int] = positions) -> String {
    var line: [Character] = []
    for (i, field) in fields.enumerated() {
      if i > 0, !line.isEmpty {
        line[line.count - 1] = " "
      }
      line.append(contentsOf: field)
      if line.count > positions[i] { line.removeLast(line.count - positions[i]) }
      while line.count < positions[i] { line.append(" ") }
    }
    return String(line)
  }

  /// The whole summary of a sequential model.
  ///
  /// - Parameters:
  ///   - name: the model's name, printed as `Model: "name"`.
  ///   - inputLayer: print an `InputLayer` row first, as Keras does for functional models such as
  ///     keras.applications' VGG16 (`input_1 (InputLayer)  [(None, 224, 224, 3)]  0`).
  public static func render(
    _ spec: SequentialSpec, name: String = "sequential", inputLayer: String? = nil
  ) throws -> String {
    let rows = try spec.rows()
    var out: [String] = []
    out.append("Model: \"\(name)\"")
    out.append(String(repeating: "_", count: lineLength))
    out.append(row(["Layer (type)", "Output Shape", "Param #"]))
    out.append(String(repeating: "=", count: lineLength))
    var body: [String] = []
    if let inputLayer {
      body.append(row(["\(inputLayer) (InputLayer)", "[" + ShapeText.batched(spec.inputShape) + "]", "0"]))
    }
    for r in rows {
      body.append(
        row(["\(r.layer.name) (\(r.layer.kind.kerasClass))", ShapeText.batched(r.outputShape), String(r.parameters.total)]))
    }
    out.append(body.joined(separator: "\n" + String(repeating: "_", count: lineLength) + "\n"))
    out.append(String(repeating: "=", count: lineLength))
    out.append(contentsOf: totals(rows.reduce(.zero) { $0 + $1.parameters }))
    out.append(String(repeating: "_", count: lineLength))
    return out.joined(separator: "\n") + "\n"
  }

  /// `Total params: 433,290`, `Trainable params: ...`, `Non-trainable params: ...`.
  public static func totals(_ count: ParameterCount) -> [String] {
    [
      "Total params: " + NumberText.grouped(count.total),
      "Trainable params: " + NumberText.grouped(count.trainable),
      "Non-trainable params: " + NumberText.grouped(count.nonTrainable),
    ]
  }
}
