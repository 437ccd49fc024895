import ConvKit
import Dispatch
import Foundation

/// `--augment flip,rotate=10,shift=0.1,zoom=0.1`: Keras's random preprocessing layers on the
/// training images, each image with its own random draw.
///
/// | convplay        | Keras 3 layer                                             |
/// |-----------------|-----------------------------------------------------------|
/// | `flip`          | `RandomFlip("horizontal")` (probability 1/2)              |
/// | `rotate=D`      | `RandomRotation(D / 360)`: angle uniform in [-D, D] degrees (Keras's factor is a fraction of a full turn, 2π) |
/// | `shift=F`       | `RandomTranslation(F, F)`: up to F of the height and of the width |
/// | `zoom=F`        | `RandomZoom(F, F)` as Keras draws it: height and width scaled by factors in [1-F, 1+F] |
///
/// All with Keras's defaults: `fill_mode="reflect"` (d c b a | a b c d | d c b a) and bilinear
/// interpolation. Rotation, translation and zoom are composed into one affine map and the image
/// is resampled once (a Keras model with the three layers resamples three times); each
/// transform on its own equals Keras's layer (Tests/ConvImageIOTests: fixture made with Keras).
public struct Augmentation: Equatable, Sendable, CustomStringConvertible {
  public var flip = false
  /// Largest rotation, in degrees.
  public var rotateDegrees = 0.0
  /// Largest translation, as a fraction of the height (rows) and width (columns).
  public var shift = 0.0
  /// Largest zoom change: factors in [1 - zoom, 1 + zoom].
  public var zoom = 0.0

  public init(flip: Bool = false, rotateDegrees: Double = 0, shift: Double = 0, zoom: Double = 0) {
    self.flip = flip
    self.rotateDegrees = rotateDegrees
    self.shift = shift
    self.zoom = zoom
  }

  /// `flip,rotate=10,shift=0.1,zoom=0.1` (any subset, any order), checked.
  public init(parsing text: String) throws(ImageError) {
    let usage = "--augment takes a list such as flip,rotate=10,shift=0.1,zoom=0.1"
    for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
      let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
      if parts == ["flip"] {
        flip = true
        continue
      }
      guard parts.count == 2, let value = Double(parts[1]), value.isFinite else {
        throw .io("\(usage) (got '\(item)')")
      }
      switch parts[0] {
      case "rotate":
        guard value >= 0 && value <= 180 else { throw .io("--augment rotate=D takes degrees in 0-180 (got \(parts[1]))") }
        rotateDegrees = value
      case "shift":
        guard value >= 0 && value <= 1 else { throw .io("--augment shift=F takes a fraction in 0-1 (got \(parts[1]))") }
        shift = value
      case "zoom":
        guard value >= 0 && value < 1 else { throw .io("--augment zoom=F takes a fraction in 0-1 (got \(parts[1]))") }
        zoom = value
      default:
        throw .io("\(usage): unknown transform '\(parts[0])' (known: flip, rotate, shift, zoom)")
      }
    }
    if self == Augmentation() { throw .io("\(usage) (got '\(text)')") }
  }

  public var description: String {
    var parts: [String] = []
    if flip { parts.append("flip") }
    if rotateDegrees > 0 { parts.append("rotate=\(NumberText.format(rotateDegrees))") }
    if shift > 0 { parts.append("shift=\(NumberText.format(shift))") }
    if zoom > 0 { parts.append("zoom=\(NumberText.format(zoom))") }
    return parts.joined(separator: ",")
  }

  /// The parameters drawn for one image.
  public struct Draw: Equatable, Sendable {
    public var flip = false
    public var degrees = 0.0
    /// Translation in pixels (Keras's dx, dy: the content moves right/down by them).
    public var dx = 0.0
    public var dy = 0.0
    /// Keras's zoom factors (> 1 shows more of the image: zooms out).
    public var zoomX = 1.0
    public var zoomY = 1.0

    public init(flip: Bool = false, degrees: Double = 0, dx: Double = 0, dy: Double = 0, zoomX: Double = 1, zoomY: Double = 1) {
      self.flip = flip
      self.degrees = degrees
      self.dx = dx
      self.dy = dy
      self.zoomX = zoomX
      self.zoomY = zoomY
    }

    /// Where output pixel (x, y) reads the input, as Keras's `affine_transform` matrix
    /// [a0, a1, a2, b0, b1, b2]: x' = a0 x + a1 y + a2, y' = b0 x + b1 y + b2. The layers'
    /// maps in Keras's order (flip, rotation, translation, zoom) composed: output -> zoom ->
    /// translation -> rotation -> flip -> input.
    public func matrix(height h: Int, width w: Int) -> [Double] {
      let cx = Double(w - 1) / 2
      let cy = Double(h - 1) / 2
      let t = degrees * .pi / 180
      let (c, s) = (cos(t), sin(t))
      // Keras's RandomRotation (_compute_affine_matrix about the centre).
      let rotation = [c, -s, cx - cx * c + cy * s, s, c, cy - cx * s - cy * c]
      let translation = [1, 0, -dx, 0, 1, -dy]
      let zooming = [zoomX, 0, cx * (1 - zoomX), 0, zoomY, cy * (1 - zoomY)]
      var m = Draw.compose(Draw.compose(rotation, translation), zooming)
      if flip { m = Draw.compose([-1, 0, Double(w - 1), 0, 1, 0], m) }
      return m
    }

    /// The map "first `b`, then `a`" of two 2x3 affine maps.
    static func compose(_ a: [Double], _ b: [Double]) -> [Double] {
      [
        a[0] * b[0] + a[1] * b[3], a[0] * b[1] + a[1] * b[4], a[0] * b[2] + a[1] * b[5] + a[2],
        a[3] * b[0] + a[4] * b[3], a[3] * b[1] + a[4] * b[4], a[3] * b[2] + a[4] * b[5] + a[5],
      ]
    }
  }

  /// One image's random parameters, drawn as Keras draws them (uniform in the ranges).
  public func draw(height: Int, width: Int, using rng: inout RandomSource) -> Draw {
    func uniform(_ limit: Double) -> Double { limit == 0 ? 0 : (2 * Double(rng.nextUnitFloat()) - 1) * limit }
    var d = Draw()
    if flip { d.flip = rng.next() & 1 == 1 }
    d.degrees = uniform(rotateDegrees)
    d.dy = uniform(shift) * Double(height)
    d.dx = uniform(shift) * Double(width)
    d.zoomY = 1 + uniform(zoom)
    d.zoomX = 1 + uniform(zoom)
    return d
  }

  /// A new copy of `images` `[N, H, W, C]`, each image transformed by its own draw from `rng`
  /// (the draws are made in order, then the images are transformed on all cores).
  public func apply(to images: Tensor, using rng: inout RandomSource) -> Tensor {
    precondition(images.rank == 4, "augmentation takes [N, H, W, C] images")
    let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    let draws = (0..<n).map { _ in draw(height: h, width: w, using: &rng) }
    var out = [Float](repeating: 0, count: images.count)
    let per = h * w * c
    images.scalars.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        let p = AffinePointers(src: src.baseAddress!, dst: dst.baseAddress!)
        let chunks = min(n, 64)
        DispatchQueue.concurrentPerform(iterations: max(1, chunks)) { chunk in
          for i in stride(from: chunk, to: n, by: max(1, chunks)) {
            Augmentation.affine(
              p.src + i * per, height: h, width: w, channels: c,
              matrix: draws[i].matrix(height: h, width: w), into: p.dst + i * per)
          }
        }
      }
    }
    return Tensor(shape: images.shape, scalars: out)
  }

  struct AffinePointers: @unchecked Sendable {
    var src: UnsafePointer<Float>
    var dst: UnsafeMutablePointer<Float>
  }

  /// Keras's `affine_transform` with bilinear interpolation and `fill_mode="reflect"` on one
  /// `[H, W, C]` image: output pixel (x, y) is the input sampled at (a0 x + a1 y + a2,
  /// b0 x + b1 y + b2), the four neighbours' indices reflected into the image
  /// (-1 -> 0, -2 -> 1, W -> W-1), as Keras's `map_coordinates` does.
  public static func affine(
    _ src: UnsafePointer<Float>, height h: Int, width w: Int, channels c: Int, matrix m: [Double],
    into dst: UnsafeMutablePointer<Float>
  ) {
    let (a0, a1, a2, b0, b1, b2) = (m[0], m[1], m[2], m[3], m[4], m[5])
    var o = 0
    for y in 0..<h {
      for x in 0..<w {
        let sx = a0 * Double(x) + a1 * Double(y) + a2
        let sy = b0 * Double(x) + b1 * Double(y) + b2
        let fx = sx.rounded(.down)
        let fy = sy.rounded(.down)
        let wx = Float(sx - fx)
        let wy = Float(sy - fy)
        let x0 = reflect(Int(fx), w)
        let x1 = reflect(Int(fx) + 1, w)
        let y0 = reflect(Int(fy), h)
        let y1 = reflect(Int(fy) + 1, h)
        let p00 = src + (y0 * w + x0) * c
        let p01 = src + (y0 * w + x1) * c
        let p10 = src + (y1 * w + x0) * c
        let p11 = src + (y1 * w + x1) * c
        for k in 0..<c {
          let top = p00[k] * (1 - wx) + p01[k] * wx
          let bottom = p10[k] * (1 - wx) + p11[k] * wx
          dst[o + k] = top * (1 - wy) + bottom * wy
        }
        o += c
      }
    }
  }

  /// Half-sample symmetric reflection of index `i` into 0..<n (d c b a | a b c d | d c b a).
  @inline(__always)
  static func reflect(_ i: Int, _ n: Int) -> Int {
    if i >= 0 && i < n { return i }
    let period = 2 * n
    var r = i % period
    if r < 0 { r += period }
    return r < n ? r : period - 1 - r
  }
}
