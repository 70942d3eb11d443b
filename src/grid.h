/* grid.h -- a table of strings printed aligned (text) or as markdown,
 * tab- or comma-separated.  Used by every command that prints a table.  */
#ifndef BCELAB_GRID_H
#define BCELAB_GRID_H

#include <stdio.h>
#include "cli.h"

typedef struct {
  size_t rows, cols, cap;
  char **cell;          /* rows * cols strings, row-major; row 0 is the header */
} grid;

/* A grid with COLS columns and no rows.  */
void grid_init (grid *g, size_t cols);
/* Append a row; the cells are then set with grid_set.  */
void grid_add_row (grid *g);
/* Set cell (current last row, COL) to a printf-formatted string.  */
void grid_set (grid *g, size_t col, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
/* Print: OUT_TEXT right-aligned columns two spaces apart (the first column
   too), OUT_MARKDOWN a pipe table, OUT_TSV / OUT_CSV separated values.  */
void grid_print (const grid *g, FILE *fp, out_format how);
/* Set cell COL to V as a value of F (its digits, or hex with HEX), as the
   machine-readable formats print it.  */
void grid_set_value (grid *g, size_t col, const fmt_info *f, long double v,
                     int hex);
/* Set cell COL to the measurement V: nan, inf or 17 digits.  */
void grid_set_metric (grid *g, size_t col, double v);
void grid_free (grid *g);

#endif
