/* explain.c -- `bcelab explain`: one evaluation, step by step.
 *
 * For a logit and a label (rounded to the format), every form's loss and
 * gradient beside the exact values, then each form's trace: every
 * operation with its inputs, its exact result (MPFR, on the same rounded
 * inputs), the rounded result in decimal and in bits, and the relative
 * error that one rounding introduced; and a one-line diagnosis naming the
 * step that lost the digits.
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
#include "trace.h"

/* The bit pattern of a value of F, as hex digits.  */
static void
bits_of (char *buf, size_t n, const fmt_info *f, long double v)
{
  switch (f->id)
    {
    case FMT_HALF:
    case FMT_BF16:
    case FMT_FLOAT:
      {
        float x = (float) v;
        uint32_t u;
        memcpy (&u, &x, 4);
        if (f->id == FMT_BF16)
          snprintf (buf, n, "0x%04x", u >> 16);
        else if (f->id == FMT_FLOAT)
          snprintf (buf, n, "0x%08x", u);
        else
          {
            /* binary16 bits from the value */
            int neg = signbit (x) != 0;
            float a = fabsf (x);
            unsigned h;
            if (isnan (a))
              h = 0x7e00;
            else if (isinf (a))
              h = 0x7c00;
            else if (a < 0x1p-14f)
              h = (unsigned) (a * 0x1p24f);
            else
              {
                int e;
                float m = frexpf (a, &e);        /* a = m 2^e, m in [1/2, 1) */
                h = (unsigned) ((e + 14) << 10) | ((unsigned) (m * 2048) & 0x3ff);
              }
            snprintf (buf, n, "0x%04x", h | (neg ? 0x8000u : 0));
          }
        break;
      }
    case FMT_DOUBLE:
      {
        double x = (double) v;
        unsigned long long u;
        memcpy (&u, &x, 8);
        snprintf (buf, n, "0x%016llx", u);
        break;
      }
    default:
      snprintf (buf, n, "%La", v);
    }
}

static void
print_trace (const job *j, const trace *t, const form_info *form,
             const ref_value *ref)
{
  const fmt_info *f = t->f;
  char a[64], c[64], d[64];
  grid g;
  grid_init (&g, 7);
  grid_add_row (&g);
  const char *h[] = { "#", "step", "inputs", "exact", f->name, "bits", "rel. error" };
  for (int i = 0; i < 7; i++)
    grid_set (&g, (size_t) i, "%s", h[i]);
  for (int i = 0; i < t->n; i++)
    {
      const trace_step *s = &t->step[i];
      grid_add_row (&g);
      grid_set (&g, 0, "%d", i + 1);
      grid_set (&g, 1, "%s%s%s", s->name, s->name[0] ? " = " : "", s->expr);
      char in[160] = "";
      for (int k = 0; k < s->nin; k++)
        {
          int named = !(s->in_name[k][0] >= '0' && s->in_name[k][0] <= '9');
          if (!named)
            continue;
          size_t len = strlen (in);
          snprintf (in + len, sizeof in - len, "%s%s = %s", len ? ", " : "",
                    s->in_name[k], fmt_shortest (a, f, s->in[k]));
        }
      grid_set (&g, 2, "%s", in);
      if (isnan (s->exact))
        grid_set (&g, 3, "nan");
      else if (isfinite (s->exact) && s->exact != 0 && fabsl (s->exact) < 1e-4L)
        grid_set (&g, 3, "%.6Le", s->exact);
      else
        grid_set (&g, 3, "%.12Lg", s->exact);
      grid_set (&g, 4, "%s", fmt_shortest (c, f, s->value));
      bits_of (d, sizeof d, f, s->value);
      grid_set (&g, 5, "%s", d);
      if (isnan (s->rel))
        grid_set (&g, 6, "-");
      else if (s->rel == 0)
        grid_set (&g, 6, "0");
      else
        grid_set (&g, 6, "%+.2e", s->rel);
    }
  char diag[512];
  trace_diagnose (t, ref->loss_rn, ref->grad_rn, diag, sizeof diag);
  if (j->format == OUT_MARKDOWN)
    printf ("#### %s: %s\n\n", form->name, form->formula);
  else
    printf ("%s: %s\n", form->name, form->formula);
  grid_print (&g, stdout, j->format == OUT_MARKDOWN ? OUT_MARKDOWN : OUT_TEXT);
  printf ("%s%s%s\n\n", j->format == OUT_MARKDOWN ? "\n**Diagnosis:** " : "  diagnosis: ",
          diag, "");
  grid_free (&g);
}

/* The forms side by side before their traces: a header (GRAD names the
   gradient column), a row per form, then the table.  */
static void
side_by_side_init (grid *g, const char *grad)
{
  const char *h[] = { "form", "loss", "ulp", grad, "ulp", "status" };
  grid_init (g, 6);
  grid_add_row (g);
  for (int i = 0; i < 6; i++)
    grid_set (g, (size_t) i, "%s", h[i]);
}

static void
side_by_side_row (grid *g, const fmt_info *f, const char *name,
                  long double l, metric ml, long double gr, metric mg)
{
  char a[64];
  grid_add_row (g);
  grid_set (g, 0, "%s", name);
  grid_set (g, 1, "%s", fmt_shortest (a, f, l));
  grid_set (g, 2, "%.3g", ml.ulp);
  grid_set (g, 3, "%s", fmt_shortest (a, f, gr));
  grid_set (g, 4, "%.3g", mg.ulp);
  grid_set (g, 5, "%s/%s", status_names[ml.status], status_names[mg.status]);
}

static void
side_by_side_print (grid *g, int md)
{
  grid_print (g, stdout, md ? OUT_MARKDOWN : OUT_TEXT);
  grid_free (g);
  putchar ('\n');
}

/* A categorical form's trace: every operation over the K logits.  */
#define EXPLAIN_MAX_CLASSES 8

static int
explain_cce (const job *j, const fmt_info *f)
{
  long n;
  long t = j->target < 0 ? 0 : j->target;
  size_t cases = 1;
  if (j->logits.n)
    n = (long) j->logits.n;
  else if (j->at.n)
    {
      if (j->n_classes > 1)
        usage_error ("explain traces one number of classes at a time (got %d)",
                     j->n_classes);
      n = j->n_classes ? j->classes[0] : 2;
      t = n - 1;
      cases = j->at.n;
    }
  else
    usage_error ("explain needs logits: --logits=LIST [--target=T], or a "
                 "gap --at=G [--classes=K]");
  if (n > EXPLAIN_MAX_CLASSES)
    usage_error ("explain traces at most %d classes (got %ld): try bcelab cce",
                 EXPLAIN_MAX_CLASSES, n);
  if (j->labels.n)
    usage_error ("--label does not apply to categorical forms (use --target)");
  if (j->offset != 0)
    usage_error ("--offset applies to 'bcelab cce' (give explain the logits)");
  int forms[CCE_COUNT], nf = 0;
  for (int i = 0; i < (j->given_cform ? j->n_cform : CCE_COUNT); i++)
    forms[nf++] = j->given_cform ? j->cform[i] : i;
  int md = j->format == OUT_MARKDOWN;
  ref_global_init ();
  long double eps = fmt_round (f, j->smoothing);
  struct cce_k k;
  cce_k_init (&k, f, (double) eps, n);
  long double z[EXPLAIN_MAX_CLASSES];
  long cnt[EXPLAIN_MAX_CLASSES];
  trace *tr = xmalloc (sizeof *tr);
  for (size_t ci = 0; ci < cases; ci++)
    {
      for (long i = 0; i < n; i++)
        {
          const char *txt = j->logits.n ? j->logits.text[i]
                            : i == t ? j->at.text[ci] : "0";
          if (fmt_parse (f, txt, &z[i]) != 0 || !isfinite (z[i]))
            die ("logit %s is beyond %s's range", txt, f->name);
          cnt[i] = 1;
        }
      cce_logits x = { z, cnt, (int) n, (int) t };
      cce_ref r;
      cce_ref_init (&r, (int) n);
      cce_ref_compute (&r, f, &x, eps);
      char a[64], b[64];
      printf ("%slogits (", md ? "### " : "");
      for (long i = 0; i < n; i++)
        printf ("%s%s", i ? ", " : "", fmt_shortest (a, f, z[i]));
      printf (") in %s (%s), true class %ld", f->name, f->ieee, t);
      if (eps != 0)
        printf (", smoothing %s", fmt_shortest (a, f, eps));
      printf (": exact loss %s, exact dL/dz_%ld %s\n\n",
              fmt_shortest (a, f, r.loss_rn), t, fmt_shortest (b, f, r.grad_t_rn));
      grid g;
      side_by_side_init (&g, "dL/dz_t");
      for (int i = 0; i < nf; i++)
        {
          long double l, gv[EXPLAIN_MAX_CLASSES];
          cce_table[forms[i]].eval[f->id] (z, n, t, &k, &l, gv);
          side_by_side_row (&g, f, cce_table[forms[i]].name, l,
                            metric_eval (f, l, r.loss, r.loss_rn, 0), gv[t],
                            metric_eval (f, gv[t], r.grad_t, r.grad_t_rn, 1));
        }
      side_by_side_print (&g, md);
      for (int i = 0; i < nf; i++)
        {
          form_info fi = { 0 };
          fi.name = cce_table[forms[i]].name;
          fi.formula = cce_table[forms[i]].formula;
          ref_value rv;
          rv.loss_rn = r.loss_rn;
          rv.grad_rn = r.grad_t_rn;
          trace_cce (tr, f, forms[i], z, n, t, &k);
          print_trace (j, tr, &fi, &rv);
        }
      cce_ref_clear (&r);
    }
  free (tr);
  return 0;
}

int
cmd_explain (const job *j)
{
  if (j->given_cform || (!j->given_form && (j->logits.n || j->n_classes)))
    {
      if (j->given_precision && j->n_precision > 1)
        usage_error ("explain traces one format at a time (got %d)", j->n_precision);
      return explain_cce (j, j->given_precision ? &fmt_table[j->precision[0]]
                                                : &fmt_table[FMT_FLOAT]);
    }
  if (j->logits.n || j->n_classes || j->smoothing != 0 || j->offset != 0)
    usage_error ("--logits, --classes, --smoothing and --offset go with the "
                 "categorical forms (-f log-softmax, ...)");
  if (!j->at.n)
    usage_error ("explain needs a logit: --at Z");
  const fmt_info *f = j->given_precision ? &fmt_table[j->precision[0]]
                                         : &fmt_table[FMT_FLOAT];
  if (j->given_precision && j->n_precision > 1)
    usage_error ("explain traces one format at a time (got %d)", j->n_precision);
  static const char *const one[] = { "1" };
  const char *const *labels = j->labels.n ? (const char *const *) j->labels.text : one;
  size_t nl = j->labels.n ? j->labels.n : 1;
  int forms[FORM_COUNT];
  int nf = job_forms_or_all (j, forms);

  ref_global_init ();
  ref_value ref;
  ref_init (&ref);
  struct form_k k;
  form_k_init (&k, f, j->eps);
  trace *t = xmalloc (sizeof *t);
  int md = j->format == OUT_MARKDOWN;

  for (size_t zi = 0; zi < j->at.n; zi++)
    for (size_t li = 0; li < nl; li++)
      {
        long double z, y;
        if (fmt_parse (f, j->at.text[zi], &z) || fmt_parse (f, labels[li], &y))
          die ("cannot read '%s' or '%s'", j->at.text[zi], labels[li]);
        ref_compute (&ref, f, z, y);
        char a[64], b[64], c[64], d[64], e[64];
        bits_of (c, sizeof c, f, z);
        printf ("%sz = %s in %s (%s, bits %s), y = %s: exact loss %s, exact dL/dz %s\n\n",
                md ? "### " : "", fmt_shortest (a, f, z), f->name, f->ieee, c,
                fmt_shortest (b, f, y), fmt_shortest (d, f, ref.loss_rn),
                fmt_shortest (e, f, ref.grad_rn));
        /* the forms side by side */
        grid g;
        side_by_side_init (&g, "dL/dz");
        for (int i = 0; i < nf; i++)
          {
            long double l, gr;
            form_eval (&form_table[forms[i]], f, z, y, &k, &l, &gr);
            side_by_side_row (&g, f, form_table[forms[i]].name, l,
                              metric_eval (f, l, ref.loss, ref.loss_rn, 0), gr,
                              metric_eval (f, gr, ref.grad, ref.grad_rn, 1));
          }
        side_by_side_print (&g, md);
        for (int i = 0; i < nf; i++)
          {
            trace_form (t, f, &form_table[forms[i]], z, y, &k);
            print_trace (j, t, &form_table[forms[i]], &ref);
          }
      }
  free (t);
  ref_clear (&ref);
  return 0;
}
