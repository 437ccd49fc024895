import ConvImageIO
import Foundation

/// A weights file keras.applications downloads: its published name, address and hash, copied
/// from Keras's own source (keras/src/applications/*.py, Keras 3.15) so that files a student
/// already fetched with Keras are found in the same cache under the same names, and files
/// convplay fetches are the same bytes Keras would have checked.
public struct PublishedWeights: Equatable, Sendable {
  /// `vgg16`, `resnet50`, ...
  public var architecture: String
  /// Without the classifier (`include_top=False`).
  public var noTop: Bool
  public var fileName: String
  public var url: String
  /// Keras's `file_hash`: 32 hex digits are MD5, 64 are SHA-256 (what `get_file` decides by
  /// length). nil: Keras publishes none for this file (MobileNet), so none can be checked.
  public var hash: String?

  public init(architecture: String, noTop: Bool, fileName: String, url: String, hash: String?) {
    self.architecture = architecture
    self.noTop = noTop
    self.fileName = fileName
    self.url = url
    self.hash = hash
  }

  static let base = "https://storage.googleapis.com/tensorflow/keras-applications/"

  /// Every file `convplay weights fetch` knows, with and without the top.
  public static let all: [PublishedWeights] = {
    func pair(_ arch: String, _ folder: String, _ stem: String, _ top: String?, _ noTop: String?) -> [PublishedWeights] {
      [
        PublishedWeights(architecture: arch, noTop: false, fileName: "\(stem).h5", url: "\(base)\(folder)/\(stem).h5", hash: top),
        PublishedWeights(
          architecture: arch, noTop: true, fileName: "\(stem)_notop.h5", url: "\(base)\(folder)/\(stem)_notop.h5", hash: noTop),
      ]
    }
    return pair("vgg16", "vgg16", "vgg16_weights_tf_dim_ordering_tf_kernels", "64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc")
      + pair("vgg19", "vgg19", "vgg19_weights_tf_dim_ordering_tf_kernels", "cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6")
      + pair("resnet50", "resnet", "resnet50_weights_tf_dim_ordering_tf_kernels", "2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626")
      + pair("inceptionv3", "inception_v3", "inception_v3_weights_tf_dim_ordering_tf_kernels", "9a0d58056eeedaa3f26cb7ebd46da564", "bcbd6486424b2319ff4ef7d526e38f63")
      + pair("xception", "xception", "xception_weights_tf_dim_ordering_tf_kernels", "0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97")
      + [
        PublishedWeights(architecture: "mobilenet", noTop: false, fileName: "mobilenet_1_0_224_tf.h5", url: "\(base)mobilenet/mobilenet_1_0_224_tf.h5", hash: nil),
        PublishedWeights(
          architecture: "mobilenet", noTop: true, fileName: "mobilenet_1_0_224_tf_no_top.h5", url: "\(base)mobilenet/mobilenet_1_0_224_tf_no_top.h5",
          hash: nil),
      ]
  }()

  public static var architectures: [String] { all.filter { !$0.noTop }.map(\.architecture) }

  public static func named(_ architecture: String, noTop: Bool) -> PublishedWeights? {
    all.first { $0.architecture == architecture.lowercased() && $0.noTop == noTop }
  }

  /// Where Keras keeps downloaded weights: `$KERAS_HOME/models`, else `~/.keras/models`.
  public static func cacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let home = environment["KERAS_HOME"], !home.isEmpty {
      return URL(fileURLWithPath: home).appendingPathComponent("models")
    }
    let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
    return home.appendingPathComponent(".keras").appendingPathComponent("models")
  }

  /// The file in the cache, if it is there.
  public func cachedFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
    let url = Self.cacheDirectory(environment: environment).appendingPathComponent(fileName)
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }

  /// Nil when `file` matches the published hash (or there is none), else what differs.
  public func verify(_ file: URL) throws -> String? {
    guard let hash = hash?.lowercased() else { return nil }
    let got: String
    if hash.count == 64 {
      got = try SHA256Digest.hex(fileAt: file)
    } else {
      let handle: FileHandle
      do { handle = try InputFile.handle(file.path) } catch { throw DataError("cannot read \(error)") }
      defer { try? handle.close() }
      var md5 = MD5()
      while true {
        let chunk = handle.readData(ofLength: 4 << 20)
        if chunk.isEmpty { break }
        md5.update(chunk)
      }
      got = md5.finalize()
    }
    return got == hash ? nil : "\(hash.count == 64 ? "SHA-256" : "MD5") \(got), Keras publishes \(hash)"
  }
}
