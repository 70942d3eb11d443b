/* train_body.h -- full-batch gradient descent on a logistic regression,
 * every operation in one format.  A template, included by train.c with:
 *   T        the carrier type
 *   R(x)     rounding to the format (identity for native types)
 *   FN(n)    the instantiated name
 *
 * The model is z = x.w + b (a dot product accumulated in order, then the
 * bias, as a linear layer does); the loss is the mean of the form's loss
 * over the training set; the gradient of the mean is each sample's dL/dz
 * (the form's own gradient) divided by n, then back through the linear
 * layer.  The loss recorded for an epoch is the one computed before that
 * epoch's step, as seed 000's loop records loss.item().
 */

static T
FN(dot) (const T *x, const T *w, T b, size_t d)
{
  T s = 0;
  for (size_t j = 0; j < d; j++)
    s = R (s + R (x[j] * w[j]));
  return R (s + b);
}

static void
FN(train_run) (const train_setup *ts, const fmt_info *f, const form_info *form,
               const struct form_k *k, train_result *res)
{
  const dataset *tr = &ts->train, *te = &ts->test;
  size_t n = tr->n, d = tr->d;
  T *x = xcalloc (n * d, sizeof *x), *y = xcalloc (n, sizeof *y);
  T *w = xcalloc (d, sizeof *w), *gw = xcalloc (d, sizeof *gw);
  T *gz = xcalloc (n, sizeof *gz);
  /* the data and weights are double; each is rounded to F once */
  for (size_t a = 0; a < n * d; a++)
    x[a] = (T) fmt_round (f, tr->x[a]);
  for (size_t i = 0; i < n; i++)
    y[i] = (T) tr->y[i];
  for (size_t j = 0; j < d; j++)
    w[j] = (T) fmt_round (f, ts->w0[j]);
  T b = (T) fmt_round (f, ts->b0);
  const T lr = (T) fmt_round (f, ts->lr);
  const T nn = (T) fmt_round (f, (double) n);

  res->first_nan = -1;
  for (int ep = 0; ep < ts->epochs; ep++)
    {
      T sum = 0;
      long dead = 0;
      for (size_t i = 0; i < n; i++)
        {
          long double l, g;
          T z = FN(dot) (x + i * d, w, b, d);
          form_eval (form, f, z, y[i], k, &l, &g);
          sum = R (sum + (T) l);
          gz[i] = R ((T) g / nn);
          /* a misclassified sample (|sigmoid(z) - y| >= 1/2) that gives
             no gradient (0 or nan) is one the model cannot learn from */
          if ((z >= 0) != (y[i] == 1) && (g == 0 || isnan (g)))
            dead++;
        }
      res->dead[ep] = dead;
      T L = R (sum / nn);
      res->loss[ep] = L;
      if (res->first_nan < 0 && (isnan (L) || isinf (L)))
        res->first_nan = ep;
      /* backward through the linear layer */
      T gb = 0;
      double norm = 0;
      for (size_t j = 0; j < d; j++)
        gw[j] = 0;
      for (size_t i = 0; i < n; i++)
        {
          for (size_t j = 0; j < d; j++)
            gw[j] = R (gw[j] + R (gz[i] * x[i * d + j]));
          gb = R (gb + gz[i]);
        }
      for (size_t j = 0; j < d; j++)
        {
          norm += (double) gw[j] * (double) gw[j];
          w[j] = R (w[j] - R (lr * gw[j]));
        }
      norm += (double) gb * (double) gb;
      b = R (b - R (lr * gb));
      res->gnorm[ep] = sqrt (norm);
    }

  /* accuracy: class 1 where z >= 0 (where the sigmoid is >= 1/2) */
  size_t right = 0;
  for (size_t i = 0; i < n; i++)
    right += (FN(dot) (x + i * d, w, b, d) >= 0) == (y[i] == 1);
  res->train_acc = (double) right / (double) n;
  right = 0;
  T *xt = xcalloc (d, sizeof *xt);
  for (size_t i = 0; i < te->n; i++)
    {
      for (size_t j = 0; j < d; j++)
        xt[j] = (T) fmt_round (f, te->x[i * d + j]);
      right += (FN(dot) (xt, w, b, d) >= 0) == (te->y[i] == 1);
    }
  res->test_acc = (double) right / (double) te->n;
  res->final_loss = res->loss[ts->epochs - 1];
  double wn = 0;
  for (size_t j = 0; j < d; j++)
    wn += (double) w[j] * (double) w[j];
  res->wnorm = sqrt (wn + (double) b * (double) b);
  res->w = xcalloc (d + 1, sizeof *res->w);
  for (size_t j = 0; j < d; j++)
    res->w[j] = w[j];
  res->w[d] = b;
  free (xt);
  free (x);
  free (y);
  free (w);
  free (gw);
  free (gz);
}
