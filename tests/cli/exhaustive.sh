#!/bin/sh
# bcelab exhaustive and merge: the same summary whatever the thread count
# and from merged shards; the fast reference decides exactly as MPFR alone;
# the error bounds established for half, bfloat16 and a float sample.
. "$srcdir/lib.sh"
export BCELAB_NO_PROGRESS=1

"$BCELAB" exhaustive -p half -f all -j 1 --format tsv -o "$tmp/j1" >"$tmp/j1.tsv" || fail "half -j 1"
"$BCELAB" exhaustive -p half -f all -j 2 --format tsv -o "$tmp/j2" >"$tmp/j2.tsv" || fail "half -j 2"
cmp -s "$tmp/j1.tsv" "$tmp/j2.tsv" || fail "-j 1 and -j 2 differ"
for k in 1 2 3 4; do
  "$BCELAB" exhaustive -p half -f all --shard $k/4 -o "$tmp/parts" >/dev/null || fail "shard $k/4"
done
"$BCELAB" merge --format tsv -o "$tmp/m" "$tmp"/parts/exhaustive-half.part-4-of-4 \
  "$tmp"/parts/exhaustive-half.part-2-of-4 "$tmp"/parts/exhaustive-half.part-1-of-4 \
  "$tmp"/parts/exhaustive-half.part-3-of-4 >"$tmp/m.tsv" || fail "merge"
cmp -s "$tmp/j1.tsv" "$tmp/m.tsv" || fail "merged shards differ from one run: $(diff "$tmp/j1.tsv" "$tmp/m.tsv" | head -n 4)"
grep -v '^# command' "$tmp/j1/exhaustive-half.dat" >"$tmp/a"
grep -v '^# command' "$tmp/m/exhaustive-half.dat" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "merged data file differs"
[ -s "$tmp/j1/exhaustive-half.gp" ] || fail "no gnuplot script"
if command -v gnuplot >/dev/null 2>&1; then
  [ -s "$tmp/j1/exhaustive-half.png" ] || fail "the figure was not rendered"
fi

# every finite half value, once per (form, label)
awk -F '\t' 'NR > 1 && $3 != 63488 { exit 1 }' "$tmp/j1.tsv" || fail "half: not 63488 evaluations"

# the bounds: stable and softplus within 2 ULP for y in {0, 1}, in half and
# bfloat16 (every value) and in a float sample
check_bound () {  # file
  awk -F '\t' '($1 == "stable" || $1 == "softplus") && ($2 == 0 || $2 == 1) && $6 > 2 {
    print; bad = 1 } END { exit bad }' "$1"
}
check_bound "$tmp/j1.tsv" || fail "half: stable above 2 ULP"
"$BCELAB" exhaustive -p bfloat16 -f stable,softplus --format tsv >"$tmp/bf.tsv" || fail "bfloat16"
check_bound "$tmp/bf.tsv" || fail "bfloat16: stable above 2 ULP"

# soft labels over every finite half and bfloat16 value: with y = 1/4,
# 3z/4 is a midpoint of the format at some z, plus log1p(e^-|z|), a term
# MPFR holds but no working precision reaches (the reference aborted there)
for p in half bfloat16; do
  "$BCELAB" exhaustive -p $p -f all -y 0,0.25,1 --format tsv >"$tmp/soft.tsv" \
    || fail "$p with y = 0.25"
  [ "$(awk 'NR > 1' "$tmp/soft.tsv" | wc -l)" -eq 18 ] || fail "$p with y = 0.25: not 18 rows"
done

# float: the fast reference (double, MPFR where it cannot decide) gives
# exactly what MPFR alone gives, on slices across the range: tiny and
# subnormal, around 1, near the breakdowns, huge, negative
# (slices of 65536 patterns: 1 subnormals, 16257 from 1.0, 16774 around
# 16.6, 17073 around 88, 32513 near the largest floats, 49025 from -1.0)

# fast_is_mpfr K ARGS...: float shard K/65536 with the fast reference
# gives what MPFR alone gives; leaves the fast part file in $tmp/fast.part
fast_is_mpfr () {
  k=$1
  shift
  "$BCELAB" exhaustive -p float "$@" --shard $k/65536 --format tsv -o "$tmp/ff" >/dev/null \
    || fail "float shard $k $*"
  mv "$tmp/ff/exhaustive-float.part-$k-of-65536" "$tmp/fast.part"
  BCELAB_EXHAUSTIVE_MPFR=1 "$BCELAB" exhaustive -p float "$@" --shard $k/65536 -o "$tmp/ff" >/dev/null \
    || fail "float shard $k $* with MPFR"
  # all but the fallback count and the two maxima's values, which are
  # measured against the double (within 2^-23 ULP) until the summary
  # recomputes them exactly at their locations
  awk '$1 != "fallbacks" { if ($1 == "row") $10 = $12 = "-"; print }' "$tmp/fast.part" >"$tmp/a"
  awk '$1 != "fallbacks" { if ($1 == "row") $10 = $12 = "-"; print }' \
    "$tmp/ff/exhaustive-float.part-$k-of-65536" >"$tmp/b"
  cmp -s "$tmp/a" "$tmp/b" || fail "float shard $k $*: fast and MPFR-only differ: $(diff "$tmp/a" "$tmp/b" | head -n 3)"
}

# float from 65536 (0x1.000002p16 with y = 1/4 is such a midpoint)
fast_is_mpfr 18305 -y 0.25,1

for k in 1 16257 16774 17073 32513 49025; do
  fast_is_mpfr $k -f all
  # the bound on the sample (max_ulp is hexadecimal: printf reads it;
  # 2 + 2^-20 allows for the double's uncertainty)
  awk '$1 == "row" && ($2 == 2 || $2 == 5 || $2 == 8 || $2 == 11) { print $10 }' "$tmp/fast.part" |
  while read -r u; do
    awk -v u="$(printf '%.9f' "$u")" 'BEGIN { exit !(u <= 2.000001) }' || echo "$u"
  done >"$tmp/over"
  [ -s "$tmp/over" ] && fail "float shard $k: stable or softplus above 2 ULP: $(cat "$tmp/over")"
done

# soft labels go through the generic path; near the largest floats the
# loss can be a midpoint of float plus a term below MPFR's own range
# (this stopped on an assertion once)
for k in 16257 32513; do
  fast_is_mpfr $k -f all -y 0.25,1
done

expect_error 2 "--shard: '3/2' is not K/N" exhaustive --shard 3/2
expect_error 2 "--shard: '0/4' is not K/N" exhaustive --shard 0/4
expect_error 2 "--shard: 'x' is not K/N" exhaustive --shard x
expect_error 2 "exhaustive covers half, bfloat16 and float" exhaustive -p double
expect_error 2 "merge needs the partial results" merge
expect_error 1 "merge: 3 of 4 shards given" merge "$tmp"/parts/exhaustive-half.part-[123]-of-4
expect_error 1 "given twice" merge "$tmp"/parts/exhaustive-half.part-1-of-4 \
  "$tmp"/parts/exhaustive-half.part-1-of-4 "$tmp"/parts/exhaustive-half.part-2-of-4 \
  "$tmp"/parts/exhaustive-half.part-3-of-4
printf 'bcelab-exhaustive-part 1\nformat half\nbogus\n' >"$tmp/bad.part"
expect_error 1 "bad.part:3: not a bcelab partial result" merge "$tmp/bad.part"
finish
