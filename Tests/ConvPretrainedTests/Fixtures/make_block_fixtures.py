"""Builds the inference fixtures of Tests/ConvPretrainedTests/Fixtures/blocks: three small
blocks of the course's pretrained networks, with random weights (BatchNormalization's
moving statistics too, so that inference differs from training), saved by Keras 3 itself
(model.save, .keras: config.json + model.weights.h5), and Keras's model.predict on random
inputs. BlockInferenceTests loads each .keras file through convplay's WeightsLoader (the path
--weights takes) and compares to 1e-4.

  residual.keras      ResNet50's conv_block: 1x1 stride 2 - BN - ReLU - 3x3 - BN - ReLU -
                      1x1 - BN, a projection shortcut (1x1 stride 2 - BN), Add, ReLU
  separable.keras     MobileNet's strided block (ZeroPadding2D((0, 1), (0, 1)),
                      DepthwiseConv2D stride 2, BN, ReLU(6), 1x1 Conv2D, BN, ReLU(6)) then
                      Xception's (SeparableConv2D, BN, ReLU, MaxPooling2D 3x3 stride 2 same,
                      with a strided 1x1 shortcut, Add)
  inception.keras     InceptionV3's mixed block: 1x1, 1x1-5x5, 1x1-3x3-3x3 and
                      AveragePooling2D(3, 1, same)-1x1 branches, Concatenate, then
                      GlobalAveragePooling2D(keepdims=True)
  cases.npz           <name>_inputs (3, H, W, C) float32 and <name>_outputs, Keras's predictions

Run once: KERAS_BACKEND=torch python3 make_block_fixtures.py (Keras 3, PyTorch backend).
"""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "blocks")
os.makedirs(HERE, exist_ok=True)
keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)


def bn(name, eps=1.001e-5):
    return L.BatchNormalization(epsilon=eps, name=name)


def residual():
    x = L.Input((10, 10, 8), name="input")
    y = L.Conv2D(4, 1, strides=2, name="c1")(x)
    y = L.Activation("relu", name="r1")(bn("b1")(y))
    y = L.Conv2D(4, 3, padding="same", name="c2")(y)
    y = L.Activation("relu", name="r2")(bn("b2")(y))
    y = bn("b3")(L.Conv2D(12, 1, name="c3")(y))
    s = bn("b0")(L.Conv2D(12, 1, strides=2, name="c0")(x))
    out = L.Activation("relu", name="out")(L.Add(name="add")([s, y]))
    return keras.Model(x, out, name="residual")


def separable():
    x = L.Input((9, 9, 6), name="input")
    y = L.ZeroPadding2D(((0, 1), (0, 1)), name="pad")(x)
    y = L.DepthwiseConv2D(3, strides=2, use_bias=False, name="dw")(y)
    y = L.ReLU(6.0, name="dw_relu")(bn("dw_bn", 1e-3)(y))
    y = L.Conv2D(10, 1, use_bias=False, name="pw")(y)
    y = L.ReLU(6.0, name="pw_relu")(bn("pw_bn", 1e-3)(y))
    z = L.SeparableConv2D(16, 3, padding="same", use_bias=False, name="sep")(y)
    z = L.Activation("relu", name="sep_act")(bn("sep_bn", 1e-3)(z))
    z = L.MaxPooling2D(3, strides=2, padding="same", name="pool")(z)
    s = bn("short_bn", 1e-3)(L.Conv2D(16, 1, strides=2, padding="same", use_bias=False, name="short")(y))
    out = L.Add(name="add")([z, s])
    return keras.Model(x, out, name="separable")


def inception():
    x = L.Input((7, 7, 8), name="input")

    def cbr(t, f, k, name):
        t = L.Conv2D(f, k, padding="same", use_bias=False, name=name)(t)
        return L.Activation("relu", name=name + "_act")(L.BatchNormalization(scale=False, name=name + "_bn")(t))

    b1 = cbr(x, 6, 1, "b1x1")
    b5 = cbr(cbr(x, 4, 1, "b5x5_1"), 6, 5, "b5x5_2")
    b3 = cbr(cbr(cbr(x, 4, 1, "b3x3_1"), 6, 3, "b3x3_2"), 6, 3, "b3x3_3")
    bp = cbr(L.AveragePooling2D(3, strides=1, padding="same", name="pool")(x), 4, 1, "bpool")
    m = L.Concatenate(axis=3, name="mixed")([b1, b5, b3, bp])
    out = L.GlobalAveragePooling2D(keepdims=True, name="gap")(m)
    return keras.Model(x, out, name="inception")


cases = {}
for build in (residual, separable, inception):
    model = build()
    # Random weights everywhere, moving variances positive and away from 1.
    for layer in model.layers:
        ws = []
        for w in layer.weights:
            shape = tuple(w.shape)
            if "variance" in w.path:
                ws.append(rng.uniform(0.5, 2.0, shape).astype(np.float32))
            elif "gamma" in w.path:
                ws.append(rng.uniform(0.5, 1.5, shape).astype(np.float32))
            else:
                ws.append(rng.normal(0, 0.5, shape).astype(np.float32))
        if ws:
            layer.set_weights(ws)
    name = model.name
    inputs = rng.normal(0, 1, (3,) + tuple(model.input.shape[1:])).astype(np.float32)
    cases[name + "_inputs"] = inputs
    cases[name + "_outputs"] = model.predict(inputs, verbose=0).astype(np.float32)
    model.save(os.path.join(HERE, name + ".keras"))
    print(name, cases[name + "_outputs"].shape, model.count_params())
np.savez(os.path.join(HERE, "cases.npz"), **cases)
