# lib.sh -- helpers for bcelab's command-line tests (sourced).
# $BCELAB is the program under test; tests run with LC_ALL=C.
: "${BCELAB:?BCELAB must name the bcelab binary}"
LC_ALL=C
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bcelab-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0

fail () {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_error CODE 'message fragment' ARGS... : bcelab ARGS must exit with
# CODE, print nothing on stdout, and start stderr with "bcelab: " followed by
# a line containing the fragment.
expect_error () {
  code=$1 msg=$2
  shift 2
  "$BCELAB" "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  first=$(head -n 1 "$tmp/err" | cut -c 1-300)
  # name the command in at most 200 characters (arguments can be huge)
  set -- "$(printf '%s' "$*" | head -c 200)"
  if [ "$got" != "$code" ]; then
    fail "bcelab $*: exit $got, want $code ($first)"
  elif [ -s "$tmp/out" ]; then
    fail "bcelab $*: wrote to stdout on error"
  else
    case $first in
      "bcelab: "*"$msg"*) ;;
      *) fail "bcelab $*: stderr '$first' lacks '$msg'" ;;
    esac
  fi
}

finish () {
  if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
  fi
  exit 0
}
