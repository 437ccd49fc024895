#!/usr/bin/env python3
"""PyTorch side of convplay's speed benchmark (issue 5): the same two networks, the same batch
size, optimizer and thread count, so `benchmarks/run` can print convplay / PyTorch ratios.

  python3 benchmarks/torch_reference.py [--batches 60] [--threads 2] [--data DIR]
                                        [--epochs 0] [--json FILE]

Networks (NHWC in convplay, NCHW here; the arithmetic is the same):
  convnet  Keras's mnist_convnet: conv32(3x3,relu)-maxpool2-conv64(3x3,relu)-maxpool2-flatten-
           dropout(0.5)-dense10(softmax)
  deep     conv32(3x3,relu)-conv64(3x3,relu)-maxpool2-dropout(0.25)-flatten-dense128(relu)-
           dropout(0.5)-dense10(softmax)
Both with Adam (lr 0.001, Keras's defaults), batch 128, Glorot-uniform weights and zero biases.

Training throughput: `--batches` steps (after 3 warm-up steps) on MNIST images if found
(--data, $CONVPLAY_DATA, ../shared/data/mnist), else on random images (throughput does not
depend on the values). Inference: the convnet in eval mode on batches of 128, no gradients.
`--epochs E` also trains each network E full epochs on real MNIST and reports test accuracy.
`--depthwise` instead times MobileNet's depthwise 3x3 layers (conv2d groups=C, batch 16,
channels_last memory, the same shapes as `convplay-bench --depthwise`): forward, input gradient
and kernel gradient, best of 10, in ms and GB/s (input read + output written once each).
Prints one `key: value` line per figure and, with --json, writes them to a file.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError as error:  # the caller prints how to install
    print(f"torch_reference: {error}; install with: pip install torch numpy", file=sys.stderr)
    sys.exit(3)


def read_idx(path):
    """An IDX file (gzipped or not) as a numpy array, checking its magic number."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an IDX file of bytes")
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find_mnist(explicit):
    candidates = [explicit, os.environ.get("CONVPLAY_DATA"),
                  os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "mnist"),
                  os.path.expanduser("~/.cache/convplay/datasets/mnist")]
    for d in candidates:
        if not d:
            continue
        for suffix in ("", ".gz"):
            train = os.path.join(d, "train-images-idx3-ubyte" + suffix)
            if os.path.exists(train):
                def load(name):
                    return read_idx(os.path.join(d, name + suffix))
                return (load("train-images-idx3-ubyte"), load("train-labels-idx1-ubyte"),
                        load("t10k-images-idx3-ubyte"), load("t10k-labels-idx1-ubyte"), d)
    return None


def glorot(model):
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def convnet():
    return glorot(nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10)))


def deep():
    return glorot(nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10)))


MODELS = {"convnet": convnet, "deep": deep}


def batches(x, y, size, generator):
    order = torch.randperm(len(x), generator=generator)
    for start in range(0, len(x) - size + 1, size):
        idx = order[start : start + size]
        yield x[idx], y[idx]


def train_steps(model, x, y, steps, batch):
    """Seconds for `steps` Adam steps of `batch` images (after 3 warm-up steps)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    generator = torch.Generator().manual_seed(0)
    stream = iter(())
    done = -3
    start = None
    while done < steps:
        try:
            xb, yb = next(stream)
        except StopIteration:
            stream = batches(x, y, batch, generator)
            continue
        if done == 0:
            start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        done += 1
    return time.perf_counter() - start


def inference(model, x, steps, batch):
    model.eval()
    with torch.no_grad():
        for i in range(3):
            model(x[:batch])
        start = time.perf_counter()
        for i in range(steps):
            s = (i * batch) % (len(x) - batch + 1)
            model(x[s : s + batch])
        return time.perf_counter() - start


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(x), 1000):
            correct += (model(x[s : s + 1000]).argmax(1) == y[s : s + 1000]).sum().item()
    return correct / len(x)


DEPTHWISE_SHAPES = [(16, 112, 32, 1), (16, 56, 128, 1), (16, 112, 64, 2)]


def best_seconds(fn, repeats=10):
    """Fastest of `repeats` runs after a warm-up; with CONVPLAY_BENCH_CPU=1 in the process's CPU
    seconds (all threads), as convplay-bench measures on a busy machine."""
    clock = time.process_time if os.environ.get("CONVPLAY_BENCH_CPU") == "1" else time.perf_counter
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def depthwise_benchmark(results):
    """Depthwise 3x3, 'same' (Keras's padding: the extra zero bottom/right for stride 2)."""
    import torch.nn.functional as F
    for n, size, c, stride in DEPTHWISE_SHAPES:
        x = torch.randn(n, c, size, size).contiguous(memory_format=torch.channels_last)
        w = torch.randn(c, 1, 3, 3)
        b = torch.randn(c)
        out = -(-size // stride)
        total = max((out - 1) * stride + 3 - size, 0)
        pads = (total // 2, total - total // 2, total // 2, total - total // 2)

        def forward(x=x):
            return F.conv2d(F.pad(x, pads) if stride > 1 else x, w, b, stride=stride,
                            padding=0 if stride > 1 else 1, groups=c)
        y = forward()
        dy = torch.randn_like(y)
        with torch.no_grad():
            fwd = best_seconds(forward)
        xg = x.clone().requires_grad_()
        wg = w.clone().requires_grad_()
        yg = F.conv2d(F.pad(xg, pads) if stride > 1 else xg, wg, None, stride=stride,
                      padding=0 if stride > 1 else 1, groups=c)
        dx = best_seconds(lambda: torch.autograd.grad(yg, xg, dy, retain_graph=True))
        dw = best_seconds(lambda: torch.autograd.grad(yg, wg, dy, retain_graph=True))
        bytes_moved = 4 * (x.numel() + y.numel())
        key = f"depthwise_{size}x{size}x{c}_s{stride}"
        for what, seconds in (("forward", fwd), ("input_gradient", dx), ("kernel_gradient", dw)):
            results[f"{key}_{what}_ms"] = 1000 * seconds
        print(f"depthwise 3x3 {size}x{size}x{c}, stride {stride}, batch {n}: forward "
              f"{1000 * fwd:.2f} ms ({bytes_moved / fwd / 1e9:.1f} GB/s), input gradient "
              f"{1000 * dx:.2f} ms, kernel gradient {1000 * dw:.2f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=60, help="training steps timed per network")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", help="directory with MNIST's IDX files")
    parser.add_argument("--models", default="convnet,deep")
    parser.add_argument("--epochs", type=int, default=0, help="also train full epochs for accuracy")
    parser.add_argument("--json", help="write the figures to this JSON file")
    parser.add_argument("--depthwise", action="store_true",
                        help="time depthwise 3x3 layers instead of the networks")
    args = parser.parse_args()
    if args.batches < 1 or args.batch < 1 or args.threads < 1:
        parser.error("--batches, --batch and --threads must be at least 1")

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.depthwise:
        results = {"torch_version": torch.__version__, "threads": args.threads}
        print(f"torch {torch.__version__}, {args.threads} threads")
        depthwise_benchmark(results)
        if args.json:
            with open(args.json + ".tmp", "w") as f:
                json.dump(results, f, indent=1)
            os.replace(args.json + ".tmp", args.json)
        return
    mnist = find_mnist(args.data)
    results = {"torch_version": torch.__version__, "threads": args.threads, "batch": args.batch}
    if mnist:
        xtr, ytr, xte, yte, where = mnist
        x = torch.from_numpy(xtr.astype(np.float32) / 255).unsqueeze(1)
        y = torch.from_numpy(ytr.astype(np.int64))
        xt = torch.from_numpy(xte.astype(np.float32) / 255).unsqueeze(1)
        yt = torch.from_numpy(yte.astype(np.int64))
        results["data"] = os.path.abspath(where)
    else:
        if args.epochs:
            parser.error("--epochs needs MNIST (--data DIR)")
        x = torch.rand(args.batch * 20, 1, 28, 28)
        y = torch.randint(0, 10, (len(x),))
        xt = x
        results["data"] = "random images (MNIST not found)"
    print(f"torch {torch.__version__}, {args.threads} threads, batch {args.batch}, "
          f"data: {results['data']}")

    for name in args.models.split(","):
        if name not in MODELS:
            parser.error(f"unknown model {name!r} (known: {', '.join(MODELS)})")
        model = MODELS[name]()
        seconds = train_steps(model, x, y, args.batches, args.batch)
        ips = args.batches * args.batch / seconds
        results[f"{name}_train_images_per_second"] = ips
        print(f"{name} train images/s: {ips:.0f}  ({args.batches} batches in {seconds:.2f} s)")
        if name == "convnet":
            steps = max(args.batches, 20)
            seconds = inference(model, xt, steps, args.batch)
            ips = steps * args.batch / seconds
            results["convnet_inference_images_per_second"] = ips
            print(f"convnet inference images/s: {ips:.0f}")
        if args.epochs:
            model = MODELS[name]()
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
            loss_fn = nn.CrossEntropyLoss()
            generator = torch.Generator().manual_seed(0)
            start = time.perf_counter()
            for epoch in range(args.epochs):
                model.train()
                for xb, yb in batches(x, y, args.batch, generator):
                    optimizer.zero_grad(set_to_none=True)
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
            seconds = time.perf_counter() - start
            acc = accuracy(model, xt, yt)
            results[f"{name}_test_accuracy"] = acc
            results[f"{name}_seconds_per_epoch"] = seconds / args.epochs
            print(f"{name} after {args.epochs} epochs: test accuracy {acc:.4f}, "
                  f"{seconds / args.epochs:.1f} s/epoch")

    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(results, f, indent=1)
        os.replace(tmp, args.json)


if __name__ == "__main__":
    main()
