/* cce.h -- categorical cross-entropy over K classes.
 *
 * The loss of logits z_0 .. z_{K-1} with true class t is
 *   L = -log softmax(z)_t = log(sum_i exp(z_i)) - z_t,
 * and with label smoothing eps (seed 001) the targets are
 *   q_t = 1 - eps + eps/K,  q_i = eps/K (i != t),   L = -sum_i q_i log p_i,
 * computed as PyTorch's cross_entropy(label_smoothing=eps) does:
 *   L = (1 - eps) (-log p_t) + (eps/K) sum_i (-log p_i).
 * The gradient is dL/dz_i = p_i - q_i (seed 003).
 *
 * Three forms, written once in cce_body.h and instantiated per format like
 * the BCE forms:
 *   softmax-naive    e_i = exp(z_i), p = e / sum e, L = -log p_t
 *   softmax-shifted  the same on z - max z (no overflow, but p_t can still
 *                    underflow to 0 and its log be -inf)
 *   log-softmax      log p_i = (z_i - m) - log1p(sum_{i != a} exp(z_i - m)),
 *                    m = z_a the maximum (Blanchard, Higham and Higham 2021)
 * Sums run in the format, pairwise (as vectorised and GPU reductions do).
 *
 * The reference (cce_ref_compute) takes the logits as groups of equal
 * values with multiplicities, so that K = 50257 classes of which 50256
 * share a logit cost two terms, and is correctly rounded (Ziv's strategy,
 * as reference.c).
 */
#ifndef BCELAB_CCE_H
#define BCELAB_CCE_H

#include <mpfr.h>
#include "format.h"

typedef enum {
  CCE_NAIVE,
  CCE_SHIFTED,
  CCE_LOGSOFTMAX,
  CCE_COUNT
} cce_id;

/* The constants of label smoothing, each rounded to the format once.  */
struct cce_k {
  long double w_t;      /* 1 - eps: the weight of -log p_t */
  long double w_s;      /* eps / K: the weight of sum -log p_i */
  long double q_t;      /* 1 - eps + eps/K: the target of class t */
  long double q_o;      /* eps / K: the target of the others */
  int smooth;           /* eps > 0 */
};

/* Evaluate in the format: Z holds K values of the format, T the true
   class; the loss into *LOSS and, when GRAD is not NULL, dL/dz_i into
   GRAD[i].  */
typedef void (*cce_fn) (const long double *z, long n, long t,
                        const struct cce_k *k, long double *loss,
                        long double *grad);

typedef struct {
  cce_id id;
  const char *name;
  const char *summary;
  const char *formula;
  cce_fn eval[FMT_COUNT];
} cce_info;

extern const cce_info cce_table[CCE_COUNT];

const cce_info *cce_by_name (const char *name);
const char *cce_names (void);       /* "softmax-naive, ..." */

/* A list of categorical form names, or "all", into IDS (parse.h's rules:
   0, or -1 and a one-line reason in ERR).  */
int cce_parse_forms (const char *s, int *ids, int *n, char *err);

/* Round the smoothing constants for K classes to F; EPS in [0, 1).  */
void cce_k_init (struct cce_k *k, const fmt_info *f, double eps, long n);

/* ---- the reference ---- */

/* Logits as groups: VALUE[g] repeated COUNT[g] times; the true class is a
   member of group TG.  */
typedef struct {
  const long double *value;
  const long *count;
  int groups;
  int tg;
} cce_logits;

typedef struct {
  mpfr_t loss;
  long double loss_rn;          /* correctly rounded to the format */
  int groups;
  mpfr_t *grad;                 /* dL/dz of a member of each group... */
  long double *grad_rn;         /* ...correctly rounded */
  mpfr_t grad_t;                /* dL/dz_t of the true class */
  long double grad_t_rn;
} cce_ref;

void cce_ref_init (cce_ref *r, int groups);
void cce_ref_clear (cce_ref *r);

/* The exact loss and gradient for the finite logits X in F with smoothing
   EPS (a value of F in [0, 1)).  Call ref_global_init once per thread.  */
void cce_ref_compute (cce_ref *r, const fmt_info *f, const cce_logits *x,
                      long double eps);

#endif
