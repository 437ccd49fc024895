"""Gradients of a one-channel convolution from PyTorch's autograd, for BackwardTraceTests.

For each case: input X, kernel K, bias b, upstream gradient G (or a target T with the loss
0.5*sum((Y - T)^2)); torch computes dL/dK, dL/db and dL/dX. Run: python3 make_backward_fixture.py
(writes backward_cases.json beside this script).
"""
import json
import os

import torch
import torch.nn.functional as F

COURSE = [[60, 113, 56, 139, 85], [73, 121, 54, 84, 128], [131, 99, 70, 129, 127],
          [80, 57, 115, 69, 134], [104, 126, 123, 95, 130]]
SHARPEN = [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]


def case(name, x, k, bias=0.0, stride=(1, 1), padding=(0, 0), dilation=1, grad=None, target=None):
    X = torch.tensor(x, dtype=torch.float64)[None, None].requires_grad_(True)
    K = torch.tensor(k, dtype=torch.float64)[None, None].requires_grad_(True)
    B = torch.tensor([bias], dtype=torch.float64).requires_grad_(True)
    Y = F.conv2d(X, K, B, stride=stride, padding=padding, dilation=dilation)
    if target is not None:
        loss = 0.5 * ((Y - torch.tensor(target, dtype=torch.float64)[None, None]) ** 2).sum()
        loss.backward()
    else:
        G = torch.ones_like(Y) if grad is None else torch.tensor(grad, dtype=torch.float64)[None, None]
        Y.backward(G)
        loss = None
    return {
        "name": name, "input": x, "kernel": k, "bias": bias, "stride": list(stride),
        "padding": list(padding), "dilation": dilation, "grad": grad, "target": target,
        "output": Y[0, 0].tolist(), "loss": None if loss is None else loss.item(),
        "dK": K.grad[0, 0].tolist(), "db": B.grad.item(), "dX": X.grad[0, 0].tolist(),
    }


g = torch.Generator().manual_seed(17)


def rnd(r, c, lo=-3, hi=4):
    return torch.randint(lo, hi, (r, c), generator=g).double().tolist()


cases = [
    case("course-ones", COURSE, SHARPEN),
    case("course-target", COURSE, SHARPEN, target=[[200, 0, 0], [100, 0, 300], [-100, 200, -100]]),
    case("course-pad1-stride2", COURSE, SHARPEN, padding=(1, 1), stride=(2, 2), grad=rnd(3, 3)),
    case("rand-stride2-nofit", rnd(6, 7), rnd(3, 3), bias=0.5, stride=(2, 2), grad=rnd(2, 3)),
    case("rand-dilation2-pad2", rnd(6, 6), rnd(2, 3), padding=(2, 2), dilation=2, grad=rnd(8, 6)),
    case("rand-stride2x3-pad1", rnd(7, 8), rnd(3, 2), padding=(1, 1), stride=(2, 3), grad=rnd(4, 3)),
]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "backward_cases.json")
with open(out, "w") as f:
    json.dump(cases, f, indent=1)
print("wrote", out, len(cases), "cases")

# Transposed convolutions (conv_transpose2d), for TransposedTraceTests.
transposed = []
for name, x, k, s, p in [
    ("2x2-k3-s1", [[1, 2], [3, 4]], [[1, 0, 1], [0, 1, 0], [1, 0, 1]], 1, 0),
    ("2x2-k3-s2", [[1, 2], [3, 4]], [[1, 1, 1], [1, 1, 1], [1, 1, 1]], 2, 0),
    ("3x3-k3-s2-p1", rnd(3, 3), rnd(3, 3), 2, 1),
    ("3x4-k2x3-s3", rnd(3, 4), rnd(2, 3), 3, 0),
]:
    X = torch.tensor(x, dtype=torch.float64)[None, None]
    K = torch.tensor(k, dtype=torch.float64)[None, None]
    Y = F.conv_transpose2d(X, K, stride=s, padding=p)
    transposed.append({"name": name, "input": x, "kernel": k, "stride": s, "padding": p, "output": Y[0, 0].tolist()})
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transposed_cases.json")
with open(out, "w") as f:
    json.dump(transposed, f, indent=1)
print("wrote", out, len(transposed), "cases")
