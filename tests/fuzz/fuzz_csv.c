/* fuzz_csv.c -- libFuzzer target: the CSV reader of `bcelab train --data`.
 *
 * The input is a file.  dataset_parse_csv must accept it with a data set
 * that obeys its contract (finite features, labels 0 or 1, at least one
 * row and one feature) or reject it with a one-line reason, keeping
 * nothing; never crash, leak or read out of bounds.
 */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;                   /* fmemopen refuses a zero-length buffer */
  FILE *fp = fmemopen ((void *) data, size, "r");
  if (!fp)
    return 0;
  dataset d;
  char err[PARSE_ERR];
  if (dataset_parse_csv (fp, "fuzz.csv", &d, err) == 0)
    {
      if (d.n < 1 || d.d < 1 || d.d + 1 > CSV_MAX_COLUMNS)
        abort ();
      for (size_t i = 0; i < d.n; i++)
        {
          if (d.y[i] != 0 && d.y[i] != 1)
            abort ();
          for (size_t c = 0; c < d.d; c++)
            if (!isfinite (d.x[i * d.d + c]))
              abort ();
        }
      dataset_free (&d);
    }
  else
    {
      size_t n = strnlen (err, PARSE_ERR);
      if (n == 0 || n == PARSE_ERR || memchr (err, '\n', n) || d.x || d.y)
        abort ();
    }
  fclose (fp);
  return 0;
}
