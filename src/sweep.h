/* sweep.h -- evaluate forms over a grid of logits and write data files.
 *
 * A data file holds, for one format and one label, one row per logit:
 *   z  ref  [grad_ref]  then per form:  loss ulp bits status [grad grad_ulp grad_status]
 * after '#' comment lines that say how it was made (docs/definitions.md,
 * "Printing").  Rows are computed in parallel, a chunk at a time, and
 * written in order, so the file is the same whatever the thread count and
 * memory stays bounded whatever the number of points.
 */
#ifndef BCELAB_SWEEP_H
#define BCELAB_SWEEP_H

#include <stddef.h>
#include "cli.h"
#include "format.h"

typedef enum { SCALE_LIN, SCALE_SYMLOG } grid_scale;

/* A grid of logits, generated point by point.  */
typedef struct {
  const char *const *at;  /* explicit logits (as typed), or NULL */
  size_t n;               /* number of points */
  double from, to;
  grid_scale scale;
} grid_spec;

/* The I-th logit of the grid, rounded to F.  Symlog spaces the points
   evenly in s(z) = sign(z) log10(1 + |z|): dense near 0, logarithmic
   beyond 1.  */
long double grid_point (const grid_spec *g, const fmt_info *f, size_t i);

typedef struct {
  const fmt_info *fmt;
  const int *forms;
  int n_forms;
  const char *label;      /* as typed; rounded to fmt */
  double eps;
  int grad;
  int hex;
  int jobs;               /* threads; 0: OpenMP's default */
} sweep_spec;

/* Evaluate SPEC over grid G and write DIR/NAME atomically; consecutive
   logits that round to the same value of the format are written once.
   Returns the number of rows.  */
size_t sweep_write (const char *dir, const char *name, const sweep_spec *spec,
                    const grid_spec *g);

/* The data file name for a format and a label: PREFIX-float-y1.dat.  */
char *sweep_file_name (const char *prefix, const fmt_info *f, const char *label);

#endif
