/* fastref.h -- the exact loss and gradient in double, for inputs of the
 * narrow formats (half, bfloat16, float).
 *
 * The same non-cancelling expressions as the MPFR reference, evaluated in
 * double, with the C library's exp and log1p or with this file's
 * polynomials (for loops on vectors; each within 2^-51 of the value):
 * relative error below 2^-49 for the loss and for a gradient whose two
 * terms do not cancel (y in {0,1}: one term is zero).
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

/* The terms at Z from e = exp(-|z|) and l = log1p (e) (fastref_exp_neg_abs
   and log1p, or the polynomials below).  */
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

/* ---- the same terms without the C library, for loops on vectors ----

   exp(-A) for A >= 0 (A = |z|), to 2^-51 of itself down to the least
   normal double (below it, an absolute 2^-1075: the result is
   subnormal), 0 from 746 on.  No branch and no call, so that a loop of it
   runs on vectors.  The classic reduction (Cody and Waite, as in fdlibm):
   -A = k ln2 + r with k = round(-A / ln2), where ln2 = LN2_HI + LN2_LO and
   LN2_HI has 32 bits, so that k LN2_HI is exact (|k| <= 1077) and so is
   -A - k LN2_HI (Sterbenz); r, |r| <= 0.3466, then carries an error
   below 2^-54.  e^r is its Taylor polynomial of degree 13 (the remainder
   is below 2^-56.8 of e^r), by Horner's rule (each step's rounding below
   2^-53 of a term smaller than the one after it: about 2^-52 in all).
   2^k is applied in two exact steps, 2^(k+600) and 2^-600, the second
   rounding only where the result is subnormal.  */
static inline double
fastref_exp_neg_poly (double a)
{
  const double inv_ln2 = 0x1.71547652b82fep0, shifter = 0x1.8p52;
  const double ln2_hi = 0x1.62e42feep-1, ln2_lo = 0x1.a39ef35793c76p-33;
  double x = -(a < 746 ? a : 746);
  /* k = round(x / ln2): in the low bits of kd, and as a double */
  double kd = x * inv_ln2 + shifter, k = kd - shifter;
  double r = (x - k * ln2_hi) - k * ln2_lo;
  double p = 1 / 6227020800.0;                          /* 1/13! */
  p = p * r + 1 / 479001600.0;
  p = p * r + 1 / 39916800.0;
  p = p * r + 1 / 3628800.0;
  p = p * r + 1 / 362880.0;
  p = p * r + 1 / 40320.0;
  p = p * r + 1 / 5040.0;
  p = p * r + 1 / 720.0;
  p = p * r + 1 / 120.0;
  p = p * r + 1 / 24.0;
  p = p * r + 1 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1;
  p = p * r + 1;
  /* 2^(k+600): k + 600 + 1023 in the exponent field */
  uint64_t kb, sb;
  memcpy (&kb, &kd, 8);
  sb = (kb - 0x4338000000000000u + 600 + 1023) << 52;
  double scale;
  memcpy (&scale, &sb, 8);
  double e = p * scale * 0x1p-600;
  return a < 746 ? e : 0;
}

/* log1p(E) for 0 <= E <= 1, to 2^-51 of itself, with no branch and no
   call (fdlibm's method): 1 + E = 2^k (1 + f), with k = 1 and
   f = (E - 1)/2 in [-1/4, 0] (exact: Sterbenz) when E >= 1/2, else k = 0
   and f = E in [0, 1/2).  log(1+f) = 2 atanh(s), s = f/(2+f),
   |s| <= 1/5, which is f - (f^2/2 - s (f^2/2 + R)) with
   R = 2(s^2/3 + s^4/5 + ...), 11 terms (the rest is below 2^-60 of f).
   The leading f is exact, the terms after it are below a third of it,
   and s's two roundings weigh in at a fifth: below 2^-52.4 in all; then
   k ln2 adds two roundings of 2^-53.  */
static inline double
fastref_log1p_poly (double e)
{
  const double ln2 = 0x1.62e42fefa39efp-1;
  int big = e >= 0.5;
  double f = big ? (e - 1) * 0.5 : e;
  double s = f / (2 + f), w = s * s;
  double R = 2 / 23.0;
  R = R * w + 2 / 21.0;
  R = R * w + 2 / 19.0;
  R = R * w + 2 / 17.0;
  R = R * w + 2 / 15.0;
  R = R * w + 2 / 13.0;
  R = R * w + 2 / 11.0;
  R = R * w + 2 / 9.0;
  R = R * w + 2 / 7.0;
  R = R * w + 2 / 5.0;
  R = R * w + 2 / 3.0;
  R = R * w;
  double hfsq = 0.5 * f * f;
  double l = f - (hfsq - s * (hfsq + R));
  return big ? ln2 + l : l;
}

/* The terms at Z from the polynomials: no call, and, built with
   -fno-trapping-math (as the exhaustive engine is), no branch.  */
static inline void
fastref_terms_poly (double z, fastref_terms *t)
{
  double e = fastref_exp_neg_poly (fabs (z));
  fastref_terms_of (z, e, fastref_log1p_poly (e), t);
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
