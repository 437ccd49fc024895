import ConvImageIO
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Downloads a data set's four files, checks them against the published MD5s and stores them
/// (atomically) in a folder, like `keras.datasets.mnist.load_data()` does on first use.
///
/// Each file is tried up to `attempts` times (network errors, truncated transfers and checksum
/// mismatches all retry); files already present with the right checksum are kept.
public struct DatasetFetcher {
  public var dataset: Dataset
  public var baseURL: URL
  public var destination: URL
  public var attempts = 3
  /// Seconds to wait before the second attempt (then twice as long before the third, ...).
  public var retryDelay: TimeInterval = 1
  /// Seconds without data before a transfer is abandoned.
  public var timeout: TimeInterval = 60
  /// Called with (file name, bytes received, bytes expected if known) as data arrives, and
  /// with a message when a retry starts.
  public var progress: @Sendable (String, Int64, Int64?) -> Void = { _, _, _ in }
  public var note: @Sendable (String) -> Void = { _ in }

  public init(dataset: Dataset, baseURL: URL? = nil, destination: URL) {
    self.dataset = dataset
    self.baseURL = baseURL ?? URL(string: dataset.defaultBaseURL)!
    self.destination = destination
  }

  /// Checks a stored or downloaded `.gz` file against the published checksums. Returns nil when
  /// it matches, otherwise what is wrong.
  public static func verify(_ gz: Data, file: Dataset.File) -> String? {
    if let expected = file.gzipMD5 {
      let got = MD5.hex(gz)
      return got == expected ? nil : "MD5 \(got), expected \(expected)"
    }
    if let expected = file.rawMD5 {
      let raw: Data
      if Gzip.isGzip(gz) {
        do { raw = try Gzip.decompress(gz) } catch { return "\(error)" }
      } else {
        raw = gz
      }
      let got = MD5.hex(raw)
      return got == expected ? nil : "MD5 of the uncompressed file \(got), expected \(expected)"
    }
    return nil
  }

  /// Downloads every missing file. Returns the folder. Without a network it stops at the first
  /// try with one message (retries are for flaky transfers).
  @discardableResult
  public func run() throws -> URL {
    do {
      return try fetchMissing()
    } catch let e as NoNetwork {
      throw DataError(
        "\(e); download the four .gz files from \(baseURL.absoluteString) elsewhere and copy them into "
          + "\(destination.path) (or pass --data DIR)")
    }
  }

  private func fetchMissing() throws -> URL {
    for file in dataset.files {
      let target = destination.appendingPathComponent(file.name + ".gz")
      if let existing = try? InputFile.data(target.path), Self.verify(existing, file: file) == nil {
        note("\(file.name).gz: already downloaded, checksum OK")
        continue
      }
      let url = baseURL.appendingPathComponent(file.name + ".gz")
      var lastProblem = ""
      var done = false
      for attempt in 1...max(1, attempts) {
        if attempt > 1 {
          note("\(file.name).gz: \(lastProblem); retrying (\(attempt)/\(attempts))")
          Thread.sleep(forTimeInterval: retryDelay * Double(attempt - 1))
        }
        do {
          let data = try download(url, name: file.name + ".gz")
          if let problem = Self.verify(data, file: file) {
            lastProblem = "checksum mismatch: \(problem)"
            continue
          }
          try AtomicFile.write(data, to: target)
          done = true
          break
        } catch let e as DataError {
          lastProblem = e.description
        }
      }
      guard done else {
        throw DataError("could not download \(url.absoluteString) after \(attempts) attempts: \(lastProblem)")
      }
    }
    return destination
  }

  /// One HTTP GET into memory, reporting progress.
  private func download(_ url: URL, name: String) throws -> Data {
    try Self.httpGet(url, name: name, timeout: timeout, progress: progress)
  }

  /// One HTTP GET into memory (status 200 and the announced length checked), for any fetcher.
  static func httpGet(
    _ url: URL, name: String, timeout: TimeInterval, progress: @escaping @Sendable (String, Int64, Int64?) -> Void
  ) throws -> Data {
    let delegate = DownloadDelegate(name: name, progress: progress)
    let config = URLSessionConfiguration.ephemeral
    config.timeoutIntervalForRequest = timeout
    let session = URLSession(configuration: config, delegate: delegate, delegateQueue: nil)
    defer { session.finishTasksAndInvalidate() }
    session.dataTask(with: url).resume()
    delegate.finished.wait()
    if let error = delegate.error {
      let e = error as NSError
      if e.domain == NSURLErrorDomain,
        [NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed, NSURLErrorNotConnectedToInternet].contains(e.code)
      {
        throw NoNetwork(host: url.host ?? url.absoluteString, detail: error.localizedDescription)
      }
      throw DataError(error.localizedDescription)
    }
    guard delegate.status == 200 else {
      throw DataError("HTTP status \(delegate.status)")
    }
    if let expected = delegate.expected, expected >= 0, Int64(delegate.data.count) != expected {
      throw DataError("transfer cut after \(delegate.data.count) of \(expected) bytes")
    }
    return delegate.data
  }
}

/// The host's name does not resolve or there is no network at all: retrying cannot help, so
/// the fetchers stop at once and say where to put files fetched elsewhere.
struct NoNetwork: Error, CustomStringConvertible {
  var host: String
  var detail: String
  var description: String { "no network: cannot reach \(host) (\(detail))" }
}

/// Collects a response body and reports progress; the semaphore says it is complete.
private final class DownloadDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
  let name: String
  let progress: @Sendable (String, Int64, Int64?) -> Void
  let finished = DispatchSemaphore(value: 0)
  var data = Data()
  var expected: Int64?
  var status = 0
  var error: Error?

  init(name: String, progress: @escaping @Sendable (String, Int64, Int64?) -> Void) {
    self.name = name
    self.progress = progress
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    status = (response as? HTTPURLResponse)?.statusCode ?? 0
    expected = response.expectedContentLength >= 0 ? response.expectedContentLength : nil
    completionHandler(.allow)
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
    data.append(chunk)
    progress(name, Int64(data.count), expected)
  }

  func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
    self.error = error
    finished.signal()
  }
}
