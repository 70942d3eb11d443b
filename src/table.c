/* table.c -- `bcelab table`: the loss (and gradient) of each form at chosen
 * logits, beside the correctly rounded reference, with the error of each.
 *
 * Default: seed 000's extreme-logit table, z = -100, -50, -10, 0, 10, 50,
 * 100 with y = 1, for naive, clamped and stable in float and double.  Text
 * output is one block per (format, label), meant for a projector; tsv, csv
 * and markdown give one row per (format, form, label, z) with numbers that
 * read back exactly.
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "grid.h"
#include "metrics.h"
#include "reference.h"

static const char *const seed_logits[] = {
  "-100", "-50", "-10", "0", "10", "50", "100"
};

/* One evaluation: a form's loss and gradient and their errors.  */
typedef struct {
  long double loss, grad;
  metric ml, mg;
} cell;

/* Text and markdown: one block per (format, label), WHICH 0 loss 1 grad.  */
static void
print_block (const job *j, const fmt_info *f, const char *label,
             long double *z, size_t nz, ref_value *ref, cell *cells,
             int which, out_format how)
{
  char buf[64], ebuf[32];
  grid g;
  grid_init (&g, 2 + 2 * (size_t) j->n_form);
  grid_add_row (&g);
  grid_set (&g, 0, "z");
  grid_set (&g, 1, "exact");
  for (int k = 0; k < j->n_form; k++)
    {
      grid_set (&g, 2 + 2 * k, "%s", form_table[j->form[k]].name);
      grid_set (&g, 3 + 2 * k, "ulp");
    }
  for (size_t i = 0; i < nz; i++)
    {
      grid_add_row (&g);
      grid_set (&g, 0, "%s", fmt_shortest (buf, f, z[i]));
      grid_set (&g, 1, "%s", fmt_shortest (buf, f, which ? ref[i].grad_rn
                                                          : ref[i].loss_rn));
      for (int k = 0; k < j->n_form; k++)
        {
          const cell *c = &cells[(size_t) k * nz + i];
          grid_set (&g, 2 + 2 * k, "%s",
                    fmt_shortest (buf, f, which ? c->grad : c->loss));
          grid_set (&g, 3 + 2 * k, "%s", metric_short (ebuf, which ? c->mg : c->ml));
        }
    }
  if (how == OUT_MARKDOWN)
    printf ("**%s, %s (%s), y = %s**\n\n", which ? "dL/dz" : "BCE loss",
            f->name, f->ieee, label);
  else
    printf ("%s, %s (%s), y = %s\n", which ? "Gradient dL/dz" : "BCE loss",
            f->name, f->ieee, label);
  grid_print (&g, stdout, how);
  putchar ('\n');
  grid_free (&g);
}

int
cmd_table (const job *jb)
{
  job j = *jb;
  size_t nz = j.at.n ? j.at.n : sizeof seed_logits / sizeof *seed_logits;
  size_t ny = j.labels.n ? j.labels.n : 1;
  const char *const *ztext = j.at.n ? (const char *const *) j.at.text
                                    : seed_logits;
  static const char *const one[] = { "1" };
  const char *const *ytext = j.labels.n ? (const char *const *) j.labels.text
                                        : one;
  int machine = j.format == OUT_TSV || j.format == OUT_CSV;

  ref_global_init ();
  long double *z = xcalloc (nz, sizeof *z);
  ref_value *ref = xcalloc (nz, sizeof *ref);
  cell *cells = xcalloc (nz * (size_t) j.n_form, sizeof *cells);
  for (size_t i = 0; i < nz; i++)
    ref_init (&ref[i]);

  grid out;
  if (machine)
    {
      grid_init (&out, j.grad ? 14 : 9);
      grid_add_row (&out);
      const char *h[] = { "precision", "form", "label", "z", "loss", "ref",
                          "ulp", "bits", "status", "grad", "grad_ref",
                          "grad_ulp", "grad_bits", "grad_status" };
      for (size_t c = 0; c < out.cols; c++)
        grid_set (&out, c, "%s", h[c]);
    }
  else
    printf ("Values are the nearest of the format to what each form computes;"
            " 'exact' is the\ntrue value correctly rounded (MPFR); 'ulp' is"
            " the error in units in the last\nplace of the exact value."
            "  clamped uses eps = %g.\n\n", j.eps);

  for (int pi = 0; pi < j.n_precision; pi++)
    {
      const fmt_info *f = &fmt_table[j.precision[pi]];
      struct form_k k;
      form_k_init (&k, f, j.eps);
      for (size_t i = 0; i < nz; i++)
        if (fmt_parse (f, ztext[i], &z[i]) != 0)
          die ("cannot read logit '%s'", ztext[i]);
      for (size_t yi = 0; yi < ny; yi++)
        {
          long double y;
          if (fmt_parse (f, ytext[yi], &y) != 0)
            die ("cannot read label '%s'", ytext[yi]);
          for (size_t i = 0; i < nz; i++)
            ref_compute (&ref[i], f, z[i], y);
          for (int fi = 0; fi < j.n_form; fi++)
            for (size_t i = 0; i < nz; i++)
              {
                cell *c = &cells[(size_t) fi * nz + i];
                form_eval (&form_table[j.form[fi]], f, z[i], y, &k,
                           &c->loss, &c->grad);
                c->ml = metric_eval (f, c->loss, ref[i].loss, ref[i].loss_rn, 0);
                c->mg = metric_eval (f, c->grad, ref[i].grad, ref[i].grad_rn, 1);
              }
          if (!machine)
            {
              char lbuf[64];
              fmt_shortest (lbuf, f, y);
              print_block (&j, f, lbuf, z, nz, ref, cells, 0, j.format);
              if (j.grad)
                print_block (&j, f, lbuf, z, nz, ref, cells, 1, j.format);
              continue;
            }
          for (int fi = 0; fi < j.n_form; fi++)
            for (size_t i = 0; i < nz; i++)
              {
                const cell *c = &cells[(size_t) fi * nz + i];
                grid_add_row (&out);
                grid_set (&out, 0, "%s", f->name);
                grid_set (&out, 1, "%s", form_table[j.form[fi]].name);
                grid_set_value (&out, 2, f, y, j.hex);
                grid_set_value (&out, 3, f, z[i], j.hex);
                grid_set_value (&out, 4, f, c->loss, j.hex);
                grid_set_value (&out, 5, f, ref[i].loss_rn, j.hex);
                grid_set_metric (&out, 6, c->ml.ulp);
                grid_set_metric (&out, 7, c->ml.bits);
                grid_set (&out, 8, "%s", status_names[c->ml.status]);
                if (j.grad)
                  {
                    grid_set_value (&out, 9, f, c->grad, j.hex);
                    grid_set_value (&out, 10, f, ref[i].grad_rn, j.hex);
                    grid_set_metric (&out, 11, c->mg.ulp);
                    grid_set_metric (&out, 12, c->mg.bits);
                    grid_set (&out, 13, "%s", status_names[c->mg.status]);
                  }
              }
        }
    }
  if (machine)
    {
      grid_print (&out, stdout, j.format);
      grid_free (&out);
    }

  for (size_t i = 0; i < nz; i++)
    ref_clear (&ref[i]);
  free (ref);
  free (cells);
  free (z);
  return 0;
}
