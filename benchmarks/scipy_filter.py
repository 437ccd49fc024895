#!/usr/bin/env python3
"""SciPy side of benchmarks/run: megapixels/s of scipy.ndimage.correlate with a 3x3 kernel on a
4000x3000 float32 image (zero padding, as convplay's `same`), best of 6 runs. Prints one number."""
import sys
import time

try:
    import numpy as np
    import scipy.ndimage as nd
except ImportError as error:
    print(f"scipy_filter: {error}; install with: pip install scipy", file=sys.stderr)
    sys.exit(3)

x = np.random.default_rng(0).random((3000, 4000), dtype=np.float32)
k = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float32)
best = float("inf")
for _ in range(6):
    start = time.perf_counter()
    nd.correlate(x, k, mode="constant")
    best = min(best, time.perf_counter() - start)
print(f"{12 / best:.0f}")
