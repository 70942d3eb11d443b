#!/bin/sh
# The bad-input matrix (issue 8): every command with unknown options, bad
# lists and numbers, impossible output directories, failing disks and bad
# CSV files.  Each must give one error line naming the problem, exit 2 for
# usage errors and 1 for failures, never crash, and leave no file behind.
. "$srcdir/lib.sh"

out=$tmp/out-dir
mkdir "$out"
# no_files LABEL: the output directory must still be empty.
no_files () {
  if [ -n "$(ls -A "$out")" ]; then
    fail "$1: left $(ls -A "$out" | tr '\n' ' ')"
    rm -rf "$out" && mkdir "$out"
  fi
}
# bad CODE MSG ARGS...: expect_error, then no file in $out.
bad () {
  expect_error "$@"
  shift 2
  no_files "bcelab $*"
}

# -- every command: an unknown option, a stray argument, and -o given twice
#    in the wrong place
for cmd in table sweep thresholds explain exhaustive train figures report; do
  bad 2 "unknown option '--bogus'" $cmd --bogus
  bad 2 "unexpected argument 'extra'" $cmd extra
done
bad 2 "unknown option '--bogus'" merge --bogus

# -- unknown names and bad lists, for each command that takes them
for cmd in table sweep thresholds explain exhaustive train; do
  bad 2 "unknown form 'nieve'" $cmd -f nieve --at=1 -o "$out"
  bad 2 "--form: empty item" $cmd -f naive,,stable -o "$out"
  bad 2 "--form: 'stable' given twice" $cmd -f stable,naive,stable -o "$out"
  bad 2 "unknown precision 'quad'" $cmd -p quad -o "$out"
  bad 2 "--precision: empty item" $cmd -p '' -o "$out"
done 2>/dev/null
# (the -o and --at that do not apply are reported after the list errors,
#  which come first because getopt reads the options in order)
for cmd in table sweep thresholds explain exhaustive; do
  bad 2 "--label: 1.5 is not in [0, 1]" $cmd --label 1.5
  bad 2 "--label: nan is not in [0, 1]" $cmd --label nan
  bad 2 "--label: inf is not in [0, 1]" $cmd --label inf
  bad 2 "--label: '0' given twice" $cmd --label 0,1,0
  bad 2 "--eps: 0 is not in (0, 0.5)" $cmd --eps 0
  bad 2 "--eps: 0.7 is not in (0, 0.5)" $cmd --eps 0.7
  bad 2 "--eps: -inf is not in (0, 0.5)" $cmd --eps -inf
done

# -- numbers: non-numeric, nan, inf, out of range
bad 2 "--points: '0' is not a whole number" sweep --points 0 -o "$out"
bad 2 "--points: '1e12' is not a whole number" sweep --points 1e12 -o "$out"
bad 2 "--points: 'nan' is not a whole number" sweep --points nan -o "$out"
bad 2 "--points: '2.5' is not a whole number" sweep --points 2.5 -o "$out"
bad 2 "--points: 'many' is not a whole number" sweep --points many -o "$out"
bad 2 "--from (5) must be less than --to (-5)" sweep --from 5 --to -5 -o "$out"
bad 2 "--from (1) must be less than --to (1)" sweep --from 1 --to 1 -o "$out"
bad 2 "--from: 'nan' is not a finite number" sweep --from nan -o "$out"
bad 2 "--to: 'inf' is not a finite number" sweep --to inf -o "$out"
bad 2 "--at and --from/--to/--points/--scale cannot be combined" sweep --at=1 --points 5 -o "$out"
bad 2 "--at: 'one' is not a number" sweep --at=0,one -o "$out"
bad 2 "--at: empty item" explain --at=
bad 2 "unknown scale 'cubic'" sweep --scale cubic -o "$out"
bad 2 "--shard: '3/2' is not K/N" exhaustive -p half --shard 3/2 -o "$out"
bad 2 "--shard: '0/2' is not K/N" exhaustive -p half --shard 0/2 -o "$out"
bad 2 "--shard: '1/0' is not K/N" exhaustive -p half --shard 1/0 -o "$out"
bad 2 "--shard: '-1/2' is not K/N" exhaustive -p half --shard -1/2 -o "$out"
bad 2 "--shard: '1/99999999999999999999' is not K/N" exhaustive -p half --shard 1/99999999999999999999 -o "$out"
bad 2 "--shard: '1/2x' is not K/N" exhaustive -p half --shard 1/2x -o "$out"
bad 2 "exhaustive covers half, bfloat16 and float" exhaustive -p double -o "$out"
bad 2 "--jobs: '0' is not a whole number" exhaustive -p half -j 0 -o "$out"
bad 2 "--jobs: '1e9' is not a whole number" sweep -j 1e9 -o "$out"
bad 2 "--seed: '-1' is not a non-negative integer" train --seed -1 -o "$out"
bad 2 "--seed: '99999999999999999999999' is not a non-negative integer" train --seed 99999999999999999999999 -o "$out"
bad 2 "--epochs: '0' is not a whole number" train --epochs 0 -o "$out"
bad 2 "--samples: '5' is not a whole number" train --samples 5 -o "$out"
bad 2 "--features: '1e6' is not a whole number" train --features 1e6 -o "$out"
bad 2 "--lr: nan is not in (0, 1e6]" train --lr nan -o "$out"
bad 2 "--lr: -1 is not in (0, 1e6]" train --lr -1 -o "$out"
bad 2 "unknown scenario 'chaos'" train --scenario chaos -o "$out"
bad 2 "unknown output format 'xml'" thresholds --format xml
bad 2 "explain needs a logit" explain
bad 2 "merge needs the partial results" merge -o "$out"
bad 2 "option '--shard' does not apply to 'sweep'" sweep --shard 1/2 -o "$out"
bad 2 "option '--full' does not apply to 'figures'" figures --full -o "$out"
# a 100 kB argument (Linux allows 128 kB) and a newline in a value:
# still one short line
long=$(head -c 100000 /dev/zero | tr '\0' 7)
bad 2 "--at: '7777777777777777777777777777777777777777...' is not a number" table --at="${long}x"
bad 2 "--at: '1\\n2' is not a number" table --at="1
2"
lines=$("$BCELAB" table --at="1
2" 2>&1 | wc -l)
[ "$lines" = 2 ] || fail "a newline in --at gave $lines lines of error, want 2 (error, hint)"

# -- output directories that cannot be used
touch "$tmp/a-file"
bad 1 "output directory '$tmp/a-file' is not a directory" sweep -o "$tmp/a-file"
bad 1 "output directory '$tmp/a-file' is not a directory" figures -o "$tmp/a-file"
bad 1 "cannot create output directory '$tmp/a-file/sub'" exhaustive -p half -o "$tmp/a-file/sub"
bad 1 "cannot create output directory '$tmp/a-file/sub'" report -o "$tmp/a-file/sub"
bad 1 "output directory '/dev/null' is not a directory" train -o /dev/null
if [ "$(id -u)" != 0 ]; then
  mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
  bad 1 "output directory '$tmp/ro' is not writable" sweep --points 3 -o "$tmp/ro"
  bad 1 "output directory '$tmp/ro' is not writable" exhaustive -p half -f naive -y 0 -o "$tmp/ro"
  [ -z "$(ls -A "$tmp/ro")" ] || fail "files left in an unwritable directory"
else
  # root writes anywhere on a normal file system; /proc takes no new files
  bad 1 "cannot create files in output directory '/proc'" sweep --points 3 -o /proc
  bad 1 "cannot create files in output directory '/proc'" exhaustive -p half -f naive -y 0 -o /proc
fi

# -- full disks: stdout on /dev/full, and a 64 KiB file system when this
#    machine lets us mount one (root in most CI containers)
if [ -w /dev/full ]; then
  for args in "table" "thresholds -p half" "explain --at=20" "train --epochs 2"; do
    # shellcheck disable=SC2086
    "$BCELAB" $args >/dev/full 2>"$tmp/err"
    code=$?
    [ "$code" = 1 ] || fail "$args >/dev/full: exit $code, want 1"
    grep -q '^bcelab: write error' "$tmp/err" || fail "$args >/dev/full: no write error"
  done
fi
mkdir "$tmp/small"
if mount -t tmpfs -o size=64k tmpfs "$tmp/small" 2>/dev/null; then
  "$BCELAB" sweep --points 100000 -o "$tmp/small" >/dev/null 2>"$tmp/err"
  code=$?
  [ "$code" = 1 ] || fail "sweep on a full disk: exit $code, want 1"
  grep -q "No space left on device" "$tmp/err" || fail "sweep on a full disk: $(cat "$tmp/err")"
  [ -z "$(ls -A "$tmp/small")" ] || fail "a full disk kept $(ls -A "$tmp/small")"
  umount "$tmp/small"
else
  echo "note: cannot mount a small tmpfs here; full-disk file test not run"
fi

# -- CSV files for train --data
csv () { printf "$2" >"$tmp/$1.csv"; }
csv ragged '1,2,0\n3,1\n'
bad 1 "ragged.csv:2: 2 columns, expected 3" train --data "$tmp/ragged.csv" -o "$out"
csv cell '1,2,0\n3,x,1\n'
bad 1 "cell.csv:2: column 2: 'x' is not a finite number" train --data "$tmp/cell.csv" -o "$out"
csv nancell '1,nan,0\n3,4,1\n'
bad 1 "nancell.csv:1: column 2: 'nan' is not a finite number" train --data "$tmp/nancell.csv" -o "$out"
csv label2 'a,b,y\n1,2,0\n3,4,2\n'
bad 1 "label2.csv:3: the label (last column) must be 0 or 1, not 2" train --data "$tmp/label2.csv" -o "$out"
csv header-only 'a,b,y\n'
bad 1 "header-only.csv: no data rows" train --data "$tmp/header-only.csv" -o "$out"
csv empty ''
bad 1 "empty.csv: no data rows" train --data "$tmp/empty.csv" -o "$out"
csv onecol '1\n0\n'
bad 1 "onecol.csv:1: need at least one feature and a label" train --data "$tmp/onecol.csv" -o "$out"
csv nul '1,2\0003,0\n'
bad 1 "nul.csv:1: a NUL byte" train --data "$tmp/nul.csv" -o "$out"
csv onerow '1,2,0\n'
bad 1 "too few samples (1) to hold out a test set" train --data "$tmp/onerow.csv" -o "$out"
# a 10 MB line: ten million empty columns, refused with the exact count
head -c 10000000 /dev/zero | tr '\0' , | sed 's/^/1/; s/$/0/' >"$tmp/wide.csv"
bad 1 "wide.csv:1: 10000001 columns, at most 10001" train --data "$tmp/wide.csv" -o "$out"
bad 1 "cannot read '$tmp/missing.csv'" train --data "$tmp/missing.csv" -o "$out"
bad 1 "error reading '$tmp'" train --data "$tmp" -o "$out"

# -- merge: files that are not partial results
printf 'not a part file\n' >"$tmp/junk.part"
bad 1 "junk.part" merge "$tmp/junk.part" -o "$out"
bad 1 "cannot read '$tmp/none.part'" merge "$tmp/none.part" -o "$out"

finish
