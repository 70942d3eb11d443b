#!/bin/sh
# bench.sh -- `make bench`: bcelab's exhaustive float sweep on a fixed slice
# of 2^24 bit patterns, against the same work in NumPy and against the floor
# (the bare C library calls the forms need), in one run on one machine.
# Not part of `make check`: it is a measurement, not a test.
#
# The slice: patterns 0x3f000000 .. 0x3fffffff, the floats in [0.5, 2), the
# 64th of 256 shards: the busiest part of the range (no fast paths in the C
# library, no early outs).  bcelab runs it on one thread, like the others.
set -e
BCELAB=${BCELAB:-../../src/bcelab}
here=$(cd "$(dirname "$0")" && pwd)
first=0x3f000000
count=16777216
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Debian's python3 (the one python3-numpy installs for), not another on PATH
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import numpy' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing python3-numpy"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-numpy >/dev/null
  else
    echo "bench: python3-numpy is missing: sudo apt-get install python3-numpy" >&2
    exit 1
  fi
fi

cc -O2 -ffp-contract=off -fno-math-errno -o "$tmp/floor" "$here/floor.c" -lm

t0=$(date +%s.%N)
BCELAB_NO_PROGRESS=1 "$BCELAB" exhaustive -p float --shard 64/256 -j 1 -o "$tmp" >/dev/null
t1=$(date +%s.%N)
bcelab_ns=$(awk -v a="$t0" -v b="$t1" -v n=$count 'BEGIN { printf "%.3f", (b - a) / n * 1e9 }')
floor_ns=$("$tmp/floor" $first $count)
numpy_ns=$("$PY" "$here/numpy_exhaustive.py" $first $count)

echo "slice: $count float bit patterns from $first, forms naive, clamped, stable, y = 0 and 1,"
echo "losses, gradients and errors against the exact values, one thread"
printf '  bcelab exhaustive   %8.2f ns per logit\n' "$bcelab_ns"
printf '  numpy (float32/64)  %8.2f ns per logit   (bcelab is %.1fx faster)\n' "$numpy_ns" \
  "$(awk -v a="$numpy_ns" -v b="$bcelab_ns" 'BEGIN { print a / b }')"
printf '  C library floor     %8.2f ns per logit   (bcelab is %.2fx the floor)\n' "$floor_ns" \
  "$(awk -v a="$bcelab_ns" -v b="$floor_ns" 'BEGIN { print a / b }')"
