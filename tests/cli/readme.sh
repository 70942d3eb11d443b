#!/bin/sh
# The table shown in README.md is what `bcelab table -p float` prints today.
. "$srcdir/lib.sh"
readme=$srcdir/../README.md
awk '/^BCE loss, float \(binary32\), y = 1$/ { on = 1 } on && /^```$/ { exit } on' \
  "$readme" >"$tmp/readme"
[ -s "$tmp/readme" ] || { fail "no table in README.md"; finish; }
"$BCELAB" table -p float | sed -n '5,13p' >"$tmp/now"
diff "$tmp/readme" "$tmp/now" >&2 || fail "README.md's table is out of date"
finish
