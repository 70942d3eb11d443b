/* fastref.h -- the exact loss and gradient in double, for inputs of the
 * narrow formats (half, bfloat16, float).
 *
 * The same non-cancelling expressions as the MPFR reference, evaluated with
 * the C library in double: relative error below 2^-49 for the loss and for
 * a gradient whose two terms do not cancel (y in {0,1}: one term is zero).
 * Against float's 2^-24 that leaves 25 bits: an error in float ULPs is
 * known to about 2^-25 ULP, which decides "more than 1 ULP" and the other
 * criteria except within a margin, where the caller falls back to MPFR.
 * Below double's range (|z| > 745) exp(-|z|) is 0; the terms it feeds are
 * then below 2^-1000, far under every narrow format's subnormals, and the
 * results round as if they were zero of the right sign.
 */
#ifndef BCELAB_FASTREF_H
#define BCELAB_FASTREF_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* What every exact value is made of, from e = exp(-|z|):
   softplus(z), softplus(-z), sigmoid(z), sigmoid(-z).  The loss for label y
   is (1-y) sp + y sn, the gradient (1-y) sz - y snz.  */
typedef struct {
  double sp, sn, sz, snz;
} fastref_terms;

/* e = exp(-|z|), without the call where its value is known: below -746
   the exponential is under half the smallest subnormal and rounds to 0;
   above -2^-55 it is 1 - |z| + ..., within a quarter ulp of 1, and rounds
   to 1 (as the C library's exp returns it, 1 + x).  */
static inline double
fastref_exp_neg_abs (double z)
{
  double az = fabs (z);
  return az > 746 ? 0 : az < 0x1p-55 ? 1 : exp (-az);
}

/* The terms from e = fastref_exp_neg_abs (z) and l = log1p (e).  */
static inline void
fastref_terms_of (double z, double e, double l, fastref_terms *t)
{
  double big = 1, small = 0;            /* sigmoid(|z|), sigmoid(-|z|) */
  if (e != 0)                           /* (1/1 and 0/1 without dividing) */
    {
      double d = 1 + e;
      big = 1 / d, small = e / d;
    }
  t->sp = (z > 0 ? z : 0) + l;
  t->sn = (z < 0 ? -z : 0) + l;
  t->sz = z >= 0 ? big : small;
  t->snz = z >= 0 ? small : big;
}

static inline void
fastref_terms_eval (double z, fastref_terms *t)
{
  double e = fastref_exp_neg_abs (z);
  fastref_terms_of (z, e, e == 0 ? 0 : log1p (e), t);
}

/* 1 / ulp of float at double X (X's binade clamped to float's range, the
   subnormal step below it): a power of two, so multiplying by it is exact
   and cheaper than dividing by the ulp.  */
static inline double
fastref_inv_float_ulp (double x)
{
  uint64_t b;
  memcpy (&b, &x, 8);
  int e = (int) ((b >> 52) & 0x7ff) - 1023;
  e = e < -126 ? -126 : e > 127 ? 127 : e;
  b = (uint64_t) (23 - e + 1023) << 52;
  double u;
  memcpy (&u, &b, 8);
  return u;
}

typedef struct {
  double loss;      /* the exact loss, to 2^-49 relative */
  double grad;      /* the exact gradient; see cancel */
  double terms;     /* A + B of the gradient: |error| <= 2^-49 terms */
} fastref;

static inline void
fastref_eval (double z, double y, fastref *r)
{
  fastref_terms t;
  fastref_terms_eval (z, &t);
  double ym = 1 - y;                     /* exact: y has <= 24 bits */
  r->loss = ym * t.sp + y * t.sn;
  double A = ym * t.sz, B = y * t.snz;
  r->grad = A - B;
  r->terms = A + B;
  if (r->grad == 0 && z != 0)
    r->grad = y == 1 ? -0.0 : 0.0;       /* the sign of the tiny truth */
}

#endif
