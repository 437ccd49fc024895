"""Builds Tests/ConvPretrainedTests/Fixtures/graph_import: Keras legacy HDF5 files of two graph
networks (branches joined by Add) for `convplay import`, and Keras's model.predict on the
photos `convplay classify` reads. GraphImportCommandTests imports each file, classifies the
photo with the imported model file and compares the probabilities to 1e-4.

  residual.txt            a mini ResNet classifier in convplay's spec language (16x16x3)
  residual.weights.h5     its weights in the legacy layout keras.applications downloads
                          (legacy_h5_format.save_weights_to_hdf5_group: layer_names, one
                          group per layer, weight_names), for `import --arch residual.txt`
  cases.npz               residual_probabilities (1, 5): ../photo.npy as x/255

With --mobilenet DIR it also writes, into DIR (1.2 MB, a manual check, not a fixture):
  mobilenet.h5            keras.applications.MobileNet(alpha=0.25, input_shape=(32, 32, 3),
                          classes=10, weights=None) saved whole (model.save("x.h5"): the
                          legacy HDF5 model with model_config), for `import` without --arch
  photo32.npy             a 32x32 RGB uint8 "photo"
  mobilenet_probabilities.npy  (1, 10): photo32.npy as x/127.5 - 1 (MobileNet's 'tf')
and prints the commands that compare convplay's probabilities with these.

Run once: KERAS_BACKEND=torch python3 make_graph_import_fixtures.py (Keras 3, PyTorch backend).
"""
import argparse
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--mobilenet", metavar="DIR", help="also write the MobileNet check into DIR")
args = parser.parse_args()
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_import")
os.makedirs(HERE, exist_ok=True)
keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)

SPEC = """\
# A mini ResNet classifier: a stem, one residual block (two convolutions and a shortcut
# joined by add), global average pooling and a softmax.
stem = conv2d(8, 3, padding=same, use_bias=False)
stem_bn = batchnorm
stem_relu = relu
c1 = conv2d(8, 3, padding=same)(stem_relu)
c1_bn = batchnorm
c1_relu = relu
c2 = conv2d(8, 3, padding=same)
c2_bn = batchnorm
add = add(stem_relu, c2_bn)
out_relu = relu
gap = globalaveragepooling2d
predictions = dense(5, softmax)
"""


def residual():
    x = L.Input((16, 16, 3), name="input_layer")
    s = L.Conv2D(8, 3, padding="same", use_bias=False, name="stem")(x)
    s = L.ReLU(name="stem_relu")(L.BatchNormalization(name="stem_bn")(s))
    y = L.Conv2D(8, 3, padding="same", name="c1")(s)
    y = L.ReLU(name="c1_relu")(L.BatchNormalization(name="c1_bn")(y))
    y = L.Conv2D(8, 3, padding="same", name="c2")(y)
    y = L.BatchNormalization(name="c2_bn")(y)
    y = L.ReLU(name="out_relu")(L.Add(name="add")([s, y]))
    y = L.GlobalAveragePooling2D(name="gap")(y)
    out = L.Dense(5, activation="softmax", name="predictions")(y)
    return keras.Model(x, out, name="residual")


def randomize(model):
    """Random weights everywhere, moving variances positive, so inference is not training's."""
    for layer in model.layers:
        ws = []
        for w in layer.weights:
            shape = tuple(w.shape)
            if "variance" in w.path:
                ws.append(rng.uniform(0.5, 2.0, shape).astype(np.float32))
            elif "gamma" in w.path:
                ws.append(rng.uniform(0.5, 1.5, shape).astype(np.float32))
            else:
                ws.append(rng.normal(0, 0.3, shape).astype(np.float32))
        if ws:
            layer.set_weights(ws)


cases = {}
photo16 = np.load(os.path.join(os.path.dirname(HERE), "photo.npy"))
model = residual()
randomize(model)
with open(os.path.join(HERE, "residual.txt"), "w") as f:
    f.write(SPEC)
with h5py.File(os.path.join(HERE, "residual.weights.h5"), "w") as f:
    legacy_h5_format.save_weights_to_hdf5_group(f, model)
cases["residual_probabilities"] = model.predict(photo16[None].astype(np.float32) / 255, verbose=0).astype(np.float32)
print("residual", model.count_params(), cases["residual_probabilities"])

np.savez(os.path.join(HERE, "cases.npz"), **cases)

if args.mobilenet:
    out = args.mobilenet
    os.makedirs(out, exist_ok=True)
    mobilenet = keras.applications.MobileNet(alpha=0.25, input_shape=(32, 32, 3), classes=10, weights=None)
    randomize(mobilenet)
    photo32 = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    np.save(os.path.join(out, "photo32.npy"), photo32)
    mobilenet.save(os.path.join(out, "mobilenet.h5"))
    p = mobilenet.predict(photo32[None].astype(np.float32) / 127.5 - 1, verbose=0).astype(np.float32)
    np.save(os.path.join(out, "mobilenet_probabilities.npy"), p)
    print("mobilenet", mobilenet.count_params(), p)
    print(f"check: convplay import {out}/mobilenet.h5 --preprocess tf -o {out}/m.safetensors && "
          f"convplay classify {out}/photo32.npy --weights {out}/m.safetensors --output {out}/convplay.npy")
