/* forms_float_vec.h -- forms_body.h for float, eight lanes at a time.
 *
 * T is a vector of 8 floats (GCC's vector extension): the arithmetic of
 * the forms runs on vectors, one rounding per operation and lane, as the
 * scalar float forms do (no FMA: the build has -ffp-contract=off;
 * comparisons and selections are exact).  The C library's functions are
 * called lane by lane, with their results remembered: a call whose
 * argument has the same bits as a remembered one returns the remembered
 * result.
 *
 * - logf and log1pf: each call in the template keeps its last two
 *   vectors of arguments and results.  The caller evaluates each vector
 *   of logits with every form in turn, label 0 then label 1: the second
 *   label finds the first's results, and clamped finds naive's (the same
 *   call, in bce_prob) wherever its clamp is idle.  Over long runs of
 *   logits p = 1/(1+exp(-z)) is the same float (1/2 for every
 *   |z| < 2^-25, 1 above 17, 0 below -88.7), and so are the logarithms'
 *   arguments.
 * - expf: one table of 64 vectors for every call, so that clamped finds
 *   naive's exp(-z), and stable finds it for z > 0.  Far out
 *   (|z| > 88.7) these are the library's slow overflow and underflow
 *   paths.
 *
 * The C library's functions are pure: the same argument gives the same
 * result, so remembering changes no bit of any result, and every lane's
 * result is the scalar float form's.  check_forms compares the two on
 * runs of consecutive patterns in every region, and fails when an entry
 * answers for another argument.  The state is per thread
 * (_Thread_local).
 *
 * Include forms_ops.h first, define FN (and form_k as form_kf), then this
 * file.  It replaces forms_ops.h's operations that differ on vectors and
 * restores them at its end.  */
#include <stdint.h>
#include <string.h>

/* Every function here is static and inlined: no vector crosses a call,
   so GCC's note that passing one without AVX changes the ABI is moot.
   (GCC gives it at the end of the includer's file: it stays off there.)  */
#pragma GCC diagnostic ignored "-Wpsabi"

typedef float forms_v8sf __attribute__ ((vector_size (32)));
typedef int32_t forms_v8si __attribute__ ((vector_size (32)));

/* M ? A : B, lane by lane; M is a comparison's result (all ones or 0).  */
static inline __attribute__ ((always_inline)) forms_v8sf
forms_vsel (forms_v8si m, forms_v8sf a, forms_v8sf b)
{
  return (forms_v8sf) ((m & (forms_v8si) a) | (~m & (forms_v8si) b));
}

/* Whether the vectors A and B hold the same bits.  */
static inline __attribute__ ((always_inline)) int
forms_vsame (forms_v8sf a, forms_v8sf b)
{
  forms_v8si d = (forms_v8si) a ^ (forms_v8si) b;
  uint64_t w[4];
  memcpy (w, &d, sizeof w);
  return (w[0] | w[1] | w[2] | w[3]) == 0;
}

/* FN on every lane of A: one call per lane, no branch between them (a
   branch on whether a lane repeats the one before it would be
   mispredicted more often than a call costs).  */
#define FORMS_LANES(fn, a) __extension__ ({                             \
      forms_v8sf lanes_in_ = (a), lanes_out_;                           \
      for (int lanes_i_ = 0; lanes_i_ < 8; lanes_i_++)                  \
        lanes_out_[lanes_i_] = fn (lanes_in_[lanes_i_]);                \
      lanes_out_; })

/* expf: one table of vectors for every call, so that clamped finds
   naive's exp(-z) and stable finds it for z > 0 (its exp(-|z|)).  An
   entry holds a vector of arguments and their results; it is chosen by
   bits 3 to 8 of the first argument, so that the 64 vectors of 8
   consecutive logits in a block take distinct entries.  */
#define FORMS_EXP_ENTRIES 64
static _Thread_local struct {
  forms_v8sf arg, val;
} forms_memo_exp[FORMS_EXP_ENTRIES] = {
  [0 ... FORMS_EXP_ENTRIES - 1] = { { 0 }, { 1, 1, 1, 1, 1, 1, 1, 1 } }
};

static inline __attribute__ ((always_inline)) forms_v8sf
forms_vexp (forms_v8sf a)
{
  uint32_t b;
  memcpy (&b, &a, 4);
  __typeof__ (&forms_memo_exp[0]) e = &forms_memo_exp[(b >> 3) % FORMS_EXP_ENTRIES];
  if (!forms_vsame (e->arg, a))
    {
      e->arg = a;
      e->val = FORMS_LANES (expf, a);
    }
  return e->val;
}

/* FN on the vector A, remembering at this call of the template (one
   state per expansion) the last two vectors of arguments and their
   results: the second label's call finds the first's; clamped finds
   naive's where its clamp is idle, and where it is not, the two keep an
   entry each; and runs of logits where the argument does not change (p
   is 1/2 for every |z| < 2^-25, 1 above 17, 0 below -88.7) find theirs.
   A new vector takes the place of the older entry.  V0 = FN (+0): the
   state before the first call, arguments +0.  */
#define FORMS_VMEMO(fn, a, v0) __extension__ ({                         \
      static _Thread_local forms_v8sf memo_arg_[2];                     \
      static _Thread_local forms_v8sf memo_val_[2] = {                  \
        { v0, v0, v0, v0, v0, v0, v0, v0 },                             \
        { v0, v0, v0, v0, v0, v0, v0, v0 } };                           \
      forms_v8sf memo_a_ = (a), memo_r_;                                \
      if (forms_vsame (memo_a_, memo_arg_[0]))                          \
        memo_r_ = memo_val_[0];                                         \
      else if (forms_vsame (memo_a_, memo_arg_[1]))                     \
        memo_r_ = memo_val_[1];                                         \
      else                                                              \
        {                                                               \
          memo_r_ = FORMS_LANES (fn, memo_a_);                          \
          memo_arg_[1] = memo_arg_[0], memo_val_[1] = memo_val_[0];     \
          memo_arg_[0] = memo_a_, memo_val_[0] = memo_r_;               \
        }                                                               \
      memo_r_; })

#undef ONE
#undef ZERO
#undef K
#undef ABS
#undef MAX
#undef MINV
#undef IS_POS
#undef INSIDE
#undef SELECT
#define T forms_v8sf
#define ONE ((forms_v8sf) { 1, 1, 1, 1, 1, 1, 1, 1 })
#define ZERO ((forms_v8sf) { 0 })
#define K(c) (ZERO + k->c)
#define ABS(a) ((forms_v8sf) ((forms_v8si) (a) & 0x7fffffff))
#define MAX(a, b) forms_vsel ((a) < (b), (b), (a))
#define MINV(a, b) forms_vsel ((b) < (a), (b), (a))
#define IS_POS(a) ((a) >= ZERO)
#define INSIDE(x, lo, hi) (((x) >= (lo)) & ((x) <= (hi)))
#define SELECT(c, a, b) forms_vsel ((c), (a), (b))
#define EXP(a) forms_vexp (a)
#define LOG(a) FORMS_VMEMO (logf, a, -HUGE_VALF)
#define LOG1P(a) FORMS_VMEMO (log1pf, a, 0.0f)
#include "forms_body.h"
#undef T
#undef EXP
#undef LOG
#undef LOG1P
#undef ONE
#undef ZERO
#undef K
#undef ABS
#undef MAX
#undef MINV
#undef IS_POS
#undef INSIDE
#undef SELECT
#undef BCELAB_FORMS_OPS_H
#include "forms_ops.h"
