/* cce_cmd.c -- `bcelab cce`: categorical cross-entropy over K classes.
 *
 * The logits are the true class's logit g (the gap) against K - 1 logits
 * at 0 (all shifted by --offset), or one vector given with --logits.
 *
 *   bcelab cce                    a table at chosen gaps (--at), K = 10
 *   bcelab cce --logits=1,2,2 --target=1 --grad    one vector, every class
 *   bcelab cce -o DIR             gap sweeps for K = 2, 10, 1000, 50257,
 *                                 the two-logit bridge to BCE, figures
 *   bcelab cce --thresholds       where each form first turns inf or nan,
 *                                 beside the closed form
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
# include <omp.h>
#endif

#include "cce.h"
#include "commands.h"
#include "grid.h"
#include "metrics.h"
#include "outfile.h"
#include "plot.h"
#include "reference.h"
#include "rowbuf.h"
#include "sweep.h"

static const char *const default_gaps[] = {
  "-120", "-100", "-20", "0", "20", "88", "89", "100", "1000"
};
static const long sweep_classes[] = { 2, 10, 1000, 50257 };

#define CHUNK 64

/* ---- one gap: the logits, the reference, the forms ---- */

typedef struct {
  long double other, zt;        /* K - 1 logits at OTHER, the true one ZT */
  long n;                       /* K */
} gap_vec;

static gap_vec
gap_make (const fmt_info *f, long n, double offset, long double g)
{
  gap_vec v;
  v.n = n;
  v.other = fmt_round (f, offset);
  v.zt = offset == 0 ? g : fmt_round (f, v.other + g);
  return v;
}

/* Evaluate form ID on V (the true class last); grad of the true class.  */
static void
gap_eval (int id, const fmt_info *f, const gap_vec *v, const struct cce_k *k,
          long double *loss, long double *grad_t, long double *z,
          long double *g)
{
  for (long i = 0; i < v->n - 1; i++)
    z[i] = v->other;
  z[v->n - 1] = v->zt;
  cce_table[id].eval[f->id] (z, v->n, v->n - 1, k, loss, grad_t ? g : NULL);
  if (grad_t)
    *grad_t = g[v->n - 1];
}

static void
gap_ref (cce_ref *r, const fmt_info *f, const gap_vec *v, long double eps)
{
  long double val[2] = { v->other, v->zt };
  long cnt[2] = { v->n - 1, 1 };
  cce_logits x = { val, cnt, 2, 1 };
  cce_ref_compute (r, f, &x, eps);
}

static int
forms_of (const job *j, int *ids)
{
  if (j->given_cform)
    {
      memcpy (ids, j->cform, (size_t) j->n_cform * sizeof *ids);
      return j->n_cform;
    }
  for (int i = 0; i < CCE_COUNT; i++)
    ids[i] = i;
  return CCE_COUNT;
}

static long double
smoothing_of (const job *j, const fmt_info *f)
{
  return fmt_round (f, j->smoothing);
}

/* ---- the table at chosen gaps ---- */

static void
table_gaps (const job *j, const int *forms, int nf, grid *machine)
{
  size_t nz = j->at.n ? j->at.n : sizeof default_gaps / sizeof *default_gaps;
  const char *const *zt = j->at.n ? (const char *const *) j->at.text
                                  : default_gaps;
  long def[1] = { 10 };
  const long *ks = j->n_classes ? j->classes : def;
  int nk = j->n_classes ? j->n_classes : 1;
  for (int pi = 0; pi < j->n_precision; pi++)
    for (int ki = 0; ki < nk; ki++)
      {
        const fmt_info *f = &fmt_table[j->precision[pi]];
        long n = ks[ki];
        long double eps = smoothing_of (j, f);
        struct cce_k k;
        cce_k_init (&k, f, (double) eps, n);
        long double *z = xcalloc ((size_t) n, sizeof *z);
        long double *gv = xcalloc ((size_t) n, sizeof *gv);
        grid tl, tg;
        for (int which = 0; which < 2; which++)
          {
            grid *t = which ? &tg : &tl;
            grid_init (t, 2 + 2 * (size_t) nf);
            grid_add_row (t);
            grid_set (t, 0, "gap");
            grid_set (t, 1, "exact");
            for (int i = 0; i < nf; i++)
              {
                grid_set (t, 2 + 2 * (size_t) i, "%s", cce_table[forms[i]].name);
                grid_set (t, 3 + 2 * (size_t) i, "ulp");
              }
          }
        cce_ref r;
        cce_ref_init (&r, 2);
        for (size_t i = 0; i < nz; i++)
          {
            long double g;
            char buf[64], eb[32];
            if (fmt_parse (f, zt[i], &g) != 0)
              die ("cannot read gap '%s'", zt[i]);
            if (!isfinite (g))
              die ("gap %s is not finite in %s", zt[i], f->name);
            gap_vec v = gap_make (f, n, j->offset, g);
            if (!isfinite (v.zt) || !isfinite (v.other))
              die ("gap %s with offset %g is beyond %s's range", zt[i],
                   j->offset, f->name);
            gap_ref (&r, f, &v, eps);
            grid_add_row (&tl);
            grid_add_row (&tg);
            grid_set (&tl, 0, "%s", fmt_shortest (buf, f, g));
            grid_set (&tg, 0, "%s", fmt_shortest (buf, f, g));
            grid_set (&tl, 1, "%s", fmt_shortest (buf, f, r.loss_rn));
            grid_set (&tg, 1, "%s", fmt_shortest (buf, f, r.grad_t_rn));
            for (int fi = 0; fi < nf; fi++)
              {
                long double l, gt;
                gap_eval (forms[fi], f, &v, &k, &l, &gt, z, gv);
                metric ml = metric_eval (f, l, r.loss, r.loss_rn, 0);
                metric mg = metric_eval (f, gt, r.grad_t, r.grad_t_rn, 1);
                grid_set (&tl, 2 + 2 * (size_t) fi, "%s", fmt_shortest (buf, f, l));
                grid_set (&tl, 3 + 2 * (size_t) fi, "%s", metric_short (eb, ml));
                grid_set (&tg, 2 + 2 * (size_t) fi, "%s", fmt_shortest (buf, f, gt));
                grid_set (&tg, 3 + 2 * (size_t) fi, "%s", metric_short (eb, mg));
                if (machine)
                  {
                    grid_add_row (machine);
                    grid_set (machine, 0, "%s", f->name);
                    grid_set (machine, 1, "%ld", n);
                    grid_set (machine, 2, "%s", cce_table[forms[fi]].name);
                    grid_set_value (machine, 3, f, g, j->hex);
                    grid_set_value (machine, 4, f, l, j->hex);
                    grid_set_value (machine, 5, f, r.loss_rn, j->hex);
                    grid_set_metric (machine, 6, ml.ulp);
                    grid_set_metric (machine, 7, ml.bits);
                    grid_set (machine, 8, "%s", status_names[ml.status]);
                    grid_set_value (machine, 9, f, gt, j->hex);
                    grid_set_value (machine, 10, f, r.grad_t_rn, j->hex);
                    grid_set_metric (machine, 11, mg.ulp);
                    grid_set (machine, 12, "%s", status_names[mg.status]);
                  }
              }
          }
        if (!machine)
          {
            char eb[64];
            const char *what[2] = { "Softmax cross-entropy", "Gradient dL/dz_t" };
            for (int which = 0; which < 1 + j->grad; which++)
              {
                if (j->format == OUT_MARKDOWN)
                  printf ("**%s, %s (%s), K = %ld**\n\n", what[which], f->name,
                          f->ieee, n);
                else
                  printf ("%s, %s (%s), K = %ld classes", what[which], f->name,
                          f->ieee, n);
                if (j->format != OUT_MARKDOWN)
                  {
                    if (j->offset != 0)
                      printf (", others at %s", fmt_shortest (eb, f, fmt_round (f, j->offset)));
                    if (eps != 0)
                      printf (", smoothing %s", fmt_shortest (eb, f, eps));
                    putchar ('\n');
                  }
                grid_print (which ? &tg : &tl, stdout, j->format);
                putchar ('\n');
              }
          }
        grid_free (&tl);
        grid_free (&tg);
        cce_ref_clear (&r);
        free (z);
        free (gv);
      }
}

/* One result of form FORM at column pair COL of G (the value, its short
   error) and, with MACHINE, its row there: WHAT ("loss", "grad") of
   class CLS ("" for the loss), against EXACT (EXACT_RN rounded).  */
static void
put_result (grid *g, grid *machine, size_t col, const fmt_info *f,
            const job *j, int form, const char *what, const char *cls,
            long double v, mpfr_ptr exact, long double exact_rn, int is_grad)
{
  char buf[64], eb[32];
  metric m = metric_eval (f, v, exact, exact_rn, is_grad);
  grid_set (g, col, "%s", fmt_shortest (buf, f, v));
  grid_set (g, col + 1, "%s", metric_short (eb, m));
  if (!machine)
    return;
  grid_add_row (machine);
  grid_set (machine, 0, "%s", f->name);
  grid_set (machine, 1, "%s", cce_table[form].name);
  grid_set (machine, 2, "%s", what);
  grid_set (machine, 3, "%s", cls);
  grid_set_value (machine, 4, f, v, j->hex);
  grid_set_value (machine, 5, f, exact_rn, j->hex);
  grid_set_metric (machine, 6, m.ulp);
  grid_set (machine, 7, "%s", status_names[m.status]);
}

/* ---- one vector, every class ---- */

static void
table_logits (const job *j, const int *forms, int nf, grid *machine)
{
  long n = (long) j->logits.n;
  long t = j->target < 0 ? 0 : j->target;
  long double *z = xcalloc ((size_t) n, sizeof *z);
  long double *gv = xcalloc ((size_t) n * (size_t) nf, sizeof *gv);
  long double *loss = xcalloc ((size_t) nf, sizeof *loss);
  long *cnt = xcalloc ((size_t) n, sizeof *cnt);
  for (int pi = 0; pi < j->n_precision; pi++)
    {
      const fmt_info *f = &fmt_table[j->precision[pi]];
      long double eps = smoothing_of (j, f);
      struct cce_k k;
      cce_k_init (&k, f, (double) eps, n);
      for (long i = 0; i < n; i++)
        {
          if (fmt_parse (f, j->logits.text[i], &z[i]) != 0 || !isfinite (z[i]))
            die ("logit %s is beyond %s's range", j->logits.text[i], f->name);
          cnt[i] = 1;
        }
      cce_logits x = { z, cnt, (int) n, (int) t };
      cce_ref r;
      cce_ref_init (&r, (int) n);
      cce_ref_compute (&r, f, &x, eps);
      for (int fi = 0; fi < nf; fi++)
        cce_table[forms[fi]].eval[f->id] (z, n, t, &k, &loss[fi],
                                          gv + (size_t) fi * (size_t) n);
      char buf[64];
      grid g;
      grid_init (&g, 3 + 2 * (size_t) nf);
      grid_add_row (&g);
      grid_set (&g, 0, "class");
      grid_set (&g, 1, "z");
      grid_set (&g, 2, "exact");
      for (int fi = 0; fi < nf; fi++)
        {
          grid_set (&g, 3 + 2 * (size_t) fi, "%s", cce_table[forms[fi]].name);
          grid_set (&g, 4 + 2 * (size_t) fi, "ulp");
        }
      grid_add_row (&g);
      grid_set (&g, 0, "loss");
      grid_set (&g, 1, "%s", "");
      grid_set (&g, 2, "%s", fmt_shortest (buf, f, r.loss_rn));
      for (int fi = 0; fi < nf; fi++)
        put_result (&g, machine, 3 + 2 * (size_t) fi, f, j, forms[fi], "loss",
                    "", loss[fi], r.loss, r.loss_rn, 0);
      if (j->grad)
        for (long i = 0; i < n; i++)
          {
            grid_add_row (&g);
            long double ex = i == t ? r.grad_t_rn : r.grad_rn[i];
            mpfr_ptr exm = i == t ? r.grad_t : r.grad[i];
            grid_set (&g, 0, "dL/dz_%ld%s", i, i == t ? " (true)" : "");
            grid_set (&g, 1, "%s", fmt_shortest (buf, f, z[i]));
            grid_set (&g, 2, "%s", fmt_shortest (buf, f, ex));
            char cls[24];
            snprintf (cls, sizeof cls, "%ld", i);
            for (int fi = 0; fi < nf; fi++)
              put_result (&g, machine, 3 + 2 * (size_t) fi, f, j, forms[fi],
                          "grad", cls, gv[(size_t) fi * (size_t) n + (size_t) i],
                          exm, ex, 1);
          }
      if (!machine)
        {
          if (j->format == OUT_MARKDOWN)
            printf ("**%s (%s), %ld logits, true class %ld**\n\n", f->name,
                    f->ieee, n, t);
          else
            {
              printf ("Softmax cross-entropy, %s (%s), %ld logits, true class %ld",
                      f->name, f->ieee, n, t);
              if (eps != 0)
                printf (", smoothing %s", fmt_shortest (buf, f, eps));
              putchar ('\n');
            }
          grid_print (&g, stdout, j->format);
          putchar ('\n');
        }
      grid_free (&g);
      cce_ref_clear (&r);
    }
  free (z);
  free (gv);
  free (loss);
  free (cnt);
}

/* ---- sweeps over the gap, to files ---- */

/* a value of the format f, after a space; a measurement */
#define PUTV(v) do { PUT (" "); len = row_value (row, len, f, (v), hex); } while (0)
#define PUTM(x) (len = row_metric (row, len, (x)))

typedef struct {
  const fmt_info *f;
  long n;
  const int *forms;
  int nf;
  long double eps;
  double offset;
  int hex;
} sweep_ctx;

/* One row of cce-FORMAT-kK.dat.  */
static void
gap_row (char *row, const sweep_ctx *c, long double g, cce_ref *r,
         long double *z, long double *gv)
{
  const fmt_info *f = c->f;
  int hex = c->hex;
  size_t len = 0;
  struct cce_k k;
  cce_k_init (&k, f, (double) c->eps, c->n);
  gap_vec v = gap_make (f, c->n, c->offset, g);
  row[0] = '\0';
  if (!isfinite (v.zt) || !isfinite (v.other))
    return;                     /* beyond the format: no row */
  gap_ref (r, f, &v, c->eps);
  int n0 = fmt_snprint (row, ROW_MAX, f, g, hex);
  len = n0 > 0 ? (size_t) n0 : 0;
  PUTV (v.zt);
  PUTV (v.other);
  PUTV (r->loss_rn);
  PUTV (r->grad_t_rn);
  for (int i = 0; i < c->nf; i++)
    {
      long double l, gt;
      gap_eval (c->forms[i], f, &v, &k, &l, &gt, z, gv);
      metric ml = metric_eval (f, l, r->loss, r->loss_rn, 0);
      metric mg = metric_eval (f, gt, r->grad_t, r->grad_t_rn, 1);
      PUTV (l);
      PUTM (ml.ulp);
      PUTM (ml.bits);
      PUT (" %s", status_names[ml.status]);
      PUTV (gt);
      PUTM (mg.ulp);
      PUT (" %s", status_names[mg.status]);
    }
  PUT ("\n");
}

static void
write_gap_sweep (const char *dir, const char *name, const sweep_ctx *c,
                 const grid_spec *gs, int jobs)
{
  const fmt_info *f = c->f;
  outfile o;
  out_open (&o, dir, name);
  char b[64];
  fprintf (o.fp, "# bcelab %s\n# command: %s\n", PACKAGE_VERSION,
           cli_command_line ());
  fprintf (o.fp, "# format: %s (%s), p = %d, emin = %ld, emax = %ld\n",
           f->name, f->ieee, f->prec, f->emin, f->emax);
  fprintf (o.fp, "# classes: K = %ld; the true class (the last) has logit "
           "offset + gap, the %ld others the offset %s\n", c->n, c->n - 1,
           fmt_shortest (b, f, fmt_round (f, c->offset)));
  fprintf (o.fp, "# smoothing: %s\n", fmt_shortest (b, f, c->eps));
  fprintf (o.fp, "# forms:");
  for (int i = 0; i < c->nf; i++)
    fprintf (o.fp, " %s", cce_table[c->forms[i]].name);
  fprintf (o.fp, "\n# grid: %zu gaps from %g to %g, %s\n", gs->n, gs->from,
           gs->to, gs->scale == SCALE_LIN ? "linear" : "symlog");
  fprintf (o.fp, "# reference: MPFR %s, correctly rounded to %s (cce.c)\n",
           mpfr_get_version (), f->name);
  fprintf (o.fp, "# status: ok inf nan zero sign (docs/definitions.md)\n");
  fprintf (o.fp, "# gap z_true z_other ref grad_ref");
  for (int i = 0; i < c->nf; i++)
    {
      const char *nm = cce_table[c->forms[i]].name;
      fprintf (o.fp, " %s_loss %s_ulp %s_bits %s_status %s_grad %s_grad_ulp "
               "%s_grad_status", nm, nm, nm, nm, nm, nm, nm);
    }
  fputc ('\n', o.fp);

  int threads = ref_threads (jobs);
  char *rows = xmalloc ((size_t) CHUNK * ROW_MAX);
  long double *gaps = xcalloc (CHUNK, sizeof *gaps);
  long double last = NAN;
  for (size_t start = 0; start < gs->n; start += CHUNK)
    {
      size_t m = 0;
      for (size_t i = start; i < gs->n && i < start + CHUNK; i++)
        {
          long double g = grid_point (gs, f, i);
          if (g == last)
            continue;
          gaps[m++] = last = g;
        }
#pragma omp parallel num_threads (threads)
      {
        cce_ref r;
        ref_global_init ();
        cce_ref_init (&r, 2);
        long double *z = xcalloc ((size_t) c->n, sizeof *z);
        long double *gv = xcalloc ((size_t) c->n, sizeof *gv);
#pragma omp for schedule (dynamic, 1)
        for (size_t i = 0; i < m; i++)
          gap_row (rows + i * ROW_MAX, c, gaps[i], &r, z, gv);
        free (z);
        free (gv);
        cce_ref_clear (&r);
      }
      for (size_t i = 0; i < m; i++)
        fputs (rows + i * ROW_MAX, o.fp);
    }
  free (rows);
  free (gaps);
  out_commit (&o);
}

/* cce-bridge-FORMAT.dat: softmax cross-entropy on (0, z), class 1, beside
   the BCE forms naive and stable on z with y = 1.  */
static void
write_bridge (const char *dir, const char *name, const fmt_info *f,
              const grid_spec *gs, int hex)
{
  static const int bce[] = { FORM_NAIVE, FORM_STABLE };
  outfile o;
  out_open (&o, dir, name);
  fprintf (o.fp, "# bcelab %s\n# command: %s\n", PACKAGE_VERSION,
           cli_command_line ());
  fprintf (o.fp, "# format: %s (%s)\n", f->name, f->ieee);
  fprintf (o.fp, "# the two-logit bridge (seed 002): softmax cross-entropy on "
           "(s0, s1) = (0, z), true class 1,\n# is BCE on z = s1 - s0 with "
           "y = 1; one exact value serves both (checked per row)\n");
  fprintf (o.fp, "# z ref");
  for (int i = 0; i < CCE_COUNT; i++)
    fprintf (o.fp, " %s_loss %s_bits", cce_table[i].name, cce_table[i].name);
  for (int i = 0; i < 2; i++)
    fprintf (o.fp, " bce-%s_loss bce-%s_bits", form_table[bce[i]].name,
             form_table[bce[i]].name);
  fputc ('\n', o.fp);
  struct cce_k k;
  cce_k_init (&k, f, 0, 2);
  struct form_k bk;
  form_k_init (&bk, f, 1e-7);
  cce_ref r;
  cce_ref_init (&r, 2);
  ref_value br;
  ref_init (&br);
  char row[ROW_MAX];
  long double last = NAN;
  for (size_t i = 0; i < gs->n; i++)
    {
      long double z = grid_point (gs, f, i);
      if (z == last || !isfinite (z))
        continue;
      last = z;
      long double v[2] = { 0, z };
      long cnt[2] = { 1, 1 };
      cce_logits x = { v, cnt, 2, 1 };
      cce_ref_compute (&r, f, &x, 0);
      ref_compute (&br, f, z, 1);
      if (r.loss_rn != br.loss_rn)
        die ("internal error: the two-logit references differ at z = %Lg", z);
      size_t len = 0;
      int n0 = fmt_snprint (row, ROW_MAX, f, z, hex);
      len = n0 > 0 ? (size_t) n0 : 0;
      PUTV (r.loss_rn);
      for (int id = 0; id < CCE_COUNT; id++)
        {
          long double l;
          cce_table[id].eval[f->id] (v, 2, 1, &k, &l, NULL);
          PUTV (l);
          PUTM (metric_eval (f, l, r.loss, r.loss_rn, 0).bits);
        }
      for (int b = 0; b < 2; b++)
        {
          long double l, g;
          form_eval (&form_table[bce[b]], f, z, 1, &bk, &l, &g);
          PUTV (l);
          PUTM (metric_eval (f, l, br.loss, br.loss_rn, 0).bits);
        }
      PUT ("\n");
      fputs (row, o.fp);
    }
  cce_ref_clear (&r);
  ref_clear (&br);
  out_commit (&o);
}

/* ---- gnuplot scripts ---- */

static const char *const cce_style[CCE_COUNT] = {
  "lc rgb '#d62728' lw 2 dt 1",
  "lc rgb '#ff7f0e' lw 2 dt 2",
  "lc rgb '#2ca02c' lw 2 dt 1",
};

static void
cce_styles (FILE *fp)
{
  for (int i = 0; i < CCE_COUNT; i++)
    fprintf (fp, "set style line %d %s   # %s\n", 21 + i, cce_style[i],
             cce_table[i].name);
}

static void
symlog_tics (FILE *fp, int d)
{
  fputs ("set xtics (\"0\" 0", fp);
  for (int k = d; k >= 1; k -= d > 4 ? 2 : 1)
    fprintf (fp, ", \"-10^{%d}\" symlog(-1e%d), \"10^{%d}\" symlog(1e%d)",
             k, k, k, k);
  fputs (")\n", fp);
}

static int
decades (const grid_spec *gs)
{
  double m = fmax (fabs (gs->from), fabs (gs->to));
  int d = (int) ceil (log10 (m > 10 ? m : 10));
  return d;
}

/* cce-FORMAT.gp: bits of error of each form against the gap, a panel per
   K.  */
static void
write_gap_script (const char *dir, const fmt_info *f, const long *ks, int nk,
                  const int *forms, int nf, const grid_spec *gs)
{
  char name[64], file[80];
  snprintf (name, sizeof name, "cce-%s", f->name);
  snprintf (file, sizeof file, "%s.gp", name);
  outfile o;
  out_open (&o, dir, file);
  FILE *fp = o.fp;
  int cols = nk > 1 ? 2 : 1, rows = (nk + 1) / 2;
  gp_begin (fp, name, "softmax cross-entropy: bits of error against the gap",
            cols * 560, rows * 400 + 60);
  cce_styles (fp);
  fprintf (fp, "set multiplot layout %d,%d title \"Softmax cross-entropy in %s: "
           "bits of error of the loss (0: correctly rounded; %d: nan)\" font \",13\"\n",
           rows, cols, f->name, f->width);
  for (int ki = 0; ki < nk; ki++)
    {
      char data[64];
      snprintf (data, sizeof data, "cce-%s-k%ld.dat", f->name, ks[ki]);
      fputs ("unset label; unset arrow; set autoscale\n", fp);
      fprintf (fp, "set title \"K = %ld classes\"\nset xlabel \"gap g = z_{true} - z_{other} (symlog)\"\n"
               "set ylabel \"bits of error\"\nset yrange [-0.5:%d]\n"
               "set key top center horizontal maxrows 2 font \",9\"\n", ks[ki],
               f->width + f->width / 3 + 4);
      symlog_tics (fp, decades (gs));
      fputs ("plot ", fp);
      for (int i = 0; i < nf; i++)
        fprintf (fp, "%s\"%s\" using (symlog($1)):(column(%d)) with lines ls %d title \"%s\"",
                 i ? ", \\\n     " : "", data, 6 + 7 * i + 2, 21 + forms[i],
                 cce_table[forms[i]].name);
      for (int i = 0; i < nf; i++)
        fprintf (fp, ", \\\n     \"%s\" using (symlog($1)):(strcol(%d) eq \"ok\" ? NaN : %d + 1 + 0.5*%d) "
                 "with points ls %d pt 2 ps 0.5 %s", data, 6 + 7 * i + 3,
                 f->width, i, 21 + forms[i], i ? "notitle" : "title \"inf / nan\"");
      fputc ('\n', fp);
    }
  fputs ("unset multiplot\n", fp);
  out_commit (&o);
}

/* cce-bridge.gp: a row per format: softmax cross-entropy on (0, z) on the
   left, BCE on z on the right.  */
static void
write_bridge_script (const char *dir, const int *fmts, int np,
                     const grid_spec *gs)
{
  outfile o;
  out_open (&o, dir, "cce-bridge.gp");
  FILE *fp = o.fp;
  gp_begin (fp, "cce-bridge", "two logits: softmax cross-entropy beside BCE",
            1120, np * 330 + 60);
  cce_styles (fp);
  fprintf (fp, "set multiplot layout %d,2 title \"Two logits (0, z): softmax "
           "cross-entropy, class 1 (left) is BCE on z, y = 1 (right): "
           "bits of error\" font \",13\"\n", np);
  for (int pi = 0; pi < np; pi++)
    {
      const fmt_info *f = &fmt_table[fmts[pi]];
      char data[64];
      snprintf (data, sizeof data, "cce-bridge-%s.dat", f->name);
      for (int side = 0; side < 2; side++)
        {
          fputs ("unset label; unset arrow; set autoscale\n", fp);
          fprintf (fp, "set title \"%s: %s\"\nset xlabel \"z = s_1 - s_0 (symlog)\"\n"
                   "set ylabel \"bits of error\"\nset yrange [-0.5:%d]\n"
                   "set key top center horizontal maxrows 2 font \",9\"\n", f->name,
                   side ? "BCE forms on z" : "softmax forms on (0, z)",
                   f->width + f->width / 3 + 4);
          symlog_tics (fp, decades (gs));
          fputs ("plot ", fp);
          if (!side)
            for (int i = 0; i < CCE_COUNT; i++)
              fprintf (fp, "%s\"%s\" using (symlog($1)):(column(%d)) with lines ls %d title \"%s\"",
                       i ? ", \\\n     " : "", data, 4 + 2 * i, 21 + i,
                       cce_table[i].name);
          else
            {
              fprintf (fp, "\"%s\" using (symlog($1)):(column(%d)) with lines ls %d title \"naive\", \\\n",
                       data, 4 + 2 * CCE_COUNT, gp_form_style (FORM_NAIVE));
              fprintf (fp, "     \"%s\" using (symlog($1)):(column(%d)) with lines ls %d title \"stable\"",
                       data, 6 + 2 * CCE_COUNT, gp_form_style (FORM_STABLE));
            }
          fputc ('\n', fp);
        }
    }
  fputs ("unset multiplot\n", fp);
  out_commit (&o);
}

static int
sweep_files (const job *j, const int *forms, int nf)
{
  const char *dir = j->output;
  out_mkdir (dir);
  const long *ks = j->n_classes ? j->classes : sweep_classes;
  int nk = j->n_classes ? j->n_classes : 4;
  grid_spec gs = { NULL, j->given_grid ? (size_t) j->points : 401,
                   j->given_grid ? j->from : -1e4, j->given_grid ? j->to : 1e4,
                   j->given_grid ? (grid_scale) j->scale : SCALE_SYMLOG };
  if (j->at.n)
    {
      gs.at = (const char *const *) j->at.text;
      gs.n = j->at.n;
    }
  int files = 0;
  for (int pi = 0; pi < j->n_precision; pi++)
    {
      const fmt_info *f = &fmt_table[j->precision[pi]];
      for (int ki = 0; ki < nk; ki++)
        {
          sweep_ctx c = { f, ks[ki], forms, nf, smoothing_of (j, f), j->offset,
                          j->hex };
          char name[64];
          snprintf (name, sizeof name, "cce-%s-k%ld.dat", f->name, ks[ki]);
          write_gap_sweep (dir, name, &c, &gs, j->jobs);
          files++;
        }
      char name[64];
      snprintf (name, sizeof name, "cce-bridge-%s.dat", f->name);
      write_bridge (dir, name, f, &gs, j->hex);
      write_gap_script (dir, f, ks, nk, forms, nf, &gs);
      files += 2;
    }
  write_bridge_script (dir, j->precision, j->n_precision, &gs);
  files++;
  int status = 0;
  const char *rendered = "gnuplot not found: scripts written, not rendered";
  if (gp_program () && !j->hex)
    {
      char script[64];
      for (int pi = 0; pi < j->n_precision && !status; pi++)
        {
          snprintf (script, sizeof script, "cce-%s.gp", fmt_table[j->precision[pi]].name);
          status = gp_render (dir, script, NULL) ? 1 : 0;
        }
      if (!status)
        status = gp_render (dir, "cce-bridge.gp", NULL) ? 1 : 0;
      rendered = status ? "rendering failed" : "rendered as PNG";
    }
  else if (j->hex)
    rendered = "hexadecimal data: scripts not rendered";
  printf ("%s: %d files (%s)\n", dir, files, rendered);
  return status;
}

/* ---- thresholds ---- */

/* Does form ID return inf or nan (CR 0) or lose half its digits (CR 1) at
   gap G with K classes?  */
static int
fails (int id, const fmt_info *f, long n, long double g, int cr, cce_ref *r,
       long double *z)
{
  struct cce_k k;
  cce_k_init (&k, f, 0, n);
  gap_vec v = gap_make (f, n, 0, g);
  long double l;
  gap_eval (id, f, &v, &k, &l, NULL, z, NULL);
  if (cr == 0)
    return !isfinite (l);
  if (!isfinite (l))
    return 1;
  gap_ref (r, f, &v, 0);
  metric m = metric_eval (f, l, r->loss, r->loss_rn, 0);
  return !(m.ulp <= ldexp (1, f->prec / 2));
}

typedef struct {
  int found;
  long double g;
} cce_th;

#define TH_SAMPLES 512

/* The first gap going outward from 0 on SIDE where CR fails: TH_SAMPLES
   values of the format evenly spaced in order (so evenly in each binade,
   and binade by binade), then bisection between the last sample that
   passes and the first that fails.  */
static cce_th
search (int id, const fmt_info *f, long n, int side, int cr, cce_ref *r,
        long double *z)
{
  cce_th t = { 0, 0 };
  long double big = fmt_from_ordinal (f, fmt_ordinal (f, INFINITY) - 1);
  __int128 top = fmt_ordinal (f, big), lo = 0, hi = -1;
  if (fails (id, f, n, 0, cr, r, z))
    {
      t.found = 1;
      return t;
    }
  for (int k = 1; k <= TH_SAMPLES; k++)
    {
      __int128 o = top * k / TH_SAMPLES;
      if (fails (id, f, n, side * fmt_from_ordinal (f, o), cr, r, z))
        {
          hi = o;
          break;
        }
      lo = o;
    }
  if (hi < 0)
    return t;
  while (hi - lo > 1)
    {
      __int128 mid = lo + (hi - lo) / 2;
      if (fails (id, f, n, side * fmt_from_ordinal (f, mid), cr, r, z))
        hi = mid;
      else
        lo = mid;
    }
  t.found = 1;
  t.g = side * fmt_from_ordinal (f, hi);
  return t;
}

/* The closed form of the inf/nan threshold, or NAN (none known) or INFINITY
   (none predicted).  Logits (0, ..., 0, g), no smoothing.  */
static long double
predict (int id, const fmt_info *f, long n, int side, const char **why)
{
  mpfr_t x, t;
  mpfr_inits2 (256, x, t, (mpfr_ptr) 0);
  long double out = INFINITY;
  *why = "no exp can overflow and log1p(s) >= 0: finite for every finite gap";
  if (side > 0 && id == CCE_NAIVE)
    {
      /* the sum e^g + (K - 1) reaches max + ulp(max)/2 and rounds to inf:
         g = log(max + ulp(max)/2 - (K - 1)) */
      long double big = fmt_from_ordinal (f, fmt_ordinal (f, INFINITY) - 1);
      mpfr_set_ld (x, big, MPFR_RNDN);
      mpfr_set_ui_2exp (t, 1, f->emax - f->prec, MPFR_RNDN);
      mpfr_add (x, x, t, MPFR_RNDN);
      mpfr_sub_ui (x, x, (unsigned long) (n - 1), MPFR_RNDN);
      mpfr_log (x, x, MPFR_RNDN);
      out = mpfr_get_ld (x, MPFR_RNDN);
      *why = "exp(g) + (K - 1) overflows: g = log(max + ulp(max)/2 - (K - 1))";
    }
  else if (side < 0 && id != CCE_LOGSOFTMAX)
    {
      /* p_t = e^g / (K - 1) rounds to 0 below half the smallest subnormal:
         g = (emin - p) log 2 + log(K - 1) */
      mpfr_set_ui (x, (unsigned long) (n - 1), MPFR_RNDN);
      mpfr_mul_2si (x, x, f->emin - f->prec, MPFR_RNDN);
      mpfr_log (x, x, MPFR_RNDN);
      out = mpfr_get_ld (x, MPFR_RNDN);
      *why = "p_t = e^g/(K - 1) underflows to 0, log 0 = -inf: "
             "g = (emin - p) log 2 + log(K - 1)";
    }
  else if (side > 0 && id == CCE_SHIFTED)
    *why = "exp(z - max) <= 1 cannot overflow (but p_t rounds to 1 and "
           "the loss to 0 past g = log(K - 1) + p log 2)";
  mpfr_clears (x, t, (mpfr_ptr) 0);
  return out;
}

static int
agrees (const fmt_info *f, long double found, long double pred)
{
  long double ulp = ldexpl (1, (int) (floorl (log2l (fabsl (found))) + 1 - f->prec));
  return fabsl (found - pred) <= 2 * ulp + 2e-3L * fabsl (pred);
}

static int
thresholds_table (const job *j, const int *forms, int nf)
{
  int fmts[FMT_COUNT];
  int np = job_formats_or_all (j, fmts);
  const long *ks = j->n_classes ? j->classes : sweep_classes;
  int nk = j->n_classes ? j->n_classes : 4;
  static const char *const crit[2] = { "inf/nan", "half-digits" };
  int text = j->format == OUT_TEXT || j->format == OUT_MARKDOWN;
  grid g;
  grid_init (&g, text ? 8 : 9);
  grid_add_row (&g);
  const char *h[] = { "precision", "K", "form", "criterion", "side", "found",
                      "predicted", "agrees", "closed_form" };
  for (size_t c = 0; c < g.cols; c++)
    grid_set (&g, c, "%s", h[c]);
  ref_global_init ();
  for (int pi = 0; pi < np; pi++)
    for (int ki = 0; ki < nk; ki++)
      {
        const fmt_info *f = &fmt_table[fmts[pi]];
        long n = ks[ki];
        cce_th res[CCE_COUNT][2][2];
        int threads = ref_threads (j->jobs);
#pragma omp parallel for num_threads (threads) schedule (dynamic, 1) collapse (3)
        for (int fi = 0; fi < nf; fi++)
          for (int cr = 0; cr < 2; cr++)
            for (int s = 0; s < 2; s++)
              {
                cce_ref r;
                ref_global_init ();
                cce_ref_init (&r, 2);
                long double *z = xcalloc ((size_t) n, sizeof *z);
                res[fi][cr][s] = search (forms[fi], f, n, s ? 1 : -1, cr, &r, z);
                free (z);
                cce_ref_clear (&r);
              }
        for (int fi = 0; fi < nf; fi++)
          for (int cr = 0; cr < 2; cr++)
            for (int s = 0; s < 2; s++)
              {
                cce_th *t = &res[fi][cr][s];
                const char *why = "-";
                long double pred = cr == 0 ? predict (forms[fi], f, n, s ? 1 : -1, &why)
                                           : NAN;
                char b[64];
                grid_add_row (&g);
                grid_set (&g, 0, "%s", f->name);
                grid_set (&g, 1, "%ld", n);
                grid_set (&g, 2, "%s", cce_table[forms[fi]].name);
                grid_set (&g, 3, "%s", crit[cr]);
                grid_set (&g, 4, "%s", s ? "+" : "-");
                if (t->found)
                  {
                    if (text)
                      grid_set (&g, 5, "%s", fmt_shortest (b, f, t->g));
                    else
                      grid_set_value (&g, 5, f, t->g, 0);
                  }
                else
                  grid_set (&g, 5, "none");
                if (isnan (pred))
                  grid_set (&g, 6, "-");
                else if (isinf (pred))
                  grid_set (&g, 6, "none");
                else
                  grid_set (&g, 6, "%.6Lg", pred);
                grid_set (&g, 7, "%s", isnan (pred) ? "-"
                          : isinf (pred) ? (t->found ? "no" : "yes")
                          : t->found && agrees (f, t->g, pred) ? "yes" : "no");
                if (!text)
                  grid_set (&g, 8, "%s", why);
              }
      }
  if (text)
    printf ("Categorical breakdown points: the first gap g, going outward from 0,\n"
            "where a form returns inf or nan, or has lost half its digits (more\n"
            "than 2^(p/2) ULPs off), for the logits (0, ..., 0, g) of K classes.\n"
            "512 values of the format evenly spaced in order, then bisection\n"
            "between the last that passes and the first that fails.\n"
            "'predicted': the closed form (docs/cce.md).\n\n");
  grid_print (&g, stdout, j->format);
  grid_free (&g);
  return 0;
}

int
cmd_cce (const job *j)
{
  int forms[CCE_COUNT];
  int nf = forms_of (j, forms);
  if (j->thresholds)
    {
      if (j->output || j->logits.n || j->at.n || j->given_grid || j->grad)
        usage_error ("--thresholds takes only -p, -f, --classes, -j and --format");
      return thresholds_table (j, forms, nf);
    }
  if (j->output)
    {
      if (j->logits.n)
        usage_error ("--logits prints a table; it cannot be combined with -o");
      if (j->format != OUT_TEXT)
        usage_error ("--format applies to tables, not to files (-o)");
      return sweep_files (j, forms, nf);
    }
  if (j->given_grid)
    usage_error ("--from/--to/--points/--scale need -o DIR (the table takes --at)");
  int machine = j->format == OUT_TSV || j->format == OUT_CSV;
  ref_global_init ();
  grid out;
  if (machine)
    {
      static const char *const hg[] = { "precision", "K", "form", "gap", "loss",
                                        "ref", "ulp", "bits", "status", "grad",
                                        "grad_ref", "grad_ulp", "grad_status" };
      static const char *const hl[] = { "precision", "form", "what", "class",
                                        "value", "ref", "ulp", "status" };
      int nc = j->logits.n ? 8 : 13;
      grid_init (&out, (size_t) nc);
      grid_add_row (&out);
      for (int c = 0; c < nc; c++)
        grid_set (&out, (size_t) c, "%s", j->logits.n ? hl[c] : hg[c]);
    }
  else
    printf ("Softmax cross-entropy of the true class: values are the nearest "
            "of the format\nto what each form computes; 'exact' is the true "
            "value correctly rounded\n(MPFR); 'ulp' is the error in units in "
            "the last place.%s\n\n", j->logits.n ? ""
            : "  gap: the true class's\nlogit minus the others' (which are "
              "all equal).");
  if (j->logits.n)
    table_logits (j, forms, nf, machine ? &out : NULL);
  else
    table_gaps (j, forms, nf, machine ? &out : NULL);
  if (machine)
    {
      grid_print (&out, stdout, j->format);
      grid_free (&out);
    }
  return 0;
}
