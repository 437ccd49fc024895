"""Export Keras's VGG16 ImageNet weights for `convplay import` (run where Keras is installed
and the weights can be downloaded; convplay itself needs neither).

    python3 export_vgg16_keras.py vgg16_keras.npz
    convplay import vgg16_keras.npz --arch vgg16 --from keras -o vgg16.safetensors
    convplay classify tiger.jpg --weights vgg16.safetensors

Writes one array per weight, named as Keras names them (block1_conv1/kernel, fc1/bias, ...),
in Keras's own layout (Conv2D kernels height, width, in, out; Dense kernels in, out):
convplay's layout, so nothing is transposed. About 553 MB.
"""
import sys

import numpy as np
from tensorflow import keras  # or: import keras (Keras 3)

out = sys.argv[1] if len(sys.argv) > 1 else "vgg16_keras.npz"
model = keras.applications.VGG16(weights="imagenet")
arrays = {}
for layer in model.layers:
    for weight, value in zip(layer.weights, layer.get_weights()):
        # weight.name is "kernel:0" in Keras 2 and "kernel" in Keras 3: keep the last part.
        arrays[f"{layer.name}/{weight.name.split('/')[-1].split(':')[0]}"] = value.astype(np.float32)
np.savez(out, **arrays)
print(f"{out}: {len(arrays)} arrays, {sum(a.size for a in arrays.values()):,} weights")
