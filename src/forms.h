/* forms.h -- the registry of BCE formulations.
 *
 * Each form is defined once in forms_body.h and instantiated for every
 * format; the registry gives its name, a one-line summary and its formula
 * (used by the command line, legends and docs), and a uniform entry point
 * that takes and returns values carried in long double.
 */
#ifndef BCELAB_FORMS_H
#define BCELAB_FORMS_H

#include "format.h"

/* Constants the forms use, each rounded to the format once (form_k_init):
   frameworks write them as literals of the tensor's type.  */
struct form_k {
  long double eps;              /* clamped: --eps */
  long double one_m_eps;        /* clamped: 1 - eps, rounded */
  long double keras_eps;        /* keras: backend epsilon 1e-7 */
  long double keras_one_m_eps;  /* keras: 1 - 1e-7 */
  long double torch_log_min;    /* torch: logs clamped at -100 */
  long double torch_eps;        /* torch backward: 1e-12 */
};

/* The same constants as floats, for the fast float loops (exhaustive,
   thresholds): read from long doubles they cost an x87 conversion at every
   use.  The values are equal (they were rounded to float already).  */
struct form_kf {
  float eps, one_m_eps, keras_eps, keras_one_m_eps, torch_log_min, torch_eps;
};

static inline struct form_kf
form_kf_of (const struct form_k *k)
{
  return (struct form_kf) { (float) k->eps, (float) k->one_m_eps,
                            (float) k->keras_eps, (float) k->keras_one_m_eps,
                            (float) k->torch_log_min, (float) k->torch_eps };
}

typedef enum {
  FORM_NAIVE,
  FORM_CLAMPED,
  FORM_STABLE,
  FORM_TORCH,
  FORM_KERAS,
  FORM_SOFTPLUS,
  FORM_COUNT
} form_id;

typedef void (*form_fn) (long double z, long double y,
                         const struct form_k *k,
                         long double *loss, long double *grad);

typedef struct {
  form_id id;
  const char *name;
  const char *summary;       /* one line, for --help and legends */
  const char *formula;       /* the loss, plain text */
  const char *gradient;      /* how dL/dz is computed */
  form_fn eval[FMT_COUNT];
} form_info;

extern const form_info form_table[FORM_COUNT];

/* The float instances called directly (no conversions), by form_id.  */
typedef void (*form_fn_float) (float z, float y, const struct form_k *k,
                               float *loss, float *grad);
extern const form_fn_float form_float[FORM_COUNT];

const form_info *form_by_name (const char *name);

/* "naive, clamped, stable, torch, keras, softplus" */
const char *form_names (void);

/* Round the constants for format F; EPS is the clamp epsilon (--eps).  */
void form_k_init (struct form_k *k, const fmt_info *f, double eps);

/* Evaluate form FORM in format FMT at logit Z and label Y (both values of
   the format): the loss and dL/dz, as the format's values.  */
static inline void
form_eval (const form_info *form, const fmt_info *fmt, long double z,
           long double y, const struct form_k *k, long double *loss,
           long double *grad)
{
  form->eval[fmt->id] (z, y, k, loss, grad);
}

/* The sigmoid as the naive form computes it in format F: 1/(1+exp(-z)).  */
long double form_sigmoid (const fmt_info *f, long double z);

/* BCE on a probability in double, the second half of the naive form
   (exposed for the golden tests of seed 003, which start from p).  */
double form_bce_prob_double (double p, double y, double *dl_dp);

#endif
