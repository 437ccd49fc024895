#!/usr/bin/env python3
"""Fixtures for ConvImageIOTests, made without convplay's code (numpy + the standard library).

PNG files are written by the small encoder below (zlib + CRC, filter type 0, optional Adam7
interlacing), an implementation independent of libpng, so decoding them checks convplay's
reading, alpha policy and 16-bit handling against values computed here in numpy:
  - gray conversions in float32: (R+G+B)/3, 0.3R+0.59G+0.11B, 0.299R+0.587G+0.114B
  - alpha composited on white: c*a/255 + (255 - a)   (16-bit: (c*a/65535 + 65535 - a)/257)
  - 16-bit samples as v/257
cmyk.jpg comes from make_cmyk_jpeg.c (libjpeg), since numpy cannot write JPEG.

Run from this directory: python3 make_image_fixtures.py  (numpy 2.x)
"""
import struct
import zlib

import numpy as np

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_rows(samples, bit_depth):
    """samples: H x W x C ints. Rows of bytes with filter type 0, big-endian, packed below 8 bits."""
    out = b""
    for row in samples:
        flat = row.reshape(-1)
        if bit_depth == 16:
            data = flat.astype(">u2").tobytes()
        elif bit_depth == 8:
            data = flat.astype(np.uint8).tobytes()
        else:
            per = 8 // bit_depth
            padded = np.concatenate([flat, np.zeros((-len(flat)) % per, int)])
            data = bytes(
                sum(int(v) << (8 - bit_depth * (i + 1)) for i, v in enumerate(padded[j:j + per]))
                for j in range(0, len(padded), per))
        out += b"\x00" + data
    return out


def write_png(path, samples, color_type, bit_depth, interlace=False, plte=None, trns=None, ihdr_size=None,
              extra=()):
    if samples.ndim == 2:
        samples = samples[:, :, None]
    h, w = samples.shape[:2]
    if ihdr_size:
        w, h = ihdr_size
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    if interlace:
        raw = b"".join(
            pack_rows(samples[y0::dy, x0::dx], bit_depth)
            for x0, y0, dx, dy in ADAM7 if samples[y0::dy, x0::dx].size)
    else:
        raw = pack_rows(samples, bit_depth)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    for kind, data in extra:
        png += chunk(kind, data)
    if plte is not None:
        png += chunk(b"PLTE", plte.astype(np.uint8).tobytes())
    if trns is not None:
        png += chunk(b"tRNS", trns.astype(np.uint8).tobytes())
    # With a claimed size, a token IDAT: the header must look complete, the data cannot be.
    png += chunk(b"IDAT", zlib.compress(raw if ihdr_size is None else b"\x00" * 16))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def composite8(c, a):
    c = c.astype(np.float32)
    a = a.astype(np.float32)
    return c * a / np.float32(255) + (np.float32(255) - a)


def main():
    rng = np.random.default_rng(3)
    h, w = 5, 7
    rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    rgb[0, 0] = (100, 150, 200)  # the pixel worked by hand in the tests
    np.save("rgb_7x5.npy", rgb)
    write_png("rgb_7x5.png", rgb, 2, 8)
    write_png("rgb_7x5_interlaced.png", rgb, 2, 8, interlace=True)
    r, g, b = (rgb[:, :, i].astype(np.float32) for i in range(3))
    np.save("gray_average.npy", (r + g + b) / np.float32(3))
    np.save("gray_luminance.npy", np.float32(0.3) * r + np.float32(0.59) * g + np.float32(0.11) * b)
    np.save("gray_bt601.npy", np.float32(0.299) * r + np.float32(0.587) * g + np.float32(0.114) * b)

    gray16 = rng.integers(0, 65536, (h, w), dtype=np.uint16)
    write_png("gray16_7x5.png", gray16, 0, 16)
    np.save("gray16_expected.npy", gray16.astype(np.float32) / np.float32(257))

    ga = rng.integers(0, 256, (h, w, 2), dtype=np.uint8)
    ga[0, 0] = (10, 0)     # fully transparent: white
    ga[0, 1] = (10, 255)   # opaque: unchanged
    write_png("gray_alpha_7x5.png", ga, 4, 8)
    np.save("gray_alpha_expected.npy", composite8(ga[:, :, 0], ga[:, :, 1]))

    rgba16 = rng.integers(0, 65536, (h, w, 4), dtype=np.uint16)
    write_png("rgba16_7x5.png", rgba16, 6, 16)
    c = rgba16[:, :, :3].astype(np.float64)
    a = rgba16[:, :, 3:].astype(np.float64)
    np.save("rgba16_expected.npy", ((c * a / 65535 + 65535 - a) / 257).astype(np.float32))

    plte = rng.integers(0, 256, (4, 3), dtype=np.uint8)
    trns = np.array([255, 128, 0, 255], np.uint8)
    index = rng.integers(0, 4, (h, w), dtype=np.uint8)
    write_png("palette_7x5.png", index, 3, 8, plte=plte, trns=trns)
    colors = plte[index]
    alphas = trns[index]
    np.save("palette_expected.npy", np.stack([composite8(colors[:, :, i], alphas) for i in range(3)], -1))

    gray2 = rng.integers(0, 4, (h, w), dtype=np.uint8)
    write_png("gray2bit_7x5.png", gray2, 0, 2)
    np.save("gray2bit_expected.npy", (gray2 * 85).astype(np.float32))

    # Colour-space chunks do not change the numbers read: gAMA 1.0 on 8-bit, sRGB on 16-bit.
    write_png("gray_gamma1_7x5.png", rgb[:, :, 0], 0, 8, extra=[(b"gAMA", struct.pack(">I", 100000))])
    write_png("gray16_srgb_7x5.png", gray16, 0, 16, extra=[(b"sRGB", b"\x00")])

    # A valid header claiming 100000 x 100000 pixels and almost no image data: must be refused by the
    # pixel limit before anything is allocated.
    write_png("huge_header.png", rgb, 2, 8, ihdr_size=(100000, 100000))

    values = (rng.standard_normal((h, w)) * 300).astype(np.float32)
    np.save("float32_signed.npy", values)
    np.save("float64_rgb.npy", rng.random((h, w, 3)) * 255)
    np.save("fortran.npy", np.asfortranarray(rng.random((h, w)).astype(np.float32)))
    np.save("int64.npy", np.arange(35).reshape(h, w))
    np.save("four_channels.npy", np.zeros((h, w, 4), np.uint8))


if __name__ == "__main__":
    main()
