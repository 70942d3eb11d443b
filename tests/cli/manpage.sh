#!/bin/sh
# The man page is generated from --help and names every command and form.
. "$srcdir/lib.sh"
man=$(dirname "$BCELAB")/../docs/bcelab.1
[ -s "$man" ] || { echo "no man page at $man" >&2; exit 1; }
grep -q '^\.TH BCELAB' "$man" || fail "not a man page"
for w in table naive clamped stable torch keras softplus precision label eps; do
  grep -q -- "$w" "$man" || fail "man page lacks $w"
done
finish
