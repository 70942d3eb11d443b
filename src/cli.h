/* cli.h -- the parsed command line (a job) and the error conventions.
 *
 * Exit status: 0 success, 1 failure while working, 2 bad usage.  Errors
 * go to stderr as "bcelab: <what is wrong>", in git's voice: lowercase,
 * the offending thing named, no trailing period.
 */
#ifndef BCELAB_CLI_H
#define BCELAB_CLI_H

#include <stddef.h>
#include "format.h"
#include "forms.h"
#include "cce.h"
#include "parse.h"

#define EXIT_USAGE 2

typedef enum { OUT_TEXT, OUT_TSV, OUT_CSV, OUT_MARKDOWN } out_format;

typedef struct {
  const char *command;
  int precision[FMT_COUNT];     /* chosen formats, in order */
  int n_precision;
  int form[FORM_COUNT];         /* chosen forms, in order */
  int n_form;
  num_list labels;
  num_list at;
  double eps;
  const char *output;
  out_format format;
  int jobs;
  unsigned long seed;
  int grad;
  int hex;
  double from, to;              /* sweep grid */
  double points;
  int scale;                    /* grid_scale */
  int given_grid;               /* --from, --to, --points or --scale seen */
  int given_form;               /* --form seen */
  int given_precision;          /* --precision seen */
  double samples, features, epochs, lr;   /* train */
  const char *data;             /* train: --data FILE.csv */
  int scenario;                 /* train: 0 seed, 1 stress */
  int shard_k, shard_n;         /* exhaustive: --shard K/N (K 0-based; N 0: none) */
  int full;                     /* report: --full, with the float sweep */
  int cform[CCE_COUNT];         /* cce: categorical forms (-f) */
  int n_cform;
  int given_cform;              /* -f named categorical forms */
  long classes[16];             /* cce: --classes K,... */
  int n_classes;
  num_list logits;              /* cce, explain: --logits (duplicates allowed) */
  long target;                  /* cce, explain: --target (0-based); -1: unset */
  double smoothing;             /* cce: --smoothing eps in [0, 1) */
  double offset;                /* cce: --offset, added to every logit */
  int thresholds;               /* cce: --thresholds */
  char **operands;              /* merge: the files */
  int n_operands;
} job;

/* Parse ARGV into JOB; on bad usage print the error and exit 2.  Returns
   the command's index in the command table.  */
void cli_parse (int argc, char **argv, job *j);
void job_free (job *j);

/* The forms (formats) of J: those given with --form (--precision), or
   every one (every available one) when none was given; returns how many
   were written to OUT.  For commands whose default is "all".  */
int job_forms_or_all (const job *j, int *out);
int job_formats_or_all (const job *j, int *out);

/* The command line as typed, for the headers of the files bcelab writes.  */
const char *cli_command_line (void);

/* Print "bcelab: MESSAGE" to stderr.  */
void error_msg (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
/* ... then "Try 'bcelab --help'" and exit 2.  */
_Noreturn void usage_error (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2)));
/* ... and exit 1.  */
_Noreturn void die (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2)));

void *xmalloc (size_t n);
void *xcalloc (size_t n, size_t size);
char *xstrdup (const char *s);

#endif
