#!/bin/sh
# bcelab report: one valid HTML page whose every link exists; two runs give
# the same bytes apart from the date; without gnuplot, tables and a note.
. "$srcdir/lib.sh"
export BCELAB_NO_PROGRESS=1
r=$tmp/r

"$BCELAB" report -o "$r" >"$tmp/out" 2>"$tmp/err" || fail "report: $(cat "$tmp/err")"
[ -s "$r/index.html" ] || { fail "no index.html"; finish; }
[ -s "$tmp/err" ] && fail "report wrote to stderr: $(head -n 2 "$tmp/err")"

# every file the page links to is there
grep -o '\(src\|href\)="[^"#:]*"' "$r/index.html" | sed 's/^[a-z]*="//; s/"$//' | sort -u >"$tmp/links"
[ "$(wc -l <"$tmp/links")" -ge 20 ] || fail "only $(wc -l <"$tmp/links") links"
while read -r f; do
  [ -s "$r/$f" ] || fail "broken link: $f"
done <"$tmp/links"
# and each figure has its data and script beside it
for gp in "$r"/*.gp; do
  head -n 1 "$gp" | grep -q '^# Generated with:' || fail "$gp: no header"
done

# valid HTML (tidy, which bootstrap installs)
if command -v tidy >/dev/null 2>&1; then
  tidy -qe "$r/index.html" >"$tmp/tidy" 2>&1 || fail "tidy: $(head -n 5 "$tmp/tidy")"
else
  echo "skipped: no tidy to validate the HTML"
fi
# no JavaScript, no network
grep -qi '<script' "$r/index.html" && fail "the page has a script"
grep -Eq '(src|href)="(https?:)?//' "$r/index.html" && fail "the page loads something from the network"

# the sections, with numbers from this run
for s in forms table seed-figure errors thresholds mixed soft training explain advice; do
  grep -q "id=\"$s\"" "$r/index.html" || fail "no section $s"
done
grep -q '<td>16.1180954</td>' "$r/index.html" || fail "the seed's 16.118095 is not in the table"
grep -q 'diagnosis: d: 1 + e rounds to 1' "$r/index.html" || fail "no explain trace"
grep -q 'bcelab [0-9.]*; compiler' "$r/index.html" || fail "no reproducibility footer"

# the same command gives the same bytes, but for the date
mv "$r" "$tmp/first"
"$BCELAB" report -o "$r" >/dev/null 2>&1 || fail "second report"
diff -r -x index.html "$tmp/first" "$r" >"$tmp/diff" || fail "files differ between runs: $(head -n 3 "$tmp/diff")"
grep -v '^<p>Date: ' "$tmp/first/index.html" >"$tmp/a"
grep -v '^<p>Date: ' "$r/index.html" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "index.html differs between runs beyond the date"

# without gnuplot: a note, the tables, no images, no broken links
GNUPLOT=/nonexistent/gnuplot "$BCELAB" report -o "$tmp/ng" >/dev/null 2>&1 || fail "report without gnuplot"
grep -q 'gnuplot is not installed' "$tmp/ng/index.html" || fail "no note about gnuplot"
grep -q '<img' "$tmp/ng/index.html" && fail "images without gnuplot"
grep -q '<td>16.1180954</td>' "$tmp/ng/index.html" || fail "no tables without gnuplot"
grep -o '\(src\|href\)="[^"#:]*"' "$tmp/ng/index.html" | sed 's/^[a-z]*="//; s/"$//' | sort -u |
while read -r f; do [ -s "$tmp/ng/$f" ] || echo "$f"; done >"$tmp/broken"
[ -s "$tmp/broken" ] && fail "broken links without gnuplot: $(head -n 3 "$tmp/broken")"

expect_error 2 "option '--form' does not apply to 'report'" report -f naive
touch "$tmp/afile"
expect_error 1 "is not a directory" report -o "$tmp/afile"
finish
