import ConvImageIO
import ConvKit

/// Data-set images made ready for a pretrained base: at the base's input size, with three
/// channels, on the 0...255 scale `preprocess_input` expects. Keras's fine-tuning guide does
/// the same: `image.resize`, gray images repeated into R, G and B, then the network's own
/// preprocessing (`Preprocessing.normalize`).
public enum BaseInput {
  /// `images` `[N, H, W, C]` (C = 1 or 3, values 0...1 as convplay's data sets load them) as
  /// `[N, height, width, 3]` on 0...255; resized bilinearly when the size differs.
  public static func resized(_ images: Tensor, height: Int, width: Int) -> Tensor {
    let n = images.shape[0], h = images.shape[1], w = images.shape[2], c = images.shape[3]
    let inSize = h * w * c
    let outSize = height * width * 3
    var out = [Float](repeating: 0, count: n * outSize)
    images.scalars.withUnsafeBufferPointer { src in
      for i in 0..<n {
        var planes = [Float](repeating: 0, count: 3 * h * w)
        for p in 0..<(h * w) {
          for ch in 0..<3 { planes[ch * h * w + p] = src[i * inSize + p * c + (c == 1 ? 0 : ch)] * 255 }
        }
        var img = Image(width: w, height: h, channels: 3, samples: planes)
        if h != height || w != width { img = img.resizedBilinear(height: height, width: width) }
        let s = img.samples
        let hw = height * width
        for p in 0..<hw { for ch in 0..<3 { out[i * outSize + p * 3 + ch] = s[ch * hw + p] } }
      }
    }
    return Tensor(shape: [n, height, width, 3], scalars: out)
  }
}

extension Preprocessing {
  /// `preprocess_input` on a batch `[N, H, W, 3]` (NHWC, RGB, 0...255): the same numbers
  /// `apply` gives one image.
  public func normalize(_ images: Tensor) -> Tensor {
    precondition(images.shape.last == 3, "preprocess_input takes RGB images")
    var out = images.scalars
    let caffeMeans: [Float] = [103.939, 116.779, 123.68]  // B, G, R
    let torchMeans: [Float] = [0.485, 0.456, 0.406], torchStd: [Float] = [0.229, 0.224, 0.225]
    out.withUnsafeMutableBufferPointer { o in
      images.scalars.withUnsafeBufferPointer { s in
        var p = 0
        while p < o.count {
          for c in 0..<3 {
            switch self {
            case .caffe: o[p + c] = s[p + 2 - c] - caffeMeans[c]
            case .torch: o[p + c] = (s[p + c] / 255 - torchMeans[c]) / torchStd[c]
            case .tf: o[p + c] = s[p + c] / 127.5 - 1
            case .unit: o[p + c] = s[p + c] / 255
            case .raw: break
            }
          }
          p += 3
        }
      }
    }
    return Tensor(shape: images.shape, scalars: out)
  }
}
