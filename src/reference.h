/* reference.h -- the correctly rounded BCE loss and gradient, with MPFR.
 *
 * For a logit z and a label y that are values of a format, computes
 *   L(z, y) = y softplus(-z) + (1-y) softplus(z)      (= BCE, exactly)
 *   dL/dz  = (1-y) sigmoid(z) - y sigmoid(-z)          (= sigmoid(z) - y)
 * to a working precision whose error is bounded, widens the precision until
 * the bound decides the rounding (Ziv's strategy), and returns both the
 * high-precision value (to measure errors in ULPs) and the value correctly
 * rounded to the format.
 *
 * Defined outcomes for non-finite inputs: z = +inf gives L = 0 if y = 1 and
 * +inf otherwise, dL/dz = 1 - y; z = -inf gives L = 0 if y = 0 and +inf
 * otherwise, dL/dz = -y; z = nan gives nan for both.
 */
#ifndef BCELAB_REFERENCE_H
#define BCELAB_REFERENCE_H

#include <mpfr.h>
#include "format.h"

typedef struct {
  mpfr_t loss;          /* the loss to working precision (or exact) */
  mpfr_t grad;          /* the gradient to working precision (or exact) */
  long double loss_rn;  /* the loss correctly rounded to the format */
  long double grad_rn;  /* the gradient correctly rounded to the format */
  long prec;            /* the working precision that decided the loss */
} ref_value;

void ref_init (ref_value *r);
void ref_clear (ref_value *r);

/* Compute the reference for format F at (Z, Y); Z and Y must be values of
   F, Y in [0, 1].  Call ref_global_init once per thread first.  */
void ref_compute (ref_value *r, const fmt_info *f, long double z,
                  long double y);

/* Ziv's test: round both ends of [X - ERR, X + ERR] to F; if they agree
   (sign of zero included), store the value in *OUT and return 1.  */
int ref_decided (const fmt_info *f, mpfr_srcptr x, mpfr_srcptr err,
                 long double *out);

/* 1 if |X| is below a quarter of F's smallest subnormal even after an
   error of at most |X| 2^-20: it rounds to a zero of X's sign, and the
   interval test cannot be trusted (its bound may underflow).  */
int ref_negligible (const fmt_info *f, mpfr_srcptr x);

/* Widen MPFR's exponent range to its maximum in this thread.  */
void ref_global_init (void);

/* The threads to use for -j JOBS (0: OpenMP's default): 1 when MPFR's
   exponent range is not per thread (built without TLS).  */
int ref_threads (int jobs);

#endif
