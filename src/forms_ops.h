/* forms_ops.h -- the operations of forms_body.h for the native formats:
 * each operation rounds once, as written (the build has
 * -ffp-contract=off).  Include it, then define T and FN and the
 * functions (FABS, EXP, LOG, LOG1P) and include forms_body.h; forms.c and
 * the fast loops of exhaustive.c both do.  */
#ifndef BCELAB_FORMS_OPS_H
#define BCELAB_FORMS_OPS_H

#define LET(v, expr) const T v = (expr)
#define NEG(a) (-(a))
#define ABS(a) FABS (a)
#define MAX(a, b) ((a) < (b) ? (b) : (a))
#define CLAMP(x, lo, hi) MINV (MAX ((x), (lo)), (hi))
#define MINV(a, b) ((b) < (a) ? (b) : (a))
#define IS_POS(a) ((a) >= 0)
#define INSIDE(x, lo, hi) ((x) >= (lo) && (x) <= (hi))
#define SELECT(c, a, b) ((c) ? (a) : (b))
#define ONE ((T) 1)
#define ZERO ((T) 0)
#define K(c) ((T) k->c)
#define ADD(a, b) ((a) + (b))
#define SUB(a, b) ((a) - (b))
#define MUL(a, b) ((a) * (b))
#define DIV(a, b) ((a) / (b))

#endif
