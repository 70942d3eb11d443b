/* fuzz_numbers.c -- libFuzzer target: every parser of option values.
 *
 * The input is one option value (bytes up to the first NUL).  Each parser
 * must either accept it, with results that obey the parser's contract, or
 * reject it with a one-line reason; never crash, leak or read out of
 * bounds.  The accepted numbers are also rounded to every format with
 * fmt_parse (MPFR), as `--at` does.  Build: ./configure CC=clang
 * --enable-fuzzers; run: tests/fuzz/run.sh.
 */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "forms.h"
#include "parse.h"

/* A reason must be one non-empty line that fits its buffer.  */
static void
check_reason (const char *err)
{
  size_t n = strnlen (err, PARSE_ERR);
  if (n == 0 || n == PARSE_ERR || memchr (err, '\n', n))
    abort ();
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *s = malloc (size + 1), err[PARSE_ERR];
  if (!s)
    return 0;
  memcpy (s, data, size);
  s[size] = '\0';

  double v;
  if (parse_number ("--x", s, &v, err) == 0)
    {
      long double r;
      for (int i = 0; i < FMT_COUNT; i++)
        if (fmt_available (i) && fmt_parse (&fmt_table[i], s, &r) == 0
            && !isnan (v) && !isnan (r) && signbit (r) != signbit (v)
            && r != 0)
          abort ();             /* rounding cannot change a sign */
    }
  else
    check_reason (err);

  if (parse_whole ("--x", s, 2, 1e9, &v, err) == 0)
    {
      if (!(v >= 2 && v <= 1e9) || v != floor (v))
        abort ();
    }
  else
    check_reason (err);

  unsigned long seed;
  if (parse_seed ("--seed", s, &seed, err))
    check_reason (err);

  int k, n;
  if (parse_shard (s, &k, &n, err) == 0)
    {
      if (!(n >= 1 && n <= 65536 && k >= 0 && k < n))
        abort ();
    }
  else
    check_reason (err);

  int ids[FORM_COUNT > FMT_COUNT ? FORM_COUNT : FMT_COUNT], m;
  if (parse_formats (s, ids, &m, err) == 0)
    {
      if (m < 1 || m > FMT_COUNT)
        abort ();
      for (int i = 0; i < m; i++)
        if (!fmt_available (ids[i]))
          abort ();
    }
  else
    check_reason (err);
  if (parse_forms (s, ids, &m, err) == 0)
    {
      if (m < 1 || m > FORM_COUNT)
        abort ();
    }
  else
    check_reason (err);

  for (int labels = 0; labels < 2; labels++)
    {
      num_list l = { 0 };
      if (parse_numbers (&l, labels ? "--label" : "--at", s, labels, err) == 0)
        {
          if (l.n < 1)
            abort ();
          for (size_t i = 0; i < l.n; i++)
            {
              if (!l.text[i][0] || (labels && !(l.value[i] >= 0 && l.value[i] <= 1)))
                abort ();
              for (size_t j = 0; j < i; j++)   /* no duplicates */
                if (l.value[i] == l.value[j]
                    || (isnan (l.value[i]) && isnan (l.value[j])))
                  abort ();
            }
        }
      else
        {
          check_reason (err);
          if (l.n || l.text || l.value)
            abort ();
        }
      num_list_free (&l);
    }
  free (s);
  return 0;
}
