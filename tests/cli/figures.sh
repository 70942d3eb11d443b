#!/bin/sh
# bcelab figures writes every data file and script named in docs/figures.md;
# gnuplot renders each script without a word into a non-empty PNG (when
# gnuplot is installed); the data hold the seed's features.
. "$srcdir/lib.sh"
doc=$srcdir/../docs/figures.md
d=$tmp/figs

"$BCELAB" figures -o "$d" >"$tmp/out" 2>"$tmp/err"
code=$?
if command -v gnuplot >/dev/null 2>&1; then
  [ "$code" = 0 ] || fail "figures: exit $code: $(cat "$tmp/err")"
  [ -s "$tmp/err" ] && fail "figures wrote to stderr: $(head -n 3 "$tmp/err")"
else
  echo "skipped: no gnuplot (scripts and data are still checked)"
fi

# every script and data file the doc names (brace lists expanded)
grep -o '`[a-z_0-9.{},-]*\.\(gp\|dat\)`' "$doc" | tr -d '`' | sort -u |
while read -r pat; do
  case $pat in
    *{*) eval "for f in $pat; do echo \$f; done" ;;
    *) echo "$pat" ;;
  esac
done >"$tmp/named"
[ "$(wc -l <"$tmp/named")" -ge 20 ] || fail "docs/figures.md names only $(wc -l <"$tmp/named") files"
while read -r f; do
  [ -s "$d/$f" ] || fail "missing $f"
done <"$tmp/named"

# each script stands alone: rendered again in its directory, silently
if command -v gnuplot >/dev/null 2>&1; then
  for gp in "$d"/*.gp; do
    name=$(basename "$gp" .gp)
    rm -f "$d/$name.png"
    (cd "$d" && gnuplot "$name.gp") >"$tmp/gpout" 2>&1 || fail "gnuplot $name.gp failed"
    [ -s "$tmp/gpout" ] && fail "gnuplot $name.gp said: $(head -n 2 "$tmp/gpout")"
    [ -s "$d/$name.png" ] || fail "$name.png is empty"
    head -c 8 "$d/$name.png" | od -An -c | grep -q 'P   N   G' || fail "$name.png is not a PNG"
  done
  # and in svg
  (cd "$d" && gnuplot -e 'term="svg"' seed-d.gp) 2>"$tmp/gpout" || fail "svg"
  grep -q '<svg' "$d/seed-d.svg" || fail "seed-d.svg is not svg"
fi

# scripts say how they were made and read only relative paths
for gp in "$d"/*.gp; do
  head -n 1 "$gp" | grep -q '^# Generated with: bcelab figures' || fail "$gp: no Generated-with line"
  grep -q '"/' "$gp" && fail "$gp reads an absolute path"
done

# panel (d): clipped flat at 16.118095 below z = -16.1, stable goes on to 20
awk '!/^#/ && $1 < -16.2 && sprintf("%.6f", $7) != "16.118095" { bad = 1 }
     !/^#/ && $1 == -20 && $3 != 20 { bad = 1 }
     END { exit bad }' "$d/seed-d-float-y1.dat" || fail "panel (d) data"
[ "$(grep -vc '^#' "$d/seed-d-float-y1.dat")" = 100 ] || fail "panel (d): not 100 points"

# panel (c): the computed thresholds, float near 16.6 and double near 36.7
grep -Eq '^thr_float = 16\.6' "$d/seed-c.gp" || fail "panel (c): float threshold"
grep -Eq '^thr_double = 36\.7' "$d/seed-c.gp" || fail "panel (c): double threshold"
finish
