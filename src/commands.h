/* commands.h -- the commands bcelab runs, and the options each accepts.  */
#ifndef BCELAB_COMMANDS_H
#define BCELAB_COMMANDS_H

#include "cli.h"

enum {
  OPT_PRECISION = 1u << 0,
  OPT_FORM = 1u << 1,
  OPT_LABEL = 1u << 2,
  OPT_EPS = 1u << 3,
  OPT_AT = 1u << 4,
  OPT_GRAD = 1u << 5,
  OPT_FORMAT = 1u << 6,
  OPT_HEX = 1u << 7,
  OPT_OUTPUT = 1u << 8,
  OPT_JOBS = 1u << 9,
  OPT_SEED = 1u << 10,
  OPT_GRID = 1u << 11,          /* --from --to --points --scale */
  OPT_TRAIN = 1u << 12,         /* --samples --features --epochs --lr --data --scenario */
  OPT_SHARD = 1u << 13,         /* --shard */
  OPT_FULL = 1u << 14,          /* --full */
  OPT_CCE = 1u << 15,           /* --classes --logits --target --smoothing --offset */
  OPT_CCE_TH = 1u << 16,        /* --thresholds */
  CATEGORICAL = 1u << 29,       /* -f takes categorical forms */
  TAKES_FILES = 1u << 30,       /* operands after the command: files */
};

typedef struct {
  const char *name;
  int (*run) (const job *j);   /* returns the exit status */
  const char *summary;
  unsigned options;            /* the OPT_ bits that apply */
} command;

extern const command command_table[];   /* ends with a NULL name */
const command *command_by_name (const char *name);

int cmd_table (const job *j);
int cmd_sweep (const job *j);
int cmd_figures (const job *j);
int cmd_train (const job *j);
int cmd_thresholds (const job *j);
int cmd_exhaustive (const job *j);
int cmd_merge (const job *j);
int cmd_explain (const job *j);
int cmd_cce (const job *j);

/* Write every figure's data and script into DIR, and render them with
   gnuplot (PNG, and SVG too when SVG) when RENDER and gnuplot is there;
   print a summary line unless QUIET.  Returns 0, 1 if a rendering failed,
   3 if gnuplot is missing (nothing rendered).  */
int figures_write (const char *dir, const job *j, int render, int svg,
                   int quiet);
int cmd_report (const job *j);

#endif
