import Foundation
import XCTest

/// Runs the built `convplay` binary (beside the test bundle in .build/<config>/) with arguments
/// and standard input, as a person at a terminal would, and collects what it prints.
struct ModelCLIRun {
  var status: Int32
  var stdout: String
  var stderr: String
}

func convplayBinaryForModelTests() throws -> URL {
  if let path = ProcessInfo.processInfo.environment["CONVPLAY_BIN"] {
    return URL(fileURLWithPath: path)
  }
  var dir = Bundle.main.bundleURL
  for _ in 0..<3 {
    let candidate = dir.appendingPathComponent("convplay")
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
      return candidate
    }
    dir = dir.deletingLastPathComponent()
  }
  throw XCTSkip("the convplay binary was not found beside the tests (set CONVPLAY_BIN)")
}

func runModelCLI(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> ModelCLIRun {
  let process = Process()
  process.executableURL = try convplayBinaryForModelTests()
  process.arguments = arguments
  var env = ProcessInfo.processInfo.environment
  for (k, v) in environment { env[k] = v }
  process.environment = env
  // Output goes to files, not pipes: nothing can block however much the child prints.
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convplay-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  let outURL = dir.appendingPathComponent("stdout")
  let errURL = dir.appendingPathComponent("stderr")
  FileManager.default.createFile(atPath: outURL.path, contents: nil)
  FileManager.default.createFile(atPath: errURL.path, contents: nil)
  let outHandle = try FileHandle(forWritingTo: outURL)
  let errHandle = try FileHandle(forWritingTo: errURL)
  let input = Pipe()
  process.standardInput = input
  process.standardOutput = outHandle
  process.standardError = errHandle
  try process.run()
  input.fileHandleForWriting.write(Data(stdin.utf8))
  try input.fileHandleForWriting.close()
  process.waitUntilExit()
  try outHandle.close()
  try errHandle.close()
  return ModelCLIRun(
    status: process.terminationStatus,
    stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
    stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}
