/* testutil.h -- helpers shared by the Check unit tests.  */
#ifndef BCELAB_TESTUTIL_H
#define BCELAB_TESTUTIL_H

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "format.h"
#include "forms.h"
#include "metrics.h"
#include "reference.h"

/* Named tolerances, in ULPs of the format.  */
#define TOL_CR 0.5      /* correctly rounded */
#define TOL_STABLE 2.0  /* the stable form for y in {0, 1} (issue 2) */

#define F(id) (&fmt_table[id])

/* Assert two values of a format are the same value, sign of zero included;
   the message prints both in hex so they can be pasted back.  */
#define ck_assert_same(f, got, want)                                      \
  do {                                                                    \
    long double g_ = (got), w_ = (want);                                  \
    ck_assert_msg ((g_ == w_ && !signbit (g_) == !signbit (w_))             \
                   || (isnan (g_) && isnan (w_)),                         \
                   "%s: got %La (%.21Lg), want %La (%.21Lg)", (f)->name,  \
                   g_, g_, w_, w_);                                       \
  } while (0)

/* A deterministic xorshift generator for sampled tests.  */
static inline unsigned long long
test_rand (unsigned long long *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* BCELAB_TEST_QUICK=1 is the valgrind pass of .ci/run (tests/valgrind.sh):
   the same tests over samples 100 times smaller, and without the float
   threshold scans, so that the pass takes minutes.  Every sample at full
   size runs in the normal and the sanitized passes.  */
static inline int
test_quick (void)
{
  const char *q = getenv ("BCELAB_TEST_QUICK");
  return q && *q && *q != '0';
}

/* N, or N/100 (at least 1) in quick mode.  */
static inline long
test_size (long n)
{
  return test_quick () ? (n + 99) / 100 : n;
}

static inline int
run_suite (Suite *s)
{
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
