"""Fixtures for DepthwiseConv, PointwiseConv and TransposedConv (conv_family.json).

Forward outputs and gradients come from PyTorch autograd on NHWC data converted to NCHW:
depthwise = conv2d(groups=C) on an input padded as Keras pads it; transposed =
conv_transpose2d's full result cropped where Keras's own padding rule
(keras.src.backend.common.backend_utils._convert_conv_transpose_padding_args_from_keras_to_jax,
the TensorFlow/JAX semantics) says. The script also checks that Keras's own DepthwiseConv2D and
Conv2DTranspose layers give the same outputs.

Run: KERAS_BACKEND=torch python3 make_conv_family_fixtures.py  (writes conv_family.json here)
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np
import torch
import torch.nn.functional as F
import keras
from keras.src.backend.common import backend_utils

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(1234)


def same_pads(n, k, s, d):
    span = d * (k - 1) + 1
    out = -(-n // s)
    total = max((out - 1) * s + span - n, 0)
    return total // 2, total - total // 2


def r(*shape):
    return rng.standard_normal(shape).round(4)


def flat(a):
    return [float("%.7g" % v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


def depthwise_case(n, h, w, c, m, kh, kw, s, d, padding):
    x = r(n, h, w, c)
    k = r(kh, kw, c, m)
    b = r(c * m)
    xt = torch.tensor(x).permute(0, 3, 1, 2).requires_grad_()
    kt = torch.tensor(k).requires_grad_()
    bt = torch.tensor(b).requires_grad_()
    weight = kt.reshape(kh, kw, c * m).permute(2, 0, 1).unsqueeze(1)  # [C*M, 1, KH, KW]
    if padding == "same":
        (t, bo), (le, ri) = same_pads(h, kh, s[0], d), same_pads(w, kw, s[1], d)
        xp = F.pad(xt, (le, ri, t, bo))
    else:
        xp = xt
    y = F.conv2d(xp, weight, bt, stride=s, dilation=d, groups=c)
    dy = r(*y.permute(0, 2, 3, 1).shape)
    (y * torch.tensor(dy).permute(0, 3, 1, 2)).sum().backward()
    # Keras's own layer agrees (its torch backend pads 'same' the same way for these cases).
    layer = keras.layers.DepthwiseConv2D((kh, kw), strides=s, padding=padding, depth_multiplier=m,
                                         dilation_rate=d)
    layer.build((n, h, w, c))
    layer.set_weights([k.astype(np.float32), b.astype(np.float32)])
    ky = keras.ops.convert_to_numpy(layer(x.astype(np.float32)))
    yn = y.detach().permute(0, 2, 3, 1).numpy()
    assert ky.shape == yn.shape and np.allclose(ky, yn, atol=1e-4), "keras DepthwiseConv2D disagrees"
    return dict(kind="depthwise", batch=n, height=h, width=w, channels=c, multiplier=m,
                kernel_size=[kh, kw], strides=list(s), dilation=d, padding=padding,
                input=flat(x), kernel=flat(k), bias=flat(b), output_shape=list(yn.shape),
                output=flat(yn), d_output=flat(dy),
                d_input=flat(xt.grad.permute(0, 2, 3, 1)), d_kernel=flat(kt.grad), d_bias=flat(bt.grad))


def transposed_case(n, h, w, cin, f, kh, kw, s, d, padding, output_padding=None):
    x = r(n, h, w, cin)
    k = r(kh, kw, f, cin)  # Keras's order
    b = r(f)
    xt = torch.tensor(x).permute(0, 3, 1, 2).requires_grad_()
    kt = torch.tensor(k).requires_grad_()
    bt = torch.tensor(b).requires_grad_()
    full = F.conv_transpose2d(xt, kt.permute(3, 2, 0, 1), None, stride=s, dilation=d)
    crops = []
    for axis, (size, ks, st) in enumerate([(h, kh, s[0]), (w, kw, s[1])]):
        op = None if output_padding is None else output_padding[axis]
        left, right = backend_utils._convert_conv_transpose_padding_args_from_keras_to_jax(
            ks, st, d, padding, op)
        span = d * (ks - 1) + 1
        length = (size - 1) * st + 1 + left + right - span + 1
        crops.append((span - 1 - left, length))
    (pr, lr), (pc, lc) = crops
    # Cells past the full result (output_padding) get only the bias.
    full = F.pad(full, (0, max(0, pc + lc - full.shape[3]), 0, max(0, pr + lr - full.shape[2])))
    y = full[:, :, pr:pr + lr, pc:pc + lc] + bt.reshape(1, f, 1, 1)
    dy = r(*y.permute(0, 2, 3, 1).shape)
    (y * torch.tensor(dy).permute(0, 3, 1, 2)).sum().backward()
    yn = y.detach().permute(0, 2, 3, 1).numpy()
    layer = keras.layers.Conv2DTranspose(f, (kh, kw), strides=s, padding=padding, dilation_rate=d,
                                         output_padding=output_padding)
    layer.build((n, h, w, cin))
    layer.set_weights([k.astype(np.float32), b.astype(np.float32)])
    ky = keras.ops.convert_to_numpy(layer(x.astype(np.float32)))
    assert ky.shape == yn.shape and np.allclose(ky, yn, atol=1e-4), "keras Conv2DTranspose disagrees"
    return dict(kind="transposed", batch=n, height=h, width=w, channels=cin, filters=f,
                kernel_size=[kh, kw], strides=list(s), dilation=d, padding=padding,
                output_padding=output_padding,
                input=flat(x), kernel=flat(k), bias=flat(b), output_shape=list(yn.shape),
                output=flat(yn), d_output=flat(dy),
                d_input=flat(xt.grad.permute(0, 2, 3, 1)), d_kernel=flat(kt.grad), d_bias=flat(bt.grad))


cases = [
    depthwise_case(2, 7, 6, 3, 1, 3, 3, (1, 1), 1, "same"),
    depthwise_case(1, 8, 9, 5, 2, 3, 3, (2, 2), 1, "same"),
    depthwise_case(2, 9, 7, 4, 1, 3, 2, (2, 1), 1, "valid"),
    depthwise_case(1, 10, 10, 20, 1, 3, 3, (1, 1), 2, "same"),
    depthwise_case(1, 6, 7, 2, 2, 5, 5, (1, 2), 1, "same"),
    transposed_case(2, 4, 5, 3, 2, 3, 3, (2, 2), 1, "valid"),
    transposed_case(1, 4, 3, 2, 3, 3, 3, (1, 1), 1, "same"),
    transposed_case(1, 3, 4, 3, 2, 4, 4, (2, 2), 1, "same"),
    transposed_case(1, 3, 4, 3, 2, 3, 3, (2, 2), 1, "same"),
    transposed_case(1, 4, 4, 2, 2, 3, 2, (2, 3), 1, "valid", output_padding=(1, 2)),
    transposed_case(1, 5, 4, 2, 3, 3, 3, (1, 1), 2, "same"),
    transposed_case(2, 3, 3, 2, 2, 1, 1, (2, 2), 1, "same"),
]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv_family.json")
with open(path, "w") as fh:
    json.dump(cases, fh, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {path}")
