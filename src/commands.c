/* commands.c -- the table of commands: name, entry point, one-line
 * summary (for --help), and the options that apply to each.  */
#include <config.h>

#include <string.h>

#include "commands.h"

const command command_table[] = {
  { "table", cmd_table,
    "loss (and gradient) of each form at chosen logits, with the exact value",
    OPT_PRECISION | OPT_FORM | OPT_LABEL | OPT_EPS | OPT_AT | OPT_GRAD
    | OPT_FORMAT | OPT_HEX | OPT_JOBS },
  { "sweep", cmd_sweep,
    "a grid of logits (--from --to --points --scale, or --at) to data files",
    OPT_PRECISION | OPT_FORM | OPT_LABEL | OPT_EPS | OPT_AT | OPT_GRAD
    | OPT_HEX | OPT_OUTPUT | OPT_JOBS | OPT_GRID },
  { "thresholds", cmd_thresholds,
    "where each form first breaks, per format, label and side of zero",
    OPT_PRECISION | OPT_FORM | OPT_LABEL | OPT_EPS | OPT_FORMAT | OPT_JOBS },
  { "explain", cmd_explain,
    "one evaluation traced step by step, and where the digits were lost",
    OPT_PRECISION | OPT_FORM | OPT_LABEL | OPT_EPS | OPT_AT | OPT_FORMAT
    | OPT_CCE | CATEGORICAL },
  { "cce", cmd_cce,
    "categorical cross-entropy over K classes: softmax vs log-softmax",
    OPT_PRECISION | OPT_FORM | OPT_AT | OPT_GRAD | OPT_FORMAT | OPT_OUTPUT
    | OPT_JOBS | OPT_GRID | OPT_CCE | OPT_CCE_TH | CATEGORICAL },
  { "exhaustive", cmd_exhaustive,
    "every finite half, bfloat16 or float value: error statistics (--shard K/N)",
    OPT_PRECISION | OPT_FORM | OPT_LABEL | OPT_EPS | OPT_FORMAT | OPT_OUTPUT
    | OPT_JOBS | OPT_SHARD },
  { "merge", cmd_merge,
    "combine the partial results of exhaustive --shard into one run's",
    OPT_FORMAT | OPT_OUTPUT | TAKES_FILES },
  { "train", cmd_train,
    "logistic regression: BCE after sigmoid vs BCE from logits (--scenario)",
    OPT_PRECISION | OPT_FORM | OPT_OUTPUT | OPT_FORMAT | OPT_SEED | OPT_TRAIN },
  { "figures", cmd_figures,
    "data, gnuplot scripts and images of every figure (-o DIR)",
    OPT_EPS | OPT_OUTPUT | OPT_JOBS | OPT_SEED },
  { "report", cmd_report,
    "an HTML report with every figure, table and trace (-o DIR, --full)",
    OPT_OUTPUT | OPT_JOBS | OPT_FULL },
  { NULL, NULL, NULL, 0 }
};

const command *
command_by_name (const char *name)
{
  for (const command *c = command_table; c->name; c++)
    if (strcmp (c->name, name) == 0)
      return c;
  return NULL;
}

