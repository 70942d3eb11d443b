#!/bin/sh
# full.sh -- `make bench-full`: the time of the whole float sweep (every
# one of the 2^32 bit patterns, naive, clamped and stable, y = 0 and 1),
# with -j 1 and with every core, and the check that both give the same
# bytes.  Takes several minutes; not part of `make check`.
set -e
BCELAB=${BCELAB:-../../src/bcelab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cores=$(nproc 2>/dev/null || echo 1)

run () {  # JOBS DIR: prints the seconds
  t0=$(date +%s.%N)
  BCELAB_NO_PROGRESS=1 "$BCELAB" exhaustive -p float -j "$1" -o "$2" >"$2.txt"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}

echo "bcelab exhaustive -p float: all 2^32 float bit patterns"
tn=$(run "$cores" "$tmp/n")
printf '  -j %-3s %7s s\n' "$cores" "$tn"
if [ "${BENCH_FULL_J1:-1}" = 1 ] && [ "$cores" -gt 1 ]; then
  t1=$(run 1 "$tmp/1")
  printf '  -j 1   %7s s   (%.2fx from %s threads)\n' "$t1" \
    "$(awk -v a="$t1" -v b="$tn" 'BEGIN { print a / b }')" "$cores"
  cmp -s "$tmp/n.txt" "$tmp/1.txt" || { echo "full.sh: -j 1 and -j $cores differ" >&2; exit 1; }
  grep -v '^# command' "$tmp/n/exhaustive-float.dat" >"$tmp/a"
  grep -v '^# command' "$tmp/1/exhaustive-float.dat" >"$tmp/b"
  cmp -s "$tmp/a" "$tmp/b" || { echo "full.sh: the data files differ" >&2; exit 1; }
  echo "  the same summary and data file from both"
fi
