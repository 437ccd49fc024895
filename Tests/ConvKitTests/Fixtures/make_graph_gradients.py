"""Makes graph_gradients.json: small graphs using every layer convplay trains, with random
weights, run by Keras 3 on the PyTorch backend (gradients by PyTorch's autograd) for one
training step: the loss, the gradient of every trainable weight, and every weight after one
Adam step (learning rate 0.01). Keras 3 names DepthwiseConv2D's kernel `kernel`; convplay
keeps Keras 2's `depthwise_kernel` (the name in keras.applications' weight files): the test
matches weights by layer and order. GraphGradientFixtureTests builds the same graphs from their
spec text and compares.

    KERAS_BACKEND=torch python3 Tests/ConvKitTests/Fixtures/make_graph_gradients.py
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from keras import layers as L  # noqa: E402


def residual():
    x = L.Input((8, 8, 3))
    c1 = L.Conv2D(4, 3, padding="same", activation="relu", name="c1")(x)
    c2 = L.Conv2D(4, 3, padding="same", use_bias=False, name="c2")(c1)
    bn = L.BatchNormalization(name="bn1")(c2)
    s = L.Add()([c1, bn])
    r = L.Activation("relu")(s)
    g = L.GlobalAveragePooling2D()(r)
    out = L.Dense(5, activation="softmax", name="out")(g)
    spec = """
    input(8, 8, 3)
    c1 = conv2d(4, 3, padding=same, activation=relu)
    c2 = conv2d(4, 3, padding=same, use_bias=false)
    bn1 = batchnorm
    sum = add(c1, bn1)
    relu
    globalavgpool
    out = dense(5, softmax)
    """
    return keras.Model(x, out), spec, (8, 8, 3), 5


def inception():
    x = L.Input((9, 9, 2))
    stem = L.Conv2D(6, 3, activation="relu", name="stem")(x)
    b1 = L.Conv2D(3, 1, activation="relu", name="b1")(stem)
    b3 = L.Conv2D(4, 3, padding="same", activation="relu", name="b3")(stem)
    b5 = L.Conv2D(2, (1, 3), padding="same", use_bias=False, name="b5")(stem)
    bp = L.AveragePooling2D(3, strides=1, padding="same")(stem)
    cat = L.Concatenate()([b1, b3, b5, bp])
    bn = L.BatchNormalization(scale=False, name="bn")(cat)
    mp = L.MaxPooling2D(2, padding="same")(bn)
    f = L.Flatten()(mp)
    out = L.Dense(4, activation="softmax", name="out")(f)
    spec = """
    input(9, 9, 2)
    stem = conv2d(6, 3, activation=relu)
    b1 = conv2d(3, 1, activation=relu)(stem)
    b3 = conv2d(4, 3, padding=same, activation=relu)(stem)
    b5 = conv2d(2, (1, 3), padding=same, use_bias=false)(stem)
    bp = avgpool(3, strides=1, padding=same)(stem)
    concatenate(b1, b3, b5, bp)
    bn = batchnorm(scale=false)
    maxpool(2, padding=same)
    flatten
    out = dense(4, softmax)
    """
    return keras.Model(x, out), spec, (9, 9, 2), 4


def mobile():
    x = L.Input((10, 10, 3))
    p = L.ZeroPadding2D(((0, 1), (0, 1)))(x)
    dw = L.DepthwiseConv2D(3, strides=2, depth_multiplier=2, use_bias=False, name="dw")(p)
    bn = L.BatchNormalization(name="bn")(dw)
    r6 = L.ReLU(6.0)(bn)
    sep = L.SeparableConv2D(5, 3, padding="same", activation="gelu", name="sep")(r6)
    lk = L.LeakyReLU(negative_slope=0.2)(sep)
    dil = L.Conv2D(4, 3, padding="same", dilation_rate=(2, 1), name="dil")(lk)
    dw2 = L.DepthwiseConv2D(3, padding="same", activation="elu", name="dw2")(dil)
    g = L.GlobalMaxPooling2D()(dw2)
    out = L.Dense(3, activation="softmax", name="out")(g)
    spec = """
    input(10, 10, 3)
    zeropadding2d(((0, 1), (0, 1)))
    dw = depthwiseconv2d(3, strides=2, depth_multiplier=2, use_bias=false)
    bn = batchnorm
    ReLU(6.0)
    sep = separableconv2d(5, 3, padding=same, activation=gelu)
    leakyrelu(0.2)
    dil = conv2d(4, 3, padding=same, dilation_rate=(2, 1))
    dw2 = depthwiseconv2d(3, padding=same, activation=elu)
    globalmaxpool
    out = dense(3, softmax)
    """
    return keras.Model(x, out), spec, (10, 10, 3), 3


def transposed():
    x = L.Input((6, 6, 2))
    c = L.Conv2D(4, 3, strides=2, padding="same", activation="tanh", name="c")(x)
    t1 = L.Conv2DTranspose(3, 3, strides=2, padding="same", activation="relu", name="t1")(c)
    t2 = L.Conv2DTranspose(2, (2, 3), strides=(1, 2), padding="valid", name="t2")(t1)
    s = L.Activation("sigmoid")(t2)
    r = L.Reshape((91, 2))(s)
    d = L.Dense(2, activation="elu", name="d")(r)
    f = L.Flatten()(d)
    out = L.Dense(4, activation="softmax", name="out")(f)
    spec = """
    input(6, 6, 2)
    c = conv2d(4, 3, strides=2, padding=same, activation=tanh)
    t1 = conv2dtranspose(3, 3, strides=2, padding=same, activation=relu)
    t2 = conv2dtranspose(2, (2, 3), strides=(1, 2))
    activation(sigmoid)
    reshape((91, 2))
    d = dense(2, elu)
    flatten
    out = dense(4, softmax)
    """
    return keras.Model(x, out), spec, (6, 6, 2), 4


def dense_branches():
    x = L.Input((12,))
    d1 = L.Dense(8, activation="selu", name="d1")(x)
    d2 = L.Dense(8, activation="softplus", name="d2")(d1)
    d3 = L.Dense(8, activation="softsign", name="d3")(d1)
    d4 = L.Dense(8, activation="silu", name="d4")(d1)
    s = L.Add()([d2, d3, d4])
    out = L.Dense(3, activation="softmax", name="out")(s)
    spec = """
    input(12)
    d1 = dense(8, selu)
    d2 = dense(8, softplus)
    d3 = dense(8, softsign)(d1)
    d4 = dense(8, silu)(d1)
    add(d2, d3, d4)
    out = dense(3, softmax)
    """
    return keras.Model(x, out), spec, (12,), 3


# A bias right before BatchNormalization has a gradient of exactly zero, which rounding makes
# noise of either sign (and Adam a full step): those convolutions have no bias, as in Keras's
# own networks.
def case(name, make, seed):
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    model, spec, shape, classes = make()
    for w in model.weights:
        # Kernels scaled by their fan-in (as Glorot does), so that the logits stay moderate.
        fan_in = int(np.prod(w.shape[:-1])) if len(w.shape) > 1 else 25
        v = rng.normal(0, 1.2 / np.sqrt(fan_in), w.shape).astype(np.float32)
        if w.path.endswith("moving_variance"):
            v = rng.uniform(0.5, 1.5, w.shape).astype(np.float32)
        w.assign(v)
    before = {w.path: np.array(w.numpy()) for w in model.weights}
    n = 4
    x = rng.normal(0, 1, (n,) + shape).astype(np.float32)
    labels = rng.integers(0, classes, n)
    y = np.eye(classes, dtype=np.float32)[labels]
    trainable = model.trainable_weights
    out = model(torch.tensor(x), training=True)
    # Keras clips probabilities at 1e-7 in its cross-entropy (convplay works from the logits):
    # the weights are small enough that no true class comes near it.
    assert float(out.detach()[np.arange(n), labels].min()) > 1e-4, name
    loss = keras.losses.categorical_crossentropy(torch.tensor(y), out).mean()
    grads = torch.autograd.grad(loss, [w.value for w in trainable])
    opt = keras.optimizers.Adam(learning_rate=0.01)
    opt.apply_gradients(zip([g.detach() for g in grads], trainable))
    layers = {}
    for path, v in before.items():
        layer, weight = path.split("/")
        layers.setdefault(layer, []).append({"name": weight, "shape": list(v.shape), "values": v.ravel().tolist()})
    return {
        "name": name,
        "spec": spec,
        "input_shape": list(shape),
        "x": x.ravel().tolist(),
        "labels": labels.tolist(),
        "loss": float(loss.detach()),
        "weights": layers,
        "gradients": {w.path: g.detach().cpu().numpy().ravel().tolist() for w, g in zip(trainable, grads)},
        "after": {w.path: np.array(w.numpy()).ravel().tolist() for w in model.weights},
    }


cases = [
    case("residual", residual, 1),
    case("inception", inception, 2),
    case("mobile", mobile, 3),
    case("transposed", transposed, 4),
    case("dense_branches", dense_branches, 5),
]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_gradients.json")
with open(path, "w") as f:
    json.dump({"keras": keras.__version__, "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print("wrote", path)
