/* check_cce.c -- categorical cross-entropy: the seed's printed numbers,
 * the reference, the two-logit bridge to BCE in every format, and where
 * the naive softmax overflows.  */
#include <config.h>
#include <string.h>
#include "testutil.h"
#include "cce.h"

static void
setup (void)
{
  ref_global_init ();
}

/* Evaluate form ID in F on N logits Z (values of F), class T, smoothing
   EPS; loss into *L, the gradient into G (or NULL).  */
static void
eval (cce_id id, const fmt_info *f, const long double *z, long n, long t,
      double eps, long double *l, long double *g)
{
  struct cce_k k;
  cce_k_init (&k, f, eps, n);
  cce_table[id].eval[f->id] (z, n, t, &k, l, g);
}

/* The reference for N separate logits (each its own group).  */
static void
reference (cce_ref *r, const fmt_info *f, const long double *z, long n,
           long t, long double eps)
{
  long *count = malloc ((size_t) n * sizeof *count);
  for (long i = 0; i < n; i++)
    count[i] = 1;
  cce_logits x = { z, count, (int) n, (int) t };
  cce_ref_init (r, (int) n);
  cce_ref_compute (r, f, &x, eps);
  free (count);
}

static double
ulps (const fmt_info *f, long double c, mpfr_srcptr x, long double x_rn)
{
  return metric_eval (f, c, x, x_rn, 0).ulp;
}

/* Seed 003: cross_entropy(np.array([1,2,2]), 1), the max-subtracted
   softmax in float64, prints 0.8619948040582511 and the softmax
   [0.1553624 0.4223188 0.4223188]; grad_cross_entropy prints
   [ 0.1553624 -0.5776812  0.4223188].  */
START_TEST (test_seed003)
{
  const fmt_info *f = F (FMT_DOUBLE);
  const long double z[3] = { 1, 2, 2 };
  long double l, g[3];
  eval (CCE_SHIFTED, f, z, 3, 1, 0, &l, g);
  ck_assert_same (f, l, (long double) strtod ("0.8619948040582511", NULL));
  static const char *const grad[3] = { "0.1553624", "-0.5776812", "0.4223188" };
  static const char *const soft[3] = { "0.1553624", "0.4223188", "0.4223188" };
  char buf[32];
  for (int i = 0; i < 3; i++)
    {
      snprintf (buf, sizeof buf, "%.7f", (double) g[i]);
      ck_assert_str_eq (buf, grad[i]);
      /* the softmax is the gradient plus the one-hot target */
      snprintf (buf, sizeof buf, "%.7f", (double) (g[i] + (i == 1)));
      ck_assert_str_eq (buf, soft[i]);
    }
  /* the other forms agree to an ulp, and all are within an ulp of the
     exact value; the reference's gradients are the seed's too */
  cce_ref r;
  reference (&r, f, z, 3, 1, 0);
  ck_assert_msg (ulps (f, l, r.loss, r.loss_rn) <= 1, "shifted");
  for (int id = 0; id < CCE_COUNT; id++)
    {
      long double li;
      eval (id, f, z, 3, 1, 0, &li, NULL);
      ck_assert_msg (ulps (f, li, r.loss, r.loss_rn) <= 1, "%s: %.17Lg",
                     cce_table[id].name, li);
    }
  for (int i = 0; i < 3; i++)
    {
      long double gi = i == 1 ? r.grad_t_rn : r.grad_rn[i];
      snprintf (buf, sizeof buf, "%.7f", (double) gi);
      ck_assert_str_eq (buf, grad[i]);
    }
  cce_ref_clear (&r);
}
END_TEST

/* The grouped reference equals the reference on every logit apart: 10
   classes, 9 sharing a logit.  */
START_TEST (test_reference_groups)
{
  static const long double gaps[] = { -120, -30, -1.5, 0, 0.25, 7, 40, 1000 };
  static const double eps[] = { 0, 0.1 };
  for (int fi = FMT_HALF; fi <= FMT_DOUBLE; fi++)
    for (size_t gi = 0; gi < sizeof gaps / sizeof *gaps; gi++)
      for (int ei = 0; ei < 2; ei++)
        {
          const fmt_info *f = F (fi);
          long double gap = fmt_round (f, gaps[gi]);
          long double e = fmt_round (f, eps[ei]);
          long double z[10] = { 0 };
          z[9] = gap;
          cce_ref a, b;
          reference (&a, f, z, 10, 9, e);
          long double v[2] = { 0, gap };
          long c[2] = { 9, 1 };
          cce_logits x = { v, c, 2, 1 };
          cce_ref_init (&b, 2);
          cce_ref_compute (&b, f, &x, e);
          ck_assert_same (f, b.loss_rn, a.loss_rn);
          ck_assert_same (f, b.grad_t_rn, a.grad_t_rn);
          ck_assert_same (f, b.grad_rn[0], a.grad_rn[0]);
          cce_ref_clear (&a);
          cce_ref_clear (&b);
        }
}
END_TEST

/* All logits equal: p_i = 1/K, and L = log K whatever the smoothing
   (the targets sum to 1).  */
START_TEST (test_reference_uniform)
{
  const fmt_info *f = F (FMT_DOUBLE);
  for (long n = 2; n <= 7; n++)
    {
      long double v[1] = { 3 };
      long c[1] = { n };
      cce_logits x = { v, c, 1, 0 };
      cce_ref r;
      cce_ref_init (&r, 1);
      cce_ref_compute (&r, f, &x, 0.25L);
      mpfr_t lg;
      mpfr_init2 (lg, 53);
      mpfr_set_ui (lg, (unsigned long) n, MPFR_RNDN);
      mpfr_log (lg, lg, MPFR_RNDN);
      ck_assert_same (f, r.loss_rn, (long double) mpfr_get_d (lg, MPFR_RNDN));
      mpfr_clear (lg);
      /* dL/dz_t = 1/K - (1 - eps + eps/K) = -(1 - eps)(K - 1)/K,
         dL/dz_o = 1/K - eps/K = (1 - eps)/K: one rounding each */
      ck_assert_same (f, r.grad_t_rn, (long double) (-(0.75 * (n - 1)) / n));
      ck_assert_same (f, r.grad_rn[0], (long double) (0.75 / n));
      cce_ref_clear (&r);
    }
}
END_TEST

/* Seed 002: softmax cross-entropy on two logits (s0, s1), class 1, is BCE
   on z = s1 - s0 with y = 1.  The references agree exactly, in every
   format; log-softmax on (0, z) does the same operations as the stable
   BCE form and gives the same bits; its gradient is within 2 ulps.  */
START_TEST (test_bridge)
{
  for (int fi = 0; fi < FMT_COUNT; fi++)
    {
      if (!fmt_available (fi))
        continue;
      const fmt_info *f = F (fi);
      struct form_k bk;
      form_k_init (&bk, f, 1e-7);
      ref_value br;
      ref_init (&br);
      cce_ref r;
      cce_ref_init (&r, 2);
      unsigned long long seed = 0x9e3779b97f4a7c15ull + (unsigned) fi;
      long tests = test_size (600);
      for (long i = 0; i < tests; i++)
        {
          /* logits over every scale: sign * 2^(-20..20) * [1, 2) */
          double mag = ldexp (1 + (double) (test_rand (&seed) % 1000) / 1000,
                              (int) (test_rand (&seed) % 41) - 20);
          long double z = fmt_round (f, (test_rand (&seed) & 1) ? mag : -mag);
          if (i < 4)
            z = (long double[]) { 0, 88.5L, -200, 1e4L }[i];
          z = fmt_round (f, z);
          if (!isfinite (z))
            continue;           /* beyond half's range */
          long double v[2] = { 0, z };
          long c[2] = { 1, 1 };
          cce_logits x = { v, c, 2, 1 };
          cce_ref_compute (&r, f, &x, 0);
          ref_compute (&br, f, z, 1);
          ck_assert_same (f, r.loss_rn, br.loss_rn);
          ck_assert_same (f, r.grad_t_rn, br.grad_rn);
          long double cl, cg[2], bl, bg;
          eval (CCE_LOGSOFTMAX, f, v, 2, 1, 0, &cl, cg);
          form_eval (&form_table[FORM_STABLE], f, z, 1, &bk, &bl, &bg);
          ck_assert_same (f, cl, bl);
          /* p_t - 1 cancels when p_t is near 1: p_t's rounding error,
             half an ulp of 1, is what remains, as in the stable BCE form */
          long double d = fabsl (cg[1] - br.grad_rn);
          ck_assert_msg (d <= ldexpl (1, 1 - f->prec), "%s: z = %La: "
                         "log-softmax gradient %La, exact %La", f->name, z,
                         cg[1], br.grad_rn);
          /* the same on (s0, s1) with s1 - s0 = z exactly */
          long double s0 = fmt_round (f, 0.75L * z), s1 = fmt_round (f, s0 + z);
          if (s1 - s0 == z && isfinite (s1))
            {
              long double w[2] = { s0, s1 };
              eval (CCE_LOGSOFTMAX, f, w, 2, 1, 0, &cl, NULL);
              ck_assert_same (f, cl, bl);
            }
        }
      cce_ref_clear (&r);
      ref_clear (&br);
    }
}
END_TEST

/* In float, exp overflows past log(FLT_MAX (1 + 2^-25)) = 88.7228...: the
   naive softmax on (0, g) turns nan exactly at the first float above it;
   log-softmax stays within 2 ulps there and beyond, while the shifted
   softmax, which cannot overflow, returns 0: p_t rounds to 1.  */
START_TEST (test_naive_overflow)
{
  const fmt_info *f = F (FMT_FLOAT);
  mpfr_t x;
  mpfr_init2 (x, 200);
  mpfr_set_flt (x, FLT_MAX, MPFR_RNDN);
  mpfr_mul_2si (x, x, 0, MPFR_RNDN);
  mpfr_t h;
  mpfr_init2 (h, 200);
  mpfr_set_ui_2exp (h, 1, 127 - 24, MPFR_RNDN);   /* half an ulp of FLT_MAX */
  mpfr_add (x, x, h, MPFR_RNDN);
  mpfr_log (x, x, MPFR_RNDN);
  float thr = mpfr_get_flt (x, MPFR_RNDU);
  ck_assert (thr > 88.72f && thr < 88.73f);
  float below = nextafterf (thr, 0);
  for (int side = 0; side < 2; side++)
    {
      long double g = side ? thr : below;
      long double v[2] = { 0, g }, l;
      eval (CCE_NAIVE, f, v, 2, 1, 0, &l, NULL);
      ck_assert_msg (side ? isnan (l) : isfinite (l),
                     "naive at %a: %Lg", (double) g, l);
    }
  cce_ref r;
  cce_ref_init (&r, 2);
  for (long double g = below; g < 1e6; g *= 3)
    {
      long double v[2] = { 0, fmt_round (f, g) };
      long c[2] = { 1, 1 };
      cce_logits xg = { v, c, 2, 1 };
      cce_ref_compute (&r, f, &xg, 0);
      long double l;
      eval (CCE_LOGSOFTMAX, f, v, 2, 1, 0, &l, NULL);
      ck_assert_msg (ulps (f, l, r.loss, r.loss_rn) <= 2, "log-softmax at %Lg",
                     v[1]);
      eval (CCE_SHIFTED, f, v, 2, 1, 0, &l, NULL);
      ck_assert_msg (l == 0, "softmax-shifted at %Lg: %Lg", v[1], l);
    }
  cce_ref_clear (&r);
  mpfr_clears (x, h, (mpfr_ptr) 0);
}
END_TEST

/* log-softmax within a few ulps of the exact loss over gaps from -1e4 to
   1e4, for K = 2, 10 and 1000 in float and double, with and without
   smoothing; softmax-shifted breaks for very negative gaps (p_t
   underflows, L = inf), log-softmax never does.  */
START_TEST (test_logsoftmax_bound)
{
  static const long ks[] = { 2, 10, 1000 };
  for (int fi = FMT_FLOAT; fi <= FMT_DOUBLE; fi++)
    for (size_t ki = 0; ki < 3; ki++)
      for (int smooth = 0; smooth < 2; smooth++)
        {
          const fmt_info *f = F (fi);
          long n = ks[ki];
          long double eps = smooth ? fmt_round (f, 0.1) : 0;
          long double *z = calloc ((size_t) n, sizeof *z);
          cce_ref r;
          cce_ref_init (&r, 2);
          double worst = 0;
          int shifted_inf = 0;
          long double bad = NAN;   /* a gap where log-softmax is not finite */
          for (int s = -40; s <= 40; s++)
            {
              long double g = fmt_round (f, (s < 0 ? -1 : 1)
                                         * (powl (10, abs (s) / 10.0L) - 1));
              z[n - 1] = g;
              long double v[2] = { 0, g };
              long c[2] = { n - 1, 1 };
              cce_logits x = { v, c, 2, 1 };
              cce_ref_compute (&r, f, &x, eps);
              long double l;
              eval (CCE_LOGSOFTMAX, f, z, n, n - 1, (double) eps, &l, NULL);
              double u = ulps (f, l, r.loss, r.loss_rn);
              if (!isfinite (u) && isnan (bad))
                bad = g;
              /* beyond |g| = -emin ln 2 the terms exp(-|g|) are subnormal,
                 with fewer bits than the format: the format's limit, not
                 the form's */
              if (fabsl (g) < -f->emin * 0.693L && u > worst)
                worst = u;
              eval (CCE_SHIFTED, f, z, n, n - 1, (double) eps, &l, NULL);
              shifted_inf |= isinf (l);
            }
          /* the bound: the pairwise sum of K - 1 terms costs about
             log2 K half-ulps of s, and log1p passes that to L scaled by
             s / ((1 + s) L) < 1 */
          double bound = n <= 10 ? 3 : 8;
          /* free before asserting: a failed assertion leaves the test
             by longjmp when CK_FORK=no (as under valgrind), and what it
             skipped would be reported as leaked */
          cce_ref_clear (&r);
          free (z);
          ck_assert_msg (isnan (bad), "log-softmax not finite at %Lg", bad);
          ck_assert_msg (worst <= bound, "%s K=%ld eps=%d: log-softmax %g ulp",
                         f->name, n, smooth, worst);
          ck_assert_msg (shifted_inf, "%s K=%ld: softmax-shifted never inf",
                         f->name, n);
        }
}
END_TEST

static Suite *
cce_suite (void)
{
  Suite *s = suite_create ("cce");
  TCase *tc = tcase_create ("core");
  tcase_set_timeout (tc, 600);
  tcase_add_checked_fixture (tc, setup, NULL);
  tcase_add_test (tc, test_seed003);
  tcase_add_test (tc, test_reference_groups);
  tcase_add_test (tc, test_reference_uniform);
  tcase_add_test (tc, test_bridge);
  tcase_add_test (tc, test_naive_overflow);
  tcase_add_test (tc, test_logsoftmax_bound);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (cce_suite ());
}
