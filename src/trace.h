/* trace.h -- one evaluation, operation by operation (`bcelab explain`).  */
#ifndef BCELAB_TRACE_H
#define BCELAB_TRACE_H

#include <mpfr.h>
#include "format.h"
#include "forms.h"
#include "cce.h"

typedef enum {
  OP_NEG, OP_ABS, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_EXP, OP_LOG, OP_LOG1P,
  OP_MAX, OP_CLAMP, OP_SELECT
} op_kind;

#define TRACE_MAX 160

typedef struct {
  op_kind op;
  char name[24];          /* the variable it defines ("" if none) */
  char expr[96];          /* e.g. "log(q)" */
  int nin;
  long double in[3];
  char in_name[3][24];
  long double value;      /* the rounded result, in the format */
  long double exact;      /* the op's exact result on these inputs */
  double rel;             /* (value - exact) / exact; NAN where undefined */
} trace_step;

typedef struct {
  const fmt_info *f;
  int n;
  trace_step step[TRACE_MAX];
  long double loss, grad;
} trace;

/* Evaluate FORM at (Z, Y) in F, recording every operation into T.  */
void trace_form (trace *t, const fmt_info *f, const form_info *form,
                 long double z, long double y, const struct form_k *k);

/* Evaluate categorical form ID on the N logits Z with true class TARGET
   in F, recording every operation; T->grad is dL/dz of the true class.  */
void trace_cce (trace *t, const fmt_info *f, int id, const long double *z,
                long n, long target, const struct cce_k *k);

/* The diagnosis: one line naming the step that lost the digits.  */
void trace_diagnose (const trace *t, long double exact_loss,
                     long double exact_grad, char *buf, size_t n);

#endif
