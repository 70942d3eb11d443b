#!/bin/sh
# A sweep file reads back exactly: its values are those of
# `bcelab table --format tsv` at the same logits, bit for bit (compared as
# text printed with the same digits, and in hex).  Same output whatever the
# number of threads.  Bad grids are usage errors.
. "$srcdir/lib.sh"
d=$tmp/s
"$BCELAB" sweep -o "$d" -p half,float,double -f all -y 0,1 --grad \
  --from=-800 --to=800 --points=97 --scale=symlog -j 2 >"$tmp/out" || fail "sweep"
[ "$(wc -l <"$tmp/out")" = 6 ] || fail "sweep should write 6 files: $(cat "$tmp/out")"
for p in half float double; do
  for y in 0 1; do
    f=$d/sweep-$p-y$y.dat
    [ -s "$f" ] || { fail "missing $f"; continue; }
    grep -q "^# format: $p " "$f" || fail "$f: no format line"
    grep -q '^# command: bcelab sweep ' "$f" || fail "$f: no command line"
    grep -q '^# z ref grad_ref naive_loss naive_ulp naive_bits naive_status naive_grad' "$f" \
      || fail "$f: column line"
    zs=$(awk '!/^#/ { printf "%s%s", sep, $1; sep = "," }' "$f")
    "$BCELAB" table --format tsv --grad -p $p -f all -y $y --at="$zs" >"$tmp/t.tsv" \
      || fail "table at the sweep's logits"
    # table: one row per (form, z): loss grad; the sweep: one row per z
    awk -F '\t' 'NR > 1 { print $2, $4, $5, $6, $10, $11 }' "$tmp/t.tsv" | sort >"$tmp/a"
    awk '!/^#/ { split("naive clamped stable torch keras softplus", n, " ")
           for (i = 0; i < 6; i++) print n[i + 1], $1, $(4 + 7 * i), $2, $(8 + 7 * i), $3 }' \
      "$f" | sort >"$tmp/b"
    cmp -s "$tmp/a" "$tmp/b" || fail "$p y=$y: sweep and table differ: $(diff "$tmp/a" "$tmp/b" | head -n 3)"
  done
done
# threads do not change a byte (apart from the command line in the header)
"$BCELAB" sweep -o "$tmp/j1" -p float --from=-50 --to=50 --points=300 -j 1 >/dev/null
"$BCELAB" sweep -o "$tmp/j2" -p float --from=-50 --to=50 --points=300 -j 2 >/dev/null
for y in 0 1; do
  grep -v '^# command' "$tmp/j1/sweep-float-y$y.dat" >"$tmp/x1"
  grep -v '^# command' "$tmp/j2/sweep-float-y$y.dat" >"$tmp/x2"
  cmp -s "$tmp/x1" "$tmp/x2" || fail "-j 1 and -j 2 differ"
done
# hex values read back to the decimal ones
"$BCELAB" sweep -o "$tmp/hx" -p double -y 1 --at=-745,-1e-300,0.5,40,710 --hex >/dev/null
awk '!/^#/ { print $1, $3 }' "$tmp/hx/sweep-double-y1.dat" | while read -r z l; do
  printf '%s %s\n' "$(printf '%.17g' "$z")" "$(printf '%.17g' "$l")"
done >"$tmp/hx.txt"
"$BCELAB" sweep -o "$tmp/dc" -p double -y 1 --at=-745,-1e-300,0.5,40,710 >/dev/null
awk '!/^#/ { print $1, $3 }' "$tmp/dc/sweep-double-y1.dat" | cmp -s - "$tmp/hx.txt" \
  || fail "hex and decimal sweeps differ"

expect_error 2 "--points: '0' is not a whole number" sweep --points 0
expect_error 2 "--points: '1e12' is not a whole number" sweep --points 1e12
expect_error 2 "--from (5) must be less than --to (-5)" sweep --from 5 --to -5
expect_error 2 "--from: 'inf' is not a finite number" sweep --from inf
expect_error 2 "unknown scale 'log'" sweep --scale log
expect_error 2 "cannot be combined" sweep --at=1,2 --points 10
expect_error 2 "option '--points' does not apply to 'table'" table --points 10
touch "$tmp/file"
expect_error 1 "is not a directory" sweep -o "$tmp/file" --points 10
ls -a "$tmp" | grep -q '^\.sweep' && fail "a temporary file was left behind"
finish
