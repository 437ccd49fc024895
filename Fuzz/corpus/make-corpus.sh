#!/usr/bin/env bash
# Makes the committed seed corpus Fuzz/corpus/<target>/: small valid inputs of every format,
# copied from the tests' fixtures and examples/, or written here by numpy, h5py, Keras 3,
# PyTorch, PIL and convplay itself (the model files). Run from the checkout after
# `swift build -c release`; the output is committed, so this runs only when seeds change.
# Seeds stay small (the whole corpus well under 1 MB): libFuzzer mutates better from small files.
set -euo pipefail
cd "$(dirname "$0")/../.."
c=Fuzz/corpus
convplay=.build/release/convplay
img=Tests/ConvImageIOTests/Fixtures
pre=Tests/ConvPretrainedTests/Fixtures
for t in matrix kernel spec keras-config idx npy safetensors modelfile png jpeg npz keras pytorch pickle zip hdf5; do
  rm -rf "${c:?}/$t"; mkdir -p "$c/$t"
done

# Text: the examples, a CRLF and a CR copy, commas and comments, channels.
cp examples/matrices/*.txt "$c/matrix/"
sed 's/$/\r/' examples/matrices/course-5x5.txt > "$c/matrix/crlf.txt"
tr '\n' '\r' < examples/matrices/rgb-5x5.txt > "$c/matrix/cr.txt"
printf '# comment\n1, 2.5, -3e2\n4\t5 6\n\n0 0 0\n1e-3 -0 7\n' > "$c/matrix/mixed.txt"
cp examples/kernels/*.txt Tests/ConvKitTests/Fixtures/filter_rgb_kernel.txt "$c/kernel/"
printf '1\n' > "$c/kernel/one.txt"
printf '0 1 0 1 0\n1 1 1 1 1\n0 1 0 1 0\n' > "$c/kernel/wide.txt"
cp examples/specs/*.txt "$pre/spec.txt" "$c/spec/"
i=0
while IFS= read -r line; do i=$((i + 1)); printf '%s\n' "$line" > "$c/spec/line$i.txt"; done <<'SPECS'
conv2d(8, 3, padding=same, strides=2, activation=relu) -> batchnorm -> maxpool(2) -> dropout(0.25) -> flatten -> dense(10, softmax)
conv2dtranspose(4, 3, strides=2) -> depthwiseconv2d(3, depth_multiplier=2) -> separableconv2d(8, 3) -> gap -> dense(10)
zeropadding2d(1) -> avgpool(2, strides=1, padding=same) -> leakyrelu(negative_slope=0.1) -> ReLU(max_value=6) -> globalmaxpool -> reshape((2, 5)) -> flatten -> activation(softmax)
conv2d(4, (3, 5), dilation_rate=2, use_bias=false, name=first, trainable=false) -> flatten -> linear(10)
SPECS
printf 'a = conv2d(4, 3, padding=same)\nb = conv2d(4, 1, padding=same)\nc = concatenate(a, b)\nadd(c, c)\ngap\ndense(10, softmax)\n' > "$c/spec/graph.txt"

# Keras config.json: the functional fixture, the .keras fixture's own, and a Sequential one.
cp "$pre/functional_config.json" "$c/keras-config/"
python3 - "$pre/keras3.keras" "$c/keras-config/keras3_config.json" <<'PY'
import sys, zipfile
open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("config.json"))
PY

# IDX: images and labels, plain and gzipped (also two gzip members in a row).
python3 - "$c/idx" <<'PY'
import gzip, struct, sys
d = sys.argv[1]
def idx(dims, data):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", n) for n in dims) + bytes(data)
images = idx([3, 4, 4], range(48))
labels = idx([3], [1, 7, 9])
open(f"{d}/images.idx", "wb").write(images)
open(f"{d}/labels.idx", "wb").write(labels)
open(f"{d}/images.idx.gz", "wb").write(gzip.compress(images, mtime=0))
open(f"{d}/labels.idx.gz", "wb").write(gzip.compress(labels, mtime=0))
open(f"{d}/two-members.gz", "wb").write(gzip.compress(images[:20], mtime=0) + gzip.compress(images[20:], mtime=0))
open(f"{d}/rank4.idx", "wb").write(idx([1, 2, 2, 3], range(12)))
PY

# .npy images (the codec's fixtures), PNG and JPEG images.
for f in rgb_7x5 float32_signed float64_rgb fortran four_channels int64 gray16_expected; do cp "$img/$f.npy" "$c/npy/"; done
cp "$img"/*.png "$c/png/"
cp "$img/cmyk.jpg" "$c/jpeg/"
python3 - "$c/jpeg" <<'PY'
import sys
from PIL import Image
d = sys.argv[1]
rgb = Image.new("RGB", (9, 7))
for y in range(7):
    for x in range(9):
        rgb.putpixel((x, y), (x * 28, y * 36, (x * y * 9) % 256))
rgb.save(f"{d}/rgb.jpg", quality=90)
rgb.save(f"{d}/progressive.jpg", quality=75, progressive=True)
rgb.save(f"{d}/subsampled.jpg", quality=50, subsampling=2)
rgb.convert("L").save(f"{d}/gray.jpg")
rgb.save(f"{d}/restart.jpg", quality=80, optimize=True)
PY

# Weights: safetensors of every dtype convplay reads, convplay model files (Sequential, graph).
python3 - "$c/safetensors" <<'PY'
import json, struct, sys
import numpy as np
d = sys.argv[1]
tensors = {"conv.weight": np.arange(12, dtype="<f4").reshape(2, 1, 2, 3),
           "bias64": np.array([0.5, -1.5], dtype="<f8"),
           "steps": np.array([3], dtype="<i8"), "ids": np.array([[1, 2], [3, 4]], dtype="<i4"),
           "empty": np.zeros((0, 2), dtype="<f4")}
names = {np.dtype("<f4"): "F32", np.dtype("<f8"): "F64", np.dtype("<i8"): "I64", np.dtype("<i4"): "I32"}
header, blob = {"__metadata__": {"format": "pt"}}, b""
for k, v in tensors.items():
    header[k] = {"dtype": names[v.dtype], "shape": list(v.shape), "data_offsets": [len(blob), len(blob) + v.nbytes]}
    blob += v.tobytes()
h = json.dumps(header).encode()
h += b" " * (-len(h) % 8)
open(f"{d}/dtypes.safetensors", "wb").write(struct.pack("<Q", len(h)) + h + blob)
PY
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="${CONVPLAY_SHARED:-../shared}/data/mnist"
"$convplay" train --spec "conv2d(2, 3, relu) -> maxpool(4) -> flatten -> dense(10, softmax)" --data "$data" \
  --limit 20 --epochs 1 --plain --save "$c/modelfile/sequential.safetensors" >/dev/null
printf 'conv2d(2, 3, padding=same, activation=relu)\nb = maxpool(4)\nconv2d(2, 3, padding=same)\nadd(b, previous)\nbatchnorm\nflatten\ndense(10, softmax)\n' > "$work/graph.txt"
"$convplay" train --spec "$work/graph.txt" --data "$data" --limit 20 --epochs 1 --plain --save "$c/modelfile/graph.safetensors" >/dev/null
cp "$c/modelfile/sequential.safetensors" "$c/safetensors/"

# .npz, .keras, .h5, .pth: tiny models made by the frameworks themselves.
cp "$pre/keras_cases.npz" "$c/npz/"
cp "$pre/torch_class.pth" "$pre/torch_forbidden.pth" "$c/pytorch/"
KERAS_BACKEND=torch python3 - "$c" "$work" <<'PY'
import os, sys, zipfile
import numpy as np, h5py, torch, keras
c, work = sys.argv[1], sys.argv[2]
np.savez(f"{c}/npz/plain.npz", w=np.arange(6, dtype=np.float32).reshape(2, 3), b=np.array([1.0, 2.0]))
np.savez_compressed(f"{c}/npz/compressed.npz", w=np.arange(4, dtype=np.float16), i=np.array([1, 2], dtype=np.int64),
                    f=np.asfortranarray(np.ones((2, 2), dtype=np.float32)))
keras.utils.set_random_seed(1)
m = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(2, 3, name="c"), keras.layers.Flatten(),
                      keras.layers.Dense(3, activation="softmax", name="d")])
m.save(f"{c}/keras/sequential.keras")
m.save_weights(f"{c}/hdf5/sequential.weights.h5")
m.save(f"{c}/hdf5/legacy.h5")
inp = keras.Input((4, 4, 1))
a = keras.layers.Conv2D(2, 1, name="a")(inp)
b = keras.layers.Conv2D(2, 1, name="b")(inp)
out = keras.layers.Dense(2, name="o")(keras.layers.Flatten()(keras.layers.Add()([a, b])))
keras.Model(inp, out).save(f"{c}/keras/functional.keras")
with h5py.File(f"{c}/hdf5/attributes.h5", "w") as f:
    f.attrs["layer_names"] = [b"dense"]
    g = f.create_group("dense")
    g.attrs["weight_names"] = [b"dense/kernel:0"]
    g.create_dataset("dense/kernel:0", data=np.ones((2, 2), dtype=np.float64))
sd = {"conv.weight": torch.arange(8, dtype=torch.float32).reshape(2, 1, 2, 2), "conv.bias": torch.zeros(2),
      "half": torch.ones(3, dtype=torch.float16), "t": torch.arange(6.0).reshape(2, 3).t(), "n": torch.tensor(3)}
torch.save(sd, f"{c}/pytorch/zip.pth")
torch.save(sd, f"{c}/pytorch/legacy.pth", _use_new_zipfile_serialization=False)
z = zipfile.ZipFile(f"{c}/pytorch/zip.pth")
open(f"{c}/pickle/data.pkl", "wb").write(z.read([n for n in z.namelist() if n.endswith("data.pkl")][0]))
PY
cp "$c/pytorch/legacy.pth" "$c/pickle/"
cp "$c/npz/plain.npz" "$c/keras/sequential.keras" "$c/pytorch/zip.pth" "$c/zip/"
du -sh "$c"
