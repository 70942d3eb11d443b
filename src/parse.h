/* parse.h -- the parsers of option values, with no side effects.
 *
 * Each parser returns 0, or -1 with a one-line reason in ERR (PARSE_ERR
 * bytes, always NUL-terminated, never a newline).  They never print and
 * never exit: cli.c turns a reason into a usage error, and the fuzz
 * targets in tests/fuzz call the parsers directly.  A value quoted in a
 * reason is shortened to 40 characters and its control characters are
 * escaped, so a 10 MB argument still gives a one-line message.
 */
#ifndef BCELAB_PARSE_H
#define BCELAB_PARSE_H

#include <stddef.h>

#define PARSE_ERR 256

/* A list of numbers as typed; each is rounded to a format when used.  */
typedef struct {
  char **text;      /* the strings as given, blanks trimmed */
  double *value;    /* their values as doubles, for validation and order */
  size_t n;
} num_list;

/* S for a message: at most 40 bytes of it then "...", with bytes below
   0x20 and 0x7f written as \n, \t or \xHH.  Returns BUF.  */
char *parse_shown (const char *s, char *buf, size_t len);

/* Split S at commas into a fresh array of fresh, blank-trimmed strings.
   An empty item is an error.  */
int parse_list (const char *opt, const char *s, char ***items, size_t *n,
                char *err);
void parse_list_free (char **items, size_t n);

/* All of S as a number (strtod's syntax: inf, nan and hex allowed).  */
int parse_number (const char *opt, const char *s, double *v, char *err);

/* A whole number in [LO, HI].  */
int parse_whole (const char *opt, const char *s, double lo, double hi,
                 double *v, char *err);

/* A non-negative integer that fits an unsigned long (--seed).  */
int parse_seed (const char *opt, const char *s, unsigned long *v, char *err);

/* K/N with 1 <= K <= N <= 65536; *K is returned 0-based.  */
int parse_shard (const char *s, int *k, int *n, char *err);

/* A list of format (form) names, or "all"; duplicates are errors.  IDS
   receives the ids in order, *N their count.  */
int parse_formats (const char *s, int *ids, int *n, char *err);
int parse_forms (const char *s, int *ids, int *n, char *err);

/* A list of numbers for OPT into L (freed first).  FLAGS: PN_LABELS, each
   in [0, 1]; PN_DUPS, duplicates allowed (else they are errors).  On error
   L is left empty.  */
enum { PN_LABELS = 1, PN_DUPS = 2 };
int parse_numbers (num_list *l, const char *opt, const char *s, int flags,
                   char *err);
void num_list_free (num_list *l);

#endif
