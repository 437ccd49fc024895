"""Fixture for convplay's --augment transforms (augmentation.json): Keras 3's own preprocessing
layers, each given a range of one value so its "random" draw is that value, applied to a small
random image in training mode (fill_mode="reflect", bilinear: the defaults).

Run: KERAS_BACKEND=torch python3 make_augmentation_fixtures.py  (writes augmentation.json here)
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np
import keras

rng = np.random.default_rng(7)
H, W, C = 7, 9, 2
image = rng.random((H, W, C)).astype(np.float32).round(4)


def run(layer):
    out = layer(image[None], training=True)
    return keras.ops.convert_to_numpy(out)[0]


def flat(a):
    return [float("%.7g" % v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


cases = []
for degrees in (10.0, -30.0, 90.0):
    f = degrees / 360.0  # Keras's factor: a fraction of a full turn
    cases.append(dict(name=f"rotate {degrees}", degrees=degrees,
                      output=flat(run(keras.layers.RandomRotation((f, f), seed=1)))))
for hf, wf in ((0.2, -0.1), (-0.3, 0.25)):
    cases.append(dict(name=f"translate {hf},{wf}", dy=hf * H, dx=wf * W,
                      output=flat(run(keras.layers.RandomTranslation((hf, hf), (wf, wf), seed=1)))))
for hz, wz in ((-0.2, 0.3), (0.15, 0.15)):
    cases.append(dict(name=f"zoom {hz},{wz}", zoom_y=1 + hz, zoom_x=1 + wz,
                      output=flat(run(keras.layers.RandomZoom((hz, hz), (wz, wz), seed=1)))))
# RandomFlip draws flip-or-not; the flipped image is what a draw of "flip" gives.
flipped = np.flip(image, axis=1)
for s in range(20):
    got = run(keras.layers.RandomFlip("horizontal", seed=s))
    if np.allclose(got, flipped):
        cases.append(dict(name="flip", flip=True, output=flat(got)))
        break
assert any(c["name"] == "flip" for c in cases)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "augmentation.json")
with open(path, "w") as fh:
    json.dump(dict(height=H, width=W, channels=C, image=flat(image), cases=cases), fh)
print(f"wrote {len(cases)} cases to {path}")
