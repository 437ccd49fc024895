"""Makes restart_intervals.jpg (a 64x96 photo crop with a restart marker after every MCU row)
and two damaged copies of it, for ConvImageIOTests.testJPEGWithBytesOutOfPlaceIsRefused:

- restart_damaged.jpg: 4 bytes of the entropy data are changed, so libjpeg falls out of step,
  finds 16 bytes left before the next restart marker and only warns ("16 extraneous bytes
  before marker 0xd1"), decoding that interval wrong (16 % of the pixels off by more than 16);
- restart_trailing.jpg: 3 junk bytes before the final EOI marker, after the last row (harmless).

Run from this folder: python3 make_damaged_jpeg.py (needs Pillow and the shared photos).
"""
import io
import os

from PIL import Image

shared = os.environ.get("CONVPLAY_SHARED", "../../../../shared")
photo = Image.open(os.path.join(shared, "images", "rocket.jpg")).convert("RGB").crop((200, 100, 264, 196))
buf = io.BytesIO()
photo.save(buf, "JPEG", quality=90, restart_marker_rows=1)
good = buf.getvalue()
open("restart_intervals.jpg", "wb").write(good)

# Four bytes of the entropy data changed (offset, old, new): found by a seeded search over random
# changes for one that the decoder before issue 19 accepted with exit 0 while about a sixth of
# the picture came out wrong (libjpeg: "16 extraneous bytes before marker 0xd1", a warning).
# The offsets are those of Pillow 13's encoding of the crop above.
damaged = bytearray(good)
for offset, old, new in [(726, 57, 181), (762, 203, 78), (995, 156, 140), (1052, 136, 238)]:
    assert damaged[offset] == old, "another Pillow encoded the crop differently: search again"
    damaged[offset] = new
open("restart_damaged.jpg", "wb").write(bytes(damaged))

end = good.rindex(b"\xff\xd9")
open("restart_trailing.jpg", "wb").write(good[:end] + b"\x12\x34\x56" + good[end:])
print("restart_intervals.jpg, restart_damaged.jpg, restart_trailing.jpg written")
