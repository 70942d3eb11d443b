#!/bin/sh
# table's output formats: tsv, csv and markdown carry the same numbers;
# --hex and decimal agree exactly; --grad adds its columns.
. "$srcdir/lib.sh"

args="-f all -p all -y 0,0.9,1 --at=-1e4,-88.5,-17,-0.5,0,1e-3,16.7,36.8,1e4,inf,nan"
"$BCELAB" table $args --format tsv --grad >"$tmp/t.tsv" || fail "tsv"
"$BCELAB" table $args --format csv --grad >"$tmp/t.csv" || fail "csv"
"$BCELAB" table $args --format tsv --grad --hex >"$tmp/h.tsv" || fail "hex"
"$BCELAB" table $args --format markdown --grad >"$tmp/t.md" || fail "markdown"

head -n 1 "$tmp/t.tsv" | grep -q "	grad	grad_ref	grad_ulp	grad_bits	grad_status$" \
  || fail "grad columns missing"
tr ',' '\t' <"$tmp/t.csv" | cmp -s - "$tmp/t.tsv" || fail "csv differs from tsv"

# every hex value reads back to the decimal one: printf converts the hex
# (strtold) and prints it with the format's digits, as bcelab does
nfmt=$(awk -F '\t' 'NR > 1 { print $1 }' "$tmp/t.tsv" | sort -u | wc -l)
[ "$nfmt" -ge 4 ] || fail "only $nfmt formats"
paste "$tmp/t.tsv" "$tmp/h.tsv" | awk -F '\t' 'NR > 1 {
  d = ($1 == "half") ? 5 : ($1 == "bfloat16") ? 4 : ($1 == "float") ? 9 : ($1 == "double") ? 17 : 21
  for (c = 3; c <= 6; c++) print d, $c, $(c + 14) }' |
while read -r d dec hex; do
  case $hex in inf|-inf|nan) [ "$dec" = "$hex" ] || echo "$dec $hex"; continue ;; esac
  back=$(printf "%.${d}g" "$hex")
  [ "$back" = "$dec" ] || echo "$dec != $hex ($back)"
done >"$tmp/mismatch"
[ -s "$tmp/mismatch" ] && fail "hex and decimal differ: $(head -n 3 "$tmp/mismatch")"

# statuses are from the documented set
awk -F '\t' 'NR > 1 && ($9 !~ /^(ok|inf|nan)$/ || $14 !~ /^(ok|inf|nan|zero|sign)$/) {
  print; exit 1 }' "$tmp/t.tsv" || fail "unknown status"

# markdown: a bold title and a pipe table per (format, label, loss|grad)
blocks=$(grep -c '^\*\*' "$tmp/t.md")
[ "$blocks" = $((5 * 3 * 2)) ] || [ "$blocks" = $((4 * 3 * 2)) ] || fail "markdown blocks: $blocks"
grep -q '^| *z | *exact |' "$tmp/t.md" || fail "markdown header"

# soft label 0.9 is rounded to each format: half's is 0.89990234
awk -F '\t' '$1 == "half" && $3 != 0 && $3 != 1 { print $3 }' "$tmp/t.tsv" | sort -u >"$tmp/y"
[ "$(cat "$tmp/y")" = "0.89990234" ] || [ "$(cat "$tmp/y")" = "0.8999" ] || fail "half label: $(cat "$tmp/y")"
finish
