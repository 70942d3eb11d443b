/* check_format.c -- formats: rounding to half and bfloat16 against MPFR,
 * ordinals, parsing, printing that reads back, the forms' constants.  */
#include <config.h>
#include <string.h>
#include "testutil.h"

static float
from_bits (uint32_t u)
{
  float x;
  memcpy (&x, &u, 4);
  return x;
}

/* The value of binary16 bit pattern H, decoded by hand.  */
static float
half_value (unsigned h)
{
  int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
  float v;
  if (e == 31)
    v = m ? NAN : INFINITY;
  else if (e == 0)
    v = ldexpf ((float) m, -24);
  else
    v = ldexpf ((float) (m + 1024), e - 25);
  return s ? -v : v;
}

/* fmt_round_half and fmt_round_bf16 agree with MPFR's emulation on every
   value of the format, every midpoint between neighbours (ties to even),
   and a million random floats.  */
START_TEST (test_round_emulated)
{
  mpfr_t m;
  mpfr_init2 (m, 24);
  for (int which = 0; which < 2; which++)
    {
      const fmt_info *f = F (which ? FMT_BF16 : FMT_HALF);
      float (*rnd) (float) = which ? fmt_round_bf16 : fmt_round_half;
      unsigned long long s = 88172645463325252ull;
      for (long i = 0; i < test_size (1000000) + 2 * 65536; i++)
        {
          float x;
          if (i < 65536)                /* the format's own values */
            x = which ? from_bits ((uint32_t) i << 16) : half_value ((unsigned) i);
          else if (i < 2 * 65536)       /* midpoints and their neighbours */
            {
              uint32_t b = (uint32_t) (i - 65536);
              float a = which ? from_bits (b << 16) : half_value (b);
              float c = which ? from_bits ((b + 1) << 16) : half_value (b + 1);
              if (!isfinite (a) || !isfinite (c) || (b & 0x7fff) == 0x7fff)
                continue;
              x = a / 2 + c / 2;        /* exact in float */
            }
          else
            x = from_bits ((uint32_t) test_rand (&s));
          if (isnan (x))
            continue;
          mpfr_set_flt (m, x, MPFR_RNDN);
          long double want = fmt_round_mpfr (f, m);
          ck_assert_same (f, (long double) rnd (x), want);
        }
    }
  mpfr_clear (m);
}
END_TEST

/* Known roundings: what eps becomes in each format.  */
START_TEST (test_constants)
{
  struct form_k k;
  form_k_init (&k, F (FMT_FLOAT), 1e-7);
  ck_assert_same (F (FMT_FLOAT), k.one_m_eps, 0x1.fffffcp-1L); /* 0.99999988 */
  ck_assert_same (F (FMT_FLOAT), k.eps, (long double) 1e-7f);
  ck_assert_same (F (FMT_FLOAT), k.torch_log_min, -100.0L);
  /* half: 1e-7 is subnormal, nearest is 2^-23; 1 - 1e-7 rounds to 1 */
  form_k_init (&k, F (FMT_HALF), 1e-7);
  ck_assert_same (F (FMT_HALF), k.eps, 0x1p-23L);
  ck_assert_same (F (FMT_HALF), k.one_m_eps, 1.0L);
  ck_assert_same (F (FMT_HALF), k.torch_eps, 0.0L);   /* 1e-12 underflows */
  /* bfloat16: 1 - 1e-7 rounds to 1 as well */
  form_k_init (&k, F (FMT_BF16), 1e-7);
  ck_assert_same (F (FMT_BF16), k.one_m_eps, 1.0L);
  form_k_init (&k, F (FMT_DOUBLE), 1e-7);
  ck_assert_same (F (FMT_DOUBLE), k.one_m_eps, (long double) (1.0 - 1e-7));
}
END_TEST

/* Ordinals count the values: consecutive half patterns differ by one.  */
START_TEST (test_ordinal)
{
  const fmt_info *f = F (FMT_HALF);
  for (unsigned h = 0; h < 0x7c00; h++)
    {
      ck_assert (fmt_ordinal (f, half_value (h)) == (__int128) h);
      ck_assert (fmt_ordinal (f, -half_value (h)) == -(__int128) h);
    }
  ck_assert (fmt_ordinal (f, INFINITY) == 0x7c00);
  const fmt_info *d = F (FMT_DOUBLE);
  ck_assert (fmt_ordinal (d, 1.0) == (__int128) 0x3ff0000000000000ll);
  ck_assert (fmt_ordinal (d, 0x1p-1074) == 1);
  ck_assert (fmt_ordinal (d, DBL_MAX) == (__int128) 0x7fefffffffffffffll);
  const fmt_info *fl = F (FMT_FLOAT);
  ck_assert (fmt_ordinal (fl, nextafterf (1.0f, 2.0f)) - fmt_ordinal (fl, 1.0f) == 1);
}
END_TEST

/* Parsing rounds correctly from decimal; printing reads back exactly.  */
START_TEST (test_parse_print)
{
  long double v;
  ck_assert_int_eq (fmt_parse (F (FMT_FLOAT), "1e-7", &v), 0);
  ck_assert_same (F (FMT_FLOAT), v, (long double) 1e-7f);
  ck_assert_int_eq (fmt_parse (F (FMT_HALF), "65520", &v), 0);
  ck_assert_same (F (FMT_HALF), v, INFINITY);     /* overflow */
  ck_assert_int_eq (fmt_parse (F (FMT_HALF), "65519", &v), 0);
  ck_assert_same (F (FMT_HALF), v, 65504.0L);
  ck_assert_int_eq (fmt_parse (F (FMT_DOUBLE), "-inf", &v), 0);
  ck_assert_same (F (FMT_DOUBLE), v, -INFINITY);
  ck_assert_int_eq (fmt_parse (F (FMT_DOUBLE), "nan", &v), 0);
  ck_assert (isnan (v));
  ck_assert_int_eq (fmt_parse (F (FMT_DOUBLE), "0x1p-1074", &v), 0);
  ck_assert_same (F (FMT_DOUBLE), v, 0x1p-1074L);
  ck_assert_int_eq (fmt_parse (F (FMT_DOUBLE), "12abc", &v), -1);
  ck_assert_int_eq (fmt_parse (F (FMT_DOUBLE), "", &v), -1);

  /* every half and bfloat16 value, and random floats and doubles, print
     (%.Ng and shortest) and read back to themselves */
  unsigned long long s = 2463534242ull;
  char buf[64];
  for (int id = FMT_HALF; id <= FMT_DOUBLE; id++)
    {
      const fmt_info *f = F (id);
      long count = id <= FMT_BF16 ? 65536 : test_size (65536);
      for (long i = 0; i < count; i++)
        {
          long double x;
          if (id == FMT_HALF)
            x = half_value ((unsigned) i);
          else if (id == FMT_BF16)
            x = from_bits ((uint32_t) i << 16);
          else if (id == FMT_FLOAT)
            x = from_bits ((uint32_t) test_rand (&s));
          else
            {
              unsigned long long b = test_rand (&s);
              double d;
              memcpy (&d, &b, 8);
              x = d;
            }
          if (isnan (x))
            continue;
          char *text = NULL;
          size_t n = 0;
          FILE *m = open_memstream (&text, &n);
          fmt_print (m, f, x, 0);
          fclose (m);
          long double back;
          ck_assert_int_eq (fmt_parse (f, text, &back), 0);
          ck_assert_same (f, back, x);
          free (text);
          ck_assert_int_eq (fmt_parse (f, fmt_shortest (buf, f, x), &back), 0);
          ck_assert_same (f, back, x);
        }
    }
  long double c;
  fmt_parse (F (FMT_FLOAT), "16.118095", &c);
  ck_assert_str_eq (fmt_shortest (buf, F (FMT_FLOAT), c), "16.118095");
  ck_assert_str_eq (fmt_shortest (buf, F (FMT_FLOAT), 100), "100");
  ck_assert_str_eq (fmt_shortest (buf, F (FMT_DOUBLE), 0.1), "0.1");
  ck_assert_str_eq (fmt_shortest (buf, F (FMT_FLOAT), -0.0f), "-0");
}
END_TEST

START_TEST (test_names)
{
  ck_assert_ptr_eq (fmt_by_name ("fp32"), F (FMT_FLOAT));
  ck_assert_ptr_eq (fmt_by_name ("bf16"), F (FMT_BF16));
  ck_assert_ptr_null (fmt_by_name ("float128x"));
  ck_assert_ptr_eq (form_by_name ("stable"), &form_table[FORM_STABLE]);
  ck_assert_ptr_null (form_by_name ("nieve"));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("format");
  TCase *tc = tcase_create ("format");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_round_emulated);
  tcase_add_test (tc, test_constants);
  tcase_add_test (tc, test_ordinal);
  tcase_add_test (tc, test_parse_print);
  tcase_add_test (tc, test_names);
  suite_add_tcase (s, tc);
  return run_suite (s);
}
