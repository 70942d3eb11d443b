#!/bin/sh
# bench.sh -- `make bench`: bcelab's exhaustive float sweep on a fixed slice
# of 2^24 bit patterns, against the same work in NumPy and against the floor
# (the bare C library calls the forms need), in one run on one machine.
# Not part of `make check`: it is a measurement, not a test.
#
# The slice: patterns 0x3f000000 .. 0x3fffffff, the floats in [0.5, 2), the
# 64th of 256 shards: the busiest part of the range (no fast paths in the C
# library, no early outs).  bcelab and the floor run it on one thread, like
# NumPy, then on every core (NumPy's element-wise operations have no
# threads: that is what a user of it gets).
set -e
case ${BENCH_RUNS:-3} in
  ''|*[!0-9]*|0) echo "bench: BENCH_RUNS must be a positive integer, not '$BENCH_RUNS'" >&2; exit 2 ;;
esac
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

cc -O2 -fopenmp -ffp-contract=off -fno-math-errno -o "$tmp/floor" "$here/floor.c" -lm 2>/dev/null \
  || cc -O2 -ffp-contract=off -fno-math-errno -o "$tmp/floor" "$here/floor.c" -lm
cores=$(nproc 2>/dev/null || echo 1)

# bcelab_ns JOBS: nanoseconds per logit of bcelab on the slice
bcelab_ns () {
  t0=$(date +%s.%N)
  BCELAB_NO_PROGRESS=1 "$BCELAB" exhaustive -p float --shard 64/256 -j "$1" -o "$tmp" >/dev/null
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v n=$count 'BEGIN { printf "%.3f", (b - a) / n * 1e9 }'
}
ratio () { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# best COMMAND...: the least of BENCH_RUNS (default 3) runs' figures, the
# one least disturbed by the rest of the machine
best () {
  m=
  i=0
  while [ $i -lt "${BENCH_RUNS:-3}" ]; do
    v=$("$@")
    m=$(awk -v a="$v" -v b="${m:-$v}" 'BEGIN { print (a < b) ? a : b }')
    i=$((i + 1))
  done
  echo "$m"
}

bcelab1=$(best bcelab_ns 1)
floor1=$(best "$tmp/floor" $first $count 1)
numpy_ns=$(best "$PY" "$here/numpy_exhaustive.py" $first $count)
bcelabn=$(best bcelab_ns "$cores")
floorn=$(best "$tmp/floor" $first $count "$cores")

echo "slice: $count float bit patterns from $first, forms naive, clamped, stable, y = 0 and 1,"
echo "losses, gradients and errors against the exact values; best of ${BENCH_RUNS:-3} runs"
echo "one thread:"
printf '  bcelab exhaustive   %8.2f ns per logit\n' "$bcelab1"
printf '  numpy (float32/64)  %8.2f ns per logit   (bcelab is %sx faster)\n' "$numpy_ns" \
  "$(ratio "$numpy_ns" "$bcelab1")"
printf '  C library floor     %8.2f ns per logit   (bcelab is %sx the floor)\n' "$floor1" \
  "$(ratio "$bcelab1" "$floor1")"
echo "every core ($cores; numpy has no threads for this work):"
printf '  bcelab exhaustive   %8.2f ns per logit   (%sx faster than numpy)\n' "$bcelabn" \
  "$(ratio "$numpy_ns" "$bcelabn")"
printf '  C library floor     %8.2f ns per logit   (bcelab is %sx the floor)\n' "$floorn" \
  "$(ratio "$bcelabn" "$floorn")"
