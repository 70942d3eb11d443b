/* forms_float.h -- forms_body.h instantiated for float with the C
 * library's expf, logf and log1pf; FN must be defined, forms_ops.h
 * included.  */
#define T float
#define FABS fabsf
#define EXP(a) expf (a)
#define LOG(a) logf (a)
#define LOG1P(a) log1pf (a)
#include "forms_body.h"
#undef T
#undef FABS
#undef EXP
#undef LOG
#undef LOG1P
