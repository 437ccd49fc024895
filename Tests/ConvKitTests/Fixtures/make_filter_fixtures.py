#!/usr/bin/env python3
"""Expected results for FilterKernelsTests, computed independently of convplay with SciPy.

Writes filter_input.txt (a [3, 13, 61] float32 image, channels separated by a blank line) and one
filter_<case>.txt per case below: the output matrix of cross-correlation (Keras/TensorFlow
conv2d semantics: 'same' puts the smaller half of the zeros top/left), computed as
scipy.signal.correlate on a zero-padded copy with a dilated kernel, then strided by slicing.
Numbers are printed with 9 significant digits (exact for float32 inputs).

Run from this directory: python3 make_filter_fixtures.py  (numpy 2.x, scipy 1.x)
"""
import math

import numpy as np
from scipy import signal

KERNELS = {
    "sobel-x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "edge": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "roberts-diagonal": [[-1, 0], [0, 1]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    "gaussian-5x5": (np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256.0).tolist(),
}

# name, kernel, stride (rows, cols), padding ('valid', 'same' or int), dilation, flip, channels
CASES = [
    ("sobel_same", "sobel-x", (1, 1), "same", 1, False, "gray"),
    ("edge_valid_stride2", "edge", (2, 2), "valid", 1, False, "gray"),
    ("gauss5_same_dilation2", "gaussian-5x5", (1, 1), "same", 2, False, "gray"),
    ("roberts_same", "roberts-diagonal", (1, 1), "same", 1, False, "gray"),
    ("edge_pad1_stride2x3", "edge", (2, 3), 1, 1, False, "gray"),
    ("emboss_flip_same", "emboss", (1, 1), "same", 1, True, "gray"),
    ("sobel_same_stride2", "sobel-x", (2, 2), "same", 1, False, "gray"),
    ("edge_per_channel_same", "edge", (1, 1), "same", 1, False, "per-channel"),
    ("rgb_kernel_valid", "rgb", (1, 1), "valid", 1, False, "summed"),
]


def pads(n, k, s, d, padding):
    span = d * (k - 1) + 1
    if padding == "valid":
        return 0, 0
    if padding == "same":
        out = math.ceil(n / s)
        total = max((out - 1) * s + span - n, 0)
        return total // 2, total - total // 2
    return padding, padding


def correlate(plane, kernel, stride, padding, dilation):
    kh, kw = kernel.shape
    dk = np.zeros((dilation * (kh - 1) + 1, dilation * (kw - 1) + 1), np.float64)
    dk[::dilation, ::dilation] = kernel
    top, bottom = pads(plane.shape[0], kh, stride[0], dilation, padding)
    left, right = pads(plane.shape[1], kw, stride[1], dilation, padding)
    padded = np.pad(plane.astype(np.float64), ((top, bottom), (left, right)))
    full = signal.correlate(padded, dk, mode="valid", method="direct")
    return full[:: stride[0], :: stride[1]]


def write(path, planes):
    with open(path, "w") as f:
        f.write("# written by make_filter_fixtures.py\n")
        for i, p in enumerate(planes):
            if i:
                f.write("\n")
            for row in p:
                f.write(" ".join(f"{v:.9g}" for v in row) + "\n")


def main():
    rng = np.random.default_rng(20261124)
    image = (rng.random((3, 13, 61)) * 255).astype(np.float32)
    write("filter_input.txt", image)
    gray = image[0]
    rgb_kernel = np.array(
        [[[1, 0, -1], [2, 0, -2], [1, 0, -1]], [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
         [[0.5, 0.25, 0], [0, 0.25, 0], [0, 0, -1]]], np.float32)
    write("filter_rgb_kernel.txt", rgb_kernel)
    for name, kname, stride, padding, dilation, flip, mode in CASES:
        if mode == "summed":
            k = rgb_kernel[:, ::-1, ::-1] if flip else rgb_kernel
            out = sum(correlate(image[c], k[c], stride, padding, dilation) for c in range(3))
            planes = [out]
        else:
            k = np.array(KERNELS[kname], np.float64)
            if flip:
                k = k[::-1, ::-1]
            sources = [gray] if mode == "gray" else list(image)
            planes = [correlate(p, k, stride, padding, dilation) for p in sources]
        write(f"filter_{name}.txt", planes)


if __name__ == "__main__":
    main()
