/* check_thresholds.c -- every breakdown point found is one: the criterion
 * fails there and not at the value just before it (toward 0); the closed
 * forms agree; stable has none where none is predicted; the traces of
 * explain compute bit for bit what the forms compute.  */
#include <config.h>
#include <string.h>
#include "testutil.h"
#include "thresholds.h"
#include "trace.h"

static const long double ys[2] = { 0, 1 };
static const int all_forms[FORM_COUNT] = { 0, 1, 2, 3, 4, 5 };

/* Check the points of format ID for FORMS; count the rows checked.  */
static int
check_format_rows (fmt_id id, const int *forms, int nf, int nlabels)
{
  const fmt_info *f = F (id);
  th_point *pts = calloc ((size_t) nlabels * nf * CR_COUNT, sizeof *pts);
  int rows = 0;
  for (int side = -1; side <= 1; side += 2)
    {
      thresholds_find (f, forms, nf, ys + (nlabels == 1), nlabels, side, 1e-7, 2, pts);
      for (int li = 0; li < nlabels; li++)
        for (int i = 0; i < nf; i++)
          for (int c = 0; c < CR_COUNT; c++)
            {
              const th_point *p = &pts[(li * nf + i) * CR_COUNT + c];
              long double y = ys[li + (nlabels == 1)];
              const char *name = form_table[forms[i]].name;
              ck_assert_msg (threshold_agrees (f, p) != 0,
                             "%s %s y=%Lg side %d %s: found %La, predicted %Lg (%s)",
                             f->name, name, y, side, criterion_names[c], p->z,
                             p->predicted, p->why);
              if (!p->found || p->method == M_NONMONOTONE || p->method == M_SAMPLED)
                continue;
              rows++;
              ck_assert_msg (threshold_fails (f, forms[i], p->z, y, 1e-7, c),
                             "%s %s y=%Lg %s: does not fail at %La", f->name, name,
                             y, criterion_names[c], p->z);
              __int128 o = fmt_ordinal (f, fabsl (p->z));
              if (o > 0)
                {
                  long double before = fmt_from_ordinal (f, o - 1) * side;
                  ck_assert_msg (!threshold_fails (f, forms[i], before, y, 1e-7, c),
                                 "%s %s y=%Lg %s: fails already at %La, before %La",
                                 f->name, name, y, criterion_names[c], before, p->z);
                }
            }
    }
  free (pts);
  return rows;
}

START_TEST (test_half_bf16)
{
  int rows = check_format_rows (FMT_HALF, all_forms, FORM_COUNT, 2)
             + check_format_rows (FMT_BF16, all_forms, FORM_COUNT, 2);
  ck_assert_int_ge (rows, 100);
}
END_TEST

START_TEST (test_double)
{
  ck_assert_int_ge (check_format_rows (FMT_DOUBLE, all_forms, FORM_COUNT, 2), 40);
}
END_TEST

/* float, naive, y = 0: the first inf is at 24 ln 2 = 16.6355 and every
   criterion is found early, so this scan is quick.  */
START_TEST (test_float_naive)
{
  if (test_quick ())
    return;                     /* a scan of 10^9 floats (see testutil.h) */
  static const int naive[1] = { FORM_NAIVE };
  ck_assert_int_ge (check_format_rows (FMT_FLOAT, naive, 1, 1), 6);
  th_point pts[CR_COUNT];
  thresholds_find (F (FMT_FLOAT), naive, 1, ys, 1, +1, 1e-7, 2, pts);
  ck_assert (pts[CR_INF].found && pts[CR_INF].method == M_EXHAUSTIVE);
  ck_assert_msg (fabsl (pts[CR_INF].z - 16.635532L) < 1e-5L, "%La", pts[CR_INF].z);
}
END_TEST

/* With a large eps the clamp is active near 0 and the float scan must not
   skip |z| < 4: clamped's gradient for y = 1 breaks where
   sigmoid(z) < 0.3, at ln(0.3/0.7) = -0.847.  */
START_TEST (test_float_large_eps)
{
  if (test_quick ())
    return;
  static const int cl[1] = { FORM_CLAMPED };
  th_point pts[CR_COUNT];
  thresholds_find (F (FMT_FLOAT), cl, 1, ys + 1, 1, -1, 0.3, 2, pts);
  ck_assert (pts[CR_GRAD].found);
  ck_assert_msg (fabsl (pts[CR_GRAD].z - logl (0.3L / 0.7L)) < 1e-5L, "%La", pts[CR_GRAD].z);
  ck_assert (threshold_agrees (F (FMT_FLOAT), &pts[CR_GRAD]) == 1);
}
END_TEST

/* stable, y in {0, 1}: the loss never goes inf/nan and never loses half
   its digits, in any format scanned here.  */
START_TEST (test_stable_none)
{
  static const int st[1] = { FORM_STABLE };
  for (int id = FMT_HALF; id <= FMT_DOUBLE; id++)
    {
      if (id == FMT_FLOAT)
        continue;               /* the full float scan is the slow one */
      th_point pts[2 * CR_COUNT];
      for (int side = -1; side <= 1; side += 2)
        {
          thresholds_find (F (id), st, 1, ys, 2, side, 1e-7, 2, pts);
          for (int li = 0; li < 2; li++)
            {
              ck_assert (!pts[li * CR_COUNT + CR_INF].found);
              ck_assert (!pts[li * CR_COUNT + CR_HALF].found);
            }
        }
    }
}
END_TEST

/* A trace computes exactly what the form computes, in every format.  */
START_TEST (test_trace_matches)
{
  static const char *const zs[] = { "-1e4", "-120", "-88.5", "-20", "-3.25", "-0",
                                    "1e-30", "0.5", "7.7", "16.7", "36.8", "100", "1e4" };
  static const char *const labels[] = { "0", "1", "0.9" };
  trace *t = malloc (sizeof *t);
  for (int id = 0; id < FMT_COUNT; id++)
    {
      const fmt_info *f = F (id);
      struct form_k k;
      form_k_init (&k, f, 1e-7);
      for (size_t a = 0; a < sizeof zs / sizeof *zs; a++)
        for (int b = 0; b < 3; b++)
          for (int fo = 0; fo < FORM_COUNT; fo++)
            {
              long double z, y, l, g;
              fmt_parse (f, zs[a], &z);
              fmt_parse (f, labels[b], &y);
              form_eval (&form_table[fo], f, z, y, &k, &l, &g);
              trace_form (t, f, &form_table[fo], z, y, &k);
              ck_assert_same (f, t->loss, l);
              ck_assert_same (f, t->grad, g);
              ck_assert_int_gt (t->n, 5);
            }
    }
  free (t);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("thresholds");
  TCase *tc = tcase_create ("thresholds");
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_half_bf16);
  tcase_add_test (tc, test_double);
  tcase_add_test (tc, test_float_naive);
  tcase_add_test (tc, test_stable_none);
  tcase_add_test (tc, test_float_large_eps);
  tcase_add_test (tc, test_trace_matches);
  suite_add_tcase (s, tc);
  return run_suite (s);
}
