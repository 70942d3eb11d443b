/* grid.c -- aligned tables of strings (see grid.h).  */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "metrics.h"

void
grid_init (grid *g, size_t cols)
{
  g->rows = 0;
  g->cols = cols;
  g->cap = 0;
  g->cell = NULL;
}

void
grid_add_row (grid *g)
{
  if (g->rows == g->cap)
    {
      g->cap = g->cap ? 2 * g->cap : 16;
      char **c = realloc (g->cell, g->cap * g->cols * sizeof *c);
      if (!c)
        die ("out of memory");
      g->cell = c;
    }
  for (size_t i = 0; i < g->cols; i++)
    g->cell[g->rows * g->cols + i] = NULL;
  g->rows++;
}

void
grid_set (grid *g, size_t col, const char *fmt, ...)
{
  char buf[256];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  char **c = &g->cell[(g->rows - 1) * g->cols + col];
  free (*c);
  *c = xstrdup (buf);
}

static const char *
at (const grid *g, size_t r, size_t c)
{
  const char *s = g->cell[r * g->cols + c];
  return s ? s : "";
}

/* CSV: quote a field that holds a comma, a quote or a newline.  */
static void
csv_field (FILE *fp, const char *s)
{
  if (!strpbrk (s, ",\"\n"))
    {
      fputs (s, fp);
      return;
    }
  fputc ('"', fp);
  for (; *s; s++)
    {
      if (*s == '"')
        fputc ('"', fp);
      fputc (*s, fp);
    }
  fputc ('"', fp);
}

void
grid_print (const grid *g, FILE *fp, out_format how)
{
  size_t *w = xcalloc (g->cols, sizeof *w);
  for (size_t r = 0; r < g->rows; r++)
    for (size_t c = 0; c < g->cols; c++)
      {
        size_t n = strlen (at (g, r, c));
        if (n > w[c])
          w[c] = n;
      }
  for (size_t r = 0; r < g->rows; r++)
    {
      for (size_t c = 0; c < g->cols; c++)
        {
          const char *s = at (g, r, c);
          switch (how)
            {
            case OUT_TEXT:
              fprintf (fp, "%s%*s", c ? "  " : "  ", (int) w[c], s);
              break;
            case OUT_MARKDOWN:
              fprintf (fp, "| %*s ", (int) w[c], s);
              break;
            case OUT_TSV:
              fprintf (fp, "%s%s", c ? "\t" : "", s);
              break;
            case OUT_CSV:
              if (c)
                fputc (',', fp);
              csv_field (fp, s);
              break;
            }
        }
      fputs (how == OUT_MARKDOWN ? "|\n" : "\n", fp);
      if (r == 0 && how == OUT_MARKDOWN)
        {
          for (size_t c = 0; c < g->cols; c++)
            {
              fputs ("| ", fp);
              for (size_t k = 1; k < w[c]; k++)
                fputc ('-', fp);
              fputs (": ", fp);
            }
          fputs ("|\n", fp);
        }
    }
  free (w);
}

void
grid_free (grid *g)
{
  for (size_t i = 0; i < g->rows * g->cols; i++)
    free (g->cell[i]);
  free (g->cell);
  g->cell = NULL;
  g->rows = 0;
}

void
grid_set_value (grid *g, size_t col, const fmt_info *f, long double v, int hex)
{
  char buf[64];
  fmt_snprint (buf, sizeof buf, f, v, hex);
  grid_set (g, col, "%s", buf);
}

void
grid_set_metric (grid *g, size_t col, double v)
{
  char buf[32];
  metric_snprint (buf, sizeof buf, v);
  grid_set (g, col, "%s", buf);
}
