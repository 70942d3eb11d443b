/* trace.c -- the forms' single definition (forms_body.h) instantiated once
 * more, with operations that record themselves.
 *
 * The carrier is long double; each operation rounds to the traced format
 * exactly as the format's own instance does (float: the float operation
 * and expf/logf/log1pf; half, bfloat16: float, then rounded; ...), so a
 * trace computes bit for bit what the form computes (a unit test checks
 * it).  Beside each rounded result the trace keeps the operation's exact
 * result on the same (rounded) inputs, from MPFR, and the relative error
 * that one rounding introduced.
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trace.h"

static _Thread_local trace *cur;
static _Thread_local int last_recorded;   /* steps when LET last ran */
static _Thread_local long loop_index = -1; /* AT(i) of the categorical forms */

/* In S, "[i]" and a trailing "_i" (the loop's index in the forms' source)
   become the index I: "e[i]" -> "e[2]", "p_i" -> "p_2".  */
static void
subst_index (char *s, size_t n, long i)
{
  char out[160];
  size_t o = 0;
  for (const char *p = s; *p && o + 24 < sizeof out; p++)
    {
      char c = p[1] ? p[2] : '\0';
      int ident_after = c == '_' || (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (p[0] == '[' && p[1] == 'i' && c == ']')
        {
          o += (size_t) snprintf (out + o, sizeof out - o, "[%ld]", i);
          p += 2;
        }
      else if (p[0] == '_' && p[1] == 'i' && !ident_after)
        {
          o += (size_t) snprintf (out + o, sizeof out - o, "_%ld", i);
          p += 1;
        }
      else
        out[o++] = *p;
    }
  if (o > n - 1)
    o = n - 1;
  memcpy (s, out, o);
  s[o] = '\0';
}

/* ---- one rounded operation in the current format ---- */

static long double
rnd (long double x)
{
  switch (cur->f->id)
    {
    case FMT_HALF: return fmt_round_half ((float) x);
    case FMT_BF16: return fmt_round_bf16 ((float) x);
    case FMT_FLOAT: return (float) x;
    case FMT_DOUBLE: return (double) x;
    default: return x;
    }
}

static long double
apply (op_kind op, long double a, long double b, long double c)
{
  int narrow = cur->f->id <= FMT_FLOAT;
  int dbl = cur->f->id == FMT_DOUBLE;
  float fa = (float) a, fb = (float) b;
  double da = (double) a, db = (double) b;
  switch (op)
    {
    case OP_NEG: return -a;
    case OP_ABS: return fabsl (a);
    case OP_ADD: return narrow ? rnd (fa + fb) : dbl ? (long double) (da + db) : a + b;
    case OP_SUB: return narrow ? rnd (fa - fb) : dbl ? (long double) (da - db) : a - b;
    case OP_MUL: return narrow ? rnd (fa * fb) : dbl ? (long double) (da * db) : a * b;
    case OP_DIV: return narrow ? rnd (fa / fb) : dbl ? (long double) (da / db) : a / b;
    case OP_EXP: return narrow ? rnd (expf (fa)) : dbl ? (long double) exp (da) : expl (a);
    case OP_LOG: return narrow ? rnd (logf (fa)) : dbl ? (long double) log (da) : logl (a);
    case OP_LOG1P: return narrow ? rnd (log1pf (fa)) : dbl ? (long double) log1p (da) : log1pl (a);
    case OP_MAX: return a < b ? b : a;
    case OP_CLAMP:
      {
        long double m = a < b ? b : a;
        return c < m ? c : m;
      }
    default: return a;
    }
}

/* The exact result of OP on the (exact) inputs, as a long double, and
   in *REL the relative error of V against it (computed at 256 bits).  */
static long double
exact_of (op_kind op, long double a, long double b, long double c,
          long double v, double *rel)
{
  mpfr_t x, y, r;
  mpfr_inits2 (256, x, y, r, (mpfr_ptr) 0);
  mpfr_set_ld (x, a, MPFR_RNDN);
  mpfr_set_ld (y, b, MPFR_RNDN);
  switch (op)
    {
    case OP_ADD: mpfr_add (r, x, y, MPFR_RNDN); break;
    case OP_SUB: mpfr_sub (r, x, y, MPFR_RNDN); break;
    case OP_MUL: mpfr_mul (r, x, y, MPFR_RNDN); break;
    case OP_DIV: mpfr_div (r, x, y, MPFR_RNDN); break;
    case OP_EXP: mpfr_exp (r, x, MPFR_RNDN); break;
    case OP_LOG: mpfr_log (r, x, MPFR_RNDN); break;
    case OP_LOG1P: mpfr_log1p (r, x, MPFR_RNDN); break;
    default:
      mpfr_set_ld (r, apply (op, a, b, c), MPFR_RNDN);
      break;
    }
  long double e = mpfr_get_ld (r, MPFR_RNDN);
  if (mpfr_regular_p (r) && isfinite (v))
    {
      mpfr_set_ld (x, v, MPFR_RNDN);
      mpfr_sub (x, x, r, MPFR_RNDN);
      mpfr_div (x, x, r, MPFR_RNDN);
      *rel = mpfr_get_d (x, MPFR_RNDN);
    }
  else
    *rel = (mpfr_zero_p (r) && v == 0) ? 0 : NAN;
  mpfr_clears (x, y, r, (mpfr_ptr) 0);
  return e;
}

static const char *const op_fmt[] = {
  "-%s", "|%s|", "%s + %s", "%s - %s", "%s * %s", "%s / %s", "exp(%s)",
  "log(%s)", "log1p(%s)", "max(%s, %s)", "clamp(%s, %s, %s)", "%s"
};

/* Tidy a stringified operand: "K (eps)" -> "eps", "ONE" -> "1".  */
static void
operand_name (char *dst, size_t n, const char *src)
{
  if (strcmp (src, "ONE") == 0)
    src = "1";
  else if (strcmp (src, "ZERO") == 0)
    src = "0";
  else if (strncmp (src, "K (", 3) == 0)
    {
      snprintf (dst, n, "%.*s", (int) strlen (src) - 4, src + 3);
      return;
    }
  snprintf (dst, n, "%s", src);
}

static long double
record (op_kind op, int nin, long double a, const char *na, long double b,
        const char *nb, long double c, const char *nc)
{
  long double v = apply (op, a, b, c);
  if (!cur || cur->n >= TRACE_MAX)
    return v;
  trace_step *s = &cur->step[cur->n++];
  memset (s, 0, sizeof *s);
  s->op = op;
  s->nin = nin;
  s->in[0] = a, s->in[1] = b, s->in[2] = c;
  operand_name (s->in_name[0], sizeof s->in_name[0], na);
  operand_name (s->in_name[1], sizeof s->in_name[1], nb);
  operand_name (s->in_name[2], sizeof s->in_name[2], nc);
  snprintf (s->expr, sizeof s->expr, op_fmt[op], s->in_name[0], s->in_name[1],
            s->in_name[2]);
  s->value = v;
  s->exact = exact_of (op, a, b, c, v, &s->rel);
  return v;
}

/* The template's "SELECT (c, a, b)", as its reader knows it: "c ? a : b"
   (the operands split at the commas outside parentheses).  */
static void
select_text (char *dst, size_t n, const char *src)
{
  size_t len = strlen (src);
  if (strncmp (src, "SELECT (", 8) != 0 || src[len - 1] != ')')
    {
      snprintf (dst, n, "%s", src);
      return;
    }
  const char *part[3] = { src + 8, NULL, NULL };
  int k = 1, depth = 0;
  for (const char *p = src + 8; p < src + len - 1 && k < 3; p++)
    if (*p == '(')
      depth++;
    else if (*p == ')')
      depth--;
    else if (*p == ',' && depth == 0)
      part[k++] = p + 2;
  if (k < 3)
    {
      snprintf (dst, n, "%s", src);
      return;
    }
  snprintf (dst, n, "%.*s ? %.*s : %.*s", (int) (part[1] - 2 - part[0]), part[0],
            (int) (part[2] - 2 - part[1]), part[1],
            (int) (src + len - 1 - part[2]), part[2]);
}

/* LET (v, expr): name the step expr recorded; a selection that recorded
   nothing becomes a step of its own.  */
static long double
let (const char *name, const char *expr, long double v)
{
  if (cur && cur->n == last_recorded && cur->n < TRACE_MAX)
    {
      trace_step *s = &cur->step[cur->n++];
      memset (s, 0, sizeof *s);
      s->op = OP_SELECT;
      select_text (s->expr, sizeof s->expr, expr);
      s->value = v;
      s->exact = v;
      s->rel = 0;
    }
  if (cur && cur->n > 0)
    {
      trace_step *s = &cur->step[cur->n - 1];
      snprintf (s->name, sizeof s->name, "%s", name);
      if (loop_index >= 0)
        {
          subst_index (s->name, sizeof s->name, loop_index);
          subst_index (s->expr, sizeof s->expr, loop_index);
          for (int k = 0; k < s->nin; k++)
            subst_index (s->in_name[k], sizeof s->in_name[k], loop_index);
        }
    }
  if (cur)
    last_recorded = cur->n;
  return v;
}

/* ---- the instantiation ---- */
#define T long double
#define FN(n) n##_trace
#define K(c) ((long double) k->c)
#define ONE 1.0L
#define ZERO 0.0L
#define LET(v, e) const long double v = let (#v, #e, (e))
#define NEG(a) record (OP_NEG, 1, (a), #a, 0, "", 0, "")
#define ABS(a) record (OP_ABS, 1, (a), #a, 0, "", 0, "")
#define ADD(a, b) record (OP_ADD, 2, (a), #a, (b), #b, 0, "")
#define SUB(a, b) record (OP_SUB, 2, (a), #a, (b), #b, 0, "")
#define MUL(a, b) record (OP_MUL, 2, (a), #a, (b), #b, 0, "")
#define DIV(a, b) record (OP_DIV, 2, (a), #a, (b), #b, 0, "")
#define EXP(a) record (OP_EXP, 1, (a), #a, 0, "", 0, "")
#define LOG(a) record (OP_LOG, 1, (a), #a, 0, "", 0, "")
#define LOG1P(a) record (OP_LOG1P, 1, (a), #a, 0, "", 0, "")
#define MAX(a, b) record (OP_MAX, 2, (a), #a, (b), #b, 0, "")
#define CLAMP(x, lo, hi) record (OP_CLAMP, 3, (x), #x, (lo), #lo, (hi), #hi)
#define IS_POS(a) ((a) >= 0)
#define INSIDE(x, lo, hi) ((x) >= (lo) && (x) <= (hi))
#define SELECT(c, a, b) ((c) ? (a) : (b))
#include "forms_body.h"

typedef void (*trace_fn) (long double, long double, const struct form_k *,
                          long double *, long double *);
static const trace_fn trace_fns[FORM_COUNT] = {
  naive_trace, clamped_trace, stable_trace, torch_trace, keras_trace,
  softplus_trace
};

/* ---- the categorical forms, with the same operations ---- */
#define SET(v, e) ((v) = let (#v, #e, (e)))
#define KC(c) ((long double) k->c)
#define AT(i) (loop_index = (i))
#include "cce_body.h"
#undef SET
#undef KC
#undef AT

typedef void (*trace_cce_fn) (const long double *, long, long,
                              const struct cce_k *, long double *,
                              long double *, long double *);
static const trace_cce_fn trace_cce_fns[CCE_COUNT] = {
  softmax_naive_trace, softmax_shifted_trace, log_softmax_trace
};

void
trace_cce (trace *t, const fmt_info *f, int id, const long double *z, long n,
           long target, const struct cce_k *k)
{
  long double *e = xcalloc (2 * (size_t) n, sizeof *e);
  long double *g = xcalloc ((size_t) n, sizeof *g);
  memset (t, 0, sizeof *t);
  t->f = f;
  cur = t;
  last_recorded = 0;
  loop_index = -1;
  trace_cce_fns[id] (z, n, target, k, e, &t->loss, g);
  t->grad = g[target];
  cur = NULL;
  free (e);
  free (g);
}

void
trace_form (trace *t, const fmt_info *f, const form_info *form,
            long double z, long double y, const struct form_k *k)
{
  memset (t, 0, sizeof *t);
  t->f = f;
  cur = t;
  last_recorded = 0;
  trace_fns[form->id] (z, y, k, &t->loss, &t->grad);
  cur = NULL;
}

/* ---- the diagnosis ---- */

static void
append (char *buf, size_t n, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

#include <stdarg.h>
static void
append (char *buf, size_t n, const char *fmt, ...)
{
  size_t len = strlen (buf);
  if (len >= n - 1)
    return;
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (buf + len, n - len, fmt, ap);
  va_end (ap);
}

/* The largest relative error of the steps that produced step I's inputs
   (looked up by name), 0 if none was rounded.  */
static double
input_error (const trace *t, int i)
{
  const trace_step *s = &t->step[i];
  double worst = 0;
  for (int k = 0; k < s->nin; k++)
    for (int j = i - 1; j >= 0; j--)
      if (strcmp (t->step[j].name, s->in_name[k]) == 0)
        {
          if (!isnan (t->step[j].rel) && fabs (t->step[j].rel) > fabs (worst))
            worst = t->step[j].rel;
          break;
        }
  return worst;
}

void
trace_diagnose (const trace *t, long double exact_loss, long double exact_grad,
                char *buf, size_t n)
{
  const fmt_info *f = t->f;
  char a[64], b[64], c[64];
  buf[0] = '\0';
  int said = 0;
  /* the first events on the loss's path, in order: a value rounded to 1,
     a difference that became 0, an overflow, a log of 0, a nan, a clamp */
  int seen_one = 0, seen_zero = 0, seen_inf = 0, seen_nan = 0, seen_clamp = 0;
  int seen_cancel = 0;
  for (int i = 0; i < t->n && said < 4; i++)
    {
      const trace_step *s = &t->step[i];
      long double v = s->value;
      int fin_in = 1;
      for (int k = 0; k < s->nin; k++)
        fin_in &= isfinite (s->in[k]);
      if (!seen_one && v == 1 && s->exact != 1 && fabs (s->rel) > 0)
        {
          if (s->op == OP_ADD && s->in[0] == 1)
            append (buf, n, "%s%s: %s rounds to 1 (%s = %s is at most half an ulp of 1),"
                    " so the sigmoid 1/%s is exactly 1", said ? "; " : "", s->name,
                    s->expr, s->in_name[1], fmt_shortest (a, f, s->in[1]), s->name);
          else
            append (buf, n, "%s%s: %s rounds to 1 (exact %.21Lg)", said ? "; " : "",
                    s->name, s->expr, s->exact);
          seen_one = 1, said++;
        }
      else if (!seen_zero && seen_one && v == 0 && s->exact == 0
               && s->op == OP_SUB && s->in[0] != 0)
        {
          append (buf, n, "%s%s: %s = 0 (%s rounded to %s)", said ? "; " : "",
                  s->name, s->expr, s->in_name[1], fmt_shortest (a, f, s->in[1]));
          seen_zero = 1, said++;
        }
      else if (!seen_zero && v == 0 && s->exact != 0)
        {
          append (buf, n, "%s%s: %s underflows to 0 (exact %.4Lg)", said ? "; " : "",
                  s->name, s->expr, s->exact);
          seen_zero = 1, said++;
        }
      else if (!seen_inf && isinf (v) && fin_in)
        {
          if (s->op == OP_LOG || s->op == OP_LOG1P)
            append (buf, n, "%s%s: %s of %s = %s", said ? "; " : "", s->name,
                    s->op == OP_LOG ? "log" : "log1p", fmt_shortest (a, f, s->in[0]),
                    fmt_shortest (b, f, v));
          else if (isinf (s->exact))
            append (buf, n, "%s%s: %s = %s", said ? "; " : "", s->name, s->expr,
                    fmt_shortest (a, f, v));
          else
            append (buf, n, "%s%s: %s overflows %s (exact %.4Lg)", said ? "; " : "",
                    s->name, s->expr, f->name, s->exact);
          seen_inf = 1, said++;
        }
      else if (!seen_nan && isnan (v))
        {
          const char *sym = s->op == OP_DIV ? "/" : s->op == OP_ADD ? "+"
                            : s->op == OP_SUB ? "-" : "*";
          append (buf, n, "%s%s: %s = %s %s %s = nan", said ? "; " : "", s->name,
                  s->expr, fmt_shortest (a, f, s->in[0]), sym,
                  fmt_shortest (b, f, s->in[1]));
          seen_nan = 1, said++;
        }
      else if (!seen_cancel && (s->op == OP_SUB || s->op == OP_ADD) && v != 0
               && isfinite (v) && s->in[0] != 0 && s->in[1] != 0
               && fmaxl (fabsl (s->in[0]), fabsl (s->in[1])) > 64 * fabsl (v)
               && input_error (t, i) != 0)
        {
          long double big = fmaxl (fabsl (s->in[0]), fabsl (s->in[1]));
          double r = input_error (t, i);
          append (buf, n, "%s%s: %s cancels: %s - %s leaves %s, so the rounding "
                  "error of its input (%.1e) grows %.3Lgx to %.1e of the result",
                  said ? "; " : "", s->name, s->expr, fmt_shortest (a, f, s->in[0]),
                  fmt_shortest (b, f, s->op == OP_SUB ? s->in[1] : -s->in[1]),
                  fmt_shortest (c, f, v), fabs (r), big / fabsl (v),
                  fabs (r) * (double) (big / fabsl (v)));
          seen_cancel = 1, said++;
        }
      else if (!seen_cancel && s->op == OP_LOG && isfinite (v) && v != 0
               && fabsl (v) < 1.0L / 64 && input_error (t, i) != 0)
        {
          /* log near 1: condition number 1/|log x| */
          double r = input_error (t, i);
          append (buf, n, "%s%s: %s of %s, near 1, amplifies the rounding error of "
                  "its input (%.1e) %.3Lgx to %.1e", said ? "; " : "", s->name,
                  s->expr, fmt_shortest (a, f, s->in[0]), fabs (r), 1 / fabsl (v),
                  fabs (r) / fabs ((double) v));
          seen_cancel = 1, said++;
        }
      else if (!seen_clamp && (s->op == OP_MAX || s->op == OP_CLAMP)
               && !(s->in_name[1][0] >= '0' && s->in_name[1][0] <= '9')
               && v != s->in[0] && !(isnan (v) && isnan (s->in[0])))
        {
          append (buf, n, "%s%s: %s replaces %s by %s", said ? "; " : "", s->name,
                  s->expr, fmt_shortest (a, f, s->in[0]), fmt_shortest (b, f, v));
          seen_clamp = 1, said++;
        }
    }
  char el[64], eg[64], cl[64], cg[64];
  fmt_shortest (el, f, exact_loss);
  fmt_shortest (eg, f, exact_grad);
  fmt_shortest (cl, f, t->loss);
  fmt_shortest (cg, f, t->grad);
  if (!said)
    append (buf, n, "every step rounded once: nothing overflowed, cancelled or rounded to 1");
  append (buf, n, ": loss %s (exact %s), dL/dz %s (exact %s)", cl, el, cg, eg);
}
