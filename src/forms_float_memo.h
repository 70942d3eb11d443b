/* forms_float_memo.h -- forms_body.h for float, as forms_float.h, but
 * with the C library's results remembered: a call whose argument has the
 * same bits as a remembered one returns the remembered result.
 *
 * - logf and log1pf: each call in the template keeps its last argument
 *   and result.  Over long runs of logits p = 1/(1+exp(-z)) is the same
 *   float (1/2 for every |z| < 2^-25, 1 above 17, 0 below -88.7), and so
 *   are the logarithms' arguments.
 * - expf: one table of 1024 entries for every call, so that clamped finds
 *   naive's exp(-z), and stable finds it for z > 0.  Far out (|z| > 88.7)
 *   these are the library's slow overflow and underflow paths.
 *
 * The C library's functions are pure: the same argument gives the same
 * result, so this changes no bit of any form's result.  check_forms
 * compares it with forms.c's float forms on runs of consecutive patterns
 * in every region, and fails when an entry answers for another argument.
 * The state is per thread (_Thread_local).  FN must be defined and
 * forms_ops.h included.  */
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

/* expf: one table for every call, so that clamped finds naive's exp(-z)
   and stable finds it for z > 0 (its exp(-|z|)).  Direct-mapped on the
   argument's low 10 bits: a block of consecutive logits fills distinct
   entries.  An entry holds the rest of the argument with a valid bit, and
   the result.  */
#define FORMS_EXP_BITS 10
static _Thread_local uint64_t forms_memo_exp[1u << FORMS_EXP_BITS];

static inline __attribute__ ((always_inline)) float
forms_memo_expf (float a)
{
  uint32_t b, v;
  memcpy (&b, &a, 4);
  uint32_t tag = (b >> FORMS_EXP_BITS) | 0x80000000u;
  uint64_t *e = &forms_memo_exp[b & ((1u << FORMS_EXP_BITS) - 1)];
  if ((uint32_t) (*e >> 32) == tag)
    v = (uint32_t) *e;
  else
    {
      float r = expf (a);
      memcpy (&v, &r, 4);
      *e = (uint64_t) tag << 32 | v;
    }
  float r;
  memcpy (&r, &v, 4);
  return r;
}

#define T float
#define FABS fabsf
#define EXP(a) forms_memo_expf (a)
#define LOG(a) FORMS_MEMO (logf, a, -HUGE_VALF)
#define LOG1P(a) FORMS_MEMO (log1pf, a, 0.0f)
#include "forms_body.h"
#undef T
#undef FABS
#undef EXP
#undef LOG
#undef LOG1P
