import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Downloads a published weights file into Keras's cache, as `keras.applications` does on
/// first use, but never leaves a wrong file there: the bytes stream into `.<name>.part` beside
/// the target, are checked against the published hash, and only then renamed into place
/// (atomically). An interrupted download resumes from the `.part` file when the server
/// honours a Range request, and restarts from zero when it does not.
public struct WeightsFetcher {
  public var weights: PublishedWeights
  public var cacheDirectory: URL
  /// `CONVPLAY_WEIGHTS_MIRROR`: fetch `mirror/<published file name>` instead (a lab without
  /// internet, where the teacher serves the files once). The same hash is checked.
  public var mirror: URL?
  public var timeout: TimeInterval = 60
  /// (bytes received so far, bytes expected if known), as data arrives.
  public var progress: @Sendable (Int64, Int64?) -> Void = { _, _ in }
  public var note: @Sendable (String) -> Void = { _ in }

  public init(weights: PublishedWeights, cacheDirectory: URL = PublishedWeights.cacheDirectory(), mirror: URL? = nil) {
    self.weights = weights
    self.cacheDirectory = cacheDirectory
    self.mirror = mirror
  }

  public var target: URL { cacheDirectory.appendingPathComponent(weights.fileName) }
  var partial: URL { cacheDirectory.appendingPathComponent("." + weights.fileName + ".part") }
  public var source: URL {
    if let mirror { return mirror.appendingPathComponent(weights.fileName) }
    return URL(string: weights.url)!
  }

  /// The file in the cache, fetched if missing (or if the cached copy fails its hash).
  @discardableResult
  public func run() throws -> URL {
    let fm = FileManager.default
    if fm.fileExists(atPath: target.path) {
      if let problem = try weights.verify(target) {
        note("\(weights.fileName): the cached copy fails its hash (\(problem)); fetching it again")
        try? fm.removeItem(at: target)
      } else {
        note("\(weights.fileName): already in \(cacheDirectory.path)\(weights.hash == nil ? "" : ", hash OK")")
        return target
      }
    }
    do {
      try fm.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
    } catch {
      throw DataError("cannot create \(cacheDirectory.path): \(error.localizedDescription)")
    }
    do {
      try download()
    } catch let e as NoNetwork {
      throw DataError(
        "\(e); download \(source.absoluteString) elsewhere and copy it to \(target.path) "
          + "(or set CONVPLAY_WEIGHTS_MIRROR to a server that has it)")
    }
    if let problem = try weights.verify(partial) {
      try? fm.removeItem(at: partial)
      throw DataError("\(weights.fileName) from \(source.absoluteString) fails its hash (\(problem)): refused, nothing kept")
    }
    guard rename(partial.path, target.path) == 0 else {
      let why = String(cString: strerror(errno))
      try? fm.removeItem(at: partial)
      throw DataError("cannot move the download into \(target.path): \(why)")
    }
    if weights.hash == nil { note("\(weights.fileName): Keras publishes no hash for this file, so none was checked") }
    return target
  }

  /// Streams the body into the `.part` file, continuing it when the server answers a Range
  /// request with 206.
  private func download() throws {
    let fm = FileManager.default
    let already = (try? fm.attributesOfItem(atPath: partial.path)[.size] as? Int64) ?? 0
    if already == 0 { fm.createFile(atPath: partial.path, contents: nil) }
    guard let handle = FileHandle(forUpdatingAtPath: partial.path) else { throw DataError("cannot write \(partial.path)") }
    defer { try? handle.close() }
    var request = URLRequest(url: source)
    if already > 0 { request.setValue("bytes=\(already)-", forHTTPHeaderField: "Range") }
    let delegate = FileDownloadDelegate(handle: handle, resumeFrom: already, progress: progress)
    let config = URLSessionConfiguration.ephemeral
    config.timeoutIntervalForRequest = timeout
    let session = URLSession(configuration: config, delegate: delegate, delegateQueue: nil)
    defer { session.finishTasksAndInvalidate() }
    session.dataTask(with: request).resume()
    delegate.finished.wait()
    if delegate.error != nil || delegate.problem != nil, delegate.written == 0 {
      try? fm.removeItem(at: partial)  // nothing received: no .part file left behind
    }
    if let error = delegate.error {
      let e = error as NSError
      if e.domain == NSURLErrorDomain,
        [NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed, NSURLErrorNotConnectedToInternet, NSURLErrorCannotConnectToHost].contains(e.code)
      {
        throw NoNetwork(host: source.host ?? source.absoluteString, detail: error.localizedDescription)
      }
      throw DataError("\(weights.fileName): \(error.localizedDescription) (the part received is kept; run the command again to resume)")
    }
    if let problem = delegate.problem { throw DataError("\(weights.fileName): \(problem)") }
    guard delegate.status == 200 || delegate.status == 206 else {
      try? fm.removeItem(at: partial)
      throw DataError("\(source.absoluteString): HTTP status \(delegate.status)")
    }
    if let expected = delegate.expectedTotal, delegate.written != expected {
      throw DataError("\(weights.fileName): transfer cut after \(delegate.written) of \(expected) bytes; run the command again to resume")
    }
  }
}

/// Writes a response body into a file as it arrives: appended after `resumeFrom` bytes on a
/// 206 answer, from the start (truncating) on a 200.
private final class FileDownloadDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
  let handle: FileHandle
  let resumeFrom: Int64
  let progress: @Sendable (Int64, Int64?) -> Void
  let finished = DispatchSemaphore(value: 0)
  var status = 0
  var written: Int64 = 0
  var expectedTotal: Int64?
  var error: Error?
  var problem: String?

  init(handle: FileHandle, resumeFrom: Int64, progress: @escaping @Sendable (Int64, Int64?) -> Void) {
    self.handle = handle
    self.resumeFrom = resumeFrom
    self.progress = progress
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    status = (response as? HTTPURLResponse)?.statusCode ?? 0
    let length = response.expectedContentLength >= 0 ? response.expectedContentLength : nil
    do {
      if status == 206 {
        try handle.seekToEnd()
        written = resumeFrom
        expectedTotal = length.map { $0 + resumeFrom }
      } else {
        try handle.truncate(atOffset: 0)
        written = 0
        expectedTotal = length
      }
    } catch {
      problem = "cannot write the download: \(error.localizedDescription)"
      completionHandler(.cancel)
      return
    }
    completionHandler(status == 200 || status == 206 ? .allow : .cancel)
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
    guard problem == nil else { return }
    do {
      try handle.write(contentsOf: chunk)
      written += Int64(chunk.count)
      progress(written, expectedTotal)
    } catch {
      problem = "cannot write the download: \(error.localizedDescription)"
      dataTask.cancel()
    }
  }

  func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
    // No response at all (status 0): the error says why (no network, host unknown...).
    if problem == nil, status == 0 || status == 200 || status == 206 { self.error = error }
    finished.signal()
  }
}
