/* cce_body.h -- the categorical cross-entropy forms, written once.
 *
 * A template like forms_body.h, with its macros (T, FN, LET, ADD, SUB,
 * MUL, DIV, NEG, EXP, LOG, LOG1P, ONE, ZERO), and two more for values that
 * change in a loop:
 *
 *   SET(v, expr)      v = expr, a named step (v declared by the caller)
 *   KC(c)             the smoothing constant c of struct cce_k, in T
 *   AT(i)             the loop index, for the trace's step names (e[2],
 *                     p_2); AT(-1) after the loop.  Nothing elsewhere.
 *
 * Each form writes the loss and, when g is not NULL, dL/dz_i = p_i - q_i
 * with p_i from the form's own operations (the frameworks' backward of
 * softmax cross-entropy).  E is scratch space for 2n values.  Sums are
 * pairwise (halves summed recursively), in the format, as vectorised and
 * GPU reductions do: their error grows with log2 K, not with K.
 */

/* e[0] + ... + e[n-1], pairwise.  */
static T
FN(cce_sum) (const T *e, long n)
{
  if (n == 1)
    return e[0];
  long h = n / 2;
  T lo = FN(cce_sum) (e, h);
  T hi = FN(cce_sum) (e + h, n - h);
  LET (s, ADD (lo, hi));
  return s;
}

/* -log p_t, smoothed: (1-eps) nll + (eps/K) sum_i (-log p_i).  */
static inline T
FN(cce_smooth) (T nll, T snlp, const struct cce_k *k)
{
  LET (a, MUL (KC (w_t), nll));
  LET (b, MUL (KC (w_s), snlp));
  LET (L, ADD (a, b));
  return L;
}

/* The rest of both softmax forms, from the exponentials E (n of them):
   s = sum e_i, p_i = e_i / s, L = -log p_t (smoothed), dL/dz_i = p_i - q_i. */
static void
FN(softmax_rest) (T *e, long n, long t, const struct cce_k *k, T *loss, T *g)
{
  T s = FN(cce_sum) (e, n);     /* its last step is named s */
  LET (p_t, DIV (e[t], s));
  LET (lp_t, LOG (p_t));
  LET (nll, NEG (lp_t));
  T L = nll;
  if (k->smooth)
    {
      T *nl = e + n;            /* -log p_i */
      for (long i = 0; i < n; i++)
        {
          AT (i);
          LET (p_i, DIV (e[i], s));
          LET (lp_i, LOG (p_i));
          SET (nl[i], NEG (lp_i));
        }
      AT (-1);
      T snlp = FN(cce_sum) (nl, n);
      SET (L, FN(cce_smooth) (nll, snlp, k));
    }
  *loss = L;
  if (g)
    for (long i = 0; i < n; i++)
      {
        AT (i);
        T q_i = i == t ? KC (q_t) : KC (q_o);
        LET (p_i, DIV (e[i], s));
        SET (g[i], SUB (p_i, q_i));
      }
  AT (-1);
}

/* softmax-naive: e_i = exp(z_i), s = sum e_i, p_i = e_i / s, L = -log p_t. */
static void
FN(softmax_naive) (const T *z, long n, long t, const struct cce_k *k, T *e,
                   T *loss, T *g)
{
  for (long i = 0; i < n; i++)
    {
      AT (i);
      SET (e[i], EXP (z[i]));
    }
  AT (-1);
  FN(softmax_rest) (e, n, t, k, loss, g);
}

/* softmax-shifted: the same on z_i - m, m = max z: exp cannot overflow,
   but p_t = e_t / s can still underflow to 0.  */
static void
FN(softmax_shifted) (const T *z, long n, long t, const struct cce_k *k, T *e,
                     T *loss, T *g)
{
  T m = z[0];
  for (long i = 1; i < n; i++)
    {
      AT (i);
      SET (m, MAX (m, z[i]));
    }
  AT (-1);
  for (long i = 0; i < n; i++)
    {
      AT (i);
      LET (d_i, SUB (z[i], m));
      SET (e[i], EXP (d_i));
    }
  AT (-1);
  FN(softmax_rest) (e, n, t, k, loss, g);
}

/* log-softmax: m = z_a the (first) maximum, s = sum over i != a of
   exp(z_i - m) (the max's term is left out as a 0), log p_i = (z_i - m) -
   log1p(s): the sum is at most K - 1 and log1p keeps the digits of a
   small s.  The loss is written (m - z_t) + log1p(s), the negated log p_t
   without a -0 (and, for K = 2, the stable BCE form's operations).  */
static void
FN(log_softmax) (const T *z, long n, long t, const struct cce_k *k, T *e,
                 T *loss, T *g)
{
  long a = 0;
  for (long i = 1; i < n; i++)
    if (z[a] < z[i] || z[i] != z[i])
      a = i;
  LET (m, z[a]);
  for (long i = 0; i < n; i++)
    if (i != a)
      {
        AT (i);
        LET (d_i, SUB (z[i], m));
        SET (e[i], EXP (d_i));
      }
    else
      e[i] = ZERO;
  AT (-1);
  T s = FN(cce_sum) (e, n);     /* its last step is named s */
  LET (lse, LOG1P (s));
  LET (md_t, SUB (m, z[t]));
  LET (nll, ADD (md_t, lse));
  T L = nll;
  if (k->smooth)
    {
      T *nl = e + n;            /* -log p_i */
      for (long i = 0; i < n; i++)
        {
          AT (i);
          LET (d_i, SUB (z[i], m));
          LET (ls_i, SUB (d_i, lse));
          SET (nl[i], NEG (ls_i));
        }
      AT (-1);
      T snlp = FN(cce_sum) (nl, n);
      SET (L, FN(cce_smooth) (nll, snlp, k));
    }
  *loss = L;
  if (g)
    for (long i = 0; i < n; i++)
      {
        AT (i);
        T q_i = i == t ? KC (q_t) : KC (q_o);
        LET (d_i, SUB (z[i], m));
        LET (ls_i, SUB (d_i, lse));
        LET (p_i, EXP (ls_i));
        SET (g[i], SUB (p_i, q_i));
      }
  AT (-1);
}
