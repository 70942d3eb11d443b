/* dataset.c -- make_classification, CSV, split and standardisation.
 *
 * make_classification, step by step as scikit-learn documents and does it:
 *  1. n_clusters = 2 classes x clusters_per_class; samples spread evenly
 *     over the clusters (the remainder one by one);
 *  2. the centroids are distinct random vertices of a hypercube of side
 *     2 class_sep in the informative dimensions;
 *  3. each cluster's informative features are standard normal, multiplied
 *     by a random matrix A (entries uniform in [-1, 1]) -- a random
 *     covariance -- and shifted to its vertex; cluster k gets class k % 2;
 *  4. the redundant features are random linear combinations (uniform
 *     [-1, 1] weights) of the informative ones;
 *  5. the remaining features are standard normal noise;
 *  6. a fraction flip_y of the labels is replaced by a random class;
 *  7. everything is multiplied by scale;
 *  8. the samples are shuffled, then the features.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cli.h"
#include "dataset.h"
#include "parse.h"

void
mc_defaults (mc_params *p)
{
  p->samples = 1000;
  p->features = 20;
  p->informative = 2;
  p->redundant = 2;
  p->clusters_per_class = 2;
  p->flip_y = 0.01;
  p->class_sep = 1.0;
  p->scale = 1.0;
  p->seed = 42;
}

int
make_classification (const mc_params *p, dataset *out, const char **why)
{
  size_t n = p->samples, d = p->features, ni = p->informative;
  size_t nr = p->redundant, nc = 2 * p->clusters_per_class;
  if (ni + nr > d)
    return *why = "informative + redundant features exceed the features", -1;
  if (ni == 0 || ni > 30)
    return *why = "informative features must be 1 to 30", -1;
  if (nc > ((size_t) 1 << ni))
    return *why = "more clusters than vertices of the hypercube: add informative features", -1;
  if (n < nc)
    return *why = "fewer samples than clusters", -1;

  gsl_rng *r = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (r, p->seed);
  out->n = n;
  out->d = d;
  out->x = xcalloc (n * d, sizeof *out->x);
  out->y = xcalloc (n, sizeof *out->y);

  /* 1. samples per cluster */
  size_t *per = xcalloc (nc, sizeof *per);
  size_t used = 0;
  for (size_t k = 0; k < nc; k++)
    used += per[k] = n / nc;
  for (size_t i = 0; used < n; i++, used++)
    per[i % nc]++;

  /* 2. distinct vertices: a random choice of nc among 2^ni, in random
     order; vertex v has coordinate j = bit (ni-1-j) of v, MSB first */
  size_t nv = (size_t) 1 << ni;
  unsigned long *vert = xcalloc (nc, sizeof *vert);
  for (size_t k = 0; k < nc;)
    {
      unsigned long v = gsl_rng_uniform_int (r, nv);
      size_t m;
      for (m = 0; m < k && vert[m] != v; m++)
        ;
      if (m == k)
        vert[k++] = v;
    }

  /* 3. clusters */
  double *A = xcalloc (ni * ni, sizeof *A);
  double *row = xcalloc (ni, sizeof *row);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < ni; j++)
      out->x[i * d + j] = gsl_ran_gaussian_ziggurat (r, 1.0);
  size_t start = 0;
  for (size_t k = 0; k < nc; k++)
    {
      for (size_t a = 0; a < ni * ni; a++)
        A[a] = 2 * gsl_rng_uniform (r) - 1;
      for (size_t i = start; i < start + per[k]; i++)
        {
          out->y[i] = (double) (k % 2);
          for (size_t c = 0; c < ni; c++)
            {
              double s = 0;
              for (size_t j = 0; j < ni; j++)
                s += out->x[i * d + j] * A[j * ni + c];
              row[c] = s;
            }
          for (size_t c = 0; c < ni; c++)
            {
              int bit = (vert[k] >> (ni - 1 - c)) & 1;
              out->x[i * d + c] = row[c] + (bit ? p->class_sep : -p->class_sep);
            }
        }
      start += per[k];
    }

  /* 4. redundant features */
  double *B = xcalloc (ni * (nr ? nr : 1), sizeof *B);
  for (size_t a = 0; a < ni * nr; a++)
    B[a] = 2 * gsl_rng_uniform (r) - 1;
  for (size_t i = 0; i < n; i++)
    for (size_t c = 0; c < nr; c++)
      {
        double s = 0;
        for (size_t j = 0; j < ni; j++)
          s += out->x[i * d + j] * B[j * nr + c];
        out->x[i * d + ni + c] = s;
      }

  /* 5. noise */
  for (size_t i = 0; i < n; i++)
    for (size_t c = ni + nr; c < d; c++)
      out->x[i * d + c] = gsl_ran_gaussian_ziggurat (r, 1.0);

  /* 6. label noise */
  for (size_t i = 0; i < n; i++)
    if (gsl_rng_uniform (r) < p->flip_y)
      out->y[i] = (double) gsl_rng_uniform_int (r, 2);

  /* 7. scale */
  for (size_t a = 0; a < n * d; a++)
    out->x[a] *= p->scale;

  /* 8. shuffle the samples, then the features */
  size_t *perm = xcalloc (n > d ? n : d, sizeof *perm);
  double *tmp = xcalloc (n * d, sizeof *tmp);
  double *ty = xcalloc (n, sizeof *ty);
  for (size_t i = 0; i < n; i++)
    perm[i] = i;
  gsl_ran_shuffle (r, perm, n, sizeof *perm);
  for (size_t i = 0; i < n; i++)
    {
      memcpy (tmp + i * d, out->x + perm[i] * d, d * sizeof *tmp);
      ty[i] = out->y[perm[i]];
    }
  for (size_t c = 0; c < d; c++)
    perm[c] = c;
  gsl_ran_shuffle (r, perm, d, sizeof *perm);
  for (size_t i = 0; i < n; i++)
    for (size_t c = 0; c < d; c++)
      out->x[i * d + c] = tmp[i * d + perm[c]];
  memcpy (out->y, ty, n * sizeof *ty);

  free (perm);
  free (tmp);
  free (ty);
  free (A);
  free (B);
  free (row);
  free (per);
  free (vert);
  gsl_rng_free (r);
  return 0;
}

/* ---- CSV ---- */

/* Split LINE at commas into FIELDS (pointers into LINE).  */
/* Split LINE in place at commas; *FIELDS grows as needed.  Returns the
   number of fields, or 0 when memory runs out.  */
static size_t
csv_fields (char *line, char ***fields, size_t *cap)
{
  size_t n = 0;
  for (char *p = line;;)
    {
      if (n == *cap)
        {
          size_t c = *cap ? 2 * *cap : 16;
          char **f = realloc (*fields, c * sizeof *f);
          if (!f)
            return 0;
          *fields = f;
          *cap = c;
        }
      (*fields)[n++] = p;
      char *c = strchr (p, ',');
      if (!c)
        break;
      *c = '\0';
      p = c + 1;
    }
  return n;
}

static int
parse_cell (const char *s, double *v)
{
  while (*s == ' ' || *s == '\t')
    s++;
  char *end;
  errno = 0;
  *v = strtod (s, &end);
  while (*end == ' ' || *end == '\t' || *end == '\r')
    end++;
  return end != s && *end == '\0' && isfinite (*v);
}

static int
csv_fail (char *err, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (err, PARSE_ERR, fmt, ap);
  va_end (ap);
  return -1;
}

int
dataset_parse_csv (FILE *fp, const char *name, dataset *out, char *err)
{
  char *line = NULL, **fields = NULL, b1[64], b2[64];
  size_t len = 0, cap = 0, rows = 0, alloc = 0, cols = 0;
  ssize_t got;
  unsigned long lineno = 0;
  double *x = NULL, *y = NULL;
  int r = 0;
  parse_shown (name, b2, sizeof b2);
  memset (out, 0, sizeof *out);
  while (!r && (got = getline (&line, &len, fp)) != -1)
    {
      lineno++;
      if (memchr (line, '\0', (size_t) got))
        {
          r = csv_fail (err, "%s:%lu: a NUL byte: not a text file", b2, lineno);
          break;
        }
      while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
        line[--got] = '\0';
      if (got == 0)
        continue;               /* blank lines are allowed */
      size_t n = csv_fields (line, &fields, &cap);
      double v;
      if (n == 0)
        {
          r = csv_fail (err, "%s:%lu: out of memory", b2, lineno);
          break;
        }
      if (n > CSV_MAX_COLUMNS)
        {
          r = csv_fail (err, "%s:%lu: %zu columns, at most %d (features and "
                        "the label)", b2, lineno, n, CSV_MAX_COLUMNS);
          break;
        }
      if (rows == 0 && cols == 0 && !parse_cell (fields[0], &v))
        {
          cols = n;             /* a header: it fixes the number of columns */
          if (cols < 2)
            r = csv_fail (err, "%s:%lu: need at least one feature and a label",
                          b2, lineno);
          continue;
        }
      if (cols == 0)
        cols = n;
      if (n < 2)
        {
          r = csv_fail (err, "%s:%lu: need at least one feature and a label",
                        b2, lineno);
          break;
        }
      if (n != cols)
        {
          r = csv_fail (err, "%s:%lu: %zu columns, expected %zu", b2, lineno,
                        n, cols);
          break;
        }
      if ((rows + 1) * (cols - 1) > CSV_MAX_VALUES)
        {
          r = csv_fail (err, "%s:%lu: more than %.0e feature values, the most "
                        "bcelab holds in memory", b2, lineno,
                        (double) CSV_MAX_VALUES);
          break;
        }
      if (rows == alloc)
        {
          alloc = alloc ? 2 * alloc : 256;
          double *nx = realloc (x, alloc * (cols - 1) * sizeof *x);
          if (nx)
            x = nx;
          double *ny = nx ? realloc (y, alloc * sizeof *y) : NULL;
          if (ny)
            y = ny;
          if (!nx || !ny)
            {
              r = csv_fail (err, "%s:%lu: out of memory", b2, lineno);
              break;
            }
        }
      for (size_t c = 0; c < n && !r; c++)
        {
          if (!parse_cell (fields[c], &v))
            r = csv_fail (err, "%s:%lu: column %zu: '%s' is not a finite number",
                          b2, lineno, c + 1,
                          parse_shown (fields[c], b1, sizeof b1));
          else if (c + 1 < n)
            x[rows * (cols - 1) + c] = v;
          else if (v != 0 && v != 1)
            r = csv_fail (err, "%s:%lu: the label (last column) must be 0 or 1, "
                          "not %s", b2, lineno,
                          parse_shown (fields[c], b1, sizeof b1));
          else
            y[rows] = v;
        }
      rows++;
    }
  if (!r && ferror (fp))
    r = csv_fail (err, "error reading '%s': %s", b2, strerror (errno));
  if (!r && rows == 0)
    r = csv_fail (err, "%s: no data rows", b2);
  free (line);
  free (fields);
  if (r)
    {
      free (x);
      free (y);
      return -1;
    }
  out->n = rows;
  out->d = cols - 1;
  out->x = x;
  out->y = y;
  return 0;
}

void
dataset_read_csv (const char *file, dataset *out)
{
  char err[PARSE_ERR], b[64];
  FILE *fp = fopen (file, "r");
  if (!fp)
    die ("cannot read '%s': %s", parse_shown (file, b, sizeof b),
         strerror (errno));
  int r = dataset_parse_csv (fp, file, out, err);
  fclose (fp);
  if (r)
    die ("%s", err);
}

/* ---- split and standardisation ---- */

void
dataset_split (const dataset *all, double test_fraction, unsigned long seed,
               dataset *train, dataset *test)
{
  size_t n = all->n, d = all->d;
  size_t nt = (size_t) ceil (test_fraction * (double) n);
  if (nt < 1)
    nt = 1;
  if (nt >= n)
    die ("too few samples (%zu) to hold out a test set", n);
  size_t *perm = xcalloc (n, sizeof *perm);
  for (size_t i = 0; i < n; i++)
    perm[i] = i;
  gsl_rng *r = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (r, seed);
  gsl_ran_shuffle (r, perm, n, sizeof *perm);
  gsl_rng_free (r);
  dataset *part[2] = { test, train };
  size_t count[2] = { nt, n - nt }, at = 0;
  for (int k = 0; k < 2; k++)
    {
      part[k]->n = count[k];
      part[k]->d = d;
      part[k]->x = xcalloc (count[k] * d, sizeof (double));
      part[k]->y = xcalloc (count[k], sizeof (double));
      for (size_t i = 0; i < count[k]; i++, at++)
        {
          memcpy (part[k]->x + i * d, all->x + perm[at] * d, d * sizeof (double));
          part[k]->y[i] = all->y[perm[at]];
        }
    }
  free (perm);
}

void
dataset_standardize (dataset *train, dataset *test)
{
  size_t d = train->d;
  for (size_t c = 0; c < d; c++)
    {
      double mean = 0, var = 0;
      for (size_t i = 0; i < train->n; i++)
        mean += train->x[i * d + c];
      mean /= (double) train->n;
      for (size_t i = 0; i < train->n; i++)
        {
          double t = train->x[i * d + c] - mean;
          var += t * t;
        }
      double sd = sqrt (var / (double) train->n);
      if (sd == 0)
        sd = 1;                 /* a constant column: sklearn leaves it */
      for (size_t i = 0; i < train->n; i++)
        train->x[i * d + c] = (train->x[i * d + c] - mean) / sd;
      for (size_t i = 0; i < test->n; i++)
        test->x[i * d + c] = (test->x[i * d + c] - mean) / sd;
    }
}

void
dataset_free (dataset *d)
{
  free (d->x);
  free (d->y);
  d->x = d->y = NULL;
  d->n = 0;
}
