#!/bin/sh
# Files appear whole or not at all (issue 8): a kill -9 in the middle of a
# write leaves the old file, or none, and no temporary; and a huge sweep
# streams to disk in bounded memory.
. "$srcdir/lib.sh"

d=$tmp/d
"$BCELAB" sweep --points 50 -p float,double -f stable -o "$d" >/dev/null || fail "small sweep"
mkdir "$tmp/old"
cp "$d"/* "$tmp/old/"
names=$(ls -A "$d")

# kill at different moments of a long sweep: starting, computing, writing
for t in 0.05 0.3 1 2; do
  timeout -s KILL "$t" "$BCELAB" sweep --points 3000000 -p float,double -f stable \
    -o "$d" >/dev/null 2>&1
  code=$?
  [ "$code" = 137 ] || fail "kill after $t s: exit $code, want 137 (the sweep ended too soon)"
  [ "$(ls -A "$d")" = "$names" ] || fail "kill after $t s: the directory holds $(ls -A "$d" | tr '\n' ' ')"
  for f in $names; do
    cmp -s "$d/$f" "$tmp/old/$f" || fail "kill after $t s: $f is not the old file"
  done
done

# killed before its first file: a fresh directory stays empty
timeout -s KILL 0.5 "$BCELAB" sweep --points 3000000 -p float -f stable -y 0 \
  -o "$tmp/fresh" >/dev/null 2>&1
[ -z "$(ls -A "$tmp/fresh" 2>/dev/null)" ] || fail "a killed run left $(ls -A "$tmp/fresh")"

# the same with exhaustive and train, whose files come at the end
"$BCELAB" train --epochs 3 -o "$d" >/dev/null || fail "train"
cp "$d"/* "$tmp/old/"
names=$(ls -A "$d")
timeout -s KILL 0.3 "$BCELAB" exhaustive -p float -f stable -y 0 --shard 1/64 -o "$d" >/dev/null 2>&1
[ "$(ls -A "$d")" = "$names" ] || fail "killed exhaustive left $(ls -A "$d" | tr '\n' ' ')"

# a run that finishes replaces the files
"$BCELAB" sweep --points 60 -p float,double -f stable -o "$d" >/dev/null || fail "second sweep"
cmp -s "$d/sweep-float-y0.dat" "$tmp/old/sweep-float-y0.dat" && fail "a finished sweep did not replace its file"

# 10^9 points under a 512 MB address-space limit: the sweep streams, so
# after 4 s it is still running (not out of memory) and small.  An
# AddressSanitizer build reserves terabytes of shadow address space and
# cannot start under any such limit; there the peak resident size alone
# shows the streaming, with ASan's quarantine of freed blocks (256 MB by
# default, which MPFR's temporaries fill) turned off.
(
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
  export ASAN_OPTIONS
  if (ulimit -v 524288 && "$BCELAB" --version) >/dev/null 2>&1; then
    ulimit -v 524288
  else
    echo "note: bcelab cannot start under ulimit -v (a sanitizer build?); resident size checked alone"
  fi
  "$BCELAB" sweep --points 1e9 -p float -f stable -y 0 -j 2 -o "$tmp/huge" >/dev/null 2>"$tmp/huge.err" &
  pid=$!
  sleep 4
  if kill -0 $pid 2>/dev/null; then
    hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$pid/status 2>/dev/null)
    kill -9 $pid
    wait $pid 2>/dev/null
    echo "10^9-point sweep: running after 4 s, peak resident ${hwm:-?} kB"
    if [ -n "$hwm" ] && [ "$hwm" -gt 102400 ]; then
      echo "FAIL: peak resident $hwm kB > 100 MB" >&2
      exit 1
    fi
  else
    wait $pid
    echo "FAIL: the 10^9-point sweep stopped: exit $?, $(cat "$tmp/huge.err")" >&2
    exit 1
  fi
) || fail "huge sweep"
[ -z "$(ls -A "$tmp/huge" 2>/dev/null)" ] || fail "the killed huge sweep left $(ls -A "$tmp/huge")"

finish
