"""Peak memory and time of loading a full-size PyTorch .pth with convplay (issue 15's goal:
no more than 1.2x the file's size in memory).

Builds torchvision's VGG16 state dict in plain torch.nn (same module names, features.N and
classifier.N; random weights, torchvision is not needed), saves it in both formats
torch.save writes (zip, and the legacy format of torchvision's own vgg16-397923af.pth), then
runs `convplay import FILE --arch vgg16 -o OUT.safetensors` under /usr/bin/time -v and prints
the file size, the peak resident memory, their ratio and the wall time. The import reads the
file, matches and converts every tensor (fc1's 4096 x 25088 transposed, its columns put in
Keras's H, W, C order) and writes the model, one tensor at a time.

Usage: python3 benchmarks/pth_memory.py [path/to/convplay]   (about 1.7 GB in a temporary folder)
"""
import os
import re
import subprocess
import sys
import tempfile

import torch
from torch import nn

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/convplay"
torch.manual_seed(0)
cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
features, cin = [], 3
for v in cfg:
    if v == "M":
        features.append(nn.MaxPool2d(2, 2))
    else:
        features += [nn.Conv2d(cin, v, 3, padding=1), nn.ReLU(inplace=True)]
        cin = v
model = nn.Module()
model.features = nn.Sequential(*features)
model.classifier = nn.Sequential(
    nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),
    nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 1000))

with tempfile.TemporaryDirectory() as tmp:
    files = {"zip": os.path.join(tmp, "vgg16.pth"), "legacy": os.path.join(tmp, "vgg16-legacy.pth")}
    torch.save(model.state_dict(), files["zip"])
    torch.save(model.state_dict(), files["legacy"], _use_new_zipfile_serialization=False)
    del model
    for kind, path in files.items():
        size = os.path.getsize(path)
        out = os.path.join(tmp, "out.safetensors")
        r = subprocess.run(["/usr/bin/time", "-v", binary, "import", path, "--arch", "vgg16", "-o", out],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"convplay import failed on the {kind} file: {r.stderr.strip()}")
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1)) * 1024
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", r.stderr).group(1)
        cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", r.stderr).group(1)) + float(
            re.search(r"System time \(seconds\): ([\d.]+)", r.stderr).group(1))
        print(f"VGG16 .pth ({kind}): file {size / 1e6:.0f} MB, peak RSS {rss / 1e6:.0f} MB = {rss / size:.2f}x the file, "
              f"wall {wall}, CPU {cpu:.2f} s")
        os.remove(out)
