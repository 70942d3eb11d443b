#!/bin/sh
# Bad usage gets one clear error line and exit 2; a failed write, exit 1;
# --help and --version exit 0.
. "$srcdir/lib.sh"

expect_error 2 "no command given"
expect_error 2 "unknown command 'frobnicate'" frobnicate
expect_error 2 "unknown form 'nieve' (try: naive, clamped, stable, torch, keras, softplus; categorical: softmax-naive, softmax-shifted, log-softmax)" table --form nieve
expect_error 2 "unknown precision 'float128'" table -p float128
expect_error 2 "--precision: 'float' given twice" table -p float,fp32
expect_error 2 "--form: 'naive' given twice" table -f naive,naive
expect_error 2 "--precision: empty item" table -p float,
expect_error 2 "--at: empty item" table --at=1,,2
expect_error 2 "--at: 'abc' is not a number" table --at=1,abc
expect_error 2 "--at: '1e' is not a number" table --at=1e
expect_error 2 "--at: '3.0' given twice" table --at=3,3.0
expect_error 2 "--label: 1.5 is not in [0, 1]" table --label 1.5
expect_error 2 "--label: -0.1 is not in [0, 1]" table --label=-0.1
expect_error 2 "--label: nan is not in [0, 1]" table --label nan
expect_error 2 "--eps: 0 is not in (0, 0.5)" table --eps 0
expect_error 2 "--eps: 0.7 is not in (0, 0.5)" table --eps 0.7
expect_error 2 "--eps: nan is not in (0, 0.5)" table --eps nan
expect_error 2 "--eps: 'tiny' is not a number" table --eps tiny
expect_error 2 "unknown output format 'xml'" table --format xml
expect_error 2 "unknown option '--bogus'" table --bogus
expect_error 2 "unknown option '-x'" table -x
expect_error 2 "needs a value" table --at
expect_error 2 "unexpected argument 'extra'" table extra
expect_error 2 "option '--output' does not apply to 'table'" table -o /tmp
expect_error 2 "--jobs: '0' is not a whole number" table -j 0
expect_error 2 "--jobs: '1.5' is not a whole number" table -j 1.5
expect_error 2 "--seed: '-1' is not a non-negative integer" table --seed -1

# help and version
"$BCELAB" --help >"$tmp/out" 2>&1 || fail "--help exits non-zero"
grep -q '^Usage: bcelab COMMAND' "$tmp/out" || fail "--help lacks Usage"
for f in naive clamped stable torch keras softplus; do
  grep -q "^  $f " "$tmp/out" || fail "--help lacks form $f"
done
"$BCELAB" --version >"$tmp/out" 2>&1 || fail "--version exits non-zero"
grep -q '^bcelab [0-9]' "$tmp/out" || fail "--version lacks the version"

# a write error is reported, not lost
if [ -w /dev/full ]; then
  "$BCELAB" table >/dev/full 2>"$tmp/err"
  code=$?
  [ "$code" = 1 ] || fail "table >/dev/full: exit $code, want 1"
  grep -q '^bcelab: write error' "$tmp/err" || fail "table >/dev/full: no write error message"
fi
finish
