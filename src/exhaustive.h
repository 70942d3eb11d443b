/* exhaustive.h -- every value of a format, every form and label: the
 * statistics of the error, and partial results that merge exactly.  */
#ifndef BCELAB_EXHAUSTIVE_H
#define BCELAB_EXHAUSTIVE_H

#include <stdint.h>
#include "cli.h"
#include "format.h"

#define EX_BINS 34            /* bits of error: [0,1), [1,2), ..., [32,33), nan */
#define EX_MAX_ROWS (6 * 8)

/* The statistics of one (form, label).  */
typedef struct {
  uint64_t evals, cr, ulp1, inf, nan, zero, sign;
  double max_ulp;             /* the largest finite ULP error */
  uint64_t max_at;            /* its bit pattern (the first in pattern order) */
  double gmax_ulp;            /* the gradient's largest finite ULP error */
  uint64_t gmax_at;
  uint64_t hist[EX_BINS];     /* bits of error of the loss */
} ex_stats;

typedef struct {
  const fmt_info *f;
  int forms[6], nf;
  char labels[8][32];
  int nl;
  double eps;
  uint64_t lo, hi;            /* bit patterns [lo, hi) */
  int shard, nshards;         /* 0/1 for a whole run */
  ex_stats row[EX_MAX_ROWS];  /* row label * nf + form */
  uint64_t fallbacks;         /* float: (logit, label) pairs decided by MPFR */
} ex_run;

/* Combine B into A (the same format, forms, labels, eps; B's range must
   follow A's): counts add, maxima keep the first in pattern order.  */
void ex_merge (ex_run *a, const ex_run *b);

/* Run the range [r->lo, r->hi) with JOBS threads; PROGRESS on stderr.  */
void ex_compute (ex_run *r, int jobs, int progress);

int cmd_exhaustive (const job *j);
int cmd_merge (const job *j);

#endif
