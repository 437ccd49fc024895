/// A problem with a weights file, said in one line.
public struct ImportError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
