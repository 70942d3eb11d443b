/* train.c -- `bcelab train`: seed 000's training comparison, and the stress
 * scenario where the two ways of computing BCE really part ways.
 *
 * Seed setup: make_classification(1000 samples, 20 features, 2 informative,
 * 2 redundant, seed 42), 80/20 split, standardised on the training part;
 * a single linear unit initialised as torch.nn.Linear (uniform in
 * +-1/sqrt(20)); full-batch gradient descent, lr 0.1, 100 epochs; both
 * models from the same initial weights: torch (BCELoss after a sigmoid)
 * against stable (BCEWithLogitsLoss).
 *
 * Stress: the same construction with features 100 times larger (raw units)
 * and no standardisation, so that the first logits are in the hundreds;
 * the learning rate is 1e-4, small enough for the larger features.  In
 * float, sigmoid(z) is then exactly 0 or 1 for most samples: the naive
 * form's loss is nan at once, BCELoss's gradient is exactly 0 for the
 * misclassified samples that saturate, and it stalls; BCEWithLogitsLoss's
 * gradient is sigmoid(z) - y = +-1 for each of them, and it keeps
 * training.  (docs/training.md)
 */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "commands.h"
#include "grid.h"
#include "outfile.h"
#include "plot.h"
#include "train.h"

#define STRESS_SCALE 100.0     /* features in "raw units" */
#define STRESS_LR 1e-4          /* the default learning rate of stress */

/* ---- instantiate train_body.h per format ---- */
#define T float
#define R(x) ((float) (x))
#define FN(n) n##_float
#include "train_body.h"
#undef T
#undef R
#undef FN
#define T double
#define R(x) ((double) (x))
#define FN(n) n##_double
#include "train_body.h"
#undef T
#undef R
#undef FN
#define T long double
#define R(x) ((long double) (x))
#define FN(n) n##_ldouble
#include "train_body.h"
#undef T
#undef R
#undef FN
#define T float
#define R(x) fmt_round_half (x)
#define FN(n) n##_half
#include "train_body.h"
#undef R
#undef FN
#define R(x) fmt_round_bf16 (x)
#define FN(n) n##_bf16
#include "train_body.h"
#undef R
#undef FN
#undef T

void
train_run (const train_setup *ts, const fmt_info *f, const form_info *form,
           train_result *r)
{
  struct form_k k;
  form_k_init (&k, f, 1e-7);
  r->loss = xcalloc ((size_t) ts->epochs, sizeof *r->loss);
  r->gnorm = xcalloc ((size_t) ts->epochs, sizeof *r->gnorm);
  r->dead = xcalloc ((size_t) ts->epochs, sizeof *r->dead);
  switch (f->id)
    {
    case FMT_HALF: train_run_half (ts, f, form, &k, r); break;
    case FMT_BF16: train_run_bf16 (ts, f, form, &k, r); break;
    case FMT_FLOAT: train_run_float (ts, f, form, &k, r); break;
    case FMT_DOUBLE: train_run_double (ts, f, form, &k, r); break;
    default: train_run_ldouble (ts, f, form, &k, r); break;
    }
}

void
train_result_free (train_result *r)
{
  free (r->loss);
  free (r->gnorm);
  free (r->dead);
  free (r->w);
}

void
train_prepare (train_setup *ts, const job *j, train_scenario scen)
{
  memset (ts, 0, sizeof *ts);
  dataset all;
  char what[512];
  if (j->data)
    {
      dataset_read_csv (j->data, &all);
      snprintf (what, sizeof what, "%s: %zu samples, %zu features", j->data,
                all.n, all.d);
    }
  else
    {
      mc_params p;
      mc_defaults (&p);
      p.samples = (size_t) j->samples;
      p.features = (size_t) j->features;
      p.seed = j->seed;
      if (scen == SCEN_STRESS)
        p.scale = STRESS_SCALE;
      const char *why;
      if (make_classification (&p, &all, &why) != 0)
        die ("cannot make the data set: %s", why);
      snprintf (what, sizeof what,
                "make_classification: %zu samples, %zu features (%zu informative,"
                " %zu redundant), seed %lu%s", p.samples, p.features,
                p.informative, p.redundant, p.seed,
                scen == SCEN_STRESS ? ", features x100" : "");
    }
  dataset_split (&all, 0.2, j->seed, &ts->train, &ts->test);
  dataset_free (&all);
  if (scen == SCEN_SEED)
    dataset_standardize (&ts->train, &ts->test);
  size_t d = ts->train.d;
  /* torch.nn.Linear: weights and bias uniform in +-1/sqrt(fan_in) */
  gsl_rng *r = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (r, j->seed + 1);
  double bound = 1 / sqrt ((double) d);
  ts->w0 = xcalloc (d, sizeof *ts->w0);
  for (size_t i = 0; i < d; i++)
    ts->w0[i] = (2 * gsl_rng_uniform (r) - 1) * bound;
  ts->b0 = (2 * gsl_rng_uniform (r) - 1) * bound;
  gsl_rng_free (r);
  ts->epochs = (int) j->epochs;
  ts->lr = j->lr > 0 ? j->lr : scen == SCEN_STRESS ? STRESS_LR : 0.1;
  size_t m = strlen (what) + 256;
  ts->what = xmalloc (m);
  snprintf (ts->what, m, "%s; %zu train / %zu test, %s; full-batch gradient "
            "descent, lr %g, %d epochs, the same initial weights", what,
            ts->train.n, ts->test.n,
            scen == SCEN_SEED ? "standardised" : "not standardised",
            ts->lr, ts->epochs);
}

void
train_setup_free (train_setup *ts)
{
  dataset_free (&ts->train);
  dataset_free (&ts->test);
  free (ts->w0);
  free (ts->what);
}

/* ---- data files and scripts ---- */

static const char *
model_name (int form)
{
  switch (form)
    {
    case FORM_TORCH: return "BCELoss + Sigmoid";
    case FORM_STABLE: return "BCEWithLogitsLoss";
    case FORM_NAIVE: return "sigmoid, then log (naive)";
    default: return form_table[form].summary;
    }
}

/* DIR/train-SCEN-FMT.dat: epoch, then per form loss and gradient norm.  */
static void
write_history (const char *dir, const char *scen, const fmt_info *f,
               const train_setup *ts, const int *forms, int nf,
               train_result *res)
{
  char name[128];
  snprintf (name, sizeof name, "train-%s-%s.dat", scen, f->name);
  outfile o;
  out_open (&o, dir, name);
  fprintf (o.fp, "# bcelab %s\n# command: %s\n# training: %s\n"
           "# format: %s (%s): every operation of the training in it\n",
           PACKAGE_VERSION, cli_command_line (), ts->what, f->name, f->ieee);
  for (int i = 0; i < nf; i++)
    {
      fprintf (o.fp, "# %s (%s): final loss %.9Lg, train accuracy %.4f, test accuracy %.4f\n"
               "# %s final weights (then the bias):", form_table[forms[i]].name,
               model_name (forms[i]), res[i].final_loss, res[i].train_acc,
               res[i].test_acc, form_table[forms[i]].name);
      for (size_t k = 0; k <= ts->train.d; k++)
        {
          fputc (' ', o.fp);
          fmt_print (o.fp, f, res[i].w[k], 0);
        }
      fputc ('\n', o.fp);
    }
  fputs ("# dead: misclassified training samples whose gradient is 0 or nan\n"
         "# epoch", o.fp);
  for (int i = 0; i < nf; i++)
    fprintf (o.fp, " %s_loss %s_gradnorm %s_dead", form_table[forms[i]].name,
             form_table[forms[i]].name, form_table[forms[i]].name);
  fputc ('\n', o.fp);
  for (int e = 0; e < ts->epochs; e++)
    {
      fprintf (o.fp, "%d", e);
      for (int i = 0; i < nf; i++)
        {
          fputc (' ', o.fp);
          fmt_print (o.fp, f, res[i].loss[e], 0);
          fprintf (o.fp, " %.17g %ld", res[i].gnorm[e], res[i].dead[e]);
        }
      fputc ('\n', o.fp);
    }
  out_commit (&o);
}

/* Train every (format, form) of a scenario; results in RES[p * nf + i].  */
static train_result *
run_all (const train_setup *ts, const int *fmts, int np, const int *forms,
         int nf)
{
  train_result *res = xcalloc ((size_t) (np * nf), sizeof *res);
  for (int p = 0; p < np; p++)
    for (int i = 0; i < nf; i++)
      train_run (ts, &fmt_table[fmts[p]], &form_table[forms[i]], &res[p * nf + i]);
  return res;
}

static void
free_all (train_result *res, int n)
{
  for (int i = 0; i < n; i++)
    train_result_free (&res[i]);
  free (res);
}

static const int seed_forms[] = { FORM_TORCH, FORM_STABLE };
static const int stress_forms[] = { FORM_NAIVE, FORM_TORCH, FORM_STABLE };

/* The job figures train with: the defaults.  */
static void
default_job (job *j, const job *from)
{
  memset (j, 0, sizeof *j);
  j->samples = 1000;
  j->features = 20;
  j->epochs = 100;
  j->lr = 0;                    /* the scenario's own */
  j->seed = from ? from->seed : 42;
}

int
train_write_panel_b_data (const char *dir, const job *from)
{
  job j;
  default_job (&j, from);
  train_setup ts;
  static const int fl[] = { FMT_FLOAT }, both[] = { FMT_FLOAT, FMT_DOUBLE };

  train_prepare (&ts, &j, SCEN_SEED);
  train_result *res = run_all (&ts, fl, 1, seed_forms, 2);
  write_history (dir, "seed", &fmt_table[FMT_FLOAT], &ts, seed_forms, 2, res);
  free_all (res, 2);
  train_setup_free (&ts);

  train_prepare (&ts, &j, SCEN_STRESS);
  res = run_all (&ts, both, 2, stress_forms, 3);
  for (int p = 0; p < 2; p++)
    write_history (dir, "stress", &fmt_table[both[p]], &ts, stress_forms, 3,
                   res + 3 * p);
  free_all (res, 6);
  train_setup_free (&ts);
  return 3;
}

void
train_gp_panel_b (FILE *fp)
{
  fputs ("set key top right\n"
         "plot \"train-seed-float.dat\" using 1:2 with lines ls 11 title \"BCELoss + Sigmoid\", \\\n"
         "     \"train-seed-float.dat\" using 1:5 with lines ls 14 title \"BCEWithLogitsLoss\"\n",
         fp);
}

void
train_gp_stress (FILE *fp)
{
  /* columns: epoch, then loss gradnorm dead for naive, torch, stable */
  static const char *const fmts[] = { "float", "double" };
  fputs ("set multiplot layout 2,2 title \"Stress: features x100, not standardised, lr 1e-4 -- "
         "sigmoid-then-log stalls, from-logits keeps training\" font \",14\"\n", fp);
  for (int p = 0; p < 2; p++)
    {
      fprintf (fp, "unset label\nset title \"training loss, %s\"\nset xlabel \"Epoch\"\n"
                   "set ylabel \"loss (log scale)\"\nset logscale y\n"
                   "set format y \"10^{%%L}\"\nset yrange [*:*]\nset key top right font \",9\"\n", fmts[p]);
      fprintf (fp, "plot \"train-stress-%s.dat\" using 1:(strcol(2) eq \"nan\" || strcol(2) eq \"inf\" ? 100 : NaN) with points ls %d pt 2 title \"naive: nan from epoch 0\", \\\n"
                   "     \"train-stress-%s.dat\" using 1:5 with lines ls %d title \"torch (BCELoss + Sigmoid)\", \\\n"
                   "     \"train-stress-%s.dat\" using 1:8 with lines ls %d title \"stable (BCEWithLogitsLoss)\"\n",
               fmts[p], gp_form_style (FORM_NAIVE), fmts[p], gp_form_style (FORM_TORCH),
               fmts[p], gp_form_style (FORM_STABLE));
    }
  for (int p = 0; p < 2; p++)
    {
      fprintf (fp, "unset logscale y\nset format y \"%% h\"\nset title \"misclassified samples with no gradient (0 or nan), %s\"\n"
                   "set xlabel \"Epoch\"\nset ylabel \"samples (of 800)\"\nset yrange [0:*]\n"
                   "set key top right font \",9\"\n", fmts[p]);
      fprintf (fp, "plot \"train-stress-%s.dat\" using 1:4 with lines ls %d title \"naive\", \\\n"
                   "     \"train-stress-%s.dat\" using 1:7 with lines ls %d title \"torch\", \\\n"
                   "     \"train-stress-%s.dat\" using 1:10 with lines ls %d title \"stable\"\n",
               fmts[p], gp_form_style (FORM_NAIVE), fmts[p], gp_form_style (FORM_TORCH),
               fmts[p], gp_form_style (FORM_STABLE));
    }
  fputs ("unset multiplot\n", fp);
}

/* ---- the command ---- */

int
cmd_train (const job *j)
{
  train_scenario scen = j->scenario;
  const int *forms = scen == SCEN_SEED ? seed_forms : stress_forms;
  int nf = scen == SCEN_SEED ? 2 : 3;
  if (j->given_form)
    {
      forms = j->form;
      nf = j->n_form;
    }
  train_setup ts;
  train_prepare (&ts, j, scen);
  train_result *res = run_all (&ts, j->precision, j->n_precision, forms, nf);

  const char *scen_name = scen == SCEN_SEED ? "seed" : "stress";
  if (j->output)
    {
      out_mkdir (j->output);
      for (int p = 0; p < j->n_precision; p++)
        write_history (j->output, scen_name, &fmt_table[j->precision[p]], &ts,
                       forms, nf, res + p * nf);
    }

  if (j->format == OUT_TEXT)
    printf ("Logistic regression (%s scenario): %s.\n\n", scen_name, ts.what);
  grid g;
  grid_init (&g, 7);
  grid_add_row (&g);
  const char *h[] = { "precision", "form", "model", "final_loss",
                      "train_accuracy", "test_accuracy", "first_nan_epoch" };
  for (int c = 0; c < 7; c++)
    grid_set (&g, (size_t) c, "%s", h[c]);
  for (int p = 0; p < j->n_precision; p++)
    for (int i = 0; i < nf; i++)
      {
        const fmt_info *f = &fmt_table[j->precision[p]];
        train_result *r = &res[p * nf + i];
        char buf[64];
        grid_add_row (&g);
        grid_set (&g, 0, "%s", f->name);
        grid_set (&g, 1, "%s", form_table[forms[i]].name);
        grid_set (&g, 2, "%s", model_name (forms[i]));
        grid_set (&g, 3, "%s", j->format == OUT_TEXT ? fmt_shortest (buf, f, r->final_loss)
                  : (fmt_snprint (buf, sizeof buf, f, r->final_loss, 0), buf));
        grid_set (&g, 4, "%.4f", r->train_acc);
        grid_set (&g, 5, "%.4f", r->test_acc);
        if (r->first_nan >= 0)
          grid_set (&g, 6, "%d", r->first_nan);
        else
          grid_set (&g, 6, "%s", j->format == OUT_TEXT ? "-" : "none");
      }
  grid_print (&g, stdout, j->format);
  grid_free (&g);
  free_all (res, j->n_precision * nf);
  train_setup_free (&ts);
  return 0;
}
