"""Full-size check of `convplay import` and `convplay classify` on VGG16 (no network needed).

Real ImageNet weights cannot be downloaded on a machine without network access, so this
builds torchvision's VGG16 layer for layer in PyTorch (same module names: features.N,
classifier.N), with PyTorch's default random initialisation, the last layer scaled so the
probabilities are far from uniform, and then:
  1. saves its state_dict as .npz (numpy.savez, module order) and, from the same numbers,
     a Keras-layout .npz (block1_conv1/kernel:0, HWIO, fc1 rows in Keras's H, W, C order);
  2. imports both with convplay (timed, peak memory from /usr/bin/time);
  3. classifies one 224x224 photo with each and compares the top 5 with PyTorch's forward pass
     (torch preprocessing: x/255, ImageNet mean and std).
Usage: python3 benchmarks/vgg16_import_check.py [path/to/convplay]   (about 1.5 GB in /tmp)
"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import torch
from torch import nn

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/convplay"
torch.manual_seed(0)

cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
layers, cin = [], 3
for v in cfg:
    if v == "M":
        layers.append(nn.MaxPool2d(2, 2))
    else:
        layers += [nn.Conv2d(cin, v, 3, padding=1), nn.ReLU(inplace=True)]
        cin = v


class VGG16(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 1000))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


model = VGG16().eval()
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            nn.init.uniform_(m.bias, -0.05, 0.05)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.uniform_(m.bias, -0.05, 0.05)
    model.classifier[6].weight.mul_(40)

rng = np.random.default_rng(3)
yy, xx = np.mgrid[0:224, 0:224] / 224.0
photo = np.stack([128 + 100 * np.sin(6 * xx + 2 * c) * np.cos(4 * yy - c) for c in range(3)], axis=2)
photo = np.clip(photo + rng.normal(0, 10, photo.shape), 0, 255).astype(np.uint8)
x = torch.from_numpy(photo.astype(np.float32) / 255)
x = ((x - torch.tensor([0.485, 0.456, 0.406])) / torch.tensor([0.229, 0.224, 0.225])).permute(2, 0, 1).unsqueeze(0)
with torch.no_grad():
    p = torch.softmax(model(x), 1)[0].numpy()
top = np.argsort(-p)[:5]
print("PyTorch top 5:", [(int(i), round(float(p[i]), 4)) for i in top])

state = {k: v.numpy() for k, v in model.state_dict().items()}
keras = {}
conv_names = [f"block{b}_conv{c}" for b, n in enumerate([2, 2, 3, 3, 3], 1) for c in range(1, n + 1)]
conv_keys = sorted({k.rsplit(".", 1)[0] for k in state if k.startswith("features")}, key=lambda s: int(s.split(".")[1]))
for name, key in zip(conv_names, conv_keys):
    keras[f"{name}/kernel:0"] = state[key + ".weight"].transpose(2, 3, 1, 0)
    keras[f"{name}/bias:0"] = state[key + ".bias"]
fc1 = state["classifier.0.weight"].reshape(4096, 512, 7, 7).transpose(2, 3, 1, 0).reshape(25088, 4096)
for name, key, w in [("fc1", "classifier.0", fc1), ("fc2", "classifier.3", None), ("predictions", "classifier.6", None)]:
    keras[f"{name}/kernel:0"] = w if w is not None else state[key + ".weight"].T
    keras[f"{name}/bias:0"] = state[key + ".bias"]

# Class i is line i of convplay's ImageNet table.
table = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "ConvPretrained", "ImageNetClasses.swift")).read()
synsets = re.findall(r"^    (n\d{8}) ", table, re.M)
assert len(synsets) == 1000

ok = True
with tempfile.TemporaryDirectory() as d:
    np.savez(os.path.join(d, "vgg16_torch.npz"), **state)
    np.savez(os.path.join(d, "vgg16_keras.npz"), **{k: np.ascontiguousarray(v) for k, v in keras.items()})
    np.save(os.path.join(d, "photo.npy"), photo)
    del state, keras, fc1
    for layout in ["torch", "keras"]:
        src = os.path.join(d, f"vgg16_{layout}.npz")
        out = os.path.join(d, f"vgg16_from_{layout}.safetensors")
        frm = "pytorch" if layout == "torch" else "keras"
        r = subprocess.run(["/usr/bin/time", "-f", "%e s %M KB", binary, "import", src, "--arch", "vgg16",
                            "--from", frm, "--preprocess", "torch", "-o", out], capture_output=True, text=True)
        print(f"import ({frm}):", r.stdout.strip().splitlines()[0] if r.stdout else r.stderr, "|", r.stderr.strip().splitlines()[-1])
        r = subprocess.run(["/usr/bin/time", "-f", "%e s %M KB", binary, "classify", os.path.join(d, "photo.npy"),
                            "--weights", out, "--verbose"], capture_output=True, text=True)
        lines = [l for l in r.stdout.splitlines() if re.match(r"^\d+\. ", l)]
        got = [(l.split()[1], float(l.split()[2])) for l in lines]
        print(f"classify ({frm}):", got, "|", [l for l in r.stdout.splitlines() if l.startswith("time")][0], "|", r.stderr.strip().splitlines()[-1])
        ids = [l.split()[3] for l in lines]
        want = [float(p[i]) for i in top]
        same = (len(got) == 5 and all(abs(g[1] - w) <= 2e-4 for g, w in zip(got, want))
                and ids == [synsets[i] for i in top])
        print(f"  synset ids {ids}; probabilities match PyTorch to 2e-4: {same}")
        ok = ok and same
print("OK" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
