"""Builds the weight-file fixtures of Tests/ConvPretrainedTests: the network of spec.txt (the
same weights as keras_weights.npz / torch_weights.npz, made by make_pretrained_fixture.py)
saved in the formats students really have, by Keras 3 itself (KERAS_BACKEND=torch) and by
PyTorch itself.

Run once: KERAS_BACKEND=torch python3 make_weight_fixtures.py (Keras 3.15, PyTorch 2.13,
h5py 3.16). The files are committed beside it; the tests never need Python.

Files:
  keras_legacy.weights.h5   legacy HDF5 weights, the layout keras.applications downloads
                            (root attribute layer_names, a group per layer, weight_names):
                            keras.src.legacy.saving.legacy_h5_format.save_weights_to_hdf5_group
  keras_model.h5            a full model in the legacy HDF5 format (model.save("x.h5")):
                            weights under model_weights, architecture in the model_config attribute
  keras3.weights.h5         Keras 3's model.save_weights: layers/<name>/vars/0, 1, ...
  keras3.keras              Keras 3's model.save: a zip of config.json, metadata.json, model.weights.h5
  keras_cases.npz           Keras's model.predict on the inputs of cases.npz (probabilities)
  torch_zip.pth             torch.save(state_dict) (zip format: archive/data.pkl + data/N)
  torch_legacy.pth          torch.save(state_dict, _use_new_zipfile_serialization=False)
  functional_config.json    config.json of a small Functional model with a shortcut (Add) and
                            a branch (Concatenate), from model.save(".keras")
  mobilenet_config.json     keras.applications.MobileNet(alpha=0.25, input_shape=(32, 32, 3),
                            weights=None).get_config() wrapped as .keras's config.json writes it
"""
import json
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "torch")
import h5py
import keras
import numpy as np
import torch
from keras import layers
from keras.src.legacy.saving import legacy_h5_format
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
fixture = lambda name: os.path.join(HERE, name)
keras.utils.set_random_seed(11)

# The network of spec.txt, with Keras's default layer names (what convplay's summary prints).
model = keras.Sequential([
    keras.Input((16, 16, 3)),
    layers.Conv2D(8, 3, padding="same", activation="relu", name="conv2d"),
    layers.MaxPooling2D(2, name="max_pooling2d"),
    layers.Conv2D(12, 3, name="conv2d_1"),
    layers.BatchNormalization(epsilon=0.001, name="batch_normalization"),
    layers.Activation("relu", name="activation"),
    layers.Flatten(name="flatten"),
    layers.Dense(16, activation="relu", name="dense"),
    layers.Dropout(0.5, name="dropout"),
    layers.Dense(5, activation="softmax", name="dense_1"),
], name="small_cnn")
saved = np.load(fixture("keras_weights.npz"))
for layer in model.layers:
    if layer.weights:
        layer.set_weights([saved[f"{layer.name}/{w.name}:0"] for w in layer.weights])

cases = np.load(fixture("cases.npz"))
predicted = model.predict(cases["inputs"], verbose=0)
assert np.allclose(predicted, cases["probabilities"], atol=1e-5), "Keras and PyTorch disagree"
np.savez(fixture("keras_cases.npz"), probabilities=predicted.astype(np.float32))

with h5py.File(fixture("keras_legacy.weights.h5"), "w") as f:
    legacy_h5_format.save_weights_to_hdf5_group(f, model)
model.save(fixture("keras_model.h5"))
model.save_weights(fixture("keras3.weights.h5"))
model.save(fixture("keras3.keras"))

# PyTorch: the same network's state_dict, both serializations.
net = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 12, 3),
    nn.BatchNorm2d(12, eps=1e-3), nn.ReLU(), nn.Flatten(), nn.Linear(12 * 6 * 6, 16), nn.ReLU(),
    nn.Dropout(0.5), nn.Linear(16, 5))
state = np.load(fixture("torch_weights.npz"))
net.load_state_dict({k: torch.from_numpy(np.array(state[k])) for k in state.files})
torch.save(net.state_dict(), fixture("torch_zip.pth"))
torch.save(net.state_dict(), fixture("torch_legacy.pth"), _use_new_zipfile_serialization=False)
for path in ("torch_zip.pth", "torch_legacy.pth"):  # both load back, weights_only
    back = torch.load(fixture(path), weights_only=True)
    assert all(torch.equal(back[k], net.state_dict()[k]) for k in back)

# Architectures only: a Functional model with a shortcut and a branch, and MobileNet.
inputs = keras.Input((8, 8, 3), name="image")
x = layers.Conv2D(4, 3, padding="same", activation="relu", name="stem")(inputs)
y = layers.Conv2D(4, 3, padding="same", name="branch_a")(x)
z = layers.DepthwiseConv2D(3, padding="same", name="branch_b")(x)
s = layers.Add(name="shortcut")([x, y])
c = layers.Concatenate(name="merge")([s, z])
out = layers.Dense(3, activation="softmax", name="head")(layers.GlobalAveragePooling2D(name="gap")(c))
functional = keras.Model(inputs, out, name="tiny_graph")
functional.save("/tmp/functional.keras")
with zipfile.ZipFile("/tmp/functional.keras") as z:
    config = json.loads(z.read("config.json"))
with open(fixture("functional_config.json"), "w") as f:
    json.dump(config, f, indent=1)

mobilenet = keras.applications.MobileNet(alpha=0.25, input_shape=(32, 32, 3), weights=None)
mobilenet.save("/tmp/mobilenet.keras")
with zipfile.ZipFile("/tmp/mobilenet.keras") as z:
    config = json.loads(z.read("config.json"))
with open(fixture("mobilenet_config.json"), "w") as f:
    json.dump(config, f)

# Damaged and hostile files (the tests also cut the good ones at runtime).
# A zip member that inflates to 10 MB while its headers declare 1000 bytes (a zip bomb's lie).
with zipfile.ZipFile(fixture("bomb.npz"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("a.npy", b"\0" * 10_000_000)
raw = bytearray(open(fixture("bomb.npz"), "rb").read())
for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size fields
    at = raw.find(signature)
    raw[at + offset:at + offset + 4] = (1000).to_bytes(4, "little")
open(fixture("bomb.npz"), "wb").write(bytes(raw))

# Legacy .pth whose state-dict pickle calls os.system: built by hand, never loaded.
magic = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19."
evil = b"\x80\x02cos\nsystem\nX\x07\x00\x00\x00echo hi\x85R."
open(fixture("torch_forbidden.pth"), "wb").write(magic + b"\x80\x02M\xe9\x03." + b"\x80\x02}." + evil)
# Zip-format .pth whose data.pkl holds an instance of a class (pickle.dumps of a set subclass's
# global, refused as a global a state dict does not need).
with zipfile.ZipFile(fixture("torch_class.pth"), "w") as z:
    z.writestr("torch_class/data.pkl", b"\x80\x02cmymodule\nMyModel\n)R.")
# Legacy .pth whose first storage claims 10^12 values.
legacy = bytearray(open(fixture("torch_legacy.pth"), "rb").read())
import pickletools, io
stream = io.BytesIO(bytes(legacy))
for _ in range(5):
    for _op in pickletools.genops(stream): pass
at = stream.tell()  # after the storage-key list: the first storage's 8-byte count
legacy[at:at + 8] = (10**12).to_bytes(8, "little")
open(fixture("torch_legacy_lying.pth"), "wb").write(bytes(legacy))
print("wrote the weight fixtures")
