/* check_forms.c -- the forms against the reference and against the seeds'
 * printed numbers (golden tests).  */
#include <config.h>
#include <string.h>
#include "testutil.h"

/* the exhaustive sweep's float forms, on vectors of 8 floats, with the
   library's results remembered, to compare with forms.c's: FN(name) is
   vec_name */
#include "forms_ops.h"
#define form_k form_kf
#define FN(name) vec_##name
#include "forms_float_vec.h"
#undef FN
#undef form_k

static ref_value R;

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

static const form_info *
form (form_id id)
{
  return &form_table[id];
}

/* Evaluate FORM in format F at decimal Z, Y; loss into *L, grad into *G.  */
static void
eval (form_id id, const fmt_info *f, long double z, long double y,
      long double *l, long double *g)
{
  struct form_k k;
  form_k_init (&k, f, 1e-7);
  form_eval (form (id), f, z, y, &k, l, g);
}

static char *
fixed6 (char *buf, long double v)
{
  snprintf (buf, 32, "%.6f", (double) v);
  return buf;
}

/* Seed 000, Part 2: the extreme-logit table as printed (y = 1, float,
   "%15.6f"): BCEWithLogits is the stable form, BCE+Sigmoid is clamped.  */
START_TEST (test_seed000_table)
{
  static const struct { const char *z, *stable, *clamped; } row[] = {
    { "-100", "100.000000", "16.118095" },
    { "-50", "50.000000", "16.118095" },
    { "-10", "10.000046", "10.000046" },
    { "0", "0.693147", "0.693147" },
    { "10", "0.000045", "0.000045" },
    { "50", "0.000000", "0.000000" },
    { "100", "0.000000", "0.000000" },
  };
  const fmt_info *f = F (FMT_FLOAT);
  char buf[32];
  for (size_t i = 0; i < sizeof row / sizeof *row; i++)
    {
      long double z, l, g;
      fmt_parse (f, row[i].z, &z);
      eval (FORM_STABLE, f, z, 1, &l, &g);
      ck_assert_str_eq (fixed6 (buf, l), row[i].stable);
      eval (FORM_CLAMPED, f, z, 1, &l, &g);
      ck_assert_str_eq (fixed6 (buf, l), row[i].clamped);
    }
  /* the finer statements: 4.54e-05 at 10; 1.19e-07 at 50 and 100 */
  long double l, g;
  eval (FORM_STABLE, f, 10, 1, &l, &g);
  snprintf (buf, sizeof buf, "%.2e", (double) l);
  ck_assert_str_eq (buf, "4.54e-05");
  for (int z = 50; z <= 100; z += 50)
    {
      eval (FORM_CLAMPED, f, z, 1, &l, &g);
      snprintf (buf, sizeof buf, "%.2e", (double) l);
      ck_assert_str_eq (buf, "1.19e-07");
      eval (FORM_STABLE, f, z, 1, &l, &g);
      ck_assert (l > 0 && l < 1e-20);     /* "~0", and not zero */
    }
}
END_TEST

/* Seed 000, Part 1: mean BCE over logits -2..2, targets 0,0,1,1,1, in float
   (torch's sum then divide): 0.3147053; printed as 0.314705.  */
START_TEST (test_seed000_mean)
{
  static const float z[] = { -2, -1, 0, 1, 2 }, y[] = { 0, 0, 1, 1, 1 };
  const fmt_info *f = F (FMT_FLOAT);
  for (int id = FORM_NAIVE; id <= FORM_SOFTPLUS; id++)
    {
      float sum = 0;
      for (int i = 0; i < 5; i++)
        {
          long double l, g;
          eval (id, f, z[i], y[i], &l, &g);
          sum += (float) l;
        }
      char buf[32];
      snprintf (buf, sizeof buf, "%.7f", (double) (sum / 5));
      ck_assert_msg (strcmp (buf, "0.3147053") == 0 || strcmp (buf, "0.3147054") == 0,
                     "%s: mean %s", form_table[id].name, buf);
      snprintf (buf, sizeof buf, "%.6f", (double) (sum / 5));
      ck_assert_str_eq (buf, "0.314705");
    }
}
END_TEST

/* Seed 003: BCE on probabilities (numpy, double): losses 0.01005034 and
   0.37659589 at p = 0.99 and 0.68619332 with y = 1; gradients dL/dp
   -1.01010101 and -1.45731527.  The seed prints p = 0.68619332 rounded
   from a random draw: the true p is within 5e-9 of it, which moves
   -log(p) by up to 5e-9/p = 7.3e-9; so at that p the loss is checked to
   within that plus half a unit of the 8th decimal, 1.3e-8 (it computes
   0.3765958850, printed 0.37659589 from the unrounded p).  */
START_TEST (test_seed003)
{
  static const struct { double p; const char *loss, *grad; } c[] = {
    { 0.99, "0.01005034", "-1.01010101" },
    { 0.68619332, "0.37659589", "-1.45731527" },
  };
  char buf[32];
  for (int i = 0; i < 2; i++)
    {
      double gp, l = form_bce_prob_double (c[i].p, 1.0, &gp);
      snprintf (buf, sizeof buf, "%.8f", l);
      if (i == 0)
        ck_assert_str_eq (buf, c[i].loss);
      else
        ck_assert_msg (fabs (l - atof (c[i].loss)) <= 1.3e-8, "loss %.10f", l);
      snprintf (buf, sizeof buf, "%.8f", gp);
      ck_assert_str_eq (buf, c[i].grad);
    }
}
END_TEST

/* The stable form is within TOL_STABLE ULPs of the reference for y in
   {0,1}, in float and double, at every logit tried: a dense grid, powers of
   two, and random bit patterns over the whole finite range.  */
START_TEST (test_stable_accuracy)
{
  unsigned long long s = 99991ull;
  for (int id = FMT_FLOAT; id <= FMT_DOUBLE; id++)
    {
      const fmt_info *f = F (id);
      double worst = 0;
      long double worst_z = 0;
      for (int i = 0; i < 6000; i++)
        {
          long double z;
          if (i < 2000)
            z = fmt_round (f, -100 + i * 0.1L);
          else if (i < 2400)
            z = ldexpl (i & 1 ? -1 : 1, (i - 2200) / 2);
          else if (id == FMT_FLOAT)
            {
              uint32_t u = (uint32_t) test_rand (&s);
              float x;
              memcpy (&x, &u, 4);
              z = x;
            }
          else
            {
              unsigned long long u = test_rand (&s);
              double x;
              memcpy (&x, &u, 8);
              z = x;
            }
          if (!isfinite (z))
            continue;
          for (int y = 0; y <= 1; y++)
            {
              long double l, g;
              eval (FORM_STABLE, f, z, y, &l, &g);
              ref_compute (&R, f, z, y);
              metric m = metric_eval (f, l, R.loss, R.loss_rn, 0);
              ck_assert_msg (m.status == ST_OK && m.ulp <= TOL_STABLE,
                             "FAIL %s stable y=%d z=%La: %La, exact %La, %g ulp",
                             f->name, y, z, l, R.loss_rn, m.ulp);
              if (m.ulp > worst)
                worst = m.ulp, worst_z = z;
            }
        }
      fprintf (stderr, "stable, %s: worst %.3f ulp at z=%La\n", f->name,
               worst, worst_z);
    }
}
END_TEST

/* Naive, float, y = 0: sigmoid rounds to 1 once exp(-z) <= 2^-24, i.e.
   z >= 24 ln 2 = 16.64, and log(1 - p) = log(0) makes the loss inf.  */
START_TEST (test_naive_breaks)
{
  const fmt_info *f = F (FMT_FLOAT);
  long double l, g;
  eval (FORM_NAIVE, f, 16.5L, 0, &l, &g);
  ck_assert (isfinite (l));
  static const float inf_at[] = { 16.7f, 17, 20, 50, 88, 100, 1e30f };
  for (size_t i = 0; i < sizeof inf_at / sizeof *inf_at; i++)
    {
      eval (FORM_NAIVE, f, inf_at[i], 0, &l, &g);
      ck_assert_msg (isinf (l) && l > 0, "naive float y=0 z=%g: %Lg", inf_at[i], l);
      ref_compute (&R, f, inf_at[i], 0);
      ck_assert (metric_eval (f, l, R.loss, R.loss_rn, 0).status == ST_INF);
    }
  /* the first inf is where exp(-z) first rounds 1 + e to 1 */
  float z = 16.0f;
  while (isfinite (l = (eval (FORM_NAIVE, f, z, 0, &l, &g), l)))
    z = nextafterf (z, 100);
  ck_assert_msg (fabsf (z - 16.6355f) < 0.001f, "first inf at %a", z);
  /* double: 53 ln 2 = 36.74 */
  eval (FORM_NAIVE, F (FMT_DOUBLE), 36.7L, 0, &l, &g);
  ck_assert (isfinite (l));
  eval (FORM_NAIVE, F (FMT_DOUBLE), 36.8L, 0, &l, &g);
  ck_assert (isinf (l));
}
END_TEST

/* torch: log clamped at -100, so the float loss saturates at exactly 100
   (z = -120, y = 1: sigmoid is 0, log 0 = -inf -> -100), and the gradient
   vanishes there (p (1-p) = 0).  */
START_TEST (test_torch_saturates)
{
  const fmt_info *f = F (FMT_FLOAT);
  long double l, g;
  static const float zs[] = { -104, -120, -1000, -1e30f };
  for (size_t i = 0; i < 4; i++)
    {
      eval (FORM_TORCH, f, zs[i], 1, &l, &g);
      ck_assert_same (f, l, 100.0L);
      ck_assert (g == 0);
      eval (FORM_TORCH, f, -zs[i], 0, &l, &g);
      ck_assert_same (f, l, 100.0L);
    }
  eval (FORM_TORCH, f, -50, 1, &l, &g);
  ck_assert (l > 49.99 && l < 50.01);
}
END_TEST

/* Every form is exact at the easy points, in every format: L(0, y) = ln 2
   within 1 ULP, gradient -1/2 for y = 1.  */
START_TEST (test_all_forms_at_zero)
{
  for (int id = 0; id < FMT_COUNT; id++)
    for (int fo = 0; fo < FORM_COUNT; fo++)
      {
        const fmt_info *f = F (id);
        long double l, g;
        eval (fo, f, 0, 1, &l, &g);
        ref_compute (&R, f, 0, 1);
        metric m = metric_eval (f, l, R.loss, R.loss_rn, 0);
        ck_assert_msg (m.ulp <= 1.0, "%s %s: L(0,1) off by %g ulp",
                       form_table[fo].name, f->name, m.ulp);
        m = metric_eval (f, g, R.grad, R.grad_rn, 1);
        ck_assert_msg (m.ulp <= 1.0, "%s %s: dL/dz(0,1) = %Lg", form_table[fo].name,
                       f->name, g);
      }
}
END_TEST

/* Soft labels: stable cancels in z - z*y for y near 1 and large z; softplus
   does not.  float, y = 0.9999, z = 1000: exact L = 0.1000... */
START_TEST (test_soft_label_cancellation)
{
  const fmt_info *f = F (FMT_FLOAT);
  long double y, l, g;
  fmt_parse (f, "0.9999", &y);
  ref_compute (&R, f, 1000, y);
  eval (FORM_SOFTPLUS, f, 1000, y, &l, &g);
  ck_assert (metric_eval (f, l, R.loss, R.loss_rn, 0).ulp <= 2);
  eval (FORM_STABLE, f, 1000, y, &l, &g);
  ck_assert (metric_eval (f, l, R.loss, R.loss_rn, 0).ulp > 100);
}
END_TEST

/* half and bfloat16: 1 - 1e-7 rounds to 1, so clamped no longer protects
   log(1 - p): inf at z = 20, y = 0.  */
START_TEST (test_clamp_fails_in_half)
{
  long double l, g;
  eval (FORM_CLAMPED, F (FMT_HALF), 20, 0, &l, &g);
  ck_assert (isinf (l));
  eval (FORM_CLAMPED, F (FMT_BF16), 20, 0, &l, &g);
  ck_assert (isinf (l));
  eval (FORM_CLAMPED, F (FMT_FLOAT), 20, 0, &l, &g);
  ck_assert (isfinite (l));
}
END_TEST

/* The exhaustive sweep's float forms run on vectors of 8 floats and
   reuse the library's results for repeated arguments (forms_float_vec.h):
   bit for bit the same results as forms.c's float forms, lane by lane,
   over runs of consecutive patterns in every region (subnormal, tiny,
   around 1, the breakdowns, huge, negative, inf and nan), for labels 0,
   1 and 0.3, in two interleavings.  Runs of 4096 patterns, 8 to a vector:
   more vectors than the expf table has entries (64), so each entry is
   reused by vectors that share its index and differ elsewhere.  A vector
   of one logit repeated, and one of a logit and its negation, check that
   the lanes are not confused.  (The exhaustive sweep counts a nan as nan,
   whatever its sign.)  */
typedef void (*vec_fn) (forms_v8sf, forms_v8sf, const struct form_kf *,
                        forms_v8sf *, forms_v8sf *);

/* the same bits, or both nan: which operand's nan an addition passes on
   (its sign) is the compiler's choice of operand order, in either build */
static int
same_float (float a, float b)
{
  return memcmp (&a, &b, 4) == 0 || (isnan (a) && isnan (b));
}

/* FORM's vector form at the 8 logits Z with label Y, against the scalar
   form lane by lane; the number of lanes compared.  */
static long
vec_check (form_id id, vec_fn fn, const float *z, float y,
           const struct form_k *k, const struct form_kf *kf)
{
  forms_v8sf zv, yv = (forms_v8sf) { 0 } + y, lv, gv;
  memcpy (&zv, z, sizeof zv);
  fn (zv, yv, kf, &lv, &gv);
  for (int i = 0; i < 8; i++)
    {
      float l, g;
      form_float[id] (z[i], y, k, &l, &g);
      ck_assert_msg (same_float (l, lv[i]) && same_float (g, gv[i]),
                     "%s at %a (lane %d), y = %g: %a %a against %a %a",
                     form (id)->name, z[i], i, y, lv[i], gv[i], l, g);
    }
  return 8;
}

START_TEST (test_vec_forms_same)
{
  static const vec_fn vec[FORM_COUNT] = {
    vec_naive, vec_clamped, vec_stable, vec_torch, vec_keras, vec_softplus
  };
  static const uint32_t starts[] = {
    0x00000000, 0x00800000, 0x32ffff00, 0x3f7fff00, 0x3f800000,
    0x41850000, 0x42b17200, 0x42cff000, 0x4b7fff00, 0x7f7fff00,
    0x80000000, 0xbf800000, 0xc2b17200, 0xc2cff000, 0xff7fff00,
  };
  struct form_k k;
  form_k_init (&k, F (FMT_FLOAT), 1e-7);
  struct form_kf kf = form_kf_of (&k);
  const float ys[] = { 0, 1, 0.3f };
  long n = 0;
  /* quick mode (the valgrind pass): every fifth region */
  size_t nstarts = sizeof starts / sizeof *starts, step = test_quick () ? 5 : 1;
  for (size_t si = 0; si < nstarts; si += step)
    for (uint32_t u0 = starts[si]; u0 - starts[si] < 4096 && u0 >= starts[si]; u0 += 8)
      {
        float z[8];
        for (int i = 0; i < 8; i++)
          {
            uint32_t u = u0 + (uint32_t) i;
            memcpy (&z[i], &u, 4);
          }
        for (int order = 0; order < 2; order++)
          for (int fi = 0; fi < FORM_COUNT; fi++)
            for (int yi = 0; yi < 3; yi++)
              {
                /* order 1: labels outside, so the entries see other runs */
                int id = order ? (fi + yi) % FORM_COUNT : fi;
                n += vec_check (id, vec[id], z, ys[yi], &k, &kf);
              }
      }
  ck_assert_int_eq (n, (long) ((nstarts + step - 1) / step) * 4096 * 2 * FORM_COUNT * 3);
  /* one logit in every lane, then a logit and its negation alternating:
     the same first lane as the vector before, the rest different */
  const float zs[] = { 3.5f, -3.5f, 20.0f, -90.0f, 0x1p-30f };
  for (size_t i = 0; i < sizeof zs / sizeof *zs; i++)
    for (int fi = 0; fi < FORM_COUNT; fi++)
      for (int yi = 0; yi < 3; yi++)
        {
          float same[8], alt[8];
          for (int l = 0; l < 8; l++)
            same[l] = zs[i], alt[l] = l & 1 ? -zs[i] : zs[i];
          vec_check (fi, vec[fi], same, ys[yi], &k, &kf);
          vec_check (fi, vec[fi], alt, ys[yi], &k, &kf);
          vec_check (fi, vec[fi], same, ys[yi], &k, &kf);
        }
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("forms");
  TCase *tc = tcase_create ("forms");
  tcase_set_timeout (tc, 300);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_seed000_table);
  tcase_add_test (tc, test_seed000_mean);
  tcase_add_test (tc, test_seed003);
  tcase_add_test (tc, test_stable_accuracy);
  tcase_add_test (tc, test_naive_breaks);
  tcase_add_test (tc, test_torch_saturates);
  tcase_add_test (tc, test_all_forms_at_zero);
  tcase_add_test (tc, test_soft_label_cancellation);
  tcase_add_test (tc, test_clamp_fails_in_half);
  tcase_add_test (tc, test_vec_forms_same);
  suite_add_tcase (s, tc);
  return run_suite (s);
}
