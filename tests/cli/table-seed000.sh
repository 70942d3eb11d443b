#!/bin/sh
# bcelab table reproduces seed 000's extreme-logit table: the stable and
# clamped columns, printed as the seed prints them (%.6f), in float, y = 1.
. "$srcdir/lib.sh"

"$BCELAB" table --format tsv >"$tmp/t.tsv" || fail "table --format tsv failed"
head -n 1 "$tmp/t.tsv" | grep -q "^precision	form	label	z	loss	ref	ulp	bits	status$" \
  || fail "tsv header: $(head -n 1 "$tmp/t.tsv")"
# 2 precisions x 3 forms x 1 label x 7 logits, plus the header
[ "$(wc -l <"$tmp/t.tsv")" = 43 ] || fail "tsv rows: $(wc -l <"$tmp/t.tsv")"

awk -F '\t' '$1 == "float" && ($2 == "stable" || $2 == "clamped") {
  printf "%s %s %.6f\n", $2, $4, $5 }' "$tmp/t.tsv" >"$tmp/got"
cat >"$tmp/want" <<'END'
clamped -100 16.118095
clamped -50 16.118095
clamped -10 10.000046
clamped 0 0.693147
clamped 10 0.000045
clamped 50 0.000000
clamped 100 0.000000
stable -100 100.000000
stable -50 50.000000
stable -10 10.000046
stable 0 0.693147
stable 10 0.000045
stable 50 0.000000
stable 100 0.000000
END
diff "$tmp/want" "$tmp/got" >&2 || fail "seed 000 table differs"

# the clamped form at 50 and 100 is 1.19e-07 (-log of 1 - eps in float),
# the stable one is tiny but not zero, and the reference beside it agrees
awk -F '\t' '$1 == "float" && $2 == "clamped" && ($4 == 50 || $4 == 100) {
  printf "%.2e\n", $5 }' "$tmp/t.tsv" | sort -u >"$tmp/got"
[ "$(cat "$tmp/got")" = "1.19e-07" ] || fail "clamped at 50,100: $(cat "$tmp/got")"
awk -F '\t' '$1 == "float" && $2 == "stable" && $4 == 50 {
  if (!($5 > 0 && $5 < 1e-20 && $5 == $6)) exit 1 }' "$tmp/t.tsv" \
  || fail "stable at 50 is not the (tiny) exact value"

# naive is inf at -100 in float (sigmoid underflows to 0, log 0 = -inf)
awk -F '\t' '$1 == "float" && $2 == "naive" && $4 == -100 { print $5, $9 }' \
  "$tmp/t.tsv" >"$tmp/got"
[ "$(cat "$tmp/got")" = "inf inf" ] || fail "naive float -100: $(cat "$tmp/got")"

# the text table is what the README shows: check its shape and key numbers
"$BCELAB" table >"$tmp/t.txt" || fail "table failed"
grep -q '^BCE loss, float (binary32), y = 1$' "$tmp/t.txt" || fail "text: no float block"
grep -q '^BCE loss, double (binary64), y = 1$' "$tmp/t.txt" || fail "text: no double block"
grep -Eq '^ +-100 +100 +inf +inf +16\.118095 ' "$tmp/t.txt" || fail "text: -100 row"
finish
