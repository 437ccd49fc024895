/// ArgumentParser reads `-2` after `--bias` as an unknown short option, so `--bias -2` fails
/// where Python's argparse takes it. Before parsing, `--option -2` becomes `--option=-2`, which
/// ArgumentParser reads as a value. Only a long option directly followed by a token that is a
/// negative number (`-2`, `-0.5`, `-.5`, `-1e-3`, `-3x1`, `-inf`) is joined, so no option,
/// flag or file name changes meaning; nothing after `--` is touched. A flag joined this way is
/// still refused (a flag takes no value), as `-2` alone would have been.
func joiningNegativeNumbers(_ arguments: [String]) -> [String] {
  var out: [String] = []
  out.reserveCapacity(arguments.count)
  var i = 0
  while i < arguments.count {
    let a = arguments[i]
    if a == "--" {
      out += arguments[i...]
      break
    }
    if a.hasPrefix("--"), a.count > 2, !a.contains("="), i + 1 < arguments.count,
      looksLikeNegativeNumber(arguments[i + 1])
    {
      out.append(a + "=" + arguments[i + 1])
      i += 2
      continue
    }
    out.append(a)
    i += 1
  }
  return out
}

/// `-` then a number as a user types one: digits with an optional fraction and exponent, an
/// `RxC` pair's first part (`-3x1`, refused later with a message about the value), or `-inf`.
func looksLikeNegativeNumber(_ token: String) -> Bool {
  guard token.hasPrefix("-"), token.count > 1 else { return false }
  let body = token.dropFirst().lowercased()
  if body == "inf" || body == "infinity" { return true }
  guard let first = body.first, first.isASCII, first.isNumber || first == "." else { return false }
  let number = body.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)[0]
  return Double(number) != nil
}
