import ConvData
import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// `finetune --base FILE` on a Keras model file (the ConvPretrained fixture keras_model.h5:
/// conv2d, max_pooling2d, conv2d_1, batch_normalization, activation, then its top) and a small
/// fingers-style folder set (train/ and test/, the class in the file name).
final class FinetuneBaseCommandTests: XCTestCase {
  var kerasModel: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("ConvPretrainedTests/Fixtures/keras_model.h5").path
  }

  /// 16x16 colour squares: class 0 reddish, 1 greenish, 2 bluish, with noise; `_0L.png` names.
  func folderSet() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ftbase-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    var rng = RandomSource(seed: 5)
    for (part, count) in [("train", 60), ("test", 30)] {
      let folder = dir.appendingPathComponent(part)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for i in 0..<count {
        let c = i % 3
        var samples = [Float](repeating: 0, count: 3 * 256)
        for ch in 0..<3 {
          for p in 0..<256 { samples[ch * 256 + p] = (ch == c ? 180 : 60) + 50 * rng.nextSymmetric(1) }
        }
        try ImageFile.write(
          Image(width: 16, height: 16, channels: 3, samples: samples),
          to: folder.appendingPathComponent(String(format: "%03d_%d%@.png", i, c, i % 2 == 0 ? "L" : "R")).path)
      }
    }
    return dir.path
  }

  func testThreeStepsWithCountsAndFeatureCache() throws {
    let data = try folderSet()
    let r = try CommandRunner.run([
      "finetune", "--base", kerasModel, "--dataset", "folder:" + data, "--label-pattern", "_([0-2])[LR]\\.png$",
      "--image-size", "16x16", "--dense", "4", "--freeze-epochs", "2", "--finetune-epochs", "1", "--unfreeze", "2", "--batch", "16", "--plain",
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    let out = r.stdout
    XCTAssertTrue(out.contains("60 training, 0 validation, 30 test images, 3 classes; input (16, 16, 3)"), out)
    // Base: conv2d 224, conv2d_1 876, batch_normalization 48 (24 trainable). Head: 12*4+4, 4*3+3.
    XCTAssertTrue(out.contains(
      "step 1: base frozen (6 layers), only the new head trains; adam lr 0.001, 2 epoch(s)\n"
        + "  trainable params: 67 - non-trainable params: 1,148 - total: 1,215\n"), out)
    XCTAssertTrue(out.contains("feature extraction: 60 images through the frozen base once"), out)
    XCTAssertTrue(out.contains(
      "step 2: the last 2 of the base's 6 layers unfrozen, trained with the head; adam lr 0.0001, 1 epoch(s)\n"
        + "  trainable params: 91 - non-trainable params: 1,124 - total: 1,215\n"), out)
    XCTAssertTrue(out.contains("step 3 (evaluate): test accuracy "), out)
    XCTAssertEqual(out.components(separatedBy: "\nepoch ").count - 1, 3, out)
  }

  func testAugmentTurnsTheCacheOffAndSpanishOutput() throws {
    let data = try folderSet()
    let r = try CommandRunner.run([
      "finetune", "--base", kerasModel, "--dataset", "folder:" + data, "--label-pattern", "_([0-2])[LR]\\.png$",
      "--image-size", "16x16", "--freeze-epochs", "1", "--finetune-epochs", "0", "--augment", "flip", "--plain", "--lang", "es",
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdout.contains("--augment: las características de la base no se guardan"), r.stdout)
    XCTAssertFalse(r.stdout.contains("extracción de características:"), r.stdout)
    XCTAssertTrue(r.stdout.contains("paso 1: base congelada (6 capas)"), r.stdout)
    XCTAssertTrue(r.stdout.contains("parámetros entrenables: 4.099 - no entrenables: 1.148 - total: 5.247"), r.stdout)
    XCTAssertTrue(r.stdout.contains("paso 3 (evaluar): accuracy de prueba "), r.stdout)
  }

  func testMissingWeightsAndBadOptionsAreOneLine() throws {
    let data = try folderSet()
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("ftbase-home-\(UUID().uuidString)").path
    for (args, expected) in [
      (["--base", "mobilenet"], "no weights for mobilenet on this computer: put mobilenet_1_0_224_tf_no_top.h5 in \(home)/models"),
      (["--base", kerasModel, "--unfreeze", "some"], "--unfreeze must be all or a number of layers"),
      (["--augment", "flip"], "--augment, --base-input and --unfreeze belong to a pretrained base"),
    ] {
      let r = try CommandRunner.run(
        ["finetune", "--dataset", "folder:" + data, "--label-pattern", "_([0-2])[LR]\\.png$", "--image-size", "16x16"] + args,
        environment: ["KERAS_HOME": home])
      XCTAssertEqual(r.status, 1, r.stdout)
      XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
      XCTAssertTrue(r.stderr.hasPrefix("convplay: " + expected), r.stderr)
    }
  }

  /// A PyTorch file for a base whose torchvision namesake is another network (or none) is
  /// refused with the reason, in English and in Spanish.
  func testPyTorchFileForABranchedOrV1BaseSaysWhy() throws {
    let data = try folderSet()
    let pth = URL(fileURLWithPath: kerasModel).deletingLastPathComponent().appendingPathComponent("torch_zip.pth").path
    for (base, lang, expected) in [
      ("resnet50", "en", "torch_zip.pth: the resnet50 base reads Keras weight files (.h5, .keras), not .pth: torchvision's resnet50 is ResNet v1.5"),
      ("mobilenet", "en", "torch_zip.pth: the mobilenet base reads Keras weight files (.h5, .keras), not .pth: torchvision has MobileNet v2 and v3"),
      ("xception", "es", "torch_zip.pth: la base xception lee archivos de pesos de Keras (.h5, .keras), no .pth: torchvision no tiene Xception"),
    ] {
      let r = try CommandRunner.run([
        "finetune", "--base", base, "--weights", pth, "--dataset", "folder:" + data, "--label-pattern", "_([0-2])[LR]\\.png$",
        "--lang", lang,
      ])
      XCTAssertEqual(r.status, 1, r.stdout)
      XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
      XCTAssertTrue(r.stderr.hasPrefix("convplay: " + expected), r.stderr)
    }
  }
}
