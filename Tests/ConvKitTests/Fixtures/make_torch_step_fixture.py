#!/usr/bin/env python3
"""One training step of a small CNN in PyTorch (float64), the independent reference for
convplay's forward and backward passes (NetworkTests.testOneStepMatchesPyTorch).

Model, in convplay's terms (input 12x12x2, batch 4):
  conv2d(4, 3, strides=2, padding=same, relu)   -> 6x6x4  (Keras same: pad 0 top/left, 1 bottom/right)
  batchnorm (training mode: batch statistics, epsilon 1e-3)
  maxpool(2)                                    -> 3x3x4
  conv2d(3, 2, padding=valid, tanh)             -> 2x2x3
  flatten (NHWC order, as Keras)                -> 12
  dense(3, softmax), categorical cross-entropy (batch mean)

Weights are written in Keras's layouts (conv kernel [KH, KW, Cin, Cout], dense [in, units]);
the input in NHWC. Output: torch_step.json with the weights, input, labels, loss, gradients
and the weights after one SGD step (lr 0.1).
Run: python3 make_torch_step_fixture.py  (needs torch and numpy)
"""
import json
import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(7)

def uniform(shape, limit):
    return rng.uniform(-limit, limit, size=shape)

x_nhwc = rng.uniform(0, 1, size=(4, 12, 12, 2))
labels = np.array([0, 2, 1, 2])
k1 = uniform((3, 3, 2, 4), 0.5); b1 = uniform((4,), 0.1)
gamma = rng.uniform(0.5, 1.5, size=(4,)); beta = uniform((4,), 0.2)
k2 = uniform((2, 2, 4, 3), 0.5); b2 = uniform((3,), 0.1)
k3 = uniform((12, 3), 0.5); b3 = uniform((3,), 0.1)

params = {
    "conv2d/kernel": k1, "conv2d/bias": b1,
    "batch_normalization/gamma": gamma, "batch_normalization/beta": beta,
    "conv2d_1/kernel": k2, "conv2d_1/bias": b2,
    "dense/kernel": k3, "dense/bias": b3,
}
t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}

x = torch.tensor(x_nhwc).permute(0, 3, 1, 2)              # NCHW
h = F.pad(x, (0, 1, 0, 1))                                # Keras 'same', stride 2, 12 -> 6
h = F.conv2d(h, t["conv2d/kernel"].permute(3, 2, 0, 1), t["conv2d/bias"], stride=2)
h = torch.relu(h)
mean = h.mean(dim=(0, 2, 3), keepdim=True)
var = h.var(dim=(0, 2, 3), unbiased=False, keepdim=True)
h = (h - mean) / torch.sqrt(var + 1e-3)
h = h * t["batch_normalization/gamma"].view(1, -1, 1, 1) + t["batch_normalization/beta"].view(1, -1, 1, 1)
h = F.max_pool2d(h, 2)
h = torch.tanh(F.conv2d(h, t["conv2d_1/kernel"].permute(3, 2, 0, 1), t["conv2d_1/bias"]))
h = h.permute(0, 2, 3, 1).reshape(4, -1)                  # flatten in NHWC order
logits = h @ t["dense/kernel"] + t["dense/bias"]
loss = F.cross_entropy(logits, torch.tensor(labels))
loss.backward()

out = {
    "input_shape": [12, 12, 2],
    "input": x_nhwc.ravel().tolist(),
    "labels": labels.tolist(),
    "loss": loss.item(),
    "probabilities": torch.softmax(logits, dim=1).detach().numpy().ravel().tolist(),
    "weights": {k: v.ravel().tolist() for k, v in params.items()},
    "gradients": {k: t[k].grad.numpy().ravel().tolist() for k in params},
    "sgd_lr": 0.1,
    "after_sgd": {k: (params[k] - 0.1 * t[k].grad.numpy()).ravel().tolist() for k in params},
}
with open("torch_step.json", "w") as f:
    json.dump(out, f)
print("loss", out["loss"])
