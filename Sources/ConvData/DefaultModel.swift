import ConvKit
import Foundation

/// The digit classifier convplay ships, so `evaluate`, `predict` and the TUI work before anyone
/// trains: Keras's mnist_convnet trained by this engine (scripts/make_default_model.sh makes
/// DefaultModelWeights.swift, the safetensors file as base64).
public enum DefaultModel {
  /// The network and its training metadata (data set, epochs, test accuracy...).
  public static func load() throws -> (network: Network, metadata: [String: String]) {
    guard let data = Data(base64Encoded: safetensorsBase64) else {
      throw DataError("the built-in model is damaged (not base64); rebuild with scripts/make_default_model.sh")
    }
    return try ModelFile.decode(data, name: "built-in model")
  }
}
