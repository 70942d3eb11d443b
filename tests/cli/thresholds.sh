#!/bin/sh
# bcelab thresholds and bcelab explain from the command line.
. "$srcdir/lib.sh"

# tsv: the columns, "none" for stable, hex beside decimal, closed forms agree
"$BCELAB" thresholds -p half,bfloat16,double --format tsv >"$tmp/t.tsv" || fail "thresholds"
head -n 1 "$tmp/t.tsv" | grep -q "^precision	form	label	side	criterion	z	z_hex	method	predicted	agrees	closed_form$" \
  || fail "header: $(head -n 1 "$tmp/t.tsv")"
[ "$(awk 'END { print NR }' "$tmp/t.tsv")" = $((1 + 3 * 6 * 2 * 2 * 4)) ] || fail "row count"
awk -F '\t' '$2 == "stable" && ($5 == "inf/nan" || $5 == "half-digits") && $6 != "none" { print; bad = 1 }
             END { exit bad }' "$tmp/t.tsv" || fail "stable should have no inf/nan or half-digits breakdown"
awk -F '\t' '$10 == "no" { print; bad = 1 } END { exit bad }' "$tmp/t.tsv" >"$tmp/no" \
  || fail "closed forms disagree: $(head -n 3 "$tmp/no")"

# float, naive, y = 0: the first inf is 24 ln 2 = 16.6355..., and the hex is exact
"$BCELAB" thresholds -p float -f naive -y 0 --format tsv >"$tmp/f.tsv" || fail "float naive"
row=$(awk -F '\t' '$4 == "+" && $5 == "inf/nan"' "$tmp/f.tsv")
z=$(echo "$row" | cut -f 6)
hex=$(echo "$row" | cut -f 7)
method=$(echo "$row" | cut -f 8)
case $z in 16.635532*) ;; *) fail "naive float y=0 inf at '$z'" ;; esac
[ "$method" = exhaustive ] || fail "method '$method'"
[ "$(printf '%.9g' "$hex")" = "$z" ] || fail "hex $hex is not $z"
# and the table command agrees: inf there, finite just before
"$BCELAB" table --format tsv -p float -f naive -y 0 --at="$hex" | awk -F '\t' 'NR == 2 { exit $5 != "inf" }' \
  || fail "table: naive is not inf at $z"
before=$(printf '%.9g' "$(awk "BEGIN { printf \"%.9g\", $z - 1e-6 }")")
"$BCELAB" table --format tsv -p float -f naive -y 0 --at="$before" | awk -F '\t' 'NR == 2 { exit $5 == "inf" }' \
  || fail "table: naive is already inf at $before"

# text output has the explanation and a row per (format, form, label, criterion, side)
"$BCELAB" thresholds -p half -f naive,stable >"$tmp/t.txt" || fail "text"
grep -q '^Breakdown points' "$tmp/t.txt" || fail "text: no heading"
grep -Eq '^ +half +naive +0 +inf/nan +\+ +7\.625 +7\.62462$' "$tmp/t.txt" || fail "text: half naive row"

# explain: the classic failures, diagnosed
"$BCELAB" explain --at 20 --label 0 --precision float >"$tmp/e.txt" || fail "explain"
grep -q 'diagnosis: d: 1 + e rounds to 1.*the sigmoid 1/d is exactly 1; q: 1 - p = 0' "$tmp/e.txt" \
  || fail "explain 20: no sigmoid diagnosis"
for f in naive clamped stable torch keras softplus; do
  grep -q "^$f: " "$tmp/e.txt" || fail "explain: no trace of $f"
done
"$BCELAB" explain --at -120 --label 1 --form torch >"$tmp/e2.txt" || fail "explain torch"
grep -Eq '^ +9 +b = max\(l0, torch_log_min\) .* -100 ' "$tmp/e2.txt" || fail "explain torch: the clamp to -100"
grep -q 'replaces -inf by -100: loss 100 (exact 120)' "$tmp/e2.txt" || fail "explain torch: diagnosis"
"$BCELAB" explain --at 1000 -y 0.9999 -f stable >"$tmp/e3.txt" || fail "explain soft"
grep -q 'm - zy cancels' "$tmp/e3.txt" || fail "explain: no cancellation named"
"$BCELAB" explain --at 20 -y 0 -f naive --format markdown >"$tmp/e.md" || fail "markdown"
grep -q '^#### naive: ' "$tmp/e.md" && grep -q '^\*\*Diagnosis:\*\*' "$tmp/e.md" || fail "markdown output"

expect_error 2 "explain needs a logit: --at Z" explain
expect_error 2 "explain traces one format at a time" explain --at 1 -p float,double
expect_error 2 "option '--grad' does not apply to 'explain'" explain --at 1 --grad
expect_error 2 "option '--at' does not apply to 'thresholds'" thresholds --at 1
finish
