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
