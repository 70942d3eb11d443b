/* exhaustive.c -- `bcelab exhaustive` and `bcelab merge`.
 *
 * Every finite value of half, bfloat16 or float, every chosen form and
 * label: loss and gradient against the exact values.  Per (form, label):
 * evaluations, correctly rounded results, results within 1 ULP, the
 * largest ULP error and where (the first such value in bit-pattern order),
 * inf, nan, zero and wrong-sign gradients, and a histogram of bits of
 * error.  +-inf and nan inputs are reported apart.
 *
 * The exact values come from double (fastref.h: 2^-47 relative, 23 bits
 * beyond float; where exp(-|z|) is neither 0 nor 1, from polynomials that
 * run on vectors); the correctly rounded loss is (float) of it unless it
 * lies within that error of a midpoint between two floats, and then MPFR
 * decides (Ziv's strategy: the result is what MPFR alone would give; a
 * unit test checks it on a large random sample).
 *
 * Speed (float, labels 0 and 1; docs/exhaustive.md has the figures):
 * - the float forms are instantiated here once more, inline, from the
 *   same template, on vectors of 8 floats, with the library's results
 *   remembered (forms_float_vec.h): the second label repeats the first's
 *   calls, p = 1/(1+exp(-z)) is the same float over long runs of logits,
 *   and clamped and stable repeat naive's exp(-z);
 * - patterns go in blocks of 512: the exact terms of the block and, per
 *   label, the truth every form is scored against (the correctly rounded
 *   loss, the ulps), then each form over the block, eight
 *   logits at a time, then each (form, label)
 *   scored in a branch-free loop the compiler runs on vectors (this file
 *   is built with -fno-trapping-math, and run_float has AVX2 and
 *   x86-64-v2 clones);
 * - a form that gives the same bits as the one before it (clamped where
 *   its clamp is idle) takes that form's score of the block;
 * - the rounding of the exact value is decided by rounding both ends of
 *   its error interval, and MPFR is called only where they differ, once
 *   per (logit, label) whatever the number of forms.
 * Chunks of bit patterns run in parallel;
 * counts add and maxima keep the first in pattern order, so results do not
 * depend on the thread count, and shards merge into exactly what one run
 * gives.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef _OPENMP
# include <omp.h>
#endif

#include <gsl/gsl_histogram.h>

#include "commands.h"
#include "exhaustive.h"
#include "fastref.h"
#include "forms.h"
#include "grid.h"
#include "metrics.h"
#include "outfile.h"
#include "plot.h"
#include "reference.h"

/* ---- the float forms, inline, with the library's results reused ---- */
#include "forms_ops.h"
#define form_k form_kf
#define FN(name) ex_##name
#include "forms_float_vec.h"
#undef FN
#undef form_k

/* run_float, with all it inlines, is also compiled for AVX2 and for
   x86-64-v2 (SSE4.2, whose 64-bit compares let the scoring loop run on
   vectors), which the processor chooses from at run time.  The results
   are the same bits: each operation still rounds once (neither enables
   FMA, and the build has -ffp-contract=off) and the library calls are
   the same.  */
#if defined __x86_64__ && defined __GNUC__ && !defined __clang__ \
    && defined HAVE_FUNC_ATTRIBUTE_TARGET_CLONES
# define EX_CLONES \
  __attribute__ ((target_clones ("avx2", "arch=x86-64-v2", "default")))
#else
# define EX_CLONES
#endif

/* ---- scoring one result ---- */

/* The ordinal of a float (its position among the floats): its
   magnitude's bits, negated when it is negative (-0 and +0 are both 0).  */
static inline int32_t
ford (float x)
{
  int32_t u;
  memcpy (&u, &x, 4);
  return u < 0 ? -(u & 0x7fffffff) : u;
}

typedef struct {
  ref_value ref;        /* MPFR, for the undecided */
  uint64_t fallbacks;
  int all_mpfr;         /* BCELAB_EXHAUSTIVE_MPFR=1: MPFR for every point (tests) */
} scorer;

/* ---- scoring a block (float) ---- */

#define BLOCK 512

/* The truth for one label over a block, shared by every form's row: the
   correctly rounded loss RN, the exact loss X and gradient G (double; from
   MPFR where the double cannot decide), the inverses IX, IG of the float
   ulps at X and G, and what the gradient's flags need of G in 32 bits.  */
typedef struct {
  float rn[BLOCK];
  double x[BLOCK], g[BLOCK], ix[BLOCK], ig[BLOCK];
  int32_t gsign[BLOCK];         /* the sign of G: -1, 0, 1 */
  int32_t gbig[BLOCK];          /* |G| above half the least subnormal */
} truth;

/* The truth at J: the correctly rounded loss RN, the exact loss X and
   gradient G, and the inverse ulps at them.  */
static inline void
truth_put (truth *t, int j, float rn, double x, double g)
{
  t->rn[j] = rn;
  t->x[j] = x;
  t->g[j] = g;
  t->ix[j] = fastref_inv_float_ulp (x);
  t->ig[j] = fastref_inv_float_ulp (g);
}

/* MPFR for the logits NEED marks (every one with BCELAB_EXHAUSTIVE_MPFR).  */
static void
truth_fallback (truth *t, scorer *sc, const fmt_info *f, float y,
                const float *z, int n, const unsigned char *need)
{
  for (int j = 0; j < n; j++)
    if (need[j] || sc->all_mpfr)
      {
        sc->fallbacks++;
        ref_compute (&sc->ref, f, z[j], y);
        double xj = mpfr_get_d (sc->ref.loss, MPFR_RNDN);
        double gj = mpfr_get_d (sc->ref.grad, MPFR_RNDN);
        if (sc->ref.grad_rn == 0)
          gj = copysign (0.0, (double) sc->ref.grad_rn);
        truth_put (t, j, (float) sc->ref.loss_rn, xj, gj);
      }
}

/* The truth at the N logits Z for label Y, from the exact loss X and
   gradient G, whose error is below 2^-47 GTERMS (the sum of its two
   terms' magnitudes).  GTERMS NULL: y is 0 or 1, G is one term, known to
   2^-47 of itself, and cannot cancel.

   RN of the exact loss X (double, 2^-47 relative) in float is decided
   unless X is too close to a midpoint between two floats: the truth lies
   in [X - D, X + D] with D = 2^-46 |X| (twice the error, plus an absolute
   2^-1000 below the subnormals); rounding to nearest is monotonic, so
   where both ends round to the same float the truth does too.  The ends
   are computed in double: their own rounding (2^-53 |X|) stays inside the
   margin.

   Two passes: the double values and whether they decide, with no branch
   (a loop the compiler can run on vectors), then MPFR for those that do
   not.  */
static inline __attribute__ ((always_inline)) void
truth_block (truth *t, scorer *sc, const fmt_info *f, float y,
             const float *z, int n, const double *x, const double *g,
             const double *gterms)
{
  const double half_min = 0x1p-150;
  unsigned char need[BLOCK];
  int any = sc->all_mpfr;
  for (int j = 0; j < n; j++)
    {
      double xj = x[j], gj = g[j], gt = gterms ? gterms[j] : fabs (gj);
      /* the loss next to a midpoint; the gradient next to
         the zero/non-zero boundary, or cancelled */
      double d = fabs (xj) * 0x1p-46 + 0x1p-1000;
      int nj = ((float) (xj - d) != (float) (xj + d))
               | (fabs (fabs (gj) - half_min) <= gt * 0x1p-46)
               | (gterms != NULL && fabs (gj) < gt * 0x1p-20);
      need[j] = (unsigned char) nj;
      any |= nj;
      truth_put (t, j, (float) xj, xj, gj);
    }
  if (__builtin_expect (any, 0))
    truth_fallback (t, sc, f, y, z, n, need);
  for (int j = 0; j < n; j++)
    {
      double gj = t->g[j];
      t->gsign[j] = (gj > 0) - (gj < 0);
      t->gbig[j] = fabs (gj) > half_min;
    }
}

/* The order of non-negative doubles is that of their bits as integers:
   maxima of ULP errors are found as integer maxima (-1: no error).  */
static inline int64_t
ulp_key (double u)
{
  int64_t k;
  memcpy (&k, &u, 8);
  return k;
}

/* The score of one (form, label) over a block: what the block adds to
   its row, whatever the row held before: the counts and histogram (ST;
   its maxima unused), and the keys of every result's errors with their
   largest.  */
typedef struct {
  ex_stats st;
  int64_t lmax, gmax;                   /* the largest keys, -1: none */
  int64_t lkey[BLOCK], gkey[BLOCK];     /* every result's keys */
} block_score;

/* Score the N results C, CG against the truth T into B.  The first loop
   has no branch, so that the compiler runs it on vectors (the exhaustive
   engine is built with -fno-trapping-math, which lets it evaluate both
   sides of a condition, and the AVX2 clone has the vectors): per result
   its flags, summed, its bin of bits of error and the keys of its ULP
   errors.  The bins go into the histogram in four interleaved local
   copies, so that increments of the same bin do not wait on each other;
   a block where every result is correctly rounded (bin 0) skips that.  */
static inline __attribute__ ((always_inline)) void
score_block (block_score *b, int n, const float *c, const float *cg,
             const truth *t)
{
  int32_t bin[BLOCK];
  int64_t lmax = -1, gmax = -1;
  int32_t cr = 0, nan = 0, inf = 0, ulp1 = 0, zero = 0, sign = 0;
  for (int j = 0; j < n; j++)
    {
      float cj = c[j], cgj = cg[j], rn = t->rn[j];
      double xj = t->x[j], gj = t->g[j];
      int isn = cj != cj, isi = fabsf (cj) == INFINITY;
      /* the distance in floats to the correctly rounded loss: x = |d| + 1
         <= 2^32 - 1, in unsigned 32 bits; its bits of error are
         floor(log2(x)), the exponent of x as a float (exact below 2^24;
         above, of its top 24 bits) */
      int32_t oc = ford (cj), orr = ford (rn);
      uint32_t x = (oc >= orr ? (uint32_t) oc - (uint32_t) orr
                    : (uint32_t) orr - (uint32_t) oc) + 1;
      int big = x >= 1u << 24;
      float fx = (float) (int32_t) (big ? x >> 8 : x);
      int32_t fe;
      memcpy (&fe, &fx, 4);
      bin[j] = isn ? EX_BINS - 1 : (fe >> 23) - 127 + (big ? 8 : 0);
      double u = fabs ((double) cj - xj) * t->ix[j];
      int64_t k = isn | isi ? -1 : ulp_key (u);
      b->lkey[j] = k;
      lmax = k > lmax ? k : lmax;
      cr += cj == rn;
      nan += isn;
      inf += isi;
      ulp1 += !(isn | isi) & (u <= 1);
      /* the gradient: its ULP error where it is finite, zero where the
         truth is not, the wrong sign */
      double v = fabs ((double) cgj - gj) * t->ig[j];
      k = fabsf (cgj) < INFINITY ? ulp_key (v) : -1;
      b->gkey[j] = k;
      gmax = k > gmax ? k : gmax;
      int32_t gs = t->gsign[j];
      zero += (cgj == 0) & t->gbig[j];
      sign += (cgj != 0) & (gs != 0) & (cgj == cgj) & ((cgj > 0) != (gs > 0));
    }
  b->lmax = lmax, b->gmax = gmax;
  ex_stats *st = &b->st;
  memset (st, 0, sizeof *st);
  st->evals = (uint64_t) n;
  st->cr = (uint64_t) cr, st->nan = (uint64_t) nan, st->inf = (uint64_t) inf;
  st->ulp1 = (uint64_t) ulp1, st->zero = (uint64_t) zero, st->sign = (uint64_t) sign;
  st->hist[0] = (uint64_t) cr;
  if (cr == n)
    return;
  uint32_t h[4][EX_BINS];
  memset (h, 0, sizeof h);
  for (int j = 0; j < n; j++)
    h[j & 3][bin[j]]++;
  for (int i = 0; i < EX_BINS; i++)
    st->hist[i] = (uint64_t) h[0][i] + h[1][i] + h[2][i] + h[3][i];
}

/* Where the block's largest error M (a key; -1 if none) beats the row's
   *MAX, it and its first pattern become the row's: what a strict "larger
   than" kept in pattern order finds.  */
static inline void
take_max (double *max, uint64_t *max_at, int64_t m, const int64_t *key,
          const uint32_t *bits)
{
  double mu;
  memcpy (&mu, &m, 8);
  if (m >= 0 && mu > *max)
    {
      int j = 0;
      while (key[j] != m)
        j++;
      *max = mu, *max_at = bits[j];
    }
}

/* Add B's counts and histogram to A's.  */
static void
counts_add (ex_stats *a, const ex_stats *b)
{
  a->evals += b->evals;
  a->cr += b->cr;
  a->ulp1 += b->ulp1;
  a->inf += b->inf;
  a->nan += b->nan;
  a->zero += b->zero;
  a->sign += b->sign;
  for (int i = 0; i < EX_BINS; i++)
    a->hist[i] += b->hist[i];
}

/* Add the score B of the results at patterns BITS to the row S.  */
static inline void
score_add (ex_stats *s, const block_score *b, const uint32_t *bits)
{
  take_max (&s->max_ulp, &s->max_at, b->lmax, b->lkey, bits);
  take_max (&s->gmax_ulp, &s->gmax_at, b->gmax, b->gkey, bits);
  counts_add (s, &b->st);
}

/* ---- the loops ---- */

typedef struct {
  const ex_run *r;
  struct form_k k;
  struct form_kf kf;
  float ys[8];
  int y01;              /* labels exactly {0, 1}: the shared fast path */
} ex_ctx;

/* The labels 0 and 1 of the NF FORMS over a block of N logits: form I's
   losses and gradients into RES[I][0..3] (label 0's, then label 1's).
   Eight logits at a time, every form in turn, each with label 0 then 1:
   a library call finds the results of the call before it at the same
   place in the template (label 1 finds label 0's, clamped finds naive's
   logarithms where its clamp is idle).  Z has values up to the next
   multiple of 8; the results have room for them.  */
#define FORM_CALL(fn)                                                   \
  do                                                                    \
    {                                                                   \
      fn (zv, y0, kf, &lv, &gv);                                        \
      memcpy (o[0] + j, &lv, sizeof lv);                                \
      memcpy (o[1] + j, &gv, sizeof gv);                                \
      fn (zv, y1, kf, &lv, &gv);                                        \
      memcpy (o[2] + j, &lv, sizeof lv);                                \
      memcpy (o[3] + j, &gv, sizeof gv);                                \
    }                                                                   \
  while (0)

static void __attribute__ ((flatten))
eval_block (const int *forms, int nf, const struct form_kf *kf,
            const float *z, int n, float (*res)[4][BLOCK])
{
  const forms_v8sf y0 = { 0 }, y1 = y0 + 1;
  for (int j = 0; j < n; j += 8)
    {
      forms_v8sf zv, lv, gv;
      memcpy (&zv, z + j, sizeof zv);
      for (int i = 0; i < nf; i++)
        {
          float (*o)[BLOCK] = res[i];
          switch (forms[i])
            {
            case FORM_NAIVE: FORM_CALL (ex_naive); break;
            case FORM_CLAMPED: FORM_CALL (ex_clamped); break;
            case FORM_STABLE: FORM_CALL (ex_stable); break;
            case FORM_TORCH: FORM_CALL (ex_torch); break;
            case FORM_KERAS: FORM_CALL (ex_keras); break;
            default: FORM_CALL (ex_softplus); break;
            }
        }
    }
}

/* Float: the bit patterns [lo, hi) into the per-thread rows S, a block
   at a time: the exact terms of the block and the truth per label, then
   every form's results, then their scores.  Each row still sees the
   patterns in order, so its first maxima are the same as one at a time.
   The labels 0 and 1 (the default) go through the vector forms with
   their library results remembered (eval_block); other labels through
   the generic float entry points.  */
static void __attribute__ ((flatten)) EX_CLONES
run_float (const ex_ctx *c, uint64_t lo, uint64_t hi, ex_stats *s, scorer *sc)
{
  const ex_run *r = c->r;
  const fmt_info *f = r->f;
  int nf = r->nf;
  float z[BLOCK], res[FORM_COUNT][4][BLOCK];
  static _Thread_local block_score bs[2][2];
  double sp[BLOCK], sn[BLOCK], sz[BLOCK], snz[BLOCK];
  double L[BLOCK], G[BLOCK], GT[BLOCK];
  uint32_t bits[BLOCK];
  truth t0, t1;
  for (uint64_t b0 = lo; b0 < hi; )
    {
      int n = 0;
      for (; b0 < hi && n < BLOCK; b0++)
        {
          uint32_t u = (uint32_t) b0;
          memcpy (&z[n], &u, 4);
          bits[n] = u;
          n += isfinite (z[n]);
        }
      for (int j = n; j % 8; j++)
        z[j] = 0;               /* the lanes beyond the block */
      /* the exact terms: on vectors where exp(-|z|) is neither 1 nor 0
         (2^-55 <= |z| < 746) somewhere in the block; elsewhere the C
         library, whose log1p is called once per distinct e (over long
         runs of patterns e is 1 or 0) */
      int busy = 0;
      for (int j = 0; j < n; j++)
        busy |= fabsf (z[j]) >= 0x1p-55f && fabsf (z[j]) < 746;
      if (busy)
        for (int j = 0; j < n; j++)
          {
            fastref_terms x;
            fastref_terms_poly (z[j], &x);
            sp[j] = x.sp, sn[j] = x.sn, sz[j] = x.sz, snz[j] = x.snz;
          }
      else
        {
          double le = 0, ll = 0;
          for (int j = 0; j < n; j++)
            {
              fastref_terms x;
              double e = fastref_exp_neg_abs (z[j]);
              if (e != le)
                le = e, ll = log1p (e);
              fastref_terms_of (z[j], e, ll, &x);
              sp[j] = x.sp, sn[j] = x.sn, sz[j] = x.sz, snz[j] = x.snz;
            }
        }
      if (c->y01)
        {
          /* y = 0: L = softplus(z), g = sigmoid(z);
             y = 1: L = softplus(-z), g = -sigmoid(-z) */
          for (int j = 0; j < n; j++)
            G[j] = snz[j] == 0 ? -0.0 : -snz[j];
          truth_block (&t0, sc, f, 0.0f, z, n, sp, sz, NULL);
          truth_block (&t1, sc, f, 1.0f, z, n, sn, G, NULL);
          /* where a form gives the same bits as the one before it (clamped
             and naive, where the clamp does nothing), so is its score */
          int from[2] = {0, 0};
          size_t bytes = (size_t) n * sizeof (float);
          eval_block (r->forms, nf, &c->kf, z, n, res);
          for (int i = 0; i < nf; i++)
            {
              float (*v)[BLOCK] = res[i], (*w)[BLOCK] = res[i ? i - 1 : 0];
              for (int l = 0; l < 2; l++)
                {
                  const truth *t = l ? &t1 : &t0;
                  if (i == 0 || memcmp (v[2 * l], w[2 * l], bytes) != 0
                      || memcmp (v[2 * l + 1], w[2 * l + 1], bytes) != 0)
                    {
                      from[l] = i & 1;
                      score_block (&bs[from[l]][l], n, v[2 * l], v[2 * l + 1], t);
                    }
                  score_add (&s[l * nf + i], &bs[from[l]][l], bits);
                }
            }
          continue;
        }
      for (int li = 0; li < r->nl; li++)
        {
          double y = c->ys[li], ym = 1 - y;
          for (int j = 0; j < n; j++)
            {
              double A = ym * sz[j], B = y * snz[j];
              L[j] = ym * sp[j] + y * sn[j];
              G[j] = A - B;
              if (G[j] == 0)
                G[j] = y == 1 ? -0.0 : 0.0;
              GT[j] = A + B;
            }
          truth_block (&t0, sc, f, c->ys[li], z, n, L, G, GT);
          for (int i = 0; i < nf; i++)
            {
              float *l = res[0][0], *g = res[0][1];
              for (int j = 0; j < n; j++)
                form_float[r->forms[i]] (z[j], c->ys[li], &c->k, &l[j], &g[j]);
              score_block (&bs[0][0], n, l, g, &t0);
              score_add (&s[li * nf + i], &bs[0][0], bits);
            }
        }
    }
}

/* half and bfloat16: 65536 patterns, the generic entry points.  */
static void
run_small (const ex_ctx *c, uint64_t lo, uint64_t hi, ex_stats *s, scorer *sc)
{
  const ex_run *r = c->r;
  const fmt_info *f = r->f;
  for (uint64_t b = lo; b < hi; b++)
    {
      long double z = fmt_from_ordinal (f, (__int128) (b & 0x7fff));
      if (b & 0x8000)
        z = -z;
      if (!isfinite (z))
        continue;
      for (int li = 0; li < r->nl; li++)
        {
          /* 65536 values: MPFR for every one is cheap enough */
          ref_compute (&sc->ref, f, z, c->ys[li]);
          for (int i = 0; i < r->nf; i++)
            {
              long double lv, gv;
              form_eval (&form_table[r->forms[i]], f, z, c->ys[li], &c->k, &lv, &gv);
              ex_stats *st = &s[li * r->nf + i];
              metric ml = metric_eval (f, lv, sc->ref.loss, sc->ref.loss_rn, 0);
              metric mg = metric_eval (f, gv, sc->ref.grad, sc->ref.grad_rn, 1);
              st->evals++;
              if (isnan (lv))
                st->nan++, st->hist[EX_BINS - 1]++;
              else
                {
                  if (isinf (lv))
                    st->inf++;
                  if (lv == sc->ref.loss_rn)
                    st->cr++;
                  st->hist[(int) floor (ml.bits) < EX_BINS - 1 ? (int) floor (ml.bits) : EX_BINS - 2]++;
                  if (!isinf (lv))
                    {
                      if (ml.ulp <= 1)
                        st->ulp1++;
                      if (ml.ulp > st->max_ulp)
                        st->max_ulp = ml.ulp, st->max_at = b;
                    }
                }
              if (mg.status == ST_ZERO)
                st->zero++;
              if (mg.status == ST_SIGN)
                st->sign++;
              if (isfinite (gv) && mg.ulp > st->gmax_ulp)
                st->gmax_ulp = mg.ulp, st->gmax_at = b;
            }
        }
    }
}

static void
stats_add (ex_stats *a, const ex_stats *b)
{
  counts_add (a, b);
  /* B covers later patterns: it wins only when strictly larger */
  if (b->max_ulp > a->max_ulp)
    a->max_ulp = b->max_ulp, a->max_at = b->max_at;
  if (b->gmax_ulp > a->gmax_ulp)
    a->gmax_ulp = b->gmax_ulp, a->gmax_at = b->gmax_at;
}

void
ex_merge (ex_run *a, const ex_run *b)
{
  for (int i = 0; i < a->nf * a->nl; i++)
    stats_add (&a->row[i], &b->row[i]);
  a->fallbacks += b->fallbacks;
  a->hi = b->hi;
}

/* Patterns per chunk, the unit of work of a thread: float's 2^32 in 65536
   chunks; half's and bfloat16's 65536 (MPFR for each) in 64, so that
   every core has some.  */
#define CHUNK_FLOAT (1u << 16)
#define CHUNK_SMALL (1u << 10)

void
ex_compute (ex_run *r, int jobs, int progress)
{
  ex_ctx c;
  c.r = r;
  form_k_init (&c.k, r->f, r->eps);
  c.kf = form_kf_of (&c.k);
  c.y01 = r->nl == 2;
  for (int li = 0; li < r->nl; li++)
    {
      long double y;
      if (fmt_parse (r->f, r->labels[li], &y) != 0)
        die ("cannot read label '%s'", r->labels[li]);
      c.ys[li] = (float) y;
    }
  if (c.y01)
    c.y01 = c.ys[0] == 0 && c.ys[1] == 1;
  int rows = r->nf * r->nl;
  memset (r->row, 0, sizeof r->row);
  r->fallbacks = 0;

  uint64_t chunk = r->f->id == FMT_FLOAT ? CHUNK_FLOAT : CHUNK_SMALL;
  uint64_t nchunks = (r->hi - r->lo + chunk - 1) / chunk;
  ex_stats *per = xcalloc (nchunks * (size_t) rows, sizeof *per);
  uint64_t *fb = xcalloc (nchunks, sizeof *fb);
  int threads = ref_threads (jobs);
  const char *am = getenv ("BCELAB_EXHAUSTIVE_MPFR");
  int all_mpfr = am && strcmp (am, "1") == 0;
  uint64_t done = 0;
  struct timespec t0;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  double last_print = 0;
#pragma omp parallel num_threads (threads)
  {
    scorer sc;
    ref_global_init ();
    ref_init (&sc.ref);
    sc.all_mpfr = all_mpfr;
#pragma omp for schedule (dynamic, 1)
    for (uint64_t k = 0; k < nchunks; k++)
      {
        uint64_t lo = r->lo + k * chunk, hi = lo + chunk;
        if (hi > r->hi)
          hi = r->hi;
        sc.fallbacks = 0;
        if (r->f->id == FMT_FLOAT)
          run_float (&c, lo, hi, per + k * rows, &sc);
        else
          run_small (&c, lo, hi, per + k * rows, &sc);
        fb[k] = sc.fallbacks;
        uint64_t now_done;
#pragma omp atomic capture
        now_done = ++done;
        if (progress)
#ifdef _OPENMP
          if (omp_get_thread_num () == 0)
#endif
            {
              struct timespec t;
              clock_gettime (CLOCK_MONOTONIC, &t);
              double el = (double) (t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) * 1e-9;
              if (el - last_print > 0.5 || now_done == nchunks)
                {
                  double frac = (double) now_done / (double) nchunks;
                  double eta = frac > 0 ? el / frac - el : 0;
                  int w = (int) (frac * 40);
                  fprintf (stderr, "\r%s [%.*s%*s] %5.1f%%  ETA %d:%02d ", r->f->name, w,
                           "########################################", 40 - w, "",
                           100 * frac, (int) eta / 60, (int) eta % 60);
                  last_print = el;
                }
            }
      }
    ref_clear (&sc.ref);
  }
  if (progress)
    fputs ("\r\033[K", stderr);
  /* in chunk order: deterministic */
  for (uint64_t k = 0; k < nchunks; k++)
    {
      for (int i = 0; i < rows; i++)
        stats_add (&r->row[i], &per[k * rows + i]);
      r->fallbacks += fb[k];
    }
  free (per);
  free (fb);
}

/* ---- output ---- */

static long double
value_at (const fmt_info *f, uint64_t bits)
{
  if (f->id == FMT_FLOAT)
    {
      uint32_t u = (uint32_t) bits;
      float z;
      memcpy (&z, &u, 4);
      return z;
    }
  long double z = fmt_from_ordinal (f, (__int128) (bits & 0x7fff));
  return bits & 0x8000 ? -z : z;
}

static void
print_summary (const ex_run *r, out_format how)
{
  const fmt_info *f = r->f;
  grid g;
  grid_init (&g, 13);
  grid_add_row (&g);
  const char *h[] = { "form", "label", "evaluations", "correctly_rounded",
                      "within_1ulp", "max_ulp", "max_ulp_at", "max_ulp_at_hex",
                      "inf", "nan", "zero_grad", "wrong_sign_grad", "grad_max_ulp" };
  for (int c = 0; c < 13; c++)
    grid_set (&g, (size_t) c, "%s", h[c]);
  for (int li = 0; li < r->nl; li++)
    for (int i = 0; i < r->nf; i++)
      {
        const ex_stats *s = &r->row[li * r->nf + i];
        char a[64], b[64];
        long double at = value_at (f, s->max_at);
        grid_add_row (&g);
        grid_set (&g, 0, "%s", form_table[r->forms[i]].name);
        grid_set (&g, 1, "%s", r->labels[li]);
        grid_set (&g, 2, "%llu", (unsigned long long) s->evals);
        if (how == OUT_TEXT || how == OUT_MARKDOWN)
          {
            grid_set (&g, 3, "%.4f%%", 100.0 * (double) s->cr / (double) s->evals);
            grid_set (&g, 4, "%.4f%%", 100.0 * (double) s->ulp1 / (double) s->evals);
            grid_set (&g, 5, "%.4g", s->max_ulp);
            grid_set (&g, 6, "%s", fmt_shortest (a, f, at));
          }
        else
          {
            grid_set (&g, 3, "%llu", (unsigned long long) s->cr);
            grid_set (&g, 4, "%llu", (unsigned long long) s->ulp1);
            grid_set (&g, 5, "%.17g", s->max_ulp);
            fmt_snprint (a, sizeof a, f, at, 0);
            grid_set (&g, 6, "%s", a);
          }
        fmt_snprint (b, sizeof b, f, at, 1);
        grid_set (&g, 7, "%s", b);
        grid_set (&g, 8, "%llu", (unsigned long long) s->inf);
        grid_set (&g, 9, "%llu", (unsigned long long) s->nan);
        grid_set (&g, 10, "%llu", (unsigned long long) s->zero);
        grid_set (&g, 11, "%llu", (unsigned long long) s->sign);
        grid_set (&g, 12, how == OUT_TEXT || how == OUT_MARKDOWN ? "%.4g" : "%.17g",
                  s->gmax_ulp);
      }
  grid_print (&g, stdout, how);
  grid_free (&g);
}

/* The forms at +-inf and nan, against their defined outcomes.  */
static void
print_nonfinite (const ex_run *r)
{
  const fmt_info *f = r->f;
  static const char *const zs[] = { "-inf", "inf", "nan" };
  struct form_k k;
  form_k_init (&k, f, r->eps);
  grid g;
  grid_init (&g, 7);
  grid_add_row (&g);
  const char *h[] = { "form", "label", "z", "loss", "exact", "dL/dz", "exact" };
  for (int c = 0; c < 7; c++)
    grid_set (&g, (size_t) c, "%s", h[c]);
  ref_value ref;
  ref_init (&ref);
  for (int li = 0; li < r->nl; li++)
    for (int i = 0; i < r->nf; i++)
      for (int zi = 0; zi < 3; zi++)
        {
          long double z, y, l, gr;
          char a[64], b[64], c[64], d[64];
          fmt_parse (f, zs[zi], &z);
          fmt_parse (f, r->labels[li], &y);
          form_eval (&form_table[r->forms[i]], f, z, y, &k, &l, &gr);
          ref_compute (&ref, f, z, y);
          grid_add_row (&g);
          grid_set (&g, 0, "%s", form_table[r->forms[i]].name);
          grid_set (&g, 1, "%s", r->labels[li]);
          grid_set (&g, 2, "%s", zs[zi]);
          grid_set (&g, 3, "%s", fmt_shortest (a, f, l));
          grid_set (&g, 4, "%s", fmt_shortest (b, f, ref.loss_rn));
          grid_set (&g, 5, "%s", fmt_shortest (c, f, gr));
          grid_set (&g, 6, "%s", fmt_shortest (d, f, ref.grad_rn));
        }
  ref_clear (&ref);
  grid_print (&g, stdout, OUT_TEXT);
  grid_free (&g);
}

/* DIR/exhaustive-FMT.dat (the histograms) and exhaustive-FMT.gp.  */
static void
write_files (const ex_run *r, const char *dir)
{
  const fmt_info *f = r->f;
  char name[128];
  snprintf (name, sizeof name, "exhaustive-%s.dat", f->name);
  outfile o;
  out_open (&o, dir, name);
  fprintf (o.fp, "# bcelab %s\n# command: %s\n# every finite %s value; eps %g\n"
           "# histogram of bits of error of the loss (bin k: [k, k+1) bits; the last: nan)\n"
           "# per (form, label): evaluations, correctly rounded, within 1 ULP, max ULP at\n",
           PACKAGE_VERSION, cli_command_line (), f->name, r->eps);
  /* the histogram through GSL, as the data file's numbers */
  for (int li = 0; li < r->nl; li++)
    for (int i = 0; i < r->nf; i++)
      {
        const ex_stats *s = &r->row[li * r->nf + i];
        char a[64];
        fmt_snprint (a, sizeof a, f, value_at (f, s->max_at), 1);
        fprintf (o.fp, "# %s y=%s: %llu %llu %llu %.17g %s\n",
                 form_table[r->forms[i]].name, r->labels[li],
                 (unsigned long long) s->evals, (unsigned long long) s->cr,
                 (unsigned long long) s->ulp1, s->max_ulp, a);
      }
  fprintf (o.fp, "# bits");
  for (int li = 0; li < r->nl; li++)
    for (int i = 0; i < r->nf; i++)
      fprintf (o.fp, " %s_y%s", form_table[r->forms[i]].name, r->labels[li]);
  fputc ('\n', o.fp);
  gsl_histogram **h = xcalloc ((size_t) (r->nl * r->nf), sizeof *h);
  for (int k = 0; k < r->nl * r->nf; k++)
    {
      h[k] = gsl_histogram_alloc (EX_BINS);
      gsl_histogram_set_ranges_uniform (h[k], 0, EX_BINS);
      for (int b = 0; b < EX_BINS; b++)
        gsl_histogram_accumulate (h[k], b + 0.5, (double) r->row[k].hist[b]);
    }
  for (int b = 0; b < EX_BINS; b++)
    {
      double lo, hi;
      gsl_histogram_get_range (h[0], (size_t) b, &lo, &hi);
      if (b == EX_BINS - 1)
        fprintf (o.fp, "nan");
      else
        fprintf (o.fp, "%g", lo);
      for (int k = 0; k < r->nl * r->nf; k++)
        fprintf (o.fp, " %.17g", gsl_histogram_get (h[k], (size_t) b));
      fputc ('\n', o.fp);
    }
  for (int k = 0; k < r->nl * r->nf; k++)
    gsl_histogram_free (h[k]);
  free (h);
  out_commit (&o);

  snprintf (name, sizeof name, "exhaustive-%s.gp", f->name);
  out_open (&o, dir, name);
  char base[64];
  snprintf (base, sizeof base, "exhaustive-%s", f->name);
  gp_begin (o.fp, base, "bits of error over every value of the format", 1200, 600);
  fprintf (o.fp, "set title \"Bits of error of the loss, every finite %s value\" font \",13\"\n"
               "set xlabel \"bits of error (0: correctly rounded; the last bar: nan)\"\n"
               "set ylabel \"values (log scale)\"\nset logscale y\nset format y \"10^{%%L}\"\n"
               "set style data histograms\nset style histogram clustered gap 1\n"
               "set style fill solid 0.8 border -1\nset boxwidth 0.9\n"
               "set key top center horizontal font \",9\"\nset xtics rotate by 0 font \",8\"\n"
               "set yrange [0.5:*]\n", f->name);
  fputs ("plot ", o.fp);
  int col = 2;
  for (int li = 0; li < r->nl; li++)
    for (int i = 0; i < r->nf; i++, col++)
      fprintf (o.fp, "%s\"%s.dat\" using ($%d > 0 ? $%d : 1/0):xtic(1) title \"%s y=%s\" lc %d",
               col > 2 ? ", \\\n     " : "", base, col, col, form_table[r->forms[i]].name,
               r->labels[li], col - 1);
  fputs ("\nunset output\n", o.fp);
  out_commit (&o);
  if (gp_program ())
    {
      snprintf (name, sizeof name, "exhaustive-%s.gp", f->name);
      if (gp_render (dir, name, NULL) != 0)
        die ("gnuplot could not render %s/%s", dir, name);
    }
}

/* ---- partial results: a text format that reads back exactly ---- */

static void
write_part (const ex_run *r, const char *dir)
{
  char name[128];
  snprintf (name, sizeof name, "exhaustive-%s.part-%d-of-%d", r->f->name,
            r->shard + 1, r->nshards);
  outfile o;
  out_open (&o, dir, name);
  fprintf (o.fp, "bcelab-exhaustive-part 1\nformat %s\nforms", r->f->name);
  for (int i = 0; i < r->nf; i++)
    fprintf (o.fp, " %s", form_table[r->forms[i]].name);
  fprintf (o.fp, "\nlabels");
  for (int i = 0; i < r->nl; i++)
    fprintf (o.fp, " %s", r->labels[i]);
  fprintf (o.fp, "\neps %a\nshard %d %d\nrange %llu %llu\nfallbacks %llu\n", r->eps,
           r->shard, r->nshards, (unsigned long long) r->lo,
           (unsigned long long) r->hi, (unsigned long long) r->fallbacks);
  for (int k = 0; k < r->nf * r->nl; k++)
    {
      const ex_stats *s = &r->row[k];
      fprintf (o.fp, "row %d %llu %llu %llu %llu %llu %llu %llu %a %llu %a %llu", k,
               (unsigned long long) s->evals, (unsigned long long) s->cr,
               (unsigned long long) s->ulp1, (unsigned long long) s->inf,
               (unsigned long long) s->nan, (unsigned long long) s->zero,
               (unsigned long long) s->sign, s->max_ulp,
               (unsigned long long) s->max_at, s->gmax_ulp,
               (unsigned long long) s->gmax_at);
      for (int b = 0; b < EX_BINS; b++)
        fprintf (o.fp, " %llu", (unsigned long long) s->hist[b]);
      fputc ('\n', o.fp);
    }
  fputs ("end\n", o.fp);
  out_commit (&o);
  printf ("%s/%s\n", dir, name);
}

/* Read a partial result; dies with the file and line on a bad one.  */
static void
read_part (const char *file, ex_run *r)
{
  FILE *fp = fopen (file, "r");
  if (!fp)
    die ("cannot read '%s': %s", file, strerror (errno));
  memset (r, 0, sizeof *r);
  char line[4096], word[64];
  int lineno = 0, rows = 0, ended = 0;
  while (fgets (line, sizeof line, fp))
    {
      lineno++;
      if (sscanf (line, "%63s", word) != 1)
        continue;
      int ok = 1;
      if (lineno == 1)
        ok = strcmp (line, "bcelab-exhaustive-part 1\n") == 0;
      else if (strcmp (word, "format") == 0)
        {
          char n[64];
          ok = sscanf (line, "format %63s", n) == 1 && (r->f = fmt_by_name (n)) != NULL;
        }
      else if (strcmp (word, "forms") == 0 || strcmp (word, "labels") == 0)
        {
          int is_forms = word[0] == 'f';
          char *p = line + strlen (word);
          char tok[64];
          int used;
          while (sscanf (p, "%63s%n", tok, &used) == 1)
            {
              if (is_forms)
                {
                  const form_info *fi = form_by_name (tok);
                  if (!fi || r->nf >= 6)
                    {
                      ok = 0;
                      break;
                    }
                  r->forms[r->nf++] = fi->id;
                }
              else
                {
                  if (r->nl >= 8)
                    {
                      ok = 0;
                      break;
                    }
                  snprintf (r->labels[r->nl++], sizeof r->labels[0], "%.31s", tok);
                }
              p += used;
            }
        }
      else if (strcmp (word, "eps") == 0)
        ok = sscanf (line, "eps %la", &r->eps) == 1;
      else if (strcmp (word, "shard") == 0)
        ok = sscanf (line, "shard %d %d", &r->shard, &r->nshards) == 2;
      else if (strcmp (word, "range") == 0)
        {
          unsigned long long a, b;
          ok = sscanf (line, "range %llu %llu", &a, &b) == 2;
          r->lo = a, r->hi = b;
        }
      else if (strcmp (word, "fallbacks") == 0)
        {
          unsigned long long a;
          ok = sscanf (line, "fallbacks %llu", &a) == 1;
          r->fallbacks = a;
        }
      else if (strcmp (word, "row") == 0)
        {
          int k, used = 0;
          unsigned long long v[10];
          ex_stats s;
          memset (&s, 0, sizeof s);
          ok = sscanf (line, "row %d %llu %llu %llu %llu %llu %llu %llu %la %llu %la %llu%n",
                       &k, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                       &s.max_ulp, &v[7], &s.gmax_ulp, &v[8], &used) == 12
               && k == rows && k < EX_MAX_ROWS;
          char *p = line + used;
          for (int b = 0; ok && b < EX_BINS; b++)
            {
              int u;
              unsigned long long hv;
              ok = sscanf (p, "%llu%n", &hv, &u) == 1;
              s.hist[b] = hv;
              p += u;
            }
          if (ok)
            {
              s.evals = v[0], s.cr = v[1], s.ulp1 = v[2], s.inf = v[3], s.nan = v[4];
              s.zero = v[5], s.sign = v[6], s.max_at = v[7], s.gmax_at = v[8];
              r->row[rows++] = s;
            }
        }
      else if (strcmp (word, "end") == 0)
        ended = 1;
      else
        ok = 0;
      if (!ok)
        die ("%s:%d: not a bcelab partial result", file, lineno);
    }
  fclose (fp);
  if (!ended || !r->f || rows != r->nf * r->nl || r->nshards < 1)
    die ("%s: incomplete partial result", file);
}

/* ---- the commands ---- */

/* The largest errors were located with the double reference (to 2^-23
   ULP); recompute each at its location with MPFR, so that what is
   reported is exact and the same whichever path found it.  */
static void
exact_maxima (ex_run *r)
{
  struct form_k k;
  form_k_init (&k, r->f, r->eps);
  ref_value ref;
  ref_global_init ();
  ref_init (&ref);
  for (int li = 0; li < r->nl; li++)
    {
      long double y;
      fmt_parse (r->f, r->labels[li], &y);
      for (int i = 0; i < r->nf; i++)
        {
          ex_stats *s = &r->row[li * r->nf + i];
          long double z, l, g;
          if (s->max_ulp > 0)
            {
              z = value_at (r->f, s->max_at);
              form_eval (&form_table[r->forms[i]], r->f, z, y, &k, &l, &g);
              ref_compute (&ref, r->f, z, y);
              s->max_ulp = metric_eval (r->f, l, ref.loss, ref.loss_rn, 0).ulp;
            }
          if (s->gmax_ulp > 0)
            {
              z = value_at (r->f, s->gmax_at);
              form_eval (&form_table[r->forms[i]], r->f, z, y, &k, &l, &g);
              ref_compute (&ref, r->f, z, y);
              s->gmax_ulp = metric_eval (r->f, g, ref.grad, ref.grad_rn, 1).ulp;
            }
        }
    }
  ref_clear (&ref);
}

/* The summary on stdout, after the files are safely written.  */
static void
print_results (ex_run *r, const job *j)
{
  if (j->format == OUT_TEXT)
    printf ("Every finite %s value (%llu patterns), forms against the exact values:\n\n",
            r->f->name, (unsigned long long) (r->hi - r->lo));
  print_summary (r, j->format);
  if (j->format == OUT_TEXT)
    {
      printf ("\nNon-finite inputs, against their defined outcomes (docs/definitions.md):\n");
      print_nonfinite (r);
    }
}

static void
finish (ex_run *r, const job *j)
{
  exact_maxima (r);
  if (j->output)
    {
      out_mkdir (j->output);
      write_files (r, j->output);
    }
  print_results (r, j);
}

static void
setup_run (ex_run *r, const job *j)
{
  memset (r, 0, sizeof *r);
  r->f = j->given_precision ? &fmt_table[j->precision[0]] : &fmt_table[FMT_HALF];
  if (r->f->id > FMT_FLOAT)
    usage_error ("exhaustive covers half, bfloat16 and float (2^64 values are too many), not %s",
                 r->f->name);
  if (j->given_precision && j->n_precision > 1)
    usage_error ("exhaustive runs one format at a time");
  if (j->given_form)
    for (int i = 0; i < j->n_form; i++)
      r->forms[r->nf++] = j->form[i];
  else
    r->forms[0] = FORM_NAIVE, r->forms[1] = FORM_CLAMPED, r->forms[2] = FORM_STABLE, r->nf = 3;
  if (j->labels.n)
    {
      if (j->labels.n > 8)
        usage_error ("--label: at most 8 labels");
      for (size_t i = 0; i < j->labels.n; i++)
        snprintf (r->labels[r->nl++], sizeof r->labels[0], "%.31s", j->labels.text[i]);
    }
  else
    strcpy (r->labels[0], "0"), strcpy (r->labels[1], "1"), r->nl = 2;
  r->eps = j->eps;
  uint64_t total = r->f->id == FMT_FLOAT ? (1ull << 32) : (1ull << 16);
  r->shard = j->shard_k;
  r->nshards = j->shard_n ? j->shard_n : 1;
  r->lo = total / (uint64_t) r->nshards * (uint64_t) r->shard;
  r->hi = r->shard + 1 == r->nshards ? total
        : total / (uint64_t) r->nshards * (uint64_t) (r->shard + 1);
}

int
cmd_exhaustive (const job *j)
{
  ex_run *r = xmalloc (sizeof *r);
  setup_run (r, j);
  if (j->output)
    out_mkdir (j->output);      /* before minutes of work, not after */
  int progress = isatty (STDERR_FILENO) && !getenv ("BCELAB_NO_PROGRESS");
  ex_compute (r, j->jobs, progress);
  if (j->shard_n)
    write_part (r, j->output ? (out_mkdir (j->output), j->output) : ".");
  else
    finish (r, j);
  free (r);
  return 0;
}

int
cmd_merge (const job *j)
{
  if (j->n_operands == 0)
    usage_error ("merge needs the partial results: bcelab merge FILE...");
  ex_run *parts = xcalloc ((size_t) j->n_operands, sizeof *parts);
  for (int i = 0; i < j->n_operands; i++)
    read_part (j->operands[i], &parts[i]);
  /* the same run, every shard once */
  int n = parts[0].nshards;
  if (j->n_operands != n)
    die ("merge: %d of %d shards given", j->n_operands, n);
  ex_run **by = xcalloc ((size_t) n, sizeof *by);
  for (int i = 0; i < n; i++)
    {
      ex_run *p = &parts[i];
      if (p->f != parts[0].f || p->nf != parts[0].nf || p->nl != parts[0].nl
          || p->nshards != n || p->eps != parts[0].eps
          || memcmp (p->forms, parts[0].forms, sizeof p->forms) != 0
          || memcmp (p->labels, parts[0].labels, sizeof p->labels) != 0)
        die ("merge: %s is from another run than %s", j->operands[i], j->operands[0]);
      if (p->shard < 0 || p->shard >= n || by[p->shard])
        die ("merge: shard %d given twice or out of range (%s)", p->shard, j->operands[i]);
      by[p->shard] = p;
    }
  ex_run *all = by[0];
  for (int k = 1; k < n; k++)
    ex_merge (all, by[k]);
  all->shard = 0;
  all->nshards = 1;
  finish (all, j);
  free (by);
  free (parts);
  return 0;
}
