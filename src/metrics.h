/* metrics.h -- how far a computed value is from the reference.
 *
 * ULP error: |c - x| / ulp_F(x), x the exact value (to working precision),
 * ulp_F(x) the spacing of F in x's binade (the subnormal step below the
 * normal range).  Bits of error (Herbie's): log2(1 + |ord(c) - ord(RN(x))|),
 * ord the position among F's values: 0 when c is correctly rounded; a NaN
 * where x is not NaN counts as the format's width.  A result that is inf or
 * nan where x is finite is a status; its ULP error is then inf or nan.
 */
#ifndef BCELAB_METRICS_H
#define BCELAB_METRICS_H

#include "format.h"
#include "reference.h"

typedef enum {
  ST_OK,     /* a number (possibly far off: see ulp) */
  ST_INF,    /* +-inf where the exact value is finite */
  ST_NAN,    /* nan where the exact value is a number */
  ST_ZERO,   /* gradient only: 0 where the exact one rounds to non-zero */
  ST_SIGN,   /* gradient only: the opposite sign of the exact one */
  ST_COUNT
} status_id;

extern const char *const status_names[ST_COUNT];

typedef struct {
  double ulp;     /* error in ULPs of the format at the exact value */
  double bits;    /* bits of error */
  status_id status;
} metric;

/* Error of C against the exact value X (X_RN: X correctly rounded to F).
   GRAD selects the gradient statuses (zero, sign).  */
metric metric_eval (const fmt_info *f, long double c, mpfr_srcptr x,
                    long double x_rn, int grad);

/* The measurement V as the machine-readable files print it: "nan", "inf"
   or 17 significant digits, into BUF of size N; returns what snprintf
   returns.  */
int metric_snprint (char *buf, size_t n, double v);

/* M's ULP error, short, for people: "0", "0.38", "5738", "1.1e+07", or
   "inf" / "nan" for a status; BUF holds at least 32 bytes.  */
const char *metric_short (char *buf, metric m);

#endif
