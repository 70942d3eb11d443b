/* report.c -- `bcelab report`: one HTML page with every figure, table and
 * trace, for a student to read from top to bottom.
 *
 * Every number on the page comes from the run that writes it: the report
 * runs bcelab's own commands (table, thresholds, train, explain,
 * exhaustive) as child processes, reads their tab-separated or text
 * output, and turns it into HTML; the figures are written and rendered
 * into the same directory (SVG for the page, PNG beside them), with their
 * data files and gnuplot scripts, so each can be made again.  No
 * JavaScript, no network: formulas are HTML, the style is inline.  Without
 * gnuplot the page says so and keeps its tables.  Two runs give the same
 * bytes apart from the date line.
 */
#include <config.h>

#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_version.h>
#include <mpfr.h>

#include "commands.h"
#include "forms.h"
#include "outfile.h"
#include "plot.h"
#include "proc.h"

/* ---- running bcelab itself ---- */

/* Run this program with ARGS (NULL-terminated, without argv[0]) and
   return its standard output; dies if it fails.  */
static char *
run_self (const char *const *args)
{
  const char *argv[40];
  int n = 0;
  argv[n++] = "/proc/self/exe";
  for (int i = 0; args[i] && n < 39; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  char *out;
  if (proc_run (NULL, argv, 0, &out) != 0)
    die ("report: 'bcelab %s ...' failed", args[0]);
  return out;
}

/* ---- TSV into HTML ---- */

typedef struct {
  char **cell;
  size_t rows, cols;
} tsv;

static void
tsv_parse (tsv *t, char *text)
{
  t->rows = t->cols = 0;
  t->cell = NULL;
  size_t cap = 0;
  for (char *line = text; line && *line;)
    {
      char *nl = strchr (line, '\n');
      if (nl)
        *nl = '\0';
      size_t c = 1;
      for (char *p = line; *p; p++)
        c += *p == '\t';
      if (t->rows == 0)
        t->cols = c;
      if (c == t->cols)
        {
          if ((t->rows + 1) * t->cols > cap)
            {
              cap = cap ? 2 * cap : 64 * t->cols;
              t->cell = realloc (t->cell, cap * sizeof *t->cell);
              if (!t->cell)
                die ("out of memory");
            }
          char *p = line;
          for (size_t k = 0; k < c; k++)
            {
              t->cell[t->rows * t->cols + k] = p;
              char *tab = strchr (p, '\t');
              if (tab)
                *tab = '\0', p = tab + 1;
            }
          t->rows++;
        }
      line = nl ? nl + 1 : NULL;
    }
}

static const char *
tsv_at (const tsv *t, size_t r, size_t c)
{
  return t->cell[r * t->cols + c];
}

static size_t
tsv_col (const tsv *t, const char *name)
{
  for (size_t c = 0; c < t->cols; c++)
    if (strcmp (tsv_at (t, 0, c), name) == 0)
      return c;
  die ("report: no column '%s'", name);
}

static void
esc (FILE *fp, const char *s)
{
  for (; *s; s++)
    switch (*s)
      {
      case '<': fputs ("&lt;", fp); break;
      case '>': fputs ("&gt;", fp); break;
      case '&': fputs ("&amp;", fp); break;
      case '"': fputs ("&quot;", fp); break;
      default: fputc (*s, fp);
      }
}

/* A table of the columns COLS (names) of T, headed HEADS, for the rows
   whose column WHERE equals IS (WHERE NULL: all rows).  */
static void
html_table (FILE *fp, const tsv *t, const char *const *cols,
            const char *const *heads, int n, const char *where,
            const char *is, const char *caption)
{
  size_t idx[32];
  for (int i = 0; i < n; i++)
    idx[i] = tsv_col (t, cols[i]);
  size_t w = where ? tsv_col (t, where) : 0;
  fputs ("<div class=\"wide\"><table>\n", fp);
  if (caption)
    {
      fputs ("<caption>", fp);
      esc (fp, caption);
      fputs ("</caption>\n", fp);
    }
  fputs ("<thead><tr>", fp);
  for (int i = 0; i < n; i++)
    {
      fputs ("<th>", fp);
      esc (fp, heads[i]);
      fputs ("</th>", fp);
    }
  fputs ("</tr></thead>\n<tbody>\n", fp);
  for (size_t r = 1; r < t->rows; r++)
    {
      if (where && strcmp (tsv_at (t, r, w), is) != 0)
        continue;
      fputs ("<tr>", fp);
      for (int i = 0; i < n; i++)
        {
          const char *v = tsv_at (t, r, idx[i]);
          int bad = strcmp (v, "inf") == 0 || strcmp (v, "nan") == 0
                    || strcmp (v, "zero") == 0 || strcmp (v, "sign") == 0;
          fputs (bad ? "<td class=\"bad\">" : "<td>", fp);
          /* errors in ULPs are measurements: three digits read best (the
             tsv files keep every digit) */
          size_t cl = strlen (cols[i]);
          char *end;
          double d = strtod (v, &end);
          if (cl >= 3 && strcmp (cols[i] + cl - 3, "ulp") == 0 && *end == '\0' && end != v)
            fprintf (fp, "%.3g", d);
          else
            esc (fp, v);
          fputs ("</td>", fp);
        }
      fputs ("</tr>\n", fp);
    }
  fputs ("</tbody></table></div>\n", fp);
}

static void
pre (FILE *fp, const char *text)
{
  fputs ("<div class=\"wide\"><pre>", fp);
  esc (fp, text);
  fputs ("</pre></div>\n", fp);
}

/* A figure: the SVG on the page, linked to its PNG, script and data.  */
static void
figure (FILE *fp, int have, const char *name, const char *caption)
{
  fputs ("<figure>\n", fp);
  if (have)
    fprintf (fp, "<a href=\"%s.png\"><img src=\"%s.svg\" alt=\"%s\"/></a>\n",
             name, name, name);
  else
    fprintf (fp, "<p class=\"note\">Figure %s not rendered: gnuplot is not "
             "installed. Its data and script are here: run "
             "<code>gnuplot %s.gp</code> in this directory.</p>\n", name, name);
  fputs ("<figcaption>", fp);
  fputs (caption, fp);       /* trusted HTML from this file */
  fprintf (fp, " <span class=\"src\">(<a href=\"%s.gp\">%s.gp</a>)</span>"
           "</figcaption>\n</figure>\n", name, name);
}

/* The first line of `gnuplot --version`, or "not installed".  */
static char *
gnuplot_version (void)
{
  const char *prog = gp_program ();
  if (!prog)
    return xstrdup ("not installed");
  const char *argv[] = { prog, "--version", NULL };
  char *out;
  if (proc_run (NULL, argv, 0, &out) != 0)
    {
      free (out);
      return xstrdup ("gnuplot: unknown version");
    }
  out[strcspn (out, "\n")] = '\0';
  return out;
}

static const char *const css =
  "body{font-family:Georgia,'DejaVu Serif',serif;line-height:1.5;max-width:60rem;"
  "margin:0 auto;padding:0 1rem 3rem;color:#222}\n"
  "h1,h2,h3{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;line-height:1.2}\n"
  "h2{border-bottom:1px solid #ccc;margin-top:2.5rem}\n"
  "code,pre,td{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.85rem}\n"
  "pre{background:#f6f6f6;padding:.6rem;line-height:1.3}\n"
  ".wide{overflow-x:auto}\n"
  "table{border-collapse:collapse;margin:.5rem 0}\n"
  "th,td{border:1px solid #ccc;padding:.15rem .45rem;text-align:right;white-space:nowrap}\n"
  "th{background:#eee;font-family:'DejaVu Sans',sans-serif;font-size:.8rem}\n"
  "caption{text-align:left;font-style:italic;padding:.3rem 0}\n"
  "td.bad{background:#fde2e2;color:#900}\n"
  ".formula{font-family:'DejaVu Serif',serif;font-size:1.1rem;margin:.4rem 0 .4rem 1.5rem}\n"
  "figure{margin:1.5rem 0}\nimg{max-width:100%;height:auto;border:1px solid #eee}\n"
  "figcaption{font-size:.9rem;color:#444}\n.src{font-size:.8rem}\n"
  ".note{background:#fff4d6;border-left:4px solid #e0a800;padding:.5rem}\n"
  "footer{margin-top:3rem;font-size:.85rem;color:#555;border-top:1px solid #ccc}\n"
  "@media print{a{color:inherit;text-decoration:none}.wide{overflow:visible}"
  "figure{page-break-inside:avoid}}\n";

/* ---- the page ---- */

int
cmd_report (const job *j)
{
  const char *dir = j->output ? j->output : "report";
  out_mkdir (dir);
  setenv ("BCELAB_NO_PROGRESS", "1", 1);        /* for the commands it runs */
  char jobs[16];
  snprintf (jobs, sizeof jobs, "%d", j->jobs > 0 ? j->jobs : 2);

  /* the figures: data, scripts, PNG and SVG */
  int st = figures_write (dir, j, 1, 1, 1);
  int have = st == 0;
  if (st == 1)
    die ("report: a figure could not be rendered");

  /* the numbers, from bcelab itself */
  char *t_table = run_self ((const char *[]) { "table", "--format", "tsv", NULL });
  char *t_grad = run_self ((const char *[]) { "table", "--format", "tsv", "--grad", "-f", "all",
                                              "-p", "float", "-y", "0,1", NULL });
  char *t_thr = run_self ((const char *[]) { "thresholds", "--format", "tsv", "-p",
                                             "half,bfloat16,double,long-double", "-j", jobs, NULL });
  char *t_thrf = j->full
    ? run_self ((const char *[]) { "thresholds", "--format", "tsv", "-p", "float", "-j", jobs, NULL })
    : NULL;
  char *t_train = run_self ((const char *[]) { "train", "--format", "tsv", NULL });
  char *t_stress = run_self ((const char *[]) { "train", "--format", "tsv", "--scenario",
                                                "stress", NULL });
  char *t_ex1 = run_self ((const char *[]) { "explain", "--at", "20", "--label", "0",
                                             "--form", "naive", NULL });
  char *t_ex2 = run_self ((const char *[]) { "explain", "--at", "-120", "--label", "1",
                                             "--form", "torch", NULL });
  char *t_ex3 = run_self ((const char *[]) { "explain", "--at", "1000", "--label", "0.9999",
                                             "--form", "stable,softplus", NULL });
  char *t_half = run_self ((const char *[]) { "exhaustive", "-p", "half", "-f", "all",
                                              "--format", "tsv", "-o", dir, "-j", jobs, NULL });
  char *t_bf = run_self ((const char *[]) { "exhaustive", "-p", "bfloat16", "-f", "all",
                                            "--format", "tsv", "-o", dir, "-j", jobs, NULL });
  if (have)
    {
      static const char *const ex[] = { "exhaustive-half.gp", "exhaustive-bfloat16.gp" };
      for (int i = 0; i < 2; i++)
        if (gp_render (dir, ex[i], "svg") != 0)
          die ("report: gnuplot could not render %s", ex[i]);
    }
  char *t_cce = run_self ((const char *[]) { "cce", "-p", "half,float,double", "-o", dir,
                                             "-j", jobs, NULL });
  if (have)
    {
      static const char *const cg[] = { "cce-float.gp", "cce-half.gp", "cce-bridge.gp" };
      for (int i = 0; i < 3; i++)
        if (gp_render (dir, cg[i], "svg") != 0)
          die ("report: gnuplot could not render %s", cg[i]);
    }
  char *t_cce_tab = run_self ((const char *[]) { "cce", "--format", "tsv", "-p", "float",
                                                 "--classes", "10", NULL });
  char *t_cce_seed = run_self ((const char *[]) { "cce", "--format", "tsv", "-p", "double",
                                                  "--logits", "1,2,2", "--target", "1",
                                                  "--grad", NULL });
  char *t_cce_thr = run_self ((const char *[]) { "cce", "--thresholds", "--format", "tsv",
                                                 "-p", "half,float,double", "-j", jobs, NULL });
  char *t_cce_ex = run_self ((const char *[]) { "explain", "-f", "softmax-naive,log-softmax",
                                                "--at", "89", "-p", "float", NULL });
  char *t_float = j->full
    ? run_self ((const char *[]) { "exhaustive", "-p", "float", "--format", "tsv", "-o", dir,
                                   "-j", jobs, NULL })
    : NULL;

  outfile o;
  out_open (&o, dir, "index.html");
  FILE *fp = o.fp;
  fprintf (fp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
           "<title>bcelab: why binary cross-entropy goes NaN</title>\n<style>\n%s</style>\n"
           "</head>\n<body>\n", css);
  fputs ("<h1>Binary cross-entropy, measured</h1>\n"
         "<p>Binary cross-entropy (BCE) is the loss of almost every binary classifier. "
         "Written as the textbook says, <em>sigmoid, then log</em>, it returns "
         "<code>inf</code> and <code>nan</code> and zero gradients on logits that are "
         "merely large; written <em>from logits</em> it does not. This page shows where, "
         "why, and by how much, in half, bfloat16, float, double and long double, "
         "against the exact values. Every number and figure on it was computed by "
         "<code>bcelab</code> when this page was written.</p>\n", fp);
  if (!have)
    fputs ("<p class=\"note\">gnuplot is not installed: the figures were not rendered. "
           "Their data files and gnuplot scripts are in this directory; install gnuplot "
           "and run <code>bcelab report</code> again, or <code>gnuplot NAME.gp</code>.</p>\n", fp);

  /* 1. the loss and its forms */
  fputs ("<h2 id=\"forms\">1. The loss and its forms</h2>\n"
         "<p>For a logit <var>z</var> (the model's raw output) and a label <var>y</var> in "
         "[0, 1], with the sigmoid <var>p</var> = &sigma;(<var>z</var>) = 1/(1 + "
         "e<sup>&minus;<var>z</var></sup>):</p>\n"
         "<p class=\"formula\">L(<var>z</var>, <var>y</var>) = &minus;[<var>y</var> log "
         "<var>p</var> + (1 &minus; <var>y</var>) log(1 &minus; <var>p</var>)] = "
         "max(<var>z</var>, 0) &minus; <var>z</var><var>y</var> + log(1 + "
         "e<sup>&minus;|<var>z</var>|</sup>)</p>\n"
         "<p class=\"formula\">dL/d<var>z</var> = &sigma;(<var>z</var>) &minus; <var>y</var></p>\n"
         "<p>The two expressions are equal in exact arithmetic. In floating point they are "
         "not. bcelab compares these ways of computing it:</p>\n<div class=\"wide\"><table>\n"
         "<thead><tr><th>form</th><th>what it computes</th><th>gradient</th></tr></thead><tbody>\n", fp);
  for (int i = 0; i < FORM_COUNT; i++)
    {
      fputs ("<tr><td>", fp);
      esc (fp, form_table[i].name);
      fputs ("</td><td style=\"text-align:left\">", fp);
      esc (fp, form_table[i].formula);
      fputs ("</td><td style=\"text-align:left\">", fp);
      esc (fp, form_table[i].gradient);
      fputs ("</td></tr>\n", fp);
    }
  fputs ("</tbody></table></div>\n"
         "<p>Errors are measured in <b>ULPs</b> (units in the last place of the exact value "
         "in the format) and in <b>bits</b> (log<sub>2</sub> of one plus the number of "
         "values of the format between the result and the correctly rounded one). The "
         "exact values are computed with MPFR and rounded correctly to each format.</p>\n", fp);

  /* 2. the seed's table */
  tsv t;
  tsv_parse (&t, t_table);
  fputs ("<h2 id=\"table\">2. The seed's table: extreme logits, y = 1</h2>\n"
         "<p>The source document prints the loss of <code>BCEWithLogitsLoss</code> (the "
         "<em>stable</em> form) and of <em>BCE after a clamped sigmoid</em> (the "
         "<em>clamped</em> form, eps = 10<sup>&minus;7</sup>) at seven logits, in float. "
         "Here they are again, with the naive form, the exact value, and the error of each "
         "in ULPs. Red cells are <code>inf</code> or <code>nan</code>.</p>\n", fp);
  {
    static const char *const cols[] = { "form", "z", "loss", "ref", "ulp", "status" };
    static const char *const heads[] = { "form", "z", "computed", "exact", "error (ULPs)", "status" };
    html_table (fp, &t, cols, heads, 6, "precision", "float", "float (binary32)");
    html_table (fp, &t, cols, heads, 6, "precision", "double", "double (binary64)");
  }
  free (t.cell);
  fputs ("<p>At <var>z</var> = &minus;100 the clamped form returns &minus;ln(10<sup>&minus;7</sup>) "
         "instead of 100, and the naive form returns <code>inf</code>; at 50 and 100 the naive "
         "form returns <code>nan</code>: <var>p</var> rounds to 1 and its "
         "(1&minus;<var>y</var>)&nbsp;log(1&minus;<var>p</var>) term is 0&nbsp;&times;&nbsp;(&minus;&infin;).</p>\n", fp);

  /* 3. the seed's figure */
  fputs ("<h2 id=\"seed-figure\">3. The seed's figure</h2>\n", fp);
  figure (fp, have, "bce_nll_analysis",
          "The four panels of the source document, each computed by bcelab: (a) BCE against "
          "the predicted probability; (b) training loss of a logistic regression, BCE after "
          "a sigmoid against BCE from logits (section 8); (c) the sigmoid, and where the naive "
          "form really breaks in float and in double (found by bisection over each format's "
          "values, not hand-picked); (d) stable against clipped loss for y = 1 in float.");

  /* 4. errors and gradients */
  fputs ("<h2 id=\"errors\">4. The error itself, and the gradient</h2>\n", fp);
  figure (fp, have, "ulp-error",
          "The error in ULPs of every form against the exact loss, for logits up to "
          "&plusmn;10<sup>4</sup> (symmetric log axis), in float and double, y = 0 and 1. "
          "stable and softplus stay below 1 ULP everywhere; the others lose their digits "
          "long before they return inf or nan. Markers along the top are inf/nan results.");
  figure (fp, have, "gradient",
          "dL/dz in float for every form against the exact &sigma;(z) &minus; y (black). "
          "Where a curve leaves the black one, training gets the wrong signal: clamped and "
          "keras return exactly 0 wherever the clamp is active, torch falls off beyond "
          "|z| = 27.6 and vanishes where p is exactly 0 or 1.");
  tsv_parse (&t, t_grad);
  {
    static const char *const cols[] = { "form", "label", "z", "grad", "grad_ref", "grad_ulp", "grad_status" };
    static const char *const heads[] = { "form", "y", "z", "computed dL/dz", "exact", "error (ULPs)", "status" };
    html_table (fp, &t, cols, heads, 7, NULL, NULL,
                "The gradient of every form at the seed's logits, float, y = 0 and 1");
  }
  free (t.cell);

  /* 5. thresholds */
  fputs ("<h2 id=\"thresholds\">5. Where each form breaks</h2>\n"
         "<p>For every form, format, label and side of zero, the first logit going outward "
         "from 0 at which the form returns inf/nan, is more than 1 ULP off, has lost half its "
         "digits (more than 2<sup>p/2</sup> ULPs off), or returns a gradient that is zero, "
         "nan or off by more than 50%. half and bfloat16: every value checked; double and "
         "long double: sampled and bisected. Beside each point, the closed form that "
         "predicts it, derived from the format's parameters (docs/thresholds.md); "
         "<em>agrees</em> says whether the two match.</p>\n", fp);
  tsv_parse (&t, t_thr);
  {
    static const char *const cols[] = { "form", "label", "side", "criterion", "z", "z_hex",
                                        "method", "predicted", "agrees" };
    static const char *const heads[] = { "form", "y", "side", "criterion", "first logit",
                                         "hex", "found by", "closed form", "agrees" };
    static const char *const fmts[] = { "half", "bfloat16", "double", "long-double" };
    for (int i = 0; i < 4; i++)
      {
        char cap[64];
        snprintf (cap, sizeof cap, "Breakdown points in %s", fmts[i]);
        html_table (fp, &t, cols, heads, 9, "precision", fmts[i], cap);
      }
    free (t.cell);
    if (t_thrf)
      {
        tsv_parse (&t, t_thrf);
        html_table (fp, &t, cols, heads, 9, NULL, NULL,
                    "Breakdown points in float (every float in [2^-26, 104) checked, samples outside)");
        free (t.cell);
      }
  }
  fputs ("<p>The main closed forms: the sigmoid rounds to 1 at <var>z</var> = <var>p</var> ln 2 "
         "(float 16.64, double 36.74, half 7.62, bfloat16 5.55); exp(&minus;z) overflows at "
         "&minus;ln(max) (float &minus;88.72, double &minus;709.78); the clamp at eps engages "
         "at ln(eps/(1&minus;eps)) = &minus;16.12; 1&minus;p cancels at (p&minus;1) ln 2 + ln(3/2) "
         "(float 16.35); torch's 10<sup>&minus;12</sup> bites at &plusmn;ln(2&middot;10<sup>12</sup>) "
         "= &plusmn;28.32. In float (figure panel c) the naive form breaks at 16.64 and "
         "36.74 in double. The float table checks every float between 2<sup>&minus;26</sup> and "
         "104 and takes about 25 seconds: <code>bcelab thresholds -p float</code>, or "
         "<code>bcelab report --full</code>.</p>\n", fp);

  /* 6. half and bfloat16 */
  fputs ("<h2 id=\"mixed\">6. Half and bfloat16</h2>\n", fp);
  figure (fp, have, "mixed-precision",
          "The loss for y = 0 in half, bfloat16 and float. With 11 and 8 significant bits the "
          "sigmoid rounds to 1 at z = 7.62 and 5.55; and 1 &minus; 10<sup>&minus;7</sup> rounds "
          "to 1 in both formats, so the clamp no longer keeps log(1&minus;p) finite.");
  fputs ("<p>Every finite value of half and of bfloat16 (63488 each), every form, y = 0 and 1:</p>\n", fp);
  {
    static const char *const cols[] = { "form", "label", "correctly_rounded", "within_1ulp",
                                        "max_ulp", "max_ulp_at", "inf", "nan", "zero_grad",
                                        "wrong_sign_grad" };
    static const char *const heads[] = { "form", "y", "correctly rounded", "within 1 ULP",
                                         "max ULPs", "at z", "inf", "nan", "zero grad",
                                         "wrong-sign grad" };
    tsv_parse (&t, t_half);
    html_table (fp, &t, cols, heads, 10, NULL, NULL, "half: every finite value (counts out of 63488)");
    free (t.cell);
    figure (fp, have, "exhaustive-half", "Bits of error of the loss over every finite half value.");
    tsv_parse (&t, t_bf);
    html_table (fp, &t, cols, heads, 10, NULL, NULL, "bfloat16: every finite value (counts out of 63488)");
    free (t.cell);
    figure (fp, have, "exhaustive-bfloat16", "Bits of error of the loss over every finite bfloat16 value.");
    if (t_float)
      {
        tsv_parse (&t, t_float);
        html_table (fp, &t, cols, heads, 10, NULL, NULL,
                    "float: every finite value (counts out of 4278190080)");
        if (have && gp_render (dir, "exhaustive-float.gp", "svg") != 0)
          die ("report: gnuplot could not render exhaustive-float.gp");
        free (t.cell);
        figure (fp, have, "exhaustive-float", "Bits of error of the loss over every finite float.");
      }
    else
      fputs ("<p class=\"note\">The sweep of all 2<sup>32</sup> floats takes a few minutes; "
             "<code>bcelab report --full</code> includes it (or run <code>bcelab exhaustive "
             "-p float</code>, sharded if you like: docs/exhaustive.md).</p>\n", fp);
  }

  /* 7. soft labels */
  fputs ("<h2 id=\"soft\">7. Soft labels</h2>\n", fp);
  figure (fp, have, "soft-labels",
          "With label smoothing, y is 0.9 or 0.9999 rather than 1. The stable form then computes "
          "z &minus; z&middot;y for large z, a difference of two nearly equal numbers, and loses "
          "about 1/(2(1&minus;y)) ULPs; the softplus form, y&middot;softplus(&minus;z) + "
          "(1&minus;y)&middot;softplus(z), adds two non-negative terms and stays exact to an ULP.");

  /* 8. training */
  fputs ("<h2 id=\"training\">8. Training a logistic regression</h2>\n"
         "<p>The source document trains the same logistic regression twice: sigmoid then "
         "<code>BCELoss</code> (the torch form), and <code>BCEWithLogitsLoss</code> (the stable "
         "form). bcelab builds the data set as scikit-learn's <code>make_classification</code> "
         "does (with another random generator, so not the same numbers), standardises it, and "
         "runs full-batch gradient descent with every operation in float or double.</p>\n", fp);
  {
    static const char *const cols[] = { "precision", "model", "final_loss", "train_accuracy",
                                        "test_accuracy", "first_nan_epoch" };
    static const char *const heads[] = { "precision", "model", "final training loss",
                                         "train accuracy", "test accuracy", "first nan epoch" };
    tsv_parse (&t, t_train);
    html_table (fp, &t, cols, heads, 6, NULL, NULL, "The seed's setup: the two models agree");
    free (t.cell);
    figure (fp, have, "seed-b", "Training loss per epoch in float: the two curves coincide.");
    fputs ("<p>They part when the logits are extreme. In the stress scenario the features "
           "are 100 times larger and not standardised (learning rate 10<sup>&minus;4</sup>): "
           "the first logits are in the hundreds.</p>\n", fp);
    tsv_parse (&t, t_stress);
    html_table (fp, &t, cols, heads, 6, NULL, NULL,
                "Stress: features x100, not standardised, lr 1e-4, 100 epochs");
    free (t.cell);
    figure (fp, have, "train-stress",
            "Top: the training loss. The naive model's loss is nan from the first epoch; BCELoss "
            "stalls; BCEWithLogitsLoss keeps training. Bottom: misclassified samples whose "
            "gradient is exactly zero or nan. Where p is exactly 0 or 1, BCELoss's backward "
            "pass multiplies by p(1&minus;p) = 0, and those samples teach the model nothing.");
  }

  /* 9. traces */
  fputs ("<h2 id=\"explain\">9. Three failures, step by step</h2>\n"
         "<p>Each trace lists every operation of one evaluation: its inputs, its exact result "
         "on those inputs, the rounded result in the format (decimal and bits) and the "
         "relative error that rounding introduced, then a diagnosis.</p>\n"
         "<h3>The sigmoid rounds to 1: naive, z = 20, y = 0, float</h3>\n", fp);
  pre (fp, t_ex1);
  fputs ("<h3>log(0) clamped to &minus;100: torch, z = &minus;120, y = 1, float</h3>\n", fp);
  pre (fp, t_ex2);
  fputs ("<h3>Cancellation with a soft label: stable and softplus, z = 1000, y = 0.9999, float</h3>\n", fp);
  pre (fp, t_ex3);

  /* 10. categorical cross-entropy */
  fputs ("<h2 id=\"cce\">10. K classes: softmax, then log, or log-softmax</h2>\n"
         "<p>With K classes the model gives K logits <var>z</var><sub>i</sub> and the loss "
         "of the true class <var>t</var> is L = &minus;log softmax(<var>z</var>)<sub>t</sub> "
         "= log &sum;<sub>i</sub> e<sup><var>z</var><sub>i</sub></sup> &minus; "
         "<var>z</var><sub>t</sub>, with gradient softmax(<var>z</var>) &minus; onehot(t). "
         "bcelab computes it three ways: <b>softmax-naive</b> (exp, normalise, log), "
         "<b>softmax-shifted</b> (the same on <var>z</var> &minus; max <var>z</var>, as seed 003 "
         "writes it) and <b>log-softmax</b> ((<var>z</var><sub>t</sub> &minus; m) &minus; "
         "log1p of the sum of e<sup><var>z</var><sub>i</sub> &minus; m</sup> without the "
         "maximum's term). The sweeps put the true class's logit at a gap <var>g</var> above "
         "K &minus; 1 logits at 0, for K = 2, 10, 1000 and 50257 (a language model's "
         "vocabulary).</p>\n", fp);
  figure (fp, have, "cce-float",
          "Bits of error of the loss in float against the gap. softmax-naive turns nan past "
          "g = 88.72, where e<sup>g</sup> overflows; both softmax forms return 0 once p<sub>t</sub> "
          "rounds to 1 (from g = 24 ln 2 + ln(K&minus;1) = 16.6 + ln(K&minus;1)), and inf on the negative side once "
          "p<sub>t</sub> underflows; log-softmax stays within an ULP or two until its terms "
          "become subnormal.");
  figure (fp, have, "cce-half",
          "The same in half: exp overflows at 11.09, and with K = 50257 the sum of the "
          "K &minus; 1 ones alone (50256) is close to half's maximum, so the naive form "
          "overflows from g = 9.64.");
  tsv_parse (&t, t_cce_tab);
  {
    static const char *const cols[] = { "gap", "form", "loss", "ref", "ulp", "status" };
    static const char *const heads[] = { "gap", "form", "loss", "exact", "error (ULPs)",
                                         "status" };
    html_table (fp, &t, cols, heads, 6, NULL, NULL,
                "Softmax cross-entropy in float, K = 10: the true class at the gap, the others at 0");
    free (t.cell);
  }
  fputs ("<p>Seed 003's example, <code>cross_entropy([1, 2, 2], 1)</code> in double: it "
         "prints 0.8619948040582511 and the gradient [0.1553624, &minus;0.5776812, "
         "0.4223188]; bcelab's forms give the same.</p>\n", fp);
  tsv_parse (&t, t_cce_seed);
  {
    static const char *const cols[] = { "form", "what", "class", "value", "ref", "ulp" };
    static const char *const heads[] = { "form", "", "class", "value", "exact", "error (ULPs)" };
    html_table (fp, &t, cols, heads, 6, NULL, NULL, "logits (1, 2, 2), true class 1, double");
    free (t.cell);
  }
  fputs ("<h3>The two-logit bridge</h3>\n<p>With two logits (<var>s</var><sub>0</sub>, "
         "<var>s</var><sub>1</sub>) and true class 1, softmax cross-entropy is "
         "&minus;log &sigma;(<var>s</var><sub>1</sub> &minus; <var>s</var><sub>0</sub>): BCE "
         "on <var>z</var> = <var>s</var><sub>1</sub> &minus; <var>s</var><sub>0</sub> with "
         "<var>y</var> = 1 (seed 002). log-softmax on (0, <var>z</var>) performs the very "
         "operations of the stable BCE form and returns the same bits in every format; "
         "softmax-naive breaks like naive BCE, on the same side.</p>\n", fp);
  figure (fp, have, "cce-bridge",
          "Left: the softmax forms on (0, z); right: the BCE forms naive and stable on z, "
          "y = 1, in half, float and double. One exact value serves both sides.");
  tsv_parse (&t, t_cce_thr);
  {
    static const char *const cols[] = { "precision", "K", "form", "side", "found",
                                        "predicted", "agrees" };
    static const char *const heads[] = { "format", "K", "form", "side", "first gap",
                                         "closed form", "agrees" };
    html_table (fp, &t, cols, heads, 7, "criterion", "inf/nan",
                "Where each categorical form first returns inf or nan (logits (0, ..., 0, g))");
    free (t.cell);
  }
  fputs ("<p>The closed forms: e<sup>g</sup> + (K &minus; 1) overflows at g = ln(max + "
         "ulp(max)/2 &minus; (K &minus; 1)) (float 88.72, half 11.09, or 9.63 with K = 50257); "
         "p<sub>t</sub> = e<sup>g</sup>/(K &minus; 1) underflows to 0 at g = (emin &minus; p) "
         "ln 2 + ln(K &minus; 1) (float &minus;103.97 for K = 2). log-softmax has none. "
         "<code>bcelab cce --thresholds</code> prints every row, with the points where "
         "half the digits are gone.</p>\n"
         "<h3>The overflow, step by step: z = (0, 89) in float</h3>\n", fp);
  pre (fp, t_cce_ex);

  /* 11. advice */
  fputs ("<h2 id=\"advice\">11. What to use</h2>\n<ul>\n"
         "<li><b>Compute the loss from logits.</b> Use <code>BCEWithLogitsLoss</code> / "
         "<code>sigmoid_cross_entropy_with_logits</code> / <code>from_logits=True</code>, or "
         "write max(z,0) &minus; zy + log1p(e<sup>&minus;|z|</sup>). It never overflows and is "
         "within an ULP or two for hard labels in every format.</li>\n"
         "<li><b>With soft labels (label smoothing), prefer the softplus form</b> "
         "y&middot;softplus(&minus;z) + (1&minus;y)&middot;softplus(z): it does not cancel.</li>\n"
         "<li><b>Never take log of a sigmoid.</b> Clamping p only hides the problem: the loss "
         "saturates at &minus;ln(eps), the gradient is exactly zero where the clamp is active, "
         "and in half and bfloat16 1&minus;eps rounds to 1 so the clamp does not even keep the "
         "loss finite.</li>\n"
         "<li><b>Watch the gradient, not just the loss.</b> BCELoss after a sigmoid returns a "
         "finite loss (at most 100) with a zero gradient for every sample whose sigmoid has "
         "saturated: training silently stalls.</li>\n"
         "<li><b>With K classes, use log-softmax</b> (<code>log_softmax</code> then "
         "<code>nll_loss</code>, or <code>cross_entropy</code> on logits): subtracting the "
         "maximum removes the overflow but not the underflow of p<sub>t</sub>, and only the "
         "log-domain form keeps small losses.</li>\n"
         "<li><b>In half and bfloat16, compute the loss in float.</b> The sigmoid saturates at "
         "z = 7.6 (half) and 5.5 (bfloat16).</li>\n</ul>\n", fp);

  /* footer */
  char *gv = gnuplot_version ();
  char date[64];
  time_t now = time (NULL);
  strftime (date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", gmtime (&now));
  fputs ("<footer>\n<p>Written by <code>", fp);
  esc (fp, cli_command_line ());
  fprintf (fp, "</code>: bcelab %s; compiler %s; C library glibc %s; GSL %s; MPFR %s; ",
           PACKAGE_VERSION,
#ifdef __VERSION__
           __VERSION__,
#else
           "unknown",
#endif
           gnu_get_libc_version (), GSL_VERSION, mpfr_get_version ());
  esc (fp, gv);
  fputs (". Every figure has its data file and gnuplot script in this directory.</p>\n", fp);
  fprintf (fp, "<p>Date: %s</p>\n</footer>\n</body>\n</html>\n", date);
  out_commit (&o);
  free (gv);
  char *all[] = { t_table, t_grad, t_thr, t_thrf, t_train, t_stress, t_ex1, t_ex2, t_ex3,
                  t_half, t_bf, t_float, t_cce, t_cce_tab, t_cce_seed, t_cce_thr, t_cce_ex };
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    free (all[i]);
  printf ("bcelab: wrote %s/index.html\n", dir);
  return 0;
}
