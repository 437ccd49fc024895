"""A fingers-style folder data set from the shared photos, for the fine-tuning walkthrough
(docs/en/fingers-walkthrough.md) when Kaggle's fingers set is not at hand.

Each class is one photo of /work/shared/images (astronaut, chelsea, coffee, rocket, hubble);
every image is a random square crop (30-70 % of the photo's short side), resized to 128x128,
mirrored half of the time. Files are named as the fingers set names them, the class then L or R
before the extension (`0042_3L.png`: class 3, not mirrored; R: mirrored), in train/ and test/:

    python3 scripts/make_photo_crops.py OUT_DIR [--train 2000] [--test 500] [--seed 0]
    convplay finetune --base mobilenet --dataset folder:OUT_DIR --label-pattern '_([0-4])[LR]\\.png$'
"""
import argparse
import os

import numpy as np
from PIL import Image

PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "hubble_deep_field.jpg"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--train", type=int, default=2000)
    p.add_argument("--test", type=int, default=500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--images", default=os.environ.get("CONVPLAY_SHARED", "/work/shared") + "/images")
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    photos = [Image.open(os.path.join(a.images, f)).convert("RGB") for f in PHOTOS]
    for part, count in [("train", a.train), ("test", a.test)]:
        os.makedirs(os.path.join(a.out, part), exist_ok=True)
        for i in range(count):
            c = i % len(photos)
            img = photos[c]
            side = int(min(img.size) * rng.uniform(0.3, 0.7))
            x = int(rng.integers(0, img.size[0] - side + 1))
            y = int(rng.integers(0, img.size[1] - side + 1))
            crop = img.crop((x, y, x + side, y + side)).resize((128, 128), Image.BILINEAR)
            mirrored = rng.random() < 0.5
            if mirrored:
                crop = crop.transpose(Image.FLIP_LEFT_RIGHT)
            crop.save(os.path.join(a.out, part, f"{i:04d}_{c}{'R' if mirrored else 'L'}.png"))
    print(f"{a.out}: {a.train} training and {a.test} test images, {len(photos)} classes")


if __name__ == "__main__":
    main()
