"""Builds the Keras-config fixtures of Tests/ConvPretrainedTests/Fixtures/applications: the
architectures of the five networks the course reuses (keras.applications, weights=None, so no
download), as Keras writes them (model.to_json(), the same JSON as a .keras file's config.json
and a full-model .h5's model_config), and Keras's own summary of each: every layer's name,
output shape and parameter count, and the model's trainable and non-trainable totals.

Run once: KERAS_BACKEND=torch python3 make_application_configs.py (Keras 3, PyTorch backend).
The files are committed; the tests never need Python. The configs are gzipped (85-300 kB of
JSON each).

Files:
  <name>.json.gz     model.to_json() for mobilenet, resnet50, inceptionv3, xception, vgg16
  summaries.json     {name: {"layers": [[layer, output shape without batch, params], ...],
                              "trainable": N, "non_trainable": N, "total": N}}
"""
import gzip
import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "applications")
os.makedirs(HERE, exist_ok=True)

networks = {
    "mobilenet": keras.applications.MobileNet,
    "resnet50": keras.applications.ResNet50,
    "inceptionv3": keras.applications.InceptionV3,
    "xception": keras.applications.Xception,
    "vgg16": keras.applications.VGG16,
}
summaries = {}
for name, build in networks.items():
    model = build(weights=None)
    # mtime=0: the same config gives the same bytes on every run.
    with open(os.path.join(HERE, name + ".json.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
            f.write(model.to_json().encode())
    count = lambda ws: int(sum(np.prod(w.shape) for w in ws))
    summaries[name] = {
        "layers": [[l.name, list(l.output.shape[1:]), int(l.count_params())] for l in model.layers],
        "trainable": count(model.trainable_weights),
        "non_trainable": count(model.non_trainable_weights),
        "total": int(model.count_params()),
    }
    print(name, summaries[name]["total"], summaries[name]["trainable"], summaries[name]["non_trainable"])
with open(os.path.join(HERE, "summaries.json"), "w") as f:
    json.dump(summaries, f, indent=0)
