"""Keras's trainable / non-trainable parameter counts for the course's fine-tuning steps on each
keras.applications base (include_top=False, weights=None), with the head convplay puts on it:
GlobalAveragePooling2D -> Dense(256, relu) -> Dense(5, softmax).

Step 1: base_model.trainable = False. Step 2 (--unfreeze N): base_model.trainable = True, then
for layer in base_model.layers[:-N]: layer.trainable = False. --unfreeze all: the whole base.

Run: KERAS_BACKEND=torch python3 make_finetune_counts.py > finetune_counts.json
"""
import json

import keras
import numpy as np

BASES = {
    "vgg16": (keras.applications.VGG16, (64, 64, 3)),
    "resnet50": (keras.applications.ResNet50, (64, 64, 3)),
    "mobilenet": (keras.applications.MobileNet, (128, 128, 3)),
    "xception": (keras.applications.Xception, (71, 71, 3)),
    "inceptionv3": (keras.applications.InceptionV3, (75, 75, 3)),
}
UNFREEZE = ["all", 1, 4, 10, 30]


def counts(model):
    t = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    n = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return {"trainable": t, "non_trainable": n}


out = []
for name, (make, shape) in BASES.items():
    keras.backend.clear_session()
    base = make(weights=None, include_top=False, input_shape=shape)
    x = keras.layers.GlobalAveragePooling2D()(base.output)
    x = keras.layers.Dense(256, activation="relu")(x)
    y = keras.layers.Dense(5, activation="softmax")(x)
    model = keras.Model(base.input, y)
    entry = {"base": name, "input": list(shape), "base_layers": len(base.layers),
             "base_output": base.layers[-1].name,
             "layer_names": [layer.name for layer in base.layers], "steps": []}
    base.trainable = False
    entry["steps"].append({"unfreeze": None, **counts(model)})
    for n in UNFREEZE:
        base.trainable = True
        if n != "all":
            for layer in base.layers[:-n]:
                layer.trainable = False
        entry["steps"].append({"unfreeze": n, **counts(model)})
    out.append(entry)
print(json.dumps({"keras": keras.__version__, "head": {"pooling": "avg", "hidden": 256, "classes": 5}, "bases": out}, indent=1))
