/* floor.c -- the floor no implementation of naive, clamped and stable can
 * beat on a slice of float bit patterns: the C library calls those forms
 * need, with their real arguments, and nothing else.  Per logit: naive
 * expf(-z), logf(p), logf(1-p); clamped the same three on the clamped p;
 * stable expf(-|z|), log1pf(e).  (The second label makes the same calls,
 * so one set per logit.)  Prints nanoseconds per logit (wall time).
 *
 * Usage: floor FIRST_PATTERN COUNT [THREADS]
 * THREADS (default 1) share the slice where it is built with OpenMP.  */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
main (int argc, char **argv)
{
  if (argc != 3 && argc != 4)
    return 2;
  uint64_t first = strtoull (argv[1], NULL, 0), n = strtoull (argv[2], NULL, 0);
  int threads = argc == 4 ? atoi (argv[3]) : 1;
  (void) threads;
  volatile float sink = 0;
  float acc = 0;
  struct timespec t0, t1;
  clock_gettime (CLOCK_MONOTONIC, &t0);
#pragma omp parallel for num_threads (threads) reduction (+: acc) schedule (static)
  for (uint64_t b = first; b < first + n; b++)
    {
      uint32_t u = (uint32_t) b;
      float z;
      memcpy (&z, &u, 4);
      float e = expf (-z), p = 1 / (1 + e);
      acc += logf (p) + logf (1 - p);
      float ec = expf (-z), pc = 1 / (1 + ec);
      pc = pc < 1e-7f ? 1e-7f : pc > 0.99999988f ? 0.99999988f : pc;
      acc += logf (pc) + logf (1 - pc);
      float es = expf (-fabsf (z));
      acc += log1pf (es);
    }
  clock_gettime (CLOCK_MONOTONIC, &t1);
  sink = acc;
  (void) sink;
  double s = (double) (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  printf ("%.3f\n", s / (double) n * 1e9);
  return 0;
}
