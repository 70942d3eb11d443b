/* thresholds.h -- breakdown points (docs/thresholds.md).
 *
 * For a form, a format, a label and a side of zero, the first logit going
 * outward from 0 at which the form (a) returns inf or nan, (b) is more
 * than 1 ULP off, (c) more than 2^(p/2) ULPs off, (d) returns a gradient
 * that is zero, nan, or off by more than 50% (and by more than an ULP).
 */
#ifndef BCELAB_THRESHOLDS_H
#define BCELAB_THRESHOLDS_H

#include "format.h"
#include "forms.h"

typedef enum { CR_INF, CR_ULP1, CR_HALF, CR_GRAD, CR_COUNT } criterion;

extern const char *const criterion_names[CR_COUNT];

typedef enum {
  M_NONE,          /* no breakdown: exhaustive, or no sample and no bisection */
  M_EXHAUSTIVE,    /* every value of the format was checked */
  M_BISECTION,     /* bisection, the neighbourhood consistent (monotone) */
  M_NONMONOTONE,   /* bisection, but values before it fail too: the first
                      failure among the samples and neighbours */
  M_SAMPLED,       /* float outside the active range: binade samples */
} th_method;

extern const char *const method_names[];

typedef struct {
  int found;
  long double z;         /* the breakdown logit */
  th_method method;
  long double predicted; /* the closed form, or NAN */
  const char *why;       /* the closed form's derivation, or NULL */
} th_point;

/* Find the breakdown points of FORMS (N of them) in format F for the NY
   labels YS (values of F) on side SIDE (+1 or -1):
   OUT[(label * N + form) * CR_COUNT + criterion].  JOBS threads (0: all).  */
void thresholds_find (const fmt_info *f, const int *forms, int n,
                      const long double *ys, int ny, int side, double eps,
                      int jobs, th_point *out);

/* The closed form for one breakdown point, or NAN (and WHY: a line).  */
long double threshold_predict (const fmt_info *f, int form, long double y,
                               int side, criterion c, double eps,
                               const char **why);

/* 1 if P's found and predicted values agree to the stated tolerance, 0 if
   not, -1 if there is no closed form.  */
int threshold_agrees (const fmt_info *f, const th_point *p);

/* Does criterion C fail at Z?  (The same test the scan uses; for tests.)  */
int threshold_fails (const fmt_info *f, int form, long double z,
                     long double y, double eps, criterion c);

#endif
