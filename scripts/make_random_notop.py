"""A keras.applications base without its top, with Keras's own random initial weights
(weights=None, seeded), in the legacy HDF5 layout of Keras's published *_notop.h5 files: a
stand-in for the ImageNet file where it cannot be downloaded (tests, the walkthrough).

    KERAS_BACKEND=torch python3 scripts/make_random_notop.py mobilenet OUT.h5 [--seed 0]
"""
import argparse
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import h5py  # noqa: E402
import keras  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

MAKERS = {
    "vgg16": keras.applications.VGG16, "vgg19": keras.applications.VGG19, "resnet50": keras.applications.ResNet50,
    "mobilenet": keras.applications.MobileNet, "xception": keras.applications.Xception,
    "inceptionv3": keras.applications.InceptionV3,
}

p = argparse.ArgumentParser()
p.add_argument("arch", choices=sorted(MAKERS))
p.add_argument("out")
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
keras.utils.set_random_seed(a.seed)
model = MAKERS[a.arch](weights=None, include_top=False)
with h5py.File(a.out, "w") as f:
    legacy_h5_format.save_weights_to_hdf5_group(f, model)
print(f"{a.out}: {a.arch} without its top, random weights (seed {a.seed})")
