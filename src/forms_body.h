/* forms_body.h -- every BCE formulation, written once.
 *
 * This file is a template: it is included once per format (forms.c) and
 * once for the step-by-step trace, with these macros defined:
 *
 *   T                 the carrier type of the values
 *   FN(name)          the instantiated function's name
 *   K(c)              the constant c of struct form_k, rounded to the format
 *   LET(v, expr)      declare the named intermediate v = expr
 *   ONE ZERO          1 and 0 in the format
 *   NEG(a) ABS(a)     exact operations
 *   ADD SUB MUL DIV   rounded arithmetic
 *   EXP LOG LOG1P     the C library's functions, rounded to the format
 *   MAX(a,b)          a < b ? b : a   (NaN in a propagates, as torch.clamp)
 *   CLAMP(x,lo,hi)    MIN(MAX(x, lo), hi)
 *   IS_POS(a)         a >= 0 (branches on the sign of the logit)
 *   INSIDE(x,lo,hi)   lo <= x <= hi (the mask clamp backward uses)
 *   SELECT(c,a,b)     c ? a : b, for a condition from IS_POS or INSIDE
 *
 * Each form computes the loss L(z, y) and its gradient dL/dz.  The gradient
 * is the reverse-mode (autodiff) pass through the same operations, or, for
 * torch, keras and stable, the backward formula the imitated framework uses.
 * Every operation rounds: nothing is fused, nothing is kept in extra
 * precision (the build uses -ffp-contract=off).
 */

/* BCE on a probability, the second half of naive and clamped:
     L = -(y log p + (1-y) log(1-p)),   dL/dp by reverse mode.  */
static inline T
FN(bce_prob) (T p, T y, T *gp)
{
  LET (lp, LOG (p));
  LET (q, SUB (ONE, p));
  LET (lq, LOG (q));
  LET (ym, SUB (ONE, y));
  LET (a, MUL (y, lp));
  LET (b, MUL (ym, lq));
  LET (s, ADD (a, b));
  LET (L, NEG (s));
  /* backward: dL/ds = -1; dlog(u)/du = 1/u; dq/dp = -1 */
  LET (glp, NEG (y));
  LET (g1, DIV (glp, p));
  LET (glq, NEG (ym));
  LET (g2, DIV (glq, q));
  LET (gp_, SUB (g1, g2));
  *gp = gp_;
  return L;
}

/* The sigmoid as written, p = 1/(1 + exp(-z)), and its reverse-mode pass:
   reciprocal' = -p^2 (from the output, as autodiff does), exp' = exp.  */
static inline T
FN(sigmoid_fwd) (T z, T *e_out, T *d_out)
{
  LET (nz, NEG (z));
  LET (e, EXP (nz));
  LET (d, ADD (ONE, e));
  LET (p, DIV (ONE, d));
  *e_out = e;
  *d_out = d;
  return p;
}

static inline T
FN(sigmoid_bwd) (T gp, T p, T e)
{
  LET (pp, MUL (p, p));
  LET (t, MUL (gp, pp));
  LET (gd, NEG (t));
  LET (gnz, MUL (gd, e));
  LET (gz, NEG (gnz));
  return gz;
}

/* naive: p = 1/(1+exp(-z));  L = -(y log p + (1-y) log(1-p)).  */
static void
FN(naive) (T z, T y, const struct form_k *k, T *loss, T *grad)
{
  (void) k;
  T e, d, gp;
  T p = FN(sigmoid_fwd) (z, &e, &d);
  *loss = FN(bce_prob) (p, y, &gp);
  *grad = FN(sigmoid_bwd) (gp, p, e);
}

/* clamped: as naive with p clamped to [eps, 1-eps] first (torch.clamp);
   the clamp passes the gradient only where it is not active.  */
static void
FN(clamped) (T z, T y, const struct form_k *k, T *loss, T *grad)
{
  T e, d, gpc;
  T p = FN(sigmoid_fwd) (z, &e, &d);
  LET (pc, CLAMP (p, K (eps), K (one_m_eps)));
  *loss = FN(bce_prob) (pc, y, &gpc);
  LET (gp, SELECT (INSIDE (p, K (eps), K (one_m_eps)), gpc, ZERO));
  *grad = FN(sigmoid_bwd) (gp, p, e);
}

/* stable: max(z,0) - z*y + log1p(exp(-|z|)), BCEWithLogitsLoss's formula.
   Gradient as the frameworks define it, sigmoid(z) - y, with the sigmoid
   taken from the same e = exp(-|z|) so that it cannot overflow.  */
static void
FN(stable) (T z, T y, const struct form_k *k, T *loss, T *grad)
{
  (void) k;
  LET (m, MAX (z, ZERO));
  LET (zy, MUL (z, y));
  LET (a, SUB (m, zy));
  LET (az, ABS (z));
  LET (naz, NEG (az));
  LET (e, EXP (naz));
  LET (l, LOG1P (e));
  LET (L, ADD (a, l));
  *loss = L;
  LET (d, ADD (ONE, e));
  LET (s, SELECT (IS_POS (z), DIV (ONE, d), DIV (e, d)));
  LET (g, SUB (s, y));
  *grad = g;
}

/* torch: PyTorch's BCELoss on sigmoid(z) (aten binary_cross_entropy, CPU):
     L = (y - 1) max(log1p(-p), -100) - y max(log p, -100)
   backward: (p - y) / max((1 - p) p, 1e-12), then sigmoid's backward
   g (1 - p) p.  */
static void
FN(torch) (T z, T y, const struct form_k *k, T *loss, T *grad)
{
  T e, d;
  T p = FN(sigmoid_fwd) (z, &e, &d);
  LET (np, NEG (p));
  LET (l1, LOG1P (np));
  LET (a, MAX (l1, K (torch_log_min)));
  LET (l0, LOG (p));
  LET (b, MAX (l0, K (torch_log_min)));
  LET (y1, SUB (y, ONE));
  LET (t1, MUL (y1, a));
  LET (t2, MUL (y, b));
  LET (L, SUB (t1, t2));
  *loss = L;
  LET (q, SUB (ONE, p));
  LET (pq, MUL (q, p));
  LET (den, MAX (pq, K (torch_eps)));
  LET (num, SUB (p, y));
  LET (gp, DIV (num, den));
  LET (gq, MUL (gp, q));
  LET (gz, MUL (gq, p));
  *grad = gz;
}

/* keras: Keras 3's binary_crossentropy on probabilities: p clipped to
   [1e-7, 1 - 1e-7] (backend epsilon), then -(y log p + (1-y) log(1-p));
   backward through the clip's mask and TF's sigmoid gradient g p (1 - p).  */
static void
FN(keras) (T z, T y, const struct form_k *k, T *loss, T *grad)
{
  T e, d, gpc;
  T p = FN(sigmoid_fwd) (z, &e, &d);
  LET (pc, CLAMP (p, K (keras_eps), K (keras_one_m_eps)));
  *loss = FN(bce_prob) (pc, y, &gpc);
  LET (gp, SELECT (INSIDE (p, K (keras_eps), K (keras_one_m_eps)), gpc, ZERO));
  LET (gpp, MUL (gp, p));
  LET (q, SUB (ONE, p));
  LET (gz, MUL (gpp, q));
  *grad = gz;
}

/* softplus: y softplus(-z) + (1-y) softplus(z), with
   softplus(x) = max(x,0) + log1p(exp(-|x|)).  Both terms are >= 0, so
   nothing cancels.  Reverse mode gives (1-y) sigmoid(z) - y sigmoid(-z),
   both sigmoids from e = exp(-|z|).  */
static void
FN(softplus) (T z, T y, const struct form_k *k, T *loss, T *grad)
{
  (void) k;
  LET (az, ABS (z));
  LET (naz, NEG (az));
  LET (e, EXP (naz));
  LET (l, LOG1P (e));
  LET (mp, MAX (z, ZERO));
  LET (nz, NEG (z));
  LET (mn, MAX (nz, ZERO));
  LET (spp, ADD (mp, l));
  LET (spn, ADD (mn, l));
  LET (ym, SUB (ONE, y));
  LET (a, MUL (y, spn));
  LET (b, MUL (ym, spp));
  LET (L, ADD (a, b));
  *loss = L;
  LET (d, ADD (ONE, e));
  LET (big, DIV (ONE, d));
  LET (small, DIV (e, d));
  LET (sp, SELECT (IS_POS (z), big, small));
  LET (sn, SELECT (IS_POS (z), small, big));
  LET (ga, MUL (ym, sp));
  LET (gb, MUL (y, sn));
  LET (g, SUB (ga, gb));
  *grad = g;
}
