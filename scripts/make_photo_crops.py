"""Writes a small folder data set (one subfolder per class) of 32x32 crops of the colour photos
in shared/images, to watch the training dashboard on real colour pictures where CIFAR-10 cannot be
downloaded. PNG decoding/encoding with zlib and numpy only.
  python3 scripts/make_photo_crops.py ../shared photo-crops 60"""
import os, struct, sys, zlib
import numpy as np

def read_png(path):
    d = open(path, 'rb').read()
    pos, idat, w = 8, b'', None
    while pos < len(d):
        n, = struct.unpack('>I', d[pos:pos+4]); t = d[pos+4:pos+8]; c = d[pos+8:pos+8+n]; pos += 12 + n
        if t == b'IHDR': w, h, bd, ct, _, _, il = struct.unpack('>IIBBBBB', c)
        elif t == b'IDAT': idat += c
    ch = {0: 1, 2: 3, 6: 4}[ct]
    raw = zlib.decompress(idat); stride = w * ch
    out = np.zeros((h, stride), np.int32); prev = np.zeros(stride, np.int32)
    for y in range(h):
        f = raw[y*(stride+1)]; line = np.frombuffer(raw[y*(stride+1)+1:(y+1)*(stride+1)], np.uint8).astype(np.int32)
        cur = np.zeros(stride, np.int32)
        for x in range(stride):
            a = cur[x-ch] if x >= ch else 0; b = prev[x]; cc = prev[x-ch] if x >= ch else 0
            if f == 0: p = 0
            elif f == 1: p = a
            elif f == 2: p = b
            elif f == 3: p = (a + b) // 2
            else:
                pa, pb, pc = abs(b-cc), abs(a-cc), abs(a+b-2*cc)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else cc)
            cur[x] = (line[x] + p) & 255
        out[y] = cur; prev = cur
    img = out.reshape(h, w, ch).astype(np.float64)
    if ch == 4: img = img[..., :3] * img[..., 3:] / 255 + 255 * (1 - img[..., 3:] / 255)
    if ch == 1: img = np.repeat(img, 3, axis=2)
    return img

def write_png(path, img):
    h, w, _ = img.shape
    raw = b''.join(b'\x00' + img[y].astype(np.uint8).tobytes() for y in range(h))
    def chunk(t, c): return struct.pack('>I', len(c)) + t + c + struct.pack('>I', zlib.crc32(t + c) & 0xffffffff)
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                           + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))

shared, out, per = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(0)
for name, file in [('astronaut', 'astronaut.png'), ('cat', 'chelsea.png'), ('coffee', 'coffee.png'), ('horse', 'horse.png')]:
    img = read_png(os.path.join(shared, 'images', file)); h, w, _ = img.shape
    os.makedirs(os.path.join(out, name), exist_ok=True)
    for i in range(per):
        s = int(rng.integers(min(h, w) // 2, min(h, w) + 1)); y = int(rng.integers(0, h - s + 1)); x = int(rng.integers(0, w - s + 1))
        crop = img[y:y+s, x:x+s]
        k = s // 32; crop = crop[:k*32, :k*32].reshape(32, k, 32, k, 3).mean(axis=(1, 3))
        if rng.random() < 0.5: crop = crop[:, ::-1]
        write_png(os.path.join(out, name, f'{i:03d}.png'), np.clip(np.rint(crop), 0, 255))
