/* plot.c -- the common gnuplot style, and running gnuplot.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "forms.h"
#include "plot.h"
#include "proc.h"

/* One colour and dash type per form, in form_id order.  */
static const char *const form_style[FORM_COUNT] = {
  "lc rgb '#d62728' lw 2 dt 1",   /* naive: red */
  "lc rgb '#ff7f0e' lw 2 dt 2",   /* clamped: orange, dashed */
  "lc rgb '#2ca02c' lw 2 dt 1",   /* stable: green */
  "lc rgb '#9467bd' lw 2 dt 4",   /* torch: purple */
  "lc rgb '#8c564b' lw 2 dt 5",   /* keras: brown */
  "lc rgb '#1f77b4' lw 2 dt 3",   /* softplus: blue, dotted */
};

int
gp_form_style (int form_id)
{
  return 1 + form_id;
}

void
gp_begin (FILE *fp, const char *name, const char *what, int width, int height)
{
  fprintf (fp, "# Generated with: %s\n", cli_command_line ());
  fprintf (fp, "# bcelab %s -- %s\n", PACKAGE_VERSION, what);
  fprintf (fp, "# Run it here: gnuplot %s.gp   (or gnuplot -e 'term=\"svg\"' %s.gp;\n"
               "# terminals: pngcairo (default), svg, pdfcairo)\n\n", name, name);
  fputs ("# ---- bcelab's common figure style (the same in every script) ----\n"
         "if (!exists(\"term\")) term = \"pngcairo\"\n", fp);
  fprintf (fp, "width = %d; height = %d\n", width, height);
  fputs ("if (term eq \"pngcairo\") {\n"
         "  set terminal pngcairo enhanced size width, height font \"Sans,11\" linewidth 1.2\n"
         "  ext = \"png\"\n"
         "} else { if (term eq \"svg\") {\n"
         "  set terminal svg enhanced size width, height font \"Sans,11\" background rgb \"white\"\n"
         "  ext = \"svg\"\n"
         "} else { if (term eq \"pdfcairo\") {\n"
         "  set terminal pdfcairo enhanced size width/100.0, height/100.0 font \"Sans,9\"\n"
         "  ext = \"pdf\"\n"
         "} else {\n"
         "  exit error \"unknown term: use pngcairo, svg or pdfcairo\"\n"
         "} } }\n", fp);
  fprintf (fp, "set output \"%s.\".ext\n", name);
  fputs ("set grid lc rgb \"#d0d0d0\" lw 1\n"
         "set key opaque box lc rgb \"#c0c0c0\"\n"
         "set border lw 1\n"
         "set tics nomirror\n"
         "set datafile commentschars \"#\"\n"
         "# inf is read as infinity and nan as invalid: such points are skipped;\n"
         "# the status columns (ok, inf, nan, zero, sign) mark them instead\n", fp);
  for (int i = 0; i < FORM_COUNT; i++)
    fprintf (fp, "set style line %d %s   # %s\n", gp_form_style (i),
             form_style[i], form_table[i].name);
  fputs ("set style line 10 lc rgb '#000000' lw 3 dt 1   # exact value\n"
         "set style line 11 lc rgb '#1f77b4' lw 2 dt 1   # seed: y = 1 / sigmoid\n"
         "set style line 12 lc rgb '#d62728' lw 2 dt 1   # seed: y = 0\n"
         "set style line 13 lc rgb '#2ca02c' lw 2 dt 1   # seed: stable\n"
         "set style line 14 lc rgb '#d62728' lw 2 dt 2   # seed: clipped\n"
         "# symlog: the x axis of logits spanning many decades\n"
         "symlog(z) = sgn(z) * log10(1 + abs(z))\n"
         "# ---- end of the common style ----\n\n", fp);
}

const char *
gp_program (void)
{
  const char *g = getenv ("GNUPLOT");
  if (g && *g)
    return access (g, X_OK) == 0 || !strchr (g, '/') ? g : NULL;
  const char *path = getenv ("PATH");
  if (!path)
    return NULL;
  char *copy = xstrdup (path);
  const char *found = NULL;
  for (char *dir = strtok (copy, ":"); dir; dir = strtok (NULL, ":"))
    {
      char buf[4096];
      snprintf (buf, sizeof buf, "%s/gnuplot", dir);
      if (access (buf, X_OK) == 0)
        {
          found = "gnuplot";
          break;
        }
    }
  free (copy);
  return found;
}

int
gp_render (const char *dir, const char *script, const char *term)
{
  const char *prog = gp_program ();
  if (!prog)
    return -1;
  char set[64];
  snprintf (set, sizeof set, "term=\"%s\"", term ? term : "");
  const char *argv[] = { prog, "-e", set, script, NULL };
  if (!term)
    argv[1] = script, argv[2] = NULL;
  char *said;
  int st = proc_run (dir, argv, 1, &said);
  int ok = st == 0 && said[0] == '\0';
  if (!ok)
    {
      error_msg ("gnuplot %s (in %s) %s", script, dir,
                 st < 0 ? "could not be run" : st == 0 ? "warned" : "failed");
      for (char *line = strtok (said, "\n"); line; line = strtok (NULL, "\n"))
        if (*line)
          fprintf (stderr, "  gnuplot: %s\n", line);
    }
  free (said);
  return ok ? 0 : -1;
}
