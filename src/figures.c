/* figures.c -- `bcelab figures`: the data, gnuplot scripts and images of
 * every figure (docs/figures.md describes each one).
 *
 * Seed 000's four panels, each alone and as the 2x2 composite
 * bce_nll_analysis, then what the seed could not draw: the error itself.
 * Each panel's gnuplot commands are written by one function, used by the
 * panel's own script and by the composite.  Data files are sweeps
 * (sweep.h) or small tables with the same kind of header.
 */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "forms.h"
#include "outfile.h"
#include "plot.h"
#include "scan.h"
#include "sweep.h"
#include "train.h"

typedef struct {
  const char *dir;
  const job *j;
  int files;          /* data files and scripts written */
} fig_ctx;

/* Column numbers in a sweep file (sweep.h): form number I, 0-based.  */
static int
col_loss (int i, int grad)
{
  return grad ? 4 + 7 * i : 3 + 4 * i;
}

static int
col_ulp (int i, int grad)
{
  return col_loss (i, grad) + 1;
}

static int
col_status (int i, int grad)
{
  return col_loss (i, grad) + 3;
}

static void
write_sweep (fig_ctx *c, const char *name, fmt_id fmt, const int *forms,
             int nf, const char *label, int grad, double from, double to,
             size_t points, grid_scale scale)
{
  sweep_spec s = { &fmt_table[fmt], forms, nf, label, c->j->eps, grad, 0,
                   c->j->jobs };
  grid_spec g = { NULL, points, from, to, scale };
  sweep_write (c->dir, name, &s, &g);
  c->files++;
}

/* Symlog tics for logits in [-10^d, 10^d]: 0 and +-10^k, k >= 1 (every
   other k when d > 4), so that no label crowds 0.  */
static void
symlog_xtics (FILE *fp, int d)
{
  int step = d > 4 ? 2 : 1;
  fputs ("set xtics (\"0\" 0", fp);
  for (int k = d; k >= 1; k -= step)
    fprintf (fp, ", \"-10^{%d}\" symlog(-1e%d), \"10^{%d}\" symlog(1e%d)",
             k, k, k, k);
  fputs (")\n", fp);
}

/* What a panel of a multiplot must undo from the previous one.  */
static void
panel_reset (FILE *fp)
{
  fputs ("unset label; unset object; unset arrow; unset logscale\n"
         "set autoscale; set xtics autofreq; set ytics autofreq\n"
         "set format x \"% h\"; set format y \"% h\"\n"
         "set key default; set key opaque box lc rgb \"#c0c0c0\"\n", fp);
}

/* ---------------- seed panel (a): BCE against p ---------------- */

static void
data_a (fig_ctx *c)
{
  outfile o;
  out_open (&o, c->dir, "seed-a.dat");
  fprintf (o.fp, "# bcelab %s\n# command: %s\n"
           "# seed 000 panel (a): BCE on a probability p in [0.01, 0.99], 99 points,\n"
           "# computed in double by the second half of the naive form:\n"
           "# -log(p) for y = 1 and -log(1-p) for y = 0\n"
           "# p loss_y1 loss_y0\n", PACKAGE_VERSION, cli_command_line ());
  for (int i = 0; i < 99; i++)
    {
      double p = 0.01 + i * (0.98 / 98), g;
      double l1 = form_bce_prob_double (p, 1.0, &g);
      double l0 = form_bce_prob_double (p, 0.0, &g);
      fprintf (o.fp, "%.17g %.17g %.17g\n", p, l1, l0);
    }
  out_commit (&o);
  c->files++;
}

static void
panel_a (FILE *fp)
{
  fputs ("set title \"BCE Loss vs Predicted Probability\" font \",13\"\n"
         "set xlabel \"Predicted Probability p\"\n"
         "set ylabel \"BCE Loss\"\n"
         "set yrange [0:5]\nset xrange [0:1]\n"
         "set key top center\n"
         "plot \"seed-a.dat\" using 1:2 with lines ls 11 title \"y=1 (true positive)\", \\\n"
         "     \"seed-a.dat\" using 1:3 with lines ls 12 title \"y=0 (true negative)\"\n",
         fp);
}

/* ---------------- seed panel (b): training loss ---------------- */

static void
panel_b (FILE *fp)
{
  fputs ("set title \"Training Loss Comparison\" font \",13\"\n"
         "set xlabel \"Epoch\"\nset ylabel \"Loss\"\n"
         "set key top right\n", fp);
  train_gp_panel_b (fp);
}

/* ---------------- seed panel (c): the sigmoid and where it saturates ------ */

static int
naive_inf_y0 (const fmt_info *f, long double z, void *ctx)
{
  const struct form_k *k = ctx;
  long double l, g;
  form_eval (&form_table[FORM_NAIVE], f, z, 0, k, &l, &g);
  return isinf (l);
}

/* The first z > 0 where the naive loss for y = 0 is inf in F: where the
   sigmoid rounds to 1.  */
static long double
naive_threshold (const fmt_info *f)
{
  struct form_k k;
  form_k_init (&k, f, 1e-7);
  __int128 hi = fmt_ordinal (f, INFINITY) - 1;    /* the largest finite */
  __int128 o = scan_bisect (f, 1, hi, naive_inf_y0, &k);
  return fmt_from_ordinal (f, o);
}

static long double thr[FMT_COUNT];

static void
data_c (fig_ctx *c)
{
  thr[FMT_FLOAT] = naive_threshold (&fmt_table[FMT_FLOAT]);
  thr[FMT_DOUBLE] = naive_threshold (&fmt_table[FMT_DOUBLE]);
  outfile o;
  out_open (&o, c->dir, "seed-c.dat");
  fprintf (o.fp, "# bcelab %s\n# command: %s\n"
           "# seed 000 panel (c): the sigmoid 1/(1+exp(-z)) as the naive form computes it,\n"
           "# in float and in double, z from -40 to 40 (801 points, z rounded to each format)\n"
           "# naive breaks (y = 0: sigmoid rounds to 1, log(1-p) = -inf) from\n"
           "#   float:  z = %.9Lg (%a)\n#   double: z = %.17Lg (%a)\n"
           "# found by bisection over the ordered values of each format\n"
           "# z sigmoid_float sigmoid_double\n", PACKAGE_VERSION,
           cli_command_line (), thr[FMT_FLOAT], (double) thr[FMT_FLOAT],
           thr[FMT_DOUBLE], (double) thr[FMT_DOUBLE]);
  for (int i = 0; i <= 800; i++)
    {
      double z = -40 + i * 0.1;
      long double sf = form_sigmoid (&fmt_table[FMT_FLOAT], (float) z);
      long double sd = form_sigmoid (&fmt_table[FMT_DOUBLE], z);
      fprintf (o.fp, "%.17g %.9Lg %.17Lg\n", z, sf, sd);
    }
  out_commit (&o);
  c->files++;
}

static void
panel_c (FILE *fp)
{
  fprintf (fp,
           "# where the naive form breaks (computed by bcelab: the first z > 0 at which\n"
           "# its loss for y = 0 is inf, i.e. where the sigmoid rounds to 1)\n"
           "thr_float = %.9Lg\nthr_double = %.17Lg\n",
           thr[FMT_FLOAT], thr[FMT_DOUBLE]);
  fputs ("set title \"Sigmoid Function and Numerical Stability Regions\" font \",13\"\n"
         "set xlabel \"Logit z\"\nset ylabel \"Probability\"\n"
         "set xrange [-40:40]\nset yrange [-0.05:1.15]\n"
         "set key bottom right\n"
         "set object 1 rect from thr_float, graph 0 to 40, graph 1 fc rgb \"#ff0000\" fs transparent solid 0.10 noborder behind\n"
         "set object 2 rect from thr_double, graph 0 to 40, graph 1 fc rgb \"#ff0000\" fs transparent solid 0.15 noborder behind\n"
         "set arrow 1 from thr_float, graph 0 to thr_float, graph 1 nohead lc rgb \"#d62728\" dt 2 lw 1.5\n"
         "set arrow 2 from thr_double, graph 0 to thr_double, graph 1 nohead lc rgb \"#7f0000\" dt 2 lw 1.5\n"
         "set label 1 sprintf(\"float: p = 1\\nfrom z = %.2f\", thr_float) at thr_float + 0.8, 0.55 font \",9\" tc rgb \"#d62728\"\n"
         "set label 2 sprintf(\"double: p = 1\\nfrom z = %.2f\", thr_double) at thr_double - 0.8, 0.25 right font \",9\" tc rgb \"#7f0000\"\n"
         "set arrow 3 from graph 0, first 0 to graph 1, first 0 nohead lc rgb \"gray\" dt 2\n"
         "set arrow 4 from graph 0, first 1 to graph 1, first 1 nohead lc rgb \"gray\" dt 2\n"
         "set arrow 5 from 0, graph 0 to 0, graph 1 nohead lc rgb \"gray\" dt 2\n"
         "plot \"seed-c.dat\" using 1:3 with filledcurves y1=0 fc rgb \"#1f77b4\" fs transparent solid 0.2 notitle, \\\n"
         "     \"seed-c.dat\" using 1:3 with lines ls 11 title \"σ(z)\", \\\n"
         "     NaN with boxes fc rgb \"#ff0000\" fs transparent solid 0.25 title \"naive breaks (y = 0): float, double\"\n",
         fp);
}

/* ---------------- seed panel (d): stable vs clipped ---------------- */

static void
data_d (fig_ctx *c)
{
  static const int forms[] = { FORM_STABLE, FORM_CLAMPED };
  write_sweep (c, "seed-d-float-y1.dat", FMT_FLOAT, forms, 2, "1", 0, -20,
               20, 100, SCALE_LIN);
}

static void
panel_d (FILE *fp)
{
  fputs ("set title \"Numerical Stability Comparison\" font \",13\"\n"
         "set xlabel \"Logit z\"\nset ylabel \"Loss (y=1)\"\n"
         "set xrange [-20:20]\n"
         "set key top right\n", fp);
  fprintf (fp, "plot \"seed-d-float-y1.dat\" using 1:%d with lines ls 13 title \"BCEWithLogitsLoss (stable)\", \\\n"
               "     \"seed-d-float-y1.dat\" using 1:%d with lines ls 14 title \"BCE+Sigmoid (clipped)\"\n",
           col_loss (0, 0), col_loss (1, 0));
}

/* ---------------- scripts ---------------- */

typedef void (*panel_fn) (FILE *);

static void
write_script (fig_ctx *c, const char *name, const char *what, int w, int h,
              panel_fn panel)
{
  char file[256];
  snprintf (file, sizeof file, "%s.gp", name);
  outfile o;
  out_open (&o, c->dir, file);
  gp_begin (o.fp, name, what, w, h);
  panel (o.fp);
  fputs ("unset output\n", o.fp);
  out_commit (&o);
  c->files++;
}

static void
composite (FILE *fp)
{
  static const panel_fn panels[] = { panel_a, panel_b, panel_c, panel_d };
  fputs ("set multiplot layout 2,2 title \"Binary cross-entropy: seed 000's figure, computed by bcelab\" font \",15\"\n",
         fp);
  for (int i = 0; i < 4; i++)
    {
      fprintf (fp, "\n# ---- panel (%c) ----\n", 'a' + i);
      panel_reset (fp);
      panels[i] (fp);
    }
  fputs ("unset multiplot\n", fp);
}

/* ---------------- beyond the seed: the error in ULPs ---------------- */

static const int all_forms[] = { FORM_NAIVE, FORM_CLAMPED, FORM_STABLE,
                                 FORM_TORCH, FORM_KERAS, FORM_SOFTPLUS };

static void
data_ulp (fig_ctx *c)
{
  static const fmt_id f[] = { FMT_FLOAT, FMT_DOUBLE };
  for (int i = 0; i < 2; i++)
    for (int y = 0; y <= 1; y++)
      {
        char *name = sweep_file_name ("ulp", &fmt_table[f[i]], y ? "1" : "0");
        write_sweep (c, name, f[i], all_forms, FORM_COUNT, y ? "1" : "0", 0,
                     -1e4, 1e4, 801, SCALE_SYMLOG);
        free (name);
      }
}

/* Plot the ULP error of each form in FILE (a sweep of all forms). */
static void
plot_ulp (FILE *fp, const char *file, const int *forms, int nf, double top,
          int grad)
{
  fprintf (fp, "top = %g\nclip(x) = x < 1e-2 ? 1e-2 : (x > top ? top : x)\n", top);
  fputs ("set logscale y\nset format y \"10^{%L}\"\n"
         "set yrange [1e-2:top*100]\n", fp);
  fputs ("plot ", fp);
  for (int i = 0; i < nf; i++)
    fprintf (fp, "%s\"%s\" using (symlog($1)):(clip(column(%d))) with lines ls %d title \"%s\"",
             i ? ", \\\n     " : "", file, col_ulp (i, grad),
             gp_form_style (forms[i]), form_table[forms[i]].name);
  for (int i = 0; i < nf; i++)
    fprintf (fp, ", \\\n     \"%s\" using (symlog($1)):(strcol(%d) eq \"ok\" ? NaN : top*10) with points ls %d pt 2 ps 0.5 %s",
             file, col_status (i, grad), gp_form_style (forms[i]),
             i ? "notitle" : "title \"inf / nan (at the top)\"");
  fputc ('\n', fp);
}

static void
fig_ulp (FILE *fp)
{
  static const char *const files[] = { "ulp-float-y0.dat", "ulp-float-y1.dat",
                                       "ulp-double-y0.dat", "ulp-double-y1.dat" };
  static const char *const titles[] = { "float, y = 0", "float, y = 1",
                                        "double, y = 0", "double, y = 1" };
  fputs ("set multiplot layout 2,2 title \"Error in ULPs of the exact loss, every form (log scale; below 0.01 drawn at 0.01)\" font \",14\"\n", fp);
  for (int i = 0; i < 4; i++)
    {
      panel_reset (fp);
      fprintf (fp, "set title \"%s\"\nset xlabel \"logit z (symlog)\"\nset ylabel \"error (ULPs)\"\n"
                   "set key below horizontal maxrows 1 font \",8\"\n", titles[i]);
      symlog_xtics (fp, 4);
      plot_ulp (fp, files[i], all_forms, FORM_COUNT, i < 2 ? 1e40 : 1e300, 0);
    }
  fputs ("unset multiplot\n", fp);
}

/* ---------------- gradients ---------------- */

static void
data_grad (fig_ctx *c)
{
  for (int y = 0; y <= 1; y++)
    write_sweep (c, y ? "grad-float-y1.dat" : "grad-float-y0.dat", FMT_FLOAT,
                 all_forms, FORM_COUNT, y ? "1" : "0", 1, -1e3, 1e3, 801,
                 SCALE_SYMLOG);
}

static void
fig_grad (FILE *fp)
{
  fputs ("set multiplot layout 1,2 title \"Gradient dL/dz in float, every form, against the exact σ(z) - y\" font \",14\"\n", fp);
  for (int y = 0; y <= 1; y++)
    {
      const char *file = y ? "grad-float-y1.dat" : "grad-float-y0.dat";
      panel_reset (fp);
      fprintf (fp, "set title \"y = %d\"\nset xlabel \"logit z (symlog)\"\n"
                   "set ylabel \"dL/dz\"\nset yrange [-1.35:1.35]\n"
                   "set key %s font \",8\"\n", y, y ? "top left" : "bottom right");
      symlog_xtics (fp, 3);
      fprintf (fp, "plot \"%s\" using (symlog($1)):3 with lines ls 10 title \"exact\"", file);
      for (int i = 0; i < FORM_COUNT; i++)
        fprintf (fp, ", \\\n     \"%s\" using (symlog($1)):%d with lines ls %d title \"%s\"",
                 file, col_loss (i, 1) + 4, gp_form_style (i), form_table[i].name);
      for (int i = 0; i < FORM_COUNT; i++)
        fprintf (fp, ", \\\n     \"%s\" using (symlog($1)):(strcol(%d) eq \"nan\" || strcol(%d) eq \"inf\" ? 1.2 - 0.03*%d : NaN) with points ls %d pt 2 ps 0.5 %s",
                 file, col_loss (i, 1) + 6, col_loss (i, 1) + 6, i,
                 gp_form_style (i), i ? "notitle" : "title \"nan / inf\"");
      fputc ('\n', fp);
    }
  fputs ("unset multiplot\n", fp);
}

/* ---------------- half and bfloat16 ---------------- */

static const int seed_forms[] = { FORM_NAIVE, FORM_CLAMPED, FORM_STABLE };

static void
data_mixed (fig_ctx *c)
{
  static const fmt_id f[] = { FMT_HALF, FMT_BF16, FMT_FLOAT };
  for (int i = 0; i < 3; i++)
    {
      char *name = sweep_file_name ("mixed", &fmt_table[f[i]], "0");
      write_sweep (c, name, f[i], seed_forms, 3, "0", 0, -20, 20, 401, SCALE_LIN);
      free (name);
    }
}

static void
fig_mixed (FILE *fp)
{
  static const char *const fmts[] = { "half", "bfloat16", "float" };
  fputs ("set multiplot layout 1,3 title \"The loss for y = 0 in half, bfloat16 and float: where each form gives up\" font \",14\"\n", fp);
  for (int i = 0; i < 3; i++)
    {
      panel_reset (fp);
      fprintf (fp, "set title \"%s\"\nset xlabel \"logit z\"\nset ylabel \"loss (log scale)\"\n"
                   "set logscale y\nset format y \"10^{%%L}\"\nset yrange [1e-10:1e4]\n"
                   "set key top left font \",9\"\n", fmts[i]);
      fprintf (fp, "plot \"mixed-%s-y0.dat\" using 1:2 with lines ls 10 title \"exact\"", fmts[i]);
      for (int k = 0; k < 3; k++)
        fprintf (fp, ", \\\n     \"mixed-%s-y0.dat\" using 1:%d with lines ls %d title \"%s\"",
                 fmts[i], col_loss (k, 0), gp_form_style (seed_forms[k]),
                 form_table[seed_forms[k]].name);
      for (int k = 0; k < 3; k++)
        fprintf (fp, ", \\\n     \"mixed-%s-y0.dat\" using 1:(strcol(%d) eq \"ok\" ? NaN : 1e3/(1+%d)) with points ls %d pt 2 ps 0.5 %s",
                 fmts[i], col_status (k, 0), 3 * k, gp_form_style (seed_forms[k]),
                 k ? "notitle" : "title \"inf / nan\"");
      fputc ('\n', fp);
    }
  fputs ("unset multiplot\n", fp);
}

/* ---------------- soft labels ---------------- */

static const char *const soft_y[] = { "0.9", "0.99", "0.9999" };
static const int soft_forms[] = { FORM_STABLE, FORM_SOFTPLUS };

static void
data_soft (fig_ctx *c)
{
  for (int i = 0; i < 3; i++)
    {
      char *name = sweep_file_name ("soft", &fmt_table[FMT_FLOAT], soft_y[i]);
      write_sweep (c, name, FMT_FLOAT, soft_forms, 2, soft_y[i], 0, -1e6, 1e6,
                   801, SCALE_SYMLOG);
      free (name);
    }
}

static void
fig_soft (FILE *fp)
{
  fputs ("set multiplot layout 1,3 title \"Soft labels in float: stable's z - z·y cancels, softplus does not\" font \",14\"\n", fp);
  for (int i = 0; i < 3; i++)
    {
      char file[64];
      snprintf (file, sizeof file, "soft-float-y%s.dat", soft_y[i]);
      panel_reset (fp);
      fprintf (fp, "set title \"y = %s\"\nset xlabel \"logit z (symlog)\"\n"
                   "set ylabel \"error (ULPs)\"\nset key top left font \",9\"\n", soft_y[i]);
      symlog_xtics (fp, 6);
      plot_ulp (fp, file, soft_forms, 2, 1e8, 0);
    }
  fputs ("unset multiplot\n", fp);
}

/* ---------------- the command ---------------- */

/* The figures, by name and description, for the report.  */

typedef struct {
  const char *name;
  const char *what;
  int w, h;
  panel_fn script;
} figure;

static const figure figure_table[] = {
  { "seed-a", "seed 000 panel (a): BCE loss against the predicted probability", 800, 600, panel_a },
  { "seed-b", "seed 000 panel (b): training loss, BCE after sigmoid vs from logits", 800, 600, panel_b },
  { "seed-c", "seed 000 panel (c): the sigmoid and where the naive form breaks", 800, 600, panel_c },
  { "seed-d", "seed 000 panel (d): stable vs clipped BCE, float, y = 1", 800, 600, panel_d },
  { "bce_nll_analysis", "seed 000's 2x2 figure, every panel computed by bcelab", 1500, 1250, composite },
  { "ulp-error", "error in ULPs against z, every form, float and double, y = 0 and 1", 1500, 1100, fig_ulp },
  { "gradient", "dL/dz against z in float, every form, against sigmoid(z) - y", 1500, 650, fig_grad },
  { "mixed-precision", "the loss in half and bfloat16 next to float", 1600, 560, fig_mixed },
  { "soft-labels", "soft labels: stable vs softplus error in float", 1600, 560, fig_soft },
  { "train-stress", "training with extreme logits: naive, torch and stable, float and double", 1500, 1100, train_gp_stress },
};

#define N_FIGURES (sizeof figure_table / sizeof *figure_table)

int
figures_write (const char *dir, const job *j, int render, int svg, int quiet)
{
  fig_ctx c = { dir, j, 0 };
  out_mkdir (dir);
  data_a (&c);
  c.files += train_write_panel_b_data (dir, j);
  data_c (&c);
  data_d (&c);
  data_ulp (&c);
  data_grad (&c);
  data_mixed (&c);
  data_soft (&c);
  for (size_t i = 0; i < N_FIGURES; i++)
    write_script (&c, figure_table[i].name, figure_table[i].what,
                  figure_table[i].w, figure_table[i].h, figure_table[i].script);

  int rendered = 0, failed = 0;
  if (render)
    {
      if (!gp_program ())
        {
          error_msg ("gnuplot not found: wrote the data and scripts, no images "
                     "(install gnuplot, then run 'gnuplot NAME.gp' in %s)", dir);
          render = 0;
        }
      else
        for (size_t i = 0; i < N_FIGURES; i++)
          {
            char script[256];
            snprintf (script, sizeof script, "%s.gp", figure_table[i].name);
            if (gp_render (dir, script, NULL) == 0
                && (!svg || gp_render (dir, script, "svg") == 0))
              rendered++;
            else
              failed++;
          }
    }
  if (!quiet)
    {
      printf ("bcelab: %d files in %s", c.files, dir);
      if (render)
        printf ("; %d of %zu figures rendered", rendered, N_FIGURES);
      printf ("\n");
    }
  return failed ? 1 : render ? 0 : 3;
}

int
cmd_figures (const job *j)
{
  int st = figures_write (j->output ? j->output : "figures", j, 1, 0, 0);
  return st == 3 ? 0 : st;
}
