/* scan.h -- searching the ordered values of a format.  */
#ifndef BCELAB_SCAN_H
#define BCELAB_SCAN_H

#include "format.h"

typedef int (*scan_pred) (const fmt_info *f, long double z, void *ctx);

/* The smallest ordinal in [LO, HI] at which PRED holds, for a PRED that
   is false and then true along the ordinals (monotone); HI + 1 if it never
   holds.  Bisection on the bit pattern: about log2(HI - LO) calls.  */
__int128 scan_bisect (const fmt_info *f, __int128 lo, __int128 hi,
                      scan_pred pred, void *ctx);

#endif
