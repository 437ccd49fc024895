import ConvImageIO
import ConvKit
import Foundation
import XCTest

/// Shared helpers: fixture paths (made by Fixtures/make_image_fixtures.py) and the shared photos.
class ImageTestCase: XCTestCase {
  func fixture(_ name: String) throws -> String {
    let parts = name.split(separator: ".")
    let url = try XCTUnwrap(
      Bundle.module.url(
        forResource: String(parts[0]), withExtension: String(parts[1]), subdirectory: "Fixtures"),
      "missing fixture \(name)")
    return url.path
  }

  func read(_ name: String, maxPixels: Int = ImageCodec.defaultMaxPixels) throws -> DecodedImage {
    try ImageFile.read(try fixture(name), maxPixels: maxPixels)
  }

  /// ../shared/images (CONVPLAY_SHARED, set by scripts/test), or skip.
  func sharedImages() throws -> String {
    guard let shared = ProcessInfo.processInfo.environment["CONVPLAY_SHARED"] else {
      throw XCTSkip("CONVPLAY_SHARED is not set: the shared photos are not available")
    }
    let dir = shared + "/images"
    guard FileManager.default.fileExists(atPath: dir) else {
      throw XCTSkip("\(dir) does not exist")
    }
    return dir
  }

  func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convplay-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.path
  }

  /// The error thrown by `body`, as an ImageError.
  func imageError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> ImageError? {
    do {
      _ = try body()
      XCTFail("expected an error", file: file, line: line)
      return nil
    } catch let e as LocatedImageError {
      return e.error
    } catch let e as ImageError {
      return e
    } catch {
      XCTFail("unexpected error \(error)", file: file, line: line)
      return nil
    }
  }
}

final class DecodeTests: ImageTestCase {
  /// PNGs written by the fixture script's own encoder decode to the numbers NumPy wrote.
  func testPNGMatchesIndependentEncoder() throws {
    let rgb = try read("rgb_7x5.npy").image
    XCTAssertEqual(rgb.summary, "7x5 RGB")
    XCTAssertEqual(try read("rgb_7x5.png").image, rgb)
    let interlaced = try read("rgb_7x5_interlaced.png")
    XCTAssertTrue(interlaced.info.interlaced)
    XCTAssertEqual(interlaced.image, rgb)
    XCTAssertEqual(try read("gray2bit_7x5.png").image, try read("gray2bit_expected.npy").image)
  }

  /// 16-bit samples keep their precision: v / 257, not rounded to 8 bits.
  func testSixteenBitIsDividedBy257() throws {
    let d = try read("gray16_7x5.png")
    XCTAssertEqual(d.info.bitDepth, 16)
    XCTAssertEqual(d.image, try read("gray16_expected.npy").image)
  }

  /// The stored numbers are read, whatever gAMA or sRGB chunks say (libpng alone would convert).
  func testColorSpaceChunksDoNotChangeValues() throws {
    XCTAssertEqual(try read("gray_gamma1_7x5.png").image, try read("rgb_7x5.npy").image.channel(0))
    XCTAssertEqual(try read("gray16_srgb_7x5.png").image, try read("gray16_expected.npy").image)
  }

  /// Alpha is composited on white: c*a/255 + (255 - a).
  func testAlphaCompositedOnWhite() throws {
    let ga = try read("gray_alpha_7x5.png")
    XCTAssertEqual(ga.info.color, .grayAlpha)
    XCTAssertTrue(ga.info.hasAlpha)
    XCTAssertEqual(ga.image.channels, 1)
    XCTAssertEqual(ga.image.samples[0], 255, "transparent pixel is white")
    XCTAssertEqual(ga.image.samples[1], 10, "opaque pixel is unchanged")
    XCTAssertEqual(ga.image, try read("gray_alpha_expected.npy").image)

    let palette = try read("palette_7x5.png")
    XCTAssertEqual(palette.info.color, .palette)
    XCTAssertEqual(palette.image, try read("palette_expected.npy").image)

    // libpng premultiplies 16-bit colour by alpha itself, with its own rounding.
    let rgba16 = try read("rgba16_7x5.png").image
    let expected = try read("rgba16_expected.npy").image
    XCTAssertEqual(rgba16.channels, 3)
    for (a, b) in zip(rgba16.samples, expected.samples) {
      XCTAssertEqual(a, b, accuracy: 0.01)
    }
  }

  func testPixelLimitIsCheckedFromTheHeader() throws {
    // 100000 x 100000 claimed, a few bytes of data: refused by size, not by a failed allocation.
    XCTAssertEqual(
      imageError { try self.read("huge_header.png") },
      .tooLarge(width: 100000, height: 100000, limit: ImageCodec.defaultMaxPixels))
    XCTAssertEqual(
      imageError { try self.read("rgb_7x5.png", maxPixels: 34) },
      .tooLarge(width: 7, height: 5, limit: 34))
    XCTAssertEqual(
      imageError { try self.read("float32_signed.npy", maxPixels: 34) },
      .tooLarge(width: 7, height: 5, limit: 34))
    XCTAssertNoThrow(try read("rgb_7x5.png", maxPixels: 35))
  }

  /// A header under the pixel limit (9000 x 9000) in a file of a few hundred bytes: deflate
  /// cannot inflate that far, so the file is refused before the 243 MB pixel buffer exists.
  func testPixelsTheDataCannotHoldAreRefusedFromTheHeader() throws {
    var png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try fixture("huge_header.png"))))
    XCTAssertEqual(Array(png[12..<16]), Array("IHDR".utf8))
    for (offset, value) in [(16, UInt32(9000)), (20, UInt32(9000))] {
      for k in 0..<4 { png[offset + k] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(k))) }
    }
    // The IHDR chunk's CRC-32 over its type and data, so that libpng accepts the header.
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in png[12..<29] {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    crc = ~crc
    for k in 0..<4 { png[29 + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(k))) }
    XCTAssertLessThan(png.count, 1000)
    let started = Date()
    guard case .corrupt(let why) = imageError({ _ = try ImageCodec.decode(png) }) else {
      return XCTFail("a 9000x9000 header in \(png.count) bytes was not refused as corrupt")
    }
    XCTAssertTrue(why.contains("a 9000x9000 image cannot come from \(png.count) bytes"), why)
    XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
  }

  func testCMYKJPEGIsRefusedClearly() throws {
    guard case .unsupported(let why)? = imageError({ try self.read("cmyk.jpg") }) else {
      return XCTFail("CMYK must be refused as unsupported")
    }
    XCTAssertTrue(why.contains("CMYK"), why)
  }

  /// Every photo in ../shared/images with its size, channels and header facts.
  func testSharedImages() throws {
    let dir = try sharedImages()
    // name: width, height, channels read, format, colour model, bit depth, interlaced/progressive
    let expected: [String: (Int, Int, Int, ImageFormat, ColorModel, Int, Bool)] = [
      "astronaut.png": (512, 512, 3, .png, .rgb, 8, false),
      "camera.png": (512, 512, 1, .png, .gray, 8, false),
      "camera_16bit.png": (512, 512, 1, .png, .gray, 16, false),
      "chelsea.png": (451, 300, 3, .png, .rgb, 8, false),
      "chelsea_gray.jpg": (451, 300, 1, .jpeg, .gray, 8, false),
      "chelsea_gray_alpha.png": (451, 300, 1, .png, .grayAlpha, 8, false),
      "chelsea_palette.png": (451, 300, 3, .png, .palette, 8, false),
      "chelsea_progressive.jpg": (451, 300, 3, .jpeg, .rgb, 8, true),
      "coffee.png": (600, 400, 3, .png, .rgb, 8, false),
      "horse.png": (400, 328, 3, .png, .rgbAlpha, 8, false),
      "hubble_deep_field.jpg": (1000, 872, 3, .jpeg, .rgb, 8, false),
      "rocket.jpg": (640, 427, 3, .jpeg, .rgb, 8, false),
    ]
    let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
      !$0.hasPrefix(".") && $0 != "bad"
    }
    XCTAssertEqual(Set(files), Set(expected.keys), "a photo was added or removed: list it here")
    for (name, e) in expected {
      let d = try ImageFile.read(dir + "/" + name)
      let got = (
        d.image.width, d.image.height, d.image.channels, d.info.format, d.info.color,
        d.info.bitDepth, d.info.interlaced
      )
      XCTAssertEqual("\(got)", "\(e)", name)
      for v in d.image.samples where !(0...255).contains(v) {
        XCTFail("\(name): sample \(v) outside 0...255")
        break
      }
    }
    // The 16-bit camera is the 8-bit one times 257: identical after / 257.
    XCTAssertEqual(
      try ImageFile.read(dir + "/camera_16bit.png").image,
      try ImageFile.read(dir + "/camera.png").image)
    // The progressive JPEG is chelsea.png through a lossy codec: close, not equal.
    let png = try ImageFile.read(dir + "/chelsea.png").image.samples
    let jpg = try ImageFile.read(dir + "/chelsea_progressive.jpg").image.samples
    let meanDifference = zip(png, jpg).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / Double(png.count)
    XCTAssertLessThan(meanDifference, 4)
  }

  /// Every file in ../shared/images/bad is refused as corrupt, with the path in the message.
  func testSharedBadImagesAreRefused() throws {
    let dir = try sharedImages() + "/bad"
    let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    XCTAssertGreaterThanOrEqual(files.count, 6)
    for name in files {
      let path = dir + "/" + name
      do {
        _ = try ImageFile.read(path)
        XCTFail("\(name) was accepted")
      } catch {
        guard case .corrupt = error.error else {
          XCTFail("\(name): \(error) is not reported as corrupt")
          continue
        }
        XCTAssertTrue(error.description.hasPrefix(path + ": "), error.description)
        XCTAssertFalse(error.description.contains("\n"))
      }
    }
  }

  func testUnreadableInputs() throws {
    let dir = try temporaryDirectory()
    XCTAssertEqual(imageError { try ImageFile.read(dir + "/missing.png") }, .io("no such file"))
    XCTAssertEqual(imageError { try ImageFile.read(dir) }, .io("is a directory, not a file"))
    let text = dir + "/notes.png"
    try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
    XCTAssertEqual(
      imageError { try ImageFile.read(text) }, .corrupt("not a PNG or JPEG file (unrecognised first bytes)"))
  }
}

final class GrayAndColormapTests: ImageTestCase {
  /// Pixel (100, 150, 200) by hand: average 150; luminance 30 + 88.5 + 22 = 140.5;
  /// BT.601 29.9 + 88.05 + 22.8 = 140.75.
  func testHandWorkedPixel() {
    let image = Image(width: 1, height: 1, channels: 3, samples: [100, 150, 200])
    XCTAssertEqual(GrayMethod.average.convert(image).samples, [150])
    XCTAssertEqual(GrayMethod.luminance.convert(image).samples[0], 140.5, accuracy: 1e-4)
    XCTAssertEqual(GrayMethod.bt601.convert(image).samples[0], 140.75, accuracy: 1e-4)
    XCTAssertEqual(GrayMethod.none.convert(image), image)
    let gray = Image(width: 1, height: 1, channels: 1, samples: [7])
    XCTAssertEqual(GrayMethod.luminance.convert(gray), gray)
  }

  /// Bit-for-bit what NumPy computes in float32 (make_image_fixtures.py).
  func testGrayMatchesNumPy() throws {
    let rgb = try read("rgb_7x5.npy").image
    for method in [GrayMethod.average, .luminance, .bt601] {
      XCTAssertEqual(method.convert(rgb), try read("gray_\(method.rawValue).npy").image, "\(method)")
    }
  }

  /// matplotlib's Reds/Greens/Blues ends (ColorBrewer): light at 0, dark at 255.
  func testColormapEnds() {
    let reds = Colormap.reds.table
    XCTAssertTrue(reds[0] == (255, 245, 240))
    XCTAssertTrue(reds[255] == (103, 0, 13))
    XCTAssertTrue(Colormap.greens.table[255] == (0, 68, 27))
    XCTAssertTrue(Colormap.blues.table[0] == (247, 251, 255))
    // Darker as the value grows.
    for map in Colormap.allCases {
      let t = map.table.map { Int($0.r) + Int($0.g) + Int($0.b) }
      XCTAssertTrue(zip(t, t.dropFirst()).allSatisfy { $0 >= $1 }, "\(map)")
    }
    let tinted = Colormap.reds.tint(Image(width: 2, height: 1, channels: 1, samples: [0, 255]))
    XCTAssertEqual(tinted.samples, [255, 103, 245, 0, 240, 13])
  }
}

final class NormalizationTests: XCTestCase {
  func pixels(_ mode: Normalization, _ values: [Float]) -> [UInt8] {
    mode.pixels(of: Image(width: values.count, height: 1, channels: 1, samples: values))
  }

  func testModesByHand() {
    // clip: clamp, round half to even (127.5 -> 128, 126.5 -> 126).
    XCTAssertEqual(pixels(.clip, [-5, 300, 127.5, 126.5, .nan]), [0, 255, 128, 126, 0])
    XCTAssertEqual(pixels(.abs, [-100, 100, -300, 0.4]), [100, 100, 255, 0])
    XCTAssertEqual(pixels(.offset, [-100, 0, 200, -200]), [28, 128, 255, 0])
    // minmax: -10...10 onto 0...255, the middle 127.5 rounds to even 128.
    XCTAssertEqual(pixels(.minmax, [-10, 0, 10]), [0, 128, 255])
    XCTAssertEqual(pixels(.minmax, [3, 3]), [0, 0], "a flat result has no range")
  }

  /// Interleaving: planar R, G, B become R G B per pixel; minmax uses one range for all.
  func testInterleavedOrderAndSharedRange() {
    let image = Image(width: 2, height: 1, channels: 3, samples: [0, 10, 20, 30, 40, 50])
    XCTAssertEqual(Normalization.clip.pixels(of: image), [0, 20, 40, 10, 30, 50])
    XCTAssertEqual(Normalization.minmax.pixels(of: image), [0, 102, 204, 51, 153, 255])
  }

  func testDefaultsByKernelFamily() {
    for preset in KernelPreset.all {
      let mode = Normalization.default(for: preset.family)
      XCTAssertEqual(mode, preset.family == .edge ? .abs : .clip, preset.name)
    }
    XCTAssertEqual(Normalization.default(forWeights: [1, -2, 1]), .abs)
    XCTAssertEqual(Normalization.default(forWeights: [0.25, 0.5, 0.25]), .clip)
  }
}

final class RoundTripTests: ImageTestCase {
  func randomImage(width: Int, height: Int, channels: Int, seed: UInt64) -> Image {
    var state = seed
    let samples = (0..<(width * height * channels)).map { _ -> Float in
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(state >> 56)
    }
    return Image(width: width, height: height, channels: channels, samples: samples)
  }

  func testPNGRoundTripIsExact() throws {
    for (w, h, c) in [(1, 1, 1), (7, 5, 3), (33, 17, 1), (64, 3, 3)] {
      let image = randomImage(width: w, height: h, channels: c, seed: UInt64(w * h + c))
      let png = try ImageFile.encoded(image, as: .png)
      let back = try ImageCodec.decode(png)
      XCTAssertEqual(back.info.format, .png)
      XCTAssertEqual(back.image, image, "\(w)x\(h)x\(c)")
    }
  }

  func testJPEGRoundTripIsClose() throws {
    // A smooth picture: JPEG's home ground.
    let w = 64
    let h = 48
    var samples = [Float]()
    for c in 0..<3 {
      for y in 0..<h {
        for x in 0..<w { samples.append(Float(x * 2 + y + c * 40)) }
      }
    }
    for image in [
      Image(width: w, height: h, channels: 3, samples: samples),
      Image(width: w, height: h, channels: 1, samples: Array(samples[0..<(w * h)])),
    ] {
      let jpeg = try ImageFile.encoded(image, as: .jpeg)
      let back = try ImageCodec.decode(jpeg)
      XCTAssertEqual(back.info.format, .jpeg)
      XCTAssertEqual(back.image.channels, image.channels)
      let diffs = zip(back.image.samples, image.samples).map { abs($0 - $1) }
      XCTAssertLessThan(diffs.reduce(0, +) / Float(diffs.count), 1.5, "mean error")
      XCTAssertLessThan(diffs.max()!, 8, "largest error")
    }
  }

  /// Our .npy writer produces byte for byte what numpy.save wrote for the same float32 array.
  func testNPYWriterMatchesNumPy() throws {
    let path = try fixture("float32_signed.npy")
    let original = try Data(contentsOf: URL(fileURLWithPath: path))
    let image = try ImageFile.read(path).image
    XCTAssertEqual(image.channels, 1)
    XCTAssertEqual(NumPyFile.encode(image), [UInt8](original))
  }

  func testNPYRoundTrip() throws {
    let dir = try temporaryDirectory()
    let rgb = try read("float64_rgb.npy")
    XCTAssertEqual(rgb.info.sampleType, "float64")
    try ImageFile.write(rgb.image, to: dir + "/rgb.npy")
    let back = try ImageFile.read(dir + "/rgb.npy")
    XCTAssertEqual(back.info.sampleType, "float32")
    XCTAssertEqual(back.image, rgb.image)
    // Channels-last in the file: (0, 0) holds R, G, B of the first pixel.
    let u8 = try read("rgb_7x5.npy").image
    XCTAssertEqual([u8.samples[0], u8.samples[35], u8.samples[70]], [100, 150, 200])
  }

  func testNPYRefusals() throws {
    for name in ["fortran.npy", "int64.npy", "four_channels.npy"] {
      guard case .unsupported? = imageError({ try self.read(name) }) else {
        return XCTFail("\(name) must be refused as unsupported")
      }
    }
    let dir = try temporaryDirectory()
    let bytes = try Data(contentsOf: URL(fileURLWithPath: try fixture("float32_signed.npy")))
    try bytes.prefix(bytes.count - 4).write(to: URL(fileURLWithPath: dir + "/cut.npy"))
    guard case .corrupt(let why)? = imageError({ try ImageFile.read(dir + "/cut.npy") }) else {
      return XCTFail("a truncated .npy must be corrupt")
    }
    XCTAssertTrue(why.contains("truncated"), why)
  }

  /// The file appears whole or not at all, and no temporary file stays behind.
  func testAtomicWrites() throws {
    let dir = try temporaryDirectory()
    let image = randomImage(width: 5, height: 4, channels: 3, seed: 1)
    let path = dir + "/out.png"
    try ImageFile.write(image, to: path)
    try ImageFile.write(image, to: path)  // replaces
    XCTAssertEqual(try ImageFile.read(path).image, image)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["out.png"])
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o644)

    XCTAssertNotNil(imageError { try ImageFile.write(image, to: dir + "/missing/out.png") })
    // A directory in the way: the rename fails and the temporary file is removed.
    try FileManager.default.createDirectory(atPath: dir + "/taken.png", withIntermediateDirectories: false)
    XCTAssertNotNil(imageError { try ImageFile.write(image, to: dir + "/taken.png") })
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["out.png", "taken.png"])
    // A set of files: one bad path, none written.
    let set: [(path: String, bytes: [UInt8])] = [
      (dir + "/a.png", [1, 2, 3]), (dir + "/missing/b.png", [4]),
    ]
    XCTAssertThrowsError(try ImageFile.writeAllAtomically(set)) {
      XCTAssertTrue(String(describing: $0).hasPrefix(dir + "/missing/b.png: "), "\($0)")
    }
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["out.png", "taken.png"])
    guard case .unsupported? = imageError({ try ImageFile.write(image, to: dir + "/out.bmp") }) else {
      return XCTFail(".bmp must be refused")
    }
  }
}
