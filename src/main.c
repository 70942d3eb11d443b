/* main.c -- bcelab's entry point: parse the command line, run the command,
 * and make sure everything written to stdout really got there (a full disk
 * or a closed pipe is an error, not silence).
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
  { "train", cmd_train,
    "logistic regression: BCE after sigmoid vs BCE from logits (--scenario)",
    OPT_PRECISION | OPT_FORM | OPT_OUTPUT | OPT_FORMAT | OPT_SEED | OPT_TRAIN },
  { "figures", cmd_figures,
    "data, gnuplot scripts and images of every figure (-o DIR)",
    OPT_EPS | OPT_OUTPUT | OPT_JOBS | OPT_SEED },
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

/* atexit: report a failed write to stdout (GNU close_stdout).  */
static void
close_stdout (void)
{
  int err = ferror (stdout);
  if (fclose (stdout) != 0 || err)
    {
      int e = errno;
      fprintf (stderr, "bcelab: write error%s%s\n", e ? ": " : "",
               e ? strerror (e) : "");
      _exit (EXIT_FAILURE);
    }
}

int
main (int argc, char **argv)
{
  atexit (close_stdout);
  job j;
  cli_parse (argc, argv, &j);
  int status = command_by_name (j.command)->run (&j);
  job_free (&j);
  return status;
}
