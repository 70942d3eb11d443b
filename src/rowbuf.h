/* rowbuf.h -- building one line of a data file in a fixed buffer of
 * ROW_MAX bytes (sweep.c, cce_cmd.c): rows are formatted in parallel into
 * per-row buffers and written in order.  A row that would overflow is cut
 * at ROW_MAX - 1 bytes; the widest real row is far shorter.  */
#ifndef BCELAB_ROWBUF_H
#define BCELAB_ROWBUF_H

#include <stdio.h>
#include "format.h"
#include "metrics.h"

#define ROW_MAX 4096        /* bytes per row: 6 forms x 7 columns fit */

/* Append printf-style to the buffer ROW of length LEN (both in scope).  */
#define PUT(...)                                                        \
  do {                                                                  \
    int n_ = snprintf (row + len, ROW_MAX - len, __VA_ARGS__);          \
    len += n_ > 0 ? (size_t) n_ : 0;                                    \
    if (len >= ROW_MAX)                                                 \
      len = ROW_MAX - 1;                                                \
  } while (0)

/* Append V as a value of F (digits, or hex with HEX); the new length.  */
static inline size_t
row_value (char *row, size_t len, const fmt_info *f, long double v, int hex)
{
  int n = fmt_snprint (row + len, ROW_MAX - len, f, v, hex);
  len += n > 0 ? (size_t) n : 0;
  return len < ROW_MAX ? len : ROW_MAX - 1;
}

/* Append " V" for a measurement: nan, inf or 17 digits; the new length.  */
static inline size_t
row_metric (char *row, size_t len, double v)
{
  if (len < ROW_MAX - 1)
    row[len++] = ' ', row[len] = '\0';
  int n = metric_snprint (row + len, ROW_MAX - len, v);
  len += n > 0 ? (size_t) n : 0;
  return len < ROW_MAX ? len : ROW_MAX - 1;
}

#endif
