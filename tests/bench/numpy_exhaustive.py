"""The obvious NumPy version of bcelab's exhaustive float sweep, for the
benchmark: naive, clamped and stable in float32 for y = 0 and 1, losses and
gradients, against a float64 reference, with ULP errors, on a slice of
float bit patterns.  Prints nanoseconds per logit.

Usage: python3 numpy_exhaustive.py FIRST_PATTERN COUNT
"""
import sys
import time

import numpy as np


def run(first, count, chunk=1 << 20):
    stats = {}
    start = time.perf_counter()
    np.seterr(all="ignore")
    eps = np.float32(1e-7)
    hi = np.float32(1 - 1e-7)
    for lo in range(first, first + count, chunk):
        bits = np.arange(lo, min(lo + chunk, first + count), dtype=np.uint64)
        z = bits.astype(np.uint32).view(np.float32)
        z = z[np.isfinite(z)]
        zd = z.astype(np.float64)
        # the reference in float64
        e = np.exp(-np.abs(zd))
        l = np.log1p(e)
        sp = np.maximum(zd, 0) + l
        sn = np.maximum(-zd, 0) + l
        sig = np.where(zd >= 0, 1 / (1 + e), e / (1 + e))
        for y in (np.float32(0), np.float32(1)):
            ref = sp if y == 0 else sn
            gref = sig - np.float64(y)
            ulp = np.spacing(ref.astype(np.float32)).astype(np.float64)
            # naive
            p = np.float32(1) / (np.float32(1) + np.exp(-z))
            q = np.float32(1) - p
            naive = -(y * np.log(p) + (np.float32(1) - y) * np.log(q))
            gnaive = (p - y) / (p * q) * p * q
            # clamped
            pc = np.clip(p, eps, hi)
            clamped = -(y * np.log(pc) + (np.float32(1) - y) * np.log(np.float32(1) - pc))
            gclamped = np.where((p >= eps) & (p <= hi), p - y, np.float32(0))
            # stable
            stable = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
            gstable = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))),
                               np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z)))) - y
            for name, v, g in (("naive", naive, gnaive), ("clamped", clamped, gclamped),
                               ("stable", stable, gstable)):
                err = np.abs(v.astype(np.float64) - ref) / ulp
                gerr = np.abs(g.astype(np.float64) - gref)
                s = stats.setdefault((name, float(y)), [0, 0.0, 0, 0])
                s[0] += v.size
                finite = np.isfinite(err)
                if finite.any():
                    s[1] = max(s[1], float(err[finite].max()))
                s[2] += int(np.count_nonzero(~np.isfinite(v)))
                s[3] += int(np.count_nonzero(gerr > 0.5 * np.abs(gref)))
    elapsed = time.perf_counter() - start
    return elapsed / count * 1e9, stats


if __name__ == "__main__":
    ns, stats = run(int(sys.argv[1], 0), int(sys.argv[2], 0))
    print("%.3f" % ns)
