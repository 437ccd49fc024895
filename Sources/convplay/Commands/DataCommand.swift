import ArgumentParser
import ConvData
import Foundation

/// `convplay data`: download and locate the data sets.
struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: localized("Download and locate the MNIST and Fashion-MNIST data sets."),
    subcommands: [Fetch.self, List.self])

  /// `convplay data fetch mnist`: like `keras.datasets.mnist.load_data()`'s first run.
  struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: localized("Download a data set, verify the published checksums and cache it."),
      discussion: localized("""
        Example:
          convplay data fetch mnist
        Files go to ~/.cache/convplay/datasets/NAME (or --dir); each is retried up to 3 times and
        written only once its checksum matches.
        """))

    @Argument(help: ArgumentHelp(localized("mnist or fashion-mnist."), valueName: localized("NAME")))
    var name: String

    @Option(name: .long, help: ArgumentHelp(localized("Base URL of a mirror holding the four .gz files."), valueName: localized("URL")))
    var url: String?

    @Option(name: .long, help: ArgumentHelp(localized("Where to store the files."), valueName: localized("DIR")))
    var dir: String?

    func run() throws {
      try reportingErrors {
        if name.lowercased() == CIFAR10.name || name.lowercased() == "cifar-10" { return try fetchCIFAR10() }
        guard let dataset = Dataset(rawValue: name.lowercased()) else {
          throw CLIFailure("unknown data set '\(name)': choose " + (Dataset.allCases.map(\.rawValue) + [CIFAR10.name]).joined(separator: ", "))
        }
        var base: URL?
        if let url {
          guard let u = URL(string: url.hasSuffix("/") ? url : url + "/"), u.scheme == "http" || u.scheme == "https" else {
            throw CLIFailure("--url must be an http or https URL (got \(url))")
          }
          base = u
        }
        let destination = dir.map { URL(fileURLWithPath: $0) } ?? DatasetLocator().cacheDirectory(for: dataset)
        var fetcher = DatasetFetcher(dataset: dataset, baseURL: base, destination: destination)
        let meter = DownloadMeter(interactive: isatty(STDERR_FILENO) == 1)
        fetcher.progress = { name, got, total in meter.update(name, got, total) }
        fetcher.note = { message in meter.note(message) }
        print("downloading \(dataset.displayName) from \(fetcher.baseURL.absoluteString)")
        try fetcher.run()
        meter.finish()
        print("\(dataset.displayName): checksums OK, stored in \(destination.path)")
      }
    }
  }

  /// `convplay data list`: where each data set is found, if anywhere.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: localized("Show where each data set is found."))

    @Option(name: .long, help: ArgumentHelp(localized("A folder to look in first."), valueName: localized("DIR")))
    var data: String?

    func run() throws {
      let locator = DatasetLocator(explicitDirectory: data)
      for d in Dataset.allCases {
        if let dir = try? locator.locate(d) {
          print("\(d.rawValue): \(dir.path)")
        } else {
          print("\(d.rawValue): not found (convplay data fetch \(d.rawValue))")
        }
      }
      if let dir = try? CIFAR10.locate(locator) {
        print("\(CIFAR10.name): \(dir.path)")
      } else {
        print("\(CIFAR10.name): not found (convplay data fetch \(CIFAR10.name))")
      }
    }
  }
}

/// Download progress on stderr: redrawn in place on a terminal, one line per file otherwise.
final class DownloadMeter: @unchecked Sendable {
  let interactive: Bool
  private let lock = NSLock()
  private var current = ""
  private var lastPercent = -1

  init(interactive: Bool) { self.interactive = interactive }

  func update(_ name: String, _ got: Int64, _ total: Int64?) {
    lock.lock()
    defer { lock.unlock() }
    if name != current {
      if interactive && !current.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
      current = name
      lastPercent = -1
    }
    let percent = total.map { $0 > 0 ? Int(got * 100 / $0) : 100 } ?? -1
    guard percent != lastPercent else { return }
    lastPercent = percent
    let mb = String(format: "%.1f", Double(got) / 1_048_576)
    let text = total.map { "\(name)  \(mb) / \(String(format: "%.1f", Double($0) / 1_048_576)) MB  \(percent)%" } ?? "\(name)  \(mb) MB"
    if interactive {
      FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    } else if percent == 100 {
      FileHandle.standardError.write(Data((text + "\n").utf8))
    }
  }

  func note(_ message: String) {
    lock.lock()
    defer { lock.unlock() }
    if interactive && !current.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
    current = ""
    FileHandle.standardError.write(Data(("note: " + message + "\n").utf8))
  }

  func finish() {
    if interactive && !current.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}

extension DataCommand.Fetch {
  /// CIFAR-10: one tarball (MD5 checked), unpacked here into the six batch files.
  func fetchCIFAR10() throws {
    var source = URL(string: CIFAR10.tarballURL)!
    if let url {
      guard let u = URL(string: url), u.scheme == "http" || u.scheme == "https" else {
        throw CLIFailure("--url must be an http or https URL (got \(url))")
      }
      source = u.hasDirectoryPath ? u.appendingPathComponent("cifar-10-binary.tar.gz") : u
    }
    let destination = dir.map { URL(fileURLWithPath: $0) } ?? DatasetLocator().cacheDirectory(named: CIFAR10.name)
    let meter = DownloadMeter(interactive: isatty(STDERR_FILENO) == 1)
    print("downloading CIFAR-10 from \(source.absoluteString)")
    try CIFAR10.fetch(
      to: destination, url: source, progress: { n, got, total in meter.update(n, got, total) },
      note: { meter.note($0) })
    meter.finish()
    print("CIFAR-10: checksum OK, stored in \(destination.path)")
  }
}
