#!/usr/bin/env python3
"""Output sizes and never-visited input indices of one window axis, from PyTorch and Keras:
the independent reference for OutputShape.axis and AxisGeometry.unvisitedInputs
(OutputShapeTests.testAgainstPyTorchAndKeras).

For every input length n, kernel k, stride s, dilation d and padding (explicit 0..3 zeros per
side from torch.nn.functional.conv2d; 'same' from keras.ops.conv, Keras 3 on the torch backend)
the script runs a real convolution of an all-ones kernel over an n x 1 input and records:
  out        the output length the framework produced
  unvisited  the input indices whose gradient is zero (no tap of any window reads them)
Cases the framework refuses (kernel span larger than the padded input) are left out.
Run: KERAS_BACKEND=torch python3 make_output_size_fixture.py   (writes output_sizes.json)
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
cases = []


def record(n, k, s, d, padding, y, x):
    y.sum().backward()
    unvisited = [i for i in range(n) if x.grad[0, 0, i, 0].item() == 0]
    cases.append({"n": n, "k": k, "s": s, "d": d, "padding": padding,
                  "out": int(y.shape[2]), "unvisited": unvisited})


for n in range(1, 11):
    for k in range(1, 5):
        for s in range(1, 5):
            for d in range(1, 4):
                span = d * (k - 1) + 1
                for p in range(0, 4):
                    if n + 2 * p < span:
                        continue
                    x = torch.ones(1, 1, n, 1, requires_grad=True)
                    w = torch.ones(1, 1, k, 1)
                    y = F.conv2d(x, w, stride=(s, 1), padding=(p, 0), dilation=(d, 1))
                    record(n, k, s, d, str(p), y, x)
                if d > 1 and s > 1:
                    continue  # Keras refuses strides > 1 together with dilation > 1
                x = torch.ones(1, n, 1, 1, requires_grad=True)  # NHWC for Keras
                w = torch.ones(k, 1, 1, 1)
                y = keras.ops.conv(x, w, strides=(s, 1), padding="same", dilation_rate=(d, 1))
                y.sum().backward()
                unvisited = [i for i in range(n) if x.grad[0, i, 0, 0].item() == 0]
                cases.append({"n": n, "k": k, "s": s, "d": d, "padding": "same",
                              "out": int(y.shape[1]), "unvisited": unvisited})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "output_sizes.json"), "w") as f:
    json.dump({"source": f"torch {torch.__version__}, keras {keras.__version__}", "cases": cases},
              f, separators=(",", ":"))
print(len(cases), "cases")
