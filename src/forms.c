/* forms.c -- instantiate forms_body.h for every format; the registry.
 *
 * per_format.h does the instantiating: float, double and long double use
 * the C library directly (expf, logf, log1pf, ...); half and bfloat16
 * compute each operation in float and round the result to the format, as
 * frameworks emulate them on CPUs.
 */
#include <config.h>

#include <float.h>
#include <math.h>
#include <string.h>

#include "forms.h"

#include "forms_ops.h"
#define BODY "forms_body.h"
#include "per_format.h"

/* ---- uniform entry points: long double in and out ---- */
#define WRAP(form, suffix, type)                                         \
  static void form##_##suffix##_ld (long double z, long double y,       \
                                    const struct form_k *k,             \
                                    long double *loss, long double *grad) \
  {                                                                     \
    type l, g;                                                          \
    form##_##suffix ((type) z, (type) y, k, &l, &g);                    \
    *loss = l;                                                          \
    *grad = g;                                                          \
  }
#define WRAP_ALL(form) FORMAT_WRAP_ALL (form)

WRAP_ALL (naive)
WRAP_ALL (clamped)
WRAP_ALL (stable)
WRAP_ALL (torch)
WRAP_ALL (keras)
WRAP_ALL (softplus)

/* The float instances, for the loops that must be fast.  */
const form_fn_float form_float[FORM_COUNT] = {
  naive_float, clamped_float, stable_float, torch_float, keras_float,
  softplus_float
};

#define EVALS(form) FORMAT_EVALS (form)

const form_info form_table[FORM_COUNT] = {
  { FORM_NAIVE, "naive",
    "sigmoid, then the textbook log-likelihood",
    "p = 1/(1+exp(-z)); L = -(y*log(p) + (1-y)*log(1-p))",
    "reverse mode through every operation", EVALS (naive) },
  { FORM_CLAMPED, "clamped",
    "as naive, with p clamped to [eps, 1-eps] (the seed's BCE+Sigmoid)",
    "p = clamp(1/(1+exp(-z)), eps, 1-eps); L = -(y*log(p) + (1-y)*log(1-p))",
    "reverse mode; zero where the clamp is active", EVALS (clamped) },
  { FORM_STABLE, "stable",
    "from logits: BCEWithLogitsLoss's max(z,0) - z*y + log1p(exp(-|z|))",
    "L = max(z,0) - z*y + log1p(exp(-|z|))",
    "sigmoid(z) - y, sigmoid from exp(-|z|)", EVALS (stable) },
  { FORM_TORCH, "torch",
    "PyTorch BCELoss on sigmoid(z): logs clamped at -100",
    "p = sigmoid(z); L = (y-1)*max(log1p(-p),-100) - y*max(log(p),-100)",
    "(p-y)/max((1-p)*p, 1e-12), times (1-p)*p", EVALS (torch) },
  { FORM_KERAS, "keras",
    "Keras binary_crossentropy on probabilities: clip to [1e-7, 1-1e-7]",
    "p = clip(sigmoid(z), 1e-7, 1-1e-7); L = -(y*log(p) + (1-y)*log(1-p))",
    "reverse mode through the clip, then sigmoid's g*p*(1-p)",
    EVALS (keras) },
  { FORM_SOFTPLUS, "softplus",
    "y*softplus(-z) + (1-y)*softplus(z): no cancellation for soft labels",
    "L = y*softplus(-z) + (1-y)*softplus(z), softplus(x) = max(x,0) + log1p(exp(-|x|))",
    "(1-y)*sigmoid(z) - y*sigmoid(-z), reverse mode", EVALS (softplus) },
};

const form_info *
form_by_name (const char *name)
{
  for (int i = 0; i < FORM_COUNT; i++)
    if (strcmp (form_table[i].name, name) == 0)
      return &form_table[i];
  return NULL;
}

const char *
form_names (void)
{
  return "naive, clamped, stable, torch, keras, softplus";
}

void
form_k_init (struct form_k *k, const fmt_info *f, double eps)
{
  /* Like a framework, the constants are double literals (Python floats)
     converted to the tensor's type: 1 - eps is computed in double first.  */
  k->eps = fmt_round (f, eps);
  k->one_m_eps = fmt_round (f, 1.0 - eps);
  k->keras_eps = fmt_round (f, 1e-7);
  k->keras_one_m_eps = fmt_round (f, 1.0 - 1e-7);
  k->torch_log_min = fmt_round (f, -100.0);
  k->torch_eps = fmt_round (f, 1e-12);
}

long double
form_sigmoid (const fmt_info *f, long double z)
{
  long double e, d;
  switch (f->id)
    {
    case FMT_HALF:
      {
        float fe, fd;
        return sigmoid_fwd_half ((float) z, &fe, &fd);
      }
    case FMT_BF16:
      {
        float fe, fd;
        return sigmoid_fwd_bf16 ((float) z, &fe, &fd);
      }
    case FMT_FLOAT:
      {
        float fe, fd;
        return sigmoid_fwd_float ((float) z, &fe, &fd);
      }
    case FMT_DOUBLE:
      {
        double de, dd;
        return sigmoid_fwd_double ((double) z, &de, &dd);
      }
    default:
      return sigmoid_fwd_ldouble (z, &e, &d);
    }
}

double
form_bce_prob_double (double p, double y, double *dl_dp)
{
  return bce_prob_double (p, y, dl_dp);
}
