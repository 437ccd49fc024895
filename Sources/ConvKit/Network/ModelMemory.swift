/// How many values (Float32) a model holds while it runs: what `MemoryBudget` is compared with
/// before a network is built, trained or run on a batch.
///
/// - inference: the parameters, plus a layer's input and output for every image of the batch
///   at the largest activation (2 * batch * largest);
/// - training: the parameters four times (weights, gradients, and the two moments Adam keeps),
///   plus every layer's output and its gradient for the whole batch (2 * batch * sum).
///
/// VGG16 (138,357,544 parameters) on one 224x224x3 image: 138,357,544 + 2*224*224*64 =
/// 144,780,072 values, 579 MB.
public enum ModelMemory {
  public static func values(of graph: GraphSpec, batch: Int, training: Bool) throws -> Int {
    let rows = try graph.rows()
    let field = "the model's memory"
    let parameters = try CheckedSize.sum(rows.map(\.parameters.total), field: field)
    let sizes = try rows.map { try CheckedSize.elements($0.outputShape, field: field) }
    let activations = training ? try CheckedSize.sum(sizes, field: field) : sizes.max() ?? 0
    let perBatch = try CheckedSize.multiply(try CheckedSize.multiply(2, activations, field: field), max(batch, 1), field: field)
    return try CheckedSize.add(try CheckedSize.multiply(training ? 4 : 1, parameters, field: field), perBatch, field: field)
  }

  /// Throws a `SizeError` with the numbers when the model does not fit in the memory budget.
  public static func check(_ graph: GraphSpec, batch: Int, training: Bool) throws {
    let what = "the model"
      + (batch > 1 ? " with a batch of \(NumberText.grouped(batch))" : "")
      + (training ? " in training" : "")
    let n: Int
    do { n = try values(of: graph, batch: batch, training: training) } catch {
      throw SizeError(field: what, sentence: what + " would hold more values than fit in a 64-bit integer")
    }
    try MemoryBudget.check(values: n, what: what)
  }
}
