#!/usr/bin/env python3
"""Reference outputs for convplay's convolution and pooling, computed independently with NumPy
(and cross-checked against SciPy where it has the same operation).

Writes window_cases.json beside this script. Run: python3 make_window_fixtures.py
Needs numpy and scipy (pip install numpy scipy). The test suite only reads the JSON.

Conventions checked (Keras / TensorFlow):
  valid: out = floor((n - d*(k-1) - 1)/s) + 1
  same:  out = ceil(n/s); total = max((out-1)*s + d*(k-1) + 1 - n, 0); before = total//2
  explicit P: P zeros on each side (only cases where the sizes divide)
  flip: true convolution (kernel rotated 180 degrees)
  pooling: padded cells ignored (max: -inf, avg: excluded from the mean)
"""
import json
import os

import numpy as np
from scipy import signal

rng = np.random.default_rng(20261124)


def pads(n, k, s, d, padding):
    span = d * (k - 1) + 1
    if padding == "valid":
        return 0, 0
    if padding == "same":
        out = -(-n // s)
        total = max((out - 1) * s + span - n, 0)
        return total // 2, total - total // 2
    return padding, padding


def correlate(x, w, s, d, padding, bias, flip):
    """x: (C, H, W), w: (C, KH, KW) -> (1, OH, OW); channels summed, bias added."""
    if flip:
        w = w[:, ::-1, ::-1]
    C, H, W = x.shape
    _, KH, KW = w.shape
    (t, b), (l, r) = pads(H, KH, s[0], d, padding), pads(W, KW, s[1], d, padding)
    xp = np.pad(x.astype(np.float64), ((0, 0), (t, b), (l, r)))
    spanh, spanw = d * (KH - 1) + 1, d * (KW - 1) + 1
    oh = (xp.shape[1] - spanh) // s[0] + 1
    ow = (xp.shape[2] - spanw) // s[1] + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * s[0]: i * s[0] + spanh: d, j * s[1]: j * s[1] + spanw: d]
            out[i, j] = np.einsum("chw,chw->", patch, w.astype(np.float64))
    return (out + bias)[None]


def pool(x, k, s, padding, mode):
    C, H, W = x.shape
    (t, b), (l, r) = pads(H, k[0], s[0], 1, padding), pads(W, k[1], s[1], 1, padding)
    fill = -np.inf if mode == "max" else np.nan
    xp = np.pad(x.astype(np.float64), ((0, 0), (t, b), (l, r)), constant_values=fill)
    oh = (xp.shape[1] - k[0]) // s[0] + 1
    ow = (xp.shape[2] - k[1]) // s[1] + 1
    out = np.zeros((C, oh, ow))
    for c in range(C):
        for i in range(oh):
            for j in range(ow):
                p = xp[c, i * s[0]: i * s[0] + k[0], j * s[1]: j * s[1] + k[1]]
                out[c, i, j] = p.max() if mode == "max" else np.nanmean(p)
    return out


def check_against_scipy(x, w, out, flip):
    """For one channel, stride 1, dilation 1, valid: SciPy must agree."""
    ref = signal.convolve2d(x[0], w[0], mode="valid") if flip else signal.correlate2d(x[0], w[0], mode="valid")
    assert np.allclose(ref, out[0]), "numpy reference disagrees with scipy"


cases = []
for n in range(60):
    C = int(rng.choice([1, 1, 2, 3]))
    H, W = int(rng.integers(3, 12)), int(rng.integers(3, 12))
    KH, KW = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    s = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    d = int(rng.choice([1, 1, 1, 2]))
    padding = str(rng.choice(["valid", "same", "explicit"]))
    if padding == "explicit":
        padding = int(rng.integers(0, 3))
    flip = bool(rng.integers(0, 2))
    bias = float(np.round(rng.normal(), 2)) if C > 1 else 0.0
    x = rng.integers(-50, 256, size=(C, H, W)).astype(np.float32)
    w = np.round(rng.normal(size=(C, KH, KW)), 3).astype(np.float32)
    spanh, spanw = d * (KH - 1) + 1, d * (KW - 1) + 1
    ph, pw = pads(H, KH, s[0], d, padding), pads(W, KW, s[1], d, padding)
    if H + sum(ph) < spanh or W + sum(pw) < spanw:
        continue
    if isinstance(padding, int) and ((H + 2 * padding - spanh) % s[0] or (W + 2 * padding - spanw) % s[1]):
        continue  # convplay refuses explicit padding that does not divide (the course's "why?")
    out = correlate(x, w, s, d, padding, bias, flip)
    if C == 1 and s == (1, 1) and d == 1 and padding in ("valid", 0):
        check_against_scipy(x, w, out, flip)
    cases.append(dict(kind="conv", input=x.tolist(), kernel=w.tolist(), stride=list(s), dilation=d,
                      padding=str(padding), flip=flip, bias=bias, output=out.tolist()))

for n in range(30):
    C = int(rng.choice([1, 2]))
    H, W = int(rng.integers(2, 12)), int(rng.integers(2, 12))
    k = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    s = k if rng.integers(0, 2) else (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    padding = str(rng.choice(["valid", "same"]))
    mode = str(rng.choice(["max", "avg"]))
    if padding == "valid" and (H < k[0] or W < k[1]):
        continue
    x = rng.integers(-100, 256, size=(C, H, W)).astype(np.float32)
    out = pool(x, k, s, padding, mode)
    cases.append(dict(kind="pool", input=x.tolist(), size=list(k), stride=list(s), padding=padding,
                      mode=mode, output=out.tolist()))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "window_cases.json")
with open(path, "w") as f:
    json.dump(cases, f)
print(f"wrote {len(cases)} cases to {path}")
