import ArgumentParser

/// The one parser of convplay's float options (`--bias`, `--lr`, `--momentum`, the split
/// fractions): a finite number, as the matrix parser wants. `nan`, `inf` and numbers past the
/// type's range (`1e400`, `1e39` for a Float) are refused; ArgumentParser's line names the
/// option: "The value 'nan' is invalid for '--bias <bias>': ...".
struct NotAFiniteNumber: Error, CustomStringConvertible {
  var text: String
  var description: String { "'\(text)' is not a finite number (nan, inf and numbers out of range are refused)" }
}

func finiteFloat(_ text: String) throws -> Float {
  guard let v = Float(text), v.isFinite else { throw NotAFiniteNumber(text: text) }
  return v
}

func finiteDouble(_ text: String) throws -> Double {
  guard let v = Double(text), v.isFinite else { throw NotAFiniteNumber(text: text) }
  return v
}

/// A finite number that a Float32 engine can also hold (`--bias`: kept as typed, in Double, for
/// the exact step arithmetic, and added by the Float32 engine elsewhere): 1e39 is refused.
func finiteFloatRangeDouble(_ text: String) throws -> Double {
  let v = try finiteDouble(text)
  guard abs(v) <= Double(Float.greatestFiniteMagnitude) else { throw NotAFiniteNumber(text: text) }
  return v
}
