/* reference.c -- correctly rounded BCE loss and gradient (see reference.h).
 *
 * Error analysis at working precision w (u = 2^-w, each MPFR operation
 * rounds to nearest, relative error <= u):
 *   e = exp(-|z|)          rel. error u
 *   l = log1p(e)           rel. error 2u (log1p's condition number
 *                          e/((1+e) log1p(e)) is at most 1)
 *   softplus(+-z) = max(+-z, 0) + l      3u (a sum of non-negative terms)
 *   (1-y), y * ...                       5u per term
 *   L = sum of the two terms             6u
 * so |L~ - L| <= 16u |L~| and the interval [L~(1-16u), L~(1+16u)] holds L.
 * For the gradient the two terms have opposite signs:
 *   |g~ - g| <= 16u (A + B), A = (1-y) sigmoid(z), B = y sigmoid(-z).
 * If both ends of the interval round to the same value of the format, that
 * value is the correctly rounded result (rounding is monotone); otherwise w
 * doubles.  The loop ends: for rational z != 0 both L and g are
 * transcendental (Lindemann), so neither is a rounding boundary; z = 0 is
 * handled exactly.
 *
 * Underflow: MPFR's exponent range is widened to its maximum (about
 * 2^-4.6e18); exp(-|z|) underflows only for |z| > 3e18, where the term it
 * feeds is far below any format's smallest subnormal.
 */
#include <config.h>

#include <assert.h>
#include <float.h>
#include <math.h>

#include "reference.h"
#ifdef _OPENMP
# include <omp.h>
#endif

#define W_MAX 65536

void
ref_global_init (void)
{
  mpfr_set_emin (mpfr_get_emin_min ());
  mpfr_set_emax (mpfr_get_emax_max ());
}

int
ref_threads (int jobs)
{
#ifdef _OPENMP
  if (!mpfr_buildopt_tls_p ())
    return 1;
  return jobs > 0 ? jobs : omp_get_max_threads ();
#else
  (void) jobs;
  return 1;
#endif
}

void
ref_init (ref_value *r)
{
  mpfr_init2 (r->loss, 64);
  mpfr_init2 (r->grad, 64);
  r->loss_rn = r->grad_rn = 0;
  r->prec = 0;
}

void
ref_clear (ref_value *r)
{
  mpfr_clear (r->loss);
  mpfr_clear (r->grad);
}

/* Round both ends of [X - ERR, X + ERR] to F; if they agree, store the
   result in *OUT and return 1.  */
int
ref_decided (const fmt_info *f, mpfr_srcptr x, mpfr_srcptr err, long double *out)
{
  mpfr_t lo, hi;
  mpfr_prec_t p = mpfr_get_prec (x) + 8;
  mpfr_inits2 (p, lo, hi, (mpfr_ptr) 0);
  mpfr_sub (lo, x, err, MPFR_RNDD);
  mpfr_add (hi, x, err, MPFR_RNDU);
  long double a = fmt_round_mpfr (f, lo), b = fmt_round_mpfr (f, hi);
  mpfr_clears (lo, hi, (mpfr_ptr) 0);
  if (a == b && !signbit (a) == !signbit (b))
    {
      *out = a;
      return 1;
    }
  return 0;
}

/* 1 if |X| is below a quarter of F's smallest subnormal even after an
   error of at most |X| 2^-20: it then rounds to a zero of X's sign, and the
   interval test cannot be trusted (its bound may underflow).  */
int
ref_negligible (const fmt_info *f, mpfr_srcptr x)
{
  /* |x| < 2^EXP(x); the smallest subnormal is 2^(emin-p+1) */
  return mpfr_zero_p (x)
         || (mpfr_regular_p (x) && mpfr_get_exp (x) <= f->emin - f->prec - 1);
}

/* RN to F of X + t, for the computed X and a term t of sign DIR (+1 or
   -1) that X lacks and no working precision reaches: below MPFR's
   exponent range (exp(-|z|) underflows MPFR itself once |z| > 3.2e18,
   and every other operation on the <= 64-bit inputs is exact), or beneath
   X's ulp at the precision (below_reach).  The interval test cannot
   decide when X is a midpoint of F; the neighbour of X at its precision
   on t's side rounds as X + t.  */
static long double
round_beside (const fmt_info *f, mpfr_srcptr x, int dir)
{
  mpfr_t n;
  mpfr_init2 (n, mpfr_get_prec (x));
  mpfr_set (n, x, MPFR_RNDN);           /* exact: same precision */
  if (dir > 0)
    mpfr_nextabove (n);
  else
    mpfr_nextbelow (n);
  long double v = fmt_round_mpfr (f, n);
  mpfr_clear (n);
  return v;
}

/* Whether the term T (> 0) of X is beneath the reach of precision W:
   below a quarter of X's ulp at W, with W >= 256.  Then X is exactly the
   rest of the value (the loss's (1-y) max(z,0) + y max(-z,0), the
   gradient's 1-y or -y: products of inputs of <= 64 bits, exact at
   W >= 128; every rounding absorbed T), and the truth is X + T or X - T
   with T too small to pass X's neighbour at W: it rounds to F as that
   neighbour (round_beside).  Without this, where X is a midpoint of F
   (z = 0x1.000002p+16 and y = 1/4 in float: L = 49152 + 1.5 ulp +
   e^-65536), no precision under 2^17 bits decides it.  */
static int
below_reach (mpfr_srcptr t, mpfr_srcptr x, mpfr_prec_t w)
{
  return w >= 256 && mpfr_regular_p (t) && mpfr_regular_p (x)
         && mpfr_get_exp (t) < mpfr_get_exp (x) - (mpfr_exp_t) w - 2;
}

/* The two sigmoids at working precision: big = 1/(1+e), small = e/(1+e),
   e = exp(-|z|); sigmoid(z) is big when z >= 0.  */
static void
sigmoids (mpfr_ptr big, mpfr_ptr small, mpfr_srcptr az, mpfr_prec_t w)
{
  mpfr_t e, d;
  mpfr_inits2 (w, e, d, (mpfr_ptr) 0);
  mpfr_neg (e, az, MPFR_RNDN);
  mpfr_exp (e, e, MPFR_RNDN);
  mpfr_add_ui (d, e, 1, MPFR_RNDN);
  mpfr_ui_div (big, 1, d, MPFR_RNDN);
  mpfr_div (small, e, d, MPFR_RNDN);
  mpfr_clears (e, d, (mpfr_ptr) 0);
}

static void
special (ref_value *r, const fmt_info *f, long double z, long double y)
{
  mpfr_set_prec (r->loss, f->prec + 8);
  mpfr_set_prec (r->grad, 2 * W_MAX);
  if (isnan (z))
    {
      mpfr_set_nan (r->loss);
      mpfr_set_nan (r->grad);
    }
  else
    {
      /* z = +inf: L = (1-y) inf (0 when y = 1), g = 1 - y.
         z = -inf: L = y inf (0 when y = 0), g = -y.  */
      long double w = z > 0 ? 1 - y : y;  /* weight of the infinite term */
      if (w == 0)
        mpfr_set_zero (r->loss, 1);
      else
        mpfr_set_inf (r->loss, 1);
      mpfr_set_ld (r->grad, y, MPFR_RNDN);
      if (z > 0)
        mpfr_ui_sub (r->grad, 1, r->grad, MPFR_RNDN);   /* exact */
      else if (y != 0)
        mpfr_neg (r->grad, r->grad, MPFR_RNDN);         /* -0 would be wrong */
    }
  r->loss_rn = fmt_round_mpfr (f, r->loss);
  r->grad_rn = fmt_round_mpfr (f, r->grad);
  r->prec = 0;
}

void
ref_compute (ref_value *r, const fmt_info *f, long double z, long double y)
{
  assert (y >= 0 && y <= 1);
  if (!isfinite (z))
    {
      special (r, f, z, y);
      return;
    }

  mpfr_t Z, AZ, Y, YM, big, small, A, B, err;
  mpfr_inits2 (LDBL_MANT_DIG, Z, AZ, Y, (mpfr_ptr) 0);
  mpfr_set_ld (Z, z, MPFR_RNDN);        /* exact */
  mpfr_abs (AZ, Z, MPFR_RNDN);
  mpfr_set_ld (Y, y, MPFR_RNDN);
  mpfr_inits2 (64, YM, big, small, A, B, err, (mpfr_ptr) 0);

  /* ---- the loss ---- */
  for (mpfr_prec_t w = f->prec + 40;; w *= 2)
    {
      assert (w <= W_MAX);
      mpfr_set_prec (YM, w);
      mpfr_set_prec (A, w);
      mpfr_set_prec (B, w);
      mpfr_set_prec (err, 32);
      mpfr_set_prec (r->loss, w);
      mpfr_t e, l;
      mpfr_inits2 (w, e, l, (mpfr_ptr) 0);
      mpfr_neg (e, AZ, MPFR_RNDN);
      mpfr_exp (e, e, MPFR_RNDN);
      int under = mpfr_zero_p (e);      /* below MPFR's range: L = x + l */
      int inexact = mpfr_log1p (l, e, MPFR_RNDN) != 0;
      /* softplus(z) into A, softplus(-z) into B */
      if (mpfr_sgn (Z) > 0)
        {
          inexact |= mpfr_add (A, Z, l, MPFR_RNDN) != 0;
          mpfr_set (B, l, MPFR_RNDN);
        }
      else
        {
          mpfr_set (A, l, MPFR_RNDN);
          inexact |= mpfr_sub (B, l, Z, MPFR_RNDN) != 0;
        }
      inexact |= mpfr_ui_sub (YM, 1, Y, MPFR_RNDN) != 0;
      inexact |= mpfr_mul (A, A, YM, MPFR_RNDN) != 0;
      inexact |= mpfr_mul (B, B, Y, MPFR_RNDN) != 0;
      inexact |= mpfr_add (r->loss, A, B, MPFR_RNDN) != 0;
      int beneath = below_reach (l, r->loss, w);
      mpfr_clears (e, l, (mpfr_ptr) 0);
      if (ref_negligible (f, r->loss))
        {
          /* L > 0 but below every subnormal (y = 1 and z > 3e18, say) */
          r->loss_rn = 0.0L;
          r->prec = w;
          break;
        }
      mpfr_mul_2si (err, r->loss, 4 - (long) w, MPFR_RNDU);
      mpfr_abs (err, err, MPFR_RNDU);
      if (ref_decided (f, r->loss, err, &r->loss_rn))
        {
          r->prec = w;
          break;
        }
      if ((under && !inexact) || beneath)
        {
          /* the missing log1p(exp(-|z|)) > 0 */
          r->loss_rn = round_beside (f, r->loss, +1);
          r->prec = w;
          break;
        }
    }

  /* ---- the gradient ---- */
  if (z == 0)
    {
      /* sigmoid(0) - y = 1/2 - y, exactly: enough bits for y's last one */
      long need = f->prec + 2 + (mpfr_zero_p (Y) ? 0 : -mpfr_get_exp (Y));
      mpfr_set_prec (r->grad, need < f->prec + 2 ? f->prec + 2 : need);
      mpfr_ui_sub (r->grad, 1, Y, MPFR_RNDN);          /* 1 - y, ... */
      mpfr_sub (r->grad, r->grad, Y, MPFR_RNDN);       /* 1 - 2y */
      mpfr_div_2ui (r->grad, r->grad, 1, MPFR_RNDN);   /* (1 - 2y)/2 */
      r->grad_rn = fmt_round_mpfr (f, r->grad);
    }
  else
    for (mpfr_prec_t w = f->prec + 40;; w *= 2)
      {
        assert (w <= W_MAX);
        mpfr_set_prec (big, w);
        mpfr_set_prec (small, w);
        mpfr_set_prec (A, w);
        mpfr_set_prec (B, w);
        mpfr_set_prec (YM, w);
        mpfr_set_prec (r->grad, w);
        mpfr_set_prec (err, 32);
        sigmoids (big, small, AZ, w);
        /* small = 0: exp(-|z|) is below MPFR's range, big = 1 exactly */
        int under = mpfr_zero_p (small);
        int inexact = mpfr_ui_sub (YM, 1, Y, MPFR_RNDN) != 0;
        int pos = mpfr_sgn (Z) > 0;
        inexact |= mpfr_mul (A, pos ? big : small, YM, MPFR_RNDN) != 0;  /* (1-y) s(z) */
        inexact |= mpfr_mul (B, pos ? small : big, Y, MPFR_RNDN) != 0;   /* y s(-z) */
        inexact |= mpfr_sub (r->grad, A, B, MPFR_RNDN) != 0;
        mpfr_add (err, A, B, MPFR_RNDU);
        int beneath = below_reach (small, r->grad, w);
        if (ref_negligible (f, err))
          {
            /* |g| <= A + B is below every subnormal: that happens only
               for y in {0,1}, when one of A, B is exactly 0, so g has the
               sign of A - B (+0 for y = 0, -0 for y = 1) */
            if (mpfr_zero_p (r->grad))
              mpfr_set_zero (r->grad, y == 1 ? -1 : 1);
            r->grad_rn = mpfr_signbit (r->grad) ? -0.0L : 0.0L;
            break;
          }
        mpfr_mul_2si (err, err, 4 - (long) w, MPFR_RNDU);
        if (ref_decided (f, r->grad, err, &r->grad_rn))
          break;
        if ((under && !inexact) || beneath)
          {
            /* the missing s = sigmoid(-|z|) > 0: g = (1-y) - s for z > 0,
               -y + s for z < 0 */
            r->grad_rn = round_beside (f, r->grad, pos ? -1 : +1);
            break;
          }
      }
  mpfr_clears (Z, AZ, Y, YM, big, small, A, B, err, (mpfr_ptr) 0);
}
