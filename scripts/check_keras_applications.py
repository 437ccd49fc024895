"""Checks convplay's classify against Keras for keras.applications networks with the same
random weights (weights=None, seeded), saved in the legacy HDF5 layout keras.applications
downloads: the probabilities of one photo equal model.predict's to 1e-3 of the top
probability, and the top-1 class is the same. Not part of the test suite (minutes, ~1 GB).

    KERAS_BACKEND=torch python3 scripts/check_keras_applications.py [--convplay PATH] [ARCH ...]

ARCH: mobilenet resnet50 inceptionv3 xception vgg16 (default: all five).
"""
import argparse
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "torch")
import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

APPS = {
    "mobilenet": (keras.applications.MobileNet, keras.applications.mobilenet.preprocess_input, 224),
    "resnet50": (keras.applications.ResNet50, keras.applications.resnet50.preprocess_input, 224),
    "inceptionv3": (keras.applications.InceptionV3, keras.applications.inception_v3.preprocess_input, 299),
    "xception": (keras.applications.Xception, keras.applications.xception.preprocess_input, 299),
    "vgg16": (keras.applications.VGG16, keras.applications.vgg16.preprocess_input, 224),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("arch", nargs="*", default=list(APPS))
    parser.add_argument("--convplay", default=".build/release/convplay")
    args = parser.parse_args()
    failures = 0
    for name in args.arch:
        make, preprocess, size = APPS[name]
        keras.utils.set_random_seed(7)
        model = make(weights=None)
        # Random BatchNormalization statistics too, so that they are read and used.
        rng = np.random.default_rng(7)
        for layer in model.layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.moving_mean.assign(rng.normal(0, 0.1, layer.moving_mean.shape).astype("float32"))
                layer.moving_variance.assign(rng.uniform(0.5, 1.5, layer.moving_variance.shape).astype("float32"))
        with tempfile.TemporaryDirectory() as tmp:
            weights = os.path.join(tmp, f"{name}.h5")
            with h5py.File(weights, "w") as f:
                legacy_h5_format.save_weights_to_hdf5_group(f, model)
            # A photo already at the input size: no resizing on either side.
            photo = rng.integers(0, 256, (size, size, 3)).astype("uint8")
            photo_path = os.path.join(tmp, "photo.npy")
            np.save(photo_path, photo.astype("float32"))
            expected = model.predict(preprocess(photo[None].astype("float32")), verbose=0)[0]
            out = os.path.join(tmp, "probs.npy")
            run = subprocess.run(
                [args.convplay, "classify", photo_path, "--arch", name, "--weights", weights, "--output", out, "--top", "1"],
                capture_output=True, text=True)
            if run.returncode != 0:
                print(f"{name}: convplay failed: {run.stderr.strip()}")
                failures += 1
                continue
            got = np.load(out)[0]
            top = float(expected.max())
            worst = float(np.abs(got - expected).max())
            same = int(got.argmax()) == int(expected.argmax())
            ok = worst <= 1e-3 * top and same
            failures += 0 if ok else 1
            print(f"{name}: top-1 keras {int(expected.argmax())} ({top:.5f}), convplay {int(got.argmax())} ({float(got.max()):.5f}); "
                  f"max |difference| {worst:.2e} = {worst / top:.2e} of the top probability: {'ok' if ok else 'DIFFERENT'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
