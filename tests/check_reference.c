/* check_reference.c -- the MPFR reference against values known
 * independently: closed forms, identities, limits, subnormal results, and
 * in every format.  */
#include <config.h>
#include "fastref.h"
#include "testutil.h"

static ref_value R;

/* x = op(...) at 400 bits, correctly rounded to F by fmt_round_mpfr: an
   independent path (no Ziv loop, no interval).  */
static long double
rn_log2 (const fmt_info *f)
{
  mpfr_t m;
  mpfr_init2 (m, 400);
  mpfr_const_log2 (m, MPFR_RNDN);
  long double v = fmt_round_mpfr (f, m);
  mpfr_clear (m);
  return v;
}

static long double
rn_exp_neg (const fmt_info *f, long double z)
{
  mpfr_t m;
  mpfr_init2 (m, 400);
  mpfr_set_ld (m, -z, MPFR_RNDN);
  mpfr_exp (m, m, MPFR_RNDN);
  long double v = fmt_round_mpfr (f, m);
  mpfr_clear (m);
  return v;
}

/* sigmoid(z) = 1/(1+exp(-z)) at 400 bits, rounded to F.  */
static long double
rn_sigmoid (const fmt_info *f, long double z)
{
  mpfr_t m;
  mpfr_init2 (m, 400);
  mpfr_set_ld (m, -z, MPFR_RNDN);
  mpfr_exp (m, m, MPFR_RNDN);
  mpfr_add_ui (m, m, 1, MPFR_RNDN);
  mpfr_ui_div (m, 1, m, MPFR_RNDN);
  long double v = fmt_round_mpfr (f, m);
  mpfr_clear (m);
  return v;
}

static void
setup (void)
{
  ref_global_init ();
  ref_init (&R);
}

static void
teardown (void)
{
  ref_clear (&R);
}

/* L(0, y) = ln 2 for y in {0, 1}; dL/dz(0, y) = 1/2 - y.  */
START_TEST (test_at_zero)
{
  for (int id = 0; id < FMT_COUNT; id++)
    {
      const fmt_info *f = F (id);
      for (int y = 0; y <= 1; y++)
        {
          ref_compute (&R, f, 0.0L, y);
          ck_assert_same (f, R.loss_rn, rn_log2 (f));
          ck_assert_same (f, R.grad_rn, y ? -0.5L : 0.5L);
        }
    }
}
END_TEST

/* L(z, 1) = log1p(exp(-z)) = exp(-z) (1 - exp(-z)/2 + ...): for large z it
   rounds as exp(-z) does, also where that is subnormal (float z = 100:
   3.7e-44; double z = 740: 4.2e-322), and to +0 below the subnormals.  */
START_TEST (test_large_z)
{
  static const struct { int id; const char *z; } cases[] = {
    { FMT_HALF, "12" }, { FMT_HALF, "16" }, { FMT_HALF, "17.5" },
    { FMT_BF16, "50" }, { FMT_BF16, "95" },
    { FMT_FLOAT, "50" }, { FMT_FLOAT, "88" }, { FMT_FLOAT, "100" },
    { FMT_FLOAT, "103" }, { FMT_FLOAT, "104" }, { FMT_FLOAT, "1e30" },
    { FMT_DOUBLE, "100" }, { FMT_DOUBLE, "700" }, { FMT_DOUBLE, "740" },
    { FMT_DOUBLE, "745" }, { FMT_DOUBLE, "1e300" },
    { FMT_LDOUBLE, "100" }, { FMT_LDOUBLE, "11400" }, { FMT_LDOUBLE, "1e4000" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      const fmt_info *f = F (cases[i].id);
      long double z;
      ck_assert_int_eq (fmt_parse (f, cases[i].z, &z), 0);
      ref_compute (&R, f, z, 1);
      ck_assert_same (f, R.loss_rn, rn_exp_neg (f, z));
      /* and dL/dz = -sigmoid(-z) = -exp(-z)/(1+exp(-z)) */
      ck_assert_same (f, R.grad_rn, -rn_sigmoid (f, -z));
    }
  /* a subnormal result really is one */
  ref_compute (&R, F (FMT_FLOAT), 100, 1);
  ck_assert (R.loss_rn > 0 && R.loss_rn < 0x1p-126L);
  /* e^-100 = 26.55 steps of 2^-149 */
  ck_assert_same (F (FMT_FLOAT), R.loss_rn, ldexpl (27, -149));
}
END_TEST

/* Beyond |z| = 3.2e18 exp(-|z|) underflows MPFR's own exponent range,
   and a loss or gradient can be an exact midpoint of the format plus a
   term no precision reaches: L(z, 1/4) = 3z/4 + log1p(e^-z) for float
   z = 0x1.000006p127 is the midpoint 0x1.800009p126 plus e^-z, so it
   rounds up (ties-to-even would give 0x1.800008p126); g(1e20, 2^-25) =
   (1 - 2^-25) - sigmoid(-z) rounds down to 1 - 2^-24.  Before the
   reference knew the sign of the missing term, these aborted.  */
START_TEST (test_beyond_mpfr_range)
{
  const fmt_info *f = F (FMT_FLOAT);
  ref_compute (&R, f, 0x1.000006p127L, 0.25L);
  ck_assert_same (f, R.loss_rn, 0x1.80000ap126L);
  ck_assert_same (f, R.grad_rn, 0.75L);
  ref_compute (&R, f, -0x1.000006p127L, 0.75L);
  ck_assert_same (f, R.loss_rn, 0x1.80000ap126L);
  ref_compute (&R, f, 0x1.000006p127L, 0.75L);
  ck_assert_same (f, R.loss_rn, 0x1.000006p125L);   /* exact + tiny */
  ref_compute (&R, f, (float) 1e20, 0x1p-25L);
  ck_assert_same (f, R.grad_rn, 1 - 0x1p-24L);
  ref_compute (&R, f, -(float) 1e20, 1 - 0x1p-25L);
  ck_assert_same (f, R.grad_rn, -(1 - 0x1p-24L));   /* -y + s */
  /* double: the same at its largest values */
  const fmt_info *d = F (FMT_DOUBLE);
  ref_compute (&R, d, 0x1.0000000000003p1023L, 0.25L);
  ck_assert_same (d, R.loss_rn, 0x1.8000000000005p1022L);
}
END_TEST

/* A midpoint plus a term MPFR can hold but no working precision up to
   W_MAX reaches (log1p(e^-|z|) for 36000 < |z| < 3e18): decided as the
   midpoint's neighbour on the term's side.  This aborted before.  */
START_TEST (test_beneath_reach)
{
  const fmt_info *f = F (FMT_FLOAT), *h = F (FMT_HALF), *d = F (FMT_DOUBLE);
  /* 3z/4 = 49152 + 1.5 ulp, plus e^-65536: up */
  ref_compute (&R, f, 0x1.000002p16L, 0.25L);
  ck_assert_same (f, R.loss_rn, 49152 + 0x1p-7L);
  ck_assert_same (f, R.grad_rn, 0.75L);
  /* 3z/4 = 27144, between 27136 and 27152 in half */
  ref_compute (&R, h, 36192, 0.25L);
  ck_assert_same (h, R.loss_rn, 27152);
  /* on the negative side, y|z| + l */
  ref_compute (&R, h, -36192, 0.75L);
  ck_assert_same (h, R.loss_rn, 27152);
  /* the gradient: 1 - y = 1 - 2^-12 is a midpoint of half, minus s: down */
  ref_compute (&R, h, 36192, 0x1p-12L);
  ck_assert_same (h, R.grad_rn, 1 - 0x1p-11L);
  /* -y + s where -y is a value of half: -y */
  ref_compute (&R, h, -36192, 1 - 0x1p-11L);
  ck_assert_same (h, R.grad_rn, -(1 - 0x1p-11L));
  ref_compute (&R, d, 0x1.0000000000001p16L, 0.25L);
  ck_assert_same (d, R.loss_rn, 49152 + 0x1p-36L);
}
END_TEST

/* softplus identities: L(z,0) = softplus(z) = L(-z,1) exactly, and
   L(z,0) - L(z,1) = z; sigmoid symmetry for the gradient; y = 1/2 is even
   in z.  Over many z in every format.  */
START_TEST (test_identities)
{
  unsigned long long s = 1234567ull;
  for (int id = 0; id < FMT_COUNT; id++)
    {
      const fmt_info *f = F (id);
      for (int i = 0; i < 300; i++)
        {
          /* logits spread over many binades, both signs */
          long double z = fmt_round (f, ldexpl ((long double) (test_rand (&s) % 1000000) / 1e6L,
                                               (int) (test_rand (&s) % 40) - 20));
          if (i & 1)
            z = -z;
          if (isinf (z))        /* overflowed in half: identities need finite z */
            continue;
          ref_compute (&R, f, z, 0);
          long double l0 = R.loss_rn, g0 = R.grad_rn;
          mpfr_t x0;
          mpfr_init2 (x0, mpfr_get_prec (R.loss));
          mpfr_set (x0, R.loss, MPFR_RNDN);
          ref_compute (&R, f, -z, 1);
          ck_assert_same (f, R.loss_rn, l0);
          ck_assert_same (f, R.grad_rn, -g0);
          ref_compute (&R, f, z, 1);
          /* (L(z,0) - L(z,1)) - z, at working precision: tiny */
          mpfr_t d;
          mpfr_init2 (d, 2 * mpfr_get_prec (x0));
          mpfr_sub (d, x0, R.loss, MPFR_RNDN);
          mpfr_sub_d (d, d, 0.0, MPFR_RNDN);
          mpfr_t zz;
          mpfr_init2 (zz, 128);
          mpfr_set_ld (zz, z, MPFR_RNDN);
          mpfr_sub (d, d, zz, MPFR_RNDN);
          if (z != 0)
            ck_assert_msg (mpfr_zero_p (d)
                           || mpfr_get_exp (d) < mpfr_get_exp (zz) - f->prec - 30,
                           "%s: softplus(z) - softplus(-z) != z at z=%La",
                           f->name, z);
          mpfr_clears (d, zz, x0, (mpfr_ptr) 0);
          /* y = 1/2: L(z) = L(-z) */
          ref_compute (&R, f, z, 0.5L);
          long double lh = R.loss_rn;
          ref_compute (&R, f, -z, 0.5L);
          ck_assert_same (f, R.loss_rn, lh);
          /* gradient y = 0 is sigmoid(z), rounded */
          ref_compute (&R, f, z, 0);
          ck_assert_same (f, R.grad_rn, rn_sigmoid (f, z));
        }
    }
}
END_TEST

/* Soft labels: L(z, y) = softplus(z) - y z, checked at 400 bits.  */
START_TEST (test_soft_labels)
{
  static const char *const ys[] = { "0.1", "0.5", "0.9", "0.99", "0.9999" };
  static const char *const zs[] = { "-30", "-1", "0.25", "3", "9.21", "1000" };
  for (int id = 0; id < FMT_COUNT; id++)
    for (size_t a = 0; a < 5; a++)
      for (size_t b = 0; b < 6; b++)
        {
          const fmt_info *f = F (id);
          long double y, z;
          fmt_parse (f, ys[a], &y);
          if (fmt_parse (f, zs[b], &z) || isinf (z))
            continue;
          ref_compute (&R, f, z, y);
          mpfr_t m, t, zz;
          /* 2000 bits: at z = 1000 the answers are near e^-1000 = 2^-1443 */
          mpfr_inits2 (2000, m, t, zz, (mpfr_ptr) 0);
          mpfr_set_ld (zz, z, MPFR_RNDN);
          mpfr_exp (t, zz, MPFR_RNDN);
          mpfr_log1p (m, t, MPFR_RNDN);     /* softplus(z), z moderate */
          mpfr_set_ld (t, y, MPFR_RNDN);
          mpfr_mul (t, t, zz, MPFR_RNDN);
          mpfr_sub (m, m, t, MPFR_RNDN);
          ck_assert_same (f, R.loss_rn, fmt_round_mpfr (f, m));
          /* gradient: sigmoid(z) - y */
          mpfr_neg (t, zz, MPFR_RNDN);
          mpfr_exp (t, t, MPFR_RNDN);
          mpfr_add_ui (t, t, 1, MPFR_RNDN);
          mpfr_ui_div (t, 1, t, MPFR_RNDN);
          mpfr_set_ld (m, y, MPFR_RNDN);
          mpfr_sub (t, t, m, MPFR_RNDN);
          ck_assert_same (f, R.grad_rn, fmt_round_mpfr (f, t));
          mpfr_clears (m, t, zz, (mpfr_ptr) 0);
        }
}
END_TEST

/* Extreme and non-finite inputs have defined outcomes.  */
START_TEST (test_extremes)
{
  const fmt_info *f = F (FMT_DOUBLE);
  ref_compute (&R, f, DBL_MAX, 0);
  ck_assert_same (f, R.loss_rn, (long double) DBL_MAX);
  ck_assert_same (f, R.grad_rn, 1.0L);
  ref_compute (&R, f, DBL_MAX, 1);
  ck_assert_same (f, R.loss_rn, 0.0L);
  ck_assert_same (f, R.grad_rn, -0.0L);
  ref_compute (&R, f, -DBL_MAX, 1);
  ck_assert_same (f, R.loss_rn, (long double) DBL_MAX);
  ck_assert_same (f, R.grad_rn, -1.0L);
  ref_compute (&R, f, INFINITY, 1);
  ck_assert_same (f, R.loss_rn, 0.0L);
  ck_assert_same (f, R.grad_rn, 0.0L);
  ref_compute (&R, f, INFINITY, 0.25L);
  ck_assert_same (f, R.loss_rn, INFINITY);
  ck_assert_same (f, R.grad_rn, 0.75L);
  ref_compute (&R, f, -INFINITY, 0);
  ck_assert_same (f, R.loss_rn, 0.0L);
  ck_assert_same (f, R.grad_rn, 0.0L);      /* sigmoid(-inf) - 0 = +0 */
  ref_compute (&R, f, NAN, 1);
  ck_assert (isnan (R.loss_rn) && isnan (R.grad_rn));
  /* half: the largest finite logit */
  ref_compute (&R, F (FMT_HALF), 65504, 0.5L);
  ck_assert_same (F (FMT_HALF), R.loss_rn, 32752.0L);
  /* the tiniest logit: L = ln 2 - z/2 + z^2/8: rounds to ln 2 */
  ref_compute (&R, f, 0x1p-1074, 1);
  ck_assert_same (f, R.loss_rn, rn_log2 (f));
}
END_TEST

/* Metrics: a correctly rounded value has error <= 1/2 ULP and 0 bits; the
   neighbour is 1 bit off; inf where finite is a status.  */
START_TEST (test_metrics)
{
  const fmt_info *f = F (FMT_FLOAT);
  ref_compute (&R, f, 10, 1);
  metric m = metric_eval (f, R.loss_rn, R.loss, R.loss_rn, 0);
  ck_assert (m.ulp <= TOL_CR && m.bits == 0 && m.status == ST_OK);
  m = metric_eval (f, nextafterf ((float) R.loss_rn, 1), R.loss, R.loss_rn, 0);
  ck_assert (m.ulp > 0.5 && m.ulp <= 1.5 && m.bits == 1.0);
  m = metric_eval (f, INFINITY, R.loss, R.loss_rn, 0);
  ck_assert (m.status == ST_INF && isinf (m.ulp));
  m = metric_eval (f, NAN, R.loss, R.loss_rn, 0);
  ck_assert (m.status == ST_NAN && m.bits == 32);
  m = metric_eval (f, 0, R.grad, R.grad_rn, 1);
  ck_assert (m.status == ST_ZERO);
  m = metric_eval (f, 0.5, R.grad, R.grad_rn, 1);
  ck_assert (m.status == ST_SIGN);
}
END_TEST

/* The exhaustive sweep's exp(-|z|) and log1p without the C library
   (fastref.h): against MPFR, rounded to double, within the bounds the truths'
   margins assume (2^-51 of the value; exp below the least normal double,
   one subnormal step), at the edges of their ranges and on a million
   arguments spread evenly and over every binade.  */
static void
check_exp_poly (double a)
{
  double e = fastref_exp_neg_poly (a), x = (double) rn_exp_neg (F (FMT_DOUBLE), a);
  double tol = x >= 0x1p-1022 ? x * 0x1p-51 : 0x1p-1074;
  ck_assert_msg (fabs (e - x) <= tol, "exp(-%a): %a, exact %a", a, e, x);
}

static void
check_log1p_poly (double e)
{
  mpfr_t m;
  mpfr_init2 (m, 200);
  mpfr_set_d (m, e, MPFR_RNDN);
  mpfr_log1p (m, m, MPFR_RNDN);
  double x = mpfr_get_d (m, MPFR_RNDN), l = fastref_log1p_poly (e);
  mpfr_clear (m);
  ck_assert_msg (fabs (l - x) <= x * 0x1p-51, "log1p(%a): %a, exact %a", e, l, x);
}

START_TEST (test_fastref_poly)
{
  static const double as[] = {
    0, 0x1p-1074, 0x1p-60, 0x1p-55, 1e-10, 0.34657359027997264,
    0.34657359027997266, 0.5, 1, 20, 88.7, 708.3964185322641,
    708.39641853226424, 709, 744.44007192138122, 745.13321910194111,
    745.13321910194122, 745.9, 0x1.74fffffffffffp9,
  };
  for (size_t i = 0; i < sizeof as / sizeof *as; i++)
    {
      check_exp_poly (as[i]);
      check_log1p_poly ((double) rn_exp_neg (F (FMT_DOUBLE), as[i]));
    }
  ck_assert (fastref_exp_neg_poly (746) == 0);
  ck_assert (fastref_exp_neg_poly (1e300) == 0);
  ck_assert (fastref_exp_neg_poly (INFINITY) == 0);
  ck_assert (fastref_exp_neg_poly (0) == 1);
  static const double es[] = {
    0, 0x1p-1074, 0x1p-1022, 1e-300, 0x1p-53, 0.25, 0.49999999999999994,
    0.5, 0.75, 0.99999999999999989, 1,
  };
  for (size_t i = 0; i < sizeof es / sizeof *es; i++)
    check_log1p_poly (es[i]);
  ck_assert (fastref_log1p_poly (0) == 0);
  /* a fixed sequence (64-bit LCG): u in [0, 1) from its top 53 bits */
  uint64_t st = 0x2545f4914f6cdd1dull;
  long n = test_size (250000);           /* four arguments each */
  for (long i = 0; i < n; i++)
    {
      st = st * 6364136223846793005ull + 1442695040888963407ull;
      double u = (double) (st >> 11) * 0x1p-53;
      check_exp_poly (746 * u);                 /* evenly */
      check_exp_poly (ldexp (1 + u, (int) (i % 70) - 60));   /* binades */
      check_log1p_poly (u);
      check_log1p_poly (ldexp (1 + u, -(int) (i % 1074) - 1) / 2);
    }
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("reference");
  TCase *tc = tcase_create ("reference");
  tcase_set_timeout (tc, 300);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_at_zero);
  tcase_add_test (tc, test_large_z);
  tcase_add_test (tc, test_beyond_mpfr_range);
  tcase_add_test (tc, test_beneath_reach);
  tcase_add_test (tc, test_identities);
  tcase_add_test (tc, test_soft_labels);
  tcase_add_test (tc, test_extremes);
  tcase_add_test (tc, test_metrics);
  tcase_add_test (tc, test_fastref_poly);
  suite_add_tcase (s, tc);
  return run_suite (s);
}
