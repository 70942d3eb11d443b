/* format.c -- format descriptors, correct rounding to a format with MPFR,
 * ordinals (for bits of error), and printing that reads back exactly.
 *
 * Rounding uses MPFR's documented emulation of an IEEE format: round to p
 * bits in the full exponent range, then narrow the range to the format's
 * (MPFR exponents are one more than IEEE's: x = 0.1b... * 2^e) and call
 * mpfr_check_range and mpfr_subnormalize, which use the ternary value to
 * avoid double rounding.
 */
#include <config.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

#if LDBL_MANT_DIG > 53
# define LD_WIDE 1
#else
# define LD_WIDE 0
#endif

#define DIGITS(p) (1 + ((p) * 30103 + 99999) / 100000)  /* 1 + ceil (p log10 2) */

const fmt_info fmt_table[FMT_COUNT] = {
  { FMT_HALF, "half", "binary16", "fp16,float16,binary16,f16",
    11, -14, 15, 16, 5, 1 },
  { FMT_BF16, "bfloat16", "bfloat16", "bf16",
    8, -126, 127, 16, 4, 1 },
  { FMT_FLOAT, "float", "binary32", "single,fp32,float32,binary32,f32",
    24, -126, 127, 32, 9, 0 },
  { FMT_DOUBLE, "double", "binary64", "fp64,float64,binary64,f64",
    53, -1022, 1023, 64, 17, 0 },
  { FMT_LDOUBLE, "long-double",
#if LDBL_MANT_DIG == 64
    "x87 extended",
#elif LDBL_MANT_DIG == 113
    "binary128",
#else
    "long double",
#endif
    "ldouble,long_double,longdouble",
    LDBL_MANT_DIG, LDBL_MIN_EXP - 1, LDBL_MAX_EXP - 1,
#if LDBL_MANT_DIG == 64
    80,
#else
    (int) (sizeof (long double) * 8),
#endif
    DIGITS (LDBL_MANT_DIG), 0 },
};

/* Long double is offered when it is wider than double and the arithmetic
   really carries its digits: valgrind, for one, runs x87 code in double
   precision, and there 1 + LDBL_EPSILON is 1.  Checked each time (a few cycles).  */
static int
ld_delivers (void)
{
  volatile long double one = 1, eps = LDBL_EPSILON;
  return LD_WIDE && one + eps != one;
}

int
fmt_available (fmt_id id)
{
  return id != FMT_LDOUBLE || ld_delivers ();
}

const fmt_info *
fmt_by_name_any (const char *name)
{
  for (int i = 0; i < FMT_COUNT; i++)
    {
      const fmt_info *f = &fmt_table[i];
      if (strcmp (name, f->name) == 0)
        return f;
      /* match NAME against the comma-separated aliases */
      size_t n = strlen (name);
      for (const char *a = f->aliases; *a;)
        {
          size_t len = strcspn (a, ",");
          if (len == n && strncmp (a, name, n) == 0)
            return f;
          a += len + (a[len] == ',');
        }
    }
  return NULL;
}

const fmt_info *
fmt_by_name (const char *name)
{
  const fmt_info *f = fmt_by_name_any (name);
  return f && fmt_available (f->id) ? f : NULL;
}

const char *
fmt_names (void)
{
  return fmt_available (FMT_LDOUBLE)
    ? "half, bfloat16, float, double, long-double"
    : "half, bfloat16, float, double";
}

/* Narrow MPFR's exponent range to the format's, run check_range and
   subnormalize on R (already rounded to p bits with ternary T), restore.  */
static void
emulate_range (const fmt_info *f, mpfr_ptr r, int t)
{
  mpfr_exp_t oemin = mpfr_get_emin (), oemax = mpfr_get_emax ();
  /* IEEE emin -126 with p = 24 gives MPFR emin -148: the smallest
     subnormal 2^(emin-p+1) is 0.1b * 2^(emin-p+2).  */
  mpfr_set_emin (f->emin - f->prec + 2);
  mpfr_set_emax (f->emax + 1);
  t = mpfr_check_range (r, t, MPFR_RNDN);
  mpfr_subnormalize (r, t, MPFR_RNDN);
  mpfr_set_emin (oemin);
  mpfr_set_emax (oemax);
}

long double
fmt_round_mpfr (const fmt_info *f, mpfr_srcptr x)
{
  mpfr_t r;
  mpfr_init2 (r, f->prec);
  int t = mpfr_set (r, x, MPFR_RNDN);
  emulate_range (f, r, t);
  long double v = mpfr_get_ld (r, MPFR_RNDN);   /* exact */
  mpfr_clear (r);
  return v;
}

long double
fmt_round (const fmt_info *f, long double x)
{
  switch (f->id)
    {
    case FMT_FLOAT:
      return (float) x;
    case FMT_DOUBLE:
      return (double) x;
    case FMT_LDOUBLE:
      return x;
    default:
      {
        mpfr_t m;
        mpfr_init2 (m, LDBL_MANT_DIG);
        mpfr_set_ld (m, x, MPFR_RNDN);
        long double v = fmt_round_mpfr (f, m);
        mpfr_clear (m);
        return v;
      }
    }
}

int
fmt_parse (const fmt_info *f, const char *s, long double *out)
{
  while (*s == ' ' || *s == '\t')
    s++;
  if (*s == '\0')
    return -1;
  mpfr_t r;
  mpfr_init2 (r, f->prec);
  char *end;
  int t = mpfr_strtofr (r, s, &end, 0, MPFR_RNDN);
  while (*end == ' ' || *end == '\t')
    end++;
  if (*end != '\0' || end == s)
    {
      mpfr_clear (r);
      return -1;
    }
  emulate_range (f, r, t);
  *out = mpfr_get_ld (r, MPFR_RNDN);
  mpfr_clear (r);
  return 0;
}

__int128
fmt_ordinal (const fmt_info *f, long double x)
{
  if (isnan (x))
    return 0;
  int neg = signbit (x);
  long double a = fabsl (x);
  __int128 half_binade = (__int128) 1 << (f->prec - 1);
  __int128 o;
  if (isinf (a))
    o = (__int128) (f->emax - f->emin + 2) * half_binade;
  else if (a < ldexpl (1.0L, (int) f->emin))
    o = (__int128) ldexpl (a, (int) (f->prec - 1 - f->emin));
  else
    {
      int e = ilogbl (a);
      o = (__int128) (e - f->emin + 1) * half_binade
          + ((__int128) ldexpl (a, f->prec - 1 - e) - half_binade);
    }
  return neg ? -o : o;
}

long
fmt_ulp_exp (const fmt_info *f, mpfr_srcptr x)
{
  long e = f->emin;
  if (mpfr_regular_p (x))
    {
      e = (long) mpfr_get_exp (x) - 1;  /* x in [2^e, 2^(e+1)) */
      if (e < f->emin)
        e = f->emin;
      if (e > f->emax)
        e = f->emax;
    }
  return e - f->prec + 1;
}

int
fmt_snprint (char *buf, size_t n, const fmt_info *f, long double x, int hex)
{
  if (isnan (x))
    return snprintf (buf, n, "nan");
  if (isinf (x))
    return snprintf (buf, n, "%s", x > 0 ? "inf" : "-inf");
  if (hex)
    return f->id == FMT_LDOUBLE ? snprintf (buf, n, "%La", x)
                                : snprintf (buf, n, "%a", (double) x);
  return snprintf (buf, n, "%.*Lg", f->digits, x);
}

void
fmt_print (FILE *fp, const fmt_info *f, long double x, int hex)
{
  char buf[64];
  fmt_snprint (buf, sizeof buf, f, x, hex);
  fputs (buf, fp);
}

long double
fmt_from_ordinal (const fmt_info *f, __int128 o)
{
  int neg = o < 0;
  if (neg)
    o = -o;
  __int128 hb = (__int128) 1 << (f->prec - 1);
  long double v;
  if (o >= (__int128) (f->emax - f->emin + 2) * hb)
    v = INFINITY;
  else if (o < hb)                      /* subnormal or zero */
    v = ldexpl ((long double) o, (int) (f->emin - f->prec + 1));
  else
    {
      long e = (long) (o / hb) + f->emin - 1;
      v = ldexpl ((long double) (hb + o % hb), (int) (e - f->prec + 1));
    }
  return neg ? -v : v;
}

char *
fmt_shortest (char *buf, const fmt_info *f, long double x)
{
  if (isnan (x))
    return strcpy (buf, "nan");
  if (isinf (x))
    return strcpy (buf, x > 0 ? "inf" : "-inf");
  if (x == 0)
    return strcpy (buf, signbit (x) ? "-0" : "0");
  long double back;
  for (int d = 1; d <= f->digits; d++)
    {
      int n = snprintf (buf, 64, "%.*Lg", d, x);
      if (n > 0 && n < 64 && fmt_parse (f, buf, &back) == 0 && back == x)
        {
          /* the same digits without an exponent where that reads better:
             100 rather than 1e+02, 0.00045 rather than 4.5e-04 */
          long double a = fabsl (x);
          if (a >= 1e-4L && a < 1e15L)
            {
              int e10 = (int) floorl (log10l (a));
              int dec = d - 1 - e10;
              char alt[64];
              n = snprintf (alt, sizeof alt, "%.*Lf", dec < 0 ? 0 : dec, x);
              if (n > 0 && n < 64 && fmt_parse (f, alt, &back) == 0
                  && back == x)
                strcpy (buf, alt);
            }
          return buf;
        }
    }
  if (snprintf (buf, 64, "%.*Lg", f->digits, x) >= 64)
    buf[63] = '\0';
  return buf;
}
