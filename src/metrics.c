/* metrics.c -- ULP error, bits of error and status (see metrics.h).  */
#include <config.h>

#include <math.h>
#include <stdio.h>

#include "metrics.h"

const char *const status_names[ST_COUNT] = {
  "ok", "inf", "nan", "zero", "sign"
};

metric
metric_eval (const fmt_info *f, long double c, mpfr_srcptr x,
             long double x_rn, int grad)
{
  metric m = { 0.0, 0.0, ST_OK };

  if (mpfr_nan_p (x))
    {
      /* the input was nan: nan is the right answer */
      if (!isnan (c))
        m.ulp = NAN, m.bits = f->width, m.status = ST_OK;
      return m;
    }
  if (isnan (c))
    {
      m.ulp = NAN;
      m.bits = f->width;
      m.status = ST_NAN;
      return m;
    }

  /* bits of error, from ordinals (exact integers) */
  __int128 oc = fmt_ordinal (f, c), ox = fmt_ordinal (f, x_rn);
  unsigned __int128 d = oc > ox ? (unsigned __int128) (oc - ox)
                                : (unsigned __int128) (ox - oc);
  m.bits = log2 ((double) d + 1.0);

  if (mpfr_inf_p (x))
    {
      m.ulp = (isinf (c) && (c > 0) == (mpfr_sgn (x) > 0)) ? 0.0 : INFINITY;
      return m;
    }
  if (isinf (c))
    {
      m.ulp = INFINITY;
      m.status = ST_INF;
      return m;
    }

  /* |c - x| / 2^ulp_exp */
  mpfr_t diff;
  mpfr_init2 (diff, 64);
  mpfr_set_ld (diff, c, MPFR_RNDN);
  mpfr_sub (diff, diff, x, MPFR_RNDN);
  mpfr_abs (diff, diff, MPFR_RNDN);
  mpfr_mul_2si (diff, diff, -fmt_ulp_exp (f, x), MPFR_RNDN);
  m.ulp = mpfr_get_d (diff, MPFR_RNDN);
  mpfr_clear (diff);

  if (grad)
    {
      if (c == 0 && x_rn != 0)
        m.status = ST_ZERO;
      else if (c != 0 && !mpfr_zero_p (x) && (c > 0) != (mpfr_sgn (x) > 0))
        m.status = ST_SIGN;
    }
  return m;
}

const char *
metric_short (char *buf, metric m)
{
  if (m.status == ST_INF)
    return "inf";
  if (m.status == ST_NAN || isnan (m.ulp))
    return "nan";
  if (m.ulp == 0)
    return "0";
  if (m.ulp < 10)
    snprintf (buf, 32, "%.2g", m.ulp);
  else if (m.ulp < 1e5)
    snprintf (buf, 32, "%.0f", m.ulp);
  else
    snprintf (buf, 32, "%.1e", m.ulp);
  return buf;
}

int
metric_snprint (char *buf, size_t n, double v)
{
  return isnan (v) ? snprintf (buf, n, "nan")
       : isinf (v) ? snprintf (buf, n, "inf")
                   : snprintf (buf, n, "%.17g", v);
}
