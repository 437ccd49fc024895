import ArgumentParser
import ConvData
import Foundation

/// `convplay weights`: the weights keras.applications publishes, in Keras's own cache.
struct WeightsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "weights",
    abstract: localized("Download the ImageNet weights keras.applications publishes, or list what is cached."),
    subcommands: [Fetch.self, List.self])

  struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: localized("Download a network's published weights into Keras's cache, checking Keras's hash."),
      discussion: localized("""
        Examples:
          convplay weights fetch vgg16
          convplay weights fetch resnet50 --no-top
        The same files, addresses and hashes as keras.applications, into ~/.keras/models
        (or $KERAS_HOME/models): a file already downloaded by Keras is found and not
        fetched again. A file that fails its hash is refused and not kept; an interrupted
        download resumes (or restarts) when run again.
        CONVPLAY_WEIGHTS_MIRROR=URL fetches URL/<file name> instead, with the same check.
        """))

    @Argument(help: ArgumentHelp(localized("vgg16, vgg19, resnet50, inceptionv3, xception or mobilenet."), valueName: localized("NAME")))
    var name: String

    @Flag(name: .long, help: helpText("The convolutional base only (include_top=False), for fine-tuning."))
    var noTop = false

    func run() throws {
      try reportingErrors {
        guard let weights = PublishedWeights.named(name, noTop: noTop) else {
          throw CLIFailure("unknown network '\(name)': choose \(PublishedWeights.architectures.joined(separator: ", "))")
        }
        var mirror: URL? = nil
        if let text = ProcessInfo.processInfo.environment["CONVPLAY_WEIGHTS_MIRROR"], !text.isEmpty {
          guard let u = URL(string: text), u.scheme == "http" || u.scheme == "https" else {
            throw CLIFailure("CONVPLAY_WEIGHTS_MIRROR must be an http or https URL (got \(text))")
          }
          mirror = u
        }
        var fetcher = WeightsFetcher(weights: weights, mirror: mirror)
        let meter = DownloadMeter(interactive: isatty(STDERR_FILENO) == 1)
        fetcher.progress = { got, total in meter.update(weights.fileName, got, total) }
        fetcher.note = { message in meter.note(message) }
        if !FileManager.default.fileExists(atPath: fetcher.target.path) {
          print("downloading \(fetcher.source.absoluteString)")
        }
        let url = try fetcher.run()
        meter.finish()
        print("\(weights.fileName): \(weights.hash == nil ? "no published hash" : "hash OK"), in \(url.path)")
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: localized("Show which published weights are in Keras's cache."))

    func run() throws {
      let dir = PublishedWeights.cacheDirectory()
      print("cache: \(dir.path)")
      for w in PublishedWeights.all {
        let label = w.architecture + (w.noTop ? " --no-top" : "")
        let state: String
        if let url = w.cachedFile(), let size = try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int {
          state = "\(w.fileName)  \(megabytes(size))"
        } else {
          state = "not downloaded (convplay weights fetch \(label))"
        }
        print("\(label.padding(toLength: 22, withPad: " ", startingAt: 0))\(state)")
      }
    }
  }
}
