/* forms_float_memo.h -- forms_body.h for float, as forms_float.h, but each
 * call of expf, logf and log1pf remembers its last argument and result and
 * returns that result again when the next argument has the same bits.
 *
 * The C library's functions are pure: the same argument gives the same
 * result, so this changes no bit of any form's result (check_forms
 * compares it with forms_float.h over runs of consecutive patterns).  It
 * saves most of the calls in an exhaustive sweep, where consecutive logits
 * give the same argument over long runs: p = 1/(1+exp(-z)) is 1/2 for
 * every |z| < 2^-25, 1 above 17 and 0 below -88.7.
 *
 * Each textual call keeps its own entry, per thread (_Thread_local), so
 * threads do not share state.  FN must be defined, forms_ops.h included;
 * include it in one function-scope-free place per translation unit.  */
#include <stdint.h>
#include <string.h>

/* V0 = FN (+0): the entry's starting state, argument +0.  */
#define FORMS_MEMO(fn, a, v0) __extension__ ({                          \
      static _Thread_local uint32_t memo_key_;                          \
      static _Thread_local float memo_val_ = (v0);                      \
      float memo_a_ = (a);                                              \
      uint32_t memo_b_;                                                 \
      memcpy (&memo_b_, &memo_a_, 4);                                   \
      if (memo_b_ != memo_key_)                                         \
        {                                                               \
          memo_key_ = memo_b_;                                          \
          memo_val_ = fn (memo_a_);                                     \
        }                                                               \
      memo_val_; })

#define T float
#define FABS fabsf
#define EXP(a) FORMS_MEMO (expf, a, 1.0f)
#define LOG(a) FORMS_MEMO (logf, a, -HUGE_VALF)
#define LOG1P(a) FORMS_MEMO (log1pf, a, 0.0f)
#include "forms_body.h"
#undef T
#undef FABS
#undef EXP
#undef LOG
#undef LOG1P
