#!/usr/bin/env python3
"""Which input column (or row) PIL's NEAREST resize copies into each output column: the
reference for Image.resizedNearest (ResizeAndFolderTests.testNearestMatchesPIL).

Keras's load_img(path, target_size=...) resizes with PIL's Image.resize(..., NEAREST), so the
course's VGG16 photos went through exactly this map. Each input column's index is written into
an RGB row (R = index & 255, G = index >> 8), the row is resized by PIL, and the output's colours
are read back as indices. Rows and columns use the same rule (PIL scales each axis on its own).
Sizes: the course's photo widths 256 ... 1024 -> 224, then seeded random pairs (down and up).
Run: python3 make_pil_nearest_fixture.py   (needs Pillow and numpy; writes pil_nearest.json)
"""
import json
import os
import random

import numpy as np
import PIL
from PIL import Image


def index_map(n, m):
    x = np.arange(n)
    row = np.zeros((1, n, 3), np.uint8)
    row[0, :, 0] = x & 255
    row[0, :, 1] = x >> 8
    out = np.asarray(Image.fromarray(row).resize((m, 1), Image.NEAREST))[0]
    return [int(v) for v in (out[:, 0].astype(int) | (out[:, 1].astype(int) << 8))]


rng = random.Random(224)
pairs = [(n, 224) for n in (256, 320, 384, 512, 640, 768, 1024)]
pairs += [(rng.randint(1, 1500), rng.randint(1, 400)) for _ in range(60)]
cases = [{"input": n, "output": m, "source": index_map(n, m)} for n, m in pairs]
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "pil_nearest.json"), "w") as f:
    json.dump({"pillow": PIL.__version__, "cases": cases}, f, separators=(",", ":"))
print(len(cases), "cases")
