#!/bin/sh
# bcelab train: the seed's setup (both models agree and the loss decreases),
# the stress scenario (sigmoid-then-log fails, from-logits trains), the
# same bytes for the same seed, a CSV with a known answer, bad CSVs.
. "$srcdir/lib.sh"

# ---- defaults: float and double, both models, final loss and accuracy
"$BCELAB" train >"$tmp/out" || fail "train"
for p in float double; do
  for m in "torch  BCELoss \+ Sigmoid" "stable  BCEWithLogitsLoss"; do
    grep -Eq "^ +$p +$m +0\.[0-9]+ +0\.[0-9]{4} +0\.[0-9]{4} +-$" "$tmp/out" \
      || fail "train: no '$p $m' row"
  done
done

# ---- the seed's benign setup: the two loss curves agree (float: within
# 1e-6, a few ULPs of 0.7; double: within 1e-12) and decrease every epoch
"$BCELAB" train -o "$tmp/a" >/dev/null || fail "train -o"
for p in float double; do
  f=$tmp/a/train-seed-$p.dat
  bound=1e-6; [ $p = double ] && bound=1e-12
  awk -v b=$bound '!/^#/ {
      d = $2 - $5; if (d < 0) d = -d; if (d > b) { print "epoch", $1, "differ by", d; bad = 1 }
      if (n++ && ($2 >= prev2 || $5 >= prev5)) { print "epoch", $1, "no decrease"; bad = 1 }
      prev2 = $2; prev5 = $5; last = $2 }
    END { if (n != 100 || last > 0.45) { print n, "epochs, final", last; bad = 1 }; exit bad }' "$f" \
    >"$tmp/why" || fail "$p seed curves: $(head -n 2 "$tmp/why")"
done

# ---- the same command gives the same bytes
cp -r "$tmp/a" "$tmp/b"
"$BCELAB" train -o "$tmp/a" >/dev/null
for f in "$tmp"/a/*.dat; do
  cmp -s "$f" "$tmp/b/$(basename "$f")" || fail "$(basename "$f") differs between runs"
done
"$BCELAB" train -o "$tmp/c" --seed 7 >/dev/null
cmp -s "$tmp/a/train-seed-float.dat" "$tmp/c/train-seed-float.dat" && fail "--seed has no effect"

# ---- stress: in float the naive model's loss is nan from epoch 0, BCELoss
# stalls with misclassified samples it gets no gradient from, and
# BCEWithLogitsLoss ends with a loss less than a third of BCELoss's
"$BCELAB" train --scenario stress -p float --format tsv >"$tmp/s.tsv" || fail "stress"
awk -F '\t' '$2 == "naive" && $4 != "nan" { exit 1 }
             $2 == "naive" && $7 != 0 { exit 1 }
             $2 == "torch" { t = $4 } $2 == "stable" { s = $4; acc = $6 }
             END { if (!(t > 3 * s) || acc < 0.75) exit 1 }' "$tmp/s.tsv" \
  || fail "stress scenario: $(cat "$tmp/s.tsv")"
"$BCELAB" train --scenario stress -p float -o "$tmp/s" >/dev/null
awk '!/^#/ && $1 == 0 { if (!($7 > 100 && $10 == 0)) exit 1 }' "$tmp/s/train-stress-float.dat" \
  || fail "stress: torch should have >100 dead samples at epoch 0, stable none"

# ---- a CSV with a known answer: label 1 iff x1 > 0, x2 unrelated; the
# learned weights point along x1 (cosine > 0.98) and classify every sample
"$BCELAB" train --data "$srcdir/data/separable.csv" -p double --epochs 200 \
  --lr 0.5 -o "$tmp/sep" --format tsv >"$tmp/sep.tsv" || fail "train --data"
awk -F '\t' 'NR > 1 && ($5 != "1.0000" || $6 != "1.0000") { exit 1 }' "$tmp/sep.tsv" \
  || fail "separable: accuracy $(cat "$tmp/sep.tsv")"
grep '^# stable final weights' "$tmp/sep/train-seed-double.dat" |
  awk '{ w1 = $(NF - 2); w2 = $(NF - 1); c = w1 / sqrt(w1 * w1 + w2 * w2); exit !(w1 > 0 && c > 0.98) }' \
  || fail "separable: weights do not point along x1"

# ---- bad CSV files: a line-numbered error, exit 1
printf 'a,b,y\n1,2,0\n3,4\n' >"$tmp/ragged.csv"
expect_error 1 "ragged.csv:3: 2 columns, expected 3" train --data "$tmp/ragged.csv"
printf '1,2,0\n3,x4,1\n' >"$tmp/cell.csv"
expect_error 1 "cell.csv:2: column 2: 'x4' is not a finite number" train --data "$tmp/cell.csv"
printf '1,2,0\n3,4,2\n' >"$tmp/label.csv"
expect_error 1 "label.csv:2: the label (last column) must be 0 or 1, not 2" train --data "$tmp/label.csv"
printf 'x1,x2,y\n' >"$tmp/empty.csv"
expect_error 1 "empty.csv: no data rows" train --data "$tmp/empty.csv"
printf '1,nan,0\n' >"$tmp/nan.csv"
expect_error 1 "nan.csv:1: column 2: 'nan' is not a finite number" train --data "$tmp/nan.csv"
awk 'BEGIN { printf "1,2,0\n"; for (i = 0; i < 1000000; i++) printf "1234567890,"; printf "0\n" }' >"$tmp/long.csv"
expect_error 1 "long.csv:2:" train --data "$tmp/long.csv"
expect_error 1 "cannot read" train --data "$tmp/missing.csv"
expect_error 2 "unknown scenario 'hard'" train --scenario hard
expect_error 2 "--epochs: '0' is not a whole number" train --epochs 0
expect_error 2 "--lr: -1 is not in (0, 1e6]" train --lr=-1
expect_error 2 "--samples: '5' is not a whole number" train --samples 5
finish
