"""Builds the fixture of Tests/ConvPretrainedTests: a small PyTorch CNN, its weights exported
the ways users export them, a few inputs, and PyTorch's own outputs.

Run once (python3 make_pretrained_fixture.py, PyTorch 2.15 and NumPy 2.4); the files it writes
are committed beside it and the tests never need Python.

The network, written for convplay as the spec in spec.txt:
    conv2d(8, 3, padding=same, activation=relu) -> maxpool(2) -> conv2d(12, 3)
    -> batchnorm(epsilon=0.001) -> activation(relu) -> flatten -> dense(16, relu)
    -> dropout(0.5) -> dense(5, softmax)
on 16x16x3 inputs. In PyTorch the same layers are an nn.Sequential whose flatten reads
channels first (C, H, W): the import must reorder the rows of the first Dense.

Files:
  torch_weights.npz           state_dict as numpy.savez writes it (module order, OIHW, (out, in),
                              including BatchNorm's int64 num_batches_tracked)
  torch_weights.safetensors   the same tensors in a safetensors file (names sorted, as the
                              safetensors library stores them), written by hand below
  keras_weights.npz           the same weights as Keras would export them (model.weights names
                              such as conv2d/kernel:0, HWIO kernels, (in, out) Dense kernels with
                              rows in Keras's (H, W, C) flatten order), savez_compressed (deflate)
  cases.npz                   inputs (3, 16, 16, 3) NHWC float32; probabilities (3, 5) from PyTorch;
                              photo_probabilities (1, 5) for photo.npy prepared as x/255
  photo.npy                   a 16x16 RGB uint8 "photo" for the classify command
  spec.txt                    the convplay architecture
"""
import json
import os
import struct

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(7)
torch.set_default_dtype(torch.float32)

model = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1),   # 0   'same' for a 3x3 stride-1 kernel
    nn.ReLU(),                        # 1
    nn.MaxPool2d(2),                  # 2
    nn.Conv2d(8, 12, 3),              # 3   valid
    nn.BatchNorm2d(12, eps=1e-3),     # 4
    nn.ReLU(),                        # 5
    nn.Flatten(),                     # 6   channels first: 12 x 6 x 6
    nn.Linear(12 * 6 * 6, 16),        # 7
    nn.ReLU(),                        # 8
    nn.Dropout(0.5),                  # 9
    nn.Linear(16, 5),                 # 10
)
with torch.no_grad():
    bn = model[4]
    bn.weight.uniform_(0.5, 1.5)
    bn.bias.uniform_(-0.5, 0.5)
    bn.running_mean.uniform_(-0.3, 0.3)
    bn.running_var.uniform_(0.5, 2.0)
    bn.num_batches_tracked.fill_(123)
model.eval()

state = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
np.savez(os.path.join(HERE, "torch_weights.npz"), **state)


def write_safetensors(path, tensors):
    """The safetensors layout: 8-byte little-endian header length, JSON header, raw data;
    tensors stored in name order (what the safetensors library does)."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        dtype = {np.dtype("float32"): "F32", np.dtype("int64"): "I64"}[a.dtype]
        raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


write_safetensors(os.path.join(HERE, "torch_weights.safetensors"), state)

# Keras's layout, computed with NumPy's own transposes (independent of convplay's index math).
dense_in = state["7.weight"]  # (16, 432), columns ordered (c, h, w)
keras = {
    "conv2d/kernel:0": state["0.weight"].transpose(2, 3, 1, 0),
    "conv2d/bias:0": state["0.bias"],
    "conv2d_1/kernel:0": state["3.weight"].transpose(2, 3, 1, 0),
    "conv2d_1/bias:0": state["3.bias"],
    "batch_normalization/gamma:0": state["4.weight"],
    "batch_normalization/beta:0": state["4.bias"],
    "batch_normalization/moving_mean:0": state["4.running_mean"],
    "batch_normalization/moving_variance:0": state["4.running_var"],
    "dense/kernel:0": dense_in.reshape(16, 12, 6, 6).transpose(2, 3, 1, 0).reshape(6 * 6 * 12, 16),
    "dense/bias:0": state["7.bias"],
    "dense_1/kernel:0": state["10.weight"].T,
    "dense_1/bias:0": state["10.bias"],
}
np.savez_compressed(os.path.join(HERE, "keras_weights.npz"), **{k: np.ascontiguousarray(v) for k, v in keras.items()})

rng = np.random.default_rng(11)
inputs = rng.uniform(-1, 1, (3, 16, 16, 3)).astype(np.float32)
photo = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
with torch.no_grad():
    probabilities = torch.softmax(model(torch.from_numpy(inputs).permute(0, 3, 1, 2)), dim=1).numpy()
    x = torch.from_numpy(photo.astype(np.float32) / 255).permute(2, 0, 1).unsqueeze(0)
    photo_probabilities = torch.softmax(model(x), dim=1).numpy()
np.savez(
    os.path.join(HERE, "cases.npz"), inputs=inputs, probabilities=probabilities.astype(np.float32),
    photo_probabilities=photo_probabilities.astype(np.float32))
np.save(os.path.join(HERE, "photo.npy"), photo)
with open(os.path.join(HERE, "spec.txt"), "w") as f:
    f.write(
        "conv2d(8, 3, padding=same, activation=relu) -> maxpool(2) -> conv2d(12, 3)\n"
        "-> batchnorm(epsilon=0.001) -> activation(relu) -> flatten -> dense(16, relu)\n"
        "-> dropout(0.5) -> dense(5, softmax)\n")
print("probabilities", probabilities)
print("photo", photo_probabilities)
