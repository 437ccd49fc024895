/// matplotlib's sequential Reds, Greens and Blues colour maps, which the course uses to show
/// one channel of a photo (`plt.imshow(img[:, :, 0], cmap='Reds')`).
///
/// Each map runs through the nine ColorBrewer colours of the same name (colorbrewer2.org, by
/// Cynthia Brewer, Apache 2.0 licence), evenly spaced, light for 0 and dark for 255, linearly
/// interpolated into a 256-entry table as matplotlib builds it.
/// Unlike `imshow`, which stretches each channel's own min...max, convplay maps 0...255 itself,
/// so channels can be compared with each other.
public enum Colormap: String, CaseIterable, Sendable {
  case reds = "Reds"
  case greens = "Greens"
  case blues = "Blues"

  /// The ColorBrewer 9-class anchors, light to dark, as 0xRRGGBB.
  public var anchors: [UInt32] {
    switch self {
    case .reds:
      return [0xfff5f0, 0xfee0d2, 0xfcbba1, 0xfc9272, 0xfb6a4a, 0xef3b2c, 0xcb181d, 0xa50f15, 0x67000d]
    case .greens:
      return [0xf7fcf5, 0xe5f5e0, 0xc7e9c0, 0xa1d99b, 0x74c476, 0x41ab5d, 0x238b45, 0x006d2c, 0x00441b]
    case .blues:
      return [0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b]
    }
  }

  /// 256 RGB entries: entry i is the map at i/255, each component truncated to 8 bits as
  /// matplotlib's `cmap(x, bytes=True)` does.
  public var table: [(r: UInt8, g: UInt8, b: UInt8)] {
    let a = anchors.map { c -> (Double, Double, Double) in
      (Double(c >> 16 & 0xff) / 255, Double(c >> 8 & 0xff) / 255, Double(c & 0xff) / 255)
    }
    let segments = Double(a.count - 1)
    return (0..<256).map { i in
      let x = Double(i) / 255 * segments
      let k = min(Int(x), a.count - 2)
      let t = x - Double(k)
      func mix(_ p: Double, _ q: Double) -> UInt8 { UInt8((p + (q - p) * t) * 255) }
      return (mix(a[k].0, a[k + 1].0), mix(a[k].1, a[k + 1].1), mix(a[k].2, a[k + 1].2))
    }
  }

  /// One channel (0...255) drawn in this map: an RGB image. A value v picks entry
  /// floor(v / 255 * 256), clamped to 0...255 (matplotlib's lookup), so whole values pick
  /// their own entry.
  public func tint(_ channel: Image) -> Image {
    precondition(channel.channels == 1, "tint takes one channel")
    let lut = table
    let n = channel.pixelCount
    var out = [Float](repeating: 0, count: 3 * n)
    let s = channel.samples
    for p in 0..<n {
      let v = s[p]
      let i = v.isNaN ? 0 : Int(min(max(v / 255 * 256, 0), 255))
      let e = lut[i]
      out[p] = Float(e.r)
      out[n + p] = Float(e.g)
      out[2 * n + p] = Float(e.b)
    }
    return Image(width: channel.width, height: channel.height, channels: 3, samples: out)
  }
}
