/// A named array of numbers from a weights file, in the file's own layout.
public struct SourceTensor: Equatable, Sendable {
  public var name: String
  public var shape: [Int]
  public var values: [Float]
  public init(name: String, shape: [Int], values: [Float]) {
    self.name = name
    self.shape = shape
    self.values = values
  }
}
