#!/bin/sh
# valgrind.sh -- the memory pass of .ci/run: the unit tests and a tour of
# the commands under valgrind's memcheck.
#
#   tests/valgrind.sh BUILDDIR
#
# A memory error (invalid read or write, use of uninitialised values,
# invalid free) or a definite leak makes valgrind exit 99, and so this
# script fails; so does a crash or a timeout.
#
# The numbers are not checked here.  Valgrind runs x87 code in double
# precision and turns an 80-bit infinity into LDBL_MAX (try
# `valgrind ./a.out` on `long double l = (float) INFINITY; isinf (l)`),
# and bcelab carries every value of every format in a long double.  So
# under valgrind bcelab offers no long-double format (fmt_available), and
# the Check assertions that meet an inf may fail: they are counted and
# shown, not failed on.  The same assertions pass natively and under ASan
# and UBSan, in the two other passes of .ci/run.
#
# check_thresholds and `bcelab thresholds` are left out: their searches
# walk a logit until a form's result turns inf, which under the emulation
# never happens (inf stays LDBL_MAX), so they do not finish (over 300 s
# for `thresholds -p half` before it was stopped).  Their code paths are
# the same scalar loops the sanitized pass runs in full.
set -u
build=${1:?usage: valgrind.sh BUILDDIR}
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bcelab-vg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0

# run KIND NAME COMMAND...: KIND is "unit" (a Check test: exit 1 means
# numerical assertions off under the emulation, counted, not failed on)
# or "cmd" (a bcelab command: only exit 0 passes)
run () {
  kind=$1
  name=$2
  shift 2
  start=$(date +%s)
  timeout 1800 "$@" >"$tmp/log" 2>&1
  code=$?
  took=$(( $(date +%s) - start ))
  case $kind:$code in
    *:0) echo "valgrind: $name: clean (${took} s)" ;;
    unit:1) n=$(grep -c ':F:' "$tmp/log")
       echo "valgrind: $name: clean (${took} s); $n numerical assertion(s) off under valgrind's x87 emulation" ;;
    *:99) echo "valgrind: $name: MEMORY ERROR"; cat "$tmp/log"; status=1 ;;
    *) echo "valgrind: $name: exit $code (failure, crash or timeout)"; tail -n 30 "$tmp/log"; status=1 ;;
  esac
}

# the unit tests: in one process (CK_FORK=no), over quick samples
for t in check_format check_reference check_forms check_cce; do
  run unit "$t" env CK_FORK=no BCELAB_TEST_QUICK=1 $vg "$build/tests/$t"
done

# the commands: every one, small
b=$build/src/bcelab
out=$tmp/out
run cmd "table" $vg "$b" table --grad -f all -p all
run cmd "sweep" $vg "$b" sweep --grad -p half,float --points 200 -o "$out" -j 2
run cmd "explain" $vg "$b" explain --at=20 -y 0 -p float
run cmd "exhaustive" $vg "$b" exhaustive -p half -f stable -y 1 -j 2 -o "$out"
run cmd "exhaustive --shard" $vg "$b" exhaustive -p half -f naive -y 0 --shard 1/2 -o "$out"
run cmd "merge" sh -c "$vg '$b' exhaustive -p half -f naive -y 0 --shard 2/2 -o '$out' && $vg '$b' merge '$out'/*.part-* -o '$out/m'"
run cmd "cce" $vg "$b" cce --classes=2,10 --at=-120,0,89 --grad -p half,float
run cmd "cce -o" $vg "$b" cce --classes=2,50 --points=21 -o "$out" -j 2
run cmd "cce --logits" $vg "$b" cce --logits=1,2,2 --target=1 --grad --smoothing=0.1
run cmd "cce --thresholds" $vg "$b" cce --thresholds -p half --classes=10
run cmd "explain cce" $vg "$b" explain --logits=1,2,2 --target=1 -p double
run cmd "train" $vg "$b" train --epochs 5 --samples 200 -o "$out"
printf 'a,b,y\n1,2,0\n2,1,1\n3,3,0\n1,1,1\n0,2,0\n' >"$tmp/d.csv"
run cmd "train --data" $vg "$b" train --epochs 3 --data "$tmp/d.csv"
run cmd "bad input" sh -c "$vg '$b' table --at=1,x; test \$? = 2"
exit $status
