/* format.h -- the floating-point formats bcelab measures.
 *
 * A format is described by its precision p (significand bits, the implicit
 * bit included), the exponent of its smallest normal binade (emin) and of its
 * largest finite binade (emax).  Values of every format are carried in a
 * long double, which holds all of them exactly (x86-64: 64-bit significand,
 * 15-bit exponent; AArch64: binary128).  half and bfloat16 are emulated: each
 * operation is done in float and rounded to the format (fmt_round_half,
 * fmt_round_bf16), which is exact for + - * / because float has at least
 * 2p+2 bits (Figueroa), and is how frameworks compute them.
 */
#ifndef BCELAB_FORMAT_H
#define BCELAB_FORMAT_H

#include <stdint.h>
#include <stdio.h>
#include <mpfr.h>

typedef enum {
  FMT_HALF,
  FMT_BF16,
  FMT_FLOAT,
  FMT_DOUBLE,
  FMT_LDOUBLE,
  FMT_COUNT
} fmt_id;

typedef struct {
  fmt_id id;
  const char *name;      /* as on the command line: "float" */
  const char *ieee;      /* "binary32" */
  const char *aliases;   /* other accepted spellings, comma separated */
  int prec;              /* p: significand bits including the implicit one */
  long emin;             /* exponent of the smallest normal binade */
  long emax;             /* exponent of the largest finite binade */
  int width;             /* storage bits; the bits-of-error maximum (NaN) */
  int digits;            /* %.*g digits that read back exactly */
  int emulated;          /* 1: each op in float, then rounded (half, bf16) */
} fmt_info;

extern const fmt_info fmt_table[FMT_COUNT];

/* The format called NAME (or one of its aliases), or NULL.  */
const fmt_info *fmt_by_name (const char *name);
/* The same, available or not (for a better error message).  */
const fmt_info *fmt_by_name_any (const char *name);

/* 1 if the format exists on this platform: long double only when it is
   wider than double and its arithmetic delivers that width at run time.  */
int fmt_available (fmt_id id);

/* Comma-separated names of the available formats, for error messages.  */
const char *fmt_names (void);

/* Round a float to binary16 / bfloat16 (round to nearest even, subnormals,
   overflow to inf, NaN kept); the result is returned in a float.  */
static inline float
fmt_round_half (float x)
{
  uint32_t u;
  __builtin_memcpy (&u, &x, 4);
  uint32_t sign = u & 0x80000000u, a = u ^ sign;
  if (a >= 0x7f800000u)         /* inf or NaN: unchanged */
    return x;
  if (a >= 0x477ff000u)         /* >= 65520 = 65504 + half an ulp: overflow */
    a = 0x7f800000u;
  else if (a < 0x38800000u)     /* below 2^-14: half subnormal, step 2^-24 */
    {
      float q;
      __builtin_memcpy (&q, &a, 4);
      /* q * 2^24 < 2^10 is exact; rounding it to an integer (ties to even,
         the default mode) is rounding to a multiple of 2^-24.  */
      q = __builtin_nearbyintf (q * 0x1p24f) * 0x1p-24f;
      __builtin_memcpy (&a, &q, 4);
    }
  else                          /* normal: keep 10 of float's 23 fraction bits */
    {
      a += 0xfffu + ((a >> 13) & 1u);
      a &= ~0x1fffu;
    }
  u = a | sign;
  __builtin_memcpy (&x, &u, 4);
  return x;
}

static inline float
fmt_round_bf16 (float x)
{
  uint32_t u;
  __builtin_memcpy (&u, &x, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u)  /* NaN: unchanged */
    return x;
  /* keep 7 of 23 fraction bits, ties to even; a carry into the exponent is
     the right answer, up to and including overflow to inf */
  u += 0x7fffu + ((u >> 16) & 1u);
  u &= 0xffff0000u;
  __builtin_memcpy (&x, &u, 4);
  return x;
}

/* Round a long double to the format (correctly: one rounding).  */
long double fmt_round (const fmt_info *f, long double x);

/* Round X (any precision) to the format, correctly, with subnormals and
   overflow; the result is exact in a long double.  */
long double fmt_round_mpfr (const fmt_info *f, mpfr_srcptr x);

/* Parse the decimal (or hex, inf, nan) string S and round it correctly to
   the format.  Returns 0 and sets *OUT, or -1 if S is not a number.  */
int fmt_parse (const fmt_info *f, const char *s, long double *out);

/* Position of finite or infinite X among the values of the format: 0 for
   zero, 1 for the smallest subnormal, ..., negative for negative values.
   X must be a value of the format.  */
__int128 fmt_ordinal (const fmt_info *f, long double x);

/* log2 of the spacing of the format around the exact value X: the ulp of
   X's binade, the subnormal step below the normal range.  */
long fmt_ulp_exp (const fmt_info *f, mpfr_srcptr x);

/* Print X with the digits that read back exactly into the format (%.Ng),
   or in hex (%a) when HEX; inf and nan spelled "inf", "-inf", "nan".  */
void fmt_print (FILE *fp, const fmt_info *f, long double x, int hex);

/* As fmt_print, into BUF of size N; returns what snprintf returns.  */
int fmt_snprint (char *buf, size_t n, const fmt_info *f, long double x,
                 int hex);

/* The value with ordinal O (the inverse of fmt_ordinal); beyond the
   largest finite value, infinity.  */
long double fmt_from_ordinal (const fmt_info *f, __int128 o);

/* Shortest decimal that reads back into the same value of the format,
   for people (tables on a projector).  BUF must hold 64 bytes.  */
char *fmt_shortest (char *buf, const fmt_info *f, long double x);

#endif
