import ConvImageIO

/// Every output a command was asked to write, checked before its work starts (`OutputPath`):
/// pairs of option name and path; nil paths (options not given) are skipped.
func checkOutputs(_ outputs: [(option: String, path: String?)], createsFolders: Bool = false) throws {
  for case (let option, let path?) in outputs {
    do { try OutputPath.check(path, option: option, createsFolders: createsFolders) } catch {
      throw CLIFailure("\(error.description) (checked before starting)")
    }
  }
}
