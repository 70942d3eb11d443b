/* sweep.c -- `bcelab sweep` and the data files every figure reads.  */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
# include <omp.h>
#endif

#include "commands.h"
#include "forms.h"
#include "metrics.h"
#include "outfile.h"
#include "reference.h"
#include "rowbuf.h"
#include "sweep.h"

#define CHUNK 1024          /* rows computed in parallel, then written */

static long double
symlog_inv (long double s)
{
  long double z = powl (10.0L, fabsl (s)) - 1;
  return s < 0 ? -z : z;
}

static long double
symlog (long double z)
{
  long double s = log10l (1 + fabsl (z));
  return z < 0 ? -s : s;
}

long double
grid_point (const grid_spec *g, const fmt_info *f, size_t i)
{
  long double z;
  if (g->at)
    {
      if (fmt_parse (f, g->at[i], &z) != 0)
        die ("cannot read logit '%s'", g->at[i]);
      return z;
    }
  if (i == 0)
    return fmt_round (f, g->from);
  if (i == g->n - 1)
    return fmt_round (f, g->to);
  long double t = (long double) i / (long double) (g->n - 1);
  if (g->scale == SCALE_LIN)
    z = g->from + t * ((long double) g->to - g->from);
  else
    {
      long double a = symlog (g->from), b = symlog (g->to);
      z = symlog_inv (a + t * (b - a));
    }
  return fmt_round (f, z);
}

char *
sweep_file_name (const char *prefix, const fmt_info *f, const char *label)
{
  size_t n = strlen (prefix) + strlen (f->name) + strlen (label) + 16;
  char *s = xmalloc (n);
  snprintf (s, n, "%s-%s-y%s.dat", prefix, f->name, label);
  return s;
}

/* One row: the reference and every form at (z, y).  */
static void
compute_row (char *row, const sweep_spec *s, const struct form_k *k,
             long double z, long double y, ref_value *ref)
{
  const fmt_info *f = s->fmt;
  size_t len = 0;
  ref_compute (ref, f, z, y);
  len = row_value (row, len, f, z, s->hex);
  PUT (" ");
  len = row_value (row, len, f, ref->loss_rn, s->hex);
  if (s->grad)
    {
      PUT (" ");
      len = row_value (row, len, f, ref->grad_rn, s->hex);
    }
  for (int i = 0; i < s->n_forms; i++)
    {
      long double l, g;
      form_eval (&form_table[s->forms[i]], f, z, y, k, &l, &g);
      metric ml = metric_eval (f, l, ref->loss, ref->loss_rn, 0);
      PUT (" ");
      len = row_value (row, len, f, l, s->hex);
      len = row_metric (row, len, ml.ulp);
      len = row_metric (row, len, ml.bits);
      PUT (" %s", status_names[ml.status]);
      if (s->grad)
        {
          metric mg = metric_eval (f, g, ref->grad, ref->grad_rn, 1);
          PUT (" ");
          len = row_value (row, len, f, g, s->hex);
          len = row_metric (row, len, mg.ulp);
          PUT (" %s", status_names[mg.status]);
        }
    }
  PUT ("\n");
}

static void
write_header (FILE *fp, const sweep_spec *s, long double y,
              const struct form_k *k, const grid_spec *g)
{
  const fmt_info *f = s->fmt;
  char buf[64];
  fprintf (fp, "# bcelab %s\n", PACKAGE_VERSION);
  fprintf (fp, "# command: %s\n", cli_command_line ());
  fprintf (fp, "# format: %s (%s), p = %d, emin = %ld, emax = %ld\n",
           f->name, f->ieee, f->prec, f->emin, f->emax);
  fprintf (fp, "# label: y = %s (in %s: %s)\n", s->label, f->name,
           fmt_shortest (buf, f, y));
  fprintf (fp, "# forms:");
  for (int i = 0; i < s->n_forms; i++)
    fprintf (fp, " %s", form_table[s->forms[i]].name);
  fprintf (fp, "\n# eps: %g (clamped form; %s in %s)\n", s->eps,
           fmt_shortest (buf, f, k->eps), f->name);
  if (g->at)
    fprintf (fp, "# grid: %zu logits given with --at\n", g->n);
  else
    fprintf (fp, "# grid: %zu points from %g to %g, %s\n", g->n, g->from,
             g->to, g->scale == SCALE_LIN ? "linear" : "symlog");
  fprintf (fp, "# reference: MPFR %s, correctly rounded to %s "
           "(Ziv loop from %d bits; docs/reference.md)\n",
           mpfr_get_version (), f->name, f->prec + 40);
  fprintf (fp, "# values: %s; inf, -inf and nan as words "
           "(gnuplot skips them); ulp and bits: %%.17g\n",
           s->hex ? "hexadecimal (%a)" : "decimal that reads back exactly");
  fprintf (fp, "# status: ok inf nan zero sign (docs/definitions.md)\n");
  fprintf (fp, "# z ref");
  if (s->grad)
    fprintf (fp, " grad_ref");
  for (int i = 0; i < s->n_forms; i++)
    {
      const char *n = form_table[s->forms[i]].name;
      fprintf (fp, " %s_loss %s_ulp %s_bits %s_status", n, n, n, n);
      if (s->grad)
        fprintf (fp, " %s_grad %s_grad_ulp %s_grad_status", n, n, n);
    }
  fputc ('\n', fp);
}

size_t
sweep_write (const char *dir, const char *name, const sweep_spec *s,
             const grid_spec *g)
{
  const fmt_info *f = s->fmt;
  struct form_k k;
  form_k_init (&k, f, s->eps);
  long double y;
  if (fmt_parse (f, s->label, &y) != 0)
    die ("cannot read label '%s'", s->label);

  outfile o;
  out_open (&o, dir, name);
  write_header (o.fp, s, y, &k, g);

  int threads = ref_threads (s->jobs);
  long double *zs = xcalloc (CHUNK, sizeof *zs);
  char *rows = xmalloc ((size_t) CHUNK * ROW_MAX);
  size_t written = 0;
  long double last = NAN;
  int have_last = 0;

  for (size_t start = 0; start < g->n; start += CHUNK)
    {
      /* the chunk's distinct logits, in order */
      size_t m = 0;
      for (size_t i = start; i < g->n && i < start + CHUNK; i++)
        {
          long double z = grid_point (g, f, i);
          if (!g->at && have_last && z == last)
            continue;
          zs[m++] = z;
          last = z;
          have_last = 1;
        }
#pragma omp parallel num_threads (threads)
      {
        ref_value ref;
        ref_global_init ();
        ref_init (&ref);
#pragma omp for schedule (dynamic, 8)
        for (size_t i = 0; i < m; i++)
          compute_row (rows + i * ROW_MAX, s, &k, zs[i], y, &ref);
        ref_clear (&ref);
      }
      for (size_t i = 0; i < m; i++)
        fputs (rows + i * ROW_MAX, o.fp);
      written += m;
    }
  free (zs);
  free (rows);
  out_commit (&o);
  return written;
}

int
cmd_sweep (const job *j)
{
  static const char *const one[] = { "0", "1" };
  const char *const *labels = j->labels.n ? (const char *const *) j->labels.text
                                          : one;
  size_t nl = j->labels.n ? j->labels.n : 2;
  grid_spec g = { NULL, (size_t) j->points, j->from, j->to, j->scale };
  if (j->at.n)
    {
      g.at = (const char *const *) j->at.text;
      g.n = j->at.n;
    }
  const char *dir = j->output ? j->output : ".";
  out_mkdir (dir);
  for (int pi = 0; pi < j->n_precision; pi++)
    for (size_t li = 0; li < nl; li++)
      {
        sweep_spec s = { &fmt_table[j->precision[pi]], j->form, j->n_form,
                         labels[li], j->eps, j->grad, j->hex, j->jobs };
        char *name = sweep_file_name ("sweep", s.fmt, labels[li]);
        size_t rows = sweep_write (dir, name, &s, &g);
        printf ("%s/%s\t%zu rows\n", dir, name, rows);
        free (name);
      }
  return 0;
}
