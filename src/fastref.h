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

typedef struct {
  double loss;      /* the exact loss, to 2^-49 relative */
  double grad;      /* the exact gradient; see cancel */
  double terms;     /* A + B of the gradient: |error| <= 2^-49 terms */
} fastref;

static inline void
fastref_eval (double z, double y, fastref *r)
{
  double az = fabs (z);
  double e = exp (-az);
  double l = log1p (e);
  double d = 1 + e;
  double big = 1 / d, small = e / d;     /* sigmoid(|z|), sigmoid(-|z|) */
  double sp_pos = (z > 0 ? z : 0) + l;   /* softplus(z) */
  double sp_neg = (z < 0 ? -z : 0) + l;  /* softplus(-z) */
  double ym = 1 - y;                     /* exact: y has <= 24 bits */
  r->loss = ym * sp_pos + y * sp_neg;
  double A = ym * (z >= 0 ? big : small), B = y * (z >= 0 ? small : big);
  r->grad = A - B;
  r->terms = A + B;
  if (r->grad == 0 && z != 0)
    r->grad = y == 1 ? -0.0 : 0.0;       /* the sign of the tiny truth */
}

#endif
