"""Grad-CAM on small conv nets with fixed (seeded) weights, computed with PyTorch autograd, for
GradCAMTests. Weights are written in Keras's layout (Conv2D kernels HWIO, Dense (in, out),
BatchNormalization gamma, beta, moving_mean, moving_variance), images NHWC.

Grad-CAM: A = the explained layer's output, score = the class's logit (before softmax),
weight_k = mean over the map of d(score)/dA_k, map = ReLU(sum_k weight_k A_k).

Run: python3 make_gradcam_fixture.py > gradcam_cases.json
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(7)


def rnd(*shape, scale=0.5):
    return (torch.rand(*shape, dtype=torch.float64) * 2 - 1) * scale


def keras_conv(w):  # OIHW -> HWIO
    return w.permute(2, 3, 1, 0).contiguous()


def flat(t):
    return [float(v) for v in t.reshape(-1)]


cases = []

# Case 1: conv(4, 3x3, relu) -> maxpool 2 -> conv(6, 3x3) -> BN -> ReLU -> GAP -> dense(3, softmax).
# The explained layer is the ReLU after the BN (the last convolution, finished).
x = rnd(1, 3, 14, 14, scale=1.0)
w1, b1 = rnd(4, 3, 3, 3), rnd(4, scale=0.1)
w2, b2 = rnd(6, 4, 3, 3), rnd(6, scale=0.1)
gamma, beta = 1 + rnd(6, scale=0.2), rnd(6, scale=0.1)
mean, var = rnd(6, scale=0.2), 0.5 + torch.rand(6, dtype=torch.float64)
wd, bd = rnd(3, 6, scale=4.0), rnd(3, scale=0.1)
for cls in [None, 2]:
    h = F.relu(F.conv2d(x, w1, b1))
    h = F.max_pool2d(h, 2)
    h = F.conv2d(h, w2, b2)
    h = F.batch_norm(h, mean, var, gamma, beta, training=False, eps=1e-3)
    a = F.relu(h).detach().requires_grad_(True)
    logits = F.linear(a.mean(dim=(2, 3)), wd, bd)
    c = int(logits.argmax()) if cls is None else cls
    logits[0, c].backward()
    weights = a.grad.mean(dim=(2, 3))[0]
    cam = F.relu((weights[:, None, None] * a[0]).sum(0)).detach()
    cases.append({
        "name": "conv_pool_conv_bn_relu_gap_dense" + ("" if cls is None else "_class2"),
        "input_shape": [14, 14, 3], "image": flat(x[0].permute(1, 2, 0)),
        "class": cls, "expected_class": c, "layer": "re_lu",
        "probability": float(torch.softmax(logits.detach(), 1)[0, c]),
        "weights": [flat(keras_conv(w1)), flat(b1), flat(keras_conv(w2)), flat(b2), flat(gamma), flat(beta), flat(mean),
                    flat(var), flat(wd.t()), flat(bd)],
        "cam_shape": list(cam.shape), "cam": flat(cam)})

# Case 2: conv(4, 3x3, relu) -> conv(5, 3x3, relu) -> flatten -> dense(3, softmax), explained at
# the second convolution (its ReLU is inside the layer, as Keras's Conv2D(activation='relu')).
x = rnd(1, 2, 9, 9, scale=1.0)
w1, b1 = rnd(4, 2, 3, 3), rnd(4, scale=0.1)
w2, b2 = rnd(5, 4, 3, 3), rnd(5, scale=0.1)
a0 = F.relu(F.conv2d(F.relu(F.conv2d(x, w1, b1)), w2, b2))
wd, bd = rnd(3, a0.numel(), scale=4.0), rnd(3, scale=0.1)
h = F.relu(F.conv2d(x, w1, b1))
a = F.relu(F.conv2d(h, w2, b2)).detach().requires_grad_(True)
logits = F.linear(a.permute(0, 2, 3, 1).reshape(1, -1), wd, bd)  # Keras flattens NHWC
c = int(logits.argmax())
logits[0, c].backward()
weights = a.grad.mean(dim=(2, 3))[0]
cam = F.relu((weights[:, None, None] * a[0]).sum(0)).detach()
cases.append({
    "name": "conv_conv_flatten_dense", "input_shape": [9, 9, 2], "image": flat(x[0].permute(1, 2, 0)),
    "class": None, "expected_class": c, "layer": "conv2d_1", "probability": float(torch.softmax(logits.detach(), 1)[0, c]),
    "weights": [flat(keras_conv(w1)), flat(b1), flat(keras_conv(w2)), flat(b2), flat(wd.t()), flat(bd)],
    "cam_shape": list(cam.shape), "cam": flat(cam)})

print(json.dumps({"torch": torch.__version__, "cases": cases}))
