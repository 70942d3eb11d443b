/* thresholds.c -- `bcelab thresholds`: where each form breaks.
 *
 * half, bfloat16, float: every value of the format is checked, going
 * outward from 0 (for these formats the ordinal of |z| is its bit
 * pattern), in blocks evaluated in parallel; for each (form, criterion)
 * the smallest failing ordinal is kept, so the result does not depend on
 * the number of threads, and a criterion stops being checked once a block
 * has found it.  The exact values come from fastref.h (double), with MPFR
 * where the double cannot decide a criterion.
 *
 * double, long double: 2^64 values are too many.  Each binade is sampled
 * (its first value and eight fractions of it; every binade near 0, every
 * 16th far out), walking outward; between the last passing and the first
 * failing sample the transition is found by bisection on the ordinals,
 * and the 64 values before it are checked.  If one of them fails as well,
 * the condition is not monotone there: the earliest failure seen is
 * reported and marked so.  The exact values come from long double
 * arithmetic (double) or MPFR (long double).
 */
#include <config.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
# include <omp.h>
#endif

#include "cli.h"
#include "commands.h"
#include "fastref.h"
#include "grid.h"
#include "metrics.h"
#include "reference.h"
#include "thresholds.h"

/* The float forms, inline, for the float scan: with both labels evaluated
   side by side the compiler shares their identical expf/logf calls.  */
#include "forms_ops.h"
#define form_k form_kf
#define FN(name) th_##name
#include "forms_float.h"
#undef FN
#undef form_k
#undef LET
#undef NEG
#undef ABS
#undef MAX
#undef CLAMP
#undef MINV
#undef IS_POS
#undef INSIDE
#undef ONE
#undef ZERO
#undef K
#undef ADD
#undef SUB
#undef MUL
#undef DIV

const char *const criterion_names[CR_COUNT] = {
  "inf/nan", ">1ulp", "half-digits", "gradient"
};

const char *const method_names[] = {
  "none", "exhaustive", "bisection", "not-monotone", "sampled"
};

#define ALL_CR ((1u << CR_COUNT) - 1)
#define LOSS_CR ((1u << CR_INF) | (1u << CR_ULP1) | (1u << CR_HALF))

/* ---- deciding the criteria at one point ---- */

/* The exact loss and gradient as long doubles with a relative error bound
   (for the gradient: relative to TERMS).  */
typedef struct {
  long double loss, grad, terms;
  long double rel;
} approx;

static long double
ulp_at (const fmt_info *f, long double x)
{
  long e = f->emin;
  if (x != 0 && isfinite (x))
    {
      e = ilogbl (x);
      if (e < f->emin)
        e = f->emin;
      if (e > f->emax)
        e = f->emax;
    }
  return ldexpl (1.0L, (int) (e - f->prec + 1));
}

/* Criteria failing for computed (CL, CG) against X; *UNSURE when X's error
   could change a decision.  */
static unsigned
decide (const fmt_info *f, long double cl, long double cg, const approx *x,
        int *unsure)
{
  unsigned m = 0;
  long double half_t = ldexpl (1.0L, f->prec / 2);
  if (isnan (cl) || isinf (cl))
    m |= LOSS_CR;
  else
    {
      long double u = ulp_at (f, x->loss);
      long double err = fabsl (cl - x->loss) / u;
      long double unc = fabsl (x->loss) * x->rel / u;
      if (err - unc > 1)
        m |= 1u << CR_ULP1;
      else if (err + unc > 1)
        *unsure = 1;
      if (err - unc > half_t)
        m |= 1u << CR_HALF;
      else if (err + unc > half_t)
        *unsure = 1;
    }
  if (isnan (cg) || isinf (cg))
    m |= 1u << CR_GRAD;
  else
    {
      long double g = x->grad, gunc = x->terms * x->rel;
      long double half_min = ldexpl (1.0L, (int) (f->emin - f->prec));
      if (cg == 0)
        {
          if (fabsl (g) - gunc > half_min)
            m |= 1u << CR_GRAD;
          else if (fabsl (g) + gunc > half_min)
            *unsure = 1;
        }
      else
        {
          long double diff = fabsl (cg - g), u = ulp_at (f, g);
          int lo = diff - gunc > 0.5L * (fabsl (g) + gunc) && diff - gunc > u;
          int hi = diff + gunc > 0.5L * (fabsl (g) - gunc) && diff + gunc > u;
          if (lo)
            m |= 1u << CR_GRAD;
          else if (hi)
            *unsure = 1;
        }
    }
  return m;
}

/* The same decisions with MPFR's exact values.  */
static unsigned
decide_exact (const fmt_info *f, long double cl, long double cg,
              const ref_value *r)
{
  unsigned m = 0;
  if (isnan (cl) || isinf (cl))
    m |= LOSS_CR;
  else
    {
      metric ml = metric_eval (f, cl, r->loss, r->loss_rn, 0);
      if (ml.ulp > 1)
        m |= 1u << CR_ULP1;
      if (ml.ulp > ldexp (1.0, f->prec / 2))
        m |= 1u << CR_HALF;
    }
  if (isnan (cg) || isinf (cg))
    m |= 1u << CR_GRAD;
  else if (cg == 0)
    {
      if (r->grad_rn != 0)
        m |= 1u << CR_GRAD;
    }
  else if (!mpfr_zero_p (r->grad))
    {
      mpfr_t d, a;
      mpfr_inits2 (128, d, a, (mpfr_ptr) 0);
      mpfr_set_ld (d, cg, MPFR_RNDN);
      mpfr_sub (d, d, r->grad, MPFR_RNDN);
      mpfr_abs (d, d, MPFR_RNDN);
      mpfr_abs (a, r->grad, MPFR_RNDN);
      mpfr_div_2ui (a, a, 1, MPFR_RNDN);
      long double u = ulp_at (f, mpfr_get_ld (r->grad, MPFR_RNDN));
      if (mpfr_cmp (d, a) > 0 && mpfr_cmp_ld (d, u) > 0)
        m |= 1u << CR_GRAD;
      mpfr_clears (d, a, (mpfr_ptr) 0);
    }
  else if (cg != 0)
    m |= 1u << CR_GRAD;
  return m;
}

/* The exact values in a wider native type, where there is one.  */
static int
approx_eval (const fmt_info *f, long double z, long double y, approx *x)
{
  if (f->id == FMT_LDOUBLE)
    return 0;
  if (f->id == FMT_DOUBLE)
    {
      /* the fastref expressions in long double: 2^-60 relative */
      long double az = fabsl (z), e = expl (-az), l = log1pl (e);
      long double d = 1 + e, big = 1 / d, small = e / d;
      long double ym = 1 - y;
      x->loss = ym * ((z > 0 ? z : 0) + l) + y * ((z < 0 ? -z : 0) + l);
      long double A = ym * (z >= 0 ? big : small), B = y * (z >= 0 ? small : big);
      x->grad = A - B;
      x->terms = A + B;
      x->rel = 0x1p-58L;
#if LDBL_MANT_DIG <= 53
      return 0;
#endif
      return 1;
    }
  fastref r;
  fastref_eval ((double) z, (double) y, &r);
  x->loss = r.loss;
  x->grad = r.grad;
  x->terms = r.terms;
  x->rel = 0x1p-47L;
  return 1;
}

/* All the checks at one logit for the forms in ACTIVE (bits of the form
   index), criteria ACTIVE_CR[i]: the failing ones into FAIL[i].  */
typedef struct {
  const fmt_info *f;
  const int *forms;
  int n;
  long double y;
  struct form_k k;
  const long double *ys;        /* float: every label at once */
  int ny;
  int y01;                      /* every label is 0 or 1 */
  int skip_small;               /* float: only >1ulp below 4 (SKIP_BITS) */
  int l01;                      /* the labels are exactly 0, 1 (in order) */
  struct form_kf kf;            /* the constants as floats */
} th_ctx;

static void
check_point (const th_ctx *t, long double z, const unsigned *active_cr,
             unsigned *fail, ref_value *ref)
{
  approx x = { 0, 0, 0, 0 };
  int have = approx_eval (t->f, z, t->y, &x), exact = 0;
  for (int i = 0; i < t->n; i++)
    {
      fail[i] = 0;
      if (!active_cr[i])
        continue;
      long double l, g;
      form_eval (&form_table[t->forms[i]], t->f, z, t->y, &t->k, &l, &g);
      int unsure = !have;
      unsigned m = have ? decide (t->f, l, g, &x, &unsure) : 0;
      if (unsure)
        {
          if (!exact)
            {
              ref_compute (ref, t->f, z, t->y);
              exact = 1;
            }
          m = decide_exact (t->f, l, g, ref);
        }
      fail[i] = m & active_cr[i];
    }
}

int
threshold_fails (const fmt_info *f, int form, long double z, long double y,
                 double eps, criterion c)
{
  th_ctx t = { .f = f, .forms = &form, .n = 1, .y = y };
  form_k_init (&t.k, f, eps);
  unsigned active = 1u << c, fail;
  ref_value ref;
  ref_global_init ();
  ref_init (&ref);
  check_point (&t, z, &active, &fail, &ref);
  ref_clear (&ref);
  return fail != 0;
}

/* ---- exhaustive scan: half, bfloat16, float ---- */

/* Record ordinal O as the first failure of each criterion in FAIL[i] (for
   the N rows) into MINE, and stop checking those criteria (ACT).  */
static inline void
note_failures (const unsigned *fail, int n, long long o, long long *mine,
               unsigned *act)
{
  for (int i = 0; i < n; i++)
    if (fail[i])
      {
        for (int c = 0; c < CR_COUNT; c++)
          if (fail[i] & (1u << c))
            mine[i * CR_COUNT + c] = o;
        act[i] &= ~fail[i];
      }
}

#define BLOCK 4096
#define BATCH 256             /* blocks per parallel step */

static void
scan_exhaustive (const th_ctx *t, int side, int jobs, th_point *out)
{
  const fmt_info *f = t->f;
  long long last = (long long) fmt_ordinal (f, INFINITY) - 1;
  int n = t->n;
  unsigned *active = xcalloc ((size_t) n, sizeof *active);
  long long *first = xcalloc ((size_t) n * CR_COUNT, sizeof *first);
  for (int i = 0; i < n; i++)
    {
      active[i] = ALL_CR;
      for (int c = 0; c < CR_COUNT; c++)
        first[i * CR_COUNT + c] = -1;
    }
  int threads = ref_threads (jobs);
  for (long long start = 0; start <= last; start += (long long) BLOCK * BATCH)
    {
      int any = 0;
      for (int i = 0; i < n; i++)
        any |= active[i] != 0;
      if (!any)
        break;
      long long nblocks = BATCH;
      /* per block, per form and criterion: the first failing ordinal */
      long long *bf = xmalloc ((size_t) nblocks * n * CR_COUNT * sizeof *bf);
      for (long long a = 0; a < nblocks * n * CR_COUNT; a++)
        bf[a] = -1;
#pragma omp parallel num_threads (threads)
      {
        ref_value ref;
        ref_global_init ();
        ref_init (&ref);
        unsigned *act = xcalloc ((size_t) n, sizeof *act);
        unsigned *fail = xcalloc ((size_t) n, sizeof *fail);
#pragma omp for schedule (dynamic, 1)
        for (long long b = 0; b < nblocks; b++)
          {
            long long o0 = start + b * BLOCK;
            memcpy (act, active, (size_t) n * sizeof *act);
            long long *mine = bf + b * n * CR_COUNT;
            for (long long o = o0; o < o0 + BLOCK && o <= last; o++)
              {
                long double z = fmt_from_ordinal (f, o);
                if (side < 0)
                  z = -z;
                check_point (t, z, act, fail, &ref);
                note_failures (fail, n, o, mine, act);
              }
          }
        free (act);
        free (fail);
        ref_clear (&ref);
      }
      /* the earliest block that found each one wins */
      for (long long b = 0; b < nblocks; b++)
        for (int i = 0; i < n; i++)
          for (int c = 0; c < CR_COUNT; c++)
            {
              long long o = bf[(b * n + i) * CR_COUNT + c];
              if (o >= 0 && first[i * CR_COUNT + c] < 0)
                {
                  first[i * CR_COUNT + c] = o;
                  active[i] &= ~(1u << c);
                }
            }
      free (bf);
    }
  for (int i = 0; i < n; i++)
    for (int c = 0; c < CR_COUNT; c++)
      {
        th_point *p = &out[i * CR_COUNT + c];
        long long o = first[i * CR_COUNT + c];
        p->found = o >= 0;
        p->method = o >= 0 ? M_EXHAUSTIVE : M_NONE;
        p->z = o >= 0 ? fmt_from_ordinal (f, o) * side : 0;
      }
  free (active);
  free (first);
}

/* ---- float: the fast exhaustive scan of the active range ----

   Outside |z| in [2^-26, 104] nothing in float depends on z in more than
   a trivial way: for |z| >= 104, expf(-|z|) = 0 (e^-104 < 2^-150) and
   expf(|z|) = inf (104 > 88.73), so every intermediate value of every form
   is a constant, +-z, 0 or +-inf; for |z| < 2^-26, expf(-|z|) rounds to 1
   (1 - |z| is within half an ulp of 1).  There every binade is sampled
   (its first and last value and 62 between); inside, every float is
   checked.  */

#define ACTIVE_LO 0x32800000u   /* 2^-26 */
#define ACTIVE_HI 0x42d00000u   /* 104 */
#define SKIP_BITS 0x40800000u   /* 4.0 */

/* Below |z| = 4 in float, for y in {0, 1} and a clamp eps <= 1e-3, only
   ">1ulp" can fail.  There every form works on moderate non-zero values:
   exp(-+z) in (0.018, 54.6), the sigmoid and 1 - p in (0.018, 0.982), so
   no log meets 0 and no division meets 0 or overflows (no inf/nan), and no
   clamp is active (eps <= 1e-3, keras's 1e-7); the small losses are
   -log(p) or -log(1-p) with p or 1 - p known to a few ULPs of 1, at most
   about e^|z|/2 < 28 ULPs off, far from 2^12; the exact gradient is at
   least 0.018 in magnitude, and a few roundings cannot make it 50% off or
   zero.  (The full scan of every float in [2^-26, 104) found the first
   such point at 8.319, naive's half-digits.)  So the scan checks only
   ">1ulp" there, and everything from 4 on.  */
/* Criteria failing for float results (CL, CG) against double X; *UNSURE
   if X's 2^-47 relative error could change a decision.  */
static inline unsigned
decide_f (float cl, float cg, double xl, double xg, int *unsure)
{
  const double rel = 0x1p-47;
  unsigned m = 0;
  if (!isfinite (cl))
    m |= LOSS_CR;
  else
    {
      double iu = fastref_inv_float_ulp (xl), err = fabs ((double) cl - xl) * iu;
      double unc = fabs (xl) * rel * iu;
      if (err - unc > 1)
        m |= 1u << CR_ULP1;
      else if (err + unc > 1)
        *unsure = 1;
      if (err - unc > 4096)
        m |= 1u << CR_HALF;
      else if (err + unc > 4096)
        *unsure = 1;
    }
  if (!isfinite (cg))
    m |= 1u << CR_GRAD;
  else
    {
      double gunc = fabs (xg) * rel, half_min = 0x1p-150;
      if (cg == 0)
        {
          if (fabs (xg) - gunc > half_min)
            m |= 1u << CR_GRAD;
          else if (fabs (xg) + gunc > half_min)
            *unsure = 1;
        }
      else
        {
          double diff = fabs ((double) cg - xg), u = 1 / fastref_inv_float_ulp (xg);
          int lo = diff - gunc > 0.5 * (fabs (xg) + gunc) && diff - gunc > u;
          int hi = diff + gunc > 0.5 * (fabs (xg) - gunc) && diff + gunc > u;
          if (lo)
            m |= 1u << CR_GRAD;
          else if (hi)
            *unsure = 1;
        }
    }
  return m;
}

/* Check the float with bit pattern BITS (a magnitude) on SIDE, for every
   label and form: row r = label * n + form.  Flattened: the forms are
   inlined.  */
static void __attribute__ ((flatten))
check_float (const th_ctx *t, uint32_t bits, int side, const unsigned *act,
             unsigned *fail, ref_value *ref)
{
  float z;
  memcpy (&z, &bits, 4);
  if (side < 0)
    z = -z;
  unsigned any = 0;
  for (int r = 0; r < t->n * t->ny; r++)
    any |= act[r], fail[r] = 0;
  if (!any)
    return;
  fastref_terms x;
  fastref_terms_eval (z, &x);
  /* y = 0: loss softplus(z), gradient sigmoid(z);
     y = 1: loss softplus(-z), gradient -sigmoid(-z) */
  const double xloss[2] = { x.sp, x.sn };
  const double xgrad[2] = { x.sz, x.snz == 0 ? -0.0 : -x.snz };
  if (t->l01)
    {
      /* labels 0 and 1: both evaluated inline, side by side */
      for (int i = 0; i < t->n; i++)
        {
          if (!act[i] && !act[t->n + i])
            continue;
          float l0, g0, l1, g1;
          const struct form_kf *k = &t->kf;
          switch (t->forms[i])
            {
#define TH2(fn) fn (z, 0.0f, k, &l0, &g0); fn (z, 1.0f, k, &l1, &g1); break
            case FORM_NAIVE: TH2 (th_naive);
            case FORM_CLAMPED: TH2 (th_clamped);
            case FORM_STABLE: TH2 (th_stable);
            case FORM_TORCH: TH2 (th_torch);
            case FORM_KERAS: TH2 (th_keras);
            default: TH2 (th_softplus);
#undef TH2
            }
          for (int li = 0; li < 2; li++)
            {
              int r = li * t->n + i;
              if (!act[r])
                continue;
              float l = li ? l1 : l0, g = li ? g1 : g0;
              int unsure = 0;
              unsigned m = decide_f (l, g, xloss[li], xgrad[li], &unsure);
              if (unsure)
                {
                  ref_compute (ref, t->f, z, (long double) li);
                  m = decide_exact (t->f, l, g, ref);
                }
              fail[r] = m & act[r];
            }
        }
      return;
    }
  for (int li = 0; li < t->ny; li++)
    {
      float y = (float) t->ys[li];
      double xl, xg;
      if (y == 0 || y == 1)
        xl = xloss[y == 1], xg = xgrad[y == 1];
      else
        {
          fastref fr;
          fastref_eval (z, y, &fr);
          xl = fr.loss, xg = fr.grad;
          if (fabs (fr.grad) < fr.terms * 0x1p-20)
            xg = NAN;           /* cancelled: let MPFR decide */
        }
      for (int i = 0; i < t->n; i++)
        {
          int r = li * t->n + i;
          if (!act[r])
            continue;
          float l, g;
          form_float[t->forms[i]] (z, y, &t->k, &l, &g);
          int unsure = isnan (xg);
          unsigned m = unsure ? 0 : decide_f (l, g, xl, xg, &unsure);
          if (unsure)
            {
              ref_compute (ref, t->f, z, y);
              m = decide_exact (t->f, l, g, ref);
            }
          fail[r] = m & act[r];
        }
    }
}

#define MAX_ROWS (FORM_COUNT * 8)

static void
scan_float (const th_ctx *t, int side, int jobs, th_point *out)
{
  int n = t->n * t->ny;                 /* rows */
  unsigned active[MAX_ROWS];
  long long first[MAX_ROWS * CR_COUNT];
  int sampled[MAX_ROWS * CR_COUNT];
  for (int i = 0; i < n; i++)
    {
      active[i] = ALL_CR;
      for (int c = 0; c < CR_COUNT; c++)
        first[i * CR_COUNT + c] = -1, sampled[i * CR_COUNT + c] = 0;
    }
  int threads = ref_threads (jobs);
  ref_value ref0;
  ref_init (&ref0);
  unsigned fail[MAX_ROWS];
  /* walk outward: [0, 2^-26) sampled, [2^-26, 104) every value, then
     [104, max] sampled */
  for (int stage = 0; stage < 3; stage++)
    {
      if (stage != 1)
        {
          uint32_t lo = stage == 0 ? 0 : ACTIVE_HI & ~0x7fffffu;
          uint32_t hi = stage == 0 ? ACTIVE_LO : 0x7f800000u;
          for (uint32_t b = lo; b < hi; b += 0x800000u)      /* binades */
            for (int s = 0; s < 64; s++)
              {
                uint32_t bits = b + (s == 63 ? 0x7fffffu : (0x7fffffu / 63) * (uint32_t) s);
                if ((stage == 0 && bits >= ACTIVE_LO) || (stage == 2 && bits < ACTIVE_HI))
                  continue;             /* inside the active range */
                check_float (t, bits, side, active, fail, &ref0);
                for (int i = 0; i < n; i++)
                  for (int c = 0; c < CR_COUNT; c++)
                    if (fail[i] & (1u << c))
                      {
                        first[i * CR_COUNT + c] = bits;
                        sampled[i * CR_COUNT + c] = 1;
                        active[i] &= ~(1u << c);
                      }
              }
          continue;
        }
      const uint32_t block = 1u << 14, batch = 256;
      for (uint32_t start = ACTIVE_LO; start < ACTIVE_HI; start += block * batch)
        {
          int any = 0;
          for (int i = 0; i < n; i++)
            any |= active[i] != 0;
          if (!any)
            break;
          static long long bf[256 * MAX_ROWS * CR_COUNT];
          for (size_t a = 0; a < sizeof bf / sizeof *bf; a++)
            bf[a] = -1;
#pragma omp parallel num_threads (threads)
          {
            ref_value ref;
            ref_global_init ();
            ref_init (&ref);
            unsigned act[MAX_ROWS], fl[MAX_ROWS];
#pragma omp for schedule (dynamic, 1)
            for (uint32_t b = 0; b < batch; b++)
              {
                memcpy (act, active, sizeof act);
                long long *mine = bf + (size_t) b * MAX_ROWS * CR_COUNT;
                uint32_t o0 = start + b * block;
                if (t->skip_small && o0 < SKIP_BITS)      /* see SKIP_BITS */
                  for (int i = 0; i < n; i++)
                    act[i] &= 1u << CR_ULP1;
                unsigned any = 0;
                for (int i = 0; i < n; i++)
                  any |= act[i];
                if (!any)
                  continue;                       /* nothing left to check here */
                for (uint32_t o = o0; o < o0 + block && o < ACTIVE_HI; o++)
                  {
                    check_float (t, o, side, act, fl, &ref);
                    note_failures (fl, n, o, mine, act);
                  }
              }
            ref_clear (&ref);
          }
          for (uint32_t b = 0; b < batch; b++)
            for (int i = 0; i < n; i++)
              for (int c = 0; c < CR_COUNT; c++)
                {
                  long long o = bf[((size_t) b * MAX_ROWS + i) * CR_COUNT + c];
                  if (o >= 0 && first[i * CR_COUNT + c] < 0)
                    {
                      first[i * CR_COUNT + c] = o;
                      active[i] &= ~(1u << c);
                    }
                }
        }
    }
  ref_clear (&ref0);
  for (int i = 0; i < n; i++)
    for (int c = 0; c < CR_COUNT; c++)
      {
        th_point *p = &out[i * CR_COUNT + c];
        long long o = first[i * CR_COUNT + c];
        p->found = o >= 0;
        p->method = o < 0 ? M_NONE : sampled[i * CR_COUNT + c] ? M_SAMPLED : M_EXHAUSTIVE;
        if (o >= 0)
          {
            uint32_t bits = (uint32_t) o;
            float z;
            memcpy (&z, &bits, 4);
            p->z = (long double) z * side;
          }
      }
}

/* ---- sampled walk and bisection: double, long double ---- */

static int
fails_at (const th_ctx *t, int i, criterion c, long double z, ref_value *ref)
{
  unsigned act[FORM_COUNT] = { 0 }, fail[FORM_COUNT];
  th_ctx one = *t;
  one.forms = t->forms + i;
  one.n = 1;
  act[0] = 1u << c;
  check_point (&one, z, act, fail, ref);
  return fail[0] != 0;
}

static void
scan_walk (const th_ctx *t, int side, th_point *out, int jobs)
{
  const fmt_info *f = t->f;
  __int128 hb = (__int128) 1 << (f->prec - 1);
  __int128 last = fmt_ordinal (f, INFINITY) - 1;
  int threads = ref_threads (jobs);
  /* every (form, criterion) walks on its own: in parallel */
#pragma omp parallel num_threads (threads)
  {
    ref_value refv, *ref = &refv;
    ref_global_init ();
    ref_init (ref);
#pragma omp for schedule (dynamic, 1)
    for (int ic = 0; ic < t->n * CR_COUNT; ic++)
      {
        int i = ic / CR_COUNT, c = ic % CR_COUNT;
        th_point *p = &out[i * CR_COUNT + c];
        p->found = 0;
        p->method = M_NONE;
        /* binade k holds the ordinals [k hb, (k+1) hb); k = 0 is the
           subnormals */
        __int128 ok = 0, bad = -1;
        long nb = (long) (last / hb) + 1;
        for (long k = 0; k < nb && bad < 0; k++)
          {
            long e = f->emin + k - 1;         /* its exponent */
            if (k > 0 && (e < -80 || e > 80) && k % 16 && k != nb - 1)
              continue;
            for (int s = 0; s <= 8 && bad < 0; s++)
              {
                __int128 o = (__int128) k * hb + (s == 8 ? hb - 1 : (hb / 8) * s);
                if (o > last)
                  o = last;
                long double z = fmt_from_ordinal (f, o) * side;
                if (fails_at (t, i, c, z, ref))
                  bad = o;
                else
                  ok = o;
              }
          }
        if (bad < 0)
          continue;
        /* bisection: ok passes, bad fails */
        __int128 lo = ok, hi = bad;
        for (;;)
          {
            while (hi - lo > 1)
              {
                __int128 mid = lo + (hi - lo) / 2;
                if (fails_at (t, i, c, fmt_from_ordinal (f, mid) * side, ref))
                  hi = mid;
                else
                  lo = mid;
              }
            /* the neighbourhood: an earlier failure means not monotone */
            __int128 earlier = -1;
            for (__int128 o = hi - 1; o >= 0 && o >= hi - 64; o--)
              if (fails_at (t, i, c, fmt_from_ordinal (f, o) * side, ref))
                earlier = o;
            if (earlier < 0)
              break;
            p->method = M_NONMONOTONE;
            hi = earlier;
            lo = earlier > 64 ? earlier - 64 : 0;
            if (fails_at (t, i, c, fmt_from_ordinal (f, lo) * side, ref))
              {
                hi = lo;
                break;
              }
          }
        p->found = 1;
        if (p->method == M_NONE)
          p->method = M_BISECTION;
        p->z = fmt_from_ordinal (f, hi) * side;
      }
    ref_clear (ref);
  }
}

void
thresholds_find (const fmt_info *f, const int *forms, int n,
                 const long double *ys, int ny, int side, double eps,
                 int jobs, th_point *out)
{
  th_ctx t = { .f = f, .forms = forms, .n = n, .ys = ys, .ny = ny, .y01 = 1 };
  form_k_init (&t.k, f, eps);
  for (int li = 0; li < ny; li++)
    t.y01 &= ys[li] == 0 || ys[li] == 1;
  t.l01 = ny == 2 && ys[0] == 0 && ys[1] == 1;
  t.skip_small = t.y01 && t.k.eps <= 1e-3L;
  t.kf = form_kf_of (&t.k);
  if (f->id == FMT_FLOAT && ny <= 8)
    scan_float (&t, side, jobs, out);
  else
    for (int li = 0; li < ny; li++)
      {
        t.y = ys[li];
        th_point *o = out + (size_t) li * n * CR_COUNT;
        if (f->id < FMT_FLOAT)
          scan_exhaustive (&t, side, jobs, o);
        else
          scan_walk (&t, side, o, jobs);
      }
  for (int li = 0; li < ny; li++)
    for (int i = 0; i < n; i++)
      for (int c = 0; c < CR_COUNT; c++)
        {
          th_point *p = &out[((size_t) li * n + i) * CR_COUNT + c];
          p->predicted = threshold_predict (f, forms[i], ys[li], side, c,
                                            eps, &p->why);
        }
}

/* ---- closed forms ---- */

/* ln of the largest finite value: exp(x) overflows beyond it (for half and
   bfloat16, float's expf rounds to inf in the format just there too).  */
static long double
ln_max (const fmt_info *f)
{
  return logl (ldexpl (2.0L - ldexpl (1.0L, 1 - f->prec), (int) f->emax));
}

/* p ln 2: 1 + exp(-z) rounds to 1 once exp(-z) <= 2^-p (half an ulp of 1,
   ties to even), so sigmoid(z) = 1/(1 + exp(-z)) is exactly 1.  */
static long double
sat_one (const fmt_info *f)
{
  return f->prec * 0.69314718055994530942L;
}

/* Where a clamp at [lo, hi] becomes active: sigmoid(z) < lo for
   z < ln(lo/(1-lo)); sigmoid(z) > hi for z > ln(hi/(1-hi)), never if hi
   rounded to 1.  */
static long double
clamp_low (long double lo)
{
  return logl (lo / (1 - lo));
}

static long double
clamp_high (const fmt_info *f, long double hi)
{
  /* The computed sigmoid 1/(1 + exp(-z)) never lies strictly between
     1 - 2^(1-p) and 1: 1 + e is 1 or at least 1 + 2^(1-p), whose
     reciprocal rounds to 1 - 2^(1-p).  A clamp at or above 1 - 2^(1-p)
     (float's 1 - 1e-7 is exactly that) engages only where p = 1.  */
  if (hi >= 1 - ldexpl (1.0L, 1 - f->prec))
    return sat_one (f);
  return logl (hi / (1 - hi));
}

#define NONE INFINITY           /* predicted: no breakdown at all */

long double
threshold_predict (const fmt_info *f, int form, long double y, int side,
                   criterion c, double eps, const char **why)
{
  struct form_k k;
  form_k_init (&k, f, eps);
  *why = NULL;
  if (y != 0 && y != 1)
    return NAN;                 /* soft labels: no closed forms here */
  int y1 = y == 1, pos = side > 0;
  long double P = sat_one (f), X = ln_max (f);
  /* torch's 1e-12: p(1-p) < 1e-12/2 makes the gradient 50% too small */
  long double T = logl (2 / k.torch_eps);
  /* 1 - p cancels: for y = 1 a gradient computed from 1 - p is 50% off
     once exp(-z) < (2/3) 2^(1-p) (see stable below) */
  long double C = (f->prec - 1) * 0.69314718055994530942L + logl (1.5L);

  switch (form)
    {
    case FORM_NAIVE:
      if (c == CR_INF)
        {
          *why = pos ? "sigmoid rounds to 1: exp(-z) <= 2^-p, z = p ln 2; log(1-p) = -inf"
                     : "exp(-z) overflows at z = -ln(max): p = 0, log(p) = -inf";
          return pos ? P : -X;
        }
      if (c == CR_GRAD && pos)
        {
          *why = "sigmoid rounds to 1 at p ln 2: 1 - p = 0 in the backward pass";
          return P;
        }
      if (c == CR_GRAD)
        {
          *why = "p^2 in the backward pass rounds to the subnormal step s = 2^(emin-p+1), 50% off below p^2 = 2s/3: z = ln(2s/3)/2 (or exp(-z) overflows first)";
          long double q2 = (logl (2.0L / 3) + (f->emin - f->prec + 1) * 0.69314718055994530942L) / 2;
          return q2 > -X ? q2 : -X;
        }
      return NAN;
    case FORM_CLAMPED:
    case FORM_KERAS:
      {
        long double lo = form == FORM_KERAS ? k.keras_eps : k.eps;
        long double hi = form == FORM_KERAS ? k.keras_one_m_eps : k.one_m_eps;
        if (c == CR_INF)
          {
            if (pos && hi >= 1)
              {
                *why = "1 - eps rounds to 1: the clamp leaves p = 1, log(1-p) = -inf";
                return P;
              }
            *why = "the clamp keeps both logs finite";
            return NONE;
          }
        if (c == CR_GRAD)
          {
            if (pos)
              {
                long double zh = clamp_high (f, hi);
                *why = "the clamp at 1 - eps engages (at p ln 2 where 1 - eps >= 1 - 2^(1-p))";
                if (form == FORM_KERAS && y1 && C < zh)
                  {
                    *why = "keras's g p (1-p) cancels in 1 - p: z = (p-1) ln 2 + ln(3/2)";
                    return C;
                  }
                return zh;
              }
            /* the first, going outward, of: the clamp at eps, exp(-z)
               overflowing (p = 0, the clamp active), and for clamped the
               p^2 of the reverse-mode sigmoid underflowing */
            long double z0 = clamp_low (lo);
            *why = "the first of: the clamp at eps (zero gradient), exp(-z) overflow, p^2 underflow (clamped)";
            if (-X > z0)
              z0 = -X;
            if (form == FORM_CLAMPED)
              {
                long double q2 = (logl (2.0L / 3) + (f->emin - f->prec + 1) * 0.69314718055994530942L) / 2;
                if (q2 > z0)
                  z0 = q2;
              }
            return z0;
          }
        return NAN;
      }
    case FORM_TORCH:
      if (c == CR_INF)
        {
          *why = "logs clamped at -100: the loss is never inf";
          return NONE;
        }
      if (c == CR_GRAD && k.torch_eps > 0)
        {
          if (pos)
            {
              long double first = y1 ? C : P;
              *why = y1 ? "1 - p cancels, z = (p-1) ln 2 + ln(3/2); or p(1-p) < 1e-12/2 at ln(2e12)"
                        : "p rounds to 1 at p ln 2; or p(1-p) < 1e-12/2 at ln(2e12)";
              return first < T ? first : T;
            }
          *why = "p(1-p) < 1e-12/2 at z = -ln(2e12): the clamp of the denominator (or exp(-z) overflows first)";
          return -T > -X ? -T : -X;
        }
      return NAN;
    case FORM_STABLE:
      if (c == CR_INF || c == CR_HALF)
        {
          *why = "exp(-|z|) cannot overflow; no cancellation for y in {0,1}";
          return NONE;
        }
      if (c == CR_GRAD)
        {
          if (y1 && pos)
            {
              /* 1 + e rounds up to 1 + 2^(1-p) for e in (2^-p, 2^(1-p)):
                 the computed gradient is -2^(1-p) instead of -e, 50% too
                 large once e < (2/3) 2^(1-p) */
              *why = "sigmoid(z) - 1 cancels: 1 + e rounds to 1 + 2^(1-p), 50% off once e < (2/3) 2^(1-p): z = (p-1) ln 2 + ln(3/2)";
              return (f->prec - 1) * 0.69314718055994530942L + logl (1.5L);
            }
          *why = "sigmoid from exp(-|z|): no cancellation on this side";
          return NONE;
        }
      return NAN;
    case FORM_SOFTPLUS:
      if (c == CR_ULP1)
        return NAN;
      *why = "both softplus terms >= 0: nothing overflows or cancels";
      return NONE;
    }
  return NAN;
}

/* Do the found and predicted points agree?  -1: nothing predicted.  The
   tolerance: 0.5% of the value, or two steps of the format there, or for
   the p^2 and 1e-12 closed forms (rounding noise near the edge) 2%.  */
int
threshold_agrees (const fmt_info *f, const th_point *p)
{
  if (isnan (p->predicted))
    return -1;
  if (isinf (p->predicted))
    return !p->found;
  if (!p->found)
    return 0;
  long double d = fabsl (p->z - p->predicted);
  long double tol = 0.005L * fabsl (p->predicted);
  if (p->why && (strstr (p->why, "p^2") || strstr (p->why, "1e-12")))
    tol = 0.02L * fabsl (p->predicted);
  long double steps = 2 * ulp_at (f, p->predicted);
  return d <= (tol > steps ? tol : steps);
}

/* ---- the command ---- */

static const char *const side_names[] = { "-", "+" };

int
cmd_thresholds (const job *j)
{
  static const char *const labels01[] = { "0", "1" };
  const char *const *labels = j->labels.n ? (const char *const *) j->labels.text
                                          : labels01;
  size_t nl = j->labels.n ? j->labels.n : 2;
  /* defaults: every form, every format */
  int forms[FORM_COUNT], fmts[FMT_COUNT];
  int nf = job_forms_or_all (j, forms), np = job_formats_or_all (j, fmts);

  int text = j->format == OUT_TEXT || j->format == OUT_MARKDOWN;
  grid g;
  grid_init (&g, text ? 7 : 11);
  grid_add_row (&g);
  if (text)
    {
      const char *h[] = { "precision", "form", "y", "criterion", "side",
                          "found", "predicted" };
      for (int c = 0; c < 7; c++)
        grid_set (&g, (size_t) c, "%s", h[c]);
    }
  else
    {
      const char *h[] = { "precision", "form", "label", "side", "criterion",
                          "z", "z_hex", "method", "predicted", "agrees",
                          "closed_form" };
      for (int c = 0; c < 11; c++)
        grid_set (&g, (size_t) c, "%s", h[c]);
    }

  th_point *all = xcalloc (2 * nl * (size_t) nf * CR_COUNT, sizeof *all);
  long double *ys = xcalloc (nl, sizeof *ys);
  for (int pi = 0; pi < np; pi++)
    {
      const fmt_info *f = &fmt_table[fmts[pi]];
      for (size_t li = 0; li < nl; li++)
        if (fmt_parse (f, labels[li], &ys[li]) != 0)
          die ("cannot read label '%s'", labels[li]);
      for (int side = -1; side <= 1; side += 2)
        thresholds_find (f, forms, nf, ys, (int) nl, side, j->eps, j->jobs,
                         all + (side > 0) * nl * (size_t) nf * CR_COUNT);
      for (size_t li = 0; li < nl; li++)
        {
          long double y = ys[li];
          for (int side = -1; side <= 1; side += 2)
            {
              th_point *pts = all + ((side > 0) * nl + li) * (size_t) nf * CR_COUNT;
              for (int i = 0; i < nf; i++)
                for (int c = 0; c < CR_COUNT; c++)
                  {
                    th_point *p = &pts[i * CR_COUNT + c];
                    char buf[64], hex[64], pred[64];
                    int agrees = threshold_agrees (f, p);
                    grid_add_row (&g);
                    grid_set (&g, 0, "%s", f->name);
                    grid_set (&g, 1, "%s", form_table[forms[i]].name);
                    if (p->found)
                      {
                        fmt_snprint (buf, sizeof buf, f, p->z, 0);
                        fmt_snprint (hex, sizeof hex, f, p->z, 1);
                      }
                    else
                      strcpy (buf, "none"), strcpy (hex, "none");
                    if (isnan (p->predicted))
                      strcpy (pred, "-");
                    else if (isinf (p->predicted))
                      strcpy (pred, "none");
                    else
                      snprintf (pred, sizeof pred, "%.6Lg", p->predicted);
                    if (text)
                      {
                        char sb[64];
                        grid_set (&g, 2, "%s", fmt_shortest (sb, f, y));
                        grid_set (&g, 3, "%s", criterion_names[c]);
                        grid_set (&g, 4, "%s", side_names[side > 0]);
                        if (p->found)
                          grid_set (&g, 5, "%s%s", fmt_shortest (sb, f, p->z),
                                    p->method == M_NONMONOTONE ? " *" : "");
                        else
                          grid_set (&g, 5, "none");
                        grid_set (&g, 6, "%s%s", pred,
                                  agrees < 0 ? "" : agrees ? "" : "  (differs!)");
                      }
                    else
                      {
                        char sb[64];
                        fmt_snprint (sb, sizeof sb, f, y, 0);
                        grid_set (&g, 2, "%s", sb);
                        grid_set (&g, 3, "%s", side_names[side > 0]);
                        grid_set (&g, 4, "%s", criterion_names[c]);
                        grid_set (&g, 5, "%s", buf);
                        grid_set (&g, 6, "%s", hex);
                        grid_set (&g, 7, "%s", method_names[p->method]);
                        grid_set (&g, 8, "%s", pred);
                        grid_set (&g, 9, "%s", agrees < 0 ? "-" : agrees ? "yes" : "no");
                        grid_set (&g, 10, "%s", p->why ? p->why : "-");
                      }
                  }
            }
        }
    }
  if (text)
    printf ("Breakdown points: the first logit, going outward from 0 on each side,\n"
            "where a form returns inf/nan, is more than 1 ULP off, has lost half\n"
            "its digits (more than 2^(p/2) ULPs off), or returns a gradient that is\n"
            "zero, nan or off by more than 50%%.  half, bfloat16, float: every value\n"
            "checked; double, long double: sampled and bisected (* = not monotone:\n"
            "the earliest failure seen).  'predicted': the closed form\n"
            "(docs/thresholds.md), 'none' where none is predicted.\n\n");
  grid_print (&g, stdout, j->format);
  grid_free (&g);
  free (all);
  free (ys);
  return 0;
}
