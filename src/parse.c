/* parse.c -- the parsers of option values (see parse.h).  */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "forms.h"
#include "parse.h"
#include "cce.h"

#define SHOWN 48                /* 40 bytes, "...", escapes */

char *
parse_shown (const char *s, char *buf, size_t len)
{
  size_t o = 0;
  int i;
  for (i = 0; s[i] && i < 40; i++)
    {
      unsigned char c = (unsigned char) s[i];
      char tmp[8];
      if (c == '\n')
        strcpy (tmp, "\\n");
      else if (c == '\t')
        strcpy (tmp, "\\t");
      else if (c < 0x20 || c == 0x7f)
        snprintf (tmp, sizeof tmp, "\\x%02x", c);
      else
        tmp[0] = (char) c, tmp[1] = '\0';
      size_t t = strlen (tmp);
      if (o + t + 4 > len)
        break;
      memcpy (buf + o, tmp, t);
      o += t;
    }
  if (s[i] && o + 4 <= len)
    {
      memcpy (buf + o, "...", 3);
      o += 3;
    }
  buf[o] = '\0';
  return buf;
}

static int
fail (char *err, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (err, PARSE_ERR, fmt, ap);
  va_end (ap);
  return -1;
}

void
parse_list_free (char **v, size_t n)
{
  if (!v)
    return;
  for (size_t i = 0; i < n; i++)
    free (v[i]);
  free (v);
}

int
parse_list (const char *opt, const char *s, char ***items, size_t *count,
            char *err)
{
  char b1[SHOWN];
  size_t n = 1;
  for (const char *p = s; *p; p++)
    n += *p == ',';
  char **v = calloc (n, sizeof *v);
  if (!v)
    return fail (err, "%s: out of memory", opt);
  size_t i = 0;
  for (const char *p = s;; i++)
    {
      size_t len = strcspn (p, ",");
      const char *b = p, *e = p + len;
      while (b < e && (*b == ' ' || *b == '\t'))
        b++;
      while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
      if (b == e)
        {
          parse_list_free (v, i);
          return fail (err, "%s: empty item in list '%s'", opt,
                       parse_shown (s, b1, sizeof b1));
        }
      v[i] = malloc ((size_t) (e - b) + 1);
      if (!v[i])
        {
          parse_list_free (v, i);
          return fail (err, "%s: out of memory", opt);
        }
      memcpy (v[i], b, (size_t) (e - b));
      v[i][e - b] = '\0';
      if (!p[len])
        break;
      p += len + 1;
    }
  *items = v;
  *count = n;
  return 0;
}

int
parse_number (const char *opt, const char *s, double *v, char *err)
{
  char b1[SHOWN];
  const char *b = s;
  while (*b == ' ' || *b == '\t')
    b++;
  char *end;
  errno = 0;
  *v = strtod (b, &end);
  while (*end == ' ' || *end == '\t')
    end++;
  if (end == b || *end != '\0')
    return fail (err, "%s: '%s' is not a number", opt,
                 parse_shown (s, b1, sizeof b1));
  return 0;
}

int
parse_whole (const char *opt, const char *s, double lo, double hi, double *v,
             char *err)
{
  char b1[SHOWN];
  if (parse_number (opt, s, v, err) || !(*v >= lo && *v <= hi)
      || *v != floor (*v))
    return fail (err, "%s: '%s' is not a whole number in [%.0f, %.0f]", opt,
                 parse_shown (s, b1, sizeof b1), lo, hi);
  return 0;
}

int
parse_seed (const char *opt, const char *s, unsigned long *v, char *err)
{
  char b1[SHOWN];
  char *end;
  errno = 0;
  if (s[0] < '0' || s[0] > '9')
    return fail (err, "%s: '%s' is not a non-negative integer", opt,
                 parse_shown (s, b1, sizeof b1));
  *v = strtoul (s, &end, 10);
  if (*end || errno)
    return fail (err, "%s: '%s' is not a non-negative integer", opt,
                 parse_shown (s, b1, sizeof b1));
  return 0;
}

int
parse_shard (const char *s, int *k, int *n, char *err)
{
  char b1[SHOWN];
  unsigned long kk = 0, nn = 0;
  const char *p = s;
  int ok = 1, digits = 0;
  for (; *p >= '0' && *p <= '9' && ok; p++, digits++)
    kk = kk * 10 + (unsigned long) (*p - '0'), ok = kk <= 65536;
  ok = ok && digits && *p == '/';
  if (ok)
    for (p++, digits = 0; *p >= '0' && *p <= '9' && ok; p++, digits++)
      nn = nn * 10 + (unsigned long) (*p - '0'), ok = nn <= 65536;
  if (!ok || !digits || *p || nn < 1 || kk < 1 || kk > nn)
    return fail (err, "--shard: '%s' is not K/N with 1 <= K <= N <= 65536",
                 parse_shown (s, b1, sizeof b1));
  *k = (int) kk - 1;
  *n = (int) nn;
  return 0;
}

int
parse_formats (const char *s, int *ids, int *n, char *err)
{
  char b1[SHOWN];
  char **v;
  size_t count;
  if (parse_list ("--precision", s, &v, &count, err))
    return -1;
  int seen[FMT_COUNT] = { 0 }, r = 0;
  *n = 0;
  for (size_t i = 0; i < count && !r; i++)
    {
      if (strcmp (v[i], "all") == 0)
        {
          for (int k = 0; k < FMT_COUNT; k++)
            if (fmt_available (k) && !seen[k])
              seen[k] = 1, ids[(*n)++] = k;
          continue;
        }
      const fmt_info *f = fmt_by_name (v[i]);
      if (!f && fmt_by_name_any (v[i]))
        r = fail (err, "--precision: %s is not wider than double on this "
                  "machine, so it is left out", fmt_by_name_any (v[i])->name);
      else if (!f)
        r = fail (err, "unknown precision '%s' (try: %s)",
                  parse_shown (v[i], b1, sizeof b1), fmt_names ());
      else if (seen[f->id])
        r = fail (err, "--precision: '%s' given twice", f->name);
      else
        {
          seen[f->id] = 1;
          ids[(*n)++] = f->id;
        }
    }
  parse_list_free (v, count);
  return r;
}

int
parse_forms (const char *s, int *ids, int *n, char *err)
{
  char b1[SHOWN];
  char **v;
  size_t count;
  if (parse_list ("--form", s, &v, &count, err))
    return -1;
  int seen[FORM_COUNT] = { 0 }, r = 0;
  *n = 0;
  for (size_t i = 0; i < count && !r; i++)
    {
      if (strcmp (v[i], "all") == 0)
        {
          for (int k = 0; k < FORM_COUNT; k++)
            if (!seen[k])
              seen[k] = 1, ids[(*n)++] = k;
          continue;
        }
      const form_info *f = form_by_name (v[i]);
      if (!f && cce_by_name (v[i]))
        r = fail (err, "--form: '%s' is categorical and cannot be mixed with "
                  "BCE forms", v[i]);
      else if (!f)
        r = fail (err, "unknown form '%s' (try: %s; categorical: %s)",
                  parse_shown (v[i], b1, sizeof b1), form_names (), cce_names ());
      else if (seen[f->id])
        r = fail (err, "--form: '%s' given twice", f->name);
      else
        {
          seen[f->id] = 1;
          ids[(*n)++] = f->id;
        }
    }
  parse_list_free (v, count);
  return r;
}

void
num_list_free (num_list *l)
{
  parse_list_free (l->text, l->n);
  free (l->value);
  l->text = NULL;
  l->value = NULL;
  l->n = 0;
}

typedef struct { double v; size_t at; } ranked;

/* NaNs last; equal values by position.  */
static int
by_value (const void *pa, const void *pb)
{
  const ranked *a = pa, *b = pb;
  int na = isnan (a->v), nb = isnan (b->v);
  if (na != nb)
    return na - nb;
  if (!na && a->v != b->v)
    return a->v < b->v ? -1 : 1;
  return (a->at > b->at) - (a->at < b->at);
}

int
parse_numbers (num_list *l, const char *opt, const char *s, int labels,
               char *err)
{
  char b1[SHOWN];
  num_list_free (l);
  size_t n;
  if (parse_list (opt, s, &l->text, &n, err))
    return -1;
  l->n = n;
  l->value = calloc (n, sizeof *l->value);
  if (!l->value)
    {
      num_list_free (l);
      return fail (err, "%s: out of memory", opt);
    }
  for (size_t i = 0; i < n; i++)
    {
      double v;
      int r = parse_number (opt, l->text[i], &v, err);
      if (!r && (labels & PN_LABELS) && !(v >= 0 && v <= 1))
        r = fail (err, "%s: %s is not in [0, 1]", opt,
                  parse_shown (l->text[i], b1, sizeof b1));
      if (r)
        {
          num_list_free (l);
          return -1;
        }
      l->value[i] = v;
    }
  if (labels & PN_DUPS)
    return 0;
  /* duplicates: sort by value and compare neighbours, so that a long
     list stays O(n log n); report the first item equal to an earlier one */
  ranked *r = malloc (n * sizeof *r);
  if (!r)
    {
      num_list_free (l);
      return fail (err, "%s: out of memory", opt);
    }
  for (size_t i = 0; i < n; i++)
    r[i] = (ranked) { l->value[i], i };
  qsort (r, n, sizeof *r, by_value);
  size_t dup = n;
  for (size_t i = 1; i < n; i++)
    if ((r[i - 1].v == r[i].v || (isnan (r[i - 1].v) && isnan (r[i].v)))
        && r[i].at < dup)
      dup = r[i].at;
  free (r);
  if (dup < n)
    {
      fail (err, "%s: '%s' given twice", opt,
            parse_shown (l->text[dup], b1, sizeof b1));
      num_list_free (l);
      return -1;
    }
  return 0;
}
