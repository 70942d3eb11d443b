#!/bin/sh
# run.sh -- run each libFuzzer target for a while on its corpus.
#
#   tests/fuzz/run.sh BUILDDIR [SECONDS]      (default 60 s per target)
#
# BUILDDIR was configured with CC=clang --enable-fuzzers and built
# (make tests/fuzz/fuzz_numbers tests/fuzz/fuzz_csv).  The seed corpus in
# tests/fuzz/corpus/ is read, never written: new inputs go to a temporary
# directory, and a crash leaves its input as crash-* in the current
# directory.  Prints, per target, executions per second and corpus size;
# exits non-zero on the first finding.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILDDIR [SECONDS]}
secs=${2:-60}
work=$(mktemp -d "${TMPDIR:-/tmp}/bcelab-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
for t in numbers csv; do
  bin=$build/tests/fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "run.sh: $bin is not built" >&2; exit 1; }
  mkdir -p "$work/$t"
  # -rss_limit_mb: a parser must not need much memory for a small input;
  # -timeout: nor much time (the CSV reader and the list parsers are
  # linear or n log n in the input).
  if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
       -max_len=65536 -print_final_stats=1 \
       "$work/$t" "$here/corpus/$t" >"$work/$t.log" 2>&1; then
    tail -n 40 "$work/$t.log" >&2
    echo "run.sh: fuzz_$t found a problem (input saved as crash-*)" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t.log")
  corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$work/$t.log" | tail -n 1)
  echo "fuzz_$t: ${secs} s, $runs runs, $rate exec/s, $corp, no finding"
done
