/* scan.c -- bisection over the ordered values of a format.  */
#include <config.h>

#include "scan.h"

__int128
scan_bisect (const fmt_info *f, __int128 lo, __int128 hi, scan_pred pred,
             void *ctx)
{
  if (!pred (f, fmt_from_ordinal (f, hi), ctx))
    return hi + 1;
  /* invariant: pred (hi) holds; pred fails below lo (or lo is the answer) */
  while (lo < hi)
    {
      __int128 mid = lo + (hi - lo) / 2;
      if (pred (f, fmt_from_ordinal (f, mid), ctx))
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}
