/* cce.c -- categorical cross-entropy: the forms of cce_body.h for every
 * format, the registry, and the correctly rounded reference.
 *
 * Reference error analysis at working precision w (u = 2^-w), for logits
 * in G groups (value v_g repeated c_g times), m = max v_g, a group a
 * holding a maximum:
 *   d_g = m - v_g             to w + 70 bits: absolute error below u/64
 *                             for every d_g < 2^64 (beyond, exp(-d_g)
 *                             underflows even MPFR's widest range)
 *   e_g = exp(-d_g)           relative error 2u
 *   S = (c_a - 1) + sum_{g != a} c_g e_g    positive terms: (G + 3) u
 *   lse = log1p(S)            (G + 5) u (log1p's condition number <= 1)
 *   q_t = 1 - eps + eps/K, q_o = eps/K      3u
 *   L = q_t d_t + q_o sum c_g d_g (less d_t) + lse: non-negative terms,
 *                             |L~ - L| <= (2G + 16) u L~
 *   p_g = e_g / (1 + S)       (G + 9) u;  dL/dz = p_g - q:
 *                             |g~ - g| <= (G + 12) u (p_g + q)
 * and the precision doubles until the error interval rounds to one value
 * of the format, as in reference.c.  When every logit is equal, p = 1/K
 * is rational and p - q may be a rounding boundary: the loop then stops
 * at W_MAX bits, where the result is exact to far below any format's
 * spacing.
 */
#include <config.h>

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cce.h"
#include "cli.h"
#include "parse.h"
#include "reference.h"

#include "forms_ops.h"
#define SET(v, expr) ((v) = (expr))
#define KC(c) ((T) k->c)
#define AT(i) ((void) 0)

#define BODY "cce_body.h"
#include "per_format.h"

/* ---- uniform entry points: long double arrays in and out ---- */
#define WRAP(form, suffix, type)                                          \
  static void form##_##suffix##_ld (const long double *z, long n, long t, \
                                    const struct cce_k *k,                \
                                    long double *loss, long double *grad) \
  {                                                                       \
    type *buf = xmalloc (4 * (size_t) n * sizeof *buf);                   \
    type *zz = buf, *e = buf + n, *g = buf + 3 * n, l;                    \
    for (long i = 0; i < n; i++)                                          \
      zz[i] = (type) z[i];                                                \
    form##_##suffix (zz, n, t, k, e, &l, grad ? g : NULL);                \
    *loss = l;                                                            \
    if (grad)                                                             \
      for (long i = 0; i < n; i++)                                        \
        grad[i] = g[i];                                                   \
    free (buf);                                                           \
  }
#define WRAP_ALL(form) FORMAT_WRAP_ALL (form)

WRAP_ALL (softmax_naive)
WRAP_ALL (softmax_shifted)
WRAP_ALL (log_softmax)

#define EVALS(form) FORMAT_EVALS (form)

const cce_info cce_table[CCE_COUNT] = {
  { CCE_NAIVE, "softmax-naive",
    "exp, normalise, log: exp(z) overflows past log(max) (88.7 in float)",
    "e_i = exp(z_i); p_t = e_t / sum(e); L = -log(p_t)",
    EVALS (softmax_naive) },
  { CCE_SHIFTED, "softmax-shifted",
    "the same on z - max(z): no overflow, but p_t can underflow to 0",
    "m = max(z); e_i = exp(z_i - m); p_t = e_t / sum(e); L = -log(p_t)",
    EVALS (softmax_shifted) },
  { CCE_LOGSOFTMAX, "log-softmax",
    "z_t - m - log1p(sum of exp(z_i - m) but the max's): never overflows",
    "m = z_a = max(z); L = -((z_t - m) - log1p(sum_{i!=a} exp(z_i - m)))",
    EVALS (log_softmax) },
};

const cce_info *
cce_by_name (const char *name)
{
  for (int i = 0; i < CCE_COUNT; i++)
    if (strcmp (cce_table[i].name, name) == 0)
      return &cce_table[i];
  return NULL;
}

const char *
cce_names (void)
{
  return "softmax-naive, softmax-shifted, log-softmax";
}

int
cce_parse_forms (const char *s, int *ids, int *n, char *err)
{
  char **v, b[64];
  size_t count;
  if (parse_list ("--form", s, &v, &count, err))
    return -1;
  int seen[CCE_COUNT] = { 0 }, r = 0;
  *n = 0;
  for (size_t i = 0; i < count && !r; i++)
    {
      if (strcmp (v[i], "all") == 0)
        {
          for (int k = 0; k < CCE_COUNT; k++)
            if (!seen[k])
              seen[k] = 1, ids[(*n)++] = k;
          continue;
        }
      const cce_info *f = cce_by_name (v[i]);
      if (!f)
        {
          snprintf (err, PARSE_ERR, "unknown categorical form '%s' (try: %s)",
                    parse_shown (v[i], b, sizeof b), cce_names ());
          r = -1;
        }
      else if (seen[f->id])
        {
          snprintf (err, PARSE_ERR, "--form: '%s' given twice", f->name);
          r = -1;
        }
      else
        seen[f->id] = 1, ids[(*n)++] = f->id;
    }
  parse_list_free (v, count);
  return r;
}

void
cce_k_init (struct cce_k *k, const fmt_info *f, double eps, long n)
{
  /* as a framework: Python floats (doubles), converted to the tensor's
     type */
  k->smooth = eps > 0;
  k->w_t = fmt_round (f, 1.0 - eps);
  k->w_s = fmt_round (f, eps / (double) n);
  k->q_o = k->w_s;
  k->q_t = fmt_round (f, 1.0 - eps + eps / (double) n);
}

/* ---- the reference ---- */

#define W_MAX 65536

void
cce_ref_init (cce_ref *r, int groups)
{
  mpfr_init2 (r->loss, 64);
  mpfr_init2 (r->grad_t, 64);
  r->groups = groups;
  r->grad = xmalloc ((size_t) groups * sizeof *r->grad);
  r->grad_rn = xmalloc ((size_t) groups * sizeof *r->grad_rn);
  for (int g = 0; g < groups; g++)
    mpfr_init2 (r->grad[g], 64);
}

void
cce_ref_clear (cce_ref *r)
{
  mpfr_clear (r->loss);
  mpfr_clear (r->grad_t);
  for (int g = 0; g < r->groups; g++)
    mpfr_clear (r->grad[g]);
  free (r->grad);
  free (r->grad_rn);
}

/* c u with c < 2^b: the exponent b for an error bound c * 2^-w.  */
static long
bound_bits (long c)
{
  long b = 0;
  while ((1L << b) < c)
    b++;
  return b;
}

/* The working values at precision W: D[g] = m - v_g, E[g] = exp(-D[g]),
   S (the sum without one maximum), Q_T, Q_O; returns the maximum's group. */
static int
working (const cce_logits *x, long double eps, long n, mpfr_prec_t w,
         mpfr_t *D, mpfr_t *E, mpfr_ptr S, mpfr_ptr qt, mpfr_ptr qo)
{
  int a = 0;
  for (int g = 1; g < x->groups; g++)
    if (x->value[g] > x->value[a])
      a = g;
  mpfr_t m, t;
  mpfr_init2 (m, LDBL_MANT_DIG);
  mpfr_init2 (t, w);
  mpfr_set_ld (m, x->value[a], MPFR_RNDN);
  mpfr_set_prec (S, w);
  mpfr_set_ui (S, (unsigned long) (x->count[a] - 1), MPFR_RNDN);
  for (int g = 0; g < x->groups; g++)
    {
      mpfr_set_prec (D[g], w + 70);
      mpfr_set_prec (E[g], w);
      mpfr_set_ld (t, x->value[g], MPFR_RNDN);  /* exact: w > 64 */
      mpfr_sub (D[g], m, t, MPFR_RNDN);
      mpfr_neg (E[g], D[g], MPFR_RNDN);
      mpfr_exp (E[g], E[g], MPFR_RNDN);
      if (g != a)
        {
          mpfr_mul_ui (t, E[g], (unsigned long) x->count[g], MPFR_RNDN);
          mpfr_add (S, S, t, MPFR_RNDN);
        }
    }
  mpfr_set_prec (qt, w);
  mpfr_set_prec (qo, w);
  mpfr_set_ld (qo, eps, MPFR_RNDN);
  mpfr_div_ui (qo, qo, (unsigned long) n, MPFR_RNDN);
  mpfr_set_ld (t, eps, MPFR_RNDN);
  mpfr_ui_sub (qt, 1, t, MPFR_RNDN);
  mpfr_add (qt, qt, qo, MPFR_RNDN);
  mpfr_clears (m, t, (mpfr_ptr) 0);
  return a;
}

/* dL/dz of a member of group G whose target is Q, into OUT / *RN.  */
static void
ref_grad (const fmt_info *f, mpfr_ptr out, long double *rn, const cce_logits *x,
          long double eps, long n, int group, int target)
{
  int G = x->groups;
  mpfr_t *D = xmalloc ((size_t) G * sizeof *D), *E = xmalloc ((size_t) G * sizeof *E);
  mpfr_t S, qt, qo, p, err;
  for (int g = 0; g < G; g++)
    mpfr_init2 (D[g], 64), mpfr_init2 (E[g], 64);
  mpfr_inits2 (64, S, qt, qo, p, err, (mpfr_ptr) 0);
  long b = bound_bits (G + 12);
  for (mpfr_prec_t w = f->prec + 40;; w *= 2)
    {
      int a = working (x, eps, n, w, D, E, S, qt, qo);
      mpfr_ptr q = target ? qt : qo;
      mpfr_set_prec (p, w);
      mpfr_set_prec (out, w);
      mpfr_set_prec (err, 32);
      mpfr_add_ui (p, S, 1, MPFR_RNDN);
      if (x->value[group] == x->value[a])
        {
          /* a maximum: p = 1/(1+S) = 1 - S/(1+S), so p - q is written
             (1 - q) - S/(1+S): no cancellation when q = 1 */
          mpfr_div (p, S, p, MPFR_RNDN);
          mpfr_ui_sub (out, 1, q, MPFR_RNDN);
          mpfr_abs (err, out, MPFR_RNDU);
          mpfr_sub (out, out, p, MPFR_RNDN);
          mpfr_add (err, err, p, MPFR_RNDU);
          if (mpfr_zero_p (out) && mpfr_zero_p (S))
            {
              /* q = 1 and every other exp(-d) underflowed MPFR's range:
                 the exact -S/(1+S) is negative, below every subnormal */
              *rn = -0.0L;
              mpfr_set_zero (out, -1);
              break;
            }
        }
      else
        {
          mpfr_div (p, E[group], p, MPFR_RNDN);
          mpfr_sub (out, p, q, MPFR_RNDN);
          mpfr_add (err, p, q, MPFR_RNDU);
        }
      if (ref_negligible (f, err))
        {
          /* |p - q| below every subnormal: q = 0 (p > 0), or the target
             a maximum with q = 1 (-S/(1+S) < 0); OUT has the sign */
          *rn = mpfr_signbit (out) ? -0.0L : 0.0L;
          break;
        }
      mpfr_mul_2si (err, err, b - (long) w, MPFR_RNDU);
      if (ref_decided (f, out, err, rn))
        break;
      if (w >= W_MAX)
        {
          /* every logit equal (p = 1/K, rational), or the exps
             underflowed MPFR's range: exact to far below F's spacing */
          *rn = fmt_round_mpfr (f, out);
          break;
        }
    }
  for (int g = 0; g < G; g++)
    mpfr_clear (D[g]), mpfr_clear (E[g]);
  free (D);
  free (E);
  mpfr_clears (S, qt, qo, p, err, (mpfr_ptr) 0);
}

void
cce_ref_compute (cce_ref *r, const fmt_info *f, const cce_logits *x,
                 long double eps)
{
  int G = x->groups;
  assert (G == r->groups && x->tg >= 0 && x->tg < G);
  long n = 0;
  for (int g = 0; g < G; g++)
    n += x->count[g];
  mpfr_t *D = xmalloc ((size_t) G * sizeof *D), *E = xmalloc ((size_t) G * sizeof *E);
  mpfr_t S, qt, qo, t, err;
  for (int g = 0; g < G; g++)
    mpfr_init2 (D[g], 64), mpfr_init2 (E[g], 64);
  mpfr_inits2 (64, S, qt, qo, t, err, (mpfr_ptr) 0);
  long b = bound_bits (2 * G + 16);

  /* ---- the loss ---- */
  for (mpfr_prec_t w = f->prec + 40;; w *= 2)
    {
      working (x, eps, n, w, D, E, S, qt, qo);
      mpfr_set_prec (t, w);
      mpfr_set_prec (r->loss, w);
      mpfr_log1p (r->loss, S, MPFR_RNDN);
      /* q_t d_t + q_o (sum_g c_g d_g - d_t) */
      mpfr_mul (t, qt, D[x->tg], MPFR_RNDN);
      mpfr_add (r->loss, r->loss, t, MPFR_RNDN);
      if (eps != 0)
        for (int g = 0; g < G; g++)
          {
            long c = x->count[g] - (g == x->tg);
            if (c == 0)
              continue;
            mpfr_mul_ui (t, D[g], (unsigned long) c, MPFR_RNDN);
            mpfr_mul (t, t, qo, MPFR_RNDN);
            mpfr_add (r->loss, r->loss, t, MPFR_RNDN);
          }
      if (ref_negligible (f, r->loss))
        {
          r->loss_rn = 0.0L;
          break;
        }
      mpfr_set_prec (err, 32);
      mpfr_mul_2si (err, r->loss, b - (long) w, MPFR_RNDU);
      mpfr_abs (err, err, MPFR_RNDU);
      if (ref_decided (f, r->loss, err, &r->loss_rn))
        break;
      if (w >= W_MAX)
        {
          /* S = 0: every other exp(-d) underflowed MPFR's range (logits
             some 1e18 apart) and L is a sum of products of values of F,
             which may fall on a rounding boundary; at W_MAX bits it is
             exact to far below F's spacing */
          r->loss_rn = fmt_round_mpfr (f, r->loss);
          break;
        }
    }
  for (int g = 0; g < G; g++)
    mpfr_clear (D[g]), mpfr_clear (E[g]);
  free (D);
  free (E);
  mpfr_clears (S, qt, qo, t, err, (mpfr_ptr) 0);

  /* ---- the gradients ---- */
  ref_grad (f, r->grad_t, &r->grad_t_rn, x, eps, n, x->tg, 1);
  for (int g = 0; g < G; g++)
    if (x->count[g] > (g == x->tg))
      ref_grad (f, r->grad[g], &r->grad_rn[g], x, eps, n, g, 0);
    else
      {
        mpfr_set_nan (r->grad[g]);      /* no such member */
        r->grad_rn[g] = NAN;
      }
}
