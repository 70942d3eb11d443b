/* per_format.h -- instantiate a template for every format.
 *
 * Define BODY as the template's header name ("forms_body.h",
 * "cce_body.h") and include this after forms_ops.h: the template is
 * included once per format, with T the carrier type, FN(name) name##_FMT
 * and FABS, EXP, LOG, LOG1P its functions.
 *
 * float, double and long double use the C library directly (expf, exp,
 * expl, ...); half and bfloat16 compute each operation in float and round
 * the result to the format (fmt_round_half, fmt_round_bf16), as frameworks
 * emulate them on CPUs.
 *
 * FORMAT_WRAP_ALL(form) expands WRAP(form, suffix, type) for each format,
 * in the order of fmt_id, for the includer's uniform entry points, and
 * FORMAT_EVALS(form) is the table of those entry points, in that order.  */

/* ---- float ---- */
#define T float
#define FN(name) name##_float
#define FABS fabsf
#define EXP(a) expf (a)
#define LOG(a) logf (a)
#define LOG1P(a) log1pf (a)
#include BODY
#undef T
#undef FN
#undef FABS
#undef EXP
#undef LOG
#undef LOG1P

/* ---- double ---- */
#define T double
#define FN(name) name##_double
#define FABS fabs
#define EXP(a) exp (a)
#define LOG(a) log (a)
#define LOG1P(a) log1p (a)
#include BODY
#undef T
#undef FN
#undef FABS
#undef EXP
#undef LOG
#undef LOG1P

/* ---- long double ---- */
#define T long double
#define FN(name) name##_ldouble
#define FABS fabsl
#define EXP(a) expl (a)
#define LOG(a) logl (a)
#define LOG1P(a) log1pl (a)
#include BODY
#undef T
#undef FN
#undef FABS
#undef EXP
#undef LOG
#undef LOG1P

/* ---- half and bfloat16: each op in float, then rounded (R) ---- */
#undef ADD
#undef SUB
#undef MUL
#undef DIV
#define T float
#define FABS fabsf
#define ADD(a, b) R ((a) + (b))
#define SUB(a, b) R ((a) - (b))
#define MUL(a, b) R ((a) * (b))
#define DIV(a, b) R ((a) / (b))
#define EXP(a) R (expf (a))
#define LOG(a) R (logf (a))
#define LOG1P(a) R (log1pf (a))

#define FN(name) name##_half
#define R fmt_round_half
#include BODY
#undef FN
#undef R

#define FN(name) name##_bf16
#define R fmt_round_bf16
#include BODY
#undef FN
#undef R

#undef T
#undef FABS
#undef EXP
#undef LOG
#undef LOG1P
#undef ADD
#undef SUB
#undef MUL
#undef DIV

#define FORMAT_WRAP_ALL(form)                   \
  WRAP (form, half, float)                      \
  WRAP (form, bf16, float)                      \
  WRAP (form, float, float)                     \
  WRAP (form, double, double)                   \
  WRAP (form, ldouble, long double)

#define FORMAT_EVALS(form)                                              \
  { form##_half_ld, form##_bf16_ld, form##_float_ld, form##_double_ld,  \
    form##_ldouble_ld }
