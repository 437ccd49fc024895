"""PyTorch side of convplay-bench --finetune: a MobileNet base (alpha 1.0, Keras's layout:
3x3/2 stem, 13 depthwise-separable blocks, BatchNormalization, ReLU6; stride-2 blocks pad
bottom/right by one) in plain torch.nn, at 128x128:
  - the feature-extraction pass over N random images, batch 32, eval mode, no gradients;
  - one epoch of the head (global average pooling, Linear 256 + ReLU, Linear 5) on the features;
  - one joint epoch (base and head training, BatchNorm in train mode) on --joint-images images,
    scaled to N.
Batch 32, Adam, --threads threads. Prints one JSON line.
"""
import argparse
import json
import time

import torch
import torch.nn as nn


def block(cin, cout, stride):
    layers = []
    if stride == 2:
        layers.append(nn.ZeroPad2d((0, 1, 0, 1)))
    layers += [
        nn.Conv2d(cin, cin, 3, stride, 1 if stride == 1 else 0, groups=cin, bias=False),
        nn.BatchNorm2d(cin, eps=1e-3), nn.ReLU6(),
        nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout, eps=1e-3), nn.ReLU6(),
    ]
    return layers


def mobilenet_base():
    layers = [nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32, eps=1e-3), nn.ReLU6()]
    cin = 32
    for cout, s in [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]:
        layers += block(cin, cout, s)
        cin = cout
    return nn.Sequential(*layers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images", type=int, default=2000)
    p.add_argument("--joint-images", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    # Random weights make tiny activations; without this, denormal arithmetic (not the network)
    # would set the pace. convplay is measured on the same kind of weights.
    torch.set_flush_denormal(True)
    torch.manual_seed(0)
    base = mobilenet_base()
    head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1024, 256), nn.ReLU(), nn.Linear(256, 5))
    x = torch.rand(a.images, 3, 128, 128) * 2 - 1
    y = torch.arange(a.images) % 5
    base.eval()
    t = time.perf_counter()
    with torch.no_grad():
        feats = torch.cat([base(x[i:i + 32]) for i in range(0, a.images, 32)])
    extraction = time.perf_counter() - t

    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(head.parameters(), 1e-3)
    order = torch.randperm(a.images)
    t = time.perf_counter()
    for i in range(0, a.images, 32):
        idx = order[i:i + 32]
        opt.zero_grad()
        loss_fn(head(feats[idx]), y[idx]).backward()
        opt.step()
    head_epoch = time.perf_counter() - t

    model = nn.Sequential(base, head)
    model.train()
    opt = torch.optim.Adam(model.parameters(), 1e-4)
    m = min(a.joint_images, a.images)
    t = time.perf_counter()
    for i in range(0, m, 32):
        opt.zero_grad()
        loss_fn(model(x[i:i + 32]), y[i:i + 32]).backward()
        opt.step()
    joint = (time.perf_counter() - t) * a.images / m
    print(json.dumps({"images": a.images, "feature_extraction_seconds": extraction,
                      "feature_images_per_second": a.images / extraction, "head_epoch_seconds": head_epoch,
                      "joint_epoch_seconds": joint, "joint_images_measured": m}))


if __name__ == "__main__":
    main()
