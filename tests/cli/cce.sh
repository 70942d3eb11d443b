#!/bin/sh
# bcelab cce (issue 9): seed 003's printed numbers from the command line,
# the float overflow at 88.72 in the table and the thresholds, the gap
# sweeps and the bridge files (the same bits whatever -j), gnuplot
# rendering, explain on a categorical form, and bad input.
. "$srcdir/lib.sh"

# -- seed 003: cross_entropy([1,2,2], 1) = 0.8619948040582511, softmax
#    [0.1553624 0.4223188 0.4223188], gradient [0.1553624 -0.5776812 0.4223188]
"$BCELAB" cce --logits=1,2,2 --target=1 --grad -p double -f softmax-shifted \
  --format=tsv >"$tmp/seed" || fail "cce --logits"
# (the same double: awk reads both with strtod)
awk -F'\t' '$3 == "loss" && $5 == 0.8619948040582511 { ok = 1 } END { exit !ok }' \
  "$tmp/seed" || fail "seed 003 loss: $(grep loss "$tmp/seed")"
grads=$(awk -F'\t' '$3 == "grad" { printf "%s%.7f", sep, $5; sep = " " }' "$tmp/seed")
[ "$grads" = "0.1553624 -0.5776812 0.4223188" ] || fail "seed 003 gradient: $grads"

# -- the table: in float, softmax-naive is nan at gap 89 (exp overflows past
#    88.72), log-softmax is within a few ulps everywhere
"$BCELAB" cce -p float --classes=2 --at=88,89 --format=tsv >"$tmp/t" || fail "cce table"
st=$(awk -F'\t' '$3 == "softmax-naive" && $4 == 89 { print $9 }' "$tmp/t")
[ "$st" = nan ] || fail "softmax-naive at 89: status $st, want nan"
st=$(awk -F'\t' '$3 == "softmax-naive" && $4 == 88 { print $9 }' "$tmp/t")
[ "$st" = ok ] || fail "softmax-naive at 88: status $st, want ok"
awk -F'\t' 'NR > 1 && $3 == "log-softmax" && !($7 <= 2) { exit 1 }' "$tmp/t" ||
  fail "log-softmax more than 2 ulps off: $(grep log-softmax "$tmp/t")"
"$BCELAB" cce >"$tmp/text" || fail "cce (default table)"
grep -q '^Softmax cross-entropy, float (binary32), K = 10 classes' "$tmp/text" ||
  fail "default table: no float K = 10 block"

# -- thresholds: the first float where softmax-naive turns nan is the first
#    float above log(FLT_MAX + ulp/2) = 88.7228..., as predicted
"$BCELAB" cce --thresholds -p float --classes=2 -f softmax-naive,log-softmax \
  >"$tmp/th" || fail "cce --thresholds"
row=$(awk '$3 == "softmax-naive" && $4 == "inf/nan" && $5 == "+"' "$tmp/th")
case $row in
  *" 88.72284 "*"88.7228"*yes) ;;
  *) fail "naive overflow threshold: '$row'" ;;
esac
awk '$3 == "log-softmax" && $4 == "inf/nan" && $6 != "none" { exit 1 }' "$tmp/th" ||
  fail "log-softmax has an inf/nan threshold"

# -- sweeps: files, the same bytes with -j 1 and -j 2, the bridge's exact
#    column shared by both sides
for jobs in 1 2; do
  "$BCELAB" cce -p half,float --classes=2,1000 --points=101 -j $jobs \
    -o "$tmp/s$jobs" >"$tmp/sout" || fail "cce -o (-j $jobs)"
done
for f in cce-half-k2.dat cce-half-k1000.dat cce-float-k2.dat cce-float-k1000.dat \
         cce-bridge-half.dat cce-bridge-float.dat cce-half.gp cce-float.gp cce-bridge.gp; do
  [ -s "$tmp/s1/$f" ] || fail "missing $f"
  # the files name the command line, -j included: compare the rest
  grep -v '^# \(command\|Generated with\):' "$tmp/s1/$f" >"$tmp/a"
  grep -v '^# \(command\|Generated with\):' "$tmp/s2/$f" >"$tmp/b"
  cmp -s "$tmp/a" "$tmp/b" || fail "$f differs between -j 1 and -j 2"
done
# in the bridge file, log-softmax on (0, z) and stable BCE on z: same bits
awk '!/^#/ && $7 != $11 { bad++ } END { exit bad > 0 }' "$tmp/s1/cce-bridge-float.dat" ||
  fail "log-softmax and stable BCE differ in cce-bridge-float.dat"
if command -v gnuplot >/dev/null 2>&1; then
  for name in cce-half cce-float cce-bridge; do
    [ -s "$tmp/s1/$name.png" ] || fail "$name.png not rendered"
    head -c 8 "$tmp/s1/$name.png" | od -An -c | grep -q 'P   N   G' || fail "$name.png is not a PNG"
  done
else
  echo "skipped: no gnuplot (scripts and data are still checked)"
fi

# -- explain traces a categorical form, operation by operation
"$BCELAB" explain -f softmax-naive --at=89 -p float >"$tmp/ex" || fail "explain cce"
grep -q "e\[1\] = exp(z\[1\])" "$tmp/ex" || fail "explain: no e[1] step"
grep -q "diagnosis: e\[1\]: exp(z\[1\]) overflows float" "$tmp/ex" ||
  fail "explain: no overflow diagnosis: $(grep diagnosis "$tmp/ex")"

# -- bad input
expect_error 2 "--classes: '1' is not a whole number in [2, 1000000]" cce --classes=1
expect_error 2 "--classes: '2' given twice" cce --classes=2,10,2
expect_error 2 "--classes: '1e7' is not a whole number" cce --classes=1e7
expect_error 2 "--target needs --logits" cce --target=1
expect_error 2 "--target: 3 is not a class of the 3 logits (0 to 2)" cce --logits=1,2,2 --target=3
expect_error 2 "--logits: give 2 to 1000000 logits" cce --logits=5
expect_error 2 "--logits: 'nan' is not a finite number" cce --logits=1,nan
expect_error 2 "--smoothing: 1 is not in [0, 1)" cce --smoothing=1
expect_error 2 "--smoothing: -0.1 is not in [0, 1)" cce --smoothing=-0.1
expect_error 2 "--offset: 'inf' is not a finite number" cce --offset=inf
expect_error 2 "--form: 'naive' is a BCE form; cce takes" cce -f naive
expect_error 2 "--form: 'log-softmax' is categorical: use it with 'bcelab cce'" table -f log-softmax
expect_error 2 "--form: 'log-softmax' is categorical and cannot be mixed" cce -f log-softmax,naive
expect_error 2 "unknown form 'softmax'" cce -f softmax
expect_error 2 "--from/--to/--points/--scale need -o DIR" cce --points=10
expect_error 2 "--thresholds takes only" cce --thresholds -o "$tmp/x"
expect_error 2 "option '--classes' does not apply to 'table'" table --classes=3
expect_error 2 "explain traces at most 8 classes" explain -f log-softmax --at=1 --classes=10
expect_error 2 "--logits cannot be combined" cce --logits=1,2 --at=3
expect_error 2 "--offset applies to 'bcelab cce'" explain --logits=1,2 --offset=5
expect_error 2 "--logits, --classes, --smoothing and --offset go with the categorical" explain --at=1 -f naive --smoothing=0.1
[ ! -e "$tmp/x" ] || fail "a refused cce made its output directory"

finish
